"""Files the bot uploads to the offline Bot API, and the checks Telegram makes on a photo.

Telegram refuses a photo it cannot decode ("IMAGE_PROCESS_FAILED"), one over 10 MB, and one
whose width and height add up to more than 10,000 or whose sides differ more than 20 times
("PHOTO_INVALID_DIMENSIONS"). A PNG is decoded here as far as that needs: signature, chunk
checksums, the header, and the compressed pixel data inflating to exactly the rows it declares.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Any

from bot.transport.chatlog import ApiError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_SIDES = 10_000
PHOTO_MAX_RATIO = 20
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # PNG colour type -> samples per pixel


@dataclass(frozen=True)
class Upload:
    """One multipart file as the server received it."""

    filename: str
    content: bytes
    mimetype: str | None = None


def upload_from(part: Any) -> Upload:
    """PTB's multipart tuple (filename, bytes or file handle, mimetype) as an Upload."""
    filename, content, *rest = part
    if hasattr(content, "read"):
        content = content.read()
    return Upload(str(filename), bytes(content), rest[0] if rest else None)


def photo_size(upload: Upload) -> tuple[int, int]:
    """(width, height) of an uploaded photo; ApiError where Telegram would refuse it."""
    data = upload.content
    if len(data) > PHOTO_MAX_BYTES:
        raise ApiError(400, "Bad Request: file is too big")
    if data.startswith(PNG_SIGNATURE):
        width, height = png_size(data)
    elif data.startswith(JPEG_SIGNATURE) and data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        width, height = 1, 1  # not decoded here; the bot itself only uploads PNG charts
    else:
        raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
    if width + height > PHOTO_MAX_SIDES or max(width, height) > PHOTO_MAX_RATIO * min(
        width, height
    ):
        raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
    return width, height


def png_size(data: bytes) -> tuple[int, int]:
    """Decode a PNG's structure; (width, height), or ApiError if it is not a sound PNG."""
    failed = ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
    position, chunks = len(PNG_SIGNATURE), []
    try:
        while position < len(data):
            (length,) = struct.unpack_from(">I", data, position)
            kind = data[position + 4 : position + 8]
            body = data[position + 8 : position + 8 + length]
            (crc,) = struct.unpack_from(">I", data, position + 8 + length)
            if len(body) != length or zlib.crc32(kind + body) != crc:
                raise failed
            chunks.append((kind, body))
            position += 12 + length
            if kind == b"IEND":
                break
        if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
            raise failed
        width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
        pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    except (struct.error, zlib.error):
        raise failed from None
    if colour not in _CHANNELS or width == 0 or height == 0:
        raise failed
    row_bytes = (width * _CHANNELS[colour] * depth + 7) // 8
    if interlace == 0 and len(pixels) != height * (1 + row_bytes):
        raise failed
    return width, height

"""Photo uploads are checked as Telegram checks them: decodable, at most 10 MB, sane dimensions."""

from __future__ import annotations

import io
import struct
import zlib

import pytest

from bot.transport.chatlog import ApiError
from bot.transport.uploads import (
    JPEG_SIGNATURE,
    PHOTO_MAX_BYTES,
    PNG_SIGNATURE,
    Upload,
    photo_size,
    png_size,
    upload_from,
)

FAILED = "IMAGE_PROCESS_FAILED"
DIMENSIONS = "PHOTO_INVALID_DIMENSIONS"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(
    width: int, height: int, *, depth: int = 8, colour: int = 2, rows: int | None = None
) -> bytes:
    """A sound PNG (or one whose pixel data holds `rows` rows instead of `height`)."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour, 1)
    row = b"\x00" + bytes((width * channels * depth + 7) // 8)
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    pixels = zlib.compress(row * (height if rows is None else rows))
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def _refused(data: bytes) -> str:
    with pytest.raises(ApiError) as refused:
        photo_size(Upload("x.png", data))
    assert refused.value.status == 400
    return refused.value.description


def test_a_sound_png_gives_its_width_and_height() -> None:
    assert photo_size(Upload("chart.png", png(30, 20), "image/png")) == (30, 20)
    assert png_size(png(9, 3, depth=1, colour=0)) == (9, 3)  # 1-bit rows round up to bytes
    assert png_size(png(4, 4, colour=6)) == (4, 4)


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(png(30, 20)[:-6], id="truncated"),
        pytest.param(png(30, 20)[:-1] + b"\x00", id="bad-crc"),
        pytest.param(png(30, 20, rows=19), id="too-few-rows"),
        pytest.param(png(30, 20, rows=21), id="too-many-rows"),
        pytest.param(png(0, 20), id="zero-width"),
        pytest.param(png(30, 20, colour=5), id="unknown-colour-type"),
        pytest.param(PNG_SIGNATURE + _chunk(b"IEND", b""), id="no-header"),
        pytest.param(png(30, 20)[: -len(_chunk(b"IEND", b""))], id="no-end"),
        pytest.param(
            PNG_SIGNATURE
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", b"not zlib")
            + _chunk(b"IEND", b""),
            id="bad-deflate",
        ),
        pytest.param(b"GIF89a" + bytes(20), id="not-an-image"),
        pytest.param(JPEG_SIGNATURE + bytes(20), id="jpeg-without-end"),
    ],
)
def test_an_image_telegram_cannot_decode_is_refused(broken: bytes) -> None:
    assert FAILED in _refused(broken)


def test_a_whole_jpeg_is_accepted_without_decoding() -> None:
    jpeg = JPEG_SIGNATURE + b"\xe0" + bytes(40) + b"\xff\xd9\x00\x00"
    assert photo_size(Upload("p.jpg", jpeg, "image/jpeg")) == (1, 1)


def test_a_photo_over_10_mb_is_too_big_whatever_it_holds() -> None:
    sound = png(2, 2)
    padded = sound + bytes(PHOTO_MAX_BYTES - len(sound))
    assert len(padded) == PHOTO_MAX_BYTES and photo_size(Upload("ok.png", padded)) == (2, 2)
    assert "file is too big" in _refused(padded + b"\x00")


def test_dimensions_past_10000_in_sum_or_20_to_1_are_refused() -> None:
    assert photo_size(Upload("wide.png", png(200, 10))) == (200, 10)  # exactly 20:1
    assert DIMENSIONS in _refused(png(210, 10))
    assert DIMENSIONS in _refused(png(10, 201))
    assert photo_size(Upload("big.png", png(5000, 5000, depth=1, colour=0))) == (5000, 5000)
    assert DIMENSIONS in _refused(png(5001, 5000, depth=1, colour=0))


def test_multipart_parts_become_uploads_from_bytes_or_file_handles() -> None:
    assert upload_from(("a.png", b"\x89PNG", "image/png")) == Upload(
        "a.png", b"\x89PNG", "image/png"
    )
    assert upload_from(("b.bin", io.BytesIO(b"abc"))) == Upload("b.bin", b"abc", None)
    assert upload_from(("c", bytearray(b"xy"), "text/plain")).content == b"xy"

"""Secrets people keep: recovery phrases (three words and a number) and duress words, hashed.

Only salted scrypt hashes are stored. A phrase has 3 words from a list of 256 and a number
from 10 to 99: about 30 bits, and five wrong tries lock the reference, so it cannot be guessed.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import re
import secrets
from pathlib import Path

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_SPACES = re.compile(r"[\s\-_.,]+")


def words_path(content_dir: Path) -> Path:
    return content_dir / "recovery_words.txt"


@functools.lru_cache(maxsize=4)
def load_words(path: Path) -> tuple[str, ...]:
    """The word list (one plain lowercase word a line; '#' lines are comments)."""
    words = [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    if len(set(words)) < 256 or any(not w.isalpha() or not w.islower() for w in words):
        raise ValueError(f"{path}: needs at least 256 distinct lowercase words")
    return tuple(dict.fromkeys(words))


def new_phrase(words: tuple[str, ...]) -> str:
    """'mangga kapal biru 47': three different words and a number, from `secrets`."""
    chosen: list[str] = []
    while len(chosen) < 3:
        word = secrets.choice(words)
        if word not in chosen:
            chosen.append(word)
    return " ".join([*chosen, str(10 + secrets.randbelow(90))])


def normalise(text: str) -> str:
    """How a typed secret is compared: case, extra spaces and dashes do not matter."""
    return _SPACES.sub(" ", text.casefold()).strip()


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(normalise(secret).encode("utf-8"), salt=salt, **_SCRYPT)


def hash_secret(secret: str) -> str:
    """'scrypt$<salt hex>$<hash hex>' of the normalised secret."""
    salt = secrets.token_bytes(16)
    return f"scrypt${salt.hex()}${_hash(secret, salt).hex()}"


def matches(secret: str, stored: str | None) -> bool:
    """Whether `secret` is the one hashed in `stored` (constant-time comparison)."""
    if not stored or not secret.strip():
        return False
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    return hmac.compare_digest(_hash(secret, bytes.fromhex(salt)), bytes.fromhex(digest))


async def hash_secret_async(secret: str) -> str:
    """hash_secret off the event loop (scrypt takes tens of milliseconds on purpose)."""
    return await asyncio.to_thread(hash_secret, secret)


async def matches_async(secret: str, stored: str | None) -> bool:
    """matches() off the event loop."""
    if not stored:
        return False
    return await asyncio.to_thread(matches, secret, stored)

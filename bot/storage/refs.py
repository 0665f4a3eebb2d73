"""Case references: `KWN-` and six random Crockford base32 characters (no I, L, O, U)."""

from __future__ import annotations

import re
import secrets

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REF_PREFIX = "KWN-"
REF_LENGTH = 6
REF_PATTERN = re.compile(r"^KWN-[0-9A-HJKMNP-TV-Z]{6}$")

# Crockford's reading rules: letters easily mistaken for digits are read as those digits.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")


def generate_ref() -> str:
    """A new random reference (32^6 ≈ 10^9 values; the caller checks it is unused)."""
    body = "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(REF_LENGTH))
    return REF_PREFIX + body


def normalise_ref(text: str) -> str | None:
    """A reference as typed or read out (any case, spaces, O for 0, no prefix), or None."""
    compact = _SEPARATORS.sub("", text).upper()
    if len(compact) == len(REF_PREFIX) - 1 + REF_LENGTH and compact.startswith("KWN"):
        compact = compact[3:]
    candidate = REF_PREFIX + compact.translate(_READ_AS)
    return candidate if REF_PATTERN.match(candidate) else None

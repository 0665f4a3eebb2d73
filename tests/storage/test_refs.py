"""Case references: KWN- and six Crockford letters, random, and read back however they are typed."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bot.storage.refs import REF_PATTERN, generate_ref, normalise_ref


def test_references_have_the_documented_form() -> None:
    refs = [generate_ref() for _ in range(10_000)]
    assert all(re.fullmatch(r"^KWN-[0-9A-HJKMNP-TV-Z]{6}$", ref) for ref in refs)
    assert all(REF_PATTERN.match(ref) for ref in refs)
    # 32^6 ≈ 10^9 values: among 10,000, a repeat or two is possible, more is not random.
    assert len(set(refs)) >= 9_995
    # Every character of the alphabet turns up: no bias towards a subset.
    assert set("".join(ref[4:] for ref in refs)) == set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert max(Counter(ref[4] for ref in refs).values()) < 500  # ≈ 312 expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("KWN-7G4K2P", "KWN-7G4K2P"),
        ("kwn-7g4k2p", "KWN-7G4K2P"),
        (" kwn 7g4 k2p ", "KWN-7G4K2P"),
        ("7G4K2P", "KWN-7G4K2P"),
        ("KWN-O1IL2P", "KWN-01112P"),  # read over a phone: O is 0, I and L are 1
        ("KWN-7G4K2", None),
        ("KWN-7G4K2PP", None),
        ("KWN-UUUUUU", None),
        ("'; DROP TABLE cases; --", None),
    ],
)
def test_typed_references_are_normalised(typed: str, expected: str | None) -> None:
    assert normalise_ref(typed) == expected

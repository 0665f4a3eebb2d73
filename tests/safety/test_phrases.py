"""Recovery phrases: three different words and a number, stored only as a salted scrypt hash."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.content import default_content_dir
from bot.safety.phrases import (
    hash_secret,
    hash_secret_async,
    load_words,
    matches,
    matches_async,
    new_phrase,
    normalise,
    words_path,
)


@pytest.fixture(scope="module")
def words() -> tuple[str, ...]:
    return load_words(words_path(default_content_dir()))


def test_a_phrase_is_three_different_listed_words_and_a_two_digit_number(
    words: tuple[str, ...],
) -> None:
    assert len(words) >= 256
    for _ in range(200):
        *chosen, number = new_phrase(words).split(" ")
        assert len(chosen) == 3 == len(set(chosen)) and set(chosen) <= set(words)
        assert re.fullmatch(r"[1-9]\d", number)


def test_the_word_list_refuses_too_few_or_odd_words(tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("# comment\n" + "\n".join(f"kata{'a' * n}" for n in range(10)))
    with pytest.raises(ValueError, match="256"):
        load_words(short)
    odd = tmp_path / "odd.txt"
    odd.write_text("\n".join(["Kapital"] + ["k" + "a" * n for n in range(300)]))
    with pytest.raises(ValueError, match="lowercase"):
        load_words(odd)


def test_only_a_salted_hash_is_kept_and_typing_variations_still_match() -> None:
    stored = hash_secret("mangga kapal biru 47")
    assert "mangga" not in stored and stored.startswith("scrypt$")
    assert stored != hash_secret("mangga kapal biru 47")  # a fresh salt each time
    assert normalise("  Mangga-KAPAL_biru.  47 ") == "mangga kapal biru 47"
    assert matches("  Mangga-KAPAL  biru 47", stored)
    assert not matches("mangga kapal biru 48", stored)


@pytest.mark.parametrize("stored", [None, "", "plain$ab$cd", "scrypt$only-two", "md5$00$00"])
def test_a_missing_or_foreign_hash_never_matches(stored: str | None) -> None:
    assert not matches("mangga kapal biru 47", stored)


async def test_the_async_forms_agree_and_an_empty_secret_never_matches() -> None:
    stored = await hash_secret_async("kapal 12")
    assert await matches_async("KAPAL 12", stored)
    assert not await matches_async("   ", stored)
    assert not await matches_async("kapal 12", None)

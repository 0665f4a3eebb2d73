"""Chat text normalised: slang, numbers, emphasis, affixes and synonyms, with spans into the
original text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import default_content_dir
from bot.understanding.textnorm import Stemmer, load_lexicons, normalise, raw_tokens


def test_normalisation_undoes_slang_numbers_and_emphasis() -> None:
    lexicon = load_lexicons(default_content_dir())["id"]
    words = [t.text for t in normalise("Tolonggg sy gk tau brp denda 2bln, anak2 dua", lexicon)]
    assert words == [
        "tolong", "saya", "tidak", "tau", "berapa", "denda", "2", "bulan", "anak", "2",
    ]  # fmt: skip
    assert [t.text for t in raw_tokens("anak-anak can't")] == ["anak", "cant"]


def test_token_spans_point_into_the_original_text() -> None:
    text = "Paspor’ku DITAHAN!! café ｔｏｌｏｎｇ"
    spans = [(t.text, text[t.start : t.end]) for t in raw_tokens(text)]
    assert spans == [
        ("pasporku", "Paspor’ku"),
        ("ditahan", "DITAHAN"),
        ("cafe", "café"),
        ("tolong", "ｔｏｌｏｎｇ"),
    ]


def test_stemmer_memoises_and_joins_word_forms() -> None:
    stem = Stemmer("id")
    assert stem("ditahan") == stem("menahan") == "tahan"
    assert stem("daftarin") == "daftar"  # Jakarta "-in" verbs
    assert stem("ditahan") == "tahan"  # second call served from the memo
    english = Stemmer("en")
    assert english("overstayed") == english("overstaying") == english("overstay")
    assert english("fines") == english("fine")


def test_multi_word_synonyms_replace_the_phrase() -> None:
    lexicon = load_lexicons(default_content_dir())["id"]
    # "tidak tahan" is "cannot bear it", not "held" (ditahan).
    assert [t.text for t in normalise("anak sy gk tahan lagi", lexicon)][:4] == [
        "anak", "saya", "tidak", "kuat",
    ]  # fmt: skip


def test_synonyms_file_names_words_yaml_misreads(tmp_path: Path) -> None:
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "synonyms.yaml").write_text("id:\n  words:\n    no: nomor\n")
    with pytest.raises(ValueError, match="quotes"):
        load_lexicons(tmp_path)

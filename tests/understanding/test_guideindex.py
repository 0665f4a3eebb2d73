"""The per-language guide index: concepts implied by a question, word forms kept apart."""

from __future__ import annotations

import pytest

from bot.app import ReadOnlyServices
from bot.content import Content, default_content_dir
from bot.understanding.guideindex import GuideIndex
from bot.understanding.textnorm import Stemmer, load_lexicons


@pytest.fixture(scope="module")
def content(read_only: ReadOnlyServices) -> Content:
    return read_only.content


def test_concept_words_with_affixes_match_only_that_form(content: Content) -> None:
    lexicon = load_lexicons(default_content_dir())["id"]
    guides = GuideIndex(list(content.guides["id"].values()), lexicon, Stemmer("id"))
    # "penempatan" (placement) must not fire on its root "tempat" (place)...
    assert "p3mi" not in guides.query("masalah di tempat kerja saya").implied
    assert "p3mi" in guides.query("negara penempatan pekerja migran").implied
    # ...while a root ("tahan bos") matches every form of it.
    assert "paspor" in guides.query("dokumen sy ditahan bos").implied
    assert "paspor" in guides.query("dokumen sy tertahan di bos").implied

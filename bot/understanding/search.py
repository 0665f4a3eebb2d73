"""Free-text question → the guide sections that answer it, per locale, and `ask`'s JSON."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.content import Content
from bot.understanding.asks import Asks
from bot.understanding.guideindex import GuideIndex, bm25
from bot.understanding.textnorm import Stemmer, load_lexicons, raw_tokens

if TYPE_CHECKING:
    from bot.understanding.danger import DangerDetector

log = logging.getLogger(__name__)

# Below this the bot says it is not sure, shows the closest topics and offers KBRI help.
# Calibrated (benchmarks/eval_questions.py and tests) so greetings, tests and off-topic
# chatter fall below it while real questions, formal or slangy, stay above.
CONFIDENT_SCORE = 0.5


@dataclass(frozen=True)
class Answer:
    """One guide (and its best section) that may answer a question."""

    guide_id: str
    section_index: int | None  # None: the guide as a whole (its intro)
    topic: str
    score: float  # 0..1
    confident: bool


class QuestionIndex:
    """Search over every guide section, per locale; build once at start-up."""

    def __init__(self, indexes: Mapping[str, GuideIndex], asks: Asks | None = None) -> None:
        self._indexes = dict(indexes)
        self.asks = asks  # what kind of thing a question asks for (content/search/asks.yaml)

    @classmethod
    def build(cls, content: Content) -> QuestionIndex:
        """Index all guides of `content` with the vocabulary in content/search/synonyms.yaml."""
        lexicons = load_lexicons(content.root)
        indexes = {}
        for locale, guides in content.guides.items():
            if guides and locale in lexicons:
                stemmer = Stemmer(locale)
                indexes[locale] = GuideIndex(list(guides.values()), lexicons[locale], stemmer)
        return cls(indexes, Asks.load(content.root, lexicons))

    def section_scores(self, text: str, locale: str, guide_id: str) -> dict[int | None, float]:
        """How well each part of one guide (None: the intro) matches the question's words."""
        index = self._indexes.get(locale)
        pos = (
            next((i for i, g in enumerate(index.guides) if g.id == guide_id), None)
            if index
            else None
        )
        if index is None or pos is None:
            return {}
        terms = index.query(text).terms
        parts = zip(index.section_docs[pos], index.section_terms[pos], strict=True)
        return {doc.section_index: bm25(scores, terms) for doc, scores in parts}

    def detect_locale(self, text: str) -> str:
        """`en` when more words are only English than only Indonesian, else `id`."""
        english, indonesian = self._indexes.get("en"), self._indexes.get("id")
        if english is None or indonesian is None:
            return "id"
        votes = 0
        for tok in raw_tokens(text):
            in_en = tok.text in english.vocabulary
            in_id = tok.text in indonesian.vocabulary
            votes += in_en and not in_id
            votes -= in_id and not in_en
        return "en" if votes > 0 else "id"

    def ask(self, text: str, locale: str = "id", limit: int = 3) -> list[Answer]:
        """Best answers first, at most `limit`, one per guide; `locale="auto"` detects English."""
        try:
            if locale == "auto":
                locale = self.detect_locale(text)
            index = self._indexes.get(locale) or self._indexes.get("id")
            if index is None or limit <= 0:
                return []
            return [
                Answer(
                    r.guide.id, r.section_index, r.guide.topic, r.score, r.score >= CONFIDENT_SCORE
                )
                for r in index.search(text, limit)
            ]
        except Exception:  # a question must never crash the bot; the caller shows "not sure"
            log.exception("question search failed")
            return []

    @staticmethod
    def is_confident(answers: Sequence[Answer]) -> bool:
        """Whether the best answer is good enough to show without "I am not sure"."""
        return bool(answers) and answers[0].confident


def ask_json(
    index: QuestionIndex, detector: DangerDetector, text: str, locale: str = "auto"
) -> dict[str, Any]:
    """DESIGN's `ask` contract: {"urgent": bool, "answers": [{"id", "topic", "score"}]}."""
    hit = detector.check(text)
    answers = index.ask(text, locale=locale, limit=3)
    return {
        "urgent": hit is not None,
        "answers": [
            {"id": a.guide_id, "topic": a.topic, "score": round(a.score, 3)} for a in answers
        ],
    }

"""Free-text question → the guide sections that answer it (BM25 over normalised, stemmed words)."""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.content import Content, Guide
from bot.textnorm import Lexicon, Stemmer, load_lexicons, normalise, raw_tokens

if TYPE_CHECKING:
    from bot.danger import DangerDetector

log = logging.getLogger(__name__)

# Field boosts: a word in a guide's title or keywords says more about its topic than the body.
TITLE_BOOST, KEYWORD_BOOST, HEADING_BOOST, INTRO_BOOST, BODY_BOOST = 3.0, 2.5, 2.0, 1.0, 1.0
K1, B = 1.6, 0.5  # BM25; long guides are only mildly penalised: length is thoroughness here
SECTION_SHARE = 0.5  # how much the best section adds to its guide's score
FUZZY_WEIGHT, CONCEPT_WEIGHT = 0.8, 0.5  # guessed words count less than typed ones
SCORE_SCALE = 6.0  # raw score at which `score` reaches 1 - 1/e; calibrated on the eval sets
CONFIDENT_SCORE = 0.45  # below this the bot says it is not sure and offers KBRI help
MAX_TOKENS = 200  # a pasted essay should not cost more than a question
_MEMO_LIMIT = 50_000


@dataclass(frozen=True)
class Answer:
    """One guide (and its best section) that may answer a question."""

    guide_id: str
    section_index: int | None  # None: the guide as a whole (its intro)
    topic: str
    score: float  # 0..1
    confident: bool


@dataclass(frozen=True)
class _Doc:
    guide: int
    section_index: int | None
    tf: Mapping[str, float]
    length: float


def _bm25(doc: _Doc, query: Mapping[str, float], idf: Mapping[str, float], avg: float) -> float:
    norm = K1 * (1 - B + B * doc.length / avg)
    total = 0.0
    for term, weight in query.items():
        tf = doc.tf.get(term)
        if tf:
            total += weight * idf[term] * tf * (K1 + 1) / (tf + norm)
    return total


def _idf(docs: Sequence[_Doc]) -> dict[str, float]:
    df: dict[str, int] = defaultdict(int)
    for doc in docs:
        for term in doc.tf:
            df[term] += 1
    n = len(docs)
    return {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}


class _LocaleIndex:
    """The index of one locale's guides."""

    def __init__(self, guides: Sequence[Guide], lexicon: Lexicon, stemmer: Stemmer) -> None:
        self.lexicon, self.stem = lexicon, stemmer
        self.guides = list(guides)
        self._surfaces: set[str] = set()
        self.guide_docs: list[_Doc] = []
        self.section_docs: list[list[_Doc]] = []
        for pos, guide in enumerate(self.guides):
            meta = self._fields(((guide.title, TITLE_BOOST), *((k, KEYWORD_BOOST) for k in guide.keywords)))
            intro = self._fields(((guide.intro, INTRO_BOOST),))
            sections = [
                (s.index, self._fields(((s.heading, HEADING_BOOST), (s.body, BODY_BOOST))))
                for s in guide.sections
            ]
            whole = _merge([meta, intro, *(tf for _, tf in sections)])
            self.guide_docs.append(_Doc(pos, None, whole, sum(whole.values())))
            docs = [_Doc(pos, None, intro, sum(intro.values()))]
            docs += [_Doc(pos, i, tf, sum(tf.values())) for i, tf in sections]
            self.section_docs.append(docs)
        flat = [d for docs in self.section_docs for d in docs]
        self.guide_idf, self.section_idf = _idf(self.guide_docs), _idf(flat)
        self.guide_avg = _mean(d.length for d in self.guide_docs)
        self.section_avg = _mean(d.length for d in flat)
        self.fuzzy_vocabulary = sorted(w for w in self._surfaces if len(w) >= 4 and w.isalpha())
        self.known = stemmer.dictionary | lexicon.stopwords | set(lexicon.words) | self._surfaces
        # Concept phrases are stemmed once; at query time they are looked up by first word.
        self.concepts: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = defaultdict(list)
        for phrase, means in lexicon.concepts:
            stems = tuple(self._stem_words(phrase))
            self.concepts[stems[0]].append((stems, tuple(self._stem_words(means))))
        self._resolved: dict[str, tuple[str, float]] = {}

    def _stem_words(self, words: Iterable[str]) -> list[str]:
        return [self.stem(w) for t in words for w in (x.text for x in normalise(t, self.lexicon))]

    def _fields(self, fields: Iterable[tuple[str, float]]) -> dict[str, float]:
        tf: dict[str, float] = defaultdict(float)
        for text, boost in fields:
            for tok in normalise(text, self.lexicon):
                self._surfaces.add(tok.text)
                if tok.text not in self.lexicon.stopwords:
                    tf[self.stem(tok.text)] += boost
        return tf

    def _resolve(self, word: str) -> tuple[str, float]:
        """The indexed stem a typed word stands for, and how sure we are (typos count less)."""
        found = self._resolved.get(word)
        if found is not None:
            return found
        stem = self.stem(word)
        found = (stem, 1.0)
        indexed = stem in self.guide_idf
        if not indexed and len(word) >= 4 and word.isalpha() and word not in self.known:
            if stem not in self.known:
                limit = 1 if len(word) <= 7 else 2
                best = process.extractOne(
                    word, self.fuzzy_vocabulary, scorer=OSA.distance, score_cutoff=limit
                )
                if best is not None:
                    found = (self.stem(best[0]), FUZZY_WEIGHT)
        if len(self._resolved) >= _MEMO_LIMIT:
            self._resolved.clear()
        self._resolved[word] = found
        return found

    def query(self, text: str) -> dict[str, float]:
        """Weighted query terms: typed words, typo corrections and concept expansions."""
        words = [t.text for t in normalise(text, self.lexicon)][:MAX_TOKENS]
        terms: dict[str, float] = {}
        seq: list[str] = []
        for word in words:
            stem, weight = self._resolve(word)
            seq.append(stem)
            if word not in self.lexicon.stopwords and stem not in self.lexicon.stopwords:
                terms[stem] = max(weight, terms.get(stem, 0.0))
        for i, first in enumerate(seq):
            for phrase, means in self.concepts.get(first, ()):
                if _follows(seq, i, phrase):
                    for term in means:
                        terms[term] = max(CONCEPT_WEIGHT, terms.get(term, 0.0))
        return terms

    def search(self, text: str, limit: int) -> list[Answer]:
        """Best guides for `text`, each with its best section."""
        terms = {t: w for t, w in self.query(text).items() if t in self.guide_idf}
        if not terms:
            return []
        ranked: list[tuple[float, int, int | None]] = []
        for pos, doc in enumerate(self.guide_docs):
            whole = _bm25(doc, terms, self.guide_idf, self.guide_avg)
            if whole <= 0:
                continue
            best, section = 0.0, None
            for part in self.section_docs[pos]:
                score = _bm25(part, terms, self.section_idf, self.section_avg)
                if score > best:
                    best, section = score, part.section_index
            ranked.append((whole + SECTION_SHARE * best, pos, section))
        ranked.sort(key=lambda r: (-r[0], r[1]))
        answers = []
        for raw, pos, section in ranked[:limit]:
            score = 1 - math.exp(-raw / SCORE_SCALE)
            guide = self.guides[pos]
            answers.append(
                Answer(guide.id, section, guide.topic, score, score >= CONFIDENT_SCORE)
            )
        return answers


def _follows(seq: Sequence[str], start: int, phrase: Sequence[str], gap: int = 2) -> bool:
    """Whether `phrase` occurs in `seq` from `start`, in order, with ≤ `gap` words between."""
    pos = start
    for word in phrase[1:]:
        window = seq[pos + 1 : pos + 2 + gap]
        if word not in window:
            return False
        pos += 1 + window.index(word)
    return True


def _merge(parts: Iterable[Mapping[str, float]]) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for part in parts:
        for term, tf in part.items():
            out[term] += tf
    return out


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 1.0


class QuestionIndex:
    """Search over every guide section, per locale; build once at start-up."""

    def __init__(self, indexes: Mapping[str, _LocaleIndex], lexicons: Mapping[str, Lexicon]):
        self._indexes = dict(indexes)
        self._lexicons = dict(lexicons)

    @classmethod
    def build(cls, content: Content) -> QuestionIndex:
        """Index all guides of `content` with the vocabulary in content/search/synonyms.yaml."""
        lexicons = load_lexicons(content.root)
        indexes = {}
        for locale, guides in content.guides.items():
            if guides and locale in lexicons:
                stemmer = Stemmer(locale)
                indexes[locale] = _LocaleIndex(list(guides.values()), lexicons[locale], stemmer)
        return cls(indexes, lexicons)

    def detect_locale(self, text: str) -> str:
        """`en` when the text has more English than Indonesian little words, else `id`."""
        english = self._lexicons.get("en")
        indonesian = self._lexicons.get("id")
        if english is None or indonesian is None:
            return "id"
        both = english.stopwords & indonesian.stopwords
        words = [t.text for t in raw_tokens(text)]
        en = sum(w in english.stopwords and w not in both for w in words)
        ind = sum(
            w in indonesian.words or (w in indonesian.stopwords and w not in both) for w in words
        )
        return "en" if en > ind else "id"

    def ask(self, text: str, locale: str = "id", limit: int = 3) -> list[Answer]:
        """Best answers first, at most `limit`, one per guide; `locale="auto"` detects English."""
        try:
            if locale == "auto":
                locale = self.detect_locale(text)
            index = self._indexes.get(locale) or self._indexes.get("id")
            if index is None or limit <= 0:
                return []
            return index.search(text, limit)
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
        "answers": [{"id": a.guide_id, "topic": a.topic, "score": round(a.score, 3)} for a in answers],
    }

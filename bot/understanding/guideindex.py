"""One locale's guides as a BM25 index over normalised, stemmed words, with typo tolerance."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.content import Guide
from bot.understanding.textnorm import Lexicon, Stemmer, normalise

# A word in a guide's title, keywords or headings says what the guide is about; the body only
# that it mentions it. So the two are scored apart and "about" counts META_WEIGHT times more.
TITLE_BOOST, KEYWORD_BOOST, HEADING_BOOST = 3.0, 1.0, 1.0
META_WEIGHT = 2.5
K1, B = 2.5, 0.5  # BM25; long guides are only mildly penalised: length is thoroughness here
SECTION_SHARE = 0.25  # how much the best section adds to its guide's score
PHRASE_BOOST = 0.5  # per idf of each word of a multi-word keyword found in the question
QUESTION_BONUS = 1.0  # per question word ("berapa") shared by the question and a heading
IMPLIED_SECTION = 0.5  # concept-implied words count this much less when picking the section
CONCEPT_GAP = 3  # other words allowed between two words of a concept phrase
INTRO_SHARE = 0.5  # sections are the answers (content/README.md); the short intro is a fallback
FUZZY_WEIGHT, CONCEPT_WEIGHT, WEAK_WEIGHT = 0.8, 0.5, 0.3  # guessed or vague words count less
SCORE_SCALE = 6.0  # raw score at which relevance reaches 1 - 1/e
# Confidence also needs the typed words to be what the guide is about: enough of them (up to
# COVERAGE_WORDS) must be in its title, keywords or headings, else the score shrinks towards
# COVERAGE_FLOOR times relevance. Both calibrated on questions vs greetings and off-topic text.
COVERAGE_WORDS, COVERAGE_FLOOR = 3, 0.3
UNANSWERED_SHARE = 0.5  # a question on a subject no guide covers keeps half its score
MAX_TOKENS = 200  # a pasted essay should not cost more than a question
_MEMO_LIMIT = 50_000


@dataclass(frozen=True)
class Ranked:
    """A guide, its best section (None: the intro) and a 0..1 score."""

    guide: Guide
    section_index: int | None
    score: float


@dataclass(frozen=True)
class _Doc:
    section_index: int | None
    tf: Mapping[str, float]
    length: float


@dataclass(frozen=True)
class _Query:
    terms: Mapping[str, float]  # stem → weight: typed, typo-corrected and concept-implied
    typed: frozenset[str]  # the topic words the person actually typed
    implied: frozenset[str]  # words only the concepts added
    asks: frozenset[str]  # question words ("berapa", "di mana")
    unanswered: bool  # mentions a subject no guide covers
    seq: Sequence[str]  # stems of the typed words in order, stop words left out


def _bm25_terms(doc: _Doc, idf: Mapping[str, float], avg: float) -> dict[str, float]:
    """Each term's BM25 score in this document, computed once when the index is built."""
    norm = K1 * (1 - B + B * doc.length / avg)
    return {term: idf[term] * tf * (K1 + 1) / (tf + norm) for term, tf in doc.tf.items() if tf}


def bm25(terms: Mapping[str, float], query: Mapping[str, float]) -> float:
    """BM25 of a weighted query against a document's precomputed term scores."""
    return sum(weight * terms[term] for term, weight in query.items() if term in terms)


def _idf(docs: Sequence[Iterable[str]]) -> dict[str, float]:
    df: dict[str, int] = defaultdict(int)
    for terms in docs:
        for term in set(terms):
            df[term] += 1
    n = len(docs)
    return {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}


def _doc(section_index: int | None, tf: Mapping[str, float]) -> _Doc:
    return _Doc(section_index, tf, sum(tf.values()))


class GuideIndex:
    """BM25 over one locale's guides: whole guides pick the topic, sections the answer."""

    def __init__(self, guides: Sequence[Guide], lexicon: Lexicon, stemmer: Stemmer) -> None:
        self.lexicon, self.stem = lexicon, stemmer
        self.guides = list(guides)
        self._surfaces: set[str] = set()
        self.meta_docs: list[_Doc] = []
        self.body_docs: list[_Doc] = []
        self.section_docs: list[list[_Doc]] = []
        self.section_asks: list[list[frozenset[str]]] = []
        for guide in self.guides:
            meta = self._fields(
                [
                    (guide.title, TITLE_BOOST),
                    *((k, KEYWORD_BOOST) for k in guide.keywords),
                    *((s.heading, HEADING_BOOST) for s in guide.sections),
                ]
            )
            body = self._fields([(guide.intro, 1.0), *((s.body, 1.0) for s in guide.sections)])
            self.meta_docs.append(_doc(None, meta))
            self.body_docs.append(_doc(None, body))
            docs = [_doc(None, self._fields([(guide.intro, 1.0)]))]
            docs += [
                _doc(s.index, self._fields([(s.heading, HEADING_BOOST), (s.body, 1.0)]))
                for s in guide.sections
            ]
            self.section_docs.append(docs)
            self.section_asks.append(
                [frozenset(), *(self._asks(s.heading) for s in guide.sections)]
            )
        flat = [d for docs in self.section_docs for d in docs]
        whole = [[*m.tf, *b.tf] for m, b in zip(self.meta_docs, self.body_docs, strict=True)]
        self.guide_idf, self.section_idf = _idf(whole), _idf([d.tf for d in flat])
        self.meta_avg = fmean(d.length for d in self.meta_docs)
        self.body_avg = fmean(d.length for d in self.body_docs)
        self.section_avg = fmean(d.length for d in flat)
        self.meta_terms = [_bm25_terms(d, self.guide_idf, self.meta_avg) for d in self.meta_docs]
        self.body_terms = [_bm25_terms(d, self.guide_idf, self.body_avg) for d in self.body_docs]
        self.section_terms = [
            [_bm25_terms(d, self.section_idf, self.section_avg) for d in docs]
            for docs in self.section_docs
        ]
        self.fuzzy_vocabulary = sorted(w for w in self._surfaces if len(w) >= 4 and w.isalpha())
        self.known = stemmer.dictionary | lexicon.stopwords | set(lexicon.words) | self._surfaces
        # Words that mark the language: typed words before any slang mapping.
        self.vocabulary = (self.known - set(lexicon.words)) | {
            w for words in lexicon.words.values() for w in words
        }
        # A concept word written as a root ("tahan") matches all its forms; an inflected one
        # ("penempatan") only itself, so it cannot collide with its root ("tempat kerja").
        self.concepts: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], float]]]
        self.concepts = defaultdict(list)
        for concept in lexicon.concepts:
            keys = tuple(_concept_key(w, self.stem(w)) for w in self._words(concept.phrase))
            stems = tuple(self.stem(w) for w in self._words(concept.means))
            weight = CONCEPT_WEIGHT if concept.weight is None else concept.weight
            self.concepts[keys[0]].append((keys, stems, weight))
        # Multi-word keywords ("denda overstay", "embassy address") are precise: a question
        # that contains one earns its guide a bonus on top of the single-word scores.
        self.phrases: list[list[tuple[str, ...]]] = []
        stop = self.lexicon.stopwords
        for guide in self.guides:
            found = {
                tuple(self.stem(w) for w in self._words([k]) if w not in stop)
                for k in guide.keywords
            }
            self.phrases.append(sorted(p for p in found if len(p) >= 2))
        self.phrase_terms = [[frozenset(p) for p in phrases] for phrases in self.phrases]
        self._resolved: dict[str, tuple[str, float]] = {}

    def _asks(self, text: str) -> frozenset[str]:
        return frozenset(w for w in self._words([text]) if w in self.lexicon.question_words)

    def _words(self, words: Iterable[str]) -> list[str]:
        return [x.text for t in words for x in normalise(t, self.lexicon)]

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
        # Only words that are neither indexed nor real words are typos worth correcting:
        # "kabar" is a word (not a typo of "kabur"), "pasport" is not.
        unknown = stem not in self.guide_idf and word not in self.known and stem not in self.known
        if unknown and len(word) >= 4 and word.isalpha():
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

    def query(self, text: str) -> _Query:
        """Weighted query terms (typed, typo-corrected, concept-implied) and the typed words."""
        words = [t.text for t in normalise(text, self.lexicon)][:MAX_TOKENS]
        terms: dict[str, float] = {}
        typed: set[str] = set()
        seq: list[str] = []
        content: list[str] = []
        for word in words:
            stem, weight = self._resolve(word)
            seq.append(stem)
            if word in self.lexicon.stopwords or stem in self.lexicon.stopwords:
                continue
            content.append(stem)
            # "2 bulan" says little about the topic; "117" (a phone number) still matches.
            if word.isdigit() or word in self.lexicon.weak or stem in self.lexicon.weak:
                weight *= WEAK_WEIGHT
            else:
                typed.add(stem)
            terms[stem] = max(weight, terms.get(stem, 0.0))
        implied: set[str] = set()
        bare = [_without_clitic(w) for w in words]
        for i, (word, stem) in enumerate(zip(bare, seq, strict=True)):
            found = self.concepts.get(stem, []) + self.concepts.get("=" + word, [])
            for phrase, means, weight in found:
                if _follows(seq, bare, i, phrase):
                    for term in means:
                        if term in self.lexicon.stopwords:
                            continue
                        if term not in terms:
                            implied.add(term)
                        terms[term] = max(weight, terms.get(term, 0.0))
        asks = frozenset(w for w in words if w in self.lexicon.question_words)
        unanswered = any(w in self.lexicon.unanswered for w in (*words, *seq))
        return _Query(terms, frozenset(typed), frozenset(implied), asks, unanswered, content)

    def _phrase_bonus(self, pos: int, query: _Query, where: Mapping[str, list[int]]) -> float:
        """Bonus for the guide's multi-word keywords found close together in the question."""
        bonus = 0.0
        present = where.keys()
        for phrase, needed in zip(self.phrases[pos], self.phrase_terms[pos], strict=True):
            if present >= needed and _near(phrase, where):
                weight = min(query.terms.get(t, 0.0) for t in phrase)
                bonus += weight * sum(self.guide_idf.get(t, 0.0) for t in phrase)
        return PHRASE_BOOST * bonus

    def search(self, text: str, limit: int) -> list[Ranked]:
        """Best guides for `text`, each with its best section."""
        query = self.query(text)
        terms = {t: w for t, w in query.terms.items() if t in self.guide_idf}
        if not terms:
            return []
        where: dict[str, list[int]] = defaultdict(list)
        for i, stem in enumerate(query.seq):
            where[stem].append(i)
        # Concepts help find the guide; the section should answer what was typed.
        typed_terms = {
            t: w * (IMPLIED_SECTION if t in query.implied else 1) for t, w in terms.items()
        }
        ranked: list[tuple[float, int, int | None]] = []
        for pos in range(len(self.guides)):
            meta = bm25(self.meta_terms[pos], terms)
            body = bm25(self.body_terms[pos], terms)
            if meta + body <= 0:
                continue
            meta += self._phrase_bonus(pos, query, where)
            best, section = 0.0, None
            parts = zip(
                self.section_docs[pos], self.section_terms[pos], self.section_asks[pos], strict=True
            )
            for part, scores, asks in parts:
                score = bm25(scores, typed_terms)
                score += QUESTION_BONUS * len(asks & query.asks)
                if part.section_index is None:
                    score *= INTRO_SHARE
                if score > best:
                    best, section = score, part.section_index
            ranked.append((META_WEIGHT * meta + body + SECTION_SHARE * best, pos, section))
        if not ranked:
            return []
        ranked.sort(key=lambda r: (-r[0], r[1]))
        # A strong match on one generic word ("gaji", "tiket pesawat murah") is not an answer:
        # the typed words must also be what the best guide is about (its title/keywords/headings).
        about = self.meta_docs[ranked[0][1]].tf
        typed = query.typed
        covered = sum(1 for t in typed if t in about) / max(1, min(len(typed), COVERAGE_WORDS))
        factor = COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * min(1.0, covered)
        if query.unanswered:
            factor *= UNANSWERED_SHARE
        return [
            Ranked(self.guides[pos], section, factor * (1 - math.exp(-raw / SCORE_SCALE)))
            for raw, pos, section in ranked[:limit]
        ]


def _without_clitic(word: str) -> str:
    """Drop a trailing "-nya" for exact-form concept words: "perusahaannya" → "perusahaan"."""
    return word[:-3] if word.endswith("nya") and len(word) > 6 else word


def _concept_key(word: str, stem: str) -> str:
    """A root matches by stem; an inflected word matches only itself (marked "=")."""
    return stem if stem == word else "=" + word


def _follows(stems: Sequence[str], words: Sequence[str], start: int, phrase: Sequence[str]) -> bool:
    """Whether `phrase` occurs from `start`, in order, with ≤ CONCEPT_GAP words between."""
    pos = start
    for key in phrase[1:]:
        for nxt in range(pos + 1, min(len(stems), pos + 2 + CONCEPT_GAP)):
            if key in (stems[nxt], "=" + words[nxt]):
                pos = nxt
                break
        else:
            return False
    return True


def _near(phrase: Sequence[str], where: Mapping[str, Sequence[int]]) -> bool:
    """Whether all words of `phrase` occur within a window one word wider than the phrase."""
    span = len(phrase)
    for start in where[phrase[0]]:
        if all(any(abs(p - start) <= span for p in where[t]) for t in phrase[1:]):
            return True
    return False

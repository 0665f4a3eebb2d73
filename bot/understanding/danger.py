"""Spot signs of immediate danger (held, beaten, sold, passport taken...) in any message."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.understanding.textnorm import Stemmer, Token, apply_words, load_lexicons, raw_tokens

DEFAULT_GAP = 2  # other words allowed between two words of a phrase
FUZZY_MIN_LENGTH = 6  # shorter words are too easily one letter away from another word
_RANGE = re.compile(r"^(\d+)\.\.(\d+)$")
_MEMO_LIMIT = 50_000


@dataclass(frozen=True)
class DangerHit:
    """What kind of danger a message shows, and the words that showed it."""

    kind: str
    quote: str


@dataclass(frozen=True)
class _Rule:
    kind: str
    words: tuple[int, ...]  # matcher ids, in order
    gap: int
    unless: tuple[tuple[int, ...], ...]
    max_words: int | None


class _Matchers:
    """Every distinct word pattern, and which of them a given message word satisfies."""

    def __init__(self, stem: Stemmer) -> None:
        self.stem = stem
        self.ids: dict[str, int] = {}
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.prefixes: list[tuple[str, int]] = []
        self.ranges: list[tuple[int, int, int]] = []
        self._memo: dict[str, frozenset[int]] = {}
        self._fuzzy_words: list[str] = []

    def add(self, pattern: str) -> int:
        """Register `a|b|pre*|lo..hi` and return its id."""
        if pattern in self.ids:
            return self.ids[pattern]
        mid = len(self.ids)
        self.ids[pattern] = mid
        for alt in pattern.split("|"):
            span = _RANGE.match(alt)
            if span:
                self.ranges.append((int(span.group(1)), int(span.group(2)), mid))
            elif alt.endswith("*"):
                self.prefixes.append((alt[:-1], mid))
            else:
                self.exact[alt].add(mid)
        return mid

    def _is_word(self, word: str) -> bool:
        return word in self.stem.dictionary or self.stem(word) in self.stem.dictionary

    def freeze(self) -> None:
        """Fix the vocabulary that typos are corrected against."""
        words = [*self.exact, *(prefix for prefix, _ in self.prefixes)]
        self._fuzzy_words = sorted({w for w in words if len(w) >= FUZZY_MIN_LENGTH})

    def of(self, word: str) -> frozenset[int]:
        """Ids of the patterns `word` matches (memoised: messages repeat words)."""
        found = self._memo.get(word)
        if found is not None:
            return found
        ids = set(self.exact.get(word, ()))
        ids.update(mid for prefix, mid in self.prefixes if word.startswith(prefix))
        if word.isdigit():
            ids.update(mid for lo, hi, mid in self.ranges if lo <= int(word) <= hi)
        elif not ids and len(word) >= FUZZY_MIN_LENGTH and not self._is_word(word):
            # A typo ("disekapp", "dipukuil") still means danger: favour recall. Real words
            # are not typos: "dibayar" is one letter from "dibakar" but means "paid".
            best = process.extractOne(word, self._fuzzy_words, scorer=OSA.distance, score_cutoff=1)
            if best is not None:
                ids.update(self.of(best[0]))  # a pattern word itself: no further fuzzing
        found = frozenset(ids)
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[word] = found
        return found


def _find(
    positions: Mapping[int, Sequence[int]], words: Sequence[int], gap: int
) -> tuple[int, int] | None:
    """First (start, end) position where `words` occur in order with ≤ `gap` words between."""

    def rest(pos: int, k: int) -> int | None:
        if k == len(words):
            return pos
        for nxt in positions.get(words[k], ()):
            if pos < nxt <= pos + gap + 1:
                end = rest(nxt, k + 1)
                if end is not None:
                    return end
        return None

    for start in positions.get(words[0], ()):
        end = rest(start, 1)
        if end is not None:
            return start, end
    return None


class DangerDetector:
    """Phrases from content/danger.yaml, matched on normalised words with typo tolerance."""

    def __init__(
        self, rules: Sequence[_Rule], matchers: _Matchers, words: Mapping[str, tuple[str, ...]]
    ) -> None:
        self._rules = list(rules)
        self._matchers = matchers
        self._words = words
        # Rules by the first word of their phrase: a message only tries the rules whose first
        # word it contains (a few of 240), still in danger.yaml's order.
        self._by_first: dict[int, list[int]] = defaultdict(list)
        for number, rule in enumerate(self._rules):
            self._by_first[rule.words[0]].append(number)

    @classmethod
    def load(cls, content_root: Path) -> DangerDetector:
        """Read content/danger.yaml (and the slang list of content/search/synonyms.yaml)."""
        lexicons = load_lexicons(content_root)
        # Indonesian first: its normal forms win where the two languages disagree.
        order = sorted(lexicons, key=lambda loc: loc != "id")
        words = _merged_words([lexicons[loc].words for loc in order])
        path = content_root / "danger.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        kinds = data.get("kinds") if isinstance(data, Mapping) else None
        if not isinstance(kinds, Mapping) or not kinds:
            raise ValueError(f"{path}: needs `kinds:` mapping a kind to its phrases")
        matchers = _Matchers(Stemmer("id"))

        def compile_phrase(phrase: str) -> tuple[int, ...]:
            parts = [w for p in str(phrase).split() for w in _pattern_words(p, words, path)]
            if not parts:
                raise ValueError(f"{path}: empty phrase `{phrase}`")
            return tuple(matchers.add(p) for p in parts)

        rules = []
        for kind, entries in kinds.items():
            for entry in entries or ():
                spec: Mapping[str, Any] = entry if isinstance(entry, Mapping) else {"phrase": entry}
                if not spec.get("phrase"):
                    raise ValueError(f"{path}: an entry of `{kind}` has no phrase")
                rules.append(
                    _Rule(
                        kind=str(kind),
                        words=compile_phrase(str(spec["phrase"])),
                        gap=int(spec.get("gap", DEFAULT_GAP)),
                        unless=tuple(compile_phrase(str(u)) for u in spec.get("unless") or ()),
                        max_words=int(spec["max_words"]) if spec.get("max_words") else None,
                    )
                )
        matchers.freeze()
        return cls(rules, matchers, words)

    def tokens(self, text: str) -> list[Token]:
        """The message's words as the phrases see them."""
        tokens = apply_words(raw_tokens(text), self._words)
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            # People often write the passive prefix apart: "di sekap", "di pukul".
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if tokens[i].text == "di" and nxt is not None and nxt.text.isalpha():
                joined = "di" + nxt.text
                if self._matchers.of(joined):
                    out.append(Token(joined, tokens[i].start, nxt.end))
                    i += 2
                    continue
            out.append(tokens[i])
            i += 1
        return out

    def check(self, text: str) -> DangerHit | None:
        """The first kind of danger (in danger.yaml's order) that `text` shows, or None."""
        tokens = self.tokens(text)
        positions: dict[int, list[int]] = defaultdict(list)
        for pos, tok in enumerate(tokens):
            for mid in self._matchers.of(tok.text):
                positions[mid].append(pos)
        candidates = sorted(n for mid in positions for n in self._by_first.get(mid, ()))
        for rule in (self._rules[n] for n in candidates):
            if rule.max_words is not None and len(tokens) > rule.max_words:
                continue
            if not _present(positions, rule.words):
                continue
            span = _find(positions, rule.words, rule.gap)
            if span is None:
                continue
            if any(_find(positions, u, DEFAULT_GAP) for u in rule.unless if _present(positions, u)):
                continue
            start, end = tokens[span[0]].start, tokens[span[1]].end
            return DangerHit(rule.kind, text[start:end])
        return None


def _present(positions: Mapping[int, Sequence[int]], words: Sequence[int]) -> bool:
    return all(mid in positions for mid in words)


def _pattern_words(part: str, words: Mapping[str, tuple[str, ...]], path: Path) -> list[str]:
    """Normalise a pattern word the way message words are normalised ("gk" → "tidak")."""
    alts = part.lower().split("|")
    if len(alts) == 1 and not alts[0].endswith("*") and not _RANGE.match(alts[0]):
        return [w for t in raw_tokens(alts[0]) for w in words.get(t.text, (t.text,))]
    out = []
    for alt in alts:
        if alt.endswith("*") or _RANGE.match(alt):
            out.append(alt)
            continue
        normal = [w for t in raw_tokens(alt) for w in words.get(t.text, (t.text,))]
        if len(normal) != 1:
            raise ValueError(f"{path}: `{alt}` in `{part}` must stay one word")
        out.append(normal[0])
    return ["|".join(out)]


def _merged_words(maps: Sequence[Mapping[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    """One slang map for all languages, the first map winning (danger has no language)."""
    merged: dict[str, tuple[str, ...]] = {}
    for words in reversed(maps):
        merged.update(words)
    # English maps "paspor" → "passport" and Indonesian the reverse: keep the first map's way.
    first = maps[0] if maps else {}
    for key, value in list(merged.items()):
        if key not in first and any(key in merged.get(w, ()) for w in value):
            del merged[key]
    # One more step so chains meet: "employer" → "boss" → "bos".
    return {k: tuple(w2 for w in v for w2 in merged.get(w, (w,))) for k, v in merged.items()}

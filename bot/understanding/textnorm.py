"""Normalise chat text (Indonesian slang, typos, English) for question search and danger check."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# Letters and digits only; apostrophes are dropped first so "can't" stays one token ("cant").
_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`´]")
# Three or more of the same letter is emphasis ("tolonggg", "kabuuur"), never spelling.
_ELONGATED = re.compile(r"([a-z])\1{2,}")
_NUMBER_THEN_UNIT = re.compile(r"^(\d+)([a-z]+)$")  # "2bln", "10hari"
_REDUPLICATED = re.compile(r"^([a-z]{2,})2$")  # "anak2", "ciri2": Indonesian plural shorthand
# Only words with one of these prefixes or suffixes can be stemmed by Sastrawi.
_ID_AFFIX = re.compile(r"^(di|ke|se|be|me|pe|te)|(kan|an|i|lah|kah|tah|pun|nya|ku|mu)$")

# Bounded memo tables: a flood of unique junk words must not grow memory without end.
_MEMO_LIMIT = 50_000


@dataclass(frozen=True)
class Token:
    """One normalised word and the span of the original text it came from."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Concept:
    """A phrase (normalised words) that implies the words in `means`, at `weight`."""

    phrase: tuple[str, ...]
    means: tuple[str, ...]
    weight: float | None  # None: the search's default concept weight


@dataclass(frozen=True)
class Lexicon:
    """One locale's search vocabulary from content/search/synonyms.yaml."""

    locale: str
    words: Mapping[str, tuple[str, ...]]
    stopwords: frozenset[str]
    weak: frozenset[str]  # words that say little about the topic ("bulan", "kamboja")
    question_words: frozenset[str]  # "berapa", "di mana": pick the section that answers that
    unanswered: frozenset[str]  # subjects no guide covers ("jenazah"): say "not sure"
    # Multi-word `words` ("tidak tahan" → "tidak kuat"), by first word, longest first.
    phrases: Mapping[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]
    concepts: tuple[Concept, ...]


def raw_tokens(text: str) -> list[Token]:
    """Lower-cased words with emphasis and shorthand undone, each with its source span."""
    plain, keep = _fold(text)
    out: list[Token] = []
    for match in _WORD.finditer(plain):
        start = keep[match.start()] if keep else match.start()
        end = keep[match.end() - 1] + 1 if keep else match.end()
        word = _ELONGATED.sub(r"\1", match.group())
        unit = _NUMBER_THEN_UNIT.match(word)
        if unit:
            out.append(Token(unit.group(1), start, end))
            out.append(Token(unit.group(2), start, end))
            continue
        redup = _REDUPLICATED.match(word)
        if redup:
            word = redup.group(1)
        # "anak-anak" arrives as two equal words; one is enough.
        if out and out[-1].text == word and not word.isdigit():
            continue
        out.append(Token(word, start, end))
    return out


def _fold(text: str) -> tuple[str, list[int] | None]:
    """Lower case without accents or apostrophes, and where each character came from."""
    if text.isascii() and not _APOSTROPHES.search(text):
        return text.lower(), None  # the common case: offsets are unchanged
    # Folding may drop or add characters ("café", "ｔｏｌｏｎｇ", "can't"), so keep a map.
    chars: list[str] = []
    keep: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKD", ch).lower():
            if not unicodedata.combining(c) and not _APOSTROPHES.match(c):
                chars.append(c)
                keep.append(i)
    return "".join(chars), keep


def apply_words(tokens: Iterable[Token], words: Mapping[str, tuple[str, ...]]) -> list[Token]:
    """Replace slang and abbreviations by their normal form (one word may become several)."""
    out: list[Token] = []
    for tok in tokens:
        replacement = words.get(tok.text)
        if replacement is None:
            out.append(tok)
        else:
            out.extend(Token(word, tok.start, tok.end) for word in replacement)
    return out


def normalise(text: str, lexicon: Lexicon) -> list[Token]:
    """Words of `text` in the normal form the guides use (before stemming)."""
    tokens = apply_words(raw_tokens(text), lexicon.words)
    if not lexicon.phrases:
        return tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        for typed, normal in lexicon.phrases.get(tokens[i].text, ()):
            if tuple(t.text for t in tokens[i : i + len(typed)]) == typed:
                start, end = tokens[i].start, tokens[i + len(typed) - 1].end
                out.extend(Token(word, start, end) for word in normal)
                i += len(typed)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(tok.text for tok in raw_tokens(phrase))


def _word_map(raw: Any, where: str) -> dict[tuple[str, ...], tuple[str, ...]]:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: `words` must map a typed word to its normal form")
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            raise ValueError(f"{where}: write `{key}` in quotes (YAML reads it as {key!r})")
        typed = _phrase_words(key)
        if not typed:
            raise ValueError(f"{where}: `{key}` has no word in it")
        out[typed] = _phrase_words("" if value is None else str(value))
    return out


def _lexicon(locale: str, raw: Any, where: str) -> Lexicon:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: `{locale}` must be a mapping")
    mapping = _word_map(raw.get("words") or {}, where)
    mapping.update(_word_map(raw.get("numbers") or {}, where))
    words = {typed[0]: normal for typed, normal in mapping.items() if len(typed) == 1}
    multi: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for typed, normal in sorted(mapping.items(), key=lambda item: -len(item[0])):
        if len(typed) > 1:
            # Phrases are matched after the one-word slang is undone: "gk tahan" = "tidak tahan".
            key = tuple(w for t in typed for w in words.get(t, (t,)))
            multi.setdefault(key[0], []).append((key, normal))
    stop, weak = _word_set(raw, "stopwords", where), _word_set(raw, "weak", where)
    asks = _word_set(raw, "question_words", where)
    unanswered = _word_set(raw, "unanswered", where)
    concepts = []
    for item in raw.get("concepts") or ():
        if not isinstance(item, Mapping) or not item.get("phrases") or not item.get("means"):
            raise ValueError(f"{where}: every concept needs `phrases` and `means`")
        means = _phrase_words(str(item["means"]))
        weight = float(item["weight"]) if item.get("weight") is not None else None
        for raw_phrase in item["phrases"]:
            phrase = _phrase_words(str(raw_phrase))
            if not phrase:
                raise ValueError(f"{where}: empty concept phrase in `{item['means']}`")
            concepts.append(Concept(phrase, means, weight))
    frozen = {first: tuple(found) for first, found in multi.items()}
    return Lexicon(locale, words, stop, weak, asks, unanswered, frozen, tuple(concepts))


def _word_set(raw: Mapping[str, Any], key: str, where: str) -> frozenset[str]:
    items = list(raw.get(key) or ())
    if any(not isinstance(item, str) for item in items):
        raise ValueError(f"{where}: quote `{key}` that YAML reads as true/false or numbers")
    return frozenset(w for item in items for w in _phrase_words(item))


def load_lexicons(content_root: Path) -> dict[str, Lexicon]:
    """Read content/search/synonyms.yaml: one Lexicon per locale."""
    path = content_root / "search" / "synonyms.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: must be a mapping of locale → vocabulary")
    return {str(loc): _lexicon(str(loc), raw, str(path)) for loc, raw in data.items()}


class Stemmer:
    """Memoised stemmer: Sastrawi for Indonesian (slow, hence the memo), suffixes for English."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._memo: dict[str, str] = {}
        self._stem: Callable[[str], str] = _english_stem
        self.dictionary: frozenset[str] = frozenset()
        if locale == "id":
            # Imported here, not at module level: nothing heavy happens at import time.
            from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

            factory = StemmerFactory()
            sastrawi = factory.create_stemmer()
            self.dictionary = frozenset(w for w in factory.get_words() if w)
            self._stem = self._slang_suffix(sastrawi.stem)

    def _slang_suffix(self, stem: Callable[[str], str]) -> Callable[[str], str]:
        """Wrap Sastrawi so Jakarta "-in" verbs meet their root: "daftarin" → "daftar"."""

        def sastrawi(word: str) -> str:
            # Sastrawi costs ~0.5 ms a word; roots and words with no Indonesian affix skip it.
            if word in self.dictionary or not _ID_AFFIX.search(word):
                return word
            return stem(word) or word

        def stem_word(word: str) -> str:
            found = sastrawi(word)
            if found not in self.dictionary and word.endswith("in") and len(word) > 5:
                root = sastrawi(word[:-2])
                if root in self.dictionary:
                    return root
            return found

        return stem_word

    def __call__(self, word: str) -> str:
        """The stem of one normalised word (digits and short words are kept as they are)."""
        found = self._memo.get(word)
        if found is None:
            found = word if len(word) < 4 or not word.isalpha() else (self._stem(word) or word)
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[word] = found
        return found


# Longest first; a light stemmer is enough to join "overstayed"/"overstaying"/"overstay".
_EN_SUFFIXES = (
    ("ations", ""),
    ("ation", ""),
    ("ments", ""),
    ("ment", ""),
    ("ings", ""),
    ("ing", ""),
    ("ers", ""),
    ("er", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("sses", "ss"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("xes", "x"),
    ("ed", ""),
    ("s", ""),
)


def _english_stem(word: str) -> str:
    stem = word
    for suffix, replacement in _EN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            stem = word[: -len(suffix)] + replacement
            # "stopped" → "stopp" → "stop": undo a doubled final consonant.
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "ls":
                stem = stem[:-1]
            break
    # A silent final e joins "fine"/"fined" and "expire"/"expired".
    return stem[:-1] if len(stem) > 3 and stem.endswith("e") else stem

"""What a question asks for (a number, hours, a cost, how); whether it is about a relative.

The vocabulary lives in content/search/asks.yaml; phrases match the words after the clean-up of
synonyms.yaml, in order, with at most PHRASE_GAP other words between neighbours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.content import ContentError
from bot.understanding.textnorm import Lexicon, normalise

PHRASE_GAP = 2
Phrase = tuple[frozenset[str], ...]  # each word: the alternatives it may be


@dataclass(frozen=True)
class Who:
    phrases: Mapping[str, tuple[Phrase, ...]]
    contacts: tuple[str, ...]


@dataclass(frozen=True)
class AskKind:
    """One kind of question: how to recognise it and what answers it."""

    name: str
    phrases: Mapping[str, tuple[Phrase, ...]]
    headings: Mapping[str, tuple[str, ...]]
    guide: str | None
    contacts: tuple[str, ...]
    who: tuple[Who, ...]
    requires: Mapping[str, frozenset[str]] = field(default_factory=dict)  # one, anywhere
    fallback: str | None = None  # the guide that answers when the search is unsure


@dataclass(frozen=True)
class Ask:
    """What the question asks for: its kind and the contacts to lead the answer with."""

    kind: str
    headings: tuple[str, ...]
    guide: str | None
    contacts: tuple[str, ...]
    fallback: str | None = None


def _phrase(text: str) -> Phrase:
    return tuple(frozenset(word.split("|")) for word in str(text).split())


def _phrases(raw: Any, where: str) -> dict[str, tuple[Phrase, ...]]:
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: phrases must map a language to a list")
    return {str(loc): tuple(_phrase(p) for p in items or ()) for loc, items in raw.items()}


def _matches(words: Sequence[str], phrase: Phrase) -> bool:
    """Whether `phrase` occurs in `words` in order, ≤ PHRASE_GAP other words between."""
    for start, word in enumerate(words):
        if not _is(word, phrase[0]):
            continue
        pos, ok = start, True
        for alternatives in phrase[1:]:
            window = range(pos + 1, min(len(words), pos + 2 + PHRASE_GAP))
            nxt = next((i for i in window if _is(words[i], alternatives)), None)
            if nxt is None:
                ok = False
                break
            pos = nxt
        if ok:
            return True
    return False


def _is(word: str, alternatives: frozenset[str]) -> bool:
    """ "alamatnya" is "alamat": a trailing -nya does not change what is asked."""
    return word in alternatives or (word.endswith("nya") and word[:-3] in alternatives)


def _any(words: Sequence[str], phrases: Sequence[Phrase]) -> bool:
    return any(_matches(words, p) for p in phrases)


class Asks:
    """Recognises the kind of a question and a relative's report."""

    def __init__(
        self,
        kinds: Sequence[AskKind],
        relatives: Mapping[str, Mapping[str, frozenset[str]]],
        lexicons: Mapping[str, Lexicon],
        family: AskKind | None = None,
        danger: Mapping[str, AskKind] | None = None,
    ) -> None:
        self.kinds, self.relatives, self.lexicons = tuple(kinds), relatives, lexicons
        self.family_guide = (family.guide if family else None) or ""
        self._family_headings = dict(family.headings) if family else {}
        self._danger: dict[str, dict[str, Ask]] = {}  # danger kind → locale → the answer
        for kind, spec in (danger or {}).items():
            self._danger[kind] = {
                loc: Ask(kind, tuple(words), spec.guide, ()) for loc, words in spec.headings.items()
            }

    @classmethod
    def load(cls, content_root: Path, lexicons: Mapping[str, Lexicon]) -> Asks:
        path = content_root / "search" / "asks.yaml"
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            kinds = [
                AskKind(
                    name=str(name),
                    phrases=_phrases(spec["phrases"], f"{path} {name}"),
                    headings={k: tuple(v) for k, v in (spec.get("headings") or {}).items()},
                    guide=spec.get("guide"),
                    contacts=tuple(spec.get("contacts") or ()),
                    who=tuple(
                        Who(_phrases(w["phrases"], f"{path} {name}"), tuple(w["contacts"]))
                        for w in spec.get("who") or ()
                    ),
                    requires={
                        str(loc): frozenset(map(str, ws))
                        for loc, ws in (spec.get("requires") or {}).items()
                    },
                    fallback=spec.get("fallback"),
                )
                for name, spec in (raw.get("kinds") or {}).items()
            ]
            relatives = {
                part: {str(loc): frozenset(map(str, ws)) for loc, ws in by_locale.items()}
                for part, by_locale in (raw.get("relatives") or {}).items()
            }
            danger = {
                str(kind): AskKind(str(kind), {}, spec["headings"], spec["guide"], (), ())
                for kind, spec in (raw.get("danger") or {}).items()
            }
        except (OSError, KeyError, TypeError, AttributeError, yaml.YAMLError) as exc:
            raise ContentError(f"{path}: {exc}") from None
        family = AskKind(
            "family", {}, raw.get("family_headings") or {}, raw.get("family_guide"), (), ()
        )
        return cls(kinds, relatives, lexicons, family, danger)

    def family_headings(self, locale: str) -> tuple[str, ...]:
        """Heading words of the family guide's section on how to report."""
        return tuple(self._family_headings.get(locale, ()))

    def for_danger(self, kind: str, locale: str) -> Ask | None:
        """The short answer a danger of this kind gets after the emergency screen."""
        return self._danger.get(kind, {}).get(locale)

    def _words(self, text: str, locale: str) -> list[str]:
        lexicon = self.lexicons.get(locale) or self.lexicons.get("id")
        return [t.text for t in normalise(text, lexicon)] if lexicon else text.lower().split()

    def ask(self, text: str, locale: str) -> Ask | None:
        """The first kind (in asks.yaml's order) whose phrases occur in the question."""
        words = self._words(text, locale)
        for kind in self.kinds:
            if not _any(words, kind.phrases.get(locale, ())):
                continue
            needed = kind.requires.get(locale)
            if needed is not None and not any(_is(w, needed) for w in words):
                continue
            contacts = kind.contacts
            for who in kind.who:
                if _any(words, who.phrases.get(locale, ())):
                    contacts = who.contacts
                    break
            headings = kind.headings.get(locale, ())
            return Ask(kind.name, headings, kind.guide, contacts, kind.fallback)
        return None

    def about_relative(self, text: str, locale: str) -> bool:
        """ "anak saya … tidak bisa dihubungi": a relative (owned) and a sign of trouble."""
        words = self._words(text, locale)
        parts = {k: v.get(locale, frozenset()) for k, v in self.relatives.items()}
        relative, owner = parts.get("relative", frozenset()), parts.get("owner", frozenset())
        owned = any(
            w in relative and bool(owner & {*words[max(0, i - 1) : i], *words[i + 1 : i + 2]})
            for i, w in enumerate(words)
        )
        return owned and any(w in parts.get("trouble", frozenset()) for w in words)

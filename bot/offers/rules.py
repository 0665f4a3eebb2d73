"""The offer checker's rules as written in content/offers/red_flags.yaml, read and validated."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.config import LOCALES
from bot.offers.text import PayCheck

_ID = r"[a-z][a-z0-9_]*"


class OfferRulesError(ValueError):
    """red_flags.yaml is malformed; `problems` holds one `file: problem` line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class FlagSource:
    title: str
    url: str | None  # None where FACTS.md gives no url
    facts: str  # the FACTS.md section, e.g. "§3.1"


@dataclass(frozen=True)
class RedFlag:
    """A red flag (legit=False) or a legitimate signal (legit=True), as written in the YAML."""

    id: str
    weight: float
    title: Mapping[str, str]
    explanation: Mapping[str, str]
    source: FlagSource
    legit: bool


@dataclass(frozen=True)
class FlagHit:
    flag: RedFlag
    quote: str  # the user's own words that triggered the flag, a substring of the input


@dataclass(frozen=True)
class AdShape:
    """What makes a pasted text a job ad rather than a question (the `ad:` block)."""

    markers: re.Pattern[str] | None
    min_markers: int
    min_signs: int
    signs_alone: int
    min_chars: int


@dataclass(frozen=True)
class Rule:
    flag: RedFlag
    matcher: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    window: int
    negatable: bool
    supporting: bool
    escalates: bool
    suppressed_by: frozenset[str]
    salary: PayCheck | None


class RulesReader:
    """Reads the YAML into rules, collecting every problem instead of stopping at the first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def fail(self, where: str, problem: str) -> None:
        self.problems.append(f"{self.path} [{where}]: {problem}")

    def number(self, raw: Any, where: str, default: int) -> int:
        try:
            return int(raw if raw is not None else default)
        except (TypeError, ValueError):
            self.fail(where, f"{raw!r} is not a whole number")
            return default

    def regex(self, raw: Any, where: str, optional: bool = False) -> re.Pattern[str] | None:
        items = [raw] if isinstance(raw, str) else list(raw or [])
        if not items or not all(isinstance(p, str) and p for p in items):
            if not (optional and not items):
                self.fail(where, "needs patterns: non-empty strings")
            return None
        for item in items:
            try:
                re.compile(item)
            except re.error as exc:
                self.fail(where, f"bad pattern {item!r}: {exc}")
                return None
            if "(?P<" in item:
                self.fail(where, f"no named groups please: {item!r}")
            # The text is lower-cased before matching, so an upper-case letter (outside an
            # escape such as \S or \W) could never match; IGNORECASE would cost 2x the time.
            if re.sub(r"\\.", "", item) != re.sub(r"\\.", "", item).lower():
                self.fail(where, f"write patterns in lower case: {item!r}")
        return re.compile("|".join(f"(?:{p})" for p in items))

    def text(self, raw: Any, key: str, where: str) -> Mapping[str, str]:
        if not isinstance(raw, Mapping) or not all(
            isinstance(raw.get(loc), str) and raw[loc].strip() for loc in LOCALES
        ):
            self.fail(where, f"`{key}` needs non-empty id and en")
            return {loc: "" for loc in LOCALES}
        return {loc: raw[loc].strip() for loc in LOCALES}

    def source(self, raw: Any, where: str) -> FlagSource:
        if not isinstance(raw, Mapping) or not raw.get("title") or not raw.get("facts"):
            self.fail(where, "`source` needs a title and the FACTS.md section (`facts`)")
            return FlagSource("", None, "")
        url = raw.get("url")
        if url is not None and not str(url).startswith(("http://", "https://")):
            self.fail(where, "`source.url` must start with http:// or https://")
        return FlagSource(str(raw["title"]), str(url) if url else None, str(raw["facts"]))

    def ad(self, raw: Any) -> AdShape:
        if not isinstance(raw, Mapping):
            self.fail("ad", "needs an `ad:` block (markers, min_markers, min_signs, ...)")
            raw = {}
        return AdShape(
            markers=self.regex(raw.get("markers"), "ad.markers"),
            min_markers=self.number(raw.get("min_markers"), "ad.min_markers", 2),
            min_signs=self.number(raw.get("min_signs"), "ad.min_signs", 3),
            signs_alone=self.number(raw.get("signs_alone"), "ad.signs_alone", 4),
            min_chars=self.number(raw.get("min_chars"), "ad.min_chars", 80),
        )

    def scoring(self, data: Mapping[str, Any]) -> tuple[float, float, frozenset[str], int]:
        try:
            medium, high = float(data["scoring"]["medium"]), float(data["scoring"]["high"])
            words = frozenset(str(w).lower() for w in data["negation"]["words"])
            window = int(data["negation"]["window"])
        except (KeyError, TypeError, ValueError):
            medium, high, words, window = 0.0, 0.0, frozenset(), 0
        if not 0 < medium < high < 1 or not words or window < 1:
            self.fail("scoring", "need 0 < scoring.medium < high < 1, negation words, window >= 1")
        return medium, high, words, window

    def rule(self, raw: Any, default_window: int, seen: set[str]) -> Rule | None:
        if not isinstance(raw, Mapping):
            self.fail("rules", "each rule must be a mapping")
            return None
        rule_id = str(raw.get("id", ""))
        if not re.fullmatch(_ID, rule_id) or rule_id in seen:
            self.fail(rule_id or "?", "id must be unique lower_snake_case")
        seen.add(rule_id)
        weight = raw.get("weight")
        if not isinstance(weight, int | float) or not 0.05 <= weight <= 0.95:
            self.fail(rule_id, "weight must be a number from 0.05 to 0.95")
            weight = 0.05
        kind = raw.get("kind")
        if kind not in (None, "salary"):
            self.fail(rule_id, f"unknown kind {kind!r} (known: salary)")
        flag = RedFlag(
            id=rule_id,
            weight=float(weight),
            title=self.text(raw.get("title"), "title", rule_id),
            explanation=self.text(raw.get("explanation"), "explanation", rule_id),
            source=self.source(raw.get("source"), rule_id),
            legit=bool(raw.get("legit", False)),
        )
        return Rule(
            flag=flag,
            # A computed `kind` may stand without patterns; every other rule needs some.
            matcher=self.regex(raw.get("patterns"), rule_id, optional=kind is not None),
            exclude=self.regex(raw.get("exclude"), f"{rule_id}.exclude", optional=True),
            window=self.number(raw.get("window"), rule_id, default_window),
            negatable=bool(raw.get("negatable", False)),
            supporting=bool(raw.get("supporting", False)),
            escalates=bool(raw.get("escalates", False)),
            suppressed_by=frozenset(str(s) for s in list(raw.get("suppressed_by") or ())),
            salary=PayCheck.read(raw.get("salary"), f"{rule_id}.salary", self.regex, self.fail)
            if kind
            else None,
        )

"""Job-offer red-flag analysis: rules from content/offers/red_flags.yaml, verdicts in ms."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.config import LOCALES
from bot.offers.text import MoneyParser, Normaliser, NormalText, PayCheck

Risk = Literal["high", "medium", "low"]
RULES_PATH = Path("offers") / "red_flags.yaml"
MAX_CHARS = 20_000  # Telegram caps a message at 4,096; this bounds the CLI's stdin as well
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
class OfferVerdict:
    risk: Risk
    score: float
    hits: tuple[FlagHit, ...]
    signals: tuple[FlagHit, ...]

    def to_json(self, locale: str = "id") -> dict[str, Any]:
        """The `check-offer` contract: {"risk", "score", "flags": [{"id", "title"}]}."""
        return {
            "risk": self.risk,
            "score": round(self.score, 2),
            "flags": [
                {"id": h.flag.id, "title": h.flag.title.get(locale) or h.flag.title["id"]}
                for h in self.hits
            ],
        }


@dataclass(frozen=True)
class _Rule:
    flag: RedFlag
    matcher: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    window: int
    negatable: bool
    supporting: bool
    escalates: bool
    suppressed_by: frozenset[str]
    salary: PayCheck | None


class _Reader:
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

    def rule(self, raw: Any, default_window: int, seen: set[str]) -> _Rule | None:
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
        return _Rule(
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


def _noisy_or(weights: Iterable[float]) -> float:
    """Chance that at least one independent piece of evidence is right."""
    return 1.0 - math.prod(1.0 - w for w in weights)


class OfferChecker:
    """Scores a job-offer text against the red flags and legitimate signals in content/."""

    def __init__(
        self,
        rules: tuple[_Rule, ...],
        normaliser: Normaliser,
        scoring: tuple[float, float, frozenset[str], int],
    ) -> None:
        self._rules = rules
        self._normaliser = normaliser
        self._money = MoneyParser()
        self._medium, self._high, self._negators, self._negation_window = scoring

    @property
    def flags(self) -> tuple[RedFlag, ...]:
        """Every red flag and signal, in file order."""
        return tuple(r.flag for r in self._rules)

    def normalise(self, text: str) -> str:
        """The text as the patterns see it: for editors writing rules, and for tests."""
        return self._normaliser.normalise(text).text

    @classmethod
    def load(cls, content_root: Path) -> OfferChecker:
        """Read and validate offers/red_flags.yaml once; raises OfferRulesError listing problems."""
        path = content_root / RULES_PATH
        reader = _Reader(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise OfferRulesError([f"{path}: cannot read ({exc})"]) from None
        if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
            raise OfferRulesError([f"{path}: needs a `rules:` list"])
        scoring = reader.scoring(data)
        slang, suffixes = data.get("slang") or {}, data.get("suffixes") or []
        if not isinstance(slang, Mapping) or not all(isinstance(v, str) for v in slang.values()):
            reader.fail("slang", "must map words to replacements")
            slang = {}
        seen: set[str] = set()
        default_window = reader.number(data.get("exclude_window"), "exclude_window", 40)
        rules = [r for r in (reader.rule(raw, default_window, seen) for raw in data["rules"]) if r]
        red_ids = {r.flag.id for r in rules if not r.flag.legit}
        for rule in rules:
            if unknown := sorted(rule.suppressed_by - red_ids):
                reader.fail(rule.flag.id, f"suppressed_by names unknown red flags {unknown}")
        if reader.problems:
            raise OfferRulesError(reader.problems)
        normaliser = Normaliser({str(k): v for k, v in slang.items()}, tuple(map(str, suffixes)))
        return cls(tuple(rules), normaliser, scoring)

    def check(self, text: str) -> OfferVerdict:
        """Score one offer; pure and fast, never raises on any string."""
        if not isinstance(text, str):
            text = ""
        norm = self._normaliser.normalise(text[:MAX_CHARS])
        amounts = self._money.find(norm.text)
        found: list[tuple[_Rule, FlagHit]] = []
        for rule in self._rules:
            pay = rule.salary.too_good(norm.text, amounts) if rule.salary else None
            hit = FlagHit(rule.flag, norm.quote(*pay)) if pay else self._pattern_hit(rule, norm)
            if hit:
                found.append((rule, hit))
        red = [(r, h) for r, h in found if not r.flag.legit]
        red_ids = {r.flag.id for r, _ in red}
        signals = [(r, h) for r, h in found if r.flag.legit and not r.suppressed_by & red_ids]
        risk = _noisy_or(r.flag.weight for r, _ in red)
        score = risk * (1.0 - _noisy_or(r.flag.weight for r, _ in signals))
        if red and all(r.supporting for r, _ in red):
            # Flags common in honest ads (a job title, "hubungi via WhatsApp") never stand alone.
            score = min(score, self._medium - 0.01)
        level: Risk = "low"
        # The epsilon keeps a weight equal to a threshold (0.40 alone) on the documented side.
        if score >= self._high - 1e-9 and any(r.escalates for r, _ in red):
            level = "high"
        elif score >= self._medium - 1e-9:
            level = "medium"
        by_weight = sorted(red, key=lambda pair: -pair[0].flag.weight)
        return OfferVerdict(
            risk=level,
            score=max(0.0, min(1.0, score)),
            hits=tuple(h for _, h in by_weight),
            signals=tuple(h for _, h in signals),
        )

    def _negated(self, norm: NormalText, start: int, end: int) -> bool:
        # "tanpa pengalaman, biaya pendaftaran 300rb": a negator never reaches past a comma.
        clause = norm.text[max(norm.clause_start(start), start - 60) : start]
        before = clause.split()[-self._negation_window :]
        # "tiket TIDAK ditanggung": a negator inside the match counts too, except as its first
        # word, where the pattern put it on purpose ("tanpa visa kerja").
        inside = norm.text[start:end].split()[1:]
        return not self._negators.isdisjoint(before + inside)

    def _pattern_hit(self, rule: _Rule, norm: NormalText) -> FlagHit | None:
        if rule.matcher is None:
            return None
        text, position = norm.text, 0
        while match := rule.matcher.search(text, position):
            start, end = match.span()
            window = (max(0, start - rule.window), min(len(text), end + rule.window))
            if end > start and not (
                (rule.negatable and self._negated(norm, start, end))
                or (rule.exclude and rule.exclude.search(text, *window))
            ):
                return FlagHit(rule.flag, norm.quote(start, end))
            # A rejected match may hide an overlapping one ("pakai visa turis" in
            # "berangkat bukan pakai visa turis"), so look again one character on.
            position = start + 1
        return None

"""Job-offer red-flag analysis: rules from content/offers/red_flags.yaml, verdicts in ms."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.offers.rules import AdShape, FlagHit, OfferRulesError, RedFlag, Rule, RulesReader
from bot.offers.text import MoneyParser, Normaliser, NormalText

Risk = Literal["high", "medium", "low"]
RULES_PATH = Path("offers") / "red_flags.yaml"
MAX_CHARS = 20_000  # Telegram caps a message at 4,096; this bounds the CLI's stdin as well
CAMBODIA_RULES = frozenset({"destination_cambodia", "scam_hotspot"})
PLACEMENT_RULE = "legit_placement_country"


@dataclass(frozen=True)
class OfferVerdict:
    risk: Risk
    score: float
    hits: tuple[FlagHit, ...]
    signals: tuple[FlagHit, ...]
    matched: frozenset[str] = frozenset()  # every rule that matched, suppressed signals too

    def destination(self) -> Literal["cambodia", "elsewhere", "unknown"]:
        """Where the job is, as far as the text says: the advice depends on it."""
        if self.matched & CAMBODIA_RULES:
            return "cambodia"
        if PLACEMENT_RULE in self.matched:
            return "elsewhere"
        return "unknown"

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


def _noisy_or(weights: Iterable[float]) -> float:
    """Chance that at least one independent piece of evidence is right."""
    return 1.0 - math.prod(1.0 - w for w in weights)


class OfferChecker:
    """Scores a job-offer text against the red flags and legitimate signals in content/."""

    def __init__(
        self,
        rules: tuple[Rule, ...],
        normaliser: Normaliser,
        scoring: tuple[float, float, frozenset[str], int],
        ad: AdShape,
    ) -> None:
        self._rules = rules
        self._ad = ad
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
        reader = RulesReader(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise OfferRulesError([f"{path}: cannot read ({exc})"]) from None
        if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
            raise OfferRulesError([f"{path}: needs a `rules:` list"])
        scoring = reader.scoring(data)
        ad = reader.ad(data.get("ad"))
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
        return cls(tuple(rules), normaliser, scoring, ad)

    def check(self, text: str) -> OfferVerdict:
        """Score one offer; pure and fast, never raises on any string."""
        return self._verdict(self._normal(text))

    def _normal(self, text: str) -> NormalText:
        return self._normaliser.normalise(text[:MAX_CHARS] if isinstance(text, str) else "")

    def _verdict(self, norm: NormalText) -> OfferVerdict:
        amounts = self._money.find(norm.text)
        found: list[tuple[Rule, FlagHit]] = []
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
            matched=frozenset(r.flag.id for r, _ in found),
        )

    def as_ad(self, text: str) -> OfferVerdict | None:
        """The verdict of a job ad pasted without /cek, or None for a question: an ad is long
        enough and has several of the checker's signs at once (with some of an ad's wording, or
        so many signs that the wording does not matter).

        A question about jobs ("legal gk kerja di kamboja?") or a relative's worry names one or
        two signs, so it still gets an answer, not a verdict.
        """
        shape = self._ad
        if not isinstance(text, str) or len(text) < shape.min_chars or shape.markers is None:
            return None
        norm = self._normal(text)
        verdict = self._verdict(norm)
        signs = len(verdict.matched - {"abroad_unspecified"})
        if signs >= shape.signs_alone:
            return verdict
        if signs < shape.min_signs:
            return None
        markers = {m.group(0) for m in shape.markers.finditer(norm.text)}
        return verdict if len(markers) >= shape.min_markers else None

    def _negated(self, norm: NormalText, start: int, end: int) -> bool:
        # "tanpa pengalaman, biaya pendaftaran 300rb": a negator never reaches past a comma.
        clause = norm.text[max(norm.clause_start(start), start - 60) : start]
        before = clause.split()[-self._negation_window :]
        # "tiket TIDAK ditanggung": a negator inside the match counts too, except as its first
        # word, where the pattern put it on purpose ("tanpa visa kerja").
        inside = norm.text[start:end].split()[1:]
        return not self._negators.isdisjoint(before + inside)

    def _pattern_hit(self, rule: Rule, norm: NormalText) -> FlagHit | None:
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

"""Small, sourced computations for answers: "overstay 2 bulan" → 60 days × USD 10."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content import ContentError, Source

_UNITS = {
    "hari": 1, "day": 1, "days": 1, "hr": 1, "dino": 1,
    "minggu": 7, "mgg": 7, "pekan": 7, "week": 7, "weeks": 7,
    "bulan": 30, "bln": 30, "bl": 30, "month": 30, "months": 30, "sasi": 30, "wulan": 30,
    "tahun": 365, "thn": 365, "th": 365, "year": 365, "years": 365, "taun": 365,
}  # fmt: skip
_WORDS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1,
    "siji": 1, "rong": 2, "loro": 2, "telu": 3, "papat": 4, "limo": 5,
}  # fmt: skip
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_AMOUNT = "|".join([r"\d{1,4}(?:[.,]5)?", *_WORDS])
_HALF = r"(?:setengah|½|half(?:\s+an?)?)"
_TERM = re.compile(
    rf"\b(?:(?P<num>{_AMOUNT})\s*(?P<half>setengah\s+|and\s+a\s+half\s+)?(?P<unit>{_UNIT})"
    rf"|se(?P<seunit>{_UNIT})|{_HALF}\s+(?P<hunit>{_UNIT}))"
    r"(?P<trail>\s+(?:setengah|lebih\s+sedikit|and\s+a\s+half))?\b",
    re.IGNORECASE,
)
# Between two parts of one duration ("2 bulan 10 hari", "1 month and 5 days").
_JOIN = re.compile(r"^[\s,+]*(?:(?:dan|and|lebih|plus)\s*)?$", re.IGNORECASE)
MAX_DAYS = 3650


@dataclass(frozen=True)
class Duration:
    """A duration as a person wrote it, in days, and whether months or years were counted."""

    days: int
    calendar: bool  # months counted as 30 days, years as 365: the estimate says so


def _term_days(match: re.Match[str]) -> float:
    unit = match.group("unit") or match.group("seunit") or match.group("hunit")
    size = _UNITS[unit.lower()]
    if match.group("hunit"):
        amount = 0.5
    elif match.group("seunit"):
        amount = 1.0
    else:
        raw = match.group("num").lower()
        amount = float(raw.replace(",", ".")) if raw[0].isdigit() else float(_WORDS[raw])
        amount += 0.5 if match.group("half") else 0.0
    trail = (match.group("trail") or "").lower()
    if "setengah" in trail or "half" in trail:
        amount += 0.5
    return amount * size


def parse_duration(text: str) -> Duration | None:
    """The first duration a text names: "sebulan setengah" 45 days, "2 bln 10 hari" 70."""
    total, calendar, end = 0.0, False, -1
    for match in _TERM.finditer(text):
        if end >= 0 and not _JOIN.match(text[end : match.start()]):
            break
        total += _term_days(match)
        unit = (match.group("unit") or match.group("seunit") or match.group("hunit")).lower()
        calendar = calendar or _UNITS[unit] >= 30
        end = match.end()
    days = round(total)
    return Duration(days, calendar) if 0 < days <= MAX_DAYS else None


def duration_days(text: str) -> int | None:
    """The first duration a text names, in days ("2 bulan" 60, "seminggu" 7, "10 days" 10)."""
    found = parse_duration(text)
    return None if found is None else found.days


@dataclass(frozen=True)
class FineRate:
    per_day: float
    currency: str
    topic: str
    source: Source

    def estimate(self, text: str) -> tuple[int, float] | None:
        """(days, total) when the text names a duration."""
        days = duration_days(text)
        return None if days is None else (days, days * self.per_day)


def load_fine_rate(content_dir: Path) -> FineRate:
    """content/estimates.yaml's overstay fine."""
    path = content_dir / "estimates.yaml"
    try:
        raw = (yaml.safe_load(path.read_text(encoding="utf-8")) or {})["overstay_fine"]
        source = Source(str(raw["source"]["title"]), str(raw["source"].get("url") or ""))
        return FineRate(float(raw["per_day"]), str(raw["currency"]), str(raw["topic"]), source)
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise ContentError(
            f"{path}: overstay_fine needs per_day, currency, topic, source ({exc})"
        ) from None

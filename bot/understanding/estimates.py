"""Small, sourced computations for answers: "overstay 2 bulan" → 60 days × USD 10."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content import ContentError, Source

_UNITS = {
    "hari": 1, "day": 1, "days": 1, "hr": 1,
    "minggu": 7, "mgg": 7, "pekan": 7, "week": 7, "weeks": 7,
    "bulan": 30, "bln": 30, "bl": 30, "month": 30, "months": 30,
    "tahun": 365, "thn": 365, "th": 365, "year": 365, "years": 365,
}  # fmt: skip
_WORDS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1,
}  # fmt: skip
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_AMOUNT = "|".join([r"\d{1,4}", *_WORDS])
_DURATION = re.compile(rf"\b(?:({_AMOUNT})\s*({_UNIT})|se({_UNIT}))\b", re.IGNORECASE)
MAX_DAYS = 3650


def duration_days(text: str) -> int | None:
    """The first duration a text names, in days ("2 bulan" 60, "seminggu" 7, "10 days" 10)."""
    match = _DURATION.search(text)
    if match is None:
        return None
    if match.group(3):  # "sebulan", "seminggu": one of the unit
        return _UNITS[match.group(3).lower()]
    amount = match.group(1).lower()
    number = int(amount) if amount.isdigit() else _WORDS[amount]
    days = number * _UNITS[match.group(2).lower()]
    return days if 0 < days <= MAX_DAYS else None


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

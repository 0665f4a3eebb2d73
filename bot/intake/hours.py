"""Safe hours as people type them: "22-02", "22.00–02.00", "10pm-2am", "jam 11 malam - jam 2".

Hours are whole (Phnom Penh time) and may cross midnight: (23, 2) means 23:00 until 02:00.
A range typed with minutes is narrowed to whole hours inside it (22.30 starts at 23:00), so a
message never arrives before the person said it was safe.
"""

from __future__ import annotations

import re

# "sampai", "s/d", "hingga", "to", "until"… all mean the range's dash.
_BETWEEN = re.compile(
    r"\s*(?:[-–—−~]|\bs\.?/?d\.?\b|\bsampai\b|\bsmp\b|\bhingga\b|\bke\b|\bto\b|\buntil\b|\btill\b)\s*"
)
_TIME = re.compile(
    r"(?<!\d)(\d{1,2})(?:[.:](\d{2}))?\s*"
    r"(a\.?m\.?|p\.?m\.?|pagi|siang|sore|petang|malam|subuh|dini hari)?(?![\w])"
)
_FILLER = re.compile(r"\b(?:jam|pukul|pkl|from|dari|antara|between|wib|ict)\b\.?")


def _hour(number: int, period: str | None) -> int | None:
    """24-hour clock hour of "11 malam", "2 am", "14"; None if it is no hour at all."""
    if number > 24:
        return None
    period = (period or "").replace(".", "")
    if period in ("am", "pagi", "subuh", "dini hari"):
        return 0 if number == 12 else number if number <= 12 else None
    if period in ("pm", "sore", "petang"):
        return 12 if number == 12 else number + 12 if number < 12 else None
    if period == "siang":
        return number + 12 if number <= 5 else number
    if period == "malam":  # "jam 11 malam" is 23:00; "jam 2 malam" is 02:00; "12 malam" midnight
        if number == 12:
            return 0
        return number + 12 if 6 <= number <= 11 else number
    return number % 24


def parse_hours(text: str) -> tuple[int, int] | None:
    """(start, end) whole hours of a typed range, end exclusive, possibly across midnight."""
    cleaned = _FILLER.sub(" ", text.lower())
    parts = [p for p in _BETWEEN.split(cleaned.strip(" .")) if p.strip()]
    if len(parts) != 2:
        return None
    found = []
    for part in parts:
        match = _TIME.fullmatch(part.strip())
        if match is None:
            return None
        minutes = int(match.group(2) or 0)
        hour = _hour(int(match.group(1)), match.group(3))
        if hour is None or minutes > 59:
            return None
        found.append((hour, minutes))
    (start, start_min), (end, _) = found
    if start_min:  # 22.30 → safe from 23:00; the end's minutes are left out (02.30 → 02:00)
        start = (start + 1) % 24
    if start == end:
        return None
    return start, end


def hours_value(hours: tuple[int, int]) -> str:
    """The stored answer "23-2" (also a button's value)."""
    return f"{hours[0]}-{hours[1]}"


def safe_hours(value: str | None) -> tuple[int, int] | None:
    """'18-21' or '23-2' → (18, 21) or (23, 2); None when not set or malformed."""
    if not value or "-" not in value:
        return None
    start, _, end = value.partition("-")
    if not (start.isdigit() and end.isdigit()) or int(start) > 24 or int(end) > 24:
        return None
    hours = int(start) % 24, int(end) % 24
    return hours if hours[0] != hours[1] else None


def clock(hour: int) -> str:
    """23 → '23:00'."""
    return f"{hour:02d}:00"

"""Times as stored: UTC ISO-8601 text with milliseconds and 'Z', so they sort as text."""

from __future__ import annotations

from datetime import UTC, datetime


def format_utc(moment: datetime) -> str:
    """The one stored form of a time: UTC, ISO-8601, milliseconds, 'Z' (sorts as text)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one, e.g. datetime.now(UTC)")
    utc = moment.astimezone(UTC)
    # Milliseconds, because that is what SQLite's strftime('%f') writes: stamps made in SQL
    # and in Python then compare correctly as text.
    # isoformat truncates to milliseconds like `microsecond // 1000` (and is 5x faster than
    # strftime); the offset of a UTC time is always "+00:00".
    return utc.isoformat(timespec="milliseconds")[:-6] + "Z"


def parse_utc(text: str) -> datetime:
    """A stored time back as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)


def parse_utc_or_none(text: str | None) -> datetime | None:
    """Like parse_utc, for nullable columns."""
    return None if text is None else parse_utc(text)


def stamp(moment: datetime | None = None) -> str:
    """`moment` (default: now) in the stored form."""
    return format_utc(moment if moment is not None else datetime.now(UTC))

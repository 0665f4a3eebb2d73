"""Officers' numbers: /statistik counts and medians, /ekspor rows (redacted by default)."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.storage.db import Database
from bot.storage.models import CaseStats
from bot.storage.timestamps import stamp

_IN_PERIOD = "created_at >= :since AND created_at < :until"

# Median of `minutes` over the period, in SQL: the middle row, or the mean of the two middle
# (LIMIT/OFFSET on the sorted rows; about twice as fast as numbering them with a window).
_MEDIAN = f"""
WITH d AS (
    SELECT (julianday({{end}}) - julianday(created_at)) * 1440.0 AS minutes
    FROM cases WHERE {_IN_PERIOD} AND {{end}} IS NOT NULL AND {{extra}}
), counted AS (SELECT COUNT(*) AS n FROM d)
SELECT AVG(minutes) FROM (
    SELECT minutes FROM d ORDER BY minutes
    LIMIT 2 - (SELECT n FROM counted) % 2 OFFSET ((SELECT n FROM counted) - 1) / 2
)
"""
# A case erased while open was closed by the erasure, not by an officer: not a time to close.
_MEDIAN_TO_CLOSE = _MEDIAN.format(end="closed_at", extra="closed_at IS NOT erased_at")
_MEDIAN_TO_REPLY = _MEDIAN.format(end="first_reply_at", extra="1")

# 7 to 15 digits, possibly spaced, dotted, dashed or bracketed, optionally after '+'.
_PHONE = re.compile(r"(?<![\w+])\+?\d(?:[ ().\-]{0,2}\d){6,14}(?!\w)")
_NOT_A_PHONE = (
    re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$"),  # a date, 15-01-2024
    re.compile(r"^\d{4}[./-]\d{1,2}[./-]\d{1,2}$"),  # a date, 2024-01-15
    re.compile(r"^[1-9]\d{0,2}(?:[.,]\d{3})+$"),  # an amount, 1.500.000
)
_REDACTED_OUT = ("exact_lat", "exact_lon", "relative_passport_no")
_FREE_TEXT = (
    "location_text", "description", "referred_to", "relative_name", "relative_relationship",
    "relative_last_contact", "relative_last_place",
)  # fmt: skip
EXPORT_COLUMNS = (
    "ref", "created_at", "kind", "category", "urgent", "status", "locale", "location_text",
    "exact_lat", "exact_lon", "safe_to_talk", "contact_policy", "description",
    "relative_name", "relative_relationship", "relative_last_contact", "relative_last_place",
    "relative_passport_no", "claimed_by", "claimed_at", "first_reply_at", "referred_to",
    "closed_at", "linked_ref", "erased_at",
)  # fmt: skip


def export_columns(redact: bool = True) -> tuple[str, ...]:
    """The CSV header for export_rows: redacted exports have no exact location or passport."""
    return tuple(c for c in EXPORT_COLUMNS if not (redact and c in _REDACTED_OUT))


def mask_phone_numbers(text: str) -> str:
    """Replace all but the last two digits of anything that looks like a phone number."""

    def mask(match: re.Match[str]) -> str:
        found = match.group()
        if any(pattern.match(found) for pattern in _NOT_A_PHONE):
            return found
        digits = sum(ch.isdigit() for ch in found)
        seen = 0
        masked = []
        for ch in found:
            if ch.isdigit():
                seen += 1
                masked.append(ch if seen > digits - 2 else "*")
            else:
                masked.append(ch)
        return "".join(masked)

    return _PHONE.sub(mask, text)


@dataclass(frozen=True)
class DailyCount:
    """How many cases of one category were created on one (local) day."""

    day: date
    category: str
    count: int


class ReportRepository:
    """Read-only views over cases created in [since, until)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def stats(self, since: datetime, until: datetime) -> CaseStats:
        """Counts by status and category, and medians to first reply and to close (minutes)."""
        period = {"since": stamp(since), "until": stamp(until)}
        by_status = await self._db.fetchall(
            f"SELECT status, COUNT(*) FROM cases WHERE {_IN_PERIOD} GROUP BY status", period
        )
        by_category = await self._db.fetchall(
            f"SELECT category, COUNT(*) FROM cases WHERE {_IN_PERIOD} GROUP BY category", period
        )
        urgent = await self._db.scalar(
            f"SELECT COUNT(*) FROM cases WHERE {_IN_PERIOD} AND urgent = 1", period
        )
        to_reply = await self._db.scalar(_MEDIAN_TO_REPLY, period)
        to_close = await self._db.scalar(_MEDIAN_TO_CLOSE, period)
        return CaseStats(
            total=sum(row[1] for row in by_status),
            urgent=int(urgent),
            by_status={row[0]: row[1] for row in by_status},
            by_category={row[0]: row[1] for row in by_category},
            median_minutes_to_first_reply=None if to_reply is None else round(to_reply, 2),
            median_minutes_to_close=None if to_close is None else round(to_close, 2),
        )

    async def export_rows(
        self, since: datetime, until: datetime, *, redact: bool = True
    ) -> list[dict[str, Any]]:
        """One dict per case (keys: export_columns(redact)), oldest first."""
        rows = await self._db.fetchall(
            "SELECT c.*, l.ref AS linked_ref FROM cases AS c "
            "LEFT JOIN cases AS l ON l.id = c.linked_case_id "
            "WHERE c.created_at >= :since AND c.created_at < :until ORDER BY c.created_at, c.id",
            {"since": stamp(since), "until": stamp(until)},
        )
        columns = export_columns(redact)
        result = []
        for row in rows:
            record = dict(row)
            relative = json.loads(record.pop("relative_json") or "{}")
            for field in ("name", "relationship", "last_contact", "last_place", "passport_no"):
                record[f"relative_{field}"] = relative.get(field)
            record["urgent"] = bool(record["urgent"])
            if record["safe_to_talk"] is not None:
                record["safe_to_talk"] = bool(record["safe_to_talk"])
            if redact:
                for key in _FREE_TEXT:
                    if record[key] is not None:
                        record[key] = mask_phone_numbers(record[key])
            result.append({c: record[c] for c in columns})
        return result

    async def daily_counts(
        self, since: datetime, until: datetime, utc_offset_minutes: int
    ) -> list[DailyCount]:
        """Cases created per local day (UTC shifted by the offset) and category, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT date(created_at, :shift) AS day, category, COUNT(*) AS n FROM cases "
            f"WHERE {_IN_PERIOD} GROUP BY day, category ORDER BY day, category",
            {
                "since": stamp(since),
                "until": stamp(until),
                "shift": f"{utc_offset_minutes:+d} minutes",
            },
        )
        return [DailyCount(date.fromisoformat(row[0]), row[1], int(row[2])) for row in rows]

    async def unclaimed_since(self, created_before: datetime) -> int:
        """Open cases nobody claimed that were created before `created_before` (now - 1 h)."""
        return int(
            await self._db.scalar(
                "SELECT COUNT(*) FROM cases WHERE status <> 'selesai' AND claimed_by IS NULL "
                "AND erased_at IS NULL AND created_at <= ?",
                (stamp(created_before),),
            )
        )


def rows_to_csv(rows: list[dict[str, Any]]) -> str:
    """export_rows as CSV text, header first (just "ref" when there are no rows)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["ref"])
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()

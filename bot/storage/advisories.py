"""Advisories: who subscribed, each advisory's life, and its delivery counted from the outbox."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage.db import Database
from bot.storage.outbox import PENDING
from bot.storage.timestamps import parse_utc, parse_utc_or_none, stamp

_OF_ADVISORY = "kind = 'advisory' AND json_extract(payload, '$.advisory') = ?"


@dataclass(frozen=True, slots=True)
class Advisory:
    """One advisory: drafted by an officer, confirmed, then cancelled or finished."""

    id: int
    body: str
    created_by: int
    created_at: datetime
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    finished_at: datetime | None
    total: int
    progress_chat_id: int | None
    progress_message_id: int | None
    progress_shown: str | None


@dataclass(frozen=True, slots=True)
class Progress:
    """Delivery so far: delivered, given up (blocked the bot, cancelled), still to send."""

    delivered: int
    failed: int
    pending: int


def _advisory(row: sqlite3.Row) -> Advisory:
    return Advisory(
        id=row["id"], body=row["body"], created_by=row["created_by"],
        created_at=parse_utc(row["created_at"]),
        confirmed_at=parse_utc_or_none(row["confirmed_at"]),
        cancelled_at=parse_utc_or_none(row["cancelled_at"]),
        finished_at=parse_utc_or_none(row["finished_at"]), total=row["total"],
        progress_chat_id=row["progress_chat_id"],
        progress_message_id=row["progress_message_id"], progress_shown=row["progress_shown"],
    )  # fmt: skip


class AdvisoryRepository:
    """Subscribers and advisories; confirming writes every delivery row in one transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def subscribe(self, user_id: int, chat_id: int, locale: str, now: datetime) -> bool:
        """True if newly subscribed (the language is refreshed either way)."""
        async with self._db.transaction():
            known = await self._db.scalar("SELECT 1 FROM subscribers WHERE user_id = ?", (user_id,))
            await self._db.execute(
                "INSERT INTO subscribers (user_id, chat_id, locale, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET locale = excluded.locale",
                (user_id, chat_id, locale, stamp(now)),
            )
        return known is None

    async def unsubscribe(self, user_id: int) -> bool:
        return await self._db.execute("DELETE FROM subscribers WHERE user_id = ?", (user_id,)) > 0

    async def count_subscribers(self) -> int:
        return int(await self._db.scalar("SELECT COUNT(*) FROM subscribers"))

    async def draft(self, body: str, officer_id: int, now: datetime) -> Advisory:
        advisory_id = await self._db.insert(
            "INSERT INTO advisories (body, created_by, created_at) VALUES (?, ?, ?)",
            (body, officer_id, stamp(now)),
        )
        found = await self.get(advisory_id)
        assert found is not None
        return found

    async def get(self, advisory_id: int) -> Advisory | None:
        row = await self._db.fetchone("SELECT * FROM advisories WHERE id = ?", (advisory_id,))
        return None if row is None else _advisory(row)

    async def active(self) -> list[Advisory]:
        """Confirmed advisories still being delivered (or whose end is not yet shown)."""
        rows = await self._db.fetchall(
            "SELECT * FROM advisories WHERE confirmed_at IS NOT NULL AND finished_at IS NULL "
            "ORDER BY id"
        )
        return [_advisory(row) for row in rows]

    async def confirm(
        self, advisory_id: int, payloads: Mapping[str, Mapping[str, Any]], default_locale: str,
        progress_chat_id: int, progress_message_id: int | None, now: datetime,
    ) -> int | None:  # fmt: skip
        """Queue one outbox row per subscriber (payload in their language), once; how many,
        or None if it was confirmed or dropped already (a replayed button press)."""
        moment = stamp(now)
        async with self._db.transaction():
            changed = await self._db.execute(
                "UPDATE advisories SET confirmed_at = ?, progress_chat_id = ?, "
                "progress_message_id = ? WHERE id = ? AND confirmed_at IS NULL "
                "AND cancelled_at IS NULL",
                (moment, progress_chat_id, progress_message_id, advisory_id),
            )
            if not changed:
                return None
            await self._db.execute(
                "INSERT INTO outbox (kind, target_chat_id, payload, created_at, due_at) "
                "SELECT 'advisory', chat_id, COALESCE(json_extract(:payloads, '$.' || locale), "
                "json_extract(:payloads, '$.' || :default)), :now, :now FROM subscribers "
                "ORDER BY user_id",
                {"payloads": json.dumps(payloads, ensure_ascii=False), "now": moment,
                 "default": default_locale},
            )  # fmt: skip
            total = int(await self._db.scalar(f"SELECT COUNT(*) FROM outbox WHERE {_OF_ADVISORY}",
                                              (advisory_id,)))  # fmt: skip
            await self._db.execute(
                "UPDATE advisories SET total = ? WHERE id = ?", (total, advisory_id)
            )
        return total

    async def cancel(self, advisory_id: int, now: datetime) -> int:
        """Stop an advisory: what was not sent yet never will be; how many rows that was."""
        moment = stamp(now)
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE advisories SET cancelled_at = COALESCE(cancelled_at, ?) WHERE id = ?",
                (moment, advisory_id),
            )
            return await self._db.execute(
                f"UPDATE outbox SET failed_at = ?, last_error = 'cancelled' "
                f"WHERE {_OF_ADVISORY} AND {PENDING}",
                (moment, advisory_id),
            )

    async def progress(self, advisory_id: int) -> Progress:
        row = await self._db.fetchone(
            "SELECT COUNT(delivered_at) AS delivered, COUNT(failed_at) AS failed, "
            f"SUM({PENDING}) AS pending FROM outbox WHERE {_OF_ADVISORY}",
            (advisory_id,),
        )
        assert row is not None
        return Progress(int(row["delivered"]), int(row["failed"]), int(row["pending"] or 0))

    async def shown(self, advisory_id: int, text: str, *, finished: datetime | None) -> None:
        """Remember the progress text shown; `finished` ends the advisory's reporting."""
        await self._db.execute(
            "UPDATE advisories SET progress_shown = ?, finished_at = ? WHERE id = ?",
            (text, stamp(finished) if finished else None, advisory_id),
        )

"""The durable outbox: messages written with what they announce, delivered by the dispatcher."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.storage.db import Database
from bot.storage.models import NewOutbox, OutboxItem
from bot.storage.timestamps import parse_utc, parse_utc_or_none, stamp

PENDING = "delivered_at IS NULL AND failed_at IS NULL"  # a row not sent and not given up
_MAX_ERROR = 500
ADVISORY_BATCH = 50  # two advisory windows' worth per round


def outbox_from_row(row: sqlite3.Row) -> OutboxItem:
    """An outbox row as a dataclass."""
    return OutboxItem(
        id=row["id"],
        kind=row["kind"],
        case_id=row["case_id"],
        target_chat_id=row["target_chat_id"],
        payload=json.loads(row["payload"]),
        created_at=parse_utc(row["created_at"]),
        due_at=parse_utc(row["due_at"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        delivered_at=parse_utc_or_none(row["delivered_at"]),
        failed_at=parse_utc_or_none(row["failed_at"]),
        held=bool(row["held"]),
        result_message_id=row["result_message_id"],
    )


async def insert_outbox(db: Database, item: NewOutbox, case_id: int | None, now: str) -> int:
    """Write one outbox row (inside the caller's transaction when there is one)."""
    due = stamp(item.due_at) if item.due_at is not None else now
    return await db.insert(
        "INSERT INTO outbox (kind, case_id, target_chat_id, payload, created_at, due_at, held) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            item.kind,
            case_id,
            item.target_chat_id,
            json.dumps(dict(item.payload), ensure_ascii=False, sort_keys=True),
            now,
            due,
            int(item.held),
        ),
    )


class OutboxRepository:
    """Queue operations for the dispatcher; handlers enqueue, the dispatcher delivers."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(self, item: NewOutbox, *, now: datetime | None = None) -> OutboxItem:
        """Store a message for delivery (joins the caller's transaction if one is open)."""
        row_id = await insert_outbox(self._db, item, item.case_id, stamp(now))
        found = await self.get(row_id)
        assert found is not None
        return found

    async def get(self, item_id: int) -> OutboxItem | None:
        """One row by id."""
        row = await self._db.fetchone("SELECT * FROM outbox WHERE id = ?", (item_id,))
        return None if row is None else outbox_from_row(row)

    async def pending(
        self, *, now: datetime | None = None, limit: int = 50, group: int | None = None
    ) -> list[OutboxItem]:
        """Undelivered, not held, due rows, oldest due first.

        With `group`, rows for everyone else come first, each side up to `limit`: a reply to a
        citizen never waits behind hundreds of posts queued for the group's slower budget.
        """
        if group is None:
            return await self._pending("", (), now, limit)
        # Advisories (thousands at once, paced) have their own batch: a reply to a citizen
        # queued after an advisory never waits behind it.
        others = await self._pending(
            "AND target_chat_id != ? AND kind != 'advisory'", (group,), now, limit
        )
        bulk = await self._pending("AND kind = 'advisory'", (), now, ADVISORY_BATCH)
        return others + bulk + await self._pending("AND target_chat_id = ?", (group,), now, limit)

    async def _pending(
        self, where: str, values: tuple[int, ...], now: datetime | None, limit: int
    ) -> list[OutboxItem]:
        rows = await self._db.fetchall(
            f"SELECT * FROM outbox WHERE {PENDING} AND held = 0 AND due_at <= ? {where} "
            "ORDER BY due_at, id LIMIT ?",
            (stamp(now), *values, limit),
        )
        return [outbox_from_row(row) for row in rows]

    async def count_pending(self, kind: str | None = None) -> int:
        """Rows waiting for delivery (not held), due or not; optionally of one kind."""
        sql = f"SELECT COUNT(*) FROM outbox WHERE {PENDING} AND held = 0"
        if kind is None:
            return int(await self._db.scalar(sql))
        return int(await self._db.scalar(sql + " AND kind = ?", (kind,)))

    async def mark_delivered(
        self, item_id: int, message_id: int | None, *, now: datetime | None = None
    ) -> bool:
        """Record delivery (and the Telegram message id); False if it was already final."""
        changed = await self._db.execute(
            f"UPDATE outbox SET delivered_at = ?, result_message_id = ?, held = 0 "
            f"WHERE id = ? AND {PENDING}",
            (stamp(now), message_id, item_id),
        )
        return changed == 1

    async def reschedule(self, item_id: int, due_at: datetime, error: str) -> bool:
        """Count a failed attempt and try again at `due_at` (`error`: a class or status only)."""
        changed = await self._db.execute(
            f"UPDATE outbox SET attempts = attempts + 1, due_at = ?, last_error = ? "
            f"WHERE id = ? AND {PENDING}",
            (stamp(due_at), error[:_MAX_ERROR], item_id),
        )
        return changed == 1

    async def give_up(self, item_id: int, error: str, *, now: datetime | None = None) -> bool:
        """Stop trying (e.g. the user blocked the bot); the row stays for the record."""
        changed = await self._db.execute(
            f"UPDATE outbox SET attempts = attempts + 1, failed_at = ?, last_error = ? "
            f"WHERE id = ? AND {PENDING}",
            (stamp(now), error[:_MAX_ERROR], item_id),
        )
        return changed == 1

    async def hold(self, item_id: int, reason: str | None = None) -> bool:
        """Keep a row back until the citizen next writes ("never message me first", blocked)."""
        changed = await self._db.execute(
            f"UPDATE outbox SET held = 1, last_error = COALESCE(?, last_error) "
            f"WHERE id = ? AND {PENDING}",
            (reason, item_id),
        )
        return changed == 1

    async def held_chats(self, reason: str) -> set[int]:
        """Chats with rows held for `reason` (e.g. the citizen blocked the bot)."""
        rows = await self._db.fetchall(
            f"SELECT DISTINCT target_chat_id FROM outbox WHERE held = 1 AND {PENDING} "
            "AND last_error = ?",
            (reason,),
        )
        return {int(row["target_chat_id"]) for row in rows}

    async def release_held(self, chat_id: int, *, now: datetime | None = None) -> list[OutboxItem]:
        """The citizen wrote: make their held rows due now and return them."""
        moment = stamp(now)
        async with self._db.transaction():
            rows = await self._db.fetchall(
                f"SELECT id FROM outbox WHERE target_chat_id = ? AND held = 1 AND {PENDING} "
                "ORDER BY id",
                (chat_id,),
            )
            ids = [row["id"] for row in rows]
            await self._db.execute(
                "UPDATE outbox SET held = 0, due_at = ? "
                "WHERE id IN (SELECT value FROM json_each(?))",
                (moment, json.dumps(ids)),
            )
            released = await self._db.fetchall(
                "SELECT * FROM outbox WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
                (json.dumps(ids),),
            )
        return [outbox_from_row(row) for row in released]

    async def prune_delivered(self, before: datetime) -> int:
        """Delete rows delivered before `before` (the audit lives in case_events)."""
        return await self._db.execute(
            "DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?",
            (stamp(before),),
        )

"""Message ids: both sides of private chats (/hapus, auto-delete) and relay links to cases."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import cast

from bot.storage.db import Database
from bot.storage.models import ChatMessage, Direction, LinkSide
from bot.storage.timestamps import parse_utc, stamp
from bot.ui import limits

# Telegram lets a bot delete messages of a private chat (both sides) for 48 hours.
DELETABLE_FOR = limits.DELETE_WINDOW


def _message_from_row(row: sqlite3.Row) -> ChatMessage:
    return ChatMessage(
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        direction=cast(Direction, row["direction"]),
        sent_at=parse_utc(row["sent_at"]),
    )


class MessageRepository:
    """Ids and times only: message text is never stored here."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self, chat_id: int, message_id: int, direction: Direction, *, at: datetime | None = None
    ) -> None:
        """Track a message sent ('out') or received ('in') in a private chat.

        Deferred: written with others within a fraction of a second, and always before
        anything reads chat_messages, so /hapus and the purge see every id.
        """
        self._db.defer_insert(
            "chat_messages",
            ("chat_id", "message_id", "direction", "sent_at"),
            (chat_id, message_id, direction, stamp(at)),
        )

    async def recent(self, chat_id: int, since: datetime) -> list[int]:
        """Ids of the chat's messages sent at or after `since`, oldest first (for /hapus)."""
        rows = await self._db.fetchall(
            "SELECT message_id FROM chat_messages WHERE chat_id = ? AND sent_at >= ? "
            "ORDER BY message_id",
            (chat_id, stamp(since)),
        )
        return [row["message_id"] for row in rows]

    async def forget(self, chat_id: int, message_ids: Iterable[int]) -> int:
        """Stop tracking these messages (deleted, or too old to delete)."""
        return await self._db.execute(
            "DELETE FROM chat_messages WHERE chat_id = ? "
            "AND message_id IN (SELECT value FROM json_each(?))",
            (chat_id, json.dumps(list(message_ids))),
        )

    async def due_for_autodelete(
        self, *, now: datetime | None = None, limit: int = 500
    ) -> list[ChatMessage]:
        """Messages (both sides) older than their user's auto-delete setting, oldest first."""
        rows = await self._db.fetchall(
            "SELECT m.* FROM users AS u JOIN chat_messages AS m ON m.chat_id = u.user_id "
            "WHERE u.autodelete_minutes IS NOT NULL AND m.sent_at <= "
            "strftime('%Y-%m-%dT%H:%M:%fZ', ?, '-' || u.autodelete_minutes || ' minutes') "
            "ORDER BY m.sent_at LIMIT ?",
            (stamp(now), limit),
        )
        return [_message_from_row(row) for row in rows]

    async def forget_older_than(self, cutoff: datetime) -> int:
        """Drop ids sent before `cutoff` (past 48 hours they can no longer be deleted)."""
        return await self._db.execute(
            "DELETE FROM chat_messages WHERE sent_at < ?", (stamp(cutoff),)
        )

    async def link(
        self,
        chat_id: int,
        message_id: int,
        case_id: int,
        side: LinkSide,
        *,
        now: datetime | None = None,
    ) -> None:
        """Remember that this message (officers' chat or the citizen's) belongs to a case."""
        await self._db.execute(
            "INSERT OR REPLACE INTO relay_links (chat_id, message_id, case_id, side, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (chat_id, message_id, case_id, side, stamp(now)),
        )

    async def case_for_message(self, chat_id: int, message_id: int) -> int | None:
        """The case a replied-to message belongs to, or None."""
        value = await self._db.scalar(
            "SELECT case_id FROM relay_links WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return None if value is None else int(value)

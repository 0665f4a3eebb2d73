"""Saved replies officers send with /t NAME (and offer on "Ask for info"), and edit lookups."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.storage.db import Database
from bot.storage.models import OutboxItem
from bot.storage.outbox import PENDING, outbox_from_row
from bot.storage.timestamps import stamp

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


@dataclass(frozen=True, slots=True)
class ReplyTemplate:
    """One saved reply; `{ref}` in its body becomes the case's reference when sent."""

    name: str
    body: str
    for_info: bool
    saved_by: int

    def filled(self, ref: str) -> str:
        return self.body.replace("{ref}", ref)


def _from_row(row: sqlite3.Row) -> ReplyTemplate:
    return ReplyTemplate(row["name"], row["body"], bool(row["for_info"]), row["saved_by"])


class TemplateRepository:
    """reply_templates: any officer saves, replaces or removes one; names are lower case."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def all(self, *, for_info: bool = False) -> list[ReplyTemplate]:
        where = "WHERE for_info = 1 " if for_info else ""
        rows = await self._db.fetchall(f"SELECT * FROM reply_templates {where}ORDER BY name")
        return [_from_row(row) for row in rows]

    async def get(self, name: str) -> ReplyTemplate | None:
        row = await self._db.fetchone(
            "SELECT * FROM reply_templates WHERE name = ?", (name.lower(),)
        )
        return None if row is None else _from_row(row)

    async def save(
        self, name: str, body: str, officer_id: int, *, for_info: bool,
        now: datetime | None = None,
    ) -> bool:  # fmt: skip
        """Save or replace; True if it replaced one."""
        name = name.lower()
        async with self._db.transaction():
            existed = await self.get(name) is not None
            await self._db.execute(
                "INSERT OR REPLACE INTO reply_templates (name, body, for_info, saved_by, saved_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (name, body, int(for_info), officer_id, stamp(now)),
            )
        return existed

    async def delete(self, name: str) -> bool:
        changed = await self._db.execute(
            "DELETE FROM reply_templates WHERE name = ?", (name.lower(),)
        )
        return changed == 1


class RelayedRows:
    """Outbox rows by the message they relayed: an officer's (`ack`) or a citizen's (`source`)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def of(self, case_id: int, key: str, chat_id: int, message_id: int) -> list[OutboxItem]:
        """The rows of case `case_id` whose payload[key] is [chat_id, message_id], in order."""
        assert key in ("ack", "source")
        rows = await self._db.fetchall(
            f"SELECT * FROM outbox WHERE case_id = ? AND json_extract(payload, '$.{key}[0]') = ? "
            f"AND json_extract(payload, '$.{key}[1]') = ? ORDER BY id",
            (case_id, chat_id, message_id),
        )
        return [outbox_from_row(row) for row in rows]

    async def replace_pending(self, item_id: int, payload: dict[str, object]) -> bool:
        """Change a row's payload while it is still queued; False once delivered or given up."""
        changed = await self._db.execute(
            f"UPDATE outbox SET payload = ? WHERE id = ? AND {PENDING}",
            (json.dumps(payload, ensure_ascii=False, sort_keys=True), item_id),
        )
        return changed == 1

    async def drop_pending(self, item_id: int, now: datetime | None = None) -> bool:
        """A queued row replaced by an edit: given up, kept for the record."""
        changed = await self._db.execute(
            f"UPDATE outbox SET failed_at = ?, last_error = 'replaced by an edit' "
            f"WHERE id = ? AND {PENDING}",
            (stamp(now), item_id),
        )
        return changed == 1

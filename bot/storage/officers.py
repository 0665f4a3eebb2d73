"""The officers' side of storage: their first names, and the open cases as /antrian pages."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.storage.case_rows import OPEN, case_from_row
from bot.storage.db import Database
from bot.storage.models import Case
from bot.storage.timestamps import parse_utc, stamp

QueueView = Literal["all", "new", "mine", "urgent"]
# Each view's condition on top of OPEN; `:officer` is bound for "mine".
_VIEWS: dict[QueueView, str] = {
    "all": "",
    "new": " AND c.claimed_by IS NULL",
    "mine": " AND c.claimed_by = :officer",
    "urgent": " AND c.urgent = 1",
}


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One line of /antrian: the case, its last event's time and its claimer's first name."""

    case: Case
    last_activity: datetime
    claimer: str | None


class OfficerRepository:
    """First names of officers (remembered as they act) and the queue views."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._known: dict[int, str] = {}  # what is already stored: no write per button press

    async def remember(
        self, user_id: int, first_name: str | None, now: datetime | None = None
    ) -> None:
        """Keep the officer's first name (only written when new or changed)."""
        name = (first_name or "").strip()
        if not name or self._known.get(user_id) == name:
            return
        await self._db.execute(
            "INSERT INTO officer_names (user_id, first_name, seen_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET first_name = excluded.first_name, "
            "seen_at = excluded.seen_at",
            (user_id, name, stamp(now)),
        )
        self._known[user_id] = name

    async def names(self, user_ids: Collection[int | None]) -> dict[int, str]:
        """The first names of those officers we know, by id."""
        wanted = sorted({i for i in user_ids if i is not None})
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        rows = await self._db.fetchall(
            f"SELECT user_id, first_name FROM officer_names WHERE user_id IN ({marks})", wanted
        )
        return {row["user_id"]: row["first_name"] for row in rows}

    async def queue(
        self, view: QueueView, officer_id: int, *, limit: int, offset: int
    ) -> tuple[list[QueueEntry], int]:
        """A page of open cases in `view` (urgent first, then oldest first), and their total."""
        where = f"c.{OPEN}{_VIEWS[view]}"
        params = {"officer": officer_id, "limit": limit, "offset": offset}
        total = await self._db.scalar(f"SELECT COUNT(*) FROM cases AS c WHERE {where}", params)
        rows = await self._db.fetchall(
            "SELECT c.*, (SELECT e.at FROM case_events AS e WHERE e.case_id = c.id "
            "ORDER BY e.id DESC LIMIT 1) AS last_at, o.first_name AS claimer "
            "FROM cases AS c LEFT JOIN officer_names AS o ON o.user_id = c.claimed_by "
            f"WHERE {where} ORDER BY c.urgent DESC, c.created_at, c.id LIMIT :limit OFFSET :offset",
            params,
        )
        entries = [
            QueueEntry(
                case=case_from_row(row),
                last_activity=parse_utc(row["last_at"] or row["created_at"]),
                claimer=row["claimer"],
            )
            for row in rows
        ]
        return entries, int(total)

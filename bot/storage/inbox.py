"""The update inbox: Telegram's updates kept until handled (SQL for bot/runtime/inbox.py)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.storage.db import Database


class InboxRepository:
    """Raw update JSON by arrival; personal data lives here for seconds, never longer."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def keep(self, update_id: int, payload: str) -> bool:
        """Store an arriving update; False if it is already here (Telegram sent it again)."""
        changed = await self._db.execute(
            "INSERT OR IGNORE INTO inbox (update_id, payload) VALUES (?, ?)", (update_id, payload)
        )
        return changed == 1

    async def done(self, update_ids: Iterable[int]) -> None:
        """Forget handled updates."""
        ids = list(update_ids)
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        await self._db.execute(f"DELETE FROM inbox WHERE update_id IN ({marks})", ids)

    async def waiting(self) -> list[tuple[int, str]]:
        """Updates kept but not handled (a previous run stopped), in arrival order."""
        rows = await self._db.fetchall("SELECT update_id, payload FROM inbox ORDER BY seq")
        return [(row["update_id"], row["payload"]) for row in rows]

"""Safety check-ins: who opted in, how often, where each stands, and their history."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.storage.db import Database
from bot.storage.timestamps import parse_utc, stamp

WAITING, PROMPTED, REMINDED, ALERTED = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Checkin:
    """One person's check-in arrangement."""

    user_id: int
    chat_id: int
    interval_minutes: int
    duress_hash: str | None
    note: str | None
    locale: str
    started_at: datetime
    last_ok_at: datetime
    stage: int
    due_at: datetime


@dataclass(frozen=True, slots=True)
class CheckinEntry:
    """One line of a person's check-in history."""

    at: datetime
    kind: str  # started, ok, prompt, reminder, missed, duress


def _from_row(row: sqlite3.Row) -> Checkin:
    return Checkin(
        user_id=row["user_id"], chat_id=row["chat_id"],
        interval_minutes=row["interval_minutes"], duress_hash=row["duress_hash"],
        note=row["note"], locale=row["locale"], started_at=parse_utc(row["started_at"]),
        last_ok_at=parse_utc(row["last_ok_at"]), stage=row["stage"],
        due_at=parse_utc(row["due_at"]),
    )  # fmt: skip


class CheckinRepository:
    """Check-ins; every change writes its history line in the same transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> Checkin | None:
        row = await self._db.fetchone("SELECT * FROM checkins WHERE user_id = ?", (user_id,))
        return None if row is None else _from_row(row)

    async def start(
        self, user_id: int, chat_id: int, interval_minutes: int, duress_hash: str | None,
        note: str | None, locale: str, now: datetime,
    ) -> Checkin:  # fmt: skip
        """Opt in (or change the arrangement); the first period starts now."""
        due = now + timedelta(minutes=interval_minutes)
        async with self._db.transaction():
            await self._db.execute(
                "INSERT OR REPLACE INTO checkins (user_id, chat_id, interval_minutes, duress_hash, "
                "note, locale, started_at, last_ok_at, stage, due_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                (user_id, chat_id, interval_minutes, duress_hash, note, locale,
                 stamp(now), stamp(now), stamp(due)),
            )  # fmt: skip
            await self._log(user_id, "started", now)
        found = await self.get(user_id)
        assert found is not None
        return found

    async def stop(self, user_id: int) -> bool:
        """Opt out: the arrangement and its history are deleted."""
        async with self._db.transaction():
            await self._db.execute("DELETE FROM checkin_log WHERE user_id = ?", (user_id,))
            return await self._db.execute("DELETE FROM checkins WHERE user_id = ?", (user_id,)) > 0

    async def answered(self, user_id: int, kind: str, now: datetime) -> Checkin | None:
        """A sign of life (kind 'ok', or 'duress'): the next period starts now."""
        async with self._db.transaction():
            row = await self._db.fetchone(
                "UPDATE checkins SET last_ok_at = :now, stage = 0, "
                "due_at = strftime('%Y-%m-%dT%H:%M:%fZ', :now, '+' || interval_minutes || "
                "' minutes') WHERE user_id = :user RETURNING *",
                {"now": stamp(now), "user": user_id},
            )
            if row is None:
                return None
            await self._log(user_id, kind, now)
        return _from_row(row)

    async def due(self, now: datetime, limit: int = 200) -> list[Checkin]:
        """Arrangements whose next step (prompt, reminder, alert) is due."""
        rows = await self._db.fetchall(
            "SELECT * FROM checkins WHERE stage < 3 AND due_at <= ? ORDER BY due_at LIMIT ?",
            (stamp(now), limit),
        )
        return [_from_row(row) for row in rows]

    async def advance(
        self, user_id: int, from_stage: int, to_stage: int, due_at: datetime, kind: str | None,
        now: datetime,
    ) -> bool:  # fmt: skip
        """Move one step on (only from `from_stage`: two runs never both act); log `kind`."""
        async with self._db.transaction():
            changed = await self._db.execute(
                "UPDATE checkins SET stage = ?, due_at = ? WHERE user_id = ? AND stage = ?",
                (to_stage, stamp(due_at), user_id, from_stage),
            )
            if changed and kind is not None:
                await self._log(user_id, kind, now)
        return changed == 1

    async def postpone(self, user_id: int, due_at: datetime) -> None:
        """Outside the person's safe hours: the same step, later."""
        await self._db.execute(
            "UPDATE checkins SET due_at = ? WHERE user_id = ?", (stamp(due_at), user_id)
        )

    async def history(self, user_id: int, limit: int = 12) -> list[CheckinEntry]:
        """The latest lines of the history, oldest first."""
        rows = await self._db.fetchall(
            "SELECT at, kind FROM checkin_log WHERE user_id = ? ORDER BY id DESC LIMIT ?",
            (user_id, limit),
        )
        return [CheckinEntry(parse_utc(r["at"]), r["kind"]) for r in reversed(rows)]

    async def _log(self, user_id: int, kind: str, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO checkin_log (user_id, at, kind) VALUES (?, ?, ?)",
            (user_id, stamp(now), kind),
        )

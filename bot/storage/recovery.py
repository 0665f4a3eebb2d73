"""Case recovery: the phrase's hash, wrong tries and the lock, requests officers decide."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.storage.case_rows import insert_event
from bot.storage.db import Database
from bot.storage.outbox import PENDING
from bot.storage.timestamps import parse_utc, stamp

MAX_FAILURES = 5  # wrong phrases for one reference before its recovery is locked


@dataclass(frozen=True, slots=True)
class RecoveryState:
    """A case's recovery phrase (hashed) and how many wrong tries it has had."""

    case_id: int
    phrase_hash: str
    failures: int
    locked: bool


@dataclass(frozen=True, slots=True)
class RecoveryRequest:
    """Another account asks to take a case over; an officer decides."""

    id: int
    case_id: int
    new_user_id: int
    new_chat_id: int
    locale: str
    created_at: datetime
    decision: str | None


def _request(row: sqlite3.Row) -> RecoveryRequest:
    return RecoveryRequest(
        id=row["id"], case_id=row["case_id"], new_user_id=row["new_user_id"],
        new_chat_id=row["new_chat_id"], locale=row["locale"],
        created_at=parse_utc(row["created_at"]), decision=row["decision"],
    )  # fmt: skip


class RecoveryRepository:
    """Phrases, tries and take-overs; the take-over itself moves the case in one transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_phrase(self, case_id: int, phrase_hash: str) -> None:
        """A new phrase for the case (a re-shown reference gets a new one; the old stops)."""
        await self._db.execute(
            "INSERT INTO case_recovery (case_id, phrase_hash) VALUES (?, ?) "
            "ON CONFLICT (case_id) DO UPDATE SET phrase_hash = excluded.phrase_hash",
            (case_id, phrase_hash),
        )

    async def state(self, case_id: int) -> RecoveryState | None:
        row = await self._db.fetchone("SELECT * FROM case_recovery WHERE case_id = ?", (case_id,))
        if row is None:
            return None
        return RecoveryState(
            row["case_id"], row["phrase_hash"], row["failures"], row["locked_at"] is not None
        )

    async def attempt(self, user_id: int, now: datetime, since: datetime) -> int:
        """Record a try by this account; how many it made since `since` (this one included)."""
        async with self._db.transaction():
            await self._db.execute(
                "INSERT INTO recovery_attempts (user_id, at) VALUES (?, ?)", (user_id, stamp(now))
            )
            await self._db.execute("DELETE FROM recovery_attempts WHERE at < ?", (stamp(since),))
            return int(
                await self._db.scalar(
                    "SELECT COUNT(*) FROM recovery_attempts WHERE user_id = ? AND at >= ?",
                    (user_id, stamp(since)),
                )
            )

    async def failed(self, case_id: int, now: datetime) -> bool:
        """Count a wrong phrase; True when this one locked recovery for the case."""
        row = await self._db.fetchone(
            "UPDATE case_recovery SET failures = failures + 1, "
            "locked_at = CASE WHEN failures + 1 >= :max THEN COALESCE(locked_at, :now) "
            "ELSE locked_at END WHERE case_id = :case RETURNING failures",
            {"max": MAX_FAILURES, "now": stamp(now), "case": case_id},
        )
        return row is not None and int(row["failures"]) == MAX_FAILURES

    async def open_request(
        self, case_id: int, user_id: int, chat_id: int, locale: str, now: datetime
    ) -> RecoveryRequest | None:
        """A new request, or None if this account already has one waiting for this case."""
        async with self._db.transaction():
            waiting = await self._db.scalar(
                "SELECT 1 FROM recovery_requests WHERE case_id = ? AND new_user_id = ? "
                "AND decision IS NULL",
                (case_id, user_id),
            )
            if waiting:
                return None
            request_id = await self._db.insert(
                "INSERT INTO recovery_requests (case_id, new_user_id, new_chat_id, locale, "
                "created_at) VALUES (?, ?, ?, ?, ?)",
                (case_id, user_id, chat_id, locale, stamp(now)),
            )
        return await self.request(request_id)

    async def request(self, request_id: int) -> RecoveryRequest | None:
        row = await self._db.fetchone("SELECT * FROM recovery_requests WHERE id = ?", (request_id,))
        return None if row is None else _request(row)

    async def decide(
        self, request: RecoveryRequest, officer_id: int, approved: bool, now: datetime
    ) -> bool:
        """Record the decision (once); on approval the new account takes the case over and
        the old one is detached: status, replies and follow-ups now go to the new chat."""
        moment = stamp(now)
        async with self._db.transaction():
            changed = await self._db.execute(
                "UPDATE recovery_requests SET decision = ?, decided_by = ?, decided_at = ? "
                "WHERE id = ? AND decision IS NULL",
                ("approved" if approved else "rejected", officer_id, moment, request.id),
            )
            if not changed:
                return False
            if approved:
                row = await self._db.fetchone(
                    "SELECT chat_id FROM cases WHERE id = ?", (request.case_id,)
                )
                old_chat = row["chat_id"] if row is not None else None
                await self._db.execute(
                    "INSERT OR IGNORE INTO users (user_id, created_at, last_seen_at) "
                    "VALUES (?, ?, ?)",
                    (request.new_user_id, moment, moment),
                )
                await self._db.execute(
                    "UPDATE cases SET user_id = ?, chat_id = ? WHERE id = ?",
                    (request.new_user_id, request.new_chat_id, request.case_id),
                )
                # Replies still queued for the lost phone go to the new account instead.
                await self._db.execute(
                    "UPDATE outbox SET target_chat_id = ?, held = 0 WHERE case_id = ? "
                    f"AND target_chat_id = ? AND {PENDING}",
                    (request.new_chat_id, request.case_id, old_chat),
                )
                await self._db.execute(
                    "DELETE FROM relay_links WHERE case_id = ? AND side = 'citizen'",
                    (request.case_id,),
                )
                await self._db.execute(
                    "UPDATE case_recovery SET failures = 0 WHERE case_id = ?", (request.case_id,)
                )
            await insert_event(
                self._db, request.case_id, moment, "officer", officer_id,
                "recovered" if approved else "recovery_refused", None, None,
            )  # fmt: skip
        return True

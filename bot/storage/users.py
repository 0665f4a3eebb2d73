"""Users: locale, contact preferences, auto-delete, and blocks (by an officer, or of the bot)."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime
from typing import cast

from bot.storage.case_rows import insert_event
from bot.storage.db import Database
from bot.storage.models import ContactPolicy, User
from bot.storage.timestamps import parse_utc, parse_utc_or_none, stamp

TOUCH_EVERY_SECONDS = 60.0
_RECENT_MAX = 100_000
_SWEEP_EVERY = 1024  # new entries between sweeps of the ones older than TOUCH_EVERY_SECONDS


def user_from_row(row: sqlite3.Row) -> User:
    """A users row as a dataclass."""
    return User(
        user_id=row["user_id"],
        locale=row["locale"],
        created_at=parse_utc(row["created_at"]),
        last_seen_at=parse_utc(row["last_seen_at"]),
        contact_policy=cast(ContactPolicy, row["contact_policy"]),
        safe_hours_from=row["safe_hours_from"],
        safe_hours_to=row["safe_hours_to"],
        autodelete_minutes=row["autodelete_minutes"],
        blocked_at=parse_utc_or_none(row["blocked_at"]),
        blocked_by=row["blocked_by"],
        bot_blocked_at=parse_utc_or_none(row["bot_blocked_at"]),
        consent_withdrawn_at=parse_utc_or_none(row["consent_withdrawn_at"]),
    )


class UserRepository:
    """One row per person; setters return the updated user, or None if never seen."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # touch() runs for every update; most are taps seconds apart. Every change goes through
        # this repository and refreshes the entry, so only last_seen_at may lag (by ≤ a minute).
        self._recent: dict[int, tuple[User, float]] = {}
        self._added = 0

    async def get(self, user_id: int) -> User | None:
        """The user, or None."""
        row = await self._db.fetchone("SELECT * FROM users WHERE user_id = ?", (user_id,))
        return self._remember(user_id, row)

    def _remember(self, user_id: int, row: sqlite3.Row | None) -> User | None:
        """Refresh the cache from a row just read (or written with RETURNING)."""
        user = None if row is None else user_from_row(row)
        if user is None:
            self._recent.pop(user_id, None)
        else:
            now = time.monotonic()
            if user_id not in self._recent:
                self._added += 1
                # An entry only serves for a minute: memory follows who is writing now.
                if self._added >= _SWEEP_EVERY or len(self._recent) >= _RECENT_MAX:
                    self._added = 0
                    for stale in [
                        k for k, (_, at) in self._recent.items() if now - at >= TOUCH_EVERY_SECONDS
                    ]:
                        del self._recent[stale]
                    if len(self._recent) >= _RECENT_MAX:  # that many in one minute: start over
                        self._recent.clear()
            self._recent[user_id] = (user, now)
        return user

    async def touch(
        self, user_id: int, locale_hint: str | None = None, *, now: datetime | None = None
    ) -> User:
        """Note that the user wrote; a new user starts with `locale_hint` (a chosen one stays)."""
        cached = self._recent.get(user_id)
        fresh_enough = cached is not None and time.monotonic() - cached[1] < TOUCH_EVERY_SECONDS
        if cached is not None and fresh_enough and now is None and cached[0].bot_blocked_at is None:
            return cached[0]
        moment = stamp(now)
        row = await self._db.fetchone(
            "INSERT INTO users (user_id, locale, created_at, last_seen_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET last_seen_at = excluded.last_seen_at, "
            "bot_blocked_at = NULL "  # they wrote to us, so they no longer block the bot
            "RETURNING *",  # one round trip to the database thread, not two
            (user_id, locale_hint, moment, moment),
        )
        fresh = self._remember(user_id, row)
        assert fresh is not None
        return fresh

    async def _update(
        self, user_id: int, assignments: str, values: tuple[object, ...]
    ) -> User | None:
        # `assignments` is a constant of this module; values are bound.
        row = await self._db.fetchone(
            f"UPDATE users SET {assignments} WHERE user_id = ? RETURNING *", (*values, user_id)
        )
        return self._remember(user_id, row)

    async def set_locale(self, user_id: int, locale: str | None) -> User | None:
        """The language the user chose (/bahasa)."""
        return await self._update(user_id, "locale = ?", (locale,))

    async def set_contact_policy(
        self,
        user_id: int,
        policy: ContactPolicy,
        safe_from: int | None = None,
        safe_to: int | None = None,
    ) -> User | None:
        """When we may message first: any time, in safe hours (Asia/Phnom_Penh), or never."""
        if policy == "safe_hours":
            if safe_from is None or safe_to is None:
                raise ValueError("safe_hours needs both hours")
            if not (0 <= safe_from <= 23 and 0 <= safe_to <= 23):
                raise ValueError("safe hours are 0..23")
        else:
            safe_from = safe_to = None
        return await self._update(
            user_id,
            "contact_policy = ?, safe_hours_from = ?, safe_hours_to = ?",
            (policy, safe_from, safe_to),
        )

    async def set_autodelete(self, user_id: int, minutes: int | None) -> User | None:
        """Delete the conversation `minutes` after each message (None: off)."""
        if minutes is not None and minutes <= 0:
            raise ValueError("auto-delete minutes must be positive")
        return await self._update(user_id, "autodelete_minutes = ?", (minutes,))

    async def block(
        self, user_id: int, officer_id: int, *, now: datetime | None = None
    ) -> User | None:
        """/blokir: an officer blocks an abusive user (an event on their latest case)."""
        return await self._set_block(user_id, officer_id, blocked=True, now=now)

    async def unblock(
        self, user_id: int, officer_id: int, *, now: datetime | None = None
    ) -> User | None:
        """/buka: lift a block (an event on their latest case)."""
        return await self._set_block(user_id, officer_id, blocked=False, now=now)

    async def _set_block(
        self, user_id: int, officer_id: int, *, blocked: bool, now: datetime | None
    ) -> User | None:
        moment = stamp(now)
        async with self._db.transaction():
            changed = await self._db.execute(
                "UPDATE users SET blocked_at = ?, blocked_by = ? WHERE user_id = ?",
                (moment if blocked else None, officer_id if blocked else None, user_id),
            )
            if not changed:
                return None
            case_id = await self._db.scalar(
                "SELECT id FROM cases WHERE user_id = ? ORDER BY id DESC LIMIT 1", (user_id,)
            )
            if case_id is not None:
                kind = "blocked" if blocked else "unblocked"
                await insert_event(self._db, case_id, moment, "officer", officer_id, kind)
            return await self.get(user_id)

    async def mark_bot_blocked(
        self, user_id: int, blocked: bool, *, now: datetime | None = None
    ) -> User | None:
        """Telegram said Forbidden (the user blocked the bot), or they are back."""
        return await self._update(user_id, "bot_blocked_at = ?", (stamp(now) if blocked else None,))

    async def forget_inactive(self, cutoff: datetime) -> int:
        """Delete users unseen since `cutoff` who have no case and no block; how many.

        Someone who only read guides leaves nothing behind once the retention period passes.
        """
        async with self._db.transaction():
            rows = await self._db.fetchall(
                "SELECT user_id FROM users AS u WHERE last_seen_at < ? AND blocked_at IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM cases AS c WHERE c.user_id = u.user_id)",
                (stamp(cutoff),),
            )
            ids = json.dumps([row["user_id"] for row in rows])
            for sql in (
                "DELETE FROM chat_messages WHERE chat_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM outbox WHERE target_chat_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM ptb_state WHERE kind = 'user_data' "
                "AND CAST(key AS INTEGER) IN (SELECT value FROM json_each(?))",
                "DELETE FROM users WHERE user_id IN (SELECT value FROM json_each(?))",
            ):
                await self._db.execute(sql, (ids,))
        for row in rows:
            self._recent.pop(row["user_id"], None)
        return len(rows)

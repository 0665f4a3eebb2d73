"""Data rights: what we hold about a person (/datasaya), erasure (/hapusdata), retention purge."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.storage.db import Database
from bot.storage.outbox import PENDING
from bot.storage.timestamps import stamp

# Every personal column of a case. The shell (ref, kind, category, urgent, status, locale,
# consent version, times, the officers' topic and card) stays for anonymous statistics.
_ERASE_CASES = """
UPDATE cases SET
    user_id = NULL, chat_id = NULL, safe_to_talk = NULL, location_text = NULL,
    exact_lat = NULL, exact_lon = NULL, contact_policy = NULL, safe_hours_from = NULL,
    safe_hours_to = NULL, description = NULL, relative_json = NULL, referred_to = NULL,
    status = 'selesai', closed_at = COALESCE(closed_at, :now), erased_at = :now
WHERE id IN (SELECT value FROM json_each(:ids))
"""
_IN_CASES = "case_id IN (SELECT value FROM json_each(:ids))"
_IN_CHATS = "IN (SELECT value FROM json_each(:chats))"

# What /datasaya shows of a case. Officers' ids are left out: to the citizen, they are "KBRI".
_CASE_FIELDS = (
    "ref", "kind", "category", "urgent", "status", "locale", "safe_to_talk", "location_text",
    "exact_lat", "exact_lon", "contact_policy", "safe_hours_from", "safe_hours_to",
    "description", "relative_json", "consent_text_version", "consent_at", "created_at",
    "claimed_at", "first_reply_at", "referred_to", "closed_at", "erased_at",
)  # fmt: skip
_USER_FIELDS = (
    "locale", "created_at", "last_seen_at", "contact_policy", "safe_hours_from",
    "safe_hours_to", "autodelete_minutes", "blocked_at", "bot_blocked_at", "consent_withdrawn_at",
)  # fmt: skip


class PrivacyRepository:
    """Erasure keeps each case's shell and audit kinds; every personal field becomes NULL."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _erase_cases(self, case_ids: list[int], moment: str, reason: str) -> None:
        """Null the cases' personal fields and event bodies; drop their media, outbox, links."""
        ids = json.dumps(case_ids)
        params = {"ids": ids, "now": moment}
        await self._db.execute(_ERASE_CASES, params)
        await self._db.execute(
            "UPDATE case_events SET body = NULL, "
            "actor_id = CASE WHEN actor = 'citizen' THEN NULL ELSE actor_id END "
            f"WHERE {_IN_CASES} AND (body IS NOT NULL OR actor = 'citizen')",
            {"ids": ids},
        )
        await self._db.execute(f"DELETE FROM case_media WHERE {_IN_CASES}", {"ids": ids})
        # Queued messages about an erased case would carry its data or reach its citizen.
        await self._db.execute(f"DELETE FROM outbox WHERE {_IN_CASES}", {"ids": ids})
        await self._db.execute(
            f"DELETE FROM relay_links WHERE side = 'citizen' AND {_IN_CASES}", {"ids": ids}
        )
        await self._db.execute(f"DELETE FROM case_recovery WHERE {_IN_CASES}", {"ids": ids})
        await self._db.execute(
            "INSERT INTO case_events (case_id, at, actor, kind, detail) "
            "SELECT value, :now, 'system', 'erased', :reason FROM json_each(:ids)",
            {**params, "reason": reason},
        )

    async def erase_user(self, user_id: int, *, now: datetime | None = None) -> list[int]:
        """/hapusdata: erase the user's cases and chat traces; the affected case ids."""
        # The users row stays (locale, preferences, a block, consent_withdrawn_at) so the bot
        # keeps working for them and a block cannot be shed by erasing. Run /hapus first:
        # this forgets the message ids Telegram deletion needs.
        moment = stamp(now)
        async with self._db.transaction():
            rows = await self._db.fetchall(
                "SELECT id, chat_id FROM cases WHERE user_id = ? ORDER BY id", (user_id,)
            )
            case_ids = [row["id"] for row in rows]
            chats = json.dumps(sorted({user_id} | {row["chat_id"] for row in rows}))
            await self._erase_cases(case_ids, moment, "request")
            for sql in (
                f"DELETE FROM chat_messages WHERE chat_id {_IN_CHATS}",
                f"DELETE FROM relay_links WHERE chat_id {_IN_CHATS}",
                f"DELETE FROM outbox WHERE target_chat_id {_IN_CHATS}",
                # Check-ins (the duress word's hash, the note) and advisories asked for.
                f"DELETE FROM checkins WHERE user_id {_IN_CHATS}",
                f"DELETE FROM checkin_log WHERE user_id {_IN_CHATS}",
                f"DELETE FROM subscribers WHERE user_id {_IN_CHATS}",
                # Half-filled requests (PTB user_data) and conversation states keyed by them.
                "DELETE FROM ptb_state WHERE kind = 'user_data' "
                f"AND CAST(key AS INTEGER) {_IN_CHATS}",
                "DELETE FROM ptb_state WHERE kind LIKE 'conversation:%' AND EXISTS "
                f"(SELECT 1 FROM json_each(ptb_state.key) WHERE value {_IN_CHATS})",
            ):
                await self._db.execute(sql, {"chats": chats})
            await self._db.execute(
                "UPDATE users SET consent_withdrawn_at = ? WHERE user_id = ?", (moment, user_id)
            )
        # Push the change out of the WAL so the old values leave the disk too.
        await self._db.checkpoint()
        return case_ids

    async def purge_closed_before(self, cutoff: datetime, *, now: datetime | None = None) -> int:
        """Retention: erase cases closed before `cutoff`; how many were erased."""
        moment = stamp(now)
        async with self._db.transaction():
            rows = await self._db.fetchall(
                "SELECT id FROM cases WHERE status = 'selesai' AND closed_at < ? "
                "AND erased_at IS NULL",
                (stamp(cutoff),),
            )
            case_ids = [row["id"] for row in rows]
            if case_ids:
                await self._erase_cases(case_ids, moment, "retention")
        if case_ids:
            await self._db.checkpoint()
        return len(case_ids)

    async def personal_data(self, user_id: int) -> dict[str, Any]:
        """Everything stored about the user, JSON-ready (/datasaya)."""
        async with self._db.transaction():
            user = await self._db.fetchone("SELECT * FROM users WHERE user_id = ?", (user_id,))
            cases = await self._db.fetchall(
                "SELECT * FROM cases WHERE user_id = ? ORDER BY id", (user_id,)
            )
            result_cases = [await self._case_data(row["id"], dict(row)) for row in cases]
            tracked = await self._db.scalar(
                "SELECT COUNT(*) FROM chat_messages WHERE chat_id = ?", (user_id,)
            )
            waiting = await self._db.scalar(
                f"SELECT COUNT(*) FROM outbox WHERE target_chat_id = ? AND {PENDING}",
                (user_id,),
            )
        return {
            "user": None if user is None else {f: user[f] for f in _USER_FIELDS},
            "cases": result_cases,
            "tracked_message_ids": int(tracked),
            "messages_waiting": int(waiting),
        }

    async def _case_data(self, case_id: int, case: dict[str, Any]) -> dict[str, Any]:
        data = {f: case[f] for f in _CASE_FIELDS}
        relative = data.pop("relative_json")
        data["relative"] = None if relative is None else json.loads(relative)
        data["urgent"] = bool(data["urgent"])
        if data["safe_to_talk"] is not None:
            data["safe_to_talk"] = bool(data["safe_to_talk"])
        events = await self._db.fetchall(
            "SELECT at, actor, kind, detail, body FROM case_events WHERE case_id = ? ORDER BY id",
            (case_id,),
        )
        media = await self._db.fetchall(
            "SELECT kind, caption, created_at FROM case_media WHERE case_id = ? ORDER BY id",
            (case_id,),
        )
        data["events"] = [dict(row) for row in events]
        data["media"] = [dict(row) for row in media]
        return data

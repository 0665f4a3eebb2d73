"""Rows of cases, events and media: dataclasses from rows, appending events, reading."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import datetime
from typing import cast

from bot.storage.db import Database
from bot.storage.models import (
    Actor,
    Case,
    CaseEvent,
    CaseKind,
    CaseMedia,
    CaseStatus,
    ContactPolicy,
    Relative,
)
from bot.storage.refs import normalise_ref
from bot.storage.timestamps import parse_utc, parse_utc_or_none, stamp

OPEN = "status <> 'selesai'"  # must match the cases_open_queue index predicate
_QUEUE_ORDER = "ORDER BY urgent DESC, created_at, id"


def _optional_bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def case_from_row(row: sqlite3.Row) -> Case:
    """A cases row as a dataclass."""
    relative = row["relative_json"]
    return Case(
        id=row["id"],
        ref=row["ref"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        kind=cast(CaseKind, row["kind"]),
        category=row["category"],
        urgent=bool(row["urgent"]),
        status=cast(CaseStatus, row["status"]),
        locale=row["locale"],
        safe_to_talk=_optional_bool(row["safe_to_talk"]),
        location_text=row["location_text"],
        exact_lat=row["exact_lat"],
        exact_lon=row["exact_lon"],
        contact_policy=cast(ContactPolicy | None, row["contact_policy"]),
        safe_hours_from=row["safe_hours_from"],
        safe_hours_to=row["safe_hours_to"],
        description=row["description"],
        relative=None if relative is None else Relative(**json.loads(relative)),
        consent_text_version=row["consent_text_version"],
        consent_at=parse_utc(row["consent_at"]),
        created_at=parse_utc(row["created_at"]),
        claimed_by=row["claimed_by"],
        claimed_at=parse_utc_or_none(row["claimed_at"]),
        first_reply_at=parse_utc_or_none(row["first_reply_at"]),
        referred_to=row["referred_to"],
        closed_at=parse_utc_or_none(row["closed_at"]),
        linked_case_id=row["linked_case_id"],
        thread_id=row["thread_id"],
        card_message_id=row["card_message_id"],
        erased_at=parse_utc_or_none(row["erased_at"]),
    )


def event_from_row(row: sqlite3.Row) -> CaseEvent:
    """A case_events row as a dataclass."""
    return CaseEvent(
        id=row["id"],
        case_id=row["case_id"],
        at=parse_utc(row["at"]),
        actor=cast(Actor, row["actor"]),
        actor_id=row["actor_id"],
        kind=row["kind"],
        detail=row["detail"],
        body=row["body"],
    )


def media_from_row(row: sqlite3.Row) -> CaseMedia:
    """A case_media row as a dataclass."""
    return CaseMedia(
        id=row["id"],
        case_id=row["case_id"],
        kind=row["kind"],
        file_id=row["file_id"],
        caption=row["caption"],
        created_at=parse_utc(row["created_at"]),
    )


async def insert_event(
    db: Database,
    case_id: int,
    at: str,
    actor: Actor,
    actor_id: int | None,
    kind: str,
    detail: str | None = None,
    body: str | None = None,
) -> int:
    """Append one audit event (inside the caller's transaction when there is one)."""
    return await db.insert(
        "INSERT INTO case_events (case_id, at, actor, actor_id, kind, detail, body) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (case_id, at, actor, actor_id, kind, detail, body),
    )


async def insert_media(
    db: Database, case_id: int, at: str, kind: str, file_id: str, caption: str | None
) -> int:
    """Store one media reference and its 'media' event."""
    media_id = await db.insert(
        "INSERT INTO case_media (case_id, kind, file_id, caption, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (case_id, kind, file_id, caption, at),
    )
    await insert_event(db, case_id, at, "citizen", None, "media", detail=kind)
    return media_id


class CaseReader:
    """Lookups by id, ref, topic, card message and user; the queue; events and media."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _one(self, where: str, params: tuple[object, ...]) -> Case | None:
        row = await self._db.fetchone(
            f"SELECT * FROM cases WHERE {where} ORDER BY id DESC LIMIT 1", params
        )
        return None if row is None else case_from_row(row)

    async def get_by_id(self, case_id: int) -> Case | None:
        """One case by id."""
        return await self._one("id = ?", (case_id,))

    async def get_by_ref(self, ref: str) -> Case | None:
        """One case by reference, as typed (lower case, spaces, O for 0 are forgiven)."""
        canonical = normalise_ref(ref)
        return None if canonical is None else await self._one("ref = ?", (canonical,))

    async def get_by_thread(self, thread_id: int) -> Case | None:
        """The case whose forum topic this is (the newest, if a topic id was reused)."""
        return await self._one("thread_id = ?", (thread_id,))

    async def get_by_card_message(self, message_id: int) -> Case | None:
        """The case whose card is this message in the officers' chat."""
        return await self._one("card_message_id = ?", (message_id,))

    async def latest_open_for_user(self, user_id: int) -> Case | None:
        """The user's newest open case, where their follow-up messages belong."""
        return await self._one(f"user_id = ? AND {OPEN}", (user_id,))

    async def current_for_user(self, user_id: int) -> Case | None:
        """The user's newest open case, else their newest case (closed), else None: one query."""
        row = await self._db.fetchone(
            f"SELECT * FROM cases WHERE user_id = ? ORDER BY ({OPEN}) DESC, id DESC LIMIT 1",
            (user_id,),
        )
        return None if row is None else case_from_row(row)

    async def list_for_user(self, user_id: int, limit: int = 20) -> list[Case]:
        """The user's cases, newest first (for /status)."""
        rows = await self._db.fetchall(
            "SELECT * FROM cases WHERE user_id = ? ORDER BY id DESC LIMIT ?", (user_id, limit)
        )
        return [case_from_row(row) for row in rows]

    async def list_with_last_word(
        self, user_id: int, kinds: Collection[str], limit: int = 10
    ) -> list[tuple[Case, str | None]]:
        """The user's cases, newest first, each with the body of its newest event of `kinds`
        (KBRI's last word for /status): one query, not one per case."""
        rows = await self._db.fetchall(
            "SELECT c.*, (SELECT e.body FROM case_events AS e WHERE e.case_id = c.id "
            "AND e.kind IN (SELECT value FROM json_each(:kinds)) ORDER BY e.id DESC LIMIT 1) "
            "AS last_word FROM cases AS c WHERE c.user_id = :user ORDER BY c.id DESC LIMIT :limit",
            {"kinds": json.dumps(sorted(kinds)), "user": user_id, "limit": limit},
        )
        return [(case_from_row(row), row["last_word"]) for row in rows]

    async def open_queue(self, limit: int = 20, offset: int = 0) -> list[Case]:
        """Open cases, urgent first, then oldest first (/antrian)."""
        rows = await self._db.fetchall(
            f"SELECT * FROM cases WHERE {OPEN} {_QUEUE_ORDER} LIMIT ? OFFSET ?", (limit, offset)
        )
        return [case_from_row(row) for row in rows]

    async def count_open(self) -> int:
        """How many cases are open."""
        return int(await self._db.scalar(f"SELECT COUNT(*) FROM cases WHERE {OPEN}"))

    async def unclaimed(self, created_before: datetime, limit: int = 50) -> list[Case]:
        """Open, unclaimed cases created before the cutoff, in queue order (reminders)."""
        rows = await self._db.fetchall(
            f"SELECT * FROM cases WHERE {OPEN} AND claimed_by IS NULL AND created_at <= ? "
            f"{_QUEUE_ORDER} LIMIT ?",
            (stamp(created_before), limit),
        )
        return [case_from_row(row) for row in rows]

    async def events(self, case_id: int) -> list[CaseEvent]:
        """The case's audit trail, oldest first."""
        rows = await self._db.fetchall(
            "SELECT * FROM case_events WHERE case_id = ? ORDER BY id", (case_id,)
        )
        return [event_from_row(row) for row in rows]

    async def latest_event(self, case_id: int, kinds: Collection[str]) -> CaseEvent | None:
        """The newest event of one of `kinds` (e.g. the last KBRI reply for /status)."""
        row = await self._db.fetchone(
            "SELECT * FROM case_events WHERE case_id = ? "
            "AND kind IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT 1",
            (case_id, json.dumps(sorted(kinds))),
        )
        return None if row is None else event_from_row(row)

    async def media(self, case_id: int) -> list[CaseMedia]:
        """The case's files, oldest first."""
        rows = await self._db.fetchall(
            "SELECT * FROM case_media WHERE case_id = ? ORDER BY id", (case_id,)
        )
        return [media_from_row(row) for row in rows]

"""Writing cases: the atomic create, officers' transitions, events and media, each audited."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime

from bot.storage.case_rows import (
    OPEN,
    CaseReader,
    case_from_row,
    event_from_row,
    insert_event,
    insert_media,
    media_from_row,
)
from bot.storage.db import Database
from bot.storage.models import Actor, Case, CaseEvent, CaseMedia, CaseStatus, NewCase, NewOutbox
from bot.storage.outbox import insert_outbox
from bot.storage.refs import generate_ref
from bot.storage.timestamps import stamp

_REF_ATTEMPTS = 20
Notify = Sequence[NewOutbox]
_FIRST_REPLY = "first_reply_at = COALESCE(first_reply_at, :now)"


def answers_citizen(actor: Actor, kind: str, notify: Notify) -> bool:
    """An officer's step sending the citizen something, by any path (answer, request for
    information, referral, saved reply) sets first_reply_at; claiming and closing do not."""
    to_citizen = any(item.kind == "to_citizen" for item in notify)
    return actor == "officer" and kind not in ("claimed", "closed") and to_citizen


class CaseRepository(CaseReader):
    """Cases: reads (CaseReader) plus every change, each with its event in one transaction.

    Transitions return the updated case, or None when nothing changed: the case is missing,
    closed (a closed case is never reopened; a new one links to it), or already claimed.
    `notify` rows are enqueued in the same transaction as the change they announce.
    """

    def __init__(self, db: Database, new_ref: Callable[[], str] = generate_ref) -> None:
        super().__init__(db)
        self._new_ref = new_ref

    async def create_case(
        self,
        new: NewCase,
        outbox_items: Sequence[NewOutbox] = (),
        *,
        now: datetime | None = None,
    ) -> Case:
        """Commit the case, its 'created' event, its media and outbox rows atomically."""
        moment = stamp(now)
        relative = None if new.relative is None else json.dumps(asdict(new.relative))
        async with self._db.transaction():
            ref = await self._unused_ref()
            # The case must not depend on a handler having touched the user first.
            await self._db.execute(
                "INSERT OR IGNORE INTO users (user_id, created_at, last_seen_at) VALUES (?, ?, ?)",
                (new.user_id, moment, moment),
            )
            case_id = await self._db.insert(
                "INSERT INTO cases (ref, user_id, chat_id, kind, category, urgent, locale, "
                "safe_to_talk, location_text, exact_lat, exact_lon, contact_policy, "
                "safe_hours_from, safe_hours_to, description, relative_json, "
                "consent_text_version, consent_at, created_at, linked_case_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ref, new.user_id, new.chat_id, new.kind, new.category, int(new.urgent),
                    new.locale,
                    None if new.safe_to_talk is None else int(new.safe_to_talk),
                    new.location_text, new.exact_lat, new.exact_lon, new.contact_policy,
                    new.safe_hours_from, new.safe_hours_to, new.description, relative,
                    new.consent_text_version, moment, moment, new.linked_case_id,
                ),
            )  # fmt: skip
            await insert_event(self._db, case_id, moment, "citizen", new.user_id, "created")
            for media in new.media:
                await insert_media(
                    self._db, case_id, moment, media.kind, media.file_id, media.caption
                )
            for item in outbox_items:
                await insert_outbox(self._db, item, case_id, moment)
            case = await self.get_by_id(case_id)
        assert case is not None
        return case

    async def _unused_ref(self) -> str:
        # Runs inside the write transaction, so no other writer can take the ref meanwhile.
        for _ in range(_REF_ATTEMPTS):
            ref = self._new_ref()
            if await self._db.scalar("SELECT 1 FROM cases WHERE ref = ?", (ref,)) is None:
                return ref
        raise RuntimeError(f"no unused case reference after {_REF_ATTEMPTS} attempts")

    async def _change(
        self,
        case_id: int,
        assignments: str,
        values: dict[str, object],
        *,
        event: tuple[Actor, int | None, str, str | None, str | None],
        notify: Notify,
        now: datetime | None,
        condition: str = OPEN,
    ) -> Case | None:
        """UPDATE the case (`:now` is the change's time) and append `event`, or do nothing."""
        moment = stamp(now)
        actor, actor_id, kind, detail, body = event
        if answers_citizen(actor, kind, notify) and _FIRST_REPLY not in assignments:
            assignments = f"{assignments}, {_FIRST_REPLY}"
        async with self._db.transaction():
            # `assignments` and `condition` are constants of this module; values are bound.
            row = await self._db.fetchone(
                f"UPDATE cases SET {assignments} WHERE id = :case_id AND {condition} RETURNING *",
                {**values, "now": moment, "case_id": case_id},
            )
            if row is None:
                return None
            await insert_event(self._db, case_id, moment, actor, actor_id, kind, detail, body)
            for item in notify:
                await insert_outbox(self._db, item, item.case_id or case_id, moment)
            return case_from_row(row)

    async def claim(
        self,
        case_id: int,
        officer_id: int,
        *,
        take_over: bool = False,
        notify: Notify = (),
        now: datetime | None = None,
    ) -> Case | None:
        """Ambil: the officer takes the case (None if someone has it, unless take_over)."""
        return await self._change(
            case_id,
            "status = CASE status WHEN 'baru' THEN 'diambil' ELSE status END, "
            "claimed_by = :officer, claimed_at = :now",
            {"officer": officer_id},
            event=("officer", officer_id, "claimed", "diambil", None),
            notify=notify,
            now=now,
            condition=OPEN if take_over else f"{OPEN} AND claimed_by IS NULL",
        )

    async def request_info(
        self,
        case_id: int,
        officer_id: int,
        question: str,
        *,
        notify: Notify = (),
        now: datetime | None = None,
    ) -> Case | None:
        """Minta info: ask the citizen for more; the case waits for them ('menunggu')."""
        return await self._change(
            case_id,
            "status = 'menunggu'",
            {},
            event=("officer", officer_id, "info_requested", "menunggu", question),
            notify=notify,
            now=now,
        )

    async def refer(
        self,
        case_id: int,
        officer_id: int,
        to: str,
        *,
        notify: Notify = (),
        now: datetime | None = None,
    ) -> Case | None:
        """Rujuk: record to whom the case was referred (police, IOM, a shelter, …)."""
        return await self._change(
            case_id,
            "status = 'dirujuk', referred_to = :to",
            {"to": to},
            event=("officer", officer_id, "referred", "dirujuk", to),
            notify=notify,
            now=now,
        )

    async def set_status(
        self,
        case_id: int,
        status: CaseStatus,
        *,
        actor: Actor,
        actor_id: int | None,
        kind: str = "status",
        body: str | None = None,
        notify: Notify = (),
        now: datetime | None = None,
    ) -> Case | None:
        """Move an open case to another open status (closing is close())."""
        if status == "selesai":
            raise ValueError("use close() to close a case")
        return await self._change(
            case_id,
            "status = :status",
            {"status": status},
            event=(actor, actor_id, kind, status, body),
            notify=notify,
            now=now,
        )

    async def mark_urgent(
        self, case_id: int, *, actor: Actor, actor_id: int | None, now: datetime | None = None
    ) -> Case | None:
        """Flag an open case urgent (a follow-up reads as danger); None if closed or already so."""
        return await self._change(
            case_id,
            "urgent = 1",
            {},
            event=(actor, actor_id, "urgent", "urgent", None),
            notify=(),
            now=now,
            condition="status <> 'selesai' AND urgent = 0",
        )

    async def record_reply(
        self,
        case_id: int,
        officer_id: int,
        body: str,
        *,
        notify: Notify = (),
        now: datetime | None = None,
    ) -> Case | None:
        """An officer answered the citizen: a 'reply' event; the first one sets first_reply_at."""
        return await self._change(
            case_id,
            _FIRST_REPLY,
            {},
            event=("officer", officer_id, "reply", None, body),
            notify=notify,
            now=now,
        )

    async def close(
        self,
        case_id: int,
        *,
        actor: Actor,
        actor_id: int | None,
        body: str | None = None,
        notify: Notify = (),
        now: datetime | None = None,
    ) -> Case | None:
        """Selesai: close the case (`body`: the closing message to the citizen)."""
        return await self._change(
            case_id,
            "status = 'selesai', closed_at = :now",
            {},
            event=(actor, actor_id, "closed", "selesai", body),
            notify=notify,
            now=now,
        )

    async def add_event(
        self,
        case_id: int,
        *,
        actor: Actor,
        actor_id: int | None,
        kind: str,
        detail: str | None = None,
        body: str | None = None,
        notify: Notify = (),
        now: datetime | None = None,
    ) -> CaseEvent:
        """Append an event without changing the case (note, citizen_message, reminder, …)."""
        moment = stamp(now)
        async with self._db.transaction():
            event_id = await insert_event(
                self._db, case_id, moment, actor, actor_id, kind, detail, body
            )
            if answers_citizen(actor, kind, notify):  # e.g. a saved reply sent by name
                await self._db.execute(
                    f"UPDATE cases SET {_FIRST_REPLY} WHERE id = :case_id",
                    {"now": moment, "case_id": case_id},
                )
            for item in notify:
                await insert_outbox(self._db, item, item.case_id or case_id, moment)
            row = await self._db.fetchone("SELECT * FROM case_events WHERE id = ?", (event_id,))
        assert row is not None
        return event_from_row(row)

    async def add_media(
        self,
        case_id: int,
        kind: str,
        file_id: str,
        caption: str | None = None,
        *,
        now: datetime | None = None,
    ) -> CaseMedia:
        """Keep a file the citizen sent with the case, with a 'media' event."""
        async with self._db.transaction():
            media_id = await insert_media(self._db, case_id, stamp(now), kind, file_id, caption)
            row = await self._db.fetchone("SELECT * FROM case_media WHERE id = ?", (media_id,))
        assert row is not None
        return media_from_row(row)

    async def set_thread(self, case_id: int, thread_id: int | None) -> None:
        """Remember the case's forum topic (None: it was deleted, make a new one)."""
        await self._db.execute("UPDATE cases SET thread_id = ? WHERE id = ?", (thread_id, case_id))

    async def set_card_message(self, case_id: int, message_id: int | None) -> None:
        """Remember the case's message in the officers' chat."""
        await self._db.execute(
            "UPDATE cases SET card_message_id = ? WHERE id = ?", (message_id, case_id)
        )

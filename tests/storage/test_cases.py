"""Cases: the atomic create, lookups, the /antrian order, transitions that always leave an event."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage.cases import CaseRepository
from bot.storage.db import Database
from bot.storage.models import NewCase, NewMedia, NewOutbox, Relative
from bot.storage.repos import Repositories

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
OFFICERS = -1001234567890
OFFICER = 900_001


def new_case(user_id: int = 100_001, **changes: object) -> NewCase:
    case = NewCase(
        user_id=user_id,
        chat_id=user_id,
        kind="self",
        category="passport_held",
        locale="id",
        description="Paspor saya ditahan perusahaan.",
        consent_text_version="2026-01",
        location_text="Sihanoukville",
        media=(NewMedia("photo", "AgAC-file-1", "kontrak"),),
    )
    return replace(case, **changes)  # type: ignore[arg-type]


async def count(db: Database, table: str) -> int:
    return int(await db.scalar(f"SELECT COUNT(*) FROM {table}"))


async def test_create_case_commits_case_event_media_outbox_together(
    repos: Repositories, db: Database
) -> None:
    relative = Relative(name="Budi", relationship="adik", passport_no="C1234567")
    case = await repos.cases.create_case(
        new_case(kind="relative", relative=relative, urgent=True, exact_lat=11.5, exact_lon=104.9),
        [NewOutbox("case_new", OFFICERS, {"first": True})],
        now=T0,
    )
    assert case.status == "baru" and case.urgent and case.created_at == T0
    assert case.relative == relative and (case.exact_lat, case.exact_lon) == (11.5, 104.9)
    assert [e.kind for e in await repos.cases.events(case.id)] == ["created", "media"]
    assert [(m.kind, m.file_id, m.caption) for m in await repos.cases.media(case.id)] == [
        ("photo", "AgAC-file-1", "kontrak")
    ]
    (item,) = await repos.outbox.pending(now=T0)
    assert (item.kind, item.case_id, item.payload) == ("case_new", case.id, {"first": True})
    user = await repos.users.get(100_001)
    assert user is not None and user.locale is None  # created, but no language chosen


@pytest.mark.parametrize(
    "bad_outbox",
    [
        NewOutbox("", OFFICERS),  # violates CHECK (kind <> '')
        NewOutbox("case_new", OFFICERS, {"not json": object()}),  # fails in Python, mid-way
        NewOutbox("case_new", OFFICERS, due_at=datetime(2026, 1, 1)),  # naive time: refused
    ],
)
async def test_a_failure_mid_create_leaves_no_trace(
    repos: Repositories, db: Database, bad_outbox: NewOutbox
) -> None:
    good = NewOutbox("case_new", OFFICERS)
    with pytest.raises((sqlite3.IntegrityError, TypeError, ValueError)):
        await repos.cases.create_case(new_case(), [good, bad_outbox], now=T0)
    for table in ("cases", "case_events", "case_media", "outbox", "users"):
        assert await count(db, table) == 0, table


async def test_references_are_retried_on_collision_and_checked_by_the_schema(
    db: Database,
) -> None:
    refs = iter(["KWN-AAAAAA", "KWN-AAAAAA", "KWN-AAAAAA", "KWN-BBBBBB"])
    cases = CaseRepository(db, new_ref=lambda: next(refs))
    first = await cases.create_case(new_case())
    second = await cases.create_case(new_case())
    assert (first.ref, second.ref) == ("KWN-AAAAAA", "KWN-BBBBBB")

    stuck = CaseRepository(db, new_ref=lambda: "KWN-AAAAAA")
    with pytest.raises(RuntimeError, match="no unused case reference"):
        await stuck.create_case(new_case())
    bad = CaseRepository(db, new_ref=lambda: "KWN-ILOU00")  # not Crockford
    with pytest.raises(sqlite3.IntegrityError):
        await bad.create_case(new_case())
    assert await count(db, "cases") == 2


async def test_lookups(repos: Repositories) -> None:
    old = await repos.cases.create_case(new_case(), now=T0)
    await repos.cases.close(old.id, actor="officer", actor_id=OFFICER, now=T0)
    case = await repos.cases.create_case(new_case(linked_case_id=old.id), now=T0)
    other = await repos.cases.create_case(new_case(user_id=200_002), now=T0)
    await repos.cases.set_thread(case.id, 77)
    await repos.cases.set_card_message(case.id, 5001)

    assert (await repos.cases.get_by_ref(case.ref.lower())) == await repos.cases.get_by_id(case.id)
    assert await repos.cases.get_by_ref("KWN-000000") is None
    assert await repos.cases.get_by_ref("not a ref") is None
    assert (await repos.cases.get_by_thread(77)).id == case.id  # type: ignore[union-attr]
    assert (await repos.cases.get_by_card_message(5001)).id == case.id  # type: ignore[union-attr]
    assert await repos.cases.get_by_thread(78) is None
    assert [c.id for c in await repos.cases.list_for_user(100_001)] == [case.id, old.id]
    assert (await repos.cases.latest_open_for_user(100_001)).id == case.id  # type: ignore[union-attr]
    assert (await repos.cases.get_by_id(case.id)).linked_case_id == old.id  # type: ignore[union-attr]
    assert (await repos.cases.latest_open_for_user(200_002)).id == other.id  # type: ignore[union-attr]
    await repos.cases.set_thread(case.id, None)  # the topic was deleted
    assert await repos.cases.get_by_thread(77) is None


async def test_current_case_is_the_open_one_else_the_last_closed(repos: Repositories) -> None:
    assert await repos.cases.current_for_user(100_001) is None
    first = await repos.cases.create_case(new_case(), now=T0)
    second = await repos.cases.create_case(new_case(), now=T0)
    await repos.cases.close(second.id, actor="officer", actor_id=OFFICER, now=T0)
    # The newer case is closed, the older one still open: follow-ups belong to the open one.
    assert (await repos.cases.current_for_user(100_001)).id == first.id  # type: ignore[union-attr]
    await repos.cases.close(first.id, actor="officer", actor_id=OFFICER, now=T0)
    current = await repos.cases.current_for_user(100_001)
    assert current is not None and current.id == second.id and not current.is_open


async def test_open_queue_is_urgent_first_then_oldest_first(repos: Repositories) -> None:
    def at(minutes: int) -> datetime:
        return T0 + timedelta(minutes=minutes)

    plain_old = await repos.cases.create_case(new_case(), now=at(0))
    urgent_new = await repos.cases.create_case(new_case(urgent=True), now=at(30))
    plain_new = await repos.cases.create_case(new_case(), now=at(20))
    urgent_old = await repos.cases.create_case(new_case(urgent=True), now=at(10))
    closed = await repos.cases.create_case(new_case(urgent=True), now=at(-5))
    await repos.cases.close(closed.id, actor="officer", actor_id=OFFICER, now=at(40))
    claimed = await repos.cases.create_case(new_case(), now=at(5))
    await repos.cases.claim(claimed.id, OFFICER, now=at(6))

    queue = [c.id for c in await repos.cases.open_queue()]
    expected = [urgent_old.id, urgent_new.id, plain_old.id, claimed.id, plain_new.id]
    assert queue == expected
    assert [c.id for c in await repos.cases.open_queue(limit=2, offset=1)] == expected[1:3]
    assert await repos.cases.count_open() == 5
    unclaimed = await repos.cases.unclaimed(created_before=at(15))
    assert [c.id for c in unclaimed] == [urgent_old.id, plain_old.id]


async def test_every_transition_appends_its_event(repos: Repositories, db: Database) -> None:
    case = await repos.cases.create_case(new_case(), now=T0)

    def later(minutes: int) -> datetime:
        return T0 + timedelta(minutes=minutes)

    claimed = await repos.cases.claim(case.id, OFFICER, now=later(1))
    assert claimed is not None and claimed.status == "diambil" and claimed.claimed_by == OFFICER
    assert await repos.cases.claim(case.id, 900_002, now=later(2)) is None  # someone has it
    asked = await repos.cases.request_info(case.id, OFFICER, "Di kota mana?", now=later(3))
    assert asked is not None and asked.status == "menunggu"
    back = await repos.cases.set_status(
        case.id, "diambil", actor="citizen", actor_id=100_001, kind="citizen_message",
        body="Phnom Penh", now=later(4),
    )  # fmt: skip
    assert back is not None and back.status == "diambil"
    first = await repos.cases.record_reply(case.id, OFFICER, "Kami bantu.", now=later(5))
    assert first is not None and first.first_reply_at == later(5)
    again = await repos.cases.record_reply(case.id, OFFICER, "Tunggu ya.", now=later(6))
    assert again is not None and again.first_reply_at == later(5)
    taken = await repos.cases.claim(case.id, 900_002, take_over=True, now=later(7))
    assert taken is not None and taken.claimed_by == 900_002 and taken.status == "diambil"
    referred = await repos.cases.refer(case.id, 900_002, "IOM", now=later(8))
    assert referred is not None and referred.status == "dirujuk" and referred.referred_to == "IOM"
    note = await repos.cases.add_event(
        case.id, actor="officer", actor_id=OFFICER, kind="note", body="internal", now=later(9)
    )
    assert note.kind == "note" and note.body == "internal"
    notify = [NewOutbox("to_citizen", 100_001, {"template": "closed"})]
    closed = await repos.cases.close(
        case.id, actor="officer", actor_id=900_002, body="Selesai.", notify=notify, now=later(10)
    )
    assert closed is not None and closed.status == "selesai" and closed.closed_at == later(10)
    assert not closed.is_open

    events = await repos.cases.events(case.id)
    assert [(e.kind, e.detail) for e in events] == [
        ("created", None), ("media", "photo"), ("claimed", "diambil"),
        ("info_requested", "menunggu"), ("citizen_message", "diambil"), ("reply", None),
        ("reply", None), ("claimed", "diambil"), ("referred", "dirujuk"), ("note", None),
        ("closed", "selesai"),
    ]  # fmt: skip
    assert [e.at for e in events][2:] == [later(m) for m in range(1, 11) if m != 2]
    (item,) = await repos.outbox.pending(now=later(10))
    assert (item.kind, item.case_id) == ("to_citizen", case.id)

    # A closed case is never reopened: every transition is refused and leaves no event.
    assert await repos.cases.claim(case.id, OFFICER, take_over=True) is None
    assert await repos.cases.set_status(case.id, "baru", actor="system", actor_id=None) is None
    assert await repos.cases.close(case.id, actor="officer", actor_id=OFFICER) is None
    assert await repos.cases.record_reply(case.id, OFFICER, "late") is None
    assert len(await repos.cases.events(case.id)) == len(events)
    with pytest.raises(ValueError, match="close"):
        await repos.cases.set_status(case.id, "selesai", actor="system", actor_id=None)
    assert await repos.cases.claim(9999, OFFICER) is None


async def test_latest_event_and_media_after_intake(repos: Repositories) -> None:
    case = await repos.cases.create_case(new_case(media=()), now=T0)
    media = await repos.cases.add_media(case.id, "document", "BQAC-doc", now=T0)
    assert (media.kind, media.file_id, media.caption) == ("document", "BQAC-doc", None)
    await repos.cases.record_reply(case.id, OFFICER, "Balasan pertama", now=T0)
    await repos.cases.add_event(case.id, actor="citizen", actor_id=1, kind="citizen_message")
    await repos.cases.record_reply(case.id, OFFICER, "Balasan kedua", now=T0)
    await repos.cases.add_event(case.id, actor="system", actor_id=None, kind="delivered")
    last = await repos.cases.latest_event(case.id, {"reply", "closed"})
    assert last is not None and last.body == "Balasan kedua"
    assert await repos.cases.latest_event(case.id, {"referred"}) is None


async def test_the_audit_trail_is_append_only(repos: Repositories, db: Database) -> None:
    case = await repos.cases.create_case(new_case(), now=T0)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        await db.execute("DELETE FROM case_events WHERE case_id = ?", (case.id,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        await db.execute("UPDATE case_events SET kind = 'forged' WHERE case_id = ?", (case.id,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        await db.execute("UPDATE case_events SET body = 'rewritten' WHERE case_id = ?", (case.id,))
    # Erasure may clear.
    assert await db.execute("UPDATE case_events SET body = NULL, actor_id = NULL") == 2


async def test_cases_with_kbris_last_word_in_one_query(repos: Repositories) -> None:
    kinds = ("reply", "info_requested", "closed")
    assert await repos.cases.list_with_last_word(100_001, kinds) == []
    old = await repos.cases.create_case(new_case(), now=T0)
    await repos.cases.record_reply(old.id, OFFICER, "Silakan datang hari Senin.")
    await repos.cases.add_event(old.id, actor="officer", actor_id=OFFICER, kind="note", body="x")
    new = await repos.cases.create_case(new_case(), now=T0)
    await repos.cases.create_case(new_case(user_id=200_002), now=T0)

    listed = await repos.cases.list_with_last_word(100_001, kinds)
    assert [(case.id, last) for case, last in listed] == [
        (new.id, None),  # nothing from KBRI yet
        (old.id, "Silakan datang hari Senin."),  # the note is internal, not KBRI's word
    ]
    assert len(await repos.cases.list_with_last_word(100_001, kinds, limit=1)) == 1

"""Case rows: rows back as dataclasses, appended events and media, every CaseReader lookup."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage.case_rows import CaseReader, insert_event, insert_media
from bot.storage.cases import CaseRepository
from bot.storage.db import Database
from bot.storage.models import NewCase, Relative
from bot.storage.timestamps import stamp

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
OFFICER = 900_001
SITI, BUDI = 100_001, 100_002
LONG = ("Tolong <b>&amp;</b> 😟 " * 500)[:10_000]  # markup, entities and emoji


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def new_case(user_id: int = SITI, **changes: object) -> NewCase:
    case = NewCase(
        user_id=user_id,
        chat_id=user_id,
        kind="self",
        category="passport_held",
        locale="id",
        description="Paspor saya ditahan.",
        consent_text_version="2026-01",
    )
    return replace(case, **changes)  # type: ignore[arg-type]


def refs(*values: str) -> Iterator[str]:
    yield from values


@pytest.fixture
def writer(db: Database) -> CaseRepository:
    return CaseRepository(db)


@pytest.fixture
def reader(db: Database) -> CaseReader:
    return CaseReader(db)


async def test_a_full_row_reads_back_field_for_field(db: Database, reader: CaseReader) -> None:
    relative = Relative(name="Budi", relationship="adik", last_place="Bavet")
    new = new_case(
        kind="relative", urgent=True, safe_to_talk=False, location_text="Sihanoukville",
        exact_lat=10.6, exact_lon=103.5, contact_policy="safe_hours", safe_hours_from=20,
        safe_hours_to=22, relative=relative, description=LONG,
    )  # fmt: skip
    created = await CaseRepository(db, refs("KWN-7G4K2P").__next__).create_case(new, now=T0)
    case = await reader.get_by_id(created.id)
    assert case == created
    assert case is not None and case.ref == "KWN-7G4K2P"
    assert (case.kind, case.urgent, case.status) == ("relative", True, "baru")
    assert case.safe_to_talk is False  # not None: "no" is an answer
    assert (case.exact_lat, case.exact_lon) == (10.6, 103.5)
    assert (case.contact_policy, case.safe_hours_from, case.safe_hours_to) == (
        "safe_hours", 20, 22,
    )  # fmt: skip
    assert case.relative == relative and case.description == LONG
    assert case.consent_at == case.created_at == T0 and case.created_at.tzinfo is not None
    assert (case.claimed_by, case.claimed_at, case.closed_at, case.erased_at) == (None,) * 4


async def test_unanswered_optional_fields_stay_none(writer: CaseRepository) -> None:
    case = await writer.create_case(new_case(), now=T0)
    assert case.safe_to_talk is None and case.relative is None
    assert (case.exact_lat, case.exact_lon, case.location_text) == (None, None, None)


async def test_get_by_ref_forgives_how_people_type_a_reference(db: Database) -> None:
    writer = CaseRepository(db, refs("KWN-0A1B2C").__next__)
    case = await writer.create_case(new_case(), now=T0)
    for typed in ("KWN-0A1B2C", "kwn-0a1b2c", " kwn 0a1 b2c ", "0A1B2C", "KWN-OAIB2C", "oalb2c"):
        found = await writer.get_by_ref(typed)
        assert found is not None and found.id == case.id, typed
    for other in ("KWN-0A1B2D", "KWN-0A1B2", "", "hello", "KWN-0A1B2C9"):
        assert await writer.get_by_ref(other) is None, other


async def test_a_reused_topic_or_card_id_finds_the_newest_case(
    writer: CaseRepository, reader: CaseReader
) -> None:
    old = await writer.create_case(new_case(), now=at(0))
    new = await writer.create_case(new_case(BUDI), now=at(1))
    for case in (old, new):
        await writer.set_thread(case.id, 77)
        await writer.set_card_message(case.id, 501)
    by_thread = await reader.get_by_thread(77)
    by_card = await reader.get_by_card_message(501)
    assert by_thread is not None and by_thread.id == new.id and by_thread.thread_id == 77
    assert by_card is not None and by_card.id == new.id and by_card.card_message_id == 501
    assert await reader.get_by_thread(78) is None
    assert await reader.get_by_card_message(502) is None


async def test_which_case_a_follow_up_belongs_to(
    writer: CaseRepository, reader: CaseReader
) -> None:
    assert await reader.latest_open_for_user(SITI) is None
    assert await reader.current_for_user(SITI) is None
    first = await writer.create_case(new_case(), now=at(0))
    second = await writer.create_case(new_case(), now=at(1))
    others = await writer.create_case(new_case(BUDI), now=at(2))
    latest = await reader.latest_open_for_user(SITI)
    assert latest is not None and latest.id == second.id != others.id

    await writer.close(second.id, actor="officer", actor_id=OFFICER, now=at(3))
    latest = await reader.latest_open_for_user(SITI)
    current = await reader.current_for_user(SITI)
    assert latest is not None and latest.id == first.id  # the older, still open one
    assert current is not None and current.id == first.id  # open beats a newer closed one

    await writer.close(first.id, actor="officer", actor_id=OFFICER, now=at(4))
    assert await reader.latest_open_for_user(SITI) is None
    current = await reader.current_for_user(SITI)
    assert current is not None and current.id == second.id and not current.is_open


async def test_list_for_user_is_newest_first_and_limited(
    writer: CaseRepository, reader: CaseReader
) -> None:
    ids = [(await writer.create_case(new_case(), now=at(i))).id for i in range(4)]
    await writer.create_case(new_case(BUDI), now=at(9))
    assert [c.id for c in await reader.list_for_user(SITI)] == ids[::-1]
    assert [c.id for c in await reader.list_for_user(SITI, limit=2)] == ids[:1:-1]
    assert await reader.list_for_user(424242) == []


async def test_list_with_last_word_takes_the_newest_event_of_the_kinds_asked(
    writer: CaseRepository, reader: CaseReader
) -> None:
    answered = await writer.create_case(new_case(), now=at(0))
    silent = await writer.create_case(new_case(), now=at(1))
    await writer.record_reply(answered.id, OFFICER, "Jawaban pertama", now=at(2))
    await writer.record_reply(answered.id, OFFICER, LONG, now=at(3))
    await writer.add_event(
        answered.id, actor="officer", actor_id=OFFICER, kind="note", body="internal", now=at(4)
    )
    listed = await reader.list_with_last_word(SITI, {"reply"})
    assert [(c.id, word) for c, word in listed] == [(silent.id, None), (answered.id, LONG)]
    with_notes = await reader.list_with_last_word(SITI, {"reply", "note"}, limit=1)
    assert [(c.id, word) for c, word in with_notes] == [(silent.id, None)]
    assert (await reader.list_with_last_word(SITI, {"reply", "note"}))[1][1] == "internal"
    assert [word for _, word in await reader.list_with_last_word(SITI, set())] == [None, None]


async def test_open_queue_is_urgent_first_then_oldest_then_by_id(
    writer: CaseRepository, reader: CaseReader
) -> None:
    late = await writer.create_case(new_case(), now=at(5))
    early_a = await writer.create_case(new_case(), now=at(1))
    early_b = await writer.create_case(new_case(), now=at(1))  # same time: id decides
    urgent_late = await writer.create_case(new_case(urgent=True), now=at(9))
    urgent_early = await writer.create_case(new_case(urgent=True), now=at(7))
    closed = await writer.create_case(new_case(urgent=True), now=at(0))
    await writer.close(closed.id, actor="officer", actor_id=OFFICER, now=at(10))
    order = [urgent_early.id, urgent_late.id, early_a.id, early_b.id, late.id]
    assert [c.id for c in await reader.open_queue()] == order
    assert [c.id for c in await reader.open_queue(limit=2, offset=2)] == order[2:4]
    assert await reader.open_queue(limit=5, offset=5) == []
    assert await reader.count_open() == 5


async def test_unclaimed_includes_the_cutoff_and_skips_claimed_and_closed(
    writer: CaseRepository, reader: CaseReader
) -> None:
    on_cutoff = await writer.create_case(new_case(), now=at(10))
    before = await writer.create_case(new_case(), now=at(0))
    await writer.create_case(new_case(), now=at(10) + timedelta(milliseconds=1))  # too new
    claimed = await writer.create_case(new_case(), now=at(0))
    await writer.claim(claimed.id, OFFICER, now=at(1))
    closed = await writer.create_case(new_case(), now=at(0))
    await writer.close(closed.id, actor="system", actor_id=None, now=at(1))
    assert [c.id for c in await reader.unclaimed(at(10))] == [before.id, on_cutoff.id]
    assert [c.id for c in await reader.unclaimed(at(10), limit=1)] == [before.id]
    assert await reader.unclaimed(at(-1)) == []


async def test_events_append_in_order_and_keep_text_exactly(
    db: Database, writer: CaseRepository, reader: CaseReader
) -> None:
    case = await writer.create_case(new_case(), now=at(0))
    other = await writer.create_case(new_case(BUDI), now=at(0))
    first = await insert_event(db, case.id, stamp(at(1)), "citizen", SITI, "citizen_message",
                               body=LONG)  # fmt: skip
    second = await insert_event(db, case.id, stamp(at(2)), "system", None, "reminder", "30")
    await insert_event(db, other.id, stamp(at(3)), "citizen", BUDI, "citizen_message", body="x")
    assert first < second
    events = await reader.events(case.id)
    assert [(e.kind, e.actor, e.actor_id) for e in events] == [
        ("created", "citizen", SITI),
        ("citizen_message", "citizen", SITI),
        ("reminder", "system", None),
    ]
    assert events[1].id == first and events[1].body == LONG and events[1].detail is None
    assert (events[2].at, events[2].detail, events[2].body) == (at(2), "30", None)


async def test_latest_event_filters_by_kind(
    db: Database, writer: CaseRepository, reader: CaseReader
) -> None:
    case = await writer.create_case(new_case(), now=at(0))
    await writer.record_reply(case.id, OFFICER, "Sudah kami terima", now=at(1))
    await writer.request_info(case.id, OFFICER, "Di kota mana?", now=at(2))
    await insert_event(db, case.id, stamp(at(3)), "officer", OFFICER, "note", body="catatan")
    reply = await reader.latest_event(case.id, ["reply"])
    newest = await reader.latest_event(case.id, ("reply", "info_requested"))
    assert reply is not None and reply.body == "Sudah kami terima"
    assert newest is not None and (newest.body, newest.detail) == ("Di kota mana?", "menunggu")
    assert await reader.latest_event(case.id, ["closed"]) is None
    assert await reader.latest_event(case.id + 99, ["reply"]) is None


async def test_media_is_stored_with_its_event_oldest_first(
    db: Database, writer: CaseRepository, reader: CaseReader
) -> None:
    case = await writer.create_case(new_case(), now=at(0))
    photo = await insert_media(db, case.id, stamp(at(1)), "photo", "AgAC-1", "kontrak <kerja>")
    doc = await insert_media(db, case.id, stamp(at(2)), "document", "BQAC-2", None)
    media = await reader.media(case.id)
    assert [(m.id, m.kind, m.file_id, m.caption) for m in media] == [
        (photo, "photo", "AgAC-1", "kontrak <kerja>"),
        (doc, "document", "BQAC-2", None),
    ]
    assert [m.created_at for m in media] == [at(1), at(2)]
    events = [(e.kind, e.detail, e.at) for e in await reader.events(case.id)]
    assert events[1:] == [("media", "photo", at(1)), ("media", "document", at(2))]
    assert await reader.media(case.id + 1) == []


async def test_inserts_join_the_callers_transaction(
    db: Database, writer: CaseRepository, reader: CaseReader
) -> None:
    case = await writer.create_case(new_case(), now=at(0))
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await insert_event(db, case.id, stamp(at(1)), "citizen", SITI, "citizen_message")
            await insert_media(db, case.id, stamp(at(1)), "photo", "AgAC-1", None)
            raise RuntimeError("handler failed")
    assert [e.kind for e in await reader.events(case.id)] == ["created"]
    assert await reader.media(case.id) == []


async def test_the_schema_refuses_an_empty_event_kind_and_an_unknown_case(
    db: Database, writer: CaseRepository
) -> None:
    case = await writer.create_case(new_case(), now=at(0))
    with pytest.raises(sqlite3.IntegrityError):
        await insert_event(db, case.id, stamp(at(1)), "citizen", SITI, "")
    with pytest.raises(sqlite3.IntegrityError):
        await insert_event(db, case.id + 1, stamp(at(1)), "citizen", SITI, "citizen_message")

"""Message ids: what /hapus and auto-delete find, what is forgotten when, and relay links."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage.db import Database
from bot.storage.messages import DELETABLE_FOR, MessageRepository
from bot.storage.models import ChatMessage, NewCase
from bot.storage.repos import Repositories

T0 = datetime(2026, 4, 6, 12, 0, tzinfo=UTC)
SITI, BUDI, OFFICERS = 100_001, 100_002, -1001234567890


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def messages(db: Database) -> MessageRepository:
    return MessageRepository(db)


def case_for(user_id: int) -> NewCase:
    return NewCase(
        user_id=user_id, chat_id=user_id, kind="self", category="other", locale="id",
        description="Tolong", consent_text_version="2026-01",
    )  # fmt: skip


def test_the_deletion_window_is_telegrams_48_hours() -> None:
    assert timedelta(hours=48) == DELETABLE_FOR


async def test_recent_sees_recorded_ids_at_once_oldest_first_from_since_on(
    messages: MessageRepository,
) -> None:
    await messages.record(SITI, 12, "out", at=at(2))
    await messages.record(SITI, 10, "in", at=at(1))
    await messages.record(SITI, 11, "out", at=at(1))
    await messages.record(SITI, 9, "in", at=at(0))
    await messages.record(BUDI, 13, "in", at=at(3))
    # Recorded ids are deferred writes, yet the very next read sees them: no waiting.
    assert await messages.recent(SITI, at(1)) == [10, 11, 12]  # `since` itself is included
    assert await messages.recent(SITI, at(0)) == [9, 10, 11, 12]
    assert await messages.recent(SITI, at(2) + timedelta(milliseconds=1)) == []
    assert await messages.recent(BUDI, at(0)) == [13]
    assert await messages.recent(424242, at(0)) == []


async def test_an_id_noted_twice_keeps_its_first_time(messages: MessageRepository) -> None:
    await messages.record(SITI, 5, "in", at=at(0))
    await messages.record(SITI, 5, "in", at=at(30))  # a retry noting the same message
    assert await messages.recent(SITI, at(0)) == [5]
    assert await messages.recent(SITI, at(1)) == []


async def test_a_recorded_id_survives_closing_right_away(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "kawan.sqlite3")
    await MessageRepository(db).record(SITI, 7, "out", at=at(0))
    await db.close()
    reopened = await Database.open(tmp_path / "kawan.sqlite3")
    try:
        assert await MessageRepository(reopened).recent(SITI, at(0)) == [7]
    finally:
        await reopened.close()


async def test_forget_drops_only_the_given_ids_of_that_chat(messages: MessageRepository) -> None:
    for message_id in (1, 2, 3):
        await messages.record(SITI, message_id, "out", at=at(0))
        await messages.record(BUDI, message_id, "out", at=at(0))
    assert await messages.forget(SITI, (m for m in (1, 3, 99))) == 2  # any iterable
    assert await messages.forget(SITI, []) == 0
    assert await messages.recent(SITI, at(0)) == [2]
    assert await messages.recent(BUDI, at(0)) == [1, 2, 3]


async def test_forget_older_than_keeps_the_cutoff_itself(messages: MessageRepository) -> None:
    await messages.record(SITI, 1, "in", at=at(-1))
    await messages.record(SITI, 2, "in", at=at(0))
    await messages.record(BUDI, 3, "out", at=at(-2))
    assert await messages.forget_older_than(at(0)) == 2
    assert await messages.recent(SITI, at(-10)) == [2]
    assert await messages.recent(BUDI, at(-10)) == []
    assert await messages.forget_older_than(at(0)) == 0


async def test_auto_delete_is_due_exactly_when_the_users_minutes_have_passed(
    repos: Repositories, messages: MessageRepository
) -> None:
    for user_id in (SITI, BUDI, 100_003):
        await repos.users.touch(user_id, "id", now=at(0))
    await repos.users.set_autodelete(SITI, 10)
    await repos.users.set_autodelete(BUDI, 60)  # 100_003 has auto-delete off
    await messages.record(SITI, 1, "in", at=at(0))
    await messages.record(SITI, 2, "out", at=at(0) + timedelta(milliseconds=1))
    await messages.record(SITI, 3, "out", at=at(-5))
    await messages.record(BUDI, 4, "in", at=at(-45))
    await messages.record(100_003, 5, "in", at=at(-600))
    await messages.record(OFFICERS, 6, "out", at=at(-600))  # no users row: never auto-deleted

    due = await messages.due_for_autodelete(now=at(10))
    assert due == [
        ChatMessage(SITI, 3, "out", at(-5)),
        ChatMessage(SITI, 1, "in", at(0)),  # exactly 10 minutes old: due
    ]
    later = await messages.due_for_autodelete(now=at(15))
    assert [(m.chat_id, m.message_id) for m in later] == [
        (BUDI, 4),
        (SITI, 3),
        (SITI, 1),
        (SITI, 2),
    ]
    assert [m.message_id for m in await messages.due_for_autodelete(now=at(15), limit=1)] == [4]

    await repos.users.set_autodelete(SITI, None)  # turned off: nothing of theirs is due
    assert [m.chat_id for m in await messages.due_for_autodelete(now=at(15))] == [BUDI]


async def test_auto_delete_counts_minutes_across_a_day_boundary(
    repos: Repositories, messages: MessageRepository
) -> None:
    await repos.users.touch(SITI, "id", now=T0)
    await repos.users.set_autodelete(SITI, 24 * 60)
    yesterday = datetime(2026, 4, 5, 23, 59, 59, 999_000, tzinfo=UTC)
    await messages.record(SITI, 1, "in", at=yesterday)
    assert await messages.due_for_autodelete(now=yesterday + timedelta(hours=24)) != []
    assert await messages.due_for_autodelete(now=yesterday + timedelta(hours=23, minutes=59)) == []


async def test_links_find_the_case_and_a_relink_replaces_it(
    repos: Repositories, messages: MessageRepository
) -> None:
    first = await repos.cases.create_case(case_for(SITI), now=at(0))
    second = await repos.cases.create_case(case_for(BUDI), now=at(0))
    await messages.link(OFFICERS, 500, first.id, "officers", now=at(1))
    await messages.link(SITI, 500, second.id, "citizen", now=at(1))  # same id, other chat
    assert await messages.case_for_message(OFFICERS, 500) == first.id
    assert await messages.case_for_message(SITI, 500) == second.id
    assert await messages.case_for_message(OFFICERS, 501) is None

    await messages.link(OFFICERS, 500, second.id, "officers", now=at(2))
    assert await messages.case_for_message(OFFICERS, 500) == second.id


async def test_a_link_must_name_a_real_case_and_a_known_side(
    repos: Repositories, messages: MessageRepository
) -> None:
    case = await repos.cases.create_case(case_for(SITI), now=at(0))
    with pytest.raises(sqlite3.IntegrityError):
        await messages.link(OFFICERS, 1, case.id + 1, "officers")
    with pytest.raises(sqlite3.IntegrityError):
        await messages.link(OFFICERS, 1, case.id, "nobody")  # type: ignore[arg-type]
    assert await messages.case_for_message(OFFICERS, 1) is None

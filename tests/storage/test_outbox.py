"""Outbox, message ids and users: what the dispatcher, /hapus and preferences rely on."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage.db import Database
from bot.storage.models import NewCase, NewOutbox
from bot.storage.repos import Repositories

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OFFICERS = -1001234567890
CITIZEN = 100_001


def later(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def test_pending_deliver_reschedule_give_up(repos: Repositories) -> None:
    outbox = repos.outbox
    a = await outbox.enqueue(NewOutbox("case_new", OFFICERS, {"n": 1}), now=T0)
    b = await outbox.enqueue(NewOutbox("case_update", OFFICERS, due_at=later(5)), now=T0)
    c = await outbox.enqueue(NewOutbox("case_new", OFFICERS), now=later(1))
    assert (a.attempts, a.held, a.delivered_at, a.due_at) == (0, False, None, T0)

    assert [i.id for i in await outbox.pending(now=T0)] == [a.id]
    assert [i.id for i in await outbox.pending(now=later(5))] == [a.id, c.id, b.id]
    assert [i.id for i in await outbox.pending(now=later(5), limit=1)] == [a.id]
    assert await outbox.count_pending() == 3
    assert await outbox.count_pending("case_new") == 2

    assert await outbox.mark_delivered(a.id, 4242, now=later(2))
    assert not await outbox.mark_delivered(a.id, 4243)  # already final: no double count
    done = await outbox.get(a.id)
    assert done is not None and done.result_message_id == 4242 and done.delivered_at == later(2)

    assert await outbox.reschedule(c.id, later(10), "NetworkError")
    retried = await outbox.get(c.id)
    assert retried is not None and (retried.attempts, retried.due_at) == (1, later(10))
    assert retried.last_error == "NetworkError"
    assert [i.id for i in await outbox.pending(now=later(9))] == [b.id]

    assert await outbox.give_up(b.id, "Forbidden", now=later(6))
    assert not await outbox.reschedule(b.id, later(7), "late")
    assert [i.id for i in await outbox.pending(now=later(60))] == [c.id]
    assert await outbox.count_pending() == 1

    assert await outbox.prune_delivered(later(3)) == 1
    assert await outbox.get(a.id) is None


async def test_held_rows_wait_for_the_citizens_next_contact(repos: Repositories) -> None:
    outbox = repos.outbox
    held = await outbox.enqueue(NewOutbox("to_citizen", CITIZEN, {"t": "reply"}, held=True))
    later_held = await outbox.enqueue(NewOutbox("to_citizen", CITIZEN, due_at=later(1)))
    assert await outbox.hold(later_held.id)
    other = await outbox.enqueue(NewOutbox("to_citizen", 200_002, held=True))
    assert await outbox.pending(now=later(60)) == []
    assert await outbox.count_pending() == 0

    released = await outbox.release_held(CITIZEN, now=later(30))
    assert [(i.id, i.held, i.due_at) for i in released] == [
        (held.id, False, later(30)),
        (later_held.id, False, later(30)),
    ]
    assert [i.id for i in await outbox.pending(now=later(30))] == [held.id, later_held.id]
    assert await outbox.release_held(CITIZEN) == []
    still = await outbox.get(other.id)
    assert still is not None and still.held


async def test_outbox_rows_join_a_case_transition(repos: Repositories, db: Database) -> None:
    case = await repos.cases.create_case(
        NewCase(CITIZEN, CITIZEN, "self", "other", "id", "help", "v1"), now=T0
    )
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction():
            await repos.cases.record_reply(case.id, 1, "Halo", now=T0)
            await repos.outbox.enqueue(NewOutbox("", CITIZEN, case_id=case.id))
    assert [e.kind for e in await repos.cases.events(case.id)] == ["created"]
    assert await repos.outbox.count_pending() == 0


async def test_message_ids_for_hapus_and_autodelete(repos: Repositories) -> None:
    messages = repos.messages
    await repos.users.touch(CITIZEN, now=T0)
    await repos.users.set_autodelete(CITIZEN, 10)
    await repos.users.touch(200_002, now=T0)  # no auto-delete
    for message_id, minutes in ((1, 0), (2, 5), (3, 11), (4, 30)):
        await messages.record(
            CITIZEN, message_id, "in" if message_id % 2 else "out", at=later(minutes)
        )
        await messages.record(200_002, message_id, "in", at=later(minutes))
    await messages.record(CITIZEN, 1, "in", at=later(99))  # recorded twice: kept once

    assert await messages.recent(CITIZEN, later(5)) == [2, 3, 4]
    due = await messages.due_for_autodelete(now=later(15))
    assert [(m.chat_id, m.message_id, m.direction) for m in due] == [
        (CITIZEN, 1, "in"),
        (CITIZEN, 2, "out"),
    ]
    assert due[0].sent_at == T0
    assert await messages.forget(CITIZEN, [1, 2, 99]) == 2
    assert await messages.recent(CITIZEN, T0) == [3, 4]
    assert await messages.forget_older_than(later(20)) == 4  # CITIZEN 3, 200_002's 1, 2, 3
    assert await messages.recent(200_002, T0) == [4]


async def test_relay_links_find_the_case(repos: Repositories) -> None:
    case = await repos.cases.create_case(
        NewCase(CITIZEN, CITIZEN, "self", "other", "id", "help", "v1"), now=T0
    )
    await repos.messages.link(OFFICERS, 501, case.id, "officers")
    await repos.messages.link(CITIZEN, 77, case.id, "citizen")
    assert await repos.messages.case_for_message(OFFICERS, 501) == case.id
    assert await repos.messages.case_for_message(CITIZEN, 77) == case.id
    assert await repos.messages.case_for_message(CITIZEN, 501) is None  # ids are per chat


async def test_user_preferences(repos: Repositories) -> None:
    users = repos.users
    assert await users.get(CITIZEN) is None
    assert await users.set_locale(CITIZEN, "en") is None  # never seen
    user = await users.touch(CITIZEN, "en", now=T0)
    assert (user.locale, user.contact_policy, user.created_at) == ("en", "any", T0)
    assert (await users.set_locale(CITIZEN, "id")).locale == "id"  # type: ignore[union-attr]
    user = await users.touch(CITIZEN, "en", now=later(1))
    assert (user.locale, user.created_at, user.last_seen_at) == ("id", T0, later(1))

    user = await users.set_contact_policy(CITIZEN, "safe_hours", 20, 22)  # type: ignore[assignment]
    assert (user.contact_policy, user.safe_hours_from, user.safe_hours_to) == ("safe_hours", 20, 22)
    user = await users.set_contact_policy(CITIZEN, "never_first", 20, 22)  # type: ignore[assignment]
    assert (user.contact_policy, user.safe_hours_from) == ("never_first", None)
    with pytest.raises(ValueError):
        await users.set_contact_policy(CITIZEN, "safe_hours", 20)
    with pytest.raises(ValueError):
        await users.set_contact_policy(CITIZEN, "safe_hours", 20, 24)
    assert (await users.set_autodelete(CITIZEN, 15)).autodelete_minutes == 15  # type: ignore[union-attr]
    assert (await users.set_autodelete(CITIZEN, None)).autodelete_minutes is None  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        await users.set_autodelete(CITIZEN, 0)

    gone = await users.mark_bot_blocked(CITIZEN, True, now=later(2))
    assert gone is not None and gone.bot_blocked_at == later(2)
    back = await users.touch(CITIZEN, now=later(3))  # writing to us again undoes it
    assert back.bot_blocked_at is None


async def test_block_and_unblock_are_recorded_on_the_latest_case(repos: Repositories) -> None:
    users = repos.users
    assert await users.block(CITIZEN, 900_001) is None  # unknown user
    await users.touch(CITIZEN, now=T0)
    blocked = await users.block(CITIZEN, 900_001, now=later(1))  # no case yet: no event
    assert blocked is not None and blocked.blocked and blocked.blocked_by == 900_001
    case = await repos.cases.create_case(
        NewCase(CITIZEN, CITIZEN, "self", "other", "id", "spam", "v1"), now=later(2)
    )
    unblocked = await users.unblock(CITIZEN, 900_002, now=later(3))
    assert unblocked is not None and not unblocked.blocked and unblocked.blocked_by is None
    await users.block(CITIZEN, 900_001, now=later(4))
    events = await repos.cases.events(case.id)
    assert [(e.kind, e.actor, e.actor_id) for e in events] == [
        ("created", "citizen", CITIZEN),
        ("unblocked", "officer", 900_002),
        ("blocked", "officer", 900_001),
    ]

"""Case recovery in storage: wrong tries lock once, tries per account age out, a take-over
moves the case, its queued replies and nothing else, and is decided once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.storage.models import Case, NewCase, NewOutbox
from bot.storage.recovery import MAX_FAILURES
from bot.storage.repos import Repositories

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
OLD, NEW = 100, 200


async def _case(repos: Repositories) -> Case:
    case = await repos.cases.create_case(
        NewCase(user_id=OLD, chat_id=OLD, kind="self", category="passport", locale="id",
                description="paspor ditahan", consent_text_version="test"),
        now=T0,
    )  # fmt: skip
    await repos.recovery.set_phrase(case.id, "scrypt$00$11")
    return case


async def test_wrong_phrases_lock_the_case_exactly_once(repos: Repositories) -> None:
    case = await _case(repos)
    locked = [await repos.recovery.failed(case.id, T0) for _ in range(MAX_FAILURES + 2)]
    assert locked == [False] * (MAX_FAILURES - 1) + [True, False, False]
    state = await repos.recovery.state(case.id)
    assert state is not None and state.locked and state.failures == MAX_FAILURES + 2
    assert await repos.recovery.failed(case.id + 1, T0) is False  # no phrase: nothing to count


async def test_a_new_phrase_replaces_the_old_and_keeps_the_count(repos: Repositories) -> None:
    case = await _case(repos)
    await repos.recovery.failed(case.id, T0)
    await repos.recovery.set_phrase(case.id, "scrypt$22$33")
    state = await repos.recovery.state(case.id)
    assert state is not None and state.phrase_hash == "scrypt$22$33" and state.failures == 1


async def test_tries_are_counted_per_account_within_the_window(repos: Repositories) -> None:
    hour = timedelta(hours=1)
    assert await repos.recovery.attempt(NEW, T0, T0 - hour) == 1
    assert await repos.recovery.attempt(NEW, T0 + timedelta(minutes=5), T0 - hour) == 2
    assert await repos.recovery.attempt(OLD, T0 + timedelta(minutes=6), T0 - hour) == 1
    assert await repos.recovery.attempt(NEW, T0 + 2 * hour, T0 + hour) == 1  # the old aged out


async def test_an_approved_take_over_moves_the_case_and_its_queued_replies(
    repos: Repositories,
) -> None:
    case = await _case(repos)
    await repos.outbox.enqueue(NewOutbox(kind="reply", target_chat_id=OLD, case_id=case.id))
    await repos.outbox.enqueue(NewOutbox(kind="notice", target_chat_id=-100, case_id=case.id))
    for _ in range(2):
        await repos.recovery.failed(case.id, T0)
    request = await repos.recovery.open_request(case.id, NEW, NEW, "en", T0)
    assert request is not None and request.decision is None
    assert await repos.recovery.open_request(case.id, NEW, NEW, "en", T0) is None  # waiting
    assert await repos.recovery.decide(request, officer_id=900, approved=True, now=T0)
    assert not await repos.recovery.decide(request, officer_id=901, approved=False, now=T0)
    moved = await repos.cases.get_by_id(case.id)
    assert moved is not None and (moved.user_id, moved.chat_id) == (NEW, NEW)
    targets = await repos.db.fetchall(
        "SELECT target_chat_id FROM outbox WHERE case_id = ? ORDER BY id", (case.id,)
    )
    assert [row[0] for row in targets] == [NEW, -100]  # the officers' notice stays put
    state = await repos.recovery.state(case.id)
    assert state is not None and state.failures == 0
    assert await repos.users.get(NEW) is not None
    decided = await repos.recovery.request(request.id)
    assert decided is not None and decided.decision == "approved"
    assert "recovered" in [e.kind for e in await repos.cases.events(case.id)]


async def test_a_refused_take_over_changes_nothing_but_the_record(repos: Repositories) -> None:
    case = await _case(repos)
    request = await repos.recovery.open_request(case.id, NEW, NEW, "id", T0)
    assert request is not None
    assert await repos.recovery.decide(request, officer_id=900, approved=False, now=T0)
    same = await repos.cases.get_by_id(case.id)
    assert same is not None and (same.user_id, same.chat_id) == (OLD, OLD)
    assert "recovery_refused" in [e.kind for e in await repos.cases.events(case.id)]
    again = await repos.recovery.open_request(case.id, NEW, NEW, "id", T0)
    assert again is not None and again.id != request.id  # decided: a new request may follow

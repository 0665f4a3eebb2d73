"""Check-in arrangements: periods that restart on a sign of life, steps only one run can take,
and a history that goes when the person opts out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.storage.repos import Repositories

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


async def _start(repos: Repositories, user_id: int = 1, minutes: int = 60) -> None:
    await repos.checkins.start(user_id, user_id, minutes, None, "di mess", "id", T0)


async def test_an_arrangement_is_due_one_interval_after_it_starts(repos: Repositories) -> None:
    await _start(repos)
    checkin = await repos.checkins.get(1)
    assert checkin is not None and checkin.stage == 0 and checkin.note == "di mess"
    assert checkin.due_at == T0 + 60 * MINUTE
    assert await repos.checkins.due(T0 + 59 * MINUTE) == []
    assert [c.user_id for c in await repos.checkins.due(T0 + 60 * MINUTE)] == [1]


async def test_a_sign_of_life_restarts_the_period_from_that_moment(repos: Repositories) -> None:
    await _start(repos)
    await repos.checkins.advance(1, 0, 1, T0 + 70 * MINUTE, "prompt", T0 + 60 * MINUTE)
    later = T0 + 65 * MINUTE
    answered = await repos.checkins.answered(1, "ok", later)
    assert answered is not None and answered.stage == 0 and answered.last_ok_at == later
    assert answered.due_at == later + 60 * MINUTE  # computed in SQL, read back exactly
    assert await repos.checkins.answered(2, "ok", later) is None  # no arrangement


async def test_a_step_is_taken_once_even_when_two_runs_race(repos: Repositories) -> None:
    await _start(repos)
    at = T0 + 60 * MINUTE
    assert await repos.checkins.advance(1, 0, 1, at + 10 * MINUTE, "prompt", at)
    assert not await repos.checkins.advance(1, 0, 1, at + 10 * MINUTE, "prompt", at)
    assert await repos.checkins.advance(1, 1, 3, at + 20 * MINUTE, "missed", at)
    assert await repos.checkins.due(at + 60 * MINUTE) == []  # stage 3: the officers have it
    kinds = [entry.kind for entry in await repos.checkins.history(1)]
    assert kinds == ["started", "prompt", "missed"]


async def test_postponing_moves_the_same_step_later(repos: Repositories) -> None:
    await _start(repos)
    await repos.checkins.postpone(1, T0 + 300 * MINUTE)
    assert await repos.checkins.due(T0 + 299 * MINUTE) == []
    checkin = await repos.checkins.get(1)
    assert checkin is not None and checkin.stage == 0


async def test_due_arrangements_come_oldest_first_within_the_limit(repos: Repositories) -> None:
    for user_id, minutes in ((1, 90), (2, 30), (3, 60)):
        await _start(repos, user_id, minutes)
    due = await repos.checkins.due(T0 + 120 * MINUTE, limit=2)
    assert [c.user_id for c in due] == [2, 3]


async def test_opting_out_deletes_the_arrangement_and_its_history(repos: Repositories) -> None:
    await _start(repos)
    await repos.checkins.answered(1, "duress", T0 + MINUTE)
    assert [e.kind for e in await repos.checkins.history(1)] == ["started", "duress"]
    assert await repos.checkins.stop(1) is True
    assert await repos.checkins.get(1) is None and await repos.checkins.history(1) == []
    assert await repos.checkins.stop(1) is False

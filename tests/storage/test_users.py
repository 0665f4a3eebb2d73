"""Users: first seen and last seen, the chosen language, when we may write first, blocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.storage.models import NewCase
from bot.storage.repos import Repositories

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


async def test_touch_creates_once_and_a_chosen_language_stays(repos: Repositories) -> None:
    users = repos.users
    first = await users.touch(1, "en", now=T0)
    assert (first.locale, first.created_at, first.last_seen_at) == ("en", T0, T0)
    await users.set_locale(1, "id")
    later = await users.touch(1, "en", now=T0 + timedelta(days=3))
    assert later.locale == "id"  # the hint only seeds a new user
    assert later.created_at == T0 and later.last_seen_at == T0 + timedelta(days=3)
    assert await users.get(2) is None and await users.set_locale(2, "id") is None


async def test_writing_again_means_they_no_longer_block_the_bot(repos: Repositories) -> None:
    await repos.users.touch(1, now=T0)
    blocked = await repos.users.mark_bot_blocked(1, True, now=T0)
    assert blocked is not None and blocked.bot_blocked_at == T0
    back = await repos.users.touch(1)  # cached a moment ago, but a blocked entry is re-read
    assert back.bot_blocked_at is None


async def test_contact_policy_keeps_safe_hours_only_with_that_policy(repos: Repositories) -> None:
    await repos.users.touch(1, now=T0)
    user = await repos.users.set_contact_policy(1, "safe_hours", 22, 2)
    assert user is not None and (user.safe_hours_from, user.safe_hours_to) == (22, 2)
    user = await repos.users.set_contact_policy(1, "never_first", 22, 2)
    assert user is not None and user.safe_hours_from is None and user.safe_hours_to is None
    with pytest.raises(ValueError, match="both hours"):
        await repos.users.set_contact_policy(1, "safe_hours", 22)
    with pytest.raises(ValueError, match=r"0\.\.23"):
        await repos.users.set_contact_policy(1, "safe_hours", 22, 24)


async def test_auto_delete_is_positive_minutes_or_off(repos: Repositories) -> None:
    await repos.users.touch(1, now=T0)
    user = await repos.users.set_autodelete(1, 30)
    assert user is not None and user.autodelete_minutes == 30
    user = await repos.users.set_autodelete(1, None)
    assert user is not None and user.autodelete_minutes is None
    with pytest.raises(ValueError):
        await repos.users.set_autodelete(1, 0)


async def test_an_officers_block_and_unblock_leave_events_on_the_latest_case(
    repos: Repositories,
) -> None:
    await repos.users.touch(7, now=T0)
    case = await repos.cases.create_case(
        NewCase(user_id=7, chat_id=7, kind="self", category="visa", locale="id",
                description="tolong", consent_text_version="test")
    )  # fmt: skip
    blocked = await repos.users.block(7, officer_id=900, now=T0)
    assert blocked is not None and blocked.blocked_at == T0 and blocked.blocked_by == 900
    unblocked = await repos.users.unblock(7, officer_id=901)
    assert unblocked is not None and unblocked.blocked_at is None and unblocked.blocked_by is None
    kinds = [(e.kind, e.actor_id) for e in await repos.cases.events(case.id)]
    assert ("blocked", 900) in kinds and ("unblocked", 901) in kinds
    assert await repos.users.block(8, officer_id=900) is None  # never seen: nothing to block


async def test_only_readers_with_no_case_and_no_block_are_forgotten(repos: Repositories) -> None:
    for user_id in (1, 2, 3, 4):
        await repos.users.touch(user_id, now=T0)
    await repos.users.touch(4, now=T0 + timedelta(days=400))  # seen recently
    await repos.cases.create_case(
        NewCase(user_id=2, chat_id=2, kind="self", category="visa", locale="id",
                description="tolong", consent_text_version="test")
    )  # fmt: skip
    await repos.users.block(3, officer_id=900)
    await repos.messages.record(1, 55, "out")
    forgotten = await repos.users.forget_inactive(T0 + timedelta(days=365))
    assert forgotten == 1
    assert await repos.users.get(1) is None
    assert [await repos.users.get(u) is not None for u in (2, 3, 4)] == [True, True, True]
    assert await repos.messages.recent(1, since=T0 - timedelta(days=3650)) == []  # ids too

"""Repositories: one storage API over one database, and the retention purge's boundaries."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage.advisories import AdvisoryRepository
from bot.storage.cases import CaseRepository
from bot.storage.checkins import CheckinRepository
from bot.storage.db import Database
from bot.storage.messages import DELETABLE_FOR, MessageRepository
from bot.storage.models import NewCase, NewOutbox
from bot.storage.officers import OfficerRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.privacy import PrivacyRepository
from bot.storage.recovery import RecoveryRepository
from bot.storage.reports import ReportRepository
from bot.storage.repos import OUTBOX_KEPT, Repositories
from bot.storage.users import UserRepository

NOW = datetime(2026, 9, 1, 3, 0, tzinfo=UTC)
DAYS = 180
CUTOFF = NOW - timedelta(days=DAYS)
MS = timedelta(milliseconds=1)
OFFICER = 900_001


def new_case(user_id: int) -> NewCase:
    return NewCase(
        user_id=user_id, chat_id=user_id, kind="self", category="other", locale="id",
        description="Paspor ditahan", consent_text_version="2026-01",
    )  # fmt: skip


async def closed_case(repos: Repositories, user_id: int, closed_at: datetime) -> int:
    case = await repos.cases.create_case(new_case(user_id), now=closed_at - timedelta(days=1))
    await repos.cases.close(case.id, actor="officer", actor_id=OFFICER, now=closed_at)
    return case.id


def test_build_gives_every_repository_over_the_same_database(db: Database) -> None:
    repos = Repositories.build(db)
    expected = {
        "users": UserRepository, "cases": CaseRepository, "officers": OfficerRepository,
        "outbox": OutboxRepository, "messages": MessageRepository,
        "reports": ReportRepository, "privacy": PrivacyRepository,
        "checkins": CheckinRepository, "recovery": RecoveryRepository,
        "advisories": AdvisoryRepository,
    }  # fmt: skip
    fields = {f.name for f in dataclasses.fields(repos)}
    assert fields == {"db", *expected}
    assert repos.db is db
    for name, kind in expected.items():
        assert type(getattr(repos, name)) is kind, name
    with pytest.raises(dataclasses.FrozenInstanceError):
        repos.users = UserRepository(db)  # type: ignore[misc]


async def test_what_one_repository_writes_the_others_read(repos: Repositories) -> None:
    case = await repos.cases.create_case(new_case(100_001), now=NOW)
    user = await repos.users.get(100_001)  # create_case made the user row
    assert user is not None and user.created_at == NOW
    data = await repos.privacy.personal_data(100_001)
    assert [c["ref"] for c in data["cases"]] == [case.ref]


async def test_purge_erases_cases_closed_before_the_cutoff_only(repos: Repositories) -> None:
    old = await closed_case(repos, 100_001, CUTOFF - MS)
    on_cutoff = await closed_case(repos, 100_002, CUTOFF)
    recent = await closed_case(repos, 100_003, NOW - timedelta(days=1))
    open_old = await repos.cases.create_case(new_case(100_004), now=CUTOFF - timedelta(days=400))

    assert await repos.purge_expired(DAYS, NOW) == 1
    erased = await repos.cases.get_by_id(old)
    assert erased is not None and erased.erased_at is not None
    assert (erased.user_id, erased.description) == (None, None)
    assert erased.ref and erased.category == "other"  # the shell stays for statistics
    for kept_id in (on_cutoff, recent, open_old.id):
        kept = await repos.cases.get_by_id(kept_id)
        assert kept is not None and kept.erased_at is None and kept.description is not None
    assert await repos.purge_expired(DAYS, NOW) == 0  # not twice


async def test_purge_stamps_the_erasure_with_the_time_it_was_given(repos: Repositories) -> None:
    old = await closed_case(repos, 100_001, CUTOFF - timedelta(days=3))
    assert await repos.purge_expired(DAYS, NOW) == 1
    erased = await repos.cases.get_by_id(old)
    assert erased is not None and erased.erased_at == NOW
    (event,) = [e for e in await repos.cases.events(old) if e.kind == "erased"]
    assert (event.at, event.detail) == (NOW, "retention")


async def test_purge_forgets_only_users_who_left_nothing_behind(repos: Repositories) -> None:
    await repos.users.touch(1, "id", now=CUTOFF - MS)  # read guides, long gone
    await repos.users.touch(2, "id", now=CUTOFF)  # seen exactly at the cutoff
    await repos.users.touch(3, "id", now=CUTOFF - timedelta(days=30))
    await repos.users.block(3, OFFICER, now=CUTOFF - timedelta(days=30))  # a block stays
    await repos.cases.create_case(new_case(4), now=CUTOFF - timedelta(days=30))  # open case
    await repos.purge_expired(DAYS, NOW)
    assert await repos.users.get(1) is None
    for kept in (2, 3, 4):
        assert await repos.users.get(kept) is not None, kept


async def test_purge_drops_message_ids_past_telegrams_deletion_window(
    repos: Repositories,
) -> None:
    edge = NOW - DELETABLE_FOR
    await repos.messages.record(100_001, 1, "in", at=edge - MS)
    await repos.messages.record(100_001, 2, "out", at=edge)
    await repos.messages.record(100_001, 3, "in", at=NOW)
    await repos.purge_expired(DAYS, NOW)
    assert await repos.messages.recent(100_001, edge - timedelta(days=1)) == [2, 3]


async def test_purge_prunes_delivered_outbox_rows_after_30_days(repos: Repositories) -> None:
    assert timedelta(days=30) == OUTBOX_KEPT
    edge = NOW - OUTBOX_KEPT
    old = await repos.outbox.enqueue(NewOutbox("to_citizen", 100_001), now=edge - MS)
    await repos.outbox.mark_delivered(old.id, 10, now=edge - MS)
    on_edge = await repos.outbox.enqueue(NewOutbox("to_citizen", 100_001), now=edge)
    await repos.outbox.mark_delivered(on_edge.id, 11, now=edge)
    waiting = await repos.outbox.enqueue(
        NewOutbox("to_citizen", 100_001), now=edge - timedelta(days=60)
    )
    await repos.users.touch(100_001, "id", now=NOW)  # so the user purge leaves their rows
    await repos.purge_expired(DAYS, NOW)
    assert await repos.outbox.get(old.id) is None
    assert await repos.outbox.get(on_edge.id) is not None
    assert await repos.outbox.get(waiting.id) is not None  # never delivered: not pruned


async def test_a_purge_of_an_empty_database_changes_nothing(repos: Repositories) -> None:
    assert await repos.purge_expired(DAYS, NOW) == 0
    assert await repos.purge_expired(0, NOW) == 0

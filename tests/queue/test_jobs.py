"""Periodic jobs: the daily retention purge (the same purge as `python -m bot purge`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bot.cli import tools
from bot.config import Settings
from bot.context import KawanApplication, KawanContext
from bot.queue import jobs
from bot.storage.db import Database
from bot.storage.models import NewCase, NewOutbox
from bot.storage.repos import Repositories

OLD_CITIZEN, SILENT, ACTIVE = 7_100_001, 7_100_002, 7_100_003


@dataclass
class Seeded:
    old_case: int
    open_case: int
    old_outbox: int
    new_outbox: int


def _case(user_id: int, text: str) -> NewCase:
    return NewCase(
        user_id=user_id, chat_id=user_id, kind="self", category="passport", locale="id",
        description=text, consent_text_version="2026-01",
    )  # fmt: skip


async def seed(repos: Repositories, now: dt.datetime) -> Seeded:
    """Data past and within RETENTION_DAYS (180), the 48-hour window and 30 days of outbox."""
    long_ago = now - dt.timedelta(days=200)
    for user_id in (OLD_CITIZEN, SILENT):
        await repos.users.touch(user_id, "id", now=long_ago)
    await repos.users.touch(ACTIVE, "id", now=now)
    old = await repos.cases.create_case(_case(OLD_CITIZEN, "paspor ditahan"), now=long_ago)
    await repos.cases.close(old.id, actor="officer", actor_id=1, now=long_ago)
    still_open = await repos.cases.create_case(_case(ACTIVE, "masih butuh bantuan"), now=now)
    await repos.messages.record(ACTIVE, 10, "in", at=now - dt.timedelta(hours=49))
    await repos.messages.record(ACTIVE, 11, "out", at=now - dt.timedelta(hours=1))
    rows = []
    for age in (40, 1):
        row = await repos.outbox.enqueue(NewOutbox(kind="notice", target_chat_id=-1, payload={}))
        await repos.outbox.mark_delivered(row.id, 1, now=now - dt.timedelta(days=age))
        rows.append(row.id)
    return Seeded(old.id, still_open.id, rows[0], rows[1])


async def assert_purged(repos: Repositories, seeded: Seeded, now: dt.datetime) -> None:
    old = await repos.cases.get_by_id(seeded.old_case)
    assert old is not None and old.erased_at is not None and old.description is None
    still_open = await repos.cases.get_by_id(seeded.open_case)
    assert still_open is not None and still_open.description == "masih butuh bantuan"
    assert await repos.users.get(SILENT) is None  # never asked for help, silent 200 days
    assert await repos.users.get(ACTIVE) is not None
    assert await repos.messages.recent(ACTIVE, now - dt.timedelta(days=7)) == [11]
    assert await repos.outbox.get(seeded.old_outbox) is None
    assert await repos.outbox.get(seeded.new_outbox) is not None


async def test_the_daily_job_purges_cases_users_message_ids_and_old_outbox(
    app: KawanApplication,
) -> None:
    now = dt.datetime.now(dt.UTC)
    repos = app.services.repos
    seeded = await seed(repos, now)
    assert await jobs.daily_retention(KawanContext(app)) == 1
    await assert_purged(repos, seeded, now)


async def test_python_m_bot_purge_runs_the_same_purge(tmp_path: Path) -> None:
    settings = Settings(database_path=tmp_path / "purge.sqlite3")
    now = dt.datetime.now(dt.UTC)
    db = await Database.open(settings.database_path)
    seeded = await seed(Repositories.build(db), now)
    await db.close()
    assert await tools._purge(settings) == 1
    db = await Database.open(settings.database_path)
    try:
        await assert_purged(Repositories.build(db), seeded, now)
    finally:
        await db.close()


def test_the_retention_job_is_scheduled_daily(app: KawanApplication) -> None:
    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name("retention")
    assert job.callback is jobs.daily_retention

"""At 100,000 cases each hot query walks an index (checked by EXPLAIN QUERY PLAN, not a clock)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.storage.db import Database
from bot.storage.refs import CROCKFORD_ALPHABET
from bot.storage.repos import Repositories
from bot.storage.timestamps import format_utc

CASES = 100_000
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def ref_for(n: int) -> str:
    chars = []
    for _ in range(6):
        n, digit = divmod(n, 32)
        chars.append(CROCKFORD_ALPHABET[digit])
    return "KWN-" + "".join(reversed(chars))


def case_rows(count: int) -> Any:
    rng = random.Random(20260101)
    for n in range(1, count + 1):
        created = format_utc(T0 + timedelta(minutes=5 * n))
        user = 1_000_000 + n % 30_000
        closed = n < count * 0.9  # a backlog of 10,000 open cases: a bad surge
        yield (
            n, ref_for(n), user, user, "self", rng.choice(("scam", "passport_held", "other")),
            int(rng.random() < 0.1), "selesai" if closed else "baru", "id", "…", "v1", created,
            created, format_utc(T0 + timedelta(minutes=5 * n + 90)) if closed else None,
            n if n % 3 == 0 else None,
        )  # fmt: skip


@pytest.fixture(scope="module")
def big_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scale") / "kawan.sqlite3"


@pytest.fixture
async def repos(big_db_path: Path) -> AsyncIterator[Repositories]:
    db = await Database.open(big_db_path)
    try:
        if await db.scalar("SELECT COUNT(*) FROM cases") == 0:
            async with db.transaction():
                await db.executemany(
                    "INSERT INTO users (user_id, created_at, last_seen_at) VALUES (?, ?, ?)",
                    ((1_000_000 + u, "x", "x") for u in range(30_000)),
                )
                await db.executemany(
                    "INSERT INTO cases (id, ref, user_id, chat_id, kind, category, urgent, "
                    "status, locale, description, consent_text_version, consent_at, "
                    "created_at, closed_at, thread_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    case_rows(CASES),
                )
                await db.execute(
                    "INSERT INTO case_events (case_id, at, actor, kind) "
                    "SELECT id, created_at, 'citizen', 'created' FROM cases"
                )
        yield Repositories.build(db)
    finally:
        await db.close()


async def query_plans(db: Database, call: Callable[[], Awaitable[object]]) -> list[list[str]]:
    """The EXPLAIN QUERY PLAN lines of every SELECT that `call` issued."""
    statements: list[str] = []
    await db._conn.set_trace_callback(statements.append)
    try:
        await call()
    finally:
        await db._conn.set_trace_callback(None)  # type: ignore[arg-type]
    plans = []
    for sql in statements:
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            rows = await db.fetchall("EXPLAIN QUERY PLAN " + sql)
            plans.append([row["detail"] for row in rows])
    assert plans, "the call issued no query"
    return plans


TABLES = {"cases", "c", "l", "case_events", "case_media", "outbox", "users", "chat_messages"}


def assert_indexed(plans: list[list[str]], index: str, *, may_sort: bool) -> None:
    lines = [line for plan in plans for line in plan]
    assert any(index in line for line in lines), lines
    for line in lines:
        # A full table scan is what a surge cannot afford; nor sorting a whole queue.
        words = line.split()
        assert not (words[0] == "SCAN" and words[1] in TABLES and "INDEX" not in line), lines
        assert may_sort or "TEMP B-TREE FOR ORDER BY" not in line, lines


@pytest.mark.parametrize(
    ("name", "index"),
    [
        ("open_queue", "cases_open_queue"),
        ("count_open", "cases_open_queue"),
        ("unclaimed", "cases_open_queue"),
        ("get_by_ref", "cases_by_ref (ref="),
        ("get_by_thread", "cases_by_thread (thread_id="),
        ("list_for_user", "cases_by_user (user_id="),
        ("latest_open_for_user", "cases_by_user (user_id="),
        ("events", "case_events_by_case (case_id="),
        ("pending", "outbox_pending"),
        ("stats", "cases_stats"),  # covering index (migration 003)
        ("export", "cases_by_created"),
        ("purge", "cases_closed_unerased"),
    ],
)
async def test_hot_queries_use_an_index(repos: Repositories, name: str, index: str) -> None:
    middle = T0 + timedelta(days=100)
    calls: dict[str, Callable[[], Awaitable[object]]] = {
        "open_queue": lambda: repos.cases.open_queue(limit=20),
        "count_open": repos.cases.count_open,
        "unclaimed": lambda: repos.cases.unclaimed(middle),
        "get_by_ref": lambda: repos.cases.get_by_ref(ref_for(77_777)),
        "get_by_thread": lambda: repos.cases.get_by_thread(3),
        "list_for_user": lambda: repos.cases.list_for_user(1_000_123),
        "latest_open_for_user": lambda: repos.cases.latest_open_for_user(1_000_123),
        "events": lambda: repos.cases.events(500),
        "pending": repos.outbox.pending,
        "stats": lambda: repos.reports.stats(middle, middle + timedelta(days=1)),
        "export": lambda: repos.reports.export_rows(middle, middle + timedelta(days=1)),
        "purge": lambda: repos.privacy.purge_closed_before(T0),
    }
    # Only the medians sort, and only the cases of the period asked for.
    assert_indexed(await query_plans(repos.db, calls[name]), index, may_sort=name == "stats")


async def test_the_queue_at_scale_is_right(repos: Repositories) -> None:
    queue = await repos.cases.open_queue(limit=50)
    assert len(queue) == 50 and all(c.is_open for c in queue)
    keys = [(not c.urgent, c.created_at) for c in queue]
    assert keys == sorted(keys)
    assert await repos.cases.count_open() == CASES - int(CASES * 0.9) + 1
    found = await repos.cases.get_by_ref(ref_for(77_777).lower())
    assert found is not None and found.id == 77_777

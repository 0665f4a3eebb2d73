"""Officers' queries at scale: /antrian, /statistik, /kasus, by repository and end to end.

Besides latency, each query's SQL is captured as the repositories run it and its plan is
asked of SQLite, so a slow query arrives with the reason.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from benchmarks.common import OFFICERS, OFFICERS_CHAT, Latencies
from bot.context import KawanApplication
from bot.storage.db import Database
from bot.storage.repos import Repositories
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import UpdateFactory

Operation = Callable[[], Awaitable[object]]


async def _time(operation: Operation, reps: int) -> Latencies:
    """Run once untimed (the statement cache and the pages warm up), then `reps` times."""
    await operation()
    latencies = Latencies()
    for _ in range(reps):
        t0 = time.perf_counter()
        await operation()
        latencies.add(time.perf_counter() - t0)
    return latencies


async def _statements(db: Database, operation: Operation) -> list[str]:
    """The SQL one run of `operation` executes (measurement only: the private connection)."""
    seen: list[str] = []
    conn = db._conn  # the repositories offer no hook to observe their SQL
    await conn.set_trace_callback(seen.append)
    try:
        await operation()
    finally:
        await conn.set_trace_callback(None)  # type: ignore[arg-type]  # None turns it off
    return [s for s in dict.fromkeys(seen) if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def _plans(path: Path, statements: list[str]) -> list[dict[str, Any]]:
    """EXPLAIN QUERY PLAN of each statement, on a separate read-only connection."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        plans = []
        for sql in statements:
            rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
            plans.append({"sql": " ".join(sql.split())[:300], "plan": [r[-1] for r in rows]})
        return plans
    finally:
        conn.close()


async def repository_latencies(
    repos: Repositories, refs: list[str], reps: int
) -> dict[str, tuple[Latencies, Operation]]:
    """The three officers' reads, as the commands call them."""
    rng = random.Random(3)

    async def antrian() -> object:
        return await repos.officers.queue("all", 0, limit=10, offset=0)

    async def statistik() -> object:
        until = dt.datetime.now(dt.UTC)
        return await repos.reports.stats(until - dt.timedelta(days=30), until)

    async def kasus() -> object:
        case = await repos.cases.get_by_ref(rng.choice(refs)) if refs else None
        if case is None:
            return None
        return await repos.cases.events(case.id), await repos.cases.media(case.id)

    found: dict[str, tuple[Latencies, Operation]] = {}
    for name, operation, n in (
        ("antrian", antrian, reps),
        ("statistik", statistik, max(5, reps // 4)),
        ("kasus", kasus, reps),
    ):
        found[name] = (await _time(operation, n), operation)
    return found


async def command_latencies(
    app: KawanApplication, api: OfflineBotAPI, refs: list[str], reps: int
) -> dict[str, Latencies]:
    """The same, end to end: an officer's command through process_update, reply rendered."""
    factory, officer, rng = UpdateFactory(api, app.bot), OFFICERS[0], random.Random(4)
    found: dict[str, Latencies] = {}
    for name, text in (("antrian", "/antrian"), ("statistik", "/statistik"), ("kasus", "/kasus")):

        async def command(text: str = text) -> object:
            if text == "/kasus" and refs:
                text = f"/kasus {rng.choice(refs)}"
            await app.process_update(factory.message(officer, text, chat_id=OFFICERS_CHAT))
            return None

        found[name] = await _time(command, reps if name != "statistik" else max(5, reps // 4))
    return found


async def scale_queries(app: KawanApplication, api: OfflineBotAPI, reps: int) -> dict[str, Any]:
    """Latencies (repository and command) and plans of the officers' reads on this database."""
    repos, db = app.services.repos, app.services.db
    assert repos is not None and db is not None
    rows = await db.fetchall("SELECT ref FROM cases ORDER BY random() LIMIT 500")
    refs = [row["ref"] for row in rows]
    by_repo = await repository_latencies(repos, refs, reps)
    by_command = await command_latencies(app, api, refs, reps)
    result: dict[str, Any] = {}
    for name, (latencies, operation) in by_repo.items():
        statements = await _statements(db, operation)
        result[name] = {
            "repository": latencies.summary(),
            "command": by_command[name].summary(),
            "plans": _plans(db.path, statements),
        }
    return result

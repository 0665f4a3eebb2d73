"""Memory, start-up and scale, each in a fresh process (the honest way to see RSS).

Run by run.py as `python -m benchmarks.footprint --mode idle|seed|loaded ...`; each child
prints one JSON line. `idle` and `loaded` do exactly the same work (start, the same warm-up
updates, the same queries); only the database differs, so their RSS difference is the data's.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The parent notes when it started this process, so interpreter start-up counts too.
SPAWNED_AT = float(os.environ.get("KAWAN_BENCH_SPAWNED_AT") or time.time())


async def _warm_up(app: Any, api: Any) -> None:
    """One of each feature, so lazily built things (pages, templates, index) are counted."""
    from benchmarks.common import OFFICERS, OFFICERS_CHAT
    from bot.transport.driver import ChatDriver
    from bot.transport.updates import Person

    citizen = ChatDriver(app, api, Person(id=7_000_001, first_name="Warga"))
    await citizen.send("/menu")
    await citizen.press("m:rules")
    await citizen.press("g:")
    await citizen.send("berapa denda overstay sehari?")
    await citizen.send("/cek Gaji $1200 tanpa pengalaman, paspor dipegang perusahaan")
    officer = ChatDriver(app, api, OFFICERS[0], chat_id=OFFICERS_CHAT)
    await officer.send("/antrian")


async def _people(database: Path, people: int) -> dict[str, Any]:
    """RSS after `people` distinct people each sent a few updates (PTB's per-user data, caches).

    Telegram's budget is lifted (this measures memory, not waiting); 200 updates in flight.
    """
    from benchmarks.common import kawan_app, lift_telegram_limits, officers_api, rss_mb
    from benchmarks.scripts import QUESTIONS
    from bot.app import running
    from bot.transport.driver import deliver
    from bot.transport.updates import Person, UpdateFactory

    api = officers_api()
    app = kawan_app(database, api)
    async with running(app):
        lift_telegram_limits(app, api)
        factory = UpdateFactory(api, app.bot)
        await _warm_up(app, api)
        gc.collect()
        before = rss_mb()
        in_flight: list[Any] = []
        for n in range(people):
            who = Person(id=60_000_000 + n, first_name="Warga")
            for text in ("/start", QUESTIONS[n % len(QUESTIONS)]):
                in_flight.append(deliver(app, factory.message(who, text)))
            if len(in_flight) >= 200:
                await asyncio.gather(*in_flight)
                in_flight.clear()
                api.calls.clear()  # the fake Telegram's memory, not the bot's
                api.results.clear()
                api.chats = {k: v for k, v in api.chats.items() if k < 0}
        await asyncio.gather(*in_flight)
        api.chats = {k: v for k, v in api.chats.items() if k < 0}
        api.calls.clear()
        api.results.clear()
        gc.collect()
        return {"mode": "people", "people": people, "before": before, "after": rss_mb()}


async def _child(mode: str, database: Path, cases: int, reps: int) -> dict[str, Any]:
    from benchmarks.common import quiet_logging, rss_mb

    quiet_logging()
    if mode == "people":
        return await _people(database, cases)
    imported = time.time()
    from benchmarks.common import kawan_app, officers_api
    from benchmarks.queries import scale_queries
    from bot.app import running
    from bot.transport.driver import deliver
    from bot.transport.updates import Person, UpdateFactory

    result: dict[str, Any] = {"mode": mode}
    if mode == "seed":
        return await _seed(database, cases)
    started = time.time()
    api = officers_api()
    app = kawan_app(database, api)
    async with running(app):
        first = UpdateFactory(api, app.bot).message(Person(id=7_000_000), "/start")
        await deliver(app, first)
        handled = time.time()
        result["startup"] = {
            "imports_s": round(imported - SPAWNED_AT, 3),
            "build_to_first_update_s": round(handled - started, 3),
            "process_to_first_update_s": round(handled - SPAWNED_AT, 3),
        }
        result["after_start"] = rss_mb()
        await _warm_up(app, api)
        gc.collect()
        result["warm"] = rss_mb()
        result["queries"] = await scale_queries(app, api, reps)
        gc.collect()
        result["after_queries"] = rss_mb()
    return result


async def _seed(database: Path, cases: int) -> dict[str, Any]:
    """Create the schema, measure the empty file, write the cases, measure again."""
    from benchmarks.seed import seed
    from bot.storage.db import Database

    db = await Database.open(database)
    await db.checkpoint()
    empty = _file_size(database)
    t0 = time.perf_counter()
    tally = await seed(db, cases)
    seconds = time.perf_counter() - t0
    await db.checkpoint()
    await db.close()
    size = _file_size(database)
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        tables = dict(conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
    finally:
        conn.close()
    return {
        "mode": "seed",
        "rows": tally,
        "seconds": round(seconds, 2),
        "db_bytes": size,
        "db_bytes_empty": empty,
        "bytes_per_case": round((size - empty) / max(1, cases)),
        "bytes_by_table": dict(sorted(tables.items(), key=lambda kv: -kv[1])[:12]),
    }


def _file_size(path: Path) -> int:
    return path.stat().st_size


def run_child(mode: str, database: Path, cases: int = 0, reps: int = 0) -> dict[str, Any]:
    """Start a fresh interpreter for one mode and read its JSON line."""
    command = [sys.executable, "-m", "benchmarks.footprint", "--mode", mode]
    command += ["--db", str(database), "--cases", str(cases), "--reps", str(reps)]
    env = {**os.environ, "KAWAN_BENCH_SPAWNED_AT": repr(time.time())}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"footprint {mode} failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def footprint(cases: int, reps: int, people: int = 0) -> dict[str, Any]:
    """Idle on an empty database, then the same on `cases` cases; RSS, start-up, queries;
    then RSS after `people` distinct people."""
    with tempfile.TemporaryDirectory(prefix="kawan-scale-") as tmp:
        idle = run_child("idle", Path(tmp) / "empty.sqlite3", reps=reps)
        seeded = run_child("seed", Path(tmp) / "full.sqlite3", cases=cases)
        loaded = run_child("loaded", Path(tmp) / "full.sqlite3", reps=reps)
        crowd = run_child("people", Path(tmp) / "people.sqlite3", cases=people) if people else None
    growth = loaded["after_queries"]["rss_mb"] - idle["after_queries"]["rss_mb"]
    return {
        "cases": cases,
        "idle": idle,
        "seed": seeded,
        "loaded": loaded,
        "rss_idle_mb": idle["warm"]["rss_mb"],
        "peak_rss_idle_mb": idle["warm"]["peak_rss_mb"],
        "rss_loaded_mb": loaded["after_queries"]["rss_mb"],
        "rss_growth_mb": round(growth, 1),
        "bytes_per_case": seeded["bytes_per_case"],
        "people": crowd,
    }


def main() -> None:
    """Child entry point."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("idle", "seed", "loaded", "people"), required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--cases", type=int, default=0)
    parser.add_argument("--reps", type=int, default=50)
    args = parser.parse_args()
    result = asyncio.run(_child(args.mode, args.db, args.cases, args.reps))
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""Throughput and latency: Kawan's realistic mix against a bare PTB echo bot, same transport.

Both applications live side by side and take turns in blocks of updates, so a noisy
neighbour or a CPU frequency change slows both alike and the ratio stays honest.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from collections import Counter, defaultdict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from benchmarks.common import (
    Latencies,
    features,
    kawan_app,
    lift_telegram_limits,
    officers_api,
    quiet_logging,
)
from benchmarks.replay import Call, CallRecorder, Replay
from benchmarks.scripts import NEEDS, QUESTIONS, SCRIPTS, MixWorld, Script
from bot.app import OFFLINE_TOKEN, running
from bot.context import KawanApplication
from bot.transport.driver import deliver
from bot.transport.offline import OfflineBotAPI, OfflineRequest
from bot.transport.updates import Person, UpdateFactory

ACTIVE_SESSIONS = 64  # people mid-conversation at once; their updates interleave
BLOCK = 250  # updates per turn


class Bench:
    """Times `app.process_update` for updates from `next_update`, in turns."""

    def __init__(self, app: Application, api: OfflineBotAPI | None) -> None:  # type: ignore[type-arg]
        self.app, self.api = app, api
        self.latencies, self.wall = Latencies(), 0.0
        self.by_kind: dict[str, Latencies] = defaultdict(Latencies)
        self.methods: Counter[str] = Counter()

    async def next_update(self) -> tuple[str, Update]:
        raise NotImplementedError

    async def turn(self, updates: int, *, timed: bool = True) -> None:
        """Handle `updates` updates; count them unless this is the warm-up."""
        started = time.perf_counter()
        for _ in range(updates):
            kind, update = await self.next_update()
            mark = self.mark()
            t0 = time.perf_counter()
            await self.feed(update)
            elapsed = time.perf_counter() - t0
            self.handled(kind, update, mark)
            if timed:
                self.latencies.add(elapsed)
                self.by_kind[kind].add(elapsed)
            await asyncio.sleep(0)  # what the polling loop does between updates
        if timed:
            self.wall += time.perf_counter() - started
        if self.api is not None:
            if timed:
                self.methods.update(name for name, _ in self.api.calls)
            # The fake Telegram's call log is the harness's memory, not the bot's: keep it small.
            self.api.calls.clear()
            self.api.results.clear()

    async def feed(self, update: Update) -> None:
        """Handle one update (bare PTB: process_update, as its own fetcher does)."""
        await self.app.process_update(update)

    def mark(self) -> int:
        """Called just before an update is handled."""
        return 0

    def handled(self, kind: str, update: Update, mark: int) -> None:
        """Called just after an update was handled (outside its time)."""

    def summary(self) -> dict[str, Any]:
        n = len(self.latencies.samples)
        busy = sum(self.latencies.samples) / 1000
        return {
            "updates": n,
            "updates_per_s": round(n / busy, 1) if busy else 0.0,
            "wall_updates_per_s": round(n / self.wall, 1) if self.wall else 0.0,
            **self.latencies.summary(),
            "api_calls_per_update": round(sum(self.methods.values()) / max(1, n), 2),
        }


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The whole bot: say the text back."""
    if update.message is not None and update.message.text is not None:
        await update.message.reply_text(update.message.text)


class EchoBench(Bench):
    """A plain Application with one MessageHandler, fed questions from many users."""

    def __init__(self, seed: int) -> None:
        api = OfflineBotAPI()
        api.budget.enabled = False  # a yardstick of work, like the mix (see lift_telegram_limits)
        app = (
            ApplicationBuilder()
            .token(OFFLINE_TOKEN)
            .request(OfflineRequest(api))
            .get_updates_request(OfflineRequest(api))
            .build()
        )
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
        super().__init__(app, api)
        self.factory, self.rng = UpdateFactory(api, app.bot), random.Random(seed)
        self.people = [Person(id=20_000_000 + n) for n in range(2000)]

    async def next_update(self) -> tuple[str, Update]:
        return "echo", self.factory.message(
            self.rng.choice(self.people), self.rng.choice(QUESTIONS)
        )


class MixBench(Bench):
    """Kawan with people following the scripts, many at once, each a new user."""

    def __init__(self, app: KawanApplication, api: OfflineBotAPI, seed: int) -> None:
        super().__init__(app, api)
        self.world = MixWorld(app, api, random.Random(seed), features(app))
        self.active = [self._new_script() for _ in range(ACTIVE_SESSIONS)]
        self.recorder = CallRecorder(app.bot.request)
        self.replay = ReplayBench()

    async def feed(self, update: Update) -> None:
        """As Telegram's updates arrive in production: update queue, inbox, ordered processing."""
        await deliver(self.app, update)

    def mark(self) -> int:
        return len(self.recorder.calls)

    def handled(self, kind: str, update: Update, mark: int) -> None:
        """Hand the update and the calls made while handling it to the replay."""
        self.replay.queue.append((kind, update, self.recorder.calls[mark:]))
        if len(self.recorder.calls) > 10_000:
            self.recorder.calls.clear()

    def _new_script(self) -> Script:
        names = [n for n in SCRIPTS if self.world.features.get(NEEDS.get(n, ""), True)]
        name = self.world.rng.choices(names, [SCRIPTS[n][1] for n in names])[0]
        return SCRIPTS[name][0](self.world)

    async def next_update(self) -> tuple[str, Update]:
        while True:
            index = self.world.rng.randrange(len(self.active))
            try:
                return await anext(self.active[index])
            except StopAsyncIteration:
                self.active[index] = self._new_script()


class ReplayBench(Bench):
    """A bare Application making exactly the calls Kawan made for the same updates."""

    def __init__(self) -> None:
        self.replay = Replay()
        super().__init__(self.replay.app, None)
        self.queue: deque[tuple[str, Update, list[Call]]] = deque()

    async def next_update(self) -> tuple[str, Update]:
        kind, update, calls = self.queue.popleft()
        self.replay.load(calls)
        self.methods.update(method for method, *_ in calls)
        return kind, update

    async def turn(self, updates: int, *, timed: bool = True) -> None:
        """Replay what Kawan just handled (all of it: the turns stay in step)."""
        await super().turn(len(self.queue), timed=timed)
        if not timed:
            self.methods.clear()


async def _round_trip_us(app: KawanApplication, n: int = 2000) -> float:
    """What one statement costs in waiting alone: SELECT 1 through aiosqlite's thread."""
    db = app.services.db
    assert db is not None
    started = time.perf_counter()
    for _ in range(n):
        await db.fetchone("SELECT 1")
    return round((time.perf_counter() - started) / n * 1e6, 1)


async def _count_statements(app: KawanApplication) -> Callable[[], int]:
    """Count every SQL statement from now on (handlers, dispatcher, persistence alike)."""
    db = app.services.db
    assert db is not None
    count = 0

    def seen(_: str) -> None:
        nonlocal count
        count += 1

    # Measurement only: the private connection, as the repositories offer no hook.
    await db._conn.set_trace_callback(seen)
    return lambda: count


@asynccontextmanager
async def _kawan(seed: int) -> AsyncIterator[MixBench]:
    """Kawan on a fresh database, its dispatcher unpaced."""
    with tempfile.TemporaryDirectory(prefix="kawan-mix-") as tmp:
        api = officers_api()
        app = kawan_app(Path(tmp) / "kawan.sqlite3", api)
        async with running(app):
            dispatcher = app.services.dispatcher
            assert dispatcher is not None
            # The mix measures own work per update; Telegram's budget is the live surge's
            # subject. Lifted, every case gets its topic and card, so officers have something
            # to claim and answer, and no update waits on the clock.
            lift_telegram_limits(app, api)  # never restored: the mix ends with the app
            yield MixBench(app, api, seed)
            await dispatcher.settle()


async def throughput(updates: int, warmup: int, seed: int) -> dict[str, Any]:
    """Echo and mix in alternating turns; the ratio of their handling throughputs."""
    counter = quiet_logging()
    errors_before = counter.counts["ERROR"]
    echo = EchoBench(seed)
    async with echo.app, _kawan(seed) as mix:
        await echo.app.start()
        replay = mix.replay
        await replay.app.initialize()
        await echo.turn(warmup, timed=False)
        await mix.turn(warmup, timed=False)
        await replay.turn(warmup, timed=False)
        world = mix.world
        committed, users = world.committed, world.next_user
        statements = await _count_statements(mix.app)  # type: ignore[arg-type]
        done = 0
        while done < updates:
            block = min(BLOCK, updates - done)
            await echo.turn(block)
            await mix.turn(block)
            await replay.turn(block)
            done += block
        sql = statements()
        round_trip = await _round_trip_us(mix.app)  # type: ignore[arg-type]
        await echo.app.stop()
        await replay.app.shutdown()
    kawan, bare, same_calls = mix.summary(), echo.summary(), replay.summary()
    same_calls["by_kind"] = {kind: lat.summary() for kind, lat in sorted(replay.by_kind.items())}
    kawan.update(
        by_kind={kind: lat.summary() for kind, lat in sorted(mix.by_kind.items())},
        users=world.next_user - users,
        cases_committed=world.committed - committed,
        sql_statements_per_update=round(sql / max(1, updates), 2),
        sql_round_trip_us=round_trip,
        api_calls_by_method=dict(mix.methods.most_common()),
        handler_errors=counter.counts["ERROR"] - errors_before,
        features=world.features,
    )
    framework_us = 1e6 / same_calls["updates_per_s"]
    return {
        "mix": kawan,
        "echo": bare,
        "replay": same_calls,
        # Per update: PTB and the transport for Kawan's calls, and everything else Kawan does.
        "framework_us": round(framework_us, 1),
        "own_work_us": round(1e6 / kawan["updates_per_s"] - framework_us, 1),
        "ratio_to_replay": round(kawan["updates_per_s"] / same_calls["updates_per_s"], 3),
        "ratio": round(kawan["updates_per_s"] / bare["updates_per_s"], 3),
        "wall_ratio": round(kawan["wall_updates_per_s"] / bare["wall_updates_per_s"], 3),
    }

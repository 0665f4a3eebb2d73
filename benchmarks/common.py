"""What every benchmark shares: the offline app, officers, latency statistics, clocks, machine."""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import platform
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram.ext import CommandHandler, ConversationHandler

from bot.app import build_application
from bot.config import Settings
from bot.context import KawanApplication
from bot.runtime.ratelimit import KawanRateLimiter, SendBudget
from bot.transport.chatlog import TelegramBudget
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person

OFFICERS_CHAT = -1_009_990_000_001
OFFICERS = tuple(Person(id=900_000 + n, first_name="Petugas", language_code="id") for n in range(4))


def officers_api(now: Any = time.time) -> OfflineBotAPI:
    """A fake Telegram whose officers' group is a forum (the costlier mode: topic + card)."""
    api = OfflineBotAPI(now=now)
    group = api.chat(OFFICERS_CHAT, type="supergroup", title="KBRI piket", is_forum=True)
    for officer in OFFICERS:
        group.members[officer.id] = "administrator"
    return api


def kawan_app(database: Path, api: OfflineBotAPI) -> KawanApplication:
    """The real Application, as `python -m bot run` builds it, on the offline transport."""
    settings = Settings(database_path=database, officers_chat_id=OFFICERS_CHAT)
    return build_application(settings, api=api)


def lift_telegram_limits(app: KawanApplication, api: OfflineBotAPI) -> Callable[[], None]:
    """For yardsticks of own work: the fake Telegram and the rate limiter stop counting sends.

    Everything else stays production (the limiter still sees every call, updates still go
    through the queue, inbox and ordering); only the clock-bound waiting is taken out.
    Returns what puts Telegram's limits back, with empty windows.
    """
    limiter = app.bot.rate_limiter
    assert isinstance(limiter, KawanRateLimiter), "not the production bot"
    overall, group = limiter.overall.limit, limiter.group_per_minute
    api.budget.enabled = False
    limiter.overall.limit = limiter.group_per_minute = 1_000_000_000
    for pacer in limiter.all_group_pacers():
        pacer.limit = 1_000_000_000

    def restore() -> None:
        api.budget = TelegramBudget(api.now)
        limiter.overall = SendBudget(overall, limiter.overall.window)
        limiter.group_per_minute = group
        for pacer in limiter.all_group_pacers():
            pacer.limit = group
            pacer.forget()

    return restore


def command_names(app: Any) -> set[str]:
    """Every /command the application answers (plain handlers and conversation entry points)."""
    found: set[str] = set()
    pending: list[Any] = [h for group in app.handlers.values() for h in group]
    while pending:
        handler = pending.pop()
        if isinstance(handler, CommandHandler):
            found |= set(handler.commands)
        elif isinstance(handler, ConversationHandler):
            pending.extend(handler.entry_points)
            pending.extend(handler.fallbacks)
    return found


def features(app: KawanApplication) -> dict[str, bool]:
    """Which optional features are wired, so the mix includes exactly those."""
    commands = command_names(app)
    return {
        "question_search": app.services.search is not None,
        "offer_check": "cek" in commands,
        "privacy": bool({"hapus", "datasaya"} & commands),
    }


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p99 of 100 values is the 99th smallest)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(pct / 100 * len(ordered)) - 1))]


@dataclass
class Latencies:
    """Durations in milliseconds, summarised as count, p50, p99, max."""

    samples: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.samples.append(seconds * 1000)

    def summary(self) -> dict[str, float]:
        data = self.samples
        return {
            "n": len(data),
            "mean_ms": round(sum(data) / len(data), 3) if data else math.nan,
            "p50_ms": round(percentile(data, 50), 3),
            "p99_ms": round(percentile(data, 99), 3),
            "max_ms": round(max(data), 3) if data else math.nan,
        }


class SimClock:
    """Simulated time: real elapsed time plus jumps, so paced minutes pass in milliseconds.

    It never runs behind real time, so rows stamped with the real clock are always due.
    """

    def __init__(self) -> None:
        self._start = time.monotonic()
        self.base = dt.datetime.now(dt.UTC)
        self.jumped = 0.0

    def monotonic(self) -> float:
        return time.monotonic() - self._start + self.jumped

    def now(self) -> dt.datetime:
        return self.base + dt.timedelta(seconds=self.monotonic())

    def advance(self, seconds: float) -> None:
        self.jumped += seconds


class CountingHandler(logging.Handler):
    """Counts log records by level instead of printing them (faults make the bot log a lot)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelname] += 1


def quiet_logging() -> CountingHandler:
    """Route warnings and errors into a counter (one per process)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, CountingHandler):
            return handler
    counter = CountingHandler()
    root.addHandler(counter)
    root.setLevel(logging.WARNING)
    return counter


def rss_mb() -> dict[str, float]:
    """Resident set size now and its peak so far (Linux /proc; NaN elsewhere)."""
    values = {"rss_mb": math.nan, "peak_rss_mb": math.nan}
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return values
    for line in lines:
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            name = "rss_mb" if key == "VmRSS" else "peak_rss_mb"
            values[name] = round(int(rest.split()[0]) / 1024, 1)
    return values


def machine() -> dict[str, Any]:
    """CPU model, cores, Python, PTB and SQLite versions: the context every number needs."""
    import telegram

    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "ptb": telegram.__version__,
        "sqlite": sqlite3.sqlite_version,
        "os": platform.platform(terse=True),
    }


def ms(seconds: float) -> float:
    """Seconds to milliseconds, rounded for the report."""
    return round(seconds * 1000, 3)


def chunks(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    """Lists of at most `size` items."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch

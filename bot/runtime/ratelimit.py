"""Telegram's send budget, spent by priority: callback answers never wait, danger replies first.

Telegram allows about 30 sends a second overall and 20 a minute into one group; past that it
answers 429 with retry_after. PTB's AIORateLimiter is first come, first served and halts every
request on any 429, so one officer's message to the busy group made every citizen wait. Here:
- Calls that are not sends (callback answers, edits, reactions, getChatMember) never wait.
- Sends to a private chat share the overall budget; waiting sends go out by priority (see
  `Priority`), and within one priority the chat that sent least recently goes first, so one
  flooding person cannot delay others.
- Sends to a group draw on that group's pacer. The outbox dispatcher owns the officers' group's
  pacer: it reserves before it sends (`prepaid()`), so its sends do not wait here.
- A 429 pauses only what it names (the group, or the overall budget) and is retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import enum
import heapq
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.queue.pacing import GroupPacer
from bot.ui.limits import (
    GROUP_SENDS_PER_MINUTE,
    OVERALL_SENDS_PER_SECOND,
    SEND_METHODS,
)

log = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]
# Our windows are a little longer than Telegram's: our clock starts before the request leaves.
OVERALL_WINDOW_SECONDS = 1.05
GROUP_WINDOW_SECONDS = 61.0
MAX_RETRIES = 2


class Priority(enum.IntEnum):
    """Who goes first when the budget is short (lower first)."""

    DANGER = 1  # the emergency screen for a danger message
    FIRST_REPLY = 2  # a new person's first answer
    NORMAL = 3
    BACKGROUND = 4  # outbox deliveries, reminders, digests


send_priority: contextvars.ContextVar[Priority] = contextvars.ContextVar(
    "send_priority", default=Priority.NORMAL
)
_prepaid: contextvars.ContextVar[bool] = contextvars.ContextVar("prepaid", default=False)


def raise_priority(priority: Priority) -> None:
    """Sends for the rest of this update go at least at `priority` (set by handlers)."""
    if priority < send_priority.get():
        send_priority.set(priority)


@contextlib.contextmanager
def prepaid() -> Iterator[None]:
    """Group sends in this block were reserved on the group's pacer before they were made."""
    paid = _prepaid.set(True)
    try:
        yield
    finally:
        _prepaid.reset(paid)


@contextlib.contextmanager
def budget_owner() -> Iterator[None]:
    """Sends of the group budget's owner (the outbox dispatcher): its group sends are prepaid,
    and its sends to people go after people's own answers."""
    priority = send_priority.set(Priority.BACKGROUND)
    try:
        with prepaid():
            yield
    finally:
        send_priority.reset(priority)


class SendBudget:
    """At most `limit` sends in any `window` seconds; waiters leave by priority, then fairness."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._sent: deque[float] = deque()
        self._waiters: list[tuple[int, int, int, asyncio.Future[None]]] = []
        self._recent: dict[int, float] = {}  # chat id -> when it last got a send
        self._seq = itertools.count()
        self._timer: asyncio.TimerHandle | None = None
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self.clock() + seconds)
        self._schedule()

    def _room(self) -> bool:
        now = self.clock()
        while self._sent and now - self._sent[0] >= self.window:
            self._sent.popleft()
        return now >= self._paused_until and len(self._sent) < self.limit

    async def acquire(self, priority: Priority, chat_id: int) -> None:
        """Wait for a place in the window."""
        if not self._waiters and self._room():
            self._take(chat_id)
            return
        # Fairness: among equals, the chat served longest ago goes first.
        last = self._recent.get(chat_id, 0.0)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (int(priority), int(last * 1000), next(self._seq), future)
        heapq.heappush(self._waiters, entry)
        self._schedule()
        try:
            await future
        except asyncio.CancelledError:
            with contextlib.suppress(ValueError):
                self._waiters.remove(entry)
                heapq.heapify(self._waiters)
            raise
        self._take(chat_id, counted=True)

    def _take(self, chat_id: int, *, counted: bool = False) -> None:
        if not counted:
            self._sent.append(self.clock())
        self._recent[chat_id] = self.clock()
        if len(self._recent) > 10_000:
            self._recent.clear()  # bounded memory; fairness only needs the last few seconds

    def _release(self) -> None:
        self._timer = None
        while self._waiters and self._room():
            *_, future = heapq.heappop(self._waiters)
            if future.done():
                continue
            self._sent.append(self.clock())
            future.set_result(None)
        self._schedule()

    def _schedule(self) -> None:
        if not self._waiters or self._timer is not None:
            return
        now = self.clock()
        wait = self._paused_until - now
        if len(self._sent) >= self.limit:
            wait = max(wait, self.window - (now - self._sent[0]))
        self._timer = asyncio.get_running_loop().call_later(max(wait, 0.0), self._release)


class KawanRateLimiter(BaseRateLimiter[None]):
    """The one rate limiter, used by `run`, `chat`, the tests and the benchmarks alike."""

    def __init__(
        self,
        overall_per_second: int = OVERALL_SENDS_PER_SECOND,
        group_per_minute: int = GROUP_SENDS_PER_MINUTE,
        max_retries: int = MAX_RETRIES,
    ) -> None:
        self.overall = SendBudget(overall_per_second, OVERALL_WINDOW_SECONDS)
        self.group_per_minute = group_per_minute
        self.max_retries = max_retries
        self._groups: dict[int | str, GroupPacer] = {}

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def group_pacer(self, chat_id: int | str) -> GroupPacer:
        """The one pacer of a group, shared with whoever owns its budget (the dispatcher)."""
        pacer = self._groups.get(chat_id)
        if pacer is None:
            pacer = self._groups[chat_id] = GroupPacer(
                self.group_per_minute, window=GROUP_WINDOW_SECONDS
            )
        return pacer

    def all_group_pacers(self) -> list[GroupPacer]:
        return list(self._groups.values())

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> JSONResult:
        if endpoint not in SEND_METHODS or data.get("chat_id") is None:
            return await callback(*args, **kwargs)
        chat_id = _chat_key(data["chat_id"])
        is_group = isinstance(chat_id, str) or chat_id < 0
        for attempt in range(self.max_retries + 1):
            if is_group:
                await self._group_turn(chat_id)
            # Every send counts against the overall budget, group posts included.
            fairness = chat_id if isinstance(chat_id, int) else hash(chat_id)
            await self.overall.acquire(send_priority.get(), fairness)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = _seconds(exc)
                if is_group:
                    self.group_pacer(chat_id).pause(seconds)
                else:
                    self.overall.pause(seconds)
                if attempt == self.max_retries:
                    raise
                log.info("429 from Telegram: retrying in %.1f s", seconds)
        raise AssertionError("unreachable")  # pragma: no cover

    def try_group_send(self, chat_id: int | str) -> bool:
        """Reserve one send to the group now, if its budget has room (no waiting)."""
        return self.group_pacer(chat_id).take(1)

    async def _group_turn(self, chat_id: int | str) -> None:
        pacer = self.group_pacer(chat_id)
        if _prepaid.get():
            return
        # The pacer is a window over time, so there is no event to wait for: sleep until it opens.
        while not pacer.take(1):  # noqa: ASYNC110
            await asyncio.sleep(max(pacer.wait_time(), 0.05))


def _chat_key(value: Any) -> int | str:
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)


def _seconds(exc: RetryAfter) -> float:
    value: Any = exc.retry_after
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)

"""Updates of different people run concurrently; one person's (or one case topic's) in order.

PTB's way to shape concurrency is a BaseUpdateProcessor. Application starts one task per update
in arrival order, and each task calls process_update at once, so registering an update behind
the previous one of the same key, before the first await, keeps arrival order per key. An
update waiting for its predecessor holds no concurrency slot, so a person who floods the bot
only queues behind themself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.runtime.ratelimit import Priority, send_priority

log = logging.getLogger(__name__)

MAX_CONCURRENT_UPDATES = 128
UNBOUNDED = 1_000_000
AfterUpdate = Callable[[object], Awaitable[None]]


def ordering_key(update: object) -> Hashable | None:
    """Updates with the same key are handled one after another, in arrival order."""
    if not isinstance(update, Update):
        return None
    chat, user = update.effective_chat, update.effective_user
    if chat is not None and chat.type != "private":
        message = update.effective_message
        thread = message.message_thread_id if message is not None else None
        if message is not None and not message.is_topic_message:
            thread = None
        return ("chat", chat.id, thread)
    if user is not None:
        return ("user", user.id)
    return ("chat", chat.id, None) if chat is not None else None


class OrderedUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across keys, sequential within one; `after` runs once each update is done."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        # PTB's own semaphore (its process_update is final) must never make an update wait:
        # an update queues behind its predecessor first, then takes one of our slots.
        super().__init__(UNBOUNDED)
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self.after: AfterUpdate | None = None
        self._tails: dict[Hashable, asyncio.Future[None]] = {}
        self._handled: dict[int, asyncio.Future[None]] = {}

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def handled(self, update_id: int) -> asyncio.Future[None]:
        """A future that is done once the update with this id has been handled."""
        future = self._handled.get(update_id)
        if future is None:
            future = self._handled[update_id] = asyncio.get_running_loop().create_future()
        return future

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Reached without an await since the update's task began, so tasks register in
        # arrival order: that is what keeps one key's updates in order.
        key = ordering_key(update)
        previous = self._tails.get(key) if key is not None else None
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if key is not None:
            self._tails[key] = mine
        started = False
        try:
            if previous is not None:
                await asyncio.shield(previous)
            async with self._slots:
                started = True
                await self._handle(update, coroutine)
        finally:
            if not started and asyncio.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting its turn: never awaited, no warning
            mine.set_result(None)
            if key is not None and self._tails.get(key) is mine:
                del self._tails[key]
            if isinstance(update, Update):
                done = self._handled.pop(update.update_id, None)
                if done is not None and not done.done():
                    done.set_result(None)

    async def _handle(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Each update starts at normal priority; handlers raise it (danger, a first reply).
        send_priority.set(Priority.NORMAL)
        try:
            await coroutine
        finally:
            if self.after is not None:
                try:
                    await self.after(update)
                except Exception:  # bookkeeping must not turn a handled update into an error
                    log.exception("after-update step failed")

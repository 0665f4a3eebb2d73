"""Reactions on officers' own messages: what became of a reply, at no cost in group messages.

Setting a reaction is a call to the group, which a rate limiter may hold back; so nobody waits
for it. `set` records the state wanted for a message and a background task applies it; states
of one message are applied in order and only the latest waiting one is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from telegram import Bot
from telegram.error import TelegramError

log = logging.getLogger(__name__)

# Telegram allows only its own list of emoji (bot/ui/limits.py REACTION_EMOJI).
ACK_QUEUED, ACK_DELIVERED, ACK_WAITING, ACK_FAILED, ACK_NOTE = "✍", "👌", "😴", "💔", "🤝"


async def react(bot: Bot, ack: Sequence[int] | None, emoji: str) -> None:
    """Set the reaction on an officer's message; a refusal only costs the reaction."""
    if not ack:
        return
    try:
        await bot.set_message_reaction(int(ack[0]), int(ack[1]), emoji)
    except TelegramError as exc:
        log.info("reaction not set (%s)", type(exc).__name__)


class Acks:
    """The latest wanted reaction per officer's message, applied in the background."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._wanted: dict[tuple[int, int], str] = {}
        self._task: asyncio.Task[None] | None = None

    def set(self, ack: Sequence[int] | None, emoji: str) -> None:
        """Ask for `emoji` on the message `ack` (chat id, message id); returns at once."""
        if not ack:
            return
        key = (int(ack[0]), int(ack[1]))
        self._wanted.pop(key, None)  # a newer state replaces one not yet sent
        self._wanted[key] = emoji
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._apply(), name="kawan-acks")

    async def _apply(self) -> None:
        while self._wanted:
            key = next(iter(self._wanted))
            emoji = self._wanted.pop(key)
            await react(self.bot, key, emoji)

    async def flush(self) -> None:
        """Wait until every wanted reaction was tried (tests, benchmarks, shutdown)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

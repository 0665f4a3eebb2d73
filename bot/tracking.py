"""The bot object: PTB's ExtBot that notes every message it sends to a private chat (/hapus)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Message
from telegram.ext import ExtBot

log = logging.getLogger(__name__)

SentHook = Callable[[int, int], Awaitable[None]]


class TrackingBot(ExtBot[None]):
    """Every send_* goes through _send_message; private chats' message ids are handed to a hook."""

    __slots__ = ("_on_private_message",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._on_private_message: SentHook | None = None

    async def _send_message(self, *args: Any, **kwargs: Any) -> Any:
        result = await super()._send_message(*args, **kwargs)
        if (
            isinstance(result, Message)
            and result.chat.type == "private"
            and self._on_private_message
        ):
            try:
                await self._on_private_message(result.chat_id, result.message_id)
            except Exception:  # noting an id must never lose the message that was just sent
                log.exception("could not note a sent message id")
        return result

    def note_private_messages(self, hook: SentHook) -> None:
        """Set the hook (telegram objects are frozen; underscored slots stay settable)."""
        self._on_private_message = hook

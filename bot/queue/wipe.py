"""Deleting a private chat's messages on both sides: /hapus, /hapusdata and auto-delete."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot
from telegram.error import TelegramError

from bot.storage.repos import Repositories

log = logging.getLogger(__name__)

DELETE_BATCH = 100  # deleteMessages takes at most 100 ids


async def delete_messages(bot: Bot, repos: Repositories, chat_id: int, ids: Sequence[int]) -> None:
    """Delete `ids` in one chat, 100 at a time, and forget them: what Telegram cannot delete
    (gone already, older than 48 hours) is skipped, never retried."""
    for start in range(0, len(ids), DELETE_BATCH):
        chunk = list(ids[start : start + DELETE_BATCH])
        try:
            await bot.delete_messages(chat_id, chunk)
        except TelegramError as exc:  # some may be gone already; Telegram skips what it can't
            log.info("deleting a chunk failed (%s)", type(exc).__name__)
        await repos.messages.forget(chat_id, chunk)

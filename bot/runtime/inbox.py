"""The durable inbox: an update is written to SQLite before Telegram learns it was received.

Both ways updates arrive put them on Application.update_queue: the polling Updater awaits each
put before its next getUpdates (which is what tells Telegram they were received), and the
webhook handler awaits the put before it answers 200. So a queue whose put() first writes the
update to the inbox makes every received update durable before Telegram forgets it. Handled
updates are removed (after persistence is flushed, see bot/app.py); on start the ones left by a
killed process are replayed in arrival order.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque

from telegram import Bot, Update

from bot.storage.inbox import InboxRepository

log = logging.getLogger(__name__)

RECENT_IDS = 10_000


class DurableUpdateQueue(asyncio.Queue[object]):
    """Application.update_queue, with the inbox behind it once storage is open."""

    def __init__(self) -> None:
        super().__init__()
        self.inbox: InboxRepository | None = None
        # Ids handled lately: Telegram resends updates whose acknowledgement it did not get.
        self._recent: set[int] = set()
        self._recent_order: deque[int] = deque()

    async def put(self, item: object) -> None:
        if isinstance(item, Update) and self.inbox is not None:
            if item.update_id in self._recent:
                log.info("update %s arrived again after it was handled; ignored", item.update_id)
                return
            payload = json.dumps(item.to_dict(), ensure_ascii=False)
            if not await self.inbox.keep(item.update_id, payload):
                log.info("update %s arrived twice; handling it once", item.update_id)
                return
        await super().put(item)

    async def replay(self, bot: Bot) -> int:
        """Queue what a previous run received but did not finish; how many."""
        if self.inbox is None:
            return 0
        waiting = await self.inbox.waiting()
        for _update_id, payload in waiting:
            update = Update.de_json(json.loads(payload), bot)
            if update is not None:
                await super().put(update)
        if waiting:
            log.warning("replaying %d updates a previous run had not finished", len(waiting))
        return len(waiting)

    async def handled(self, update: object) -> None:
        """The update's work is done and its state written: forget it."""
        if isinstance(update, Update) and self.inbox is not None:
            self._recent.add(update.update_id)
            self._recent_order.append(update.update_id)
            if len(self._recent_order) > RECENT_IDS:
                self._recent.discard(self._recent_order.popleft())
            await self.inbox.done([update.update_id])

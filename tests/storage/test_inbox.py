"""The update inbox in storage: kept once, replayed in arrival order, gone when handled."""

from __future__ import annotations

from bot.storage.db import Database
from bot.storage.inbox import InboxRepository


async def test_updates_are_kept_once_and_wait_in_arrival_order(db: Database) -> None:
    inbox = InboxRepository(db)
    assert await inbox.keep(30, '{"update_id": 30}')
    assert await inbox.keep(10, '{"update_id": 10}')  # arrival order, not id order
    assert not await inbox.keep(30, '{"update_id": 30, "again": true}')  # Telegram resent it
    assert await inbox.waiting() == [(30, '{"update_id": 30}'), (10, '{"update_id": 10}')]


async def test_handled_updates_are_forgotten(db: Database) -> None:
    inbox = InboxRepository(db)
    for update_id in (1, 2, 3):
        await inbox.keep(update_id, "{}")
    await inbox.done([])
    await inbox.done([1, 3, 99])
    assert [update_id for update_id, _ in await inbox.waiting()] == [2]

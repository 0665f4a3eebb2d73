"""The durable inbox: kept before Telegram is told, gone once handled, replayed after a kill."""

from __future__ import annotations

import json

from bot.app import build_application, running
from bot.config import Settings
from bot.context import KawanApplication
from bot.runtime.inbox import DurableUpdateQueue
from bot.storage.db import Database
from bot.storage.inbox import InboxRepository
from bot.transport.driver import ChatDriver, deliver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import UpdateFactory
from conftest import CITIZEN


async def test_an_update_is_kept_before_it_is_handled_and_forgotten_after(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    queue = app.update_queue
    assert isinstance(queue, DurableUpdateQueue) and queue.inbox is not None
    seen_in_inbox: list[bool] = []

    async def looks_at_inbox(update: object, context: object) -> None:
        ids = [update_id for update_id, _ in await queue.inbox.waiting()]  # type: ignore[union-attr]
        seen_in_inbox.append(getattr(update, "update_id", None) in ids)

    from telegram.ext import TypeHandler

    app.add_handler(TypeHandler(object, looks_at_inbox), group=-1000)
    update = UpdateFactory(api, app.bot).message(CITIZEN, "/start")
    await deliver(app, update)
    assert seen_in_inbox == [True]
    assert await queue.inbox.waiting() == []
    assert "Kawan" in "\n".join(api.visible_texts(CITIZEN.id))


async def test_the_same_update_delivered_twice_is_handled_once(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    update = UpdateFactory(api, app.bot).message(CITIZEN, "/start")
    await deliver(app, update)
    before = len(api.sent("sendMessage", CITIZEN.id))
    await app.update_queue.put(update)  # Telegram sends it again after a lost acknowledgement
    await deliver(app, UpdateFactory(api, app.bot).message(CITIZEN, "/menu"))
    assert len(api.sent("sendMessage", CITIZEN.id)) == before + 1  # only /menu was answered


async def test_updates_a_killed_run_received_are_handled_on_the_next_start(
    settings: Settings, api: OfflineBotAPI
) -> None:
    # What a run killed with SIGKILL leaves: updates in the inbox, never handled.
    factory = UpdateFactory(api, build_application(settings, api=api).bot)
    waiting = [factory.message(CITIZEN, "/start"), factory.message(CITIZEN, "/darurat")]
    db = await Database.open(settings.database_path)
    for update in waiting:
        await InboxRepository(db).keep(update.update_id, json.dumps(update.to_dict()))
    await db.close()

    app = build_application(settings, api=api)
    async with running(app):
        driver = ChatDriver(app, api, CITIZEN)
        await driver.send("/menu")  # handled after the replayed ones: order is kept
        queue = app.update_queue
        assert isinstance(queue, DurableUpdateQueue) and queue.inbox is not None
        assert await queue.inbox.waiting() == []
    texts = [p["text"] for p in api.sent("sendMessage", CITIZEN.id)]
    assert len(texts) >= 3
    assert "Darurat" in texts[1] and "117" in texts[1]  # /darurat's screen, in Indonesian

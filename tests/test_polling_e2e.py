"""End to end over real HTTP: the bot long-polls a local Bot API server via TELEGRAM_API_URL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from telegram import Bot

from bot.app import build_application, start_services, stop_services
from bot.config import load_settings
from bot.transport.http_server import BotApiHTTPServer
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person, UpdateFactory

TOKEN = "123456789:AAHkawanTestTokenForLocalBotApiServer01"


async def _wait_for(predicate: Callable[[], bool]) -> None:
    for _ in range(500):  # 10 s at most
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the bot did not answer over HTTP in time")


async def test_polling_against_a_local_bot_api_server(tmp_path: Path) -> None:
    api = OfflineBotAPI()
    server = BotApiHTTPServer(api, TOKEN)
    await server.start()
    settings = load_settings(
        {
            "BOT_TOKEN": TOKEN,
            "OFFICERS_CHAT_ID": "-100555",
            "TELEGRAM_API_URL": server.url,
            "DATABASE_PATH": str(tmp_path / "e2e.sqlite3"),
        },
        dotenv=None,
    )
    app = build_application(settings)
    person = Person(id=4242, first_name="Rina", language_code="id")
    factory = UpdateFactory(api, Bot(TOKEN))
    try:
        await app.initialize()
        await start_services(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        server.push_update(
            {"update_id": 1, "message": factory.message_json(person, "/start darurat")}
        )
        await _wait_for(lambda: bool(api.sent("sendMessage", chat_id=person.id)))
        sent = api.sent("sendMessage", chat_id=person.id)[0]
        assert "117" in sent["text"]
        assert api.sent("getMe"), "the bot introduced itself to the local server"
        assert api.sent("setMyCommands"), "command menus were published over HTTP"
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await stop_services(app)
        await app.shutdown()
        await server.stop()

"""SIGKILL mid-advisory over real HTTP: 2,000 subscribers each get it once, never over 25/s."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot

from bot.storage.db import Database
from bot.storage.repos import Repositories
from bot.transport.http_server import BotApiHTTPServer
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person, UpdateFactory
from tests.e2e.test_polling_e2e import ROOT, TOKEN, _wait_for

GROUP = -100_559
OFFICER = Person(id=900_778, first_name="Petugas", language_code="id")
# 2,000 as issue 17 asks: paced 25 per 1.25 s, about 100 s, with a kill and restart midway
# (the progress line's "1.240 / 2.000" separators: tests/safety/test_advisories.py).
FIRST, SUBSCRIBERS = 600_000, 2_000
KILL_AFTER = 600


async def _until(predicate: Any, seconds: float, api: OfflineBotAPI) -> None:
    """Until predicate() holds, checked after each Bot API call (no clock is polled)."""
    try:
        await _wait_for(api, predicate, seconds)
    except AssertionError:
        shown = api.visible_texts(GROUP)
        raise AssertionError(f"the bot did not get there in time: {shown}") from None


@pytest.mark.slow
async def test_sigkill_mid_advisory_reaches_every_subscriber_once_at_most_25_a_second(
    tmp_path: Path,
) -> None:
    database = tmp_path / "advisory.sqlite3"
    db = await Database.open(database)
    try:
        repos = Repositories.build(db)
        async with db.transaction():
            for n in range(SUBSCRIBERS):
                await repos.advisories.subscribe(
                    FIRST + n, FIRST + n, "id", dt.datetime.now(dt.UTC)
                )
    finally:
        await db.close()
    api = OfflineBotAPI()
    group = api.chat(GROUP, type="supergroup", title="piket", is_forum=True)
    group.members[OFFICER.id] = "administrator"
    sends: list[tuple[int, float]] = []

    def record(method: str, params: dict[str, Any]) -> None:
        chat = int(params.get("chat_id") or 0)
        if method == "sendMessage" and FIRST <= chat < FIRST + SUBSCRIBERS:
            sends.append((chat, time.monotonic()))

    api.on_send.append(record)
    server = BotApiHTTPServer(api, TOKEN)
    await server.start()
    env = {**os.environ, "BOT_TOKEN": TOKEN, "OFFICERS_CHAT_ID": str(GROUP),
           "TELEGRAM_API_URL": server.url, "DATABASE_PATH": str(database),
           "LOG_LEVEL": "WARNING", "PYTHONPATH": ROOT}  # fmt: skip

    def start() -> Any:
        return asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip

    factory = UpdateFactory(api, Bot(TOKEN))
    process = await start()
    try:
        text = "/siaran Kantor tutup hari Senin; layanan darurat tetap buka."
        message = factory.message_json(OFFICER, text, chat_id=GROUP)
        server.push_update({"update_id": api.next_update_id(), "message": message})
        preview = "Kirim ke 2.000 pelanggan?"
        await _until(lambda: preview in "".join(api.visible_texts(GROUP)), 30, api)
        press = factory.callback(OFFICER, "a:send:1", chat_id=GROUP)
        server.push_update(press.to_dict())
        await _until(lambda: len(sends) >= KILL_AFTER, 60, api)
        process.kill()  # SIGKILL: no shutdown, no flush
        await process.wait()
        killed_at = len(sends)
        assert killed_at < SUBSCRIBERS  # the kill came midway
        process = await start()
        await _until(lambda: len({chat for chat, _ in sends}) == SUBSCRIBERS, 200, api)
        await _until(
            lambda: any("2.000 / 2.000 terkirim" in t for t in api.visible_texts(GROUP)), 30, api
        )
    finally:
        process.kill()
        await process.wait()
        await server.stop()
    copies = Counter(chat for chat, _ in sends)
    assert set(copies) == set(range(FIRST, FIRST + SUBSCRIBERS))  # none missed
    assert sum(copies.values()) - SUBSCRIBERS <= 3  # only the kill itself may duplicate
    moments = sorted(at for _, at in sends)
    fastest = min(moments[i + 25] - moments[i] for i in range(len(moments) - 25))
    # Never 26 sends within a second. Times are taken where the fake Telegram receives them, so
    # HTTP jitter can bring two sends a few milliseconds closer than the pacer spaced them.
    assert fastest >= 0.97

"""A burst over real HTTP against `python -m bot run`: buttons never spin, nobody waits long."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot

from bot.transport.http_server import BotApiHTTPServer
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person, UpdateFactory
from tests.e2e.test_polling_e2e import ROOT, TOKEN


async def _wait_for(predicate: Callable[[], bool]) -> None:
    """Polls every 20 ms, unlike the other end-to-end tests' event-driven wait (theirs woke on
    each Bot API call). With that wait this test failed in 4 of 6 full runs, buttons answered
    in up to 1.9 s against its 1 s bound; polling passed. The bound is tight: about 0.9 s here.
    """
    for _ in range(500):  # 10 s at most
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the bot did not answer over HTTP in time")


PEOPLE = 40
QUESTIONS = ("berapa denda overstay sehari?", "paspor saya ditahan bos", "nomor polisi berapa")


@pytest.mark.slow
async def test_a_burst_past_telegrams_limits_answers_every_button_in_time(tmp_path: Path) -> None:
    api = OfflineBotAPI()  # Telegram's limits on: 30 sends a second, 15 s per button press
    api.chat(-100_559, type="supergroup", title="piket", is_forum=True)
    server = BotApiHTTPServer(api, TOKEN)
    await server.start()
    env = {**os.environ, "BOT_TOKEN": TOKEN, "OFFICERS_CHAT_ID": "-100559",
           "TELEGRAM_API_URL": server.url, "DATABASE_PATH": str(tmp_path / "surge.sqlite3"),
           "LOG_LEVEL": "WARNING", "PYTHONPATH": ROOT}  # fmt: skip
    pressed: dict[str, float] = {}
    answered: dict[str, float] = {}
    first_word: dict[int, float] = {}

    def saw(method: str, params: dict[str, Any]) -> None:
        if method == "answerCallbackQuery":
            answered.setdefault(str(params["callback_query_id"]), time.monotonic())
        elif method in ("sendMessage", "editMessageText"):
            first_word.setdefault(int(params["chat_id"]), time.monotonic())

    api.on_send.append(saw)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    factory = UpdateFactory(api, Bot(TOKEN))
    people = [Person(id=7000 + n, first_name=f"W{n}") for n in range(PEOPLE)]
    try:
        await _wait_for(lambda: bool(api.sent("getUpdates")) or bool(api.sent("getMe")))
        started = time.monotonic()
        for n, person in enumerate(people):  # everyone at once: a greeting and a question
            for text in ("/start", QUESTIONS[n % len(QUESTIONS)]):
                message = factory.message_json(person, text)
                server.push_update({"update_id": api.next_update_id(), "message": message})
        await _wait_for(lambda: all(p.id in first_word for p in people))
        firsts = [first_word[p.id] - started for p in people]

        def keyboard_of(person: Person) -> bool:
            log = api.chats.get(person.id)
            return log is not None and any(m.get("reply_markup") for m in log.messages.values())

        await _wait_for(lambda: all(keyboard_of(p) for p in people))
        for person in people:  # then everyone presses a button on the menu they got
            update = factory.callback(person, "m:rules").to_dict()
            pressed[update["callback_query"]["id"]] = time.monotonic()
            server.push_update(update)
        await _wait_for(lambda: all(q in answered for q in pressed))
    finally:
        process.kill()
        await process.wait()
        await server.stop()
    delays = sorted(answered[q] - at for q, at in pressed.items())
    assert api.expired_callbacks == 0
    # Most buttons answered within a second, none near Telegram's 15 s expiry. The delays are
    # taken in this test process, which also plays Telegram: on a busy 2-core machine its own
    # pauses add up to a second (seen in full-suite runs). The in-process live surge benchmark
    # measures the bot alone: p99 a few ms.
    assert delays[int(len(delays) * 0.95) - 1] < 1.0, delays[-5:]
    assert delays[-1] < 3.0, delays[-5:]
    assert sorted(firsts)[int(len(firsts) * 0.99) - 1] < 3.0  # a newcomer's first word

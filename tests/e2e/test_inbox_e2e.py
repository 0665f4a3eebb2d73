"""SIGKILL while officers' replies arrive over HTTP: what Telegram delivered is never lost."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

from telegram import Bot

from bot.transport.http_server import BotApiHTTPServer
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person, UpdateFactory
from tests.e2e.test_polling_e2e import ROOT, TOKEN, HttpCitizen, _help_request, _wait_for

GROUP = -100_558
OFFICER = Person(id=900_777, first_name="Petugas", language_code="id")
REPLIES = 8


async def test_sigkill_mid_burst_loses_no_officer_reply_telegram_delivered(tmp_path: Path) -> None:
    api = OfflineBotAPI()
    group = api.chat(GROUP, type="supergroup", title="piket", is_forum=True)
    group.members[OFFICER.id] = "administrator"
    server = BotApiHTTPServer(api, TOKEN)
    await server.start()
    env = {**os.environ, "BOT_TOKEN": TOKEN, "OFFICERS_CHAT_ID": str(GROUP),
           "TELEGRAM_API_URL": server.url, "DATABASE_PATH": str(tmp_path / "kill.sqlite3"),
           "LOG_LEVEL": "WARNING", "PYTHONPATH": ROOT}  # fmt: skip

    def start() -> asyncio.subprocess.Process:
        return asyncio.create_subprocess_exec(  # type: ignore[return-value]
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip

    citizen = HttpCitizen(server, api, Person(id=5100, first_name="Wati"))
    process = await start()  # type: ignore[misc]
    try:
        await _help_request(citizen, "Paspor saya ditahan")
        await _wait_for(api, lambda: bool(group.topics))
        thread = next(iter(group.topics))
        factory = UpdateFactory(api, Bot(TOKEN))
        ids: list[int] = []
        killed_with: list[int] = []
        fetch = server.get_updates

        async def get_updates(offset: int, wait: float) -> list[dict[str, object]]:
            # The bot asks for updates newer than the replies: Telegram now forgets them.
            # SIGKILL at that very instant, before the bot can have relayed them all.
            if ids and offset > max(ids) and not killed_with:
                killed_with.append(len(relayed()))
                process.kill()
            return await fetch(offset, wait)

        def relayed() -> list[int]:
            texts = "\n".join(api.visible_texts(citizen.person.id))
            return [n for n in range(REPLIES) if f"Balasan nomor {n} dari KBRI" in texts]

        server.get_updates = get_updates  # type: ignore[method-assign]
        for n in range(REPLIES):
            text = f"Balasan nomor {n} dari KBRI"
            message = factory.message_json(OFFICER, text, chat_id=GROUP, thread_id=thread)
            update_id = api.next_update_id()
            ids.append(update_id)
            server.push_update({"update_id": update_id, "message": message})
        async with asyncio.timeout(30):
            await process.wait()  # killed by get_updates above, once Telegram forgot the replies
        assert killed_with[0] < REPLIES  # the kill really came before every reply was relayed
        process = await start()  # type: ignore[misc]
        await _wait_for(api, lambda: len(relayed()) == REPLIES)
    finally:
        process.kill()
        await process.wait()
        await server.stop()
    texts = "\n".join(api.visible_texts(citizen.person.id))
    order = [int(n) for n in re.findall(r"Balasan nomor (\d+) dari KBRI", texts)]
    assert sorted(set(order)) == list(range(REPLIES))
    assert order == sorted(order)  # in the order the officer wrote them

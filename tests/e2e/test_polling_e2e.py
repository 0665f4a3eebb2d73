"""End to end over real HTTP: the bot long-polls a local Bot API server via TELEGRAM_API_URL."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from telegram import Bot

from bot.app import build_application, start_services, stop_services
from bot.config import Settings, load_settings
from bot.context import KawanApplication
from bot.transport.http_server import BotApiHTTPServer
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person, UpdateFactory

TOKEN = "123456789:AAHkawanTestTokenForLocalBotApiServer01"
ROOT = str(Path(__file__).resolve().parents[2])


async def _wait_for(
    api: OfflineBotAPI, predicate: Callable[[], bool], seconds: float = 30.0
) -> None:
    """Until predicate() holds, checked again after each Bot API call the bot makes.

    The bot's own steps wake the test (no clock is polled); fails after `seconds`, a bound
    on liveness, not speed: the suite runs in parallel workers on a shared machine.
    """
    step = asyncio.Event()

    def wake(method: str, params: dict[str, Any]) -> None:
        step.set()

    api.on_send.append(wake)
    try:
        async with asyncio.timeout(seconds):
            while not predicate():
                await step.wait()
                step.clear()
    except TimeoutError:
        raise AssertionError("the bot did not answer over HTTP in time") from None
    finally:
        api.on_send.remove(wake)


@contextlib.asynccontextmanager
async def online(
    api: OfflineBotAPI, env: dict[str, str]
) -> AsyncIterator[tuple[BotApiHTTPServer, KawanApplication, Settings]]:
    """A local Bot API server and the real bot started against it (no updates fetched yet)."""
    server = BotApiHTTPServer(api, TOKEN)
    await server.start()
    settings = load_settings(
        {"BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": server.url, **env}, dotenv=None
    )
    app = build_application(settings)
    try:
        await app.initialize()
        await start_services(app)
        await app.start()
        yield server, app, settings
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await stop_services(app)
        await app.shutdown()
        await server.stop()


@contextlib.asynccontextmanager
async def polling(
    api: OfflineBotAPI, chat_id: str, database: Path
) -> AsyncIterator[BotApiHTTPServer]:
    """The real bot long-polling a local Bot API server, as `python -m bot run` would."""
    env = {"OFFICERS_CHAT_ID": chat_id, "DATABASE_PATH": str(database)}
    async with online(api, env) as (server, app, _):
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        yield server


async def test_polling_against_a_local_bot_api_server(tmp_path: Path) -> None:
    api = OfflineBotAPI()
    person = Person(id=4242, first_name="Rina", language_code="id")
    factory = UpdateFactory(api, Bot(TOKEN))
    async with polling(api, "-100555", tmp_path / "e2e.sqlite3") as server:
        server.push_update(
            {"update_id": 1, "message": factory.message_json(person, "/start darurat")}
        )
        await _wait_for(api, lambda: bool(api.sent("sendMessage", chat_id=person.id)))
        sent = api.sent("sendMessage", chat_id=person.id)[0]
        assert "117" in sent["text"]
        assert api.sent("getMe"), "the bot introduced itself to the local server"
        assert api.sent("setMyCommands"), "command menus were published over HTTP"


class HttpCitizen:
    """A person talking to the bot only through the local HTTP Bot API server."""

    def __init__(self, server: BotApiHTTPServer, api: OfflineBotAPI, person: Person) -> None:
        self.server, self.api, self.person = server, api, person
        self.factory = UpdateFactory(api, Bot(TOKEN))

    def _answers(self) -> int:
        return len([c for c in self.api.calls if int(c[1].get("chat_id") or 0) == self.person.id])

    async def _push(self, update: dict[str, Any]) -> None:
        before = self._answers()
        self.server.push_update(update)
        await _wait_for(self.api, lambda: self._answers() > before)

    async def send(self, text: str) -> None:
        update_id = self.api.next_update_id()
        await self._push(
            {"update_id": update_id, "message": self.factory.message_json(self.person, text)}
        )

    async def press(self, data: str) -> None:
        await self._push(self.factory.callback(self.person, data).to_dict())


async def _help_request(citizen: HttpCitizen, description: str) -> None:
    await citizen.send("/bantuan")
    for step in ("i:category:passport", "i:safe:yes"):
        await citizen.press(step)
    await citizen.send("Phnom Penh")
    await citizen.press("i:contact:any")
    await citizen.send(description)
    for step in ("i:attach:done", "i:consent:yes", "i:confirm:yes"):
        await citizen.press(step)
    # The button's answer may come before the acknowledgement: wait for the reference itself.
    await _wait_for(citizen.api, lambda: "KWN-" in citizen.api.visible_texts(citizen.person.id)[-1])


async def test_a_whole_case_over_http_from_request_to_close(tmp_path: Path) -> None:
    api = OfflineBotAPI()
    group = api.chat(-100555, type="supergroup", title="piket", is_forum=True)
    officer = Person(id=9001, first_name="Petugas")
    group.members[officer.id] = "administrator"
    async with polling(api, "-100555", tmp_path / "e2e.sqlite3") as server:
        citizen = HttpCitizen(server, api, Person(id=4243, first_name="Rina"))
        await _help_request(citizen, "Paspor saya ditahan majikan")
        ack = api.visible_texts(citizen.person.id)[-1]
        ref = ack[ack.index("KWN-") : ack.index("KWN-") + 10]
        await _wait_for(api, lambda: any(ref in t for t in api.visible_texts(-100555)))
        card = next(m for m in group.messages.values() if ref in m.get("text", ""))
        factory = UpdateFactory(api, Bot(TOKEN))
        server.push_update(
            factory.callback(
                officer, "c:claim:1", message_id=card["message_id"], chat_id=-100555
            ).to_dict()
        )
        reply = factory.message_json(
            officer, "Kami hubungi besok.", chat_id=-100555, thread_id=card["message_thread_id"]
        )
        server.push_update({"update_id": api.next_update_id(), "message": reply})
        await _wait_for(
            api, lambda: "Kami hubungi besok." in " ".join(api.visible_texts(citizen.person.id))
        )
        last = api.visible_texts(citizen.person.id)[-1]
        assert "KWN-" in last and "Petugas" not in last  # neutral first line
        server.push_update(
            factory.callback(
                officer, "c:closeok:1", message_id=card["message_id"], chat_id=-100555
            ).to_dict()
        )
        await _wait_for(
            api,
            lambda: (
                "KWN" in api.visible_texts(citizen.person.id)[-1]
                and "Kami" not in api.visible_texts(citizen.person.id)[-1]
            ),
        )
        assert ref in api.visible_texts(citizen.person.id)[-1]  # told it is closed


async def test_sigkill_at_any_moment_loses_no_committed_case(tmp_path: Path) -> None:
    api = OfflineBotAPI()
    group = api.chat(-100556, type="supergroup", title="piket", is_forum=True)
    server = BotApiHTTPServer(api, TOKEN)
    await server.start()
    env = {**os.environ, "BOT_TOKEN": TOKEN, "OFFICERS_CHAT_ID": "-100556",
           "TELEGRAM_API_URL": server.url, "DATABASE_PATH": str(tmp_path / "kill.sqlite3"),
           "LOG_LEVEL": "WARNING", "PYTHONPATH": ROOT}  # fmt: skip

    def start() -> asyncio.subprocess.Process:
        return asyncio.create_subprocess_exec(  # type: ignore[return-value]
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip

    refs: list[str] = []
    process = await start()  # type: ignore[misc]
    try:
        for n in range(4):
            citizen = HttpCitizen(server, api, Person(id=5000 + n, first_name=f"W{n}"))
            await _help_request(citizen, f"Permintaan nomor {n}")
            # The last press is answered with an edit first, then the reference: wait for it.
            await _wait_for(api, lambda: "KWN-" in api.visible_texts(citizen.person.id)[-1])  # noqa: B023
            ack = api.visible_texts(citizen.person.id)[-1]
            refs.append(ack[ack.index("KWN-") : ack.index("KWN-") + 10])
            if n == 1:
                process.kill()  # SIGKILL right after two acknowledgements, mid-dispatch
                await process.wait()
                process = await start()  # type: ignore[misc]
        await _wait_for(
            api, lambda: all(any(r in t for t in api.visible_texts(-100556)) for r in refs)
        )
    finally:
        process.kill()
        await process.wait()
        await server.stop()
    texts = [m.get("text", "") for m in group.messages.values()]
    for ref in refs:
        # At most one extra: a card in flight at the instant of the kill may be posted again.
        assert 1 <= sum(ref in t for t in texts) <= 2, ref
    assert sum(sum(ref in t for t in texts) - 1 for ref in refs) <= 1


async def test_webhook_mode_accepts_telegram_posts_and_refuses_forged_ones(tmp_path: Path) -> None:
    import json
    import socket
    import urllib.error
    import urllib.request

    from bot.app import webhook_options

    with socket.socket() as probe:  # a free local port for the webhook server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api = OfflineBotAPI()
    env = {"OFFICERS_CHAT_ID": "-100557", "DATABASE_PATH": str(tmp_path / "hook.sqlite3"),
           "WEBHOOK_URL": "https://kawan.example/", "WEBHOOK_PORT": str(port)}  # fmt: skip
    person = Person(id=4244, first_name="Dewi")
    body = {
        "update_id": 7,
        "message": UpdateFactory(api, Bot(TOKEN)).message_json(person, "/darurat"),
    }

    def post(secret: str) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/telegram", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    async with online(api, env) as (_, app, settings):
        options = webhook_options(settings)
        assert app.updater is not None
        await app.updater.start_webhook(listen="127.0.0.1", **options)
        hook = api.sent("setWebhook")[-1]
        assert hook["url"] == "https://kawan.example/telegram" and hook["secret_token"]
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(None, post, "forged") == 403
        assert not api.sent("sendMessage", chat_id=person.id)
        assert await loop.run_in_executor(None, post, options["secret_token"]) == 200
        await _wait_for(api, lambda: bool(api.sent("sendMessage", chat_id=person.id)))
        assert "117" in api.sent("sendMessage", chat_id=person.id)[0]["text"]

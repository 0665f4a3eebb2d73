"""The offline Bot API over real local HTTP: methods, errors, uploads and long-polled getUpdates."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import struct
import zlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest, InvalidToken, RetryAfter
from telegram.request import HTTPXRequest

from bot.transport.http_server import BotApiHTTPServer, _maybe_json
from bot.transport.offline import OfflineBotAPI
from bot.transport.uploads import PNG_SIGNATURE, Upload
from bot.ui import limits

TOKEN = "123456789:AAHkawanTestTokenForLocalBotApiServer01"
USER = 4242


class WatchedServer(BotApiHTTPServer):
    """Tells the test when a getUpdates request has reached the server and is waiting."""

    def __init__(self, api: OfflineBotAPI, token: str) -> None:
        super().__init__(api, token)
        self.polling = asyncio.Event()

    async def get_updates(self, offset: int, wait: float) -> list[dict[str, Any]]:
        self.polling.set()
        return await super().get_updates(offset, wait)


@pytest.fixture
def api() -> OfflineBotAPI:
    return OfflineBotAPI(now=lambda: 1_800_000_000.0)


@pytest.fixture
async def server(api: OfflineBotAPI) -> AsyncIterator[WatchedServer]:
    front = WatchedServer(api, TOKEN)
    await front.start()
    yield front
    await front.stop()


@pytest.fixture
async def http(server: WatchedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{server.url}/bot{TOKEN}", timeout=10) as client:
        yield client


@pytest.fixture
async def bot(server: WatchedServer, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Bot]:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    async with Bot(TOKEN, base_url=f"{server.url}/bot") as client:
        yield client


def _update(update_id: int, text: str = "halo") -> dict[str, Any]:
    chat = {"id": USER, "type": "private", "first_name": "Rina"}
    sender = {"id": USER, "is_bot": False, "first_name": "Rina"}
    message = {"message_id": update_id, "date": 1, "chat": chat, "from": sender, "text": text}
    return {"update_id": update_id, "message": message}


def test_the_server_listens_on_a_free_local_port(server: WatchedServer) -> None:
    assert server.port > 0 and server.url == f"http://127.0.0.1:{server.port}"


async def test_json_form_and_query_parameters_all_reach_the_api(
    api: OfflineBotAPI, http: httpx.AsyncClient
) -> None:
    keyboard = {"inline_keyboard": [[{"text": "Ya", "callback_data": "i:yes"}]]}
    as_json = await http.post("/sendMessage", json={"chat_id": USER, "text": "<b>a</b>",
                                                    "parse_mode": "HTML"})  # fmt: skip
    assert as_json.status_code == 200 and as_json.json()["result"]["text"] == "a"
    as_form = await http.post(
        "/sendMessage",
        data={"chat_id": str(USER), "text": "b", "reply_markup": json.dumps(keyboard)},
    )
    assert as_form.json()["result"]["reply_markup"] == keyboard  # JSON fields decoded
    as_query = await http.get("/sendMessage", params={"chat_id": USER, "text": "[c"})
    assert as_query.json()["result"]["text"] == "[c"  # not JSON: kept as text
    assert api.visible_texts(USER) == ["a", "b", "[c"]


async def test_refusals_keep_telegrams_status_and_body(
    api: OfflineBotAPI, http: httpx.AsyncClient
) -> None:
    bad = await http.post(
        "/sendMessage", json={"chat_id": USER, "text": "<b>", "parse_mode": "HTML"}
    )
    assert bad.status_code == 400 and bad.json()["ok"] is False
    assert bad.json()["description"].startswith("Bad Request: can't parse entities")
    missing = await http.post("/sendTelepathy", json={})
    assert (missing.status_code, missing.json()["error_code"]) == (404, 404)
    for n in range(limits.OVERALL_SENDS_PER_SECOND):  # the refused send above spent nothing
        await http.post("/sendMessage", json={"chat_id": USER + 1 + n, "text": "x"})
    flood = await http.post("/sendMessage", json={"chat_id": USER, "text": "x"})
    assert flood.status_code == 429 and flood.json()["parameters"] == {"retry_after": 1}
    api.fault_policy = lambda method, params: (0, "lost", None)
    lost = await http.post("/getMe")
    assert lost.status_code == 500 and lost.json()["description"] == "lost"


async def test_a_wrong_token_is_unauthorized_and_touches_nothing(
    api: OfflineBotAPI, server: WatchedServer
) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{server.url}/bot1:forged/sendMessage", json={"chat_id": 1})
    assert answer.status_code == 401 and answer.json()["description"] == "Unauthorized"
    assert api.calls == []


async def test_get_updates_returns_pending_updates_until_acknowledged(
    server: WatchedServer, http: httpx.AsyncClient
) -> None:
    assert (await http.post("/getUpdates", json={"timeout": 0})).json()["result"] == []
    for update_id in (1, 2, 3):
        server.push_update(_update(update_id))
    first = (await http.post("/getUpdates", json={"offset": 0})).json()["result"]
    assert [u["update_id"] for u in first] == [1, 2, 3]
    rest = (await http.post("/getUpdates", data={"offset": "3"})).json()["result"]
    assert [u["update_id"] for u in rest] == [3] and len(server.pending) == 1


async def test_a_long_poll_waits_and_answers_as_soon_as_an_update_arrives(
    server: WatchedServer, http: httpx.AsyncClient
) -> None:
    poll = asyncio.create_task(http.post("/getUpdates", json={"offset": 5, "timeout": 30}))
    await server.polling.wait()  # the request is at the server, and nothing is pending
    assert not poll.done()
    server.push_update(_update(4))  # already acknowledged by offset 5: does not count
    server.push_update(_update(5, "akhirnya"))
    answer = await asyncio.wait_for(poll, 10)  # long before the 30 s poll would end
    assert [u["message"]["text"] for u in answer.json()["result"]] == ["akhirnya"]


async def test_a_long_poll_with_nothing_new_ends_empty(server: WatchedServer) -> None:
    assert await server.get_updates(offset=0, wait=0.01) == []
    server.push_update(_update(1))
    assert await server.get_updates(offset=2, wait=0.01) == []  # only an acknowledged one


async def test_ptb_talks_to_the_server_like_to_telegram(
    api: OfflineBotAPI, server: WatchedServer, bot: Bot
) -> None:
    assert bot.username == "kawan_offline_bot"  # getMe over HTTP
    server.push_update(_update(1, "/start"))
    updates = await bot.get_updates(offset=0, timeout=0)
    assert [(u.update_id, u.message.text if u.message else None) for u in updates] == [
        (1, "/start")
    ]
    sent = await bot.send_message(USER, "<i>Halo</i>", parse_mode="HTML")
    assert sent.text == "Halo" and api.visible_texts(USER) == ["Halo"]
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER, " ")
    assert await bot.set_webhook("https://kawan.example/telegram", secret_token="s3cret")
    assert api.sent("setWebhook")[-1] == {"url": "https://kawan.example/telegram",
                                          "secret_token": "s3cret"}  # fmt: skip
    for n in range(limits.OVERALL_SENDS_PER_SECOND - 1):
        await bot.send_message(USER + 1 + n, "x")
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(USER, "x")
    assert flood.value.retry_after == dt.timedelta(seconds=1)


async def test_a_photo_upload_arrives_as_a_file_and_is_decoded(
    api: OfflineBotAPI, bot: Bot
) -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 30, 20, 8, 0, 0, 0, 0)
    pixels = zlib.compress((b"\x00" + bytes(30)) * 20)
    png = PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    message = await bot.send_photo(USER, png, caption="Statistik", filename="chart.png")
    assert (message.photo[-1].width, message.photo[-1].height) == (30, 20)
    upload = api.sent("sendPhoto")[0]["photo"]
    assert isinstance(upload, Upload) and upload.content == png
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(USER, png[:-12])


async def test_ptb_hears_a_wrong_token(server: WatchedServer) -> None:
    request = HTTPXRequest()
    try:
        with pytest.raises(InvalidToken):
            await Bot("1:forged", base_url=f"{server.url}/bot", request=request).get_me()
    finally:
        await request.shutdown()


def test_only_json_objects_and_arrays_are_decoded() -> None:
    assert _maybe_json('{"a": 1}') == {"a": 1} and _maybe_json("[1, 2]") == [1, 2]
    assert _maybe_json("[not json") == "[not json" and _maybe_json("12") == "12"

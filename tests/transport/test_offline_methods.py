"""The fake Telegram's file, venue, copy and forum methods: captions, photo uploads, topics."""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.app import OFFLINE_TOKEN
from bot.transport.chatlog import _ADMIN_RIGHTS
from bot.transport.offline import ApiError, OfflineBotAPI, OfflineRequest
from bot.transport.uploads import PNG_SIGNATURE, Upload
from bot.ui import limits

USER, GROUP, PLAIN_GROUP, OFFICER = 100_001, -100_777, -100_888, 900_001


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress((b"\x00" + bytes(width)) * height)
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture
def api() -> OfflineBotAPI:
    fake = OfflineBotAPI(now=lambda: 1_800_000_000.0)
    fake.chat(GROUP, type="supergroup", title="piket", is_forum=True).members[OFFICER] = (
        "administrator"
    )
    fake.chat(PLAIN_GROUP, type="supergroup", title="biasa")
    return fake


@pytest.fixture
async def bot(api: OfflineBotAPI) -> AsyncIterator[Bot]:
    local = OfflineRequest(api)  # both PTB requests answered in-process
    async with Bot(OFFLINE_TOKEN, request=local, get_updates_request=local) as client:
        yield client


def refused(api: OfflineBotAPI, method: str, **params: Any) -> ApiError:
    with pytest.raises(ApiError) as error:
        api.handle(method, params)
    return error.value


def test_a_document_caption_is_checked_like_telegram_checks_it(api: OfflineBotAPI) -> None:
    doc = api.handle(
        "sendDocument",
        {"chat_id": USER, "document": "file-id", "caption": "<b>Bukti</b>", "parse_mode": "HTML"},
    )
    assert doc["caption"] == "Bukti" and doc["document"]["file_id"].startswith("doc")
    assert "caption" not in api.handle("sendDocument", {"chat_id": USER, "document": "x"})
    long = refused(api, "sendDocument", chat_id=USER, document="x", caption="a" * 1025)
    assert long.description == "Bad Request: caption is too long"
    bad = refused(api, "sendDocument", chat_id=USER, document="x", caption="<b>", parse_mode="HTML")
    assert "can't parse entities" in bad.description


def test_a_caption_fits_1024_not_4096(api: OfflineBotAPI) -> None:
    upload = Upload("chart.png", _png(40, 30), "image/png")
    ok = api.handle(
        "sendPhoto", {"chat_id": USER, "photo": upload, "caption": "a" * limits.CAPTION}
    )
    assert len(ok["caption"]) == limits.CAPTION
    text_sized = "a" * (limits.CAPTION + 1)
    assert (
        "too long"
        in refused(api, "sendPhoto", chat_id=USER, photo=upload, caption=text_sized).description
    )


def test_an_uploaded_photo_is_decoded_and_a_broken_one_refused(api: OfflineBotAPI) -> None:
    png = _png(40, 30)
    photo = api.handle("sendPhoto", {"chat_id": USER, "photo": Upload("c.png", png)})["photo"][0]
    assert (photo["width"], photo["height"], photo["file_size"]) == (40, 30, len(png))
    broken = refused(api, "sendPhoto", chat_id=USER, photo=Upload("c.png", png[:-20]))
    assert broken.description == "Bad Request: IMAGE_PROCESS_FAILED"
    narrow = refused(api, "sendPhoto", chat_id=USER, photo=Upload("n.png", _png(1, 30)))
    assert narrow.description == "Bad Request: PHOTO_INVALID_DIMENSIONS"
    assert len(api.chat(USER).messages) == 1  # refused photos leave nothing behind
    known = api.handle("sendPhoto", {"chat_id": USER, "photo": "AgACAgIAAx"})  # a file_id
    assert known["photo"][0]["file_id"] == "photo"


async def test_ptb_uploads_a_png_as_multipart_and_hears_the_refusal(
    api: OfflineBotAPI, bot: Bot
) -> None:
    message = await bot.send_photo(USER, _png(90, 60), caption="Statistik")
    assert (message.photo[-1].width, message.photo[-1].height) == (90, 60)
    assert message.caption == "Statistik"
    assert isinstance(api.sent("sendPhoto")[0]["photo"], Upload)
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(USER, b"\x89PNG not really")


def test_a_venue_is_stored_with_its_location(api: OfflineBotAPI) -> None:
    params = {"chat_id": USER, "latitude": "11.56", "longitude": 104.92, "title": "KBRI",
              "address": "Phnom Penh"}  # fmt: skip
    venue = api.handle("sendVenue", params)
    assert venue["location"] == {"latitude": 11.56, "longitude": 104.92}
    assert venue["venue"]["title"] == "KBRI" and venue["venue"]["address"] == "Phnom Penh"


def test_a_copy_keeps_the_content_and_answers_only_the_new_id(api: OfflineBotAPI) -> None:
    api.chat(GROUP).topics[100] = "KWN-1"
    source = api.handle("sendPhoto", {"chat_id": USER, "photo": "f", "caption": "asli"})
    copy = api.handle(
        "copyMessage",
        {"chat_id": GROUP, "from_chat_id": USER, "message_id": source["message_id"],
         "message_thread_id": 100},
    )  # fmt: skip
    assert list(copy) == ["message_id"]
    copied = api.chat(GROUP).messages[copy["message_id"]]
    assert (copied["photo"], copied["caption"]) == (source["photo"], "asli")
    assert copied["message_thread_id"] == 100
    relabelled = api.handle(
        "copyMessage",
        {"chat_id": GROUP, "from_chat_id": USER, "message_id": source["message_id"],
         "caption": "Dari warga"},
    )  # fmt: skip
    assert api.chat(GROUP).messages[relabelled["message_id"]]["caption"] == "Dari warga"
    gone = refused(api, "copyMessage", chat_id=GROUP, from_chat_id=USER, message_id=999)
    assert gone.description == "Bad Request: message to copy not found"


def test_forum_topics_only_in_forums_with_names_of_1_to_128(api: OfflineBotAPI) -> None:
    topic = api.handle("createForumTopic", {"chat_id": GROUP, "name": "KWN-0001 paspor"})
    thread = topic["message_thread_id"]
    assert api.chat(GROUP).topics == {thread: "KWN-0001 paspor"}
    second = api.handle("createForumTopic", {"chat_id": GROUP, "name": "x" * limits.TOPIC_NAME})
    assert second["message_thread_id"] == thread + 1
    posted = api.handle("sendMessage", {"chat_id": GROUP, "text": "kartu",
                                        "message_thread_id": thread})  # fmt: skip
    assert posted["message_thread_id"] == thread
    for name in ("", "x" * (limits.TOPIC_NAME + 1)):
        error = refused(api, "createForumTopic", chat_id=GROUP, name=name)
        assert error.description == "Bad Request: TOPIC_TITLE_INVALID"
    plain = refused(api, "createForumTopic", chat_id=PLAIN_GROUP, name="x")
    assert plain.description == "Bad Request: the chat is not a forum"


def test_get_chat_and_members_report_what_the_chat_holds(api: OfflineBotAPI) -> None:
    chat = api.handle("getChat", {"chat_id": GROUP})
    assert (chat["id"], chat["type"], chat["title"], chat["is_forum"]) == (
        GROUP, "supergroup", "piket", True,
    )  # fmt: skip
    admin = api.handle("getChatMember", {"chat_id": GROUP, "user_id": OFFICER})
    assert admin["status"] == "administrator" and admin["user"]["id"] == OFFICER
    assert all(admin[right] is True for right in _ADMIN_RIGHTS)
    stranger = api.handle("getChatMember", {"chat_id": GROUP, "user_id": USER})
    assert stranger["status"] == "left" and "can_manage_topics" not in stranger

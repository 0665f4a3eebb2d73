"""Every message a citizen receives unasked starts neutral; a discreet person's arrive sealed."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.context import KawanApplication
from bot.queue.jobs import delete_due
from bot.queue.notices import gives_away, preview
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person
from conftest import OFFICERS_CHAT, finish_request

REF = re.compile(r"KWN-[0-9A-HJKMNP-TV-Z]{6}")


async def settle(app: KawanApplication) -> None:
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()


async def request(citizen: ChatDriver, safe: str = "yes", contact: str = "any") -> str:
    """A help request sent the long way; returns its reference."""
    await citizen.send("/bantuan")
    await citizen.press("i:category:passport")
    await citizen.press(f"i:safe:{safe}")
    if safe == "yes":
        await citizen.send("Sihanoukville")
        await citizen.press(f"i:contact:{contact}")
        await citizen.send("Paspor saya ditahan bos")
        await finish_request(citizen)
    else:  # the short path: one line, the area, two lines of consent that send
        await citizen.send("Paspor ditahan")
        await citizen.press("i:location:-")
        await citizen.press("i:consent:send")
    found = REF.search(citizen.text)
    assert found, citizen.text
    return found.group(0)


async def unasked(app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver) -> list[str]:
    """What the dispatcher delivered to the citizen since the last look (text or caption)."""
    before = len(api.calls)
    await settle(app)
    return [
        str(params.get("text") or params.get("caption") or "")
        for method, params in api.calls[before:]
        if method in ("sendMessage", "copyMessage") and params.get("chat_id") == citizen.chat_id
    ]


async def every_unasked_kind(
    app: KawanApplication,
    api: OfflineBotAPI,
    citizen: ChatDriver,
    officer: ChatDriver,
    words: tuple[str, str] = ("Datang hari Senin jam 9.", "Formulir SPLP"),
) -> list[str]:
    """Claim, a question, a text reply, a photo reply, a referral, a closing: what arrived."""
    await settle(app)
    thread = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["message_thread_id"]
    received: list[str] = []
    await officer.press("c:claim:")
    received += await unasked(app, api, citizen)
    await officer.press("c:info:")  # the saved questions, a general one, or one's own
    await officer.press("c:infogen:")
    received += await unasked(app, api, citizen)
    await officer.send(words[0], thread_id=thread)
    received += await unasked(app, api, citizen)
    await officer.send(kind="photo", caption=words[1], thread_id=thread)
    received += await unasked(app, api, citizen)
    await officer.press("c:ref:")
    await officer.press("c:refto:")
    received += await unasked(app, api, citizen)
    await officer.press("c:close:")
    await officer.press("c:closeok:")
    received += await unasked(app, api, citizen)
    return received


@pytest.mark.parametrize("language", ["id", "en"])
async def test_no_unasked_message_names_the_embassy_in_its_first_120_characters(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver, language: str
) -> None:
    citizen = ChatDriver(app, api, Person(id=100_100, first_name="Ani", language_code=language))
    ref = await request(citizen)
    received = await every_unasked_kind(app, api, citizen, officer)
    assert len(received) == 6, received
    for text in received:
        assert gives_away(text) == [], preview(text)
    assert all(ref in text for text in received[:1])
    # Kawan's own words are neutral; the officer's words follow the neutral first line (what
    # an officer writes is theirs: a person who chose discretion gets it sealed, below).
    reply = received[2]
    assert reply.splitlines()[0].endswith(f"<code>{ref}</code>")
    assert "Datang hari Senin" in reply


@pytest.mark.parametrize("language", ["id", "en"])
async def test_a_discreet_person_gets_only_a_sealed_notice_and_opens_it_with_one_tap(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver, language: str
) -> None:
    citizen = ChatDriver(app, api, Person(id=100_200, first_name="Budi", language_code=language))
    await request(citizen, safe="no")
    words = ("KBRI Phnom Penh: datang hari Senin jam 9.", "Kedutaan Besar RI: formulir SPLP")
    received = await every_unasked_kind(app, api, citizen, officer, words)
    assert len(received) == 6
    sealed = {"id": "Ada pesan baru untuk Anda.", "en": "There is a new message for you."}
    assert set(received) == {sealed[language]}  # not even the reference
    await citizen.press("s:open:")  # the newest sealed message: the closing
    assert REF.search(citizen.text) and gives_away(citizen.text) == []
    opened = api.sent("sendMessage", chat_id=citizen.chat_id)
    buttons = [m for m in api.chat(citizen.chat_id).messages.values() if m.get("reply_markup")]
    reply_button = [b for m in buttons for row in m["reply_markup"]["inline_keyboard"] for b in row]
    third = reply_button[-4]["callback_data"]  # claim, info, reply, photo, refer, close
    await citizen.callback(third)
    assert "datang hari Senin" in citizen.text
    assert len(api.sent("sendMessage", chat_id=citizen.chat_id)) == len(opened) + 1


async def test_someone_else_cannot_open_a_sealed_message(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    await request(citizen, safe="no")
    await settle(app)
    thread = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["message_thread_id"]
    await officer.send("Rahasia", thread_id=thread)
    await settle(app)
    button = api.sent("sendMessage", chat_id=citizen.chat_id)[-1]["reply_markup"]
    data = str(button).split("s:open:")[1].split("'")[0].split('"')[0]
    stranger = ChatDriver(app, api, Person(id=100_300, first_name="X", language_code="id"))
    await stranger.callback(f"s:open:{data}")
    assert "Rahasia" not in " ".join(api.visible_texts(stranger.chat_id))
    assert "/status" in stranger.text


async def test_never_first_and_briefly_get_a_sealed_notice_at_next_contact_and_auto_delete(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:go_home")
    await citizen.press("i:safe:briefly")
    await citizen.press("i:location:-")
    await citizen.press("i:contact:never_first")
    await citizen.send("Saya mau pulang")
    await finish_request(citizen)
    await citizen.press("p:wipe")
    await citizen.press("p:auto:5")  # auto-delete after 5 minutes
    await settle(app)
    thread = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["message_thread_id"]
    before = len(api.sent("sendMessage", chat_id=citizen.chat_id))
    await officer.send("KBRI: datang hari Senin.", thread_id=thread)
    assert await unasked(app, api, citizen) == []  # held: never message first
    await citizen.send("halo")
    released = [p["text"] for p in api.sent("sendMessage", chat_id=citizen.chat_id)[before:]]
    assert "Ada pesan baru untuk Anda." in released
    assert not any("datang hari Senin" in text for text in released)
    await citizen.press("s:open:")
    opened = api.sent("sendMessage", chat_id=citizen.chat_id)[-1]
    assert "datang hari Senin" in opened["text"]
    await citizen.send("/status")
    assert "datang hari Senin" in citizen.text
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    await delete_due(app.services, app.bot, later)
    assert not any("datang hari Senin" in t for t in api.visible_texts(citizen.chat_id))

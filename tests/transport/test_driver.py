"""The driver hands updates to the real Application and reads back what the bot did, per chat."""

from __future__ import annotations

from typing import Any

import pytest
from telegram.ext import ApplicationBuilder

from bot.context import KawanApplication
from bot.transport.driver import ChatDriver, deliver
from bot.transport.offline import OfflineBotAPI
from bot.transport.telegram_html import html_to_plain
from bot.transport.updates import Person, UpdateFactory
from conftest import CITIZEN, OFFICER, OFFICERS_CHAT


async def test_deliver_returns_once_the_update_is_handled(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    update = UpdateFactory(api, app.bot).message(CITIZEN, "/start")
    assert api.sent("sendMessage", chat_id=CITIZEN.id) == []
    await deliver(app, update)
    assert len(api.sent("sendMessage", chat_id=CITIZEN.id)) == 1  # no waiting needed after


async def test_deliver_refuses_an_application_that_is_not_the_bots() -> None:
    plain = ApplicationBuilder().token("1:plain").build()
    update = UpdateFactory(OfflineBotAPI(), plain.bot).message(CITIZEN, "/start")
    with pytest.raises(TypeError, match="not the production Application"):
        await deliver(plain, update)
    assert plain.update_queue.empty()


async def test_send_returns_the_replies_with_the_text_a_user_sees(citizen: ChatDriver) -> None:
    replies = await citizen.send("/start")
    assert replies is citizen.replies and [r.method for r in replies] == ["sendMessage"]
    (menu,) = replies
    assert "<b>" in menu.params["text"] and "<b>" not in menu.text
    assert menu.text == html_to_plain(menu.params["text"]) and citizen.text == menu.text
    assert ("📘 Aturan di Kamboja", "m:rules") in menu.buttons
    assert citizen.buttons == menu.buttons


async def test_replies_are_only_this_chats_and_only_since_the_last_action(
    citizen: ChatDriver, api: OfflineBotAPI
) -> None:
    await citizen.send("/start")
    elsewhere = 555_001

    def post_elsewhere(method: str, params: dict[str, Any]) -> None:
        if method == "sendMessage" and int(params["chat_id"]) == CITIZEN.id:
            api.on_send.remove(post_elsewhere)
            api.handle("sendMessage", {"chat_id": elsewhere, "text": "another chat"})

    api.on_send.append(post_elsewhere)
    await citizen.send("/darurat")
    assert api.sent("sendMessage", chat_id=elsewhere), "the other chat did get a message"
    assert citizen.replies and all(int(r.params["chat_id"]) == CITIZEN.id for r in citizen.replies)
    assert "117" in citizen.text and "Halo, saya Kawan" not in citizen.text


async def test_press_finds_a_button_by_label_data_or_prefix(citizen: ChatDriver) -> None:
    await citizen.send("/start")
    await citizen.press("Aturan di Kamboja")  # part of a label
    assert [r.method for r in citizen.replies] == ["answerCallbackQuery", "editMessageText"]
    guides = [data for _, data in citizen.buttons if data.startswith("g:")]
    await citizen.press("g:")  # the first button whose data starts so
    assert citizen.replies[-1].method == "editMessageText"
    assert "Sumber" in citizen.text and guides
    await citizen.press("m:home")  # exact data
    assert "Kawan" in citizen.text
    with pytest.raises(AssertionError, match="no button 'x:none' in the chat"):
        await citizen.press("x:none")


async def test_forged_callback_data_is_answered_as_a_stale_button(citizen: ChatDriver) -> None:
    replies = await citizen.callback("zz:forged", message_id=12345)
    assert [r.method for r in replies] == ["answerCallbackQuery"]
    assert citizen.text == "Tombol ini sudah tidak berlaku. Silakan buka /menu."


async def test_an_edit_reaches_the_bot_as_an_edited_message(
    citizen: ChatDriver, api: OfflineBotAPI
) -> None:
    await citizen.send("halo")
    mine = max(
        m for m, msg in api.chat(CITIZEN.id).messages.items() if msg["from"]["id"] == CITIZEN.id
    )
    await citizen.edit(mine, "halo lagi")
    assert api.chat(CITIZEN.id).messages[mine]["text"] == "halo lagi"
    assert [r.method for r in citizen.replies] == ["sendMessage"]
    assert "pesan baru" in citizen.text  # asked to send the new text as a new message


async def test_a_driver_talks_in_its_own_chat_private_or_group(
    officer: ChatDriver, api: OfflineBotAPI, app: KawanApplication
) -> None:
    assert (officer.chat_id, officer.person) == (OFFICERS_CHAT, OFFICER)
    await officer.send("catatan piket")
    posted = list(api.chat(OFFICERS_CHAT).messages.values())[-1]
    assert posted["text"] == "catatan piket" and posted["from"]["id"] == OFFICER.id
    assert all(int(r.params["chat_id"]) == OFFICERS_CHAT for r in officer.replies)
    ann = ChatDriver(app, api, Person(id=100_777, first_name="Ann", language_code="en"))
    await ann.send("/start")
    assert ann.chat_id == 100_777 and ann.replies
    assert all(int(r.params["chat_id"]) == 100_777 for r in ann.replies)
    assert api.sent("sendMessage", chat_id=OFFICERS_CHAT) == []  # nothing leaked to the group

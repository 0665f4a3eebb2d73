"""Scenario tests for help requests: intake, commit-then-acknowledge, officers' queue, relay."""

from __future__ import annotations

import re

from bot.context import KawanApplication
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT

REF = re.compile(r"KWN-[0-9A-HJKMNP-TV-Z]{6}")


async def settle(app: KawanApplication) -> None:
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()


async def submit_self_request(citizen: ChatDriver, description: str = "Paspor saya ditahan bos") -> str:
    await citizen.send("/bantuan")
    await citizen.press("i:category:passport")
    await citizen.press("i:safe:yes")
    await citizen.send("Sihanoukville")
    await citizen.press("i:contact:any")
    await citizen.send(description)
    await citizen.press("i:attach:done")
    assert "UU 27/2022" in citizen.text
    await citizen.press("i:consent:yes")
    assert description in citizen.text
    await citizen.press("i:confirm:yes")
    found = REF.search(citizen.text)
    assert found, citizen.text
    return found.group(0)


async def test_citizen_request_reaches_officers_and_reply_comes_back_as_kbri(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    ref = await submit_self_request(citizen)
    assert "117" in citizen.text  # emergency numbers with the acknowledgement
    await settle(app)
    topics = api.sent("createForumTopic", chat_id=OFFICERS_CHAT)
    assert topics and ref in topics[0]["name"]
    assert "Siti" not in topics[0]["name"]  # never the citizen's name
    card = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]
    assert ref in card["text"] and "Paspor saya ditahan bos" in card["text"]
    thread = card["message_thread_id"]

    await officer.press("c:claim:")  # the Claim button on the card
    await settle(app)
    assert "KBRI" in api.visible_texts(citizen.chat_id)[-1]

    await officer.send("Kami akan menghubungi Anda besok pagi.", thread_id=thread)
    await settle(app)
    last = api.visible_texts(citizen.chat_id)[-1]
    assert "KBRI" in last and "Kami akan menghubungi Anda besok pagi." in last
    assert "Officer" not in last  # the officer stays anonymous

    await citizen.send("Terima kasih, saya tunggu.")
    assert ref in citizen.text
    await settle(app)
    relayed = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[-1]
    assert "Terima kasih, saya tunggu." in relayed["text"]
    assert relayed["message_thread_id"] == thread

    await officer.send("!catatan internal: cek dengan imigrasi", thread_id=thread)
    await settle(app)
    assert "catatan internal" not in " ".join(api.visible_texts(citizen.chat_id))

    await officer.press("c:close:")
    await officer.press("c:closeok:")
    await settle(app)
    assert ref in api.visible_texts(citizen.chat_id)[-1]
    await citizen.send("/status")
    assert ref in citizen.text

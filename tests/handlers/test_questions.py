"""Scenario tests: typed questions get guide text; unclear ones "not sure"; danger comes first."""

from __future__ import annotations

import re

from bot.context import KawanApplication
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT, finish_request


async def test_a_typed_question_gets_the_guide_section(
    citizen: ChatDriver, app: KawanApplication
) -> None:
    await citizen.send("brp denda overstay sehari?")
    guide = app.services.content.guide("id", "overstay-denda")
    assert guide is not None
    assert guide.sections[0].heading in citizen.text
    assert "10" in citizen.text  # USD 10 a day, from the guide itself
    assert "Sumber" in citizen.text
    assert any(data == "g:overstay-denda:0" for _, data in citizen.buttons)


async def test_an_english_question_is_answered_from_english_content(
    citizen: ChatDriver, app: KawanApplication
) -> None:
    await citizen.send("my boss is holding my passport, what can I do?")
    guides = app.services.content.guides["en"].values()
    headings = {section.heading for guide in guides for section in guide.sections}
    assert any(heading in citizen.text for heading in headings)


async def test_an_unclear_message_gets_the_not_sure_path(citizen: ChatDriver) -> None:
    await citizen.send("halo apa kabar")
    assert "yakin" in citizen.text.lower()  # "not sure", in Indonesian
    assert any(data == "h:ask" for _, data in citizen.buttons)


async def test_danger_shows_the_emergency_screen_first_and_a_one_tap_urgent_request(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("tolong saya disekap di gedung, paspor diambil bos, gak bisa keluar")
    first = next(r for r in citizen.replies if r.method == "sendMessage")
    assert "117" in first.text
    assert any(data == "h:urgent" for _, data in first.buttons)
    await citizen.press("h:urgent")
    await citizen.press("i:location:-")
    await citizen.press("i:contact:any")
    await finish_request(citizen)
    ref = re.search(r"KWN-\w{6}", citizen.text)
    assert ref
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    card = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["text"]
    assert "🚨" in card and "disekap" in card


async def test_the_ask_contract_answers_json(app: KawanApplication) -> None:
    from bot.understanding.search import ask_json

    services = app.services
    assert services.search is not None and services.danger is not None
    result = ask_json(services.search, services.danger, "paspor saya hilang gimana", "auto")
    assert result["urgent"] is False
    assert result["answers"][0]["topic"] == "lost_passport_splp"
    assert len(result["answers"]) <= 3


async def test_a_number_asked_for_leads_even_when_the_topic_is_unclear(
    citizen: ChatDriver,
) -> None:
    await citizen.send("nomor kemlu pusat jkt brp")
    assert "Saya kurang yakin" not in citizen.text
    assert "+62 812 9007 0027" in citizen.text[:400], citizen.text[:400]


async def test_an_expired_visa_in_everyday_words_gets_the_fine(citizen: ChatDriver) -> None:
    await citizen.send("visa sy abis 5 hr yg lalu dendanya brp")
    assert "US$50" in citizen.text, citizen.text[:300]

"""Around a case: thanks after it closed get warmth, questions while it is open get answers."""

from __future__ import annotations

import pytest

from bot.context import KawanApplication
from bot.handlers.follow_ups import is_thanks, reads_as_question
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT, finish_request


async def settle(app: KawanApplication) -> None:
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()


async def open_case(app: KawanApplication, citizen: ChatDriver) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:visa")
    await citizen.press("i:safe:yes")
    await citizen.send("Phnom Penh")
    await citizen.press("i:contact:any")
    await citizen.send("Visa saya habis")
    await finish_request(citizen)
    await settle(app)


def officers_texts(api: OfflineBotAPI) -> list[str]:
    return [str(p.get("text")) for p in api.sent("sendMessage", chat_id=OFFICERS_CHAT)]


@pytest.mark.parametrize(
    ("text", "thanks"),
    [
        ("makasih pak, sy sdh dpt SPLP", True),
        ("Terima kasih banyak KBRI", True),
        ("ok", True),
        ("makasih, tapi paspor saya masih ditahan", False),
        ("Saya perlu bantuan lagi untuk SPLP saya", False),
    ],
)
def test_thanks_are_told_from_new_problems(text: str, thanks: bool) -> None:
    assert is_thanks(text) is thanks


def test_questions_are_recognised() -> None:
    assert reads_as_question("brp denda overstay 20 hari")
    assert reads_as_question("Kantor imigrasi buka jam berapa?")
    assert not reads_as_question("Saya sudah di bandara sekarang")


async def test_thanks_after_close_get_a_warm_answer_and_a_yes_no_choice(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    await open_case(app, citizen)
    await officer.press("c:close:")
    await officer.press("c:closeok:")
    await settle(app)
    before = len(officers_texts(api))
    await citizen.send("makasih pak, sy sdh dpt SPLP")
    assert "Sama-sama" in citizen.text and "yakin" not in citizen.text.lower()
    data = [d for _, d in citizen.buttons]
    assert data == ["h:followup", "h:nofollow"]
    await citizen.press("h:nofollow")
    assert "tidak ada yang dikirim" in citizen.text
    await settle(app)
    assert len(officers_texts(api)) == before


async def test_danger_after_close_goes_to_the_urgent_path_not_the_offer(
    app: KawanApplication, citizen: ChatDriver, officer: ChatDriver
) -> None:
    await open_case(app, citizen)
    await officer.press("c:close:")
    await officer.press("c:closeok:")
    await settle(app)
    await citizen.send("tolong saya dipukul lagi")
    data = [d for _, d in citizen.buttons]
    assert "h:urgent" in data and "h:followup" not in data


async def test_a_question_while_a_case_is_open_is_answered_and_can_be_sent_too(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await open_case(app, citizen)
    before = len(officers_texts(api))
    await citizen.send("brp denda overstay 20 hari")
    assert "Ditambahkan" not in citizen.text and "overstay" in citizen.text.lower()
    assert ("✍️ Tanya KBRI", "h:ask") in citizen.buttons
    await settle(app)
    assert len(officers_texts(api)) == before  # answered, not forwarded
    await citizen.press("h:ask")  # "send this to KBRI too"
    assert "Ditambahkan" in citizen.text
    await settle(app)
    assert "brp denda overstay 20 hari" in officers_texts(api)[-1]


async def test_when_the_officers_wait_for_an_answer_even_a_question_goes_to_them(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    await open_case(app, citizen)
    await officer.press("c:info:")
    await officer.press("c:infogen:")  # the general question (saved ones are offered too)
    await settle(app)
    await citizen.send("brp denda overstay 20 hari")
    assert "Ditambahkan" in citizen.text
    await settle(app)
    assert "brp denda overstay 20 hari" in officers_texts(api)[-1]

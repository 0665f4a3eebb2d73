"""Answers on screen: the fact asked for first, the fitting section, sources collapsed."""

from __future__ import annotations

import re

from bot.context import KawanApplication
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person

HOTLINE = "+855 12 813 282"
_COLLAPSED = re.compile(r"<blockquote expandable>.*?</blockquote>", re.DOTALL)


def _visible(citizen: ChatDriver) -> str:
    """What a reader sees without expanding anything (collapsed blockquotes left out)."""
    return "\n".join(
        _COLLAPSED.sub("", str(r.params.get("text") or ""))
        for r in citizen.replies
        if r.method == "sendMessage"
    )


def _first_lines(citizen: ChatDriver, n: int = 3) -> str:
    """The start of the answer: the heading and the first lines after it."""
    return "\n".join(_visible(citizen).strip().splitlines()[:n])


def _english(app: KawanApplication, api: OfflineBotAPI) -> ChatDriver:
    return ChatDriver(app, api, Person(id=100_555, first_name="Ann", language_code="en"))


async def test_a_number_question_leads_with_the_number(citizen: ChatDriver) -> None:
    await citizen.send("nomor telepon kedutaan brp ya")
    assert HOTLINE in _first_lines(citizen)


async def test_an_english_number_question_gets_the_number(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    ann = _english(app, api)
    await ann.send("what's the phone number of the indonesian embassy?")
    assert HOTLINE in _first_lines(ann)


async def test_the_police_number_when_the_police_is_asked_for(citizen: ChatDriver) -> None:
    await citizen.send("nomor polisi kamboja brp")
    assert "117" in _first_lines(citizen)


async def test_unknown_opening_hours_are_said_plainly_with_who_to_ask(citizen: ChatDriver) -> None:
    await citizen.send("kbri buka sampai jam brp?")
    shown = _visible(citizen)
    assert "tidak" in shown and HOTLINE in shown and "/bantuan" in shown
    assert not re.search(r"\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}", citizen.text)


async def test_a_how_question_gets_the_how_section(
    citizen: ChatDriver, app: KawanApplication
) -> None:
    await citizen.send("gmn caranya lapor diri")
    guide = app.services.content.guide("id", "lapor-diri")
    assert guide is not None
    how = next(s for s in guide.sections if "cara" in s.heading.lower())
    assert how.heading in _visible(citizen)


async def test_sources_are_collapsed_and_only_the_sections_own(
    citizen: ChatDriver, app: KawanApplication
) -> None:
    await citizen.send("brp biaya bikin splp?")
    html = str(citizen.replies[-1].params["text"])
    assert "100.000" in _visible(citizen)
    collapsed = re.findall(r"<blockquote expandable>(.*?)</blockquote>", html, re.DOTALL)
    assert len(collapsed) == 1 and "Sumber" in collapsed[0]
    assert "Sumber" not in _visible(citizen)
    guide = app.services.content.guide("id", "paspor-hilang-splp")
    assert guide is not None
    other = [s for s in guide.sources if s.sections and 7 not in s.sections]
    assert all(s.title not in collapsed[0] for s in other)


async def test_no_source_a_reader_cannot_trust_is_shown(citizen: ChatDriver) -> None:
    for question in ("alamat kbri dimana", "apakah wni perlu visa ke kamboja"):
        await citizen.send(question)
        assert "Third-party" not in citizen.text and "(mirror)" not in citizen.text


async def test_a_relatives_report_is_one_tap_away(citizen: ChatDriver) -> None:
    await citizen.send("suami sy sdh 2 minggu gk ada kabar di kamboja, hrs lapor kmn?")
    assert "/keluarga" in _visible(citizen)
    assert citizen.buttons[0][1] == "h:family"
    # "Ask KBRI" opens the family form, not the form for people asking for themselves
    assert "h:self" not in {data for _, data in citizen.buttons}
    await citizen.press("h:family")
    assert citizen.text  # the relative report starts


async def test_a_danger_message_gets_a_short_answer_with_the_urgent_button_last(
    citizen: ChatDriver,
) -> None:
    await citizen.send("sy disekap bos, mau pulang gmn caranya")
    messages = [r for r in citizen.replies if r.method == "sendMessage"]
    assert len(messages) == 2
    assert "117" in messages[0].text  # the emergency screen first
    assert messages[1].buttons == [(messages[1].buttons[0][0], "h:urgent")]
    assert "pulang" in messages[1].text.lower()


async def test_a_medical_emergency_is_answered_with_where_to_go(citizen: ChatDriver) -> None:
    await citizen.send("istri saya hamil dan pendarahan")
    messages = [r for r in citizen.replies if r.method == "sendMessage"]
    assert any(data == "h:urgent" for _, data in messages[0].buttons)
    assert "Calmette" in messages[-1].text and messages[-1].buttons[-1][1] == "h:urgent"


async def test_a_who_pays_question_gets_the_answer(citizen: ChatDriver) -> None:
    await citizen.send("siapa yg bayar tiket pulang sy?")
    assert "sendiri" in _visible(citizen)


async def test_a_relative_in_danger_gets_the_report_and_the_urgent_button_last(
    citizen: ChatDriver,
) -> None:
    await citizen.send("adik saya disekap di kompleks bavet, hrs lapor kemana")
    answer = [r for r in citizen.replies if r.method == "sendMessage"][-1]
    assert [data for _, data in answer.buttons] == ["h:family", "h:urgent"]
    assert "/keluarga" in answer.text

"""Safe hours typed the way people write them, across midnight, read back before they count."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.context import KawanApplication
from bot.intake.hours import parse_hours, safe_hours
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.ui.i18n import TIMEZONE
from conftest import OFFICERS_CHAT, finish_request


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("00:00-02:00", (0, 2)),
        ("22-02", (22, 2)),
        ("22.00–02.00", (22, 2)),
        ("22:00 - 02:00", (22, 2)),
        ("10pm-2am", (22, 2)),
        ("10 p.m. to 2 a.m.", (22, 2)),
        ("jam 11 malam sampai jam 2", (23, 2)),
        ("jam 11 malam - jam 2", (23, 2)),
        ("pukul 23.30 s/d 01.00", (0, 1)),
        ("jam 2 malam sampai jam 4 pagi", (2, 4)),
        ("jam 1 siang - jam 3 sore", (13, 15)),
        ("18-21", (18, 21)),
        ("dari 20 hingga 24", (20, 0)),
    ],
)
def test_common_ways_of_writing_a_range_are_read(typed: str, hours: tuple[int, int]) -> None:
    assert parse_hours(typed) == hours


@pytest.mark.parametrize("typed", ["", "malam", "22", "25-3", "22:75-23", "10-10", "1-2-3"])
def test_what_is_no_range_is_refused(typed: str) -> None:
    assert parse_hours(typed) is None


def test_stored_values_may_cross_midnight() -> None:
    assert safe_hours("23-2") == (23, 2)
    assert safe_hours("0-3") == (0, 3)
    assert safe_hours("20-24") == (20, 0)
    assert safe_hours("5-5") is None and safe_hours("x-2") is None and safe_hours(None) is None


async def _to_safe_hours(citizen: ChatDriver) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:visa")
    await citizen.press("i:safe:yes")
    await citizen.send("Phnom Penh")
    await citizen.press("i:contact:safe_hours")


async def test_a_typed_range_after_midnight_is_read_back_and_kept(
    app: KawanApplication, citizen: ChatDriver
) -> None:
    await _to_safe_hours(citizen)
    assert "00:00–03:00" in [label for label, _ in citizen.buttons]
    await citizen.send("jam 11 malam - jam 2")
    assert "23:00" in citizen.text and "02:00" in citizen.text and "tengah malam" in citizen.text
    await citizen.press("✏️")  # type again: the question comes back
    await citizen.send("00:00-02:00")
    await citizen.press("i:safe_hours:0-2")
    assert "Pertanyaan 6" in citizen.text  # consecutive: 1-5 answered
    await citizen.send("Visa saya habis")
    await finish_request(citizen)
    assert app.services.repos is not None
    user = await app.services.repos.users.get(citizen.person.id)
    assert user is not None and (user.safe_hours_from, user.safe_hours_to) == (0, 2)
    assert user.contact_policy == "safe_hours"


async def test_unreadable_hours_get_an_example_not_pick_a_button(
    app: KawanApplication, citizen: ChatDriver
) -> None:
    await _to_safe_hours(citizen)
    await citizen.send("kalau bos tidur")
    assert "22-02" in citizen.text and "Silakan pilih salah satu tombol" not in citizen.text
    await citizen.press("i:safe_hours:22-2")
    assert "Pertanyaan 6" in citizen.text


async def test_a_reply_outside_hours_after_midnight_waits_for_them(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    await _to_safe_hours(citizen)
    await citizen.send("00:00-02:00")
    await citizen.press("i:safe_hours:0-2")
    await citizen.send("Visa saya habis")
    await finish_request(citizen)
    dispatcher = app.services.dispatcher
    assert dispatcher is not None
    tomorrow = dt.datetime.now(TIMEZONE) + dt.timedelta(days=1)
    noon = tomorrow.replace(hour=12, minute=0).astimezone(dt.UTC)
    dispatcher.now = lambda: noon
    await dispatcher.settle()
    thread = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["message_thread_id"]
    before = len(api.sent("sendMessage", chat_id=citizen.chat_id))
    await officer.send("Datang Senin.", thread_id=thread)
    await dispatcher.settle()
    assert len(api.sent("sendMessage", chat_id=citizen.chat_id)) == before  # noon: not safe
    past_midnight = (tomorrow + dt.timedelta(days=1)).replace(hour=0, minute=30)
    dispatcher.now = lambda: past_midnight
    await dispatcher.settle()
    assert "Datang Senin." in api.sent("sendMessage", chat_id=citizen.chat_id)[-1]["text"]

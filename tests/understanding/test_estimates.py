"""Durations as people write them, and the overstay estimate built from the sourced rate."""

from __future__ import annotations

import pytest

from bot.content import default_content_dir
from bot.transport.driver import ChatDriver
from bot.understanding.estimates import duration_days, load_fine_rate, parse_duration


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("brp denda overstay 2 bulan", 60),
        ("udah overstay 10 hari gmn", 10),
        ("overstay seminggu", 7),
        ("visa habis sebulan lalu", 30),
        ("overstay 3bln", 90),
        ("overstayed two weeks", 14),
        ("my visa expired 5 days ago", 5),
        ("berapa denda overstay", None),
        ("gaji 15jt", None),
        ("overstay 99999 hari", None),
        ("sy udh overstay sebulan setengah", 45),
        ("overstay 2 bln 10 hari", 70),
        ("satu setengah bulan", 45),
        ("1,5 bulan", 45),
        ("udah 3 minggu", 21),
        ("setahun", 365),
        ("half a month", 15),
        ("a month and a half", 45),
        ("1 month and 5 days", 35),
        ("45 days", 45),
        ("overstay sebulan lebih 5 dino", 35),  # Javanese words in Indonesian chat
        ("wis rong minggu", 14),
        ("telu sasi", 90),
    ],
)
def test_durations_as_people_write_them(text: str, days: int | None) -> None:
    assert duration_days(text) == days


def test_the_rate_comes_from_content_with_its_source() -> None:
    rate = load_fine_rate(default_content_dir())
    assert rate.per_day == 10 and rate.currency == "USD" and rate.topic == "overstay_fines"
    assert rate.source.url.startswith("http")
    assert rate.estimate("overstay 2 bulan") == (60, 600)


async def test_a_question_with_a_duration_gets_the_estimate(citizen: ChatDriver) -> None:
    await citizen.send("brp denda overstay 2 bulan")
    assert "60 hari" in citizen.text and "600" in citizen.text
    await citizen.send("brp denda overstay")
    assert "Perkiraan" not in citizen.text


def test_a_duration_says_whether_months_were_counted() -> None:
    found = parse_duration("overstay 2 bln 10 hari")
    assert found is not None and found.days == 70 and found.calendar
    days = parse_duration("overstay 10 hari")
    assert days is not None and not days.calendar


async def test_the_estimate_shows_the_days_it_used_and_its_assumption(citizen: ChatDriver) -> None:
    await citizen.send("sy udh overstay sebulan setengah dendanya brp")
    assert "45 hari" in citizen.text and "450" in citizen.text
    assert "30 hari" in citizen.text  # a month is counted as 30 days


async def test_an_english_question_gets_the_estimate_in_english(app: object, api: object) -> None:
    from bot.transport.updates import Person

    english = ChatDriver(app, api, Person(id=100_777, first_name="Ann", language_code="en"))  # type: ignore[arg-type]
    await english.send("i overstayed 45 days how much fine")
    assert "45 days" in english.text and "450" in english.text

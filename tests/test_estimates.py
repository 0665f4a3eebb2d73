"""Durations as people write them, and the overstay estimate built from the sourced rate."""

from __future__ import annotations

import pytest

from bot.content import default_content_dir
from bot.transport.driver import ChatDriver
from bot.understanding.estimates import duration_days, load_fine_rate


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

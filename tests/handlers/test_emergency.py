"""The emergency screen: the three numbers that matter, one line each, no inline sources."""

from __future__ import annotations

from bot.transport.driver import ChatDriver


async def test_the_three_numbers_lead_one_line_each(citizen: ChatDriver) -> None:
    await citizen.send("/darurat")
    lines = citizen.text.splitlines()
    for number in ("+855 12 813 282", "117", "1288"):
        found = [line for line in lines if number in line]
        assert len(found) == 1 and len(found[0]) < 80
    assert "sumber" not in citizen.text.lower() and "source" not in citizen.text.lower()
    assert any(data == "g:nomor-darurat:0" for _, data in citizen.buttons)  # all numbers


async def test_english_screen_has_no_source_notes(citizen: ChatDriver) -> None:
    await citizen.send("/language")
    await citizen.press("l:en")
    await citizen.send("/darurat")
    assert "Police" in citizen.text and "source" not in citizen.text.lower()

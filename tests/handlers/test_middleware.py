"""Before every handler: the reader's language, flood control that slows and never bans, and
errors that reach the person as a short apology (and the log without message text)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import KawanApplication, KawanContext
from bot.flood import LIMIT, FloodGuard
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person
from conftest import finish_request

SLOW_DOWN = "Anda mengirim banyak pesan dengan sangat cepat."


def still_clock() -> float:
    """A clock that never moves: every message falls in the same flood window."""
    return 1000.0


async def test_a_flooding_person_is_warned_once_in_their_language_and_then_not_read(
    app: KawanApplication, citizen: ChatDriver
) -> None:
    app.services.flood = FloodGuard(clock=still_clock)
    for n in range(LIMIT):
        await citizen.send(f"halo {n}")
    replies = await citizen.send("halo lagi")
    assert [r.text for r in replies if SLOW_DOWN in r.text] and "117" in citizen.text
    for _ in range(3):
        assert await citizen.send("halo?") == []  # slowed down: not read, not warned again


async def test_a_flooding_person_with_an_open_request_still_reaches_kbri(
    app: KawanApplication, citizen: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    for step in ("i:category:visa", "i:safe:yes"):
        await citizen.press(step)
    await citizen.send("Phnom Penh")
    await citizen.press("i:contact:any")
    await citizen.send("Visa saya habis")
    await finish_request(citizen)
    app.services.flood = FloodGuard(clock=still_clock)
    for n in range(LIMIT):
        await citizen.send(f"tambahan {n}")
    replies = await citizen.send("satu lagi untuk petugas")
    assert any(SLOW_DOWN in r.text for r in replies)
    assert len([r for r in replies if SLOW_DOWN not in r.text]) >= 1  # still handled


async def test_the_language_is_the_persons_telegram_language_until_they_choose(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    english = ChatDriver(app, api, Person(id=100_777, first_name="Ann", language_code="en"))
    await english.send("/darurat")
    assert "Police" in english.text
    await english.send("/bahasa")
    await english.press("l:id")
    await english.send("/darurat")
    assert "Polisi" in english.text


async def test_an_unexpected_error_is_an_apology_to_the_person_and_a_name_in_the_log(
    app: KawanApplication, citizen: ChatDriver
) -> None:
    async def broken(update: Update, context: KawanContext) -> None:
        raise RuntimeError("Siti's secret text")

    app.add_handler(CommandHandler("rusak", broken), group=-1)
    await citizen.send("/rusak")
    assert "Maaf, ada gangguan di pihak kami." in citizen.text
    assert list(app.services.errors)[-1] == "RuntimeError"

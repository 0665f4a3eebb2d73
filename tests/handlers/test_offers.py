"""Scenario tests for /cek: paste, forward with caption, send to KBRI with consent, bad input."""

from __future__ import annotations

import re

from bot.context import KawanApplication
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT

SCAM_AD = (
    "LOKER KAMBOJA 🔥🔥 dibutuhkan admin CS online, gaji 15jt/bln + bonus, tanpa pengalaman, "
    "tiket pesawat & mess ditanggung, berangkat pakai visa turis dulu, hubungi WA 0812xxxx"
)


async def test_pasting_an_offer_gives_a_verdict_that_quotes_the_triggers(
    citizen: ChatDriver,
) -> None:
    await citizen.send("/cek")
    await citizen.send(SCAM_AD)
    assert "Risiko tinggi" in citizen.text  # the Indonesian reader gets the Indonesian text
    quotes = re.findall(r"“([^”]+)”", citizen.text)
    assert quotes, citizen.text
    for quote in quotes:
        assert " ".join(quote.split()).lower() in " ".join(SCAM_AD.split()).lower()
    assert "0800-1000" in citizen.text


async def test_a_forwarded_photo_with_caption_is_checked(citizen: ChatDriver) -> None:
    await citizen.press("o:start") if citizen.buttons else await citizen.send("/cek")
    await citizen.send(kind="photo", caption=SCAM_AD, forwarded=True)
    assert "“" in citizen.text


async def test_cek_with_text_checks_at_once(citizen: ChatDriver) -> None:
    await citizen.send("/cek Dibutuhkan kasir minimarket di Bandung, gaji UMR, lamar via email HRD")
    assert "Risiko rendah" in citizen.text


async def test_empty_or_non_text_input_gets_a_clear_prompt(citizen: ChatDriver) -> None:
    await citizen.send("/cek")
    await citizen.send(kind="voice")
    assert "Saya tidak bisa membaca gambar atau pesan suara" in citizen.text
    await citizen.send(kind="sticker")
    assert citizen.text
    await citizen.press("o:cancel")
    assert "/menu" in citizen.text


async def test_sending_the_offer_to_kbri_opens_a_case_with_consent(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("/cek")
    await citizen.send(SCAM_AD)
    await citizen.press("o:report")
    await citizen.press("i:contact:any")
    await citizen.press("i:attach:done")
    assert "UU 27/2022" in citizen.text
    await citizen.press("i:consent:yes")
    await citizen.press("i:confirm:yes")
    ref = re.search(r"KWN-\w{6}", citizen.text)
    assert ref
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    card = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["text"]
    assert ref.group(0) in card and "15jt" in card


async def test_a_forwarded_job_ad_outside_cek_is_checked_too(citizen: ChatDriver) -> None:
    await citizen.send(SCAM_AD, forwarded=True)
    assert "“" in citizen.text and "0800-1000" in citizen.text


async def test_an_album_gets_one_answer_not_one_per_picture(citizen: ChatDriver) -> None:
    answers = 0
    for _ in range(5):
        await citizen.send(kind="photo", media_group_id="album-1")
        answers += len([r for r in citizen.replies if r.method == "sendMessage"])
    assert answers == 1

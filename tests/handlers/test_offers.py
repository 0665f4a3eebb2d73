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


async def test_an_ad_pasted_without_cek_gets_a_verdict(citizen: ChatDriver) -> None:
    await citizen.send(SCAM_AD)
    assert "Risiko tinggi" in citizen.text and "“" in citizen.text
    await citizen.press("o:report")  # the pasted ad is kept for "send this offer to KBRI"
    assert "i:contact:any" in {data for _, data in citizen.buttons}


async def test_a_low_risk_offer_has_no_warning_heading(citizen: ChatDriver) -> None:
    await citizen.send(
        "/cek Lowongan perawat ke Jerman, program G to G resmi BP2MI, seleksi tanpa biaya, "
        "daftar lewat SIAPkerja"
    )
    assert "Risiko rendah" in citizen.text
    assert "Tanda bahaya yang saya temukan" not in citizen.text


async def test_an_offer_elsewhere_gets_no_cambodia_rule(citizen: ChatDriver) -> None:
    await citizen.send(
        "/cek Program pemagangan ke Jepang lewat P3MI terdaftar, seleksi resmi Kemnaker, "
        "gaji 150.000 yen"
    )
    assert "Kamboja" not in citizen.text
    await citizen.send("/cek Dicari admin online di Sihanoukville, gaji 1.000 USD, tiket gratis")
    assert "tidak punya penempatan pekerja resmi ke Kamboja" in citizen.text


async def test_an_ad_in_english_gets_the_english_verdict(citizen: ChatDriver) -> None:
    await citizen.send("/bahasa")
    await citizen.press("l:en")
    await citizen.send(
        "Hiring customer service staff in Cambodia! Salary 1,500 USD per month, no experience "
        "needed, free flight ticket and accommodation, contact our agent on Telegram now"
    )
    assert "High risk" in citizen.text and "“" in citizen.text

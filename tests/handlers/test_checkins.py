"""Safety check-ins through the real Application: 1-minute periods, a clock we move by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.config import Settings
from bot.context import KawanApplication
from bot.queue.notices import gives_away
from bot.safety.checkins import run_due
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT, finish_request

STEP = dt.timedelta(seconds=15)  # the job's period (bot/queue/jobs.py)
DURESS = "merpati"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_path=tmp_path / "kawan.sqlite3", officers_chat_id=OFFICERS_CHAT,
        checkin_intervals=(1,), checkin_grace_minutes=1,
    )  # fmt: skip


async def opt_in(citizen: ChatDriver, word: str | None, note: str | None) -> None:
    await citizen.send("/aman")
    assert ("tiap 1 menit", "k:every:1") in citizen.buttons
    await citizen.press("k:every:1")
    assert "kata rahasia" in citizen.text
    await (citizen.send(word) if word else citizen.press("k:skip"))
    await (citizen.send(note) if note else citizen.press("k:skip"))
    assert "Check-in aktif: tiap 1 menit" in citizen.text


def group_texts(api: OfflineBotAPI) -> str:
    return "\n".join(api.visible_texts(OFFICERS_CHAT))


async def run_clock(
    app: KawanApplication, api: OfflineBotAPI, minutes: float, until: str | None = None
) -> dt.timedelta | None:
    """Run the check-in job every 15 s of a clock moved by hand, delivering as it goes;
    how long until `until` appeared in the officers' group (None: it never did)."""
    start = dt.datetime.now(dt.UTC)
    assert app.services.dispatcher is not None
    elapsed = dt.timedelta()
    while elapsed <= dt.timedelta(minutes=minutes):
        elapsed += STEP
        await run_due(app.services, start + elapsed)
        await app.services.dispatcher.settle()
        if until is not None and until in group_texts(api):
            return elapsed
    return None


async def test_no_answer_alerts_the_officers_within_four_minutes(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    for step in ("i:category:passport", "i:safe:yes"):
        await citizen.press(step)
    await citizen.send("Sihanoukville, dekat pasar")
    await citizen.press("i:contact:any")
    await citizen.send("Paspor saya ditahan bos")
    await finish_request(citizen)
    await opt_in(citizen, None, "Saya kerja di gedung biru, lantai 3")
    took = await run_clock(app, api, 4, until="Check-in keselamatan tidak dijawab")
    assert took is not None and took <= dt.timedelta(minutes=4)
    alert = group_texts(api)
    assert "Sihanoukville, dekat pasar" in alert  # the last known area
    assert "Saya kerja di gedung biru, lantai 3" in alert  # what they wrote when opting in
    assert "pesan kedua dikirim" in alert and "tidak dijawab" in alert  # the history
    (case,) = await app.services.repos.cases.list_for_user(citizen.person.id)
    assert case.urgent  # the open case became urgent; no second case
    prompts = [m for m in api.sent("sendMessage", chat_id=citizen.person.id) if "k:ok" in
               str(m.get("reply_markup"))]  # fmt: skip
    assert len(prompts) == 2  # one prompt, one reminder, then the alert
    assert all(not gives_away(p["text"]) for p in prompts)


async def test_a_person_with_no_case_becomes_a_new_urgent_case(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await opt_in(citizen, None, None)
    assert await run_clock(app, api, 4, until="Check-in keselamatan tidak dijawab")
    (case,) = await app.services.repos.cases.list_for_user(citizen.person.id)
    assert case.urgent and case.category == "checkin"


async def test_a_person_who_answers_produces_no_alert(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await opt_in(citizen, DURESS, None)
    start = dt.datetime.now(dt.UTC)
    assert app.services.dispatcher is not None
    answered = 0
    for step in range(1, 41):  # ten minutes of the clock
        await run_due(app.services, start + STEP * step)
        await app.services.dispatcher.settle()
        buttons = [b for m in api.chat(citizen.person.id).messages.values()
                   for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
                   for b in row if b.get("callback_data") == "k:ok"]  # fmt: skip
        if buttons:
            if answered % 2:
                await citizen.send("aman kok")  # typing anything counts too
            else:
                await citizen.press("k:ok")
            assert citizen.text == "✓ Dicatat. Terima kasih!"
            answered += 1
            # The answered prompt keeps no button, so the next one is a new prompt.
            for message in api.chat(citizen.person.id).messages.values():
                message.pop("reply_markup", None)
    assert answered >= 2
    assert "Check-in keselamatan" not in group_texts(api)
    assert await app.services.repos.cases.list_for_user(citizen.person.id) == []


async def test_the_duress_word_looks_normal_and_raises_the_alert_silently(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, tmp_path: Path
) -> None:
    await opt_in(citizen, DURESS, "Bos saya bernama Pak X")
    # The word was deleted from the chat at once and is never stored or shown as typed.
    assert not any(DURESS in text for text in api.visible_texts(citizen.person.id))
    await run_clock(app, api, 1.1)  # the first prompt has come
    await citizen.send("sudah makan")
    normal = [(r.method, r.text, r.buttons) for r in citizen.replies]
    await run_clock(app, api, 1.1)
    await citizen.send("Merpati")  # any case, as typed under pressure
    duress = [(r.method, r.text, r.buttons) for r in citizen.replies]
    assert duress == normal == [("sendMessage", "✓ Dicatat. Terima kasih!", [])]
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    alert = group_texts(api)
    assert "kata rahasia tanda bahaya dipakai" in alert and "Bos saya bernama Pak X" in alert
    assert DURESS not in alert.lower()
    (case,) = await app.services.repos.cases.list_for_user(citizen.person.id)
    assert case.urgent
    await app.services.repos.db.checkpoint()
    files = sorted(tmp_path.glob("kawan.sqlite3*"))  # noqa: ASYNC240 (a test reading its files)
    stored = b"".join(p.read_bytes() for p in files)
    assert DURESS.encode() not in stored


async def test_stop_ends_check_ins(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await opt_in(citizen, None, None)
    await citizen.send("/checkin stop")
    assert citizen.text == "Check-in sudah dihentikan."
    assert await run_clock(app, api, 4, until="Check-in keselamatan") is None
    prompts = [m for m in api.sent("sendMessage", chat_id=citizen.person.id)
               if "k:ok" in str(m.get("reply_markup"))]  # fmt: skip
    assert prompts == []

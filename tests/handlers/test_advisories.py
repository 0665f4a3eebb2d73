"""Advisories through the real Application: subscribe, preview, send, pace, stop, cancel."""

from __future__ import annotations

import datetime as dt

from bot.context import KawanApplication
from bot.queue.notices import gives_away
from bot.safety.advisories import report_progress
from bot.storage.models import NewOutbox
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person
from bot.ui.i18n import TIMEZONE
from conftest import OFFICERS_CHAT

KBRI_TEXT = "KBRI Phnom Penh: perbatasan Poipet ditutup sampai Senin. Jangan bayar calo."


def person(app: KawanApplication, api: OfflineBotAPI, n: int) -> ChatDriver:
    return ChatDriver(app, api, Person(id=400_000 + n, first_name="P", language_code="id"))


def group_texts(api: OfflineBotAPI) -> list[str]:
    return api.visible_texts(OFFICERS_CHAT)


async def test_an_advisory_reaches_subscribers_neutrally_in_their_safe_hours(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver
) -> None:
    awake, asleep, other = person(app, api, 1), person(app, api, 2), person(app, api, 3)
    for driver in (awake, asleep):
        await driver.send("/langganan")
        assert "Setiap pesan punya tombol untuk berhenti" in driver.text
        assert ("🔕 Berhenti menerima pesan ini", "a:stop") in driver.buttons
    await other.send("/start")
    hour = dt.datetime.now(TIMEZONE).hour  # safe hours that exclude this hour
    await app.services.repos.users.set_contact_policy(
        asleep.person.id, "safe_hours", (hour + 2) % 24, (hour + 4) % 24
    )
    await officer.send(f"/siaran {KBRI_TEXT}")
    assert "Kirim ke 2 pelanggan?" in officer.text and "tombol Buka" in officer.text
    await officer.press("a:send:")
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    got = api.sent("sendMessage", chat_id=awake.person.id)[-1]
    assert not gives_away(got["text"])  # sealed: its start names KBRI
    assert not api.sent("sendMessage", chat_id=other.person.id)[1:]  # only its /start answer
    assert not [m for m in api.sent("sendMessage", chat_id=asleep.person.id)
                if "pesan baru" in m["text"]]  # fmt: skip  # waits for their safe hours
    await report_progress(app.services, app.bot)
    assert any("Siaran #1: 1 / 2 terkirim" in text for text in group_texts(api))
    await awake.press("a:open:")
    assert KBRI_TEXT in awake.text and awake.text.startswith("📌 Informasi baru")
    await awake.press("a:stop")
    assert await app.services.repos.advisories.count_subscribers() == 1
    # A replayed "Send" press (an update handled twice) queues nothing twice.
    await officer.callback("a:send:1")
    assert await app.services.repos.outbox.count_pending("advisory") == 1
    await officer.send("/siaran batal")
    assert "Dihentikan: 1 siaran." in officer.text
    assert await app.services.repos.outbox.count_pending("advisory") == 0
    assert any("Siaran #1 dihentikan: 1 / 2 terkirim" in text for text in group_texts(api))


async def test_a_plain_advisory_starts_with_the_neutral_line_and_carries_the_stop_button(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver
) -> None:
    reader = person(app, api, 9)
    await reader.send("/langganan")
    await officer.send("/siaran Libur 25 Desember: kantor tutup, layanan darurat tetap buka.")
    assert "tombol Buka" not in officer.text
    await officer.press("a:send:")
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    got = api.sent("sendMessage", chat_id=reader.person.id)[-1]
    assert got["text"].startswith("📌 Informasi baru\n\nLibur 25 Desember")
    assert "a:stop" in str(got["reply_markup"])
    await report_progress(app.services, app.bot)
    assert any("Siaran #1 selesai: 1 / 1 terkirim" in text for text in group_texts(api))


async def test_advisories_go_at_most_25_a_round_and_a_reply_never_waits_behind_them(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver
) -> None:
    repos, dispatcher = app.services.repos, app.services.dispatcher
    assert dispatcher is not None
    await dispatcher.stop()  # rounds run only when this test says so
    now = dt.datetime.now(dt.UTC)
    for n in range(60):
        await repos.advisories.subscribe(500_000 + n, 500_000 + n, "id", now)
    await officer.send("/siaran Kantor tutup hari Senin.")
    await officer.press("a:send:")
    reply = NewOutbox("to_citizen", 777_001, {"text": "💬 Pesan baru · KWN-7G4K2P\nHalo"})
    await repos.outbox.enqueue(reply)  # queued after 60 advisory rows
    before = len(api.calls)
    await dispatcher.settle()  # one window's worth, then it waits for the next
    sent = [p for m, p in api.calls[before:] if m == "sendMessage"]
    advisories = [p for p in sent if 500_000 <= int(p["chat_id"]) < 600_000]
    assert len(advisories) == 25
    assert int(sent[0]["chat_id"]) == 777_001  # the reply went first

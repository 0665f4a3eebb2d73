"""/statistik and the weekly summary: a PNG chart Telegram can decode, the numbers in words."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from telegram import InputFile
from telegram.error import BadRequest

from bot.app import build_application, running
from bot.config import Settings, SettingsError, load_settings
from bot.context import KawanApplication, KawanContext
from bot.queue import statistics
from bot.queue.cards import CATEGORY_NAMES
from bot.runtime.ratelimit import KawanRateLimiter
from bot.storage.models import NewCase, NewOutbox
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.uploads import PNG_SIGNATURE, Upload
from bot.ui import limits
from bot.ui.i18n import TIMEZONE
from conftest import OFFICER, OFFICERS_CHAT

NOW = dt.datetime.now(dt.UTC)
RAW_CODES = re.compile(r"\b(?:" + "|".join(k for k in CATEGORY_NAMES if k != "visa") + r")\b")


def _case(user_id: int, category: str, urgent: bool = False) -> NewCase:
    return NewCase(
        user_id=user_id, chat_id=user_id, kind="self", category=category, locale="id",
        description="perlu bantuan", consent_text_version="2026-01", urgent=urgent,
    )  # fmt: skip


async def _seed(app: KawanApplication) -> None:
    """Three cases this week: answered after 90 minutes, after 30 minutes, and never."""
    repos = app.services.repos
    answered = [(7_200_001, "passport", 90), (7_200_002, "visa", 30)]
    for user_id, category, minutes in answered:
        created = NOW - dt.timedelta(days=2, hours=user_id % 7)
        case = await repos.cases.create_case(_case(user_id, category), now=created)
        later = created + dt.timedelta(minutes=minutes)
        await repos.cases.claim(case.id, 1, now=later - dt.timedelta(minutes=1))
        reply = NewOutbox("to_citizen", user_id, {"text": "Kami bantu."})
        await repos.cases.record_reply(case.id, 1, "Kami bantu.", notify=[reply], now=later)
    waiting = _case(7_200_003, "held", urgent=True)
    await repos.cases.create_case(waiting, now=NOW - dt.timedelta(hours=3))


def _photo(api: OfflineBotAPI) -> tuple[Image.Image, bytes, str]:
    """The last photo the group received: the decoded image, its bytes, the caption shown."""
    index = max(i for i, (method, _) in enumerate(api.calls) if method == "sendPhoto")
    params, stored = api.calls[index][1], api.results[index]
    assert int(params["chat_id"]) == OFFICERS_CHAT and stored is not None
    upload = params["photo"]
    assert isinstance(upload, Upload)
    image = Image.open(io.BytesIO(upload.content))
    image.load()  # decodes every pixel: a truncated or corrupt file raises here
    return image, upload.content, str(stored.get("caption") or "")  # as the reader sees it


async def test_statistik_sends_a_png_chart_with_the_numbers_in_words(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver
) -> None:
    await _seed(app)
    await officer.send("/statistik 7")
    image, data, caption = _photo(api)
    assert data.startswith(PNG_SIGNATURE) and image.format == "PNG"
    assert image.size[0] >= 600 and image.size[1] >= 300
    assert caption.startswith("📊 Statistik, 7 hari terakhir") and len(caption) <= limits.CAPTION
    assert "Kasus: 3 · 🚨 1" in caption
    # the median of 90 and 30 minutes; the urgent case has waited three hours unclaimed
    assert "Median waktu sampai balasan pertama: 1 jam 0 menit" in caption
    assert "Belum diambil lebih dari satu jam, saat ini: 1" in caption
    for label in ("Paspor ditahan atau hilang: 1", "Visa, overstay, dokumen: 1", "diambil: 2"):
        assert label in caption
    assert "menunggu WNI" not in caption and not RAW_CODES.search(caption)


async def test_the_labels_follow_the_officers_language(
    settings: Settings, api: OfflineBotAPI
) -> None:
    english = build_application(replace(settings, default_locale="en"), api=api)
    async with running(english):
        await _seed(english)
        officer = ChatDriver(english, api, OFFICER, chat_id=OFFICERS_CHAT)
        await officer.send("/stats")
        _, _, caption = _photo(api)
    assert caption.startswith("📊 Statistics, last 30 days")
    assert "Median time to first reply: 1 h 0 min" in caption
    assert "Passport held or lost: 1" in caption and "claimed: 2" in caption
    assert "Unclaimed for more than an hour, now: 1" in caption


async def test_a_full_group_budget_queues_the_chart_ahead_of_new_cards(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver
) -> None:
    limiter = app.bot.rate_limiter
    assert isinstance(limiter, KawanRateLimiter) and app.services.dispatcher is not None
    pacer = limiter.group_pacer(OFFICERS_CHAT)
    while pacer.take(1):  # the surge spent the group's minute
        pass
    replies = await officer.send("/statistik")
    assert not api.sent("sendPhoto") and not [r for r in replies if r.method == "sendPhoto"]
    (queued,) = await app.services.repos.outbox.pending(group=OFFICERS_CHAT)
    assert queued.kind == statistics.KIND and queued.payload["days"] == 30
    command = list(api.chats[OFFICERS_CHAT].messages.values())[-1]
    assert command.get("reactions") == ["✍"]
    await app.services.repos.cases.create_case(
        _case(7_300_001, "job"), [NewOutbox("case_new", OFFICERS_CHAT)]
    )
    pacer.forget()  # a minute later
    await app.services.dispatcher.settle()
    _, data, caption = _photo(api)
    assert data.startswith(PNG_SIGNATURE) and "Statistik, 30 hari terakhir" in caption
    first_photo = next(i for i, (m, _) in enumerate(api.calls) if m == "sendPhoto")
    first_card = next(i for i, (m, _) in enumerate(api.calls) if m == "createForumTopic")
    assert first_photo < first_card  # the officer's answer went before the new card
    assert command.get("reactions") == ["👌"]


def test_a_long_text_goes_as_its_own_message_after_a_titled_photo() -> None:
    text = "<b>📊 Judul</b>\n" + "\n".join(f"• Kategori nomor {n}: {n}" for n in range(80))
    report = statistics.fit_report(PNG_SIGNATURE, text, "📊 Judul")
    assert report.caption == "<b>📊 Judul</b>" and report.follow_up is not None
    assert "Kategori nomor 79" in report.follow_up
    short = statistics.fit_report(PNG_SIGNATURE, "<b>📊 Judul</b>\nKasus: 1", "📊 Judul")
    assert short.follow_up is None and "Kasus: 1" in short.caption


def test_durations_read_as_a_person_says_them() -> None:
    from bot.ui.i18n import Catalogs, default_locales_dir

    t = Catalogs.load(default_locales_dir(), "id").get("id")
    assert [statistics.duration(t, m) for m in (None, 12.4, 125, 60 * 50 + 7)] == [
        "–", "12 menit", "2 jam 5 menit", "2 hari 2 jam",
    ]  # fmt: skip


async def test_the_transport_refuses_a_photo_telegram_could_not_decode(
    app: KawanApplication,
) -> None:
    broken = PNG_SIGNATURE + b"\x00\x00\x00\x0dIHDR" + b"\x00" * 20
    for data in (broken, b"GIF89a not a photo"):
        with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
            await app.bot.send_photo(OFFICERS_CHAT, InputFile(data, filename="x.png"))


def test_the_weekly_summary_is_scheduled_for_monday_0800_in_phnom_penh(
    app: KawanApplication,
) -> None:
    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name("weekly-report")
    assert job.callback is statistics.weekly_report
    assert job.next_t is not None
    local = job.next_t.astimezone(TIMEZONE)
    assert (local.weekday(), local.hour, local.minute) == (0, 8, 0)


async def test_weekly_report_0_turns_it_off(settings: Settings, api: OfflineBotAPI) -> None:
    quiet = build_application(replace(settings, weekly_report=False), api=api)
    async with running(quiet):
        assert quiet.job_queue is not None
        assert not quiet.job_queue.get_jobs_by_name("weekly-report")
        assert await statistics.weekly_report(KawanContext(quiet)) is False
    assert not api.sent("sendPhoto")


async def test_the_weekly_summary_covers_last_monday_to_sunday(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    monday_8 = dt.datetime(2026, 11, 30, 8, tzinfo=TIMEZONE).astimezone(dt.UTC)
    repos = app.services.repos
    for user_id, moment in (
        (7_400_001, dt.datetime(2026, 11, 24, 12, tzinfo=TIMEZONE)),  # last Tuesday
        (7_400_002, dt.datetime(2026, 11, 29, 23, 30, tzinfo=TIMEZONE)),  # Sunday night
        (7_400_003, dt.datetime(2026, 11, 30, 7, tzinfo=TIMEZONE)),  # this week
    ):
        await repos.cases.create_case(_case(user_id, "go_home"), now=moment)
    assert await statistics.weekly_report(KawanContext(app), now=monday_8) is True
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    image, _, caption = _photo(api)
    assert image.format == "PNG"
    assert caption.startswith("📊 Ringkasan mingguan: 23 November 2026 – 29 November 2026")
    assert "Kasus: 2" in caption and "Ingin pulang: 2" in caption


def test_weekly_report_setting(tmp_path: Path) -> None:
    assert load_settings({}, dotenv=None).weekly_report is True
    assert load_settings({"WEEKLY_REPORT": "0"}, dotenv=None).weekly_report is False
    assert load_settings({"WEEKLY_REPORT": "1"}, dotenv=None).weekly_report is True
    with pytest.raises(SettingsError, match="WEEKLY_REPORT"):
        load_settings({"WEEKLY_REPORT": "sometimes"}, dotenv=None)
    example = Path(__file__).resolve().parents[2] / ".env.example"
    assert "WEEKLY_REPORT=1" in example.read_text(encoding="utf-8")


async def test_the_chart_is_drawn_off_the_event_loop(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real = statistics.render_cases_chart

    def recording(*args: object) -> bytes:
        threads.append(threading.current_thread().name)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(statistics, "render_cases_chart", recording)
    await officer.send("/statistik 3")
    assert threads and threads[0] != threading.main_thread().name
    image, _, caption = _photo(api)
    assert image.format == "PNG" and "Kasus: 0" in caption

"""bot/safety/checkins.py: prompts per period, one reminder, then the officers' alert."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import ReadOnlyServices
from bot.config import Settings
from bot.context import KawanApplication
from bot.queue.notices import gives_away
from bot.safety.checkins import OK_BUTTON, PROMPTS, every_label, prompt_row, raise_alert, run_due
from bot.storage.checkins import ALERTED, PROMPTED, REMINDED, WAITING, Checkin
from bot.storage.models import NewCase
from bot.transport.offline import OfflineBotAPI
from bot.ui.i18n import TIMEZONE
from conftest import OFFICERS_CHAT
from tests.translated import said, said_n

PERSON = 300_001
HOUR = dt.timedelta(hours=1)
GRACE = dt.timedelta(minutes=30)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_path=tmp_path / "kawan.sqlite3", officers_chat_id=OFFICERS_CHAT,
        checkin_intervals=(60,), checkin_grace_minutes=30,
    )  # fmt: skip


async def _opt_in(app: KawanApplication, start: dt.datetime, note: str | None = None) -> Checkin:
    repos = app.services.repos
    await repos.users.touch(PERSON, "id")
    return await repos.checkins.start(PERSON, PERSON, 60, None, note, "id", start)


async def _step(app: KawanApplication, at: dt.datetime) -> int:
    """Run the check-in job at `at` (a clock moved by hand) and deliver what it queued."""
    steps = await run_due(app.services, at)
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    return steps


async def _stage(app: KawanApplication) -> int:
    found = await app.services.repos.checkins.get(PERSON)
    assert found is not None
    return found.stage


def test_periods_read_in_days_hours_or_minutes(read_only: ReadOnlyServices) -> None:
    t = read_only.catalogs.get("id")
    assert every_label(t, 4320) == said_n(t, "every %(n)s day", "every %(n)s days", 3)
    assert every_label(t, 720) == said_n(t, "every %(n)s hour", "every %(n)s hours", 12)
    assert every_label(t, 90) == said_n(t, "every %(n)s minute", "every %(n)s minutes", 90)
    assert "3" in every_label(t, 4320) and "12" in every_label(t, 720)
    english = read_only.catalogs.get("en")
    assert every_label(english, 1) == "every 1 minute"
    assert every_label(english, 2880) == "every 2 days"


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_the_prompt_is_neutral_in_the_persons_language_with_one_button(
    app: KawanApplication, locale: str
) -> None:
    t = app.services.catalogs.get(locale)
    checkin = replace(await _opt_in(app, dt.datetime.now(dt.UTC)), locale=locale)
    for stage in (PROMPTED, REMINDED):
        row = prompt_row(app.services, checkin, stage)
        assert (row.kind, row.target_chat_id) == ("checkin", PERSON)
        assert row.payload["text"] == said(t, PROMPTS[stage])
        assert gives_away(row.payload["text"]) == []
        (button,) = [b for line in row.payload["markup"]["inline_keyboard"] for b in line]
        assert button == {"text": said(t, "✅ I'm fine"), "callback_data": OK_BUTTON}


async def test_nothing_before_the_period_then_one_prompt_one_reminder_one_alert(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    t = app.services.catalogs.get("id")
    start = dt.datetime.now(dt.UTC)
    await _opt_in(app, start, note="Kerja di gedung biru")
    assert await _step(app, start + HOUR - dt.timedelta(seconds=1)) == 0
    assert api.visible_texts(PERSON) == []
    assert await _step(app, start + HOUR) == 1
    assert await _step(app, start + HOUR) == 0  # two runs at once never prompt twice
    assert api.visible_texts(PERSON) == [said(t, PROMPTS[PROMPTED])]
    assert await _stage(app) == PROMPTED
    assert await _step(app, start + HOUR + GRACE - dt.timedelta(seconds=1)) == 0
    assert await _step(app, start + HOUR + GRACE) == 1
    assert api.visible_texts(PERSON)[-1] == said(t, PROMPTS[REMINDED])
    assert await _stage(app) == REMINDED
    assert api.visible_texts(OFFICERS_CHAT) == []  # no alert before the second grace period
    assert await _step(app, start + HOUR + 2 * GRACE) == 1
    assert await _stage(app) == ALERTED
    assert await _step(app, start + 10 * HOUR) == 0  # alerted once, then silent
    (case,) = await app.services.repos.cases.list_for_user(PERSON)
    assert case.urgent and case.category == "checkin" and case.description == "Kerja di gedung biru"
    group = "\n".join(api.visible_texts(OFFICERS_CHAT))
    assert case.ref in group and "Kerja di gedung biru" in group
    officers = app.services.officers_t
    assert said(officers, "Safety check-in missed") in group
    apart = "No answer to two check-in messages, %(grace)s minutes apart."
    assert said(officers, apart, grace=30) in group
    history = [e.kind for e in await app.services.repos.checkins.history(PERSON)]
    assert history == ["started", "prompt", "reminder", "missed"]
    assert len(api.visible_texts(PERSON)) == 2  # the person never sees the alert


async def test_an_answer_starts_a_new_period_and_no_alert_follows(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    start = dt.datetime.now(dt.UTC)
    await _opt_in(app, start)
    await _step(app, start + HOUR)
    await app.services.repos.checkins.answered(PERSON, "ok", start + HOUR + GRACE / 2)
    assert await _stage(app) == WAITING
    assert await _step(app, start + HOUR + 2 * GRACE) == 0
    assert await _step(app, start + 2 * HOUR + GRACE / 2) == 1  # the next period's prompt
    assert api.visible_texts(OFFICERS_CHAT) == []


async def test_outside_safe_hours_the_prompt_waits_for_them(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    due = start + HOUR
    opens = (due.astimezone(TIMEZONE).hour + 3) % 24
    await _opt_in(app, start)
    await app.services.repos.users.set_contact_policy(PERSON, "safe_hours", opens, (opens + 2) % 24)
    assert await _step(app, due) == 0
    assert api.visible_texts(PERSON) == []
    later = await app.services.repos.checkins.get(PERSON)
    assert later is not None and later.stage == WAITING
    local = later.due_at.astimezone(TIMEZONE)
    assert (local.hour, local.minute) == (opens, 0)
    assert dt.timedelta(hours=2) <= later.due_at - due <= dt.timedelta(hours=3)
    assert await _step(app, later.due_at) == 1  # in the safe hours: the prompt is queued
    assert await _stage(app) == PROMPTED


async def test_an_alert_lands_on_the_open_case_and_makes_it_urgent(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    t = app.services.officers_t
    repos = app.services.repos
    checkin = await _opt_in(app, dt.datetime.now(dt.UTC))
    record = NewCase(
        user_id=PERSON, chat_id=PERSON, kind="self", category="job", locale="id",
        description="Tawaran kerja", consent_text_version="v1", location_text="Bavet",
    )  # fmt: skip
    case = await repos.cases.create_case(record)
    await raise_alert(app.services, checkin, duress=True)
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    assert [c.id for c in await repos.cases.list_for_user(PERSON)] == [case.id]  # no new case
    stored = await repos.cases.get_by_id(case.id)
    assert stored is not None and stored.urgent
    events = [(e.kind, e.detail) for e in await repos.cases.events(case.id)]
    assert ("checkin_alert", "duress") in events
    assert "Bavet" in "\n".join(api.visible_texts(OFFICERS_CHAT))
    title = said(t, "Safety check-in: the secret duress word was used")
    assert title in "\n".join(api.visible_texts(OFFICERS_CHAT))


async def test_without_an_officers_group_no_alert_is_pretended(app: KawanApplication) -> None:
    checkin = await _opt_in(app, dt.datetime.now(dt.UTC))
    alone = replace(app.services, settings=replace(app.services.settings, officers_chat_id=None))
    await raise_alert(alone, checkin, duress=False)
    assert await app.services.repos.cases.list_for_user(PERSON) == []

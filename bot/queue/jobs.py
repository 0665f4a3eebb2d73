"""Periodic work: reminders for unclaimed cases, auto-delete, expired drafts, daily purge."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from typing import Any

from telegram import Bot
from telegram.ext import JobQueue

from bot.config import Settings
from bot.context import KawanContext, Services
from bot.intake.expiry import expire_draft
from bot.queue.cards import CATEGORY_NAMES
from bot.queue.statistics import MONDAY, WEEKLY_AT, duration, weekly_report
from bot.queue.wipe import delete_messages
from bot.safety.advisories import report_progress
from bot.safety.checkins import run_due as run_checkins
from bot.storage.models import Case, NewOutbox
from bot.ui.fit import fit_html

log = logging.getLogger(__name__)

LOUD_AFTER = dt.timedelta(hours=1)
LOUD_REMINDER = "reminder_loud"  # the event of a case listed in the louder reminder
REMINDER_BATCH = 200
LOUD_LISTED, LOUD_BUTTONS = 30, 5


def day_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in UTC: an inclusive range of days."""
    since = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    return since, dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def schedule(job_queue: JobQueue[Any], settings: Settings) -> None:
    """Register the repeating jobs (idempotent: a second call replaces nothing twice)."""
    if job_queue.get_jobs_by_name("reminders"):
        return
    job_queue.run_repeating(remind_unclaimed, interval=60, first=30, name="reminders")
    job_queue.run_repeating(auto_delete, interval=60, first=20, name="auto-delete")
    job_queue.run_repeating(forget_expired_drafts, interval=300, first=60, name="drafts")
    # Every 15 s: with 1-minute check-ins and grace (a test setting) an alert comes in < 4 min.
    job_queue.run_repeating(checkins_due, interval=15, first=5, name="checkins")
    job_queue.run_repeating(advisory_progress, interval=5, first=5, name="advisories")
    job_queue.run_daily(daily_retention, time=dt.time(hour=3, tzinfo=dt.UTC), name="retention")
    if settings.weekly_report and settings.officers_chat_id is not None:
        job_queue.run_daily(weekly_report, time=WEEKLY_AT, days=(MONDAY,), name="weekly-report")


async def remind_unclaimed(context: KawanContext, now: dt.datetime | None = None) -> int:
    """Cases nobody claimed: a reminder in the case's topic after UNCLAIMED_REMINDER_MINUTES,
    then a louder one in the group's main topic, where every officer looks, once a case has
    waited an hour (or twice the first delay, if longer), repeated hourly; returns how many."""
    services = context.services
    repos, group = services.repos, services.settings.officers_chat_id
    if group is None:
        return 0
    now = now or dt.datetime.now(dt.UTC)
    first = dt.timedelta(minutes=services.settings.unclaimed_reminder_minutes)
    loud_after = max(LOUD_AFTER, 2 * first)
    t = services.officers_t
    sent, loud = 0, []
    for case in await repos.cases.unclaimed(now - first, limit=REMINDER_BATCH):
        if now - case.created_at >= loud_after:
            last = await repos.cases.latest_event(case.id, (LOUD_REMINDER,))
            if last is None or now - last.at >= LOUD_AFTER:
                loud.append(case)
            continue
        if await repos.cases.latest_event(case.id, ("reminder",)) is not None:
            continue
        minutes = int((now - case.created_at).total_seconds() // 60)
        text = t(
            "⏰ %(ref)s has waited %(minutes)s minutes without an officer. /kasus %(ref)s",
            ref=case.ref,
            minutes=minutes,
        )
        item = NewOutbox(
            kind="reminder", target_chat_id=group, case_id=case.id, payload={"text": text}
        )
        async with repos.db.transaction():  # the event at `now`; the message due at once
            await repos.cases.add_event(
                case.id, actor="system", actor_id=None, kind="reminder", now=now
            )
            await repos.outbox.enqueue(item)
        sent += 1
    if loud:
        await _remind_loudly(services, group, loud, now)
    if (sent or loud) and services.dispatcher is not None:
        services.dispatcher.wake()
    return sent + len(loud)


async def _remind_loudly(
    services: Services, group: int, cases: list[Case], now: dt.datetime
) -> None:
    """One message in the group's main topic listing every case past the hour: one send of
    the group's budget however many there are, with buttons to open the first few."""
    t = services.officers_t
    text = services.renderer.render(
        "reminder_loud.html.j2", t, total=len(cases), now=now,
        cases=[(c, t(CATEGORY_NAMES.get(c.category) or CATEGORY_NAMES["other"]),
                duration(t, (now - c.created_at).total_seconds() / 60))
               for c in cases[:LOUD_LISTED]],
    )  # fmt: skip
    buttons = [[{"text": f"{'🚨 ' if c.urgent else ''}{c.ref}", "callback_data": f"c:open:{c.id}"}]
               for c in cases[:LOUD_BUTTONS]]  # fmt: skip
    item = NewOutbox(
        kind="reminder", target_chat_id=group,
        payload={"text": fit_html(text), "markup": {"inline_keyboard": buttons}},
    )  # fmt: skip
    async with services.repos.db.transaction():  # the message and every case's event, at once
        await services.repos.outbox.enqueue(item)  # due at once, on the dispatcher's clock
        for case in cases:
            await services.repos.cases.add_event(
                case.id, actor="system", actor_id=None, kind=LOUD_REMINDER, now=now
            )


async def checkins_due(context: KawanContext) -> int:
    """Job: safety check-in prompts, reminders and alerts due now (bot/safety/checkins.py)."""
    return await run_checkins(context.services, dt.datetime.now(dt.UTC))


async def advisory_progress(context: KawanContext) -> int:
    """Job: edit each running advisory's progress message in the officers' group."""
    return await report_progress(context.services, context.bot)


async def auto_delete(context: KawanContext) -> int:
    """Job: delete messages of users who chose auto-delete, once older than their setting."""
    return await delete_due(context.services, context.bot, dt.datetime.now(dt.UTC))


async def delete_due(services: Services, bot: Bot, now: dt.datetime) -> int:
    """Delete (both sides) the messages due for auto-delete at `now`; returns how many."""
    repos = services.repos
    due = await repos.messages.due_for_autodelete(now=now, limit=500)
    by_chat: dict[int, list[int]] = defaultdict(list)
    for message in due:
        by_chat[message.chat_id].append(message.message_id)
    for chat_id, ids in by_chat.items():
        await delete_messages(bot, repos, chat_id, ids)
    return len(due)


async def forget_expired_drafts(context: KawanContext) -> int:
    """Drop help requests left unanswered for 30 minutes: half-filled answers do not linger.

    Silent on purpose; the person hears that the request closed when they next answer.
    """
    now, users = time.time(), context.application.user_data
    expired = [user_id for user_id, data in users.items() if expire_draft(data, now)]
    if expired:
        context.application.mark_data_for_update_persistence(user_ids=expired)
    return len(expired)


async def daily_retention(context: KawanContext) -> int:
    """Job: the retention purge (Repositories.purge_expired), as `python -m bot purge` runs it."""
    repos = context.services.repos
    retention_days = context.services.settings.retention_days
    purged = await repos.purge_expired(retention_days, dt.datetime.now(dt.UTC))
    log.info("retention: %s case(s) purged", purged)
    return purged

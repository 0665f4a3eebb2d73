"""Periodic work: reminders for unclaimed cases, auto-delete, expired drafts, daily purge."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from typing import Any

from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import JobQueue

from bot.config import Settings
from bot.context import KawanContext, Services
from bot.handlers.intake_views import expire_draft
from bot.queue.cards import officers_translator
from bot.storage.models import NewOutbox
from bot.ui import limits

log = logging.getLogger(__name__)

DELETE_WINDOW = limits.DELETE_WINDOW
OUTBOX_KEPT = dt.timedelta(days=30)


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
    job_queue.run_daily(daily_retention, time=dt.time(hour=3, tzinfo=dt.UTC), name="retention")


async def remind_unclaimed(context: KawanContext, now: dt.datetime | None = None) -> int:
    """Re-announce cases nobody claimed within UNCLAIMED_REMINDER_MINUTES; returns how many."""
    services = context.services
    repos, group = services.repos, services.settings.officers_chat_id
    if repos is None or group is None:
        return 0
    now = now or dt.datetime.now(dt.UTC)
    every = dt.timedelta(minutes=services.settings.unclaimed_reminder_minutes)
    t = officers_translator(services)
    sent = 0
    for case in await repos.cases.unclaimed(now - every, limit=50):
        last = await repos.cases.latest_event(case.id, ("reminder",))
        if last is not None and now - last.at < every:
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
        await repos.cases.add_event(
            case.id, actor="system", actor_id=None, kind="reminder", notify=[item], now=now
        )
        sent += 1
    if sent and services.dispatcher is not None:
        services.dispatcher.wake()
    return sent


async def auto_delete(context: KawanContext) -> int:
    """Job: delete messages of users who chose auto-delete, once older than their setting."""
    return await delete_due(context.services, context.bot, dt.datetime.now(dt.UTC))


async def delete_due(services: Services, bot: Bot, now: dt.datetime) -> int:
    """Delete (both sides) the messages due for auto-delete at `now`; returns how many."""
    repos = services.repos
    if repos is None:
        return 0
    due = await repos.messages.due_for_autodelete(now=now, limit=500)
    by_chat: dict[int, list[int]] = defaultdict(list)
    for message in due:
        by_chat[message.chat_id].append(message.message_id)
    for chat_id, ids in by_chat.items():
        for start in range(0, len(ids), 100):  # deleteMessages takes at most 100 ids
            chunk = ids[start : start + 100]
            try:
                await bot.delete_messages(chat_id, chunk)
            except TelegramError as exc:
                log.info("auto-delete in one chat failed (%s)", type(exc).__name__)
            await repos.messages.forget(chat_id, chunk)
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
    """Erase personal data of cases closed more than RETENTION_DAYS ago; drop stale message ids."""
    repos = context.services.repos
    if repos is None:
        return 0
    now = dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(days=context.services.settings.retention_days)
    purged: int = await repos.privacy.purge_closed_before(cutoff)
    await repos.users.forget_inactive(cutoff)
    await repos.messages.forget_older_than(now - DELETE_WINDOW)
    await repos.outbox.prune_delivered(now - OUTBOX_KEPT)  # the audit lives in case_events
    log.info("retention: %s case(s) purged", purged)
    return purged

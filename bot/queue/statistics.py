"""/statistik and the weekly summary: a chart of cases per day, with the numbers as its caption.

A report is one photo (one send of the group's budget); when its text does not fit a caption
(1,024 characters as Telegram counts them) the caption is the title and the full text follows
as a message of its own, queued on the outbox like every other post to the group.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from telegram import Bot, InputFile, Update
from telegram.error import BadRequest

from bot.context import KawanContext, Services
from bot.queue import labels
from bot.queue.acks import ACK_QUEUED
from bot.queue.cards import CATEGORY_NAMES, STATUS_LABELS
from bot.runtime.ratelimit import KawanRateLimiter, prepaid
from bot.storage.models import NewOutbox, OutboxItem
from bot.storage.timestamps import parse_utc, stamp
from bot.ui import limits
from bot.ui.chart import ChartText, render_cases_chart
from bot.ui.fit import fit_html, visible_length
from bot.ui.i18n import TIMEZONE, Translator

KIND = "statistics"  # the outbox kind of a report waiting for the group's budget
DEFAULT_DAYS, MAX_DAYS = 30, 365
UNCLAIMED_FOR = dt.timedelta(hours=1)
WEEKLY_AT = dt.time(hour=8, tzinfo=TIMEZONE)  # Monday 08:00 in Phnom Penh
MONDAY = 1  # JobQueue.run_daily counts days of the week from Sunday = 0


@dataclass(frozen=True)
class Report:
    """What the group receives: the picture, its caption, and the rest when the text is long."""

    png: bytes
    caption: str
    follow_up: str | None = None


def duration(t: Translator, minutes: float | None) -> str:
    """Minutes as a person reads them: "45 min", "2 h 5 min", "3 d 4 h"; "–" for none."""
    if minutes is None:
        return "–"
    return labels.age(t, dt.timedelta(minutes=round(minutes)))


def local_days(since: dt.datetime, until: dt.datetime) -> list[dt.date]:
    """Every Phnom Penh calendar day touched by [since, until)."""
    first = since.astimezone(TIMEZONE).date()
    last = (until - dt.timedelta(microseconds=1)).astimezone(TIMEZONE).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def period(payload: dict[str, Any]) -> tuple[dt.datetime, dt.datetime]:
    """The [since, until) a queued report covers."""
    return parse_utc(str(payload["since"])), parse_utc(str(payload["until"]))


def request(since: dt.datetime, until: dt.datetime, *, days: int | None = None,
            weekly: bool = False, thread: int | None = None) -> dict[str, Any]:  # fmt: skip
    """The outbox payload of a report: the period is fixed when it is asked for."""
    return {"since": stamp(since), "until": stamp(until), "days": days, "weekly": weekly,
            "thread": thread}  # fmt: skip


async def build_report(
    services: Services, since: dt.datetime, until: dt.datetime, *, weekly: bool = False,
    days_asked: int | None = None, now: dt.datetime | None = None,
) -> Report:  # fmt: skip
    """The numbers and the chart of cases created in [since, until), in the officers' language."""
    repos, t = services.repos, services.officers_t
    now = now or dt.datetime.now(dt.UTC)
    stats = await repos.reports.stats(since, until)
    offset = until.astimezone(TIMEZONE).utcoffset() or dt.timedelta()
    daily = await repos.reports.daily_counts(since, until, int(offset.total_seconds() // 60))
    unclaimed = await repos.reports.unclaimed_since(now - UNCLAIMED_FOR)
    days = local_days(since, until)
    if weekly:
        title = t("📊 Weekly summary: %(start)s – %(end)s", start=t.date(days[0]),
                  end=t.date(days[-1]))  # fmt: skip
    else:
        title = "📊 " + t("Statistics, last %(days)s days", days=days_asked or len(days))

    def label(category: str) -> str:  # an unknown code is never shown raw
        return t(CATEGORY_NAMES.get(category) or CATEGORY_NAMES["other"])

    per_day = {label(key): [0] * len(days) for key in CATEGORY_NAMES}
    index = {day: n for n, day in enumerate(days)}
    for row in daily:
        if row.day in index:
            per_day[label(row.category)][index[row.day]] += row.count
    text = services.renderer.render(
        "stats.html.j2", t, title=title, stats=stats, unclaimed=unclaimed,
        by_category=_labelled(stats.by_category, CATEGORY_NAMES, t),
        by_status=_labelled(stats.by_status, STATUS_LABELS, t),
        first_reply=duration(t, stats.median_minutes_to_first_reply),
        to_close=duration(t, stats.median_minutes_to_close),
    )  # fmt: skip
    words = ChartText(
        title=t("Cases per day, by category"), y_label=t("Cases"), empty=t("No cases")
    )
    png = await asyncio.to_thread(render_cases_chart, days, per_day, words)  # CPU: off the loop
    return fit_report(png, text, title)


def _labelled(
    counts: dict[str, int] | Any, names: dict[str, str], t: Translator
) -> list[tuple[str, int]]:
    """(label, count), largest first; an unknown code counts as "other", never shown raw."""
    merged: dict[str, int] = {}
    for key, count in counts.items():
        known = names.get(key) or names.get("other")
        name = t(known) if known else key
        merged[name] = merged.get(name, 0) + int(count)
    return sorted(merged.items(), key=lambda pair: -pair[1])


def fit_report(png: bytes, text: str, title: str) -> Report:
    """The text as the caption when it fits; else the title, and the text as its own message."""
    if visible_length(text) <= limits.CAPTION:
        return Report(png, text)
    return Report(png, f"<b>{html.escape(title)}</b>", fit_html(text))


async def send_report(bot: Bot, chat_id: int, report: Report, thread: int | None) -> int:
    """Post the picture with its caption (one send); a topic that is gone: the general one."""
    photo = InputFile(report.png, filename="statistik.png")
    try:
        sent = await bot.send_photo(
            chat_id, photo, caption=report.caption, message_thread_id=thread
        )
    except BadRequest as exc:
        if thread is None or "thread" not in exc.message.lower():
            raise
        sent = await bot.send_photo(chat_id, photo, caption=report.caption)
    return sent.message_id


async def deliver_queued(services: Services, bot: Bot, item: OutboxItem) -> int:
    """The dispatcher's delivery of a queued report (its turn in the group's budget came)."""
    payload = dict(item.payload)
    since, until = period(payload)
    days = payload.get("days")
    report = await build_report(
        services, since, until, weekly=bool(payload.get("weekly")),
        days_asked=int(days) if days is not None else None,
    )  # fmt: skip
    thread = payload.get("thread")
    message_id = await send_report(
        bot, item.target_chat_id, report, int(thread) if thread is not None else None
    )
    if report.follow_up is not None:  # its own row: paced like every other post
        await services.repos.outbox.enqueue(
            NewOutbox("group_reply", item.target_chat_id, {"text": report.follow_up})
        )
    return message_id


def days_asked(args: list[str] | None) -> int:
    """/statistik [days]: 30 by default, at most a year."""
    if args and args[0].isdigit() and int(args[0]) > 0:
        return min(int(args[0]), MAX_DAYS)
    return DEFAULT_DAYS


async def post_statistics(update: Update, context: KawanContext, chat_id: int) -> None:
    """Answer /statistik in the group: now if its budget has room, else queued ahead of new
    cards (the officer sees ✍ on their command); no handler waits on the group's budget."""
    services, bot = context.services, context.bot
    days = days_asked(context.args)
    until = dt.datetime.now(dt.UTC)
    since = until - dt.timedelta(days=days)
    message = update.effective_message
    thread = message.message_thread_id if message is not None and message.is_topic_message else None
    limiter = bot.rate_limiter
    room = not isinstance(limiter, KawanRateLimiter) or limiter.try_group_send(chat_id)
    if not room and services.dispatcher is not None:
        payload = request(since, until, days=days, thread=thread)
        if message is not None:
            ack = (message.chat_id, message.message_id)
            payload.update(ack=list(ack), ack_last=True)
            services.dispatcher.acks.set(ack, ACK_QUEUED)
        await services.repos.outbox.enqueue(NewOutbox(KIND, chat_id, payload))
        services.dispatcher.wake()
        return
    report = await build_report(services, since, until, days_asked=days)
    with prepaid() if room else contextlib.nullcontext():
        await send_report(bot, chat_id, report, thread)
    if report.follow_up is not None:
        await services.repos.outbox.enqueue(
            NewOutbox("group_reply", chat_id, {"text": report.follow_up})
        )
        if services.dispatcher is not None:
            services.dispatcher.wake()


def last_week(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to Monday 00:00 (Phnom Penh) of the week before the one `now` is in."""
    local = now.astimezone(TIMEZONE)
    monday = dt.datetime.combine(
        local.date() - dt.timedelta(days=local.weekday()), dt.time(), tzinfo=TIMEZONE
    )
    return (monday - dt.timedelta(days=7)).astimezone(dt.UTC), monday.astimezone(dt.UTC)


async def weekly_report(context: KawanContext, now: dt.datetime | None = None) -> bool:
    """Job, Monday 08:00 Phnom Penh: queue last week's summary for the officers' group."""
    services = context.services
    group = services.settings.officers_chat_id
    if group is None or not services.settings.weekly_report:
        return False
    since, until = last_week(now or dt.datetime.now(dt.UTC))
    await services.repos.outbox.enqueue(NewOutbox(KIND, group, request(since, until, weekly=True)))
    if services.dispatcher is not None:
        services.dispatcher.wake()
    return True

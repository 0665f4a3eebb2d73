"""Advisories to subscribers: a neutral first line, delivery by the outbox, progress in one message.

Confirming writes one outbox row per subscriber in one transaction; the dispatcher sends them
at most ADVISORIES_PER_SECOND, in each person's safe hours, and marks each delivered, so a
restart resumes where it stopped. A job edits one message in the officers' group as it goes.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from typing import Any

from babel.numbers import format_decimal
from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.config import LOCALES
from bot.context import Services
from bot.queue.notices import gives_away
from bot.storage.advisories import Advisory, Progress
from bot.ui import limits
from bot.ui.i18n import Translator

log = logging.getLogger(__name__)

STOP, OPEN = "a:stop", "a:open:"
MAX_BODY = limits.TEXT - 300  # room for the neutral first line


def content_text(t: Translator, advisory: Advisory) -> str:
    """The advisory as a subscriber reads it: a neutral first line, then the officer's text."""
    header = t("📌 New information")
    return header + "\n\n" + html.escape(advisory.body)


def stop_button(t: Translator) -> dict[str, str]:
    return {"text": t("🔕 Stop these messages"), "callback_data": STOP}


def payloads(services: Services, advisory: Advisory) -> dict[str, dict[str, Any]]:
    """The outbox payload per language. Text whose start would give the sender away on a lock
    screen goes sealed: a neutral "new message" with an Open button (like discreet replies)."""
    found: dict[str, dict[str, Any]] = {}
    for locale in LOCALES:
        t = services.catalogs.get(locale)
        text = content_text(t, advisory)
        rows: list[list[dict[str, str]]] = [[stop_button(t)]]
        if gives_away(text):
            text = t("There is a new message for you.")
            rows.insert(0, [{"text": t("📩 Open"), "callback_data": f"{OPEN}{advisory.id}"}])
        found[locale] = {"advisory": advisory.id, "text": text, "markup": {"inline_keyboard": rows}}
    return found


def progress_text(t: Translator, advisory: Advisory, progress: Progress) -> str:
    """'📣 Advisory #3: 1.240 / 2.000 delivered' (and how it ended)."""
    values = {
        "id": advisory.id,
        "done": format_decimal(progress.delivered, locale=t.locale),
        "total": format_decimal(advisory.total, locale=t.locale),
        "failed": format_decimal(progress.failed, locale=t.locale),
    }
    if advisory.cancelled_at is not None:
        return t("⏹ Advisory #%(id)s stopped: %(done)s / %(total)s delivered.", **values)
    if progress.pending == 0:
        return t(
            "✅ Advisory #%(id)s done: %(done)s / %(total)s delivered (%(failed)s could not be "
            "reached).",
            **values,
        )
    return t("📣 Advisory #%(id)s: %(done)s / %(total)s delivered", **values)


async def report_progress(services: Services, bot: Bot) -> int:
    """Edit each running advisory's progress message when its numbers changed; how many."""
    repos, t = services.repos, services.officers_t
    edited = 0
    for advisory in await repos.advisories.active():
        progress = await repos.advisories.progress(advisory.id)
        text = progress_text(t, advisory, progress)
        ended = advisory.cancelled_at is not None or progress.pending == 0
        if text != advisory.progress_shown and advisory.progress_message_id is not None:
            assert advisory.progress_chat_id is not None
            try:
                await bot.edit_message_text(
                    text, chat_id=advisory.progress_chat_id,
                    message_id=advisory.progress_message_id,
                )  # fmt: skip
                edited += 1
            except BadRequest as exc:  # deleted by an officer, or unchanged: report on
                log.info("advisory %s progress not edited (%s)", advisory.id, exc.message)
            except TelegramError:
                continue  # try again on the next run
        now = dt.datetime.now(dt.UTC)
        await repos.advisories.shown(advisory.id, text, finished=now if ended else None)
    return edited

"""Runs before every handler: picks the reader's language and notes the user; logs errors safely."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.context import KawanContext
from bot.queue.alerts import report_error
from bot.runtime.ratelimit import Priority, raise_priority
from bot.ui.commands import N_, CommandRegistry

log = logging.getLogger(__name__)

PRE_GROUP = -100  # before every feature handler
NEW_PERSON = dt.timedelta(minutes=2)  # their first minutes with the bot


async def prepare(update: object, context: KawanContext) -> None:
    """Pick the reader's language, note the user and their message, hand over held replies."""
    services = context.services
    user = update.effective_user if isinstance(update, Update) else None
    chat = update.effective_chat if isinstance(update, Update) else None
    private = chat is not None and chat.type == "private"
    record = None
    if user is not None and private:
        record = await services.repos.users.touch(user.id)
    stored = record.locale if record is not None else None
    locale = services.catalogs.choose(stored, user.language_code if user else None)
    context.t = services.catalogs.get(locale)
    context.user_record = record
    if record is not None and record.last_seen_at - record.created_at < NEW_PERSON:
        raise_priority(Priority.FIRST_REPLY)  # a newcomer's first answer goes before the rest
    if not private or user is None or not isinstance(update, Update):
        return
    message = update.message or update.edited_message
    if message is not None:
        await services.repos.messages.record(message.chat_id, message.message_id, "in")
    # Only messages count: button presses are bounded by our own keyboards and cost little.
    allowed, warn = services.flood.check(user.id) if message is not None else (True, False)
    if not allowed:
        if warn and chat is not None:
            await context.bot.send_message(chat.id, context.t(
                "You are sending many messages very fast. I will read more slowly for a short "
                "moment. Take a breath: if you are in danger, call %(police)s. Messages for KBRI "
                "about an open request are still passed on.",
                police=services.content.contact("police").value,
            ))  # fmt: skip
        if not await _has_open_case(context, user.id):
            raise ApplicationHandlerStop
    if (
        services.dispatcher is not None
        and record is not None
        and (record.contact_policy == "never_first" or services.dispatcher.holds_for(user.id))
    ):
        # The citizen is here: replies held for "never message me first", or kept while they
        # had blocked the bot, can be shown now.
        await services.dispatcher.deliver_held(user.id)


async def _has_open_case(context: KawanContext, user_id: int) -> bool:
    return await context.services.repos.cases.latest_open_for_user(user_id) is not None


async def on_error(update: object, context: KawanContext) -> None:
    """Log the failure without message text or names, and tell the user something went wrong."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        log.info("update %s: the user blocked the bot", update_id)
        return
    log.error("update %s failed: %s", update_id, type(error).__name__, exc_info=error)
    # Kept (bounded) for tests, benchmarks and a future /health: names only, no content.
    context.services.errors.append(type(error).__name__)
    if error is not None:
        await report_error(context.services, error, _during(update))
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return
    t = getattr(context, "t", None) or context.services.catalogs.get(None)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(t("Sorry, something went wrong. Please try again."))
        else:
            await context.bot.send_message(
                update.effective_chat.id,
                t("Sorry, something went wrong on our side. Please try again, or use /menu."),
            )
    except TelegramError:  # telling the user failed too; the log above is what remains
        pass


def _during(update: object) -> str:
    if not isinstance(update, Update):
        return N_("a background job")
    if update.callback_query is not None:
        return N_("a button press")
    return N_("a message")


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire the pre-processing handler and the error handler."""
    app.add_handler(TypeHandler(Update, prepare), group=PRE_GROUP)
    app.add_error_handler(on_error)

"""Runs before every handler: picks the reader's language and notes the user; logs errors safely."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, TypeHandler

from bot.commands import CommandRegistry
from bot.context import KawanContext

log = logging.getLogger(__name__)

PRE_GROUP = -100  # before every feature handler


async def prepare(update: object, context: KawanContext) -> None:
    """Attach the translator for this update's user (stored choice, Telegram language, default)."""
    services = context.services
    user = update.effective_user if isinstance(update, Update) else None
    stored = None
    if user is not None and services.repos is not None:
        record = await services.repos.users.touch(user.id)
        stored = record.locale
    locale = services.catalogs.choose(stored, user.language_code if user else None)
    context.t = services.catalogs.get(locale)


async def on_error(update: object, context: KawanContext) -> None:
    """Log the failure without message text or names, and tell the user something went wrong."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        log.info("update %s: the user blocked the bot", update_id)
        return
    log.error("update %s failed: %s", update_id, type(error).__name__, exc_info=error)
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


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire the pre-processing handler and the error handler."""
    app.add_handler(TypeHandler(Update, prepare), group=PRE_GROUP)
    app.add_error_handler(on_error)

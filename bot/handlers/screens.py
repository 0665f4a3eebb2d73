"""Showing screens (bot/ui/screen.py): edit the message in place after a button press."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.context import KawanContext
from bot.runtime.ratelimit import KawanRateLimiter, prepaid
from bot.storage.models import NewOutbox
from bot.ui.fit import trim
from bot.ui.i18n import Translator
from bot.ui.limits import CALLBACK_ANSWER
from bot.ui.screen import Button, Screen

__all__ = ["Button", "Screen", "answer_query", "column", "nav_row", "rendered_once", "show"]

log = logging.getLogger(__name__)


T = TypeVar("T")


def rendered_once(context: KawanContext, key: tuple[str, ...], build: Callable[[], T]) -> T:
    """Screens that depend only on the language and the content are built once per run."""
    cache = context.services.screens
    if key not in cache:
        cache[key] = build()
    return cast(T, cache[key])


def nav_row(t: Translator, back: str | None = "m:home") -> tuple[Button, ...]:
    """The "back" and "home" buttons every screen carries."""
    home = (t("🏠 Home"), "m:home")
    if back is None or back == "m:home":
        return (home,)
    return ((t("⬅️ Back"), back), home)


def column(buttons: Sequence[Button]) -> tuple[tuple[Button, ...], ...]:
    return tuple((b,) for b in buttons)


async def show(
    update: Update, context: KawanContext, screen: Screen, *, new: bool = False
) -> Message | None:
    """Edit the pressed message in place (unless `new`), or send a new message."""
    query = update.callback_query
    if not new and query is not None and isinstance(query.message, Message):
        try:
            edited = await query.edit_message_text(
                screen.text, parse_mode=ParseMode.HTML, reply_markup=screen.markup
            )
            return edited if isinstance(edited, Message) else None
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return None
            # The message is gone or too old to edit: fall through and send a fresh one.
            log.info("edit failed (%s); sending a new message", type(exc).__name__)
    chat = update.effective_chat
    if chat is None:
        return None
    if chat.type != "private":
        return await post_in_group(context, chat.id, screen)
    return await context.bot.send_message(
        chat.id, screen.text, parse_mode=ParseMode.HTML, reply_markup=screen.markup
    )


async def post_in_group(context: KawanContext, chat_id: int, screen: Screen) -> Message | None:
    """An answer to an officer in the group, without waiting on the group's budget.

    The group gets about 20 messages a minute, and in a surge the case cards spend them. If
    there is room now, the answer goes now; otherwise it joins the outbox, which posts it ahead
    of new cards as soon as the budget allows, and the handler moves on.
    """
    services = context.services
    limiter = context.bot.rate_limiter
    room = not isinstance(limiter, KawanRateLimiter) or limiter.try_group_send(chat_id)
    if not room and services.repos is not None and services.dispatcher is not None:
        payload: dict[str, object] = {"text": screen.text}
        if screen.markup is not None:
            payload["markup"] = screen.markup.to_dict()
        await services.repos.outbox.enqueue(NewOutbox("group_reply", chat_id, payload))
        services.dispatcher.wake()
        return None
    with prepaid() if room else contextlib.nullcontext():
        return await context.bot.send_message(
            chat_id, screen.text, parse_mode=ParseMode.HTML, reply_markup=screen.markup
        )


async def answer_query(update: Update, text: str | None = None) -> None:
    """Stop the button's loading spinner (Telegram expects an answer to every callback)."""
    if update.callback_query is not None:
        # Only stops a spinner: a refusal (query too old) or a network hiccup must not abort
        # the step the button started.
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(trim(text, CALLBACK_ANSWER) if text else None)


async def stale_button(update: Update, context: KawanContext) -> None:
    """A button we no longer understand (old message, forged or after an update): say so kindly."""
    # A toast only: editing the old message would destroy what the user was reading.
    await answer_query(update, context.t("This button is no longer available. Please use /menu."))

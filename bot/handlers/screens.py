"""A screen is a text plus buttons, shown by editing the message in place after a button press."""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.context import KawanContext
from bot.ui.fit import trim
from bot.ui.i18n import Translator
from bot.ui.limits import CALLBACK_ANSWER

log = logging.getLogger(__name__)

Button = tuple[str, str]  # (label, callback_data)


@dataclass(frozen=True)
class Screen:
    text: str  # Telegram HTML, already under the length limit
    rows: tuple[tuple[Button, ...], ...] = ()

    @property
    def markup(self) -> InlineKeyboardMarkup | None:
        return _keyboard(self.rows) if self.rows else None


@functools.lru_cache(maxsize=2048)
def _keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    """Most keyboards repeat (menus, steps, case buttons); telegram objects are immutable."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


T = TypeVar("T")


def rendered_once(context: KawanContext, key: tuple[str, ...], build: Callable[[], T]) -> T:
    """Screens that depend only on the language and the content are built once per run."""
    cache: dict[tuple[str, ...], Any] = context.services.extras.setdefault("rendered", {})
    if key not in cache:
        cache[key] = build()
    value: T = cache[key]
    return value


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
    return await context.bot.send_message(
        chat.id, screen.text, parse_mode=ParseMode.HTML, reply_markup=screen.markup
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

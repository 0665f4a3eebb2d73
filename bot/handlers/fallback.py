"""Last-resort answers: text, media, edits, unknown commands and stale buttons get a clear reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import KawanContext
from bot.handlers.screens import Screen, nav_row, show, stale_button
from bot.ui import limits
from bot.ui.commands import CommandRegistry

FALLBACK_GROUP = 0  # same group as the features, registered last: only unclaimed updates reach it
MAX_TEXT = limits.TEXT


async def on_unknown_command(update: Update, context: KawanContext) -> None:
    """A /command we do not have."""
    t = context.t
    await show(
        update, context, Screen(t("I do not know that command. Here is the menu."), (nav_row(t),))
    )


async def on_media(update: Update, context: KawanContext) -> None:
    """Stickers, voice notes, photos and the like outside a flow: say what Kawan can read."""
    if is_repeat_of_album(update, context):
        return  # one answer per album, not one per picture
    t = context.t
    text = t(
        "I can only read text here. Please type your question, or open the menu. "
        "Photos and documents can be attached when you send a help request."
    )
    await show(update, context, Screen(text, (nav_row(t),)))


async def on_edited(update: Update, context: KawanContext) -> None:
    """Edits are not re-read; say so once so nobody waits for an answer that will not come."""
    t = context.t
    message = update.edited_message
    if message is None:
        return
    await context.bot.send_message(
        message.chat_id, t("I saw you edited a message. Please send the new text as a new message.")
    )


def is_repeat_of_album(update: Update, context: KawanContext) -> bool:
    """True for the 2nd…nth message of an album (Telegram sends each picture separately)."""
    message = update.effective_message
    album = message.media_group_id if message is not None else None
    if album is None or context.user_data is None:
        return False
    if context.user_data.get("last_album") == album:
        return True
    context.user_data["last_album"] = album
    return False


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire the fallbacks after every feature."""
    private = filters.ChatType.PRIVATE
    new = filters.UpdateType.MESSAGE
    app.add_handler(
        MessageHandler(private & new & filters.COMMAND, on_unknown_command), FALLBACK_GROUP
    )
    app.add_handler(
        MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, on_edited), FALLBACK_GROUP
    )
    app.add_handler(MessageHandler(private & new, on_media), FALLBACK_GROUP)
    app.add_handler(CallbackQueryHandler(stale_button), FALLBACK_GROUP)

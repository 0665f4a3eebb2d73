"""/langganan (subscribe), the stop and open buttons; /siaran TEXT and /siaran batal (officers)."""

from __future__ import annotations

import contextlib
import datetime as dt

from babel.numbers import format_decimal
from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import KawanContext
from bot.handlers.officers import is_authorised
from bot.handlers.screens import Screen, answer_query, show
from bot.safety.advisories import (
    MAX_BODY,
    OPEN,
    STOP,
    content_text,
    payloads,
    report_progress,
    stop_button,
)
from bot.ui.commands import N_, CommandRegistry


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def subscribe(update: Update, context: KawanContext) -> None:
    """/langganan: receive advisories (each carries a button to stop)."""
    user, chat, t = update.effective_user, update.effective_chat, context.t
    if user is None or chat is None:
        return
    new = await context.services.repos.advisories.subscribe(
        user.id, chat.id, context.locale, _now()
    )
    text = t(
        "✓ You will receive important information from time to time, in your safe hours if "
        "you set them. Every message has a button to stop."
    ) if new else t("You already receive this information.")  # fmt: skip
    await show(update, context, Screen(text, (((t("🔕 Stop these messages"), STOP),),)))


async def unsubscribe(update: Update, context: KawanContext) -> None:
    """a:stop: no more advisories; the message itself stays readable."""
    user, query = update.effective_user, update.callback_query
    if user is None:
        return
    await context.services.repos.advisories.unsubscribe(user.id)
    await answer_query(update, context.t("Stopped. /langganan starts them again."))
    if query is not None and isinstance(query.message, Message):
        with contextlib.suppress(TelegramError):
            await query.message.edit_reply_markup(None)


async def open_advisory(update: Update, context: KawanContext) -> None:
    """a:open:<id>: a sealed advisory's content, in the reader's language."""
    advisory_id = int(context.matches[0].group(1)) if context.matches else 0
    advisory = await context.services.repos.advisories.get(advisory_id)
    if advisory is None or advisory.confirmed_at is None:
        await answer_query(update, context.t("This message is no longer here."))
        return
    await answer_query(update)
    t = context.t
    button = stop_button(t)
    rows = (((button["text"], button["callback_data"]),),)
    await show(update, context, Screen(content_text(t, advisory), rows))


async def broadcast(update: Update, context: KawanContext) -> None:
    """/siaran TEXT: a preview with the number of subscribers; /siaran batal stops sending."""
    message = update.effective_message
    if not await is_authorised(update, context) or message is None or not message.text:
        return
    if update.effective_user is None:
        return
    t, repos = context.services.officers_t, context.services.repos
    body = message.text.partition(" ")[2].strip()
    if body.lower() in ("batal", "cancel", "stop"):
        stopped = [a for a in await repos.advisories.active() if a.cancelled_at is None]
        for advisory in stopped:
            await repos.advisories.cancel(advisory.id, _now())
        await report_progress(context.services, context.bot)
        text = t("Stopped: %(n)s advisory(ies).", n=len(stopped)) if stopped else t(
            "No advisory is being sent.")  # fmt: skip
        await show(update, context, Screen(text))
        return
    if not body or len(body) > MAX_BODY:
        await show(update, context, Screen(t(
            "Usage: /siaran your text (at most %(n)s characters). /siaran batal stops sending.",
            n=MAX_BODY,
        )))  # fmt: skip
        return
    advisory = await repos.advisories.draft(body, update.effective_user.id, _now())
    count = await repos.advisories.count_subscribers()
    sealed = payloads(context.services, advisory)["id"]["text"] != content_text(
        context.services.catalogs.get("id"), advisory)  # fmt: skip
    text = t("Preview (what subscribers read):") + "\n\n" + content_text(t, advisory)
    if sealed:
        text += "\n\n" + t("Its start names who sends it, so it arrives as a neutral "
                           "\"new message\" with an Open button.")  # fmt: skip
    text += "\n\n" + t("Send to %(n)s subscribers?", n=format_decimal(count, locale=t.locale))
    rows = (((t("📣 Send"), f"a:send:{advisory.id}"), (t("✖ Discard"), f"a:drop:{advisory.id}")),)
    await show(update, context, Screen(text, rows))


async def send_or_drop(update: Update, context: KawanContext) -> None:
    """a:send:<id> / a:drop:<id>: confirm the previewed advisory (once), or discard it."""
    if not await is_authorised(update, context) or not context.matches:
        return
    t, repos, services = context.services.officers_t, context.services.repos, context.services
    action, advisory_id = context.matches[0].group(1), int(context.matches[0].group(2))
    advisory = await repos.advisories.get(advisory_id)
    query, chat = update.callback_query, update.effective_chat
    if advisory is None or chat is None or query is None:
        await answer_query(update, t("This message is no longer here."))
        return
    if action == "drop":
        if advisory.confirmed_at is None:
            await repos.advisories.cancel(advisory.id, _now())
        await answer_query(update)
        await show(update, context, Screen(t("Discarded.")))
        return
    pressed = query.message.message_id if isinstance(query.message, Message) else None
    total = await repos.advisories.confirm(
        advisory.id, payloads(services, advisory), services.settings.default_locale, chat.id,
        pressed, _now(),
    )  # fmt: skip
    await answer_query(update, t("Sending.") if total is not None else t("Already decided."))
    if services.dispatcher is not None:
        services.dispatcher.wake()
    await report_progress(services, context.bot)  # the preview becomes the progress message


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire /langganan, /siaran and the advisory buttons."""
    registry.add(app, "langganan", subscribe, N_("Receive important information"),
                 aliases=("subscribe",))  # fmt: skip
    registry.add(
        app, "siaran", broadcast, N_("Advisory to subscribers: /siaran TEXT"),
        audience="officer", aliases=("broadcast",),
        handler=CommandHandler(["siaran", "broadcast"], broadcast, filters=filters.ChatType.GROUPS),
    )  # fmt: skip
    app.add_handler(CallbackQueryHandler(unsubscribe, pattern=rf"^{STOP}$"))
    app.add_handler(CallbackQueryHandler(open_advisory, pattern=rf"^{OPEN}(\d{{1,12}})$"))
    app.add_handler(CallbackQueryHandler(send_or_drop, pattern=r"^a:(send|drop):(\d{1,12})$"))

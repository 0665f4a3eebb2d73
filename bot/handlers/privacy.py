"""Discreet mode and data rights: /hapus, auto-delete, /datasaya, /hapusdata."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import KawanContext
from bot.handlers.my_data import my_data, my_data_json
from bot.handlers.screens import Button, Screen, answer_query, nav_row, show
from bot.queue.wipe import delete_messages
from bot.storage.models import NewOutbox
from bot.ui import limits
from bot.ui.commands import N_, CommandRegistry

log = logging.getLogger(__name__)

DELETE_WINDOW = limits.DELETE_WINDOW  # bots may delete private messages this young
AUTO_DELETE_CHOICES = (5, 30, 120)  # minutes


def wipe_screen(context: KawanContext) -> Screen:
    """Explain /hapus, offer it, and offer auto-delete."""
    t = context.t
    current = context.user_record.autodelete_minutes if context.user_record else None
    text = context.services.renderer.render("wipe.html.j2", t, current=current)
    auto = tuple((t("%(n)s min", n=m), f"p:auto:{m}") for m in AUTO_DELETE_CHOICES)
    rows = (
        ((t("🧹 Yes, erase this chat now"), "p:wipe:yes"),),
        (*auto, (t("Off"), "p:auto:0")),
        nav_row(t),
    )
    return Screen(text, rows)


async def wipe_command(update: Update, context: KawanContext) -> None:
    """/hapus and the "Hapus jejak" button: confirm first."""
    await answer_query(update)
    await show(update, context, wipe_screen(context))


async def wipe_chat(context: KawanContext, chat_id: int) -> int:
    """Delete every tracked message of both sides younger than 48 hours; returns how many."""
    repos = context.services.repos
    assert repos is not None
    ids = await repos.messages.recent(chat_id, dt.datetime.now(dt.UTC) - DELETE_WINDOW)
    await delete_messages(context.bot, repos, chat_id, ids)
    return len(ids)


async def on_wipe_confirmed(update: Update, context: KawanContext) -> None:
    """Erase the conversation on both sides; leave nothing behind (not even a confirmation)."""
    await answer_query(update, context.t("Erasing…"))
    if update.effective_chat is not None:
        await wipe_chat(context, update.effective_chat.id)


async def on_auto_delete(update: Update, context: KawanContext) -> None:
    """p:auto:<minutes>: Kawan deletes the chat's messages after that long (0 = off)."""
    data = str(update.callback_query.data if update.callback_query else "")
    minutes = int(data.rsplit(":", 1)[-1]) if data.rsplit(":", 1)[-1].isdigit() else -1
    repos, user = context.services.repos, update.effective_user
    if repos is None or user is None or (minutes not in AUTO_DELETE_CHOICES and minutes != 0):
        await answer_query(update)
        return
    record = await repos.users.set_autodelete(user.id, minutes or None)
    context.user_record = record
    t = context.t
    await answer_query(
        update, t("Auto-delete: %(n)s min", n=minutes) if minutes else t("Auto-delete off")
    )
    await show(update, context, wipe_screen(context))


async def privacy_notice(update: Update, context: KawanContext) -> None:
    """/privasi: the full consent text (the short consent of a discreet request points here)."""
    t = context.t
    text = context.services.renderer.render(
        "consent.html.j2", t, retention_days=context.services.settings.retention_days
    )
    await show(update, context, Screen(text, (nav_row(t),)))


async def erase_command(update: Update, context: KawanContext) -> None:
    """/hapusdata: confirm first; with an open request, say what erasing means for it.

    With an open request, /hapus (this chat only, the request stays) is the first button and
    erasing takes a second confirmation: /hapusdata is one letter from /hapus.
    """
    await answer_query(update)
    t = context.t
    refs = await _open_refs(context, update)
    data = update.callback_query.data if update.callback_query else None
    if refs and data == "p:erase:sure":
        text = t(
            "Last check: erase your data and your open request %(refs)s? This cannot be undone.",
            refs=", ".join(refs),
        )
        await show(
            update,
            context,
            Screen(text, (((t("🗑 Yes, erase everything"), "p:erase:yes"),), nav_row(t))),
        )
        return
    text = context.services.renderer.render("erase.html.j2", t, open_refs=refs)
    rows: tuple[tuple[Button, ...], ...]
    if refs:
        rows = (
            ((t("🧹 Erase this chat only, keep my request"), "p:wipe"),),
            ((t("🗑 Erase my data anyway"), "p:erase:sure"),),
            nav_row(t),
        )
    else:
        rows = (((t("🗑 Yes, erase my data"), "p:erase:yes"),), nav_row(t))
    await show(update, context, Screen(text, rows))


async def _open_refs(context: KawanContext, update: Update) -> list[str]:
    repos, user = context.services.repos, update.effective_user
    if repos is None or user is None:
        return []
    cases = await repos.cases.list_for_user(user.id, limit=100)
    return [c.ref for c in cases if c.is_open and c.erased_at is None]


async def on_erase_confirmed(update: Update, context: KawanContext) -> None:
    """Erase personal data, withdraw consent, tell the officers' side; keep anonymous shells."""
    await answer_query(update)
    repos, user = context.services.repos, update.effective_user
    if repos is None or user is None:
        return
    open_cases = [c for c in await repos.cases.list_for_user(user.id, limit=100) if c.is_open]
    if update.effective_chat is not None:
        # The chat's traces go first: erasure forgets the message ids Telegram needs.
        await wipe_chat(context, update.effective_chat.id)
    erased = await repos.privacy.erase_user(user.id)
    if context.user_data is not None:
        context.user_data.clear()  # half-filled requests (also deleted from storage)
    group = context.services.settings.officers_chat_id
    if group is not None:
        ot = context.services.officers_t
        for case in open_cases:
            text = ot(
                "🗑 %(ref)s: the citizen erased their data and withdrew consent. "
                "Do not contact them about this case.",
                ref=case.ref,
            )
            await repos.outbox.enqueue(
                NewOutbox(
                    kind="notice", target_chat_id=group, case_id=case.id, payload={"text": text}
                )
            )
        if context.services.dispatcher is not None:
            context.services.dispatcher.wake()
    t = context.t
    text = t.ngettext(
        "Your personal data has been erased, with %(n)s request. Consent withdrawn.",
        "Your personal data has been erased, with %(n)s requests. Consent withdrawn.",
        len(erased),
    )
    await show(update, context, Screen(text, (nav_row(t),)), new=True)


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire discreet mode and data rights."""
    registry.add(app, "hapus", wipe_command, N_("Erase this chat on both sides"), aliases=("wipe",))
    registry.add(
        app, "datasaya", my_data, N_("See what Kawan stores about you"), aliases=("mydata",)
    )
    registry.add(
        app, "hapusdata", erase_command, N_("Erase your personal data"), aliases=("erasedata",)
    )
    registry.add(
        app, "privasi", privacy_notice, N_("How Kawan uses your data"), aliases=("privacy",)
    )
    app.add_handler(CallbackQueryHandler(my_data_json, pattern=r"^p:json$"))
    app.add_handler(CallbackQueryHandler(wipe_command, pattern=r"^p:wipe$"))
    app.add_handler(CallbackQueryHandler(on_wipe_confirmed, pattern=r"^p:wipe:yes$"))
    app.add_handler(CallbackQueryHandler(on_auto_delete, pattern=r"^p:auto:\d{1,4}$"))
    app.add_handler(CallbackQueryHandler(on_erase_confirmed, pattern=r"^p:erase:yes$"))
    app.add_handler(CallbackQueryHandler(erase_command, pattern=r"^p:erase:sure$"))

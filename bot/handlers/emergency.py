"""The emergency screen: who to call first, KBRI's hotlines and address, the embassy's location."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.content import Contact, Content
from bot.context import KawanContext
from bot.handlers.screens import Screen, answer_query, nav_row, rendered_once, show
from bot.runtime.ratelimit import Priority, raise_priority
from bot.ui.commands import N_, CommandRegistry
from bot.ui.i18n import Translator
from bot.ui.render import render_mapping


def _contact_view(contact: Contact, locale: str) -> dict[str, Any]:
    return {
        "id": contact.id,
        "kind": contact.kind,
        "name": render_mapping(contact.name, locale),
        "value": contact.value,
        "note": render_mapping(contact.note, locale),
        "source": contact.source,
        "verify": contact.verify,
    }


def first_contacts(content: Content, locale: str) -> list[dict[str, Any]]:
    """The contacts to call first, ready for a template."""
    return [_contact_view(c, locale) for c in content.contacts if c.first]


def contact_views(content: Content, locale: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """These contacts (by id, in this order), ready for a template."""
    by_id = {c.id: c for c in content.contacts}
    return [_contact_view(by_id[i], locale) for i in ids if i in by_id]


def emergency_screen(t: Translator, context: KawanContext) -> Screen:
    """The numbers to call first, KBRI's address, the impostor warning."""
    return rendered_once(context, ("emergency", t.locale), lambda: _emergency(t, context))


def _emergency(t: Translator, context: KawanContext) -> Screen:
    content = context.services.content
    first = first_contacts(content, t.locale)
    embassy = {
        "name": render_mapping(content.embassy.name, t.locale),
        "address": content.embassy.address,
        "landmark": render_mapping(content.embassy.landmark, t.locale),
    }
    # The three numbers that matter, one line each; the rest are behind "All numbers".
    text = context.services.renderer.render("emergency.html.j2", t, first=first, embassy=embassy)
    rows = (
        ((t("📍 Send KBRI's location"), "e:venue"),),
        ((t("✍️ Send a help request"), "h:self"),),
        ((t("📞 All numbers"), "g:nomor-darurat:0"), (t("🧹 Erase this chat"), "p:wipe")),
        nav_row(t),
    )
    return Screen(text, rows)


async def emergency_command(update: Update, context: KawanContext) -> None:
    """/darurat: the emergency screen."""
    raise_priority(Priority.DANGER)
    await show(update, context, emergency_screen(context.t, context))


async def on_venue_button(update: Update, context: KawanContext) -> None:
    """Send the embassy's location as a venue the phone's map can open."""
    await answer_query(update)
    chat = update.effective_chat
    if chat is None:
        return
    embassy = context.services.content.embassy
    await context.bot.send_venue(
        chat.id,
        latitude=embassy.latitude,
        longitude=embassy.longitude,
        title=render_mapping(embassy.name, context.locale),
        address=embassy.address,
    )


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire /darurat and the location button."""
    registry.add(
        app, "darurat", emergency_command, N_("Emergency numbers"), aliases=("sos", "emergency")
    )
    app.add_handler(CallbackQueryHandler(on_venue_button, pattern=r"^e:venue$"))

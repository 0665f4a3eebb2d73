"""Saved replies: /templat keeps them, /t NAME sends one as "KBRI", "Ask for info" offers them."""

from __future__ import annotations

import html
import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import KawanContext
from bot.handlers.officers import (
    _citizen_t,
    _officer_id,
    _saved,
    case_button,
    case_of_message,
    citizen_notice,
    is_authorised,
    kbri_reply_rows,
    refresh_card,
)
from bot.handlers.screens import Screen, answer_query, show
from bot.queue.acks import ACK_QUEUED
from bot.queue.notices import notice_text
from bot.storage.models import Case
from bot.storage.templates import NAME, ReplyTemplate, TemplateRepository
from bot.ui import limits
from bot.ui.commands import N_, CommandRegistry
from bot.ui.fit import fit_html, trim

RESERVED = ("hapus", "delete", "info")  # /templat hapus NAME, /templat info NAME TEXT
MAX_BODY = limits.TEXT - 200  # room for the neutral first line
INFO_BUTTONS = 20
_WORDS = re.compile(r"\s+")


def templates(context: KawanContext) -> TemplateRepository:
    return TemplateRepository(context.services.repos.db)


def _split(text: str) -> tuple[str, str]:
    """The first word and the rest (newlines in the rest kept)."""
    parts = _WORDS.split(text.strip(), maxsplit=1)
    return (parts[0], parts[1].strip() if len(parts) > 1 else "") if parts[0] else ("", "")


async def templates_command(update: Update, context: KawanContext) -> None:
    """/templat · /templat NAME TEXT · /templat info NAME TEXT · /templat hapus NAME."""
    message, user = update.effective_message, update.effective_user
    if not await is_authorised(update, context) or message is None or user is None:
        return
    t = context.services.officers_t
    _, rest = _split(message.text or "")
    word, tail = _split(rest)
    if not word:
        await show(update, context, await _listing(context))
        return
    if word.lower() in ("hapus", "delete"):
        name = tail.lower()
        removed = bool(name) and await templates(context).delete(name)
        text = (t("Saved reply “%(name)s” removed.", name=html.escape(name)) if removed
                else t("No saved reply named “%(name)s”. /templat lists them.",
                       name=html.escape(name)))  # fmt: skip
        await show(update, context, Screen(text))
        return
    for_info = word.lower() == "info"
    name, body = _split(tail) if for_info else (word, tail)
    name = name.lower()
    if not NAME.match(name) or name in RESERVED or not body or len(body) > MAX_BODY:
        await show(update, context, Screen(t(
            "Usage: /templat NAME TEXT saves a reply (NAME: letters, digits, - or _); "
            "/templat info NAME TEXT also offers it on “Ask for info”; /templat hapus NAME "
            "removes it. {ref} in the text becomes the case's reference."
        )))  # fmt: skip
        return
    replaced = await templates(context).save(name, body, user.id, for_info=for_info)
    text = (t("Saved reply “%(name)s” replaced.", name=name) if replaced
            else t("Saved reply “%(name)s” saved. Send it with /t %(name)s in a case's topic.",
                   name=name))  # fmt: skip
    await show(update, context, Screen(text))


async def _listing(context: KawanContext) -> Screen:
    t = context.services.officers_t
    saved = await templates(context).all()
    if not saved:
        return Screen(t("No saved replies yet. /templat NAME TEXT saves one."))
    lines = [t("<b>Saved replies</b> (/t NAME in a case's topic sends one; 📋 = offered on "
               "“Ask for info”):")]  # fmt: skip
    for item in saved:
        mark = " 📋" if item.for_info else ""
        lines.append(f"• <code>{item.name}</code>{mark}: {html.escape(trim(item.body, 80))}")
    return Screen(fit_html("\n".join(lines)))


async def send_template(update: Update, context: KawanContext) -> None:
    """/t NAME, in a case's topic or as a reply to its card: the saved reply, as "KBRI"."""
    message, user = update.effective_message, update.effective_user
    if not await is_authorised(update, context) or message is None or user is None:
        return
    t = context.services.officers_t
    case = await case_of_message(context, message)
    name = context.args[0].lower() if context.args else ""
    if case is None or not name:
        await show(update, context, Screen(t(
            "Use /t NAME in a case's topic, or as a reply to its card. /templat lists the names."
        )))  # fmt: skip
        return
    template = await templates(context).get(name)
    if template is None:
        text = t("No saved reply named “%(name)s”. /templat lists them.", name=html.escape(name))
        await show(update, context, Screen(text))
        return
    if not case.is_open or case.chat_id is None:
        await message.reply_text(t("This case is closed; the citizen will not receive this."))
        return
    ack = (message.chat_id, message.message_id)
    text = template.filled(case.ref)
    rows = kbri_reply_rows(context, case, text, ack=ack)
    repos, dispatcher = context.services.repos, context.services.dispatcher
    if dispatcher is not None:
        dispatcher.acks.set(ack, ACK_QUEUED)
    async with repos.db.transaction():
        await repos.cases.record_reply(case.id, user.id, text, notify=rows)
        await _used(context, case, template, user.id)
    if dispatcher is not None:
        dispatcher.wake()


async def _used(context: KawanContext, case: Case, template: ReplyTemplate, officer: int) -> None:
    await context.services.repos.cases.add_event(
        case.id, actor="officer", actor_id=officer, kind="template_used", detail=template.name
    )


@case_button()
async def info_menu(update: Update, context: KawanContext, case: Case) -> None:
    """c:info: the saved replies marked for information requests, a general question, or own."""
    t = context.services.officers_t
    await answer_query(update)
    saved = (await templates(context).all(for_info=True))[:INFO_BUTTONS]
    rows = [((f"📋 {item.name}", f"c:infot:{case.id}:{item.name}"),) for item in saved]
    rows += [
        ((t("📨 General question"), f"c:infogen:{case.id}"),),
        ((t("✍️ Write my own"), f"c:infoown:{case.id}"),),
        ((t("⬅️ Back"), f"c:card:{case.id}"),),
    ]
    text = t("Ask the citizen of %(ref)s for information:", ref=case.ref)
    await show(update, context, Screen(text, tuple(rows)))


@case_button()
async def info_template(update: Update, context: KawanContext, case: Case) -> None:
    """c:infot:<name>: the saved reply sent as the question; the case waits for the citizen."""
    assert context.matches, "the pattern names the template"
    template = await templates(context).get(context.matches[0].group(2))
    if template is None or case.chat_id is None:
        t = context.services.officers_t
        await answer_query(update, t("This saved reply is gone."))
        return
    text = template.filled(case.ref)
    officer, repos = _officer_id(update), context.services.repos
    rows = kbri_reply_rows(context, case, text)
    async with repos.db.transaction():
        updated = await repos.cases.request_info(case.id, officer, text, notify=rows)
        if updated is not None:
            await _used(context, case, template, officer)
    await _saved(update, context, updated)


@case_button()
async def info_general(update: Update, context: KawanContext, case: Case) -> None:
    """c:infogen: the general question; the case waits for the citizen."""
    ct = _citizen_t(context, case)
    question = notice_text(ct, "info", case.ref)
    updated = await context.services.repos.cases.request_info(
        case.id, _officer_id(update), question, notify=[citizen_notice(case, question, ct)]
    )
    await _saved(update, context, updated)


@case_button()
async def info_own(update: Update, context: KawanContext, case: Case) -> None:
    """c:infoown: the case waits for the citizen; the officer writes the question in the topic."""
    t = context.services.officers_t
    updated = await context.services.repos.cases.request_info(case.id, _officer_id(update), "")
    await answer_query(update, t(
        "Now write your question in this case's topic (or as a reply to its card): "
        "it goes to the citizen as KBRI."
    ))  # fmt: skip
    if updated is not None:
        await refresh_card(update, context, updated)


_ID = r"(\d{1,12})"
BUTTONS = (
    (rf"^c:info:{_ID}$", info_menu),
    (rf"^c:infot:{_ID}:([a-z0-9][a-z0-9_-]{{0,31}})$", info_template),
    (rf"^c:infogen:{_ID}$", info_general),
    (rf"^c:infoown:{_ID}$", info_own),
)


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire /templat, /t and the "Ask for info" buttons (before officers.py's catch-all)."""
    for pattern, callback in BUTTONS:
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    groups = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE  # an edited /t sends nothing
    for name, callback, description, aliases in (
        ("templat", templates_command, N_("Saved replies: /templat NAME TEXT"), ("templates",)),
        ("t", send_template, N_("Send a saved reply in a case's topic: /t NAME"), ()),
    ):
        registry.add(
            app, name, callback, description, audience="officer", aliases=aliases,
            handler=CommandHandler([name, *aliases], callback, filters=groups),
        )  # fmt: skip

"""The officers' group: case buttons (claim, ask, refer, close) and replies relayed as "KBRI"."""

from __future__ import annotations

import logging
import re

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import KawanContext
from bot.handlers.screens import Screen, answer_query, show
from bot.queue.cards import REFERRALS, case_card, officers_translator
from bot.queue.notices import citizen_payload, notice_text, reply_text
from bot.storage.models import Case, NewOutbox
from bot.ui.commands import CommandRegistry
from bot.ui.i18n import Translator

log = logging.getLogger(__name__)

_CALLBACK = re.compile(
    r"^c:(claim|info|ref|refto|close|closeok|card|open):(\d{1,12})(?::([a-z]{1,10}))?$"
)


async def is_authorised(update: Update, context: KawanContext) -> bool:
    """True for officers; anyone else gets a neutral refusal and a log line (ids only)."""
    user = update.effective_user
    auth = context.services.extras.get("auth")
    chat = update.effective_chat
    in_group = chat is not None and chat.id == context.services.settings.officers_chat_id
    if user is not None and in_group and auth is not None and await auth.is_officer(user.id):
        return True
    log.warning("refused officer action from user %s", user.id if user else None)
    refusal = context.t("This action is not available to you.")
    if update.callback_query is not None:
        await answer_query(update, refusal)
    return False


def citizen_notice(case: Case, text: str, ct: Translator) -> NewOutbox:
    """A message for the citizen of a case, delivered by the dispatcher (contact rules apply)."""
    assert case.chat_id is not None
    payload = citizen_payload(ct, case, text)
    return NewOutbox(
        kind="to_citizen", target_chat_id=case.chat_id, case_id=case.id, payload=payload
    )


def _citizen_t(context: KawanContext, case: Case) -> Translator:
    return context.services.catalogs.get(case.locale)


async def refresh_card(update: Update, context: KawanContext, case: Case) -> None:
    """Redraw the case card the button was pressed on."""
    media = await context.services.repos.cases.media(case.id) if context.services.repos else []
    await show(update, context, case_card(context.services, case, media_count=len(media)))


async def on_case_button(update: Update, context: KawanContext) -> None:
    """c:<action>:<case id>[:<arg>], checked for authorisation on every press."""
    if not await is_authorised(update, context):
        return
    repos = context.services.repos
    assert repos is not None, "storage opens before any update is handled"
    match = _CALLBACK.match(str(update.callback_query.data if update.callback_query else ""))
    case = await repos.cases.get_by_id(int(match.group(2))) if match else None
    if match is None or case is None or update.effective_user is None:
        await answer_query(update, context.t("This case no longer exists."))
        return
    action, officer_id = match.group(1), update.effective_user.id
    t = officers_translator(context.services)
    if action in ("card", "open"):
        await answer_query(update)
        await refresh_card(update, context, case)
        return
    if not case.is_open or case.erased_at is not None:
        await answer_query(update, t("This case is closed."))
        await refresh_card(update, context, case)
        return
    ct = _citizen_t(context, case)
    updated: Case | None = case
    if action == "claim":
        text = notice_text(ct, "claim", case.ref)
        updated = await repos.cases.claim(
            case.id, officer_id, notify=[citizen_notice(case, text, ct)]
        )
        if updated is None:
            await answer_query(update, t("Someone else already claimed this case."))
            return
    elif action == "info":
        question = notice_text(ct, "info", case.ref)
        updated = await repos.cases.request_info(
            case.id, officer_id, question, notify=[citizen_notice(case, question, ct)]
        )
    elif action == "ref":
        await answer_query(update)
        rows = tuple(((t(label), f"c:refto:{case.id}:{key}"),) for key, label in REFERRALS.items())
        await show(
            update,
            context,
            Screen(
                t("Refer %(ref)s to:", ref=case.ref), (*rows, ((t("⬅️ Back"), f"c:card:{case.id}"),))
            ),
        )
        return
    elif action == "refto" and match.group(3) in REFERRALS:
        target = match.group(3)
        text = notice_text(ct, "refer", case.ref)
        updated = await repos.cases.refer(
            case.id, officer_id, target, notify=[citizen_notice(case, text, ct)]
        )
    elif action == "close":
        await answer_query(update)
        rows = (
            ((t("✅ Yes, close it"), f"c:closeok:{case.id}"),),
            ((t("⬅️ Back"), f"c:card:{case.id}"),),
        )
        await show(
            update,
            context,
            Screen(t("Close %(ref)s? The citizen will be told.", ref=case.ref), rows),
        )
        return
    elif action == "closeok":
        text = notice_text(ct, "close", case.ref)
        updated = await repos.cases.close(
            case.id,
            actor="officer",
            actor_id=officer_id,
            body=text,
            notify=[citizen_notice(case, text, ct)],
        )
    await answer_query(update, t("Saved."))
    if context.services.dispatcher is not None:
        context.services.dispatcher.wake()
    if updated is not None:
        await refresh_card(update, context, updated)


async def case_of_message(context: KawanContext, message: Message) -> Case | None:
    """The case an officer's message belongs to: its forum topic, or the message it replies to."""
    repos = context.services.repos
    if repos is None:
        return None
    reply = message.reply_to_message
    if reply is not None and not (
        message.is_topic_message and reply.message_id == message.message_thread_id
    ):
        case = await repos.cases.get_by_card_message(reply.message_id)
        if case is not None:
            return case
        case_id = await repos.messages.case_for_message(message.chat_id, reply.message_id)
        if case_id is not None:
            return await repos.cases.get_by_id(case_id)
    if message.is_topic_message and message.message_thread_id is not None:
        return await repos.cases.get_by_thread(message.message_thread_id)
    return None


async def on_officer_message(update: Update, context: KawanContext) -> None:
    """An officer writes in a case's topic (or replies to it): relay it as KBRI, or keep a note."""
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    case = await case_of_message(context, message)
    if case is None:
        return  # ordinary talk among officers
    if not await is_authorised(update, context):
        return
    t = officers_translator(context.services)
    text = message.text or message.caption or ""
    repos = context.services.repos
    assert repos is not None
    officer_id = update.effective_user.id
    if text.startswith("!"):
        await repos.cases.add_event(
            case.id, actor="officer", actor_id=officer_id, kind="note", body=text[1:].strip()[:4000]
        )
        await message.reply_text(t("📝 Note saved (not sent to the citizen)."))
        return
    if not case.is_open or case.chat_id is None:
        await message.reply_text(t("This case is closed; the citizen will not receive this."))
        return
    ct = _citizen_t(context, case)
    if message.text:
        payload = citizen_payload(ct, case, reply_text(ct, case.ref, message.text))
    else:
        caption = reply_text(ct, case.ref, message.caption or "", limit=1000)
        payload = citizen_payload(ct, case, caption, [message.chat_id, message.message_id])
    notice = NewOutbox(
        kind="to_citizen", target_chat_id=case.chat_id, case_id=case.id, payload=payload
    )
    await repos.cases.record_reply(case.id, officer_id, text[:4000], notify=[notice])
    if context.services.dispatcher is not None:
        context.services.dispatcher.wake()
    if case.contact_policy == "never_first":
        note = t(
            "✉️ Saved as KBRI. The citizen asked not to be messaged first: "
            "they see it when they next open the chat."
        )
    elif case.contact_policy == "safe_hours":
        note = t("✉️ Saved as KBRI. It reaches the citizen in their safe hours (Cambodia time).")
    else:
        note = t("✉️ Sent to the citizen as KBRI.")
    await message.reply_text(note)


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire the case buttons and the relay of officers' messages."""
    app.add_handler(CallbackQueryHandler(on_case_button, pattern=r"^c:"))
    group_messages = (
        filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & ~filters.COMMAND
        & (filters.TEXT | filters.PHOTO | filters.Document.ALL | filters.VOICE | filters.VIDEO)
    )  # fmt: skip
    app.add_handler(MessageHandler(group_messages, on_officer_message))

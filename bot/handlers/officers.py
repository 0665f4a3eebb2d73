"""The officers' group: case buttons (claim, ask, refer, close) and replies relayed as "KBRI"."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import KawanContext
from bot.handlers.screens import Screen, answer_query, show
from bot.queue.acks import ACK_NOTE, ACK_QUEUED
from bot.queue.cards import card_refresh, current_card
from bot.queue.notices import citizen_payload, notice_text, reply_header, sealed
from bot.queue.relay import relay_rows
from bot.storage.models import Case, NewOutbox
from bot.ui.commands import CommandRegistry
from bot.ui.i18n import Translator

log = logging.getLogger(__name__)

Callback = Callable[[Update, KawanContext], Coroutine[Any, Any, None]]


async def is_authorised(update: Update, context: KawanContext) -> bool:
    """True for officers; anyone else gets a neutral refusal and a log line (ids only)."""
    user = update.effective_user
    auth = context.services.auth
    chat = update.effective_chat
    in_group = chat is not None and chat.id == context.services.settings.officers_chat_id
    if user is not None and in_group and auth is not None and await auth.is_officer(user.id):
        # Cards and histories name the officer who acted (officers only; never the citizen).
        await context.services.repos.officers.remember(user.id, user.first_name)
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
    await show(update, context, await current_card(context.services, case))


CaseStep = Callable[[Update, KawanContext, Case], Awaitable[None]]


def case_button(*, open_only: bool = True) -> Callable[[CaseStep], Callback]:
    """The one guard of every case button: an officer, an existing case (open, unless not
    `open_only`), then the step. The button's pattern captures the case id first."""

    def decorate(step: CaseStep) -> Callback:
        @functools.wraps(step)
        async def guarded(update: Update, context: KawanContext) -> None:
            if not await is_authorised(update, context):
                return
            case_id = int(context.matches[0].group(1)) if context.matches else None
            repos = context.services.repos
            case = await repos.cases.get_by_id(case_id) if case_id is not None else None
            if case is None or update.effective_user is None:
                await answer_query(update, context.t("This case no longer exists."))
                return
            if open_only and (not case.is_open or case.erased_at is not None):
                await answer_query(update, context.services.officers_t("This case is closed."))
                await refresh_card(update, context, case)
                return
            await step(update, context, case)

        return guarded

    return decorate


async def _saved(update: Update, context: KawanContext, updated: Case | None) -> None:
    """After a change: say so, let the dispatcher tell the citizen, redraw the card."""
    await answer_query(update, context.services.officers_t("Saved."))
    if updated is not None:
        pressed = update.callback_query.message if update.callback_query else None
        if pressed is None or pressed.message_id != updated.card_message_id:
            # Pressed on /kasus or elsewhere: the card in the topic is redrawn too.
            for row in card_refresh(context.services, updated.id):
                await context.services.repos.outbox.enqueue(row)
    if context.services.dispatcher is not None:
        context.services.dispatcher.wake()
    if updated is not None:
        await refresh_card(update, context, updated)


def _officer_id(update: Update) -> int:
    assert update.effective_user is not None, "checked by case_button"
    return update.effective_user.id


@case_button(open_only=False)
async def show_card(update: Update, context: KawanContext, case: Case) -> None:
    """c:card / c:open: the case card (also for closed cases)."""
    await answer_query(update)
    await refresh_card(update, context, case)


@case_button()
async def claim(update: Update, context: KawanContext, case: Case) -> None:
    """c:claim: this officer takes the case; the citizen hears it is being handled."""
    ct = _citizen_t(context, case)
    text = notice_text(ct, "claim", case.ref)
    updated = await context.services.repos.cases.claim(
        case.id, _officer_id(update), notify=[citizen_notice(case, text, ct)]
    )
    if updated is None:
        t = context.services.officers_t
        await answer_query(update, t("Someone else already claimed this case."))
        return
    await _saved(update, context, updated)


@case_button()
async def confirm_close(update: Update, context: KawanContext, case: Case) -> None:
    """c:close: ask before closing (the citizen is told)."""
    t = context.services.officers_t
    await answer_query(update)
    rows = (
        ((t("✅ Yes, close it"), f"c:closeok:{case.id}"),),
        ((t("⬅️ Back"), f"c:card:{case.id}"),),
    )
    await show(
        update, context, Screen(t("Close %(ref)s? The citizen will be told.", ref=case.ref), rows)
    )


@case_button()
async def close(update: Update, context: KawanContext, case: Case) -> None:
    """c:closeok: close the case and tell the citizen how to come back."""
    ct = _citizen_t(context, case)
    text = notice_text(ct, "close", case.ref)
    updated = await context.services.repos.cases.close(
        case.id, actor="officer", actor_id=_officer_id(update), body=text,
        notify=[citizen_notice(case, text, ct)],
    )  # fmt: skip
    await _saved(update, context, updated)


async def unknown_case_button(update: Update, context: KawanContext) -> None:
    """Any other c: data (old or forged): refused, or "no longer exists" for an officer."""
    if await is_authorised(update, context):
        await answer_query(update, context.t("This case no longer exists."))


_ID = r"(\d{1,12})"
CASE_BUTTONS: tuple[tuple[str, Callback], ...] = (
    (rf"^c:(?:card|open):{_ID}$", show_card),
    (rf"^c:claim:{_ID}$", claim),
    (rf"^c:close:{_ID}$", confirm_close),
    (rf"^c:closeok:{_ID}$", close),
    (r"^c:", unknown_case_button),  # last: whatever the patterns above did not take
)


async def case_of_message(context: KawanContext, message: Message) -> Case | None:
    """The case an officer's message belongs to: its forum topic, or the message it replies to."""
    repos = context.services.repos
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
    t = context.services.officers_t
    text = message.text or message.caption or ""
    repos = context.services.repos
    officer_id = update.effective_user.id
    if text.startswith("!"):
        await repos.cases.add_event(
            case.id, actor="officer", actor_id=officer_id, kind="note", body=text[1:].strip()
        )
        if context.services.dispatcher is not None:
            context.services.dispatcher.acks.set((message.chat_id, message.message_id), ACK_NOTE)
        return
    if not case.is_open or case.chat_id is None:
        await message.reply_text(t("This case is closed; the citizen will not receive this."))
        return
    ack = (message.chat_id, message.message_id)
    rows = kbri_reply_rows(context, case, text, ack=ack, copy_from=None if message.text else ack)
    dispatcher = context.services.dispatcher
    if dispatcher is not None:  # a reaction, changed as delivery goes on; nobody waits for it
        dispatcher.acks.set(ack, ACK_QUEUED)
    await repos.cases.record_reply(case.id, officer_id, text, notify=rows)
    if dispatcher is not None:
        dispatcher.wake()


def kbri_reply_rows(
    context: KawanContext, case: Case, text: str, *,
    ack: Sequence[int] | None = None, copy_from: Sequence[int] | None = None,
    header: str | None = None, reply_to: int | None = None,
) -> list[NewOutbox]:  # fmt: skip
    """An officer's words to the citizen as "KBRI": under a neutral first line (a lock screen
    shows it), sealed for a discreet citizen; delivered by the dispatcher (safe hours)."""
    assert case.chat_id is not None
    ct = _citizen_t(context, case)
    header = header or reply_header(ct, case.ref)
    return sealed(ct, case, relay_rows(
        "to_citizen", case.chat_id, case.id, header, text, copy_from=copy_from, ack=ack,
        reply_to=reply_to,
    ))  # fmt: skip


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire the case buttons and the relay of officers' messages."""
    for pattern, callback in CASE_BUTTONS:
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    group_messages = (
        filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & ~filters.COMMAND
        & (filters.TEXT | filters.PHOTO | filters.Document.ALL | filters.VOICE | filters.VIDEO)
    )  # fmt: skip
    app.add_handler(MessageHandler(group_messages, on_officer_message))

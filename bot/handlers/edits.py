"""Edits mirrored: a citizen's edit reaches the officers, an officer's correction the citizen.

An edited message arrives as `edited_message`. If what it changed is still queued in the outbox,
the queued text changes; once delivered, the new text follows as a reply to the earlier copy
("✏️ edited" for the officers, a neutral "✏️ Correction" line for the citizen). Edits of anything
that was never relayed are left to the other handlers (a citizen is told to send it anew).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from telegram import Message, Update
from telegram.ext import Application, ApplicationHandlerStop, MessageHandler, filters

from bot.context import KawanContext
from bot.handlers.citizen import RELAY_GROUP
from bot.handlers.emergency import emergency_screen
from bot.handlers.officers import _citizen_t, case_of_message, is_authorised, kbri_reply_rows
from bot.handlers.screens import Screen, show
from bot.queue.cases import open_case_of
from bot.queue.relay import relay_rows
from bot.storage.models import Actor, Case, NewOutbox
from bot.storage.templates import RelayedRows
from bot.ui.commands import CommandRegistry

Correction = Callable[[int], list[NewOutbox]]  # the reply to the delivered copy's message id


async def mirror(
    context: KawanContext, case: Case, key: str, message: Message,
    replacement: list[NewOutbox], correction: Correction, event: tuple[Actor, int, str],
) -> bool:  # fmt: skip
    """Apply an edit of `message` to its outbox rows (found by payload[key]); False if none.

    Under the dispatcher's round lock, so a queued row is never changed while it is being sent.
    """
    repos, dispatcher = context.services.repos, context.services.dispatcher
    relayed = RelayedRows(repos.db)
    text = message.text or message.caption or ""
    lock = dispatcher.round_lock if dispatcher is not None else contextlib.nullcontext()
    async with lock:
        rows = await relayed.of(case.id, key, message.chat_id, message.message_id)
        pending = [r for r in rows if r.delivered_at is None and r.failed_at is None]
        delivered = [r for r in rows if r.delivered_at is not None and r.result_message_id]
        if not pending and not delivered:
            return False
        notify: list[NewOutbox] = []
        async with repos.db.transaction():
            if delivered:  # the first copy is answered; what is still queued is dropped
                for row in pending:
                    await relayed.drop_pending(row.id)
                first = delivered[0].result_message_id
                assert first is not None
                notify = correction(first)
            elif len(pending) == len(replacement):
                for row, new in zip(pending, replacement, strict=True):
                    await relayed.replace_pending(row.id, {**new.payload})
            else:  # a different number of parts: the old ones go, the new ones queue
                for row in pending:
                    await relayed.drop_pending(row.id)
                notify = replacement
            actor, actor_id, kind = event
            await repos.cases.add_event(
                case.id, actor=actor, actor_id=actor_id, kind=kind, body=text or None,
                notify=notify,
            )  # fmt: skip
    if dispatcher is not None:
        dispatcher.wake()
    return True


async def on_citizen_edit(update: Update, context: KawanContext) -> None:
    """A citizen edited a message that was relayed to the officers: they see the new text."""
    message, user = update.edited_message, update.effective_user
    officers = context.services.settings.officers_chat_id
    if message is None or user is None or officers is None:
        return
    case = await open_case_of(context.services.repos, user.id)
    if case is None:
        return  # the fallback asks them to send it anew
    t = context.services.officers_t
    text = message.text or message.caption or ""
    source = [message.chat_id, message.message_id]
    copy_from = None if message.text else source
    plain = f"💬 <b>WNI</b> · <code>{case.ref}</code>"
    danger = context.services.danger.check(text) if context.services.danger and text else None
    mark = t("✏️ edited")
    edited = f"{'🚨 ' if danger else ''}{mark} · {plain}"
    replacement = relay_rows(
        "case_update", officers, case.id, plain, text, copy_from=copy_from, source=source
    )

    def correction(reply_to: int) -> list[NewOutbox]:
        return relay_rows(
            "case_update", officers, case.id, edited, text, source=source, reply_to=reply_to
        )

    event: tuple[Actor, int, str] = ("citizen", user.id, "citizen_edited")
    if not await mirror(context, case, "source", message, replacement, correction, event):
        return
    ct = context.t
    if danger is not None:  # as for a new message: urgent, and the emergency numbers now
        await context.services.repos.cases.mark_urgent(case.id, actor="system", actor_id=None)
        await show(update, context, emergency_screen(ct, context), new=True)
    await show(update, context, Screen(ct("✓ Your change was added to your request %(ref)s.",
                                          ref=case.ref)), new=True)  # fmt: skip
    raise ApplicationHandlerStop


async def on_officer_edit(update: Update, context: KawanContext) -> None:
    """An officer corrected a reply: queued, it changes; delivered, the correction follows."""
    message, user = update.edited_message, update.effective_user
    if message is None or user is None:
        return
    raw = message.text or message.caption or ""
    if raw.startswith(("!", "/")):
        return  # notes and commands are not relayed
    case = await case_of_message(context, message)
    if case is None or not case.is_open or case.chat_id is None:
        return  # a closed case's citizen gets nothing more (as for a new message)
    if not await is_authorised(update, context):
        return
    ack = [message.chat_id, message.message_id]
    copy_from = None if message.text else ack
    replacement = kbri_reply_rows(context, case, raw, ack=ack, copy_from=copy_from)
    ct = _citizen_t(context, case)
    header = ct("✏️ Correction · %(ref)s", ref=f"<code>{case.ref}</code>")  # neutral

    def correction(reply_to: int) -> list[NewOutbox]:
        return kbri_reply_rows(context, case, raw, ack=ack, header=header, reply_to=reply_to)

    await mirror(context, case, "ack", message, replacement, correction,
                 ("officer", user.id, "reply_edited"))  # fmt: skip


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire both sides' edits (the citizen's before the fallback that asks to send anew)."""
    edited = filters.UpdateType.EDITED_MESSAGE & ~filters.COMMAND
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & edited, on_citizen_edit), group=RELAY_GROUP
    )
    app.add_handler(MessageHandler(filters.ChatType.GROUPS & edited, on_officer_edit))

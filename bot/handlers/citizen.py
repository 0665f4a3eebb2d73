"""The citizen's side of a case: /status, and follow-up messages relayed to the officers."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.context import KawanContext
from bot.handlers.emergency import emergency_screen
from bot.handlers.follow_ups import after_close, answered_by_guides, on_no_follow_up
from bot.handlers.intake_views import DRAFT_KEY, expire_draft
from bot.handlers.screens import Screen, answer_query, nav_row, show
from bot.intake.draft import CATEGORY_LABELS
from bot.queue.cards import card_refresh
from bot.queue.notices import OPEN_PREFIX
from bot.queue.relay import deliver_to_citizen, relay_rows
from bot.storage.models import Case
from bot.ui.commands import N_, CommandRegistry
from bot.ui.fit import fit_html

RELAY_GROUP = -10  # after the pre-processing, before the features
# The status of a request as its sender reads it (officers see bot/queue/cards.py's words).
CITIZEN_STATUS: dict[str, str] = {
    "baru": N_("received, waiting for an officer"),
    "diambil": N_("KBRI is handling it"),
    "menunggu": N_("KBRI is waiting for your answer"),
    "dirujuk": N_("passed on to a partner; KBRI follows it"),
    "selesai": N_("closed"),
}


async def status(update: Update, context: KawanContext) -> None:
    """/status: my requests, their status and KBRI's latest message."""
    await answer_query(update)
    repos, user = context.services.repos, update.effective_user
    if repos is None or user is None:
        return
    t = context.t
    items = []
    kbri_words = ("reply", "info_requested", "closed")
    for case, last in await repos.cases.list_with_last_word(user.id, kbri_words, limit=10):
        items.append({
            "ref": case.ref, "status": t(CITIZEN_STATUS.get(case.status, case.status)),
            "category": t(CATEGORY_LABELS.get(case.category, case.category)),
            "created": case.created_at, "last": last,
        })  # fmt: skip
    text = context.services.renderer.render("status.html.j2", t, items=items)
    rows = (((t("✍️ Send a help request"), "h:self"),), nav_row(t))
    await show(update, context, Screen(fit_html(text), rows))


async def open_sealed(update: Update, context: KawanContext) -> None:
    """s:open:<outbox id>: a sealed message's content, now that its reader asked for it."""
    repos, chat, query = context.services.repos, update.effective_chat, update.callback_query
    data = str(query.data if query else "")
    item_id = data.removeprefix(OPEN_PREFIX)
    item = await repos.outbox.get(int(item_id)) if repos and item_id.isdigit() else None
    if repos is None or chat is None or item is None or item.target_chat_id != chat.id:
        await answer_query(
            update, context.t("This message is no longer here. /status shows the latest.")
        )
        return
    await answer_query(update)
    await deliver_to_citizen(context.bot, repos, item, unseal=True)


async def on_follow_up(update: Update, context: KawanContext) -> None:
    """Text or media from a citizen with an open case: added to the case and sent to the officers.

    Runs before the feature handlers; when it relays, it stops there (ApplicationHandlerStop).
    Without an open case, while a help request is being filled in, or for a question the guides
    answer (bot/handlers/follow_ups.py has the rules), it lets the features answer.
    """
    repos, message, user = context.services.repos, update.effective_message, update.effective_user
    if repos is None or message is None or user is None:
        return
    expire_draft(context.user_data)  # a request left 30 minutes no longer holds messages back
    if context.user_data and context.user_data.get(DRAFT_KEY):
        return
    current = await repos.cases.current_for_user(user.id)
    case = current if current is not None and current.is_open else None
    officers = context.services.settings.officers_chat_id
    if case is None and current is not None and officers is not None:
        await after_close(update, context, current)
    if case is None or officers is None:
        return
    if context.user_record is not None and context.user_record.blocked:
        await message.reply_text(context.t("Your messages are not being passed on at the moment."))
        raise ApplicationHandlerStop
    if message.text and answered_by_guides(context, case, message.text):
        return  # the guides answer; "Ask KBRI" below the answer adds it to the case (h:ask)
    copy_from = None if message.text else [message.chat_id, message.message_id]
    source = [message.chat_id, message.message_id]  # an edit of it is mirrored (handlers/edits)
    body = message.text or message.caption or ""
    await add_to_case(update, context, case, body, copy_from, source=source)
    raise ApplicationHandlerStop


async def add_to_case(
    update: Update,
    context: KawanContext,
    case: Case,
    body: str,
    copy_from: list[int] | None = None,
    *,
    source: list[int] | None = None,
) -> None:
    """The citizen's words (or media) added to their open case and sent to the officers."""
    repos, user, officers = (
        context.services.repos, update.effective_user, context.services.settings.officers_chat_id
    )  # fmt: skip
    message = update.effective_message
    if repos is None or user is None or officers is None or message is None:
        return
    t = context.t
    danger = context.services.danger.check(body) if context.services.danger and body else None
    header = f"💬 <b>WNI</b> · <code>{case.ref}</code>"
    if danger is not None:
        header = f"🚨 {header}"
    rows = relay_rows(
        "case_update", officers, case.id, header, body, copy_from=copy_from, source=source
    )
    await repos.cases.add_event(
        case.id, actor="citizen", actor_id=user.id, kind="citizen_message",
        detail=None if copy_from is None else "media", body=body or None, notify=rows,
    )  # fmt: skip
    moved = None
    if danger is not None:
        moved = await repos.cases.mark_urgent(case.id, actor="system", actor_id=None)
        await show(update, context, emergency_screen(t, context), new=True)
    if case.status == "menunggu":
        moved = await repos.cases.set_status(
            case.id, "diambil", actor="citizen", actor_id=user.id, kind="info_given",
            notify=card_refresh(context.services, case.id),
        )  # fmt: skip
    elif moved is not None:  # now urgent: the card in the officers' group says so
        for row in card_refresh(context.services, case.id):
            await repos.outbox.enqueue(row)
    if context.services.dispatcher is not None:
        context.services.dispatcher.wake()
    await show(
        update,
        context,
        Screen(t("✓ Added to your request %(ref)s; it is on its way to KBRI.", ref=case.ref)),
        new=True,
    )


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire /status and the follow-up relay."""
    registry.add(app, "status", status, N_("My requests and KBRI's answers"))
    app.add_handler(CallbackQueryHandler(status, pattern=r"^h:status$"))
    app.add_handler(CallbackQueryHandler(open_sealed, pattern=r"^s:open:\d{1,12}$"))
    app.add_handler(CallbackQueryHandler(on_no_follow_up, pattern=r"^h:nofollow$"))
    private_new = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.COMMAND
    app.add_handler(MessageHandler(private_new, on_follow_up), group=RELAY_GROUP)

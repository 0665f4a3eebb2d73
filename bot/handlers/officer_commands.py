"""Officers' commands: /antrian /kasus /catatan /statistik /ekspor /blokir /buka /idgrup."""

from __future__ import annotations

import datetime as dt

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import KawanContext
from bot.handlers.officers import case_of_message, is_authorised
from bot.handlers.screens import Screen, answer_query, show
from bot.queue.acks import ACK_NOTE
from bot.queue.cards import current_card
from bot.queue.jobs import day_range
from bot.queue.statistics import post_statistics
from bot.queue.views import QUEUE_PATTERN, VIEW_WORDS, actor_ids, history_lines, queue_page
from bot.storage.models import Case
from bot.storage.refs import normalise_ref
from bot.storage.reports import rows_to_csv
from bot.ui.commands import N_, CommandRegistry
from bot.ui.fit import fit_html


async def _case_from_args(context: KawanContext) -> Case | None:
    ref = normalise_ref(context.args[0]) if context.args else None
    repos = context.services.repos
    return await repos.cases.get_by_ref(ref) if ref else None


async def queue(update: Update, context: KawanContext) -> None:
    """/antrian [baru|saya|mendesak]: open cases, urgent first, then oldest first, ten a page."""
    if not await is_authorised(update, context) or update.effective_user is None:
        return
    word = context.args[0].lower() if context.args else "semua"
    view = VIEW_WORDS.get(word, "all")
    page = await queue_page(context.services, view, update.effective_user.id, 0)
    await show(update, context, page)


async def turn_queue_page(update: Update, context: KawanContext) -> None:
    """q:<view>:<officer>:<page>: another page or filter, edited in place (no new message)."""
    if not await is_authorised(update, context) or update.effective_user is None:
        return
    await answer_query(update)  # first: Telegram wants the spinner stopped quickly
    assert context.matches, "the pattern captures view, officer and page"
    view, owner, number = context.matches[0].groups()
    officer = int(owner) or update.effective_user.id  # 0: whoever pressed
    page = await queue_page(context.services, VIEW_WORDS[view], officer, int(number))
    await show(update, context, page)


async def case_details(update: Update, context: KawanContext) -> None:
    """/kasus KWN-XXXXXX: the card, its history in words, and its buttons."""
    if not await is_authorised(update, context):
        return
    t = context.services.officers_t
    case = await _case_from_args(context)
    if case is None:
        await show(update, context, Screen(t("Usage: /kasus KWN-XXXXXX (case not found).")))
        return
    repos = context.services.repos
    events = (await repos.cases.events(case.id))[-15:]
    names = await repos.officers.names(actor_ids(events))
    card = await current_card(context.services, case)
    lines = history_lines(context.services, events, names)
    history = context.services.renderer.render("history.html.j2", t, lines=lines)
    await show(update, context, Screen(fit_html(f"{card.text}\n\n{history}"), card.rows))


async def note(update: Update, context: KawanContext) -> None:
    """/catatan text (in a case topic or as a reply), or /catatan KWN-… text: an internal note."""
    if not await is_authorised(update, context) or update.effective_message is None:
        return
    t = context.services.officers_t
    args = list(context.args or [])
    case = await case_of_message(context, update.effective_message)
    if case is None and args:
        case = await _case_from_args(context)
        args = args[1:]
    if case is None or not args or update.effective_user is None:
        await show(
            update,
            context,
            Screen(
                t(
                    "Usage: /catatan your note (in the case topic), "
                    "or /catatan KWN-XXXXXX your note."
                )
            ),
        )
        return
    repos = context.services.repos
    await repos.cases.add_event(
        case.id,
        actor="officer",
        actor_id=update.effective_user.id,
        kind="note",
        body=" ".join(args),
    )
    message = update.effective_message  # a reaction says "saved": no message in the group
    if context.services.dispatcher is not None and message is not None:
        context.services.dispatcher.acks.set((message.chat_id, message.message_id), ACK_NOTE)


async def statistics(update: Update, context: KawanContext) -> None:
    """/statistik [days]: a chart of cases per day with counts, medians and unclaimed cases."""
    if not await is_authorised(update, context) or update.effective_chat is None:
        return
    await post_statistics(update, context, update.effective_chat.id)


async def export(update: Update, context: KawanContext) -> None:
    """/ekspor [YYYY-MM-DD] [YYYY-MM-DD]: a redacted CSV of cases in the range."""
    if not await is_authorised(update, context) or update.effective_chat is None:
        return
    t = context.services.officers_t
    today = dt.datetime.now(dt.UTC).date()
    try:
        start = (
            dt.date.fromisoformat(context.args[0])
            if context.args
            else today - dt.timedelta(days=30)
        )
        end = (
            dt.date.fromisoformat(context.args[1])
            if context.args and len(context.args) > 1
            else today
        )
    except ValueError:
        await show(update, context, Screen(t("Usage: /ekspor 2026-01-01 2026-01-31")))
        return
    repos = context.services.repos
    rows = await repos.reports.export_rows(*day_range(start, end), redact=True)
    document = InputFile(rows_to_csv(rows).encode(), filename=f"kawan-{start}-{end}.csv")
    caption = t("%(n)s cases, %(start)s to %(end)s (redacted)", n=len(rows), start=start, end=end)
    await context.bot.send_document(
        update.effective_chat.id, document, caption=caption,
        message_thread_id=(
            update.effective_message.message_thread_id if update.effective_message else None
        ),
    )  # fmt: skip


async def block(update: Update, context: KawanContext) -> None:
    """/blokir KWN-…: stop an abusive user from opening cases (recorded; reversible)."""
    await _set_block(update, context, blocked=True)


async def unblock(update: Update, context: KawanContext) -> None:
    """/buka KWN-…: lift a block."""
    await _set_block(update, context, blocked=False)


async def _set_block(update: Update, context: KawanContext, *, blocked: bool) -> None:
    if not await is_authorised(update, context) or update.effective_user is None:
        return
    t = context.services.officers_t
    case = await _case_from_args(context)
    if case is None or case.user_id is None:
        await show(
            update,
            context,
            Screen(t("Usage: /blokir KWN-XXXXXX or /buka KWN-XXXXXX (case not found).")),
        )
        return
    repos = context.services.repos
    officer = update.effective_user.id
    if blocked:
        await repos.users.block(case.user_id, officer)
    else:
        await repos.users.unblock(case.user_id, officer)
    # The repository records the block as an event on the user's latest case.
    text = (
        t("The user of %(ref)s is blocked.", ref=case.ref)
        if blocked
        else t("The user of %(ref)s is unblocked.", ref=case.ref)
    )
    await show(update, context, Screen(text))


async def group_id(update: Update, context: KawanContext) -> None:
    """/idgrup: print this group's id (to put in OFFICERS_CHAT_ID)."""
    chat = update.effective_chat
    if chat is None:
        return
    t = context.services.officers_t
    await show(update, context, Screen(t("This group's id: <code>%(id)s</code>", id=chat.id)))


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire the officers' commands (groups only; authorisation inside each)."""
    groups = filters.ChatType.GROUPS
    for name, callback, description, aliases in (
        ("antrian", queue, N_("Open cases: /antrian [baru|saya|mendesak]"), ("queue",)),
        ("kasus", case_details, N_("A case: /kasus KWN-XXXXXX"), ("case",)),
        ("catatan", note, N_("Internal note on a case"), ("note",)),
        ("statistik", statistics, N_("Statistics of the last 30 days"), ("stats",)),
        ("ekspor", export, N_("CSV export (redacted)"), ("export",)),
        ("blokir", block, N_("Block an abusive user: /blokir KWN-XXXXXX"), ("block",)),
        ("buka", unblock, N_("Unblock: /buka KWN-XXXXXX"), ("unblock",)),
        ("idgrup", group_id, N_("Show this group's id"), ("groupid",)),
    ):
        registry.add(
            app, name, callback, description, audience="officer", aliases=aliases,
            handler=CommandHandler([name, *aliases], callback, filters=groups),
        )  # fmt: skip
    app.add_handler(CallbackQueryHandler(turn_queue_page, pattern=QUEUE_PATTERN))

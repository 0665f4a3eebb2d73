"""/bantuan and /keluarga: the help-request conversation (persistent, /batal anywhere, expiry)."""

from __future__ import annotations

import re
import warnings
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.context import KawanContext
from bot.handlers import intake_views as views
from bot.handlers.citizen import add_to_case
from bot.handlers.emergency import emergency_screen
from bot.handlers.fallback import is_repeat_of_album
from bot.handlers.questions import on_question
from bot.handlers.screens import Screen, answer_query, show
from bot.intake.draft import MAX_ATTACHMENTS, Draft, Kind
from bot.intake.presets import place_in
from bot.queue import cases
from bot.safety.recovery import issue_phrase
from bot.ui.commands import N_, CommandRegistry

ASKING, ATTACHING, CONSENT, CONFIRM = range(4)
_CHOICE = re.compile(r"^i:([a-z_]{1,20}):(.{1,40})$")


async def _ask_next(
    update: Update, context: KawanContext, draft: Draft, *, new: bool = False
) -> int:
    step = draft.current
    # Saved only once the next question is on screen: if showing it fails, pressing the same
    # button again repeats this step instead of leaving the user stuck one step ahead.
    if step is not None:
        await show(update, context, views.step_screen(context, draft, step), new=new)
        views.save_draft(context, draft)
        return ASKING
    if draft.short:  # not safe to talk: two lines of consent that also send, no review
        await show(update, context, views.short_consent_screen(context, draft), new=new)
        views.save_draft(context, draft)
        return CONSENT
    t = context.t
    text = t(
        "Thank you. You can now send photos or documents (up to %(n)s), or press Continue.",
        n=MAX_ATTACHMENTS,
    )
    rows = (((t("Continue ➡️"), "i:attach:done"),), ((t("✖️ Cancel"), "i:cancel:x"),))
    await show(update, context, Screen(text, rows), new=new)
    views.save_draft(context, draft)
    return ATTACHING


async def start_self(update: Update, context: KawanContext) -> int:
    """/bantuan or the menu button: a request for myself."""
    return await _start(update, context, "self")


async def start_relative(update: Update, context: KawanContext) -> int:
    """/keluarga or the menu button: a report about a relative."""
    return await _start(update, context, "relative")


async def start_preset(update: Update, context: KawanContext) -> int:
    """A request that starts from words already written: a danger message, an offer, a follow-up."""
    data = str(update.callback_query.data if update.callback_query else "")
    user = update.effective_user
    case = None
    if data == "h:ask" and user is not None:
        case = await cases.open_case_of(context.services.repos, user.id)
    if case is not None:
        # A question the guides answered while a case is open: one tap adds it to the case.
        saved = (context.user_data or {}).pop("asked", None)
        await answer_query(update)
        if isinstance(saved, dict) and saved.get("text"):
            await add_to_case(update, context, case, str(saved["text"]))
            return ConversationHandler.END
    draft = views.preset_draft(context, data)
    if draft is None and data == "o:report":
        await answer_query(update, context.t("Please check the offer again first."))
        return ConversationHandler.END
    return await _start(update, context, draft.kind if draft else "self", draft)


async def _start(
    update: Update, context: KawanContext, kind: Kind, draft: Draft | None = None
) -> int:
    await answer_query(update)
    if context.user_record is not None and context.user_record.blocked:
        await show(update, context, Screen(views.blocked_text(context)), new=True)
        return ConversationHandler.END
    draft = draft or Draft(kind=kind)
    await _notice(update, context, views.intro_text(context, draft))
    user, repos = update.effective_user, context.services.repos
    draft.linked_case_id = await cases.last_closed_case_id(repos, user.id) if user else None
    return await _ask_next(update, context, draft, new=True)


async def on_choice(update: Update, context: KawanContext) -> int | None:
    """A button answer i:<step>:<value>."""
    draft = views.draft_of(context)
    match = _CHOICE.match(str(update.callback_query.data if update.callback_query else ""))
    step = draft.current if draft else None
    if draft is None or match is None or step is None or match.group(1) != step.key:
        await answer_query(update, context.t("Please answer the latest question."))
        return None
    value = match.group(2)
    if value == "?":  # "Type again": the same question
        await answer_query(update)
        await show(update, context, views.step_screen(context, draft, step))
        return ASKING
    if step.key == "location" and value == "exact":
        await answer_query(update)
        await show(update, context, views.exact_location_screen(context))
        return ASKING
    await answer_query(update)
    draft.answer(value)
    if step.key == "category" and draft.urgent:
        await show(update, context, emergency_screen(context.t, context))
        await _notice(update, context, context.t(
            "This is urgent. If you can, call the numbers above now. Your request will be marked "
            "urgent for KBRI. Let us finish a few quick questions."
        ))  # fmt: skip
        return await _ask_next(update, context, draft, new=True)
    return await _ask_next(update, context, draft)


async def _notice(update: Update, context: KawanContext, text: str) -> Message | None:
    chat = update.effective_chat
    return await context.bot.send_message(chat.id, text) if chat else None


async def on_text(update: Update, context: KawanContext) -> int | None:
    """A typed answer: accepted where the step allows free text."""
    draft, message = views.draft_of(context), update.effective_message
    step = draft.current if draft else None
    if draft is None or step is None or message is None or not message.text:
        return None
    if views.left_the_form(context):
        # The person left the form for another screen: this is a question, not an answer. The
        # draft stays until it expires; /bantuan starts again.
        await on_question(update, context)
        return ConversationHandler.END
    if step.key == "safe_hours":
        await show(update, context, views.hours_screen(context, draft, message.text), new=True)
        return ASKING
    if not step.free_text:
        await _notice(update, context, context.t("Please choose one of the buttons."))
        await show(update, context, views.step_screen(context, draft, step))
        return ASKING
    text = message.text.strip()
    if len(text) > step.max_length:
        await _notice(update, context, context.t(
            "That is a bit long: I kept the first %(n)s characters.",
            n=step.max_length,
        ))  # fmt: skip
    if step.key == "description":
        draft.urgent_text = views.reads_as_danger(context, text)
        if "location" not in draft.answers and (place := place_in(text)):
            draft.answers["location"] = place  # "…di Bavet": the area is not asked again
    draft.answer(text)
    return await _ask_next(update, context, draft)


async def on_location(update: Update, context: KawanContext) -> int | None:
    """An exact location, offered by the user at the location step."""
    draft, message = views.draft_of(context), update.effective_message
    if draft is None or message is None or message.location is None:
        return None
    step = draft.current
    if step is None or step.key != "location":
        await _notice(
            update, context, context.t("Thank you, but I did not ask for a location now.")
        )
        return None
    draft.exact_location = (message.location.latitude, message.location.longitude)
    draft.answer(context.t("(exact location shared)"))
    return await _ask_next(update, context, draft)


async def on_attachment(update: Update, context: KawanContext) -> int | None:
    """Photos and documents are kept with the case (their Telegram file ids, not the bytes)."""
    draft, message = views.draft_of(context), update.effective_message
    if draft is None or message is None:
        return None
    found = views.attachment_of(message)
    if found is None:
        await _notice(
            update, context, context.t("Please send a photo or a document, or press Continue.")
        )
        return None
    if len(draft.attachments) >= MAX_ATTACHMENTS:
        await _notice(
            update, context, context.t("That is the maximum number of files. Press Continue.")
        )
        return None
    draft.attachments.append(found)
    if message.caption and draft.current is not None and draft.current.key == "description":
        draft.answer(message.caption)
        views.save_draft(context, draft)
        return await _ask_next(update, context, draft)
    views.save_draft(context, draft)
    if is_repeat_of_album(update, context):
        return None  # one "received" per album: Telegram sends each picture separately
    await _notice(
        update,
        context,
        context.t("Received (%(n)s). Send more, or press Continue.", n=len(draft.attachments)),
    )
    return None


async def on_attachments_done(update: Update, context: KawanContext) -> int:
    """Continue → the consent screen."""
    await answer_query(update)
    draft = views.draft_of(context)
    if draft is None:
        return ConversationHandler.END
    await show(update, context, views.consent_screen(context))
    return CONSENT


async def on_consent(update: Update, context: KawanContext) -> int:
    """I agree → the summary to confirm (or, on the short path, send); else nothing is saved."""
    draft = views.draft_of(context)
    data = update.callback_query.data if update.callback_query is not None else None
    if draft is None or data not in ("i:consent:yes", "i:consent:send"):
        return await views.cancel(update, context)
    if data == "i:consent:send":
        return await on_confirm(update, context)
    await answer_query(update)
    await show(update, context, views.summary_screen(context, draft))
    return CONFIRM


async def on_confirm(update: Update, context: KawanContext) -> int:
    """Send: commit the case, then (only then) show the reference."""
    views.expire_draft(context.user_data)
    draft = views.draft_of(context)
    if update.effective_user is None or update.effective_chat is None:
        return ConversationHandler.END
    if draft is None:
        # Sent already, but the acknowledgement never arrived (a network error): show it again
        # rather than let the citizen send the same request twice.
        recent = await cases.recently_submitted(context.services.repos, update.effective_user.id)
        if recent is None:
            return await views.closed(update, context)
        await answer_query(update)
        phrase = await issue_phrase(context.services, recent.id)  # the old one was never seen
        await show(update, context, views.acknowledgement_screen(context, recent, phrase))
        return ConversationHandler.END
    await answer_query(update)
    services = context.services
    case = await cases.submit(
        services.repos, draft, update.effective_user.id, update.effective_chat.id,
        context.locale, services.settings.officers_chat_id,
    )  # fmt: skip
    if services.dispatcher is not None:
        services.dispatcher.wake()
    views.save_draft(context, None)
    if context.user_data is not None and draft.kind == "offer":
        context.user_data.pop("offer", None)
    phrase = await issue_phrase(services, case.id)
    await show(update, context, views.acknowledgement_screen(context, case, phrase))
    return ConversationHandler.END


def build_conversation() -> ConversationHandler[Any]:
    """The conversation, persistent by name so a restart resumes where the user was."""
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE
    media = private & (filters.PHOTO | filters.Document.ALL) & filters.UpdateType.MESSAGE
    cancel_button: Any = CallbackQueryHandler(views.cancel, pattern=r"^i:cancel:")
    live = views.while_open  # every step but the last checks first that the draft is still open
    handler: ConversationHandler[Any] = ConversationHandler(
        entry_points=[
            CommandHandler(["bantuan", "help"], start_self, filters=private),
            CommandHandler(["keluarga", "family"], start_relative, filters=private),
            CallbackQueryHandler(start_self, pattern=r"^h:self$"),
            CallbackQueryHandler(start_relative, pattern=r"^h:family$"),
            CallbackQueryHandler(start_preset, pattern=r"^(h:urgent|h:ask|o:report|h:followup)$"),
        ],
        states={
            ASKING: [
                cancel_button,
                CallbackQueryHandler(live(on_choice), pattern=r"^i:"),
                MessageHandler(text, live(on_text)),
                MessageHandler(private & filters.LOCATION, live(on_location)),
                MessageHandler(media, live(on_attachment)),
            ],
            ATTACHING: [
                cancel_button,
                CallbackQueryHandler(live(on_attachments_done), pattern=r"^i:attach:done$"),
                MessageHandler(media, live(on_attachment)),
            ],
            CONSENT: [
                cancel_button,
                CallbackQueryHandler(live(on_consent), pattern=r"^i:consent:"),
            ],
            CONFIRM: [cancel_button, CallbackQueryHandler(on_confirm, pattern=r"^i:confirm:yes$")],
        },
        fallbacks=[CommandHandler(["batal", "cancel"], views.cancel)],
        name="intake",
        persistent=True,
        allow_reentry=True,
    )
    return handler


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire the conversation; the registry lists its commands for the command menu."""
    with warnings.catch_warnings():
        # PTB warns that CallbackQueryHandlers are tracked per chat, not per message: intended.
        warnings.filterwarnings("ignore", category=PTBUserWarning)
        app.add_handler(build_conversation())
    app.add_handler(TypeHandler(Update, views.note_moving_on), group=views.WATCH_GROUP)
    registry.describe("bantuan", N_("Ask KBRI for help"), aliases=("help",))
    registry.describe("keluarga", N_("Report a relative in trouble"), aliases=("family",))
    registry.add(app, "batal", views.nothing_to_cancel, N_("Cancel what you are filling in"))

"""/checkin (/aman): opt in to safety check-ins, answer them, stop them; the duress word."""

from __future__ import annotations

import contextlib
import datetime as dt

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.context import KawanContext
from bot.handlers.intake_views import DRAFT_KEY
from bot.handlers.screens import Screen, answer_query, show, stale_button
from bot.safety.checkins import OK_BUTTON, every_label, raise_alert
from bot.safety.phrases import hash_secret_async, matches_async
from bot.storage.checkins import ALERTED, WAITING
from bot.storage.models import NewOutbox
from bot.ui.commands import N_, CommandRegistry

SETUP_KEY = "checkin_setup"  # user_data: the opt-in being filled in (interval, word, step)
CHECKIN_GROUP = -20  # before the relay of follow-ups (-10): a check-in answer is not a message
STOP_WORDS = ("stop", "berhenti", "off")
NOTE_LIMIT = 500


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _ack(context: KawanContext) -> Screen:
    # The one reply to a check-in, the duress word included: a watcher cannot tell them apart.
    return Screen(context.t("✓ Noted. Thank you!"))


async def checkin(update: Update, context: KawanContext) -> None:
    """/checkin [stop]: choose how often, or stop."""
    user, t = update.effective_user, context.t
    if user is None:
        return
    if context.args and context.args[0].lower() in STOP_WORDS:
        await stop(update, context)
        return
    current = await context.services.repos.checkins.get(user.id)
    intervals = context.services.settings.checkin_intervals
    rows = [((every_label(t, m), f"k:every:{m}"),) for m in intervals]
    text = t(
        "Safety check-ins: I send you a short message now and then. If you do not answer, "
        "twice, KBRI's duty officers are alerted and look for you.\n\nHow often?"
    )
    if current is not None:
        text = t("Check-ins are on: %(every)s.", every=every_label(t, current.interval_minutes))
        text += "\n\n" + t("Change how often, or stop them:")
        rows.append(((t("⏹ Stop check-ins"), "k:stop"),))
    await answer_query(update)
    await show(update, context, Screen(text, tuple(rows)))


async def choose_interval(update: Update, context: KawanContext) -> None:
    """k:every:<minutes>: remember the choice, offer the duress word."""
    minutes = int(context.matches[0].group(1)) if context.matches else 0
    if minutes not in context.services.settings.checkin_intervals or context.user_data is None:
        await stale_button(update, context)
        return
    context.user_data[SETUP_KEY] = {"interval": minutes, "step": "word"}
    t = context.t
    await answer_query(update)
    await show(update, context, Screen(t(
        "Optional: a secret word. If someone ever forces you to check in, type this word "
        "instead. You will see the usual reply, but KBRI will know you need help.\n\n"
        "Type your secret word now (I delete your message at once), or skip."
    ), (((t("Skip"), "k:skip"),),)))  # fmt: skip


async def skip(update: Update, context: KawanContext) -> None:
    """k:skip: no duress word, or no note."""
    setup = (context.user_data or {}).get(SETUP_KEY)
    await answer_query(update)
    if not setup:
        await show(update, context, Screen(context.t("Please start again with /checkin.")))
        return
    await _next_step(update, context, setup, None)


async def _next_step(
    update: Update, context: KawanContext, setup: dict[str, object], typed: str | None
) -> None:
    t = context.t
    if setup.get("step") == "word":
        setup.update(step="note", word=await hash_secret_async(typed) if typed else None)
        assert context.user_data is not None
        context.user_data[SETUP_KEY] = setup
        await show(update, context, Screen(t(
            "Optional: if you do not answer, what should the officers know? For example where "
            "you are staying or working, or who to contact. Type it, or skip."
        ), (((t("Skip"), "k:skip"),),)), new=typed is not None)  # fmt: skip
        return
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or context.user_data is None:
        return
    context.user_data.pop(SETUP_KEY, None)
    minutes = int(str(setup["interval"]))
    word = setup.get("word")
    await context.services.repos.checkins.start(
        user.id, chat.id, minutes, str(word) if word else None,
        typed[:NOTE_LIMIT] if typed else None, context.locale, _now(),
    )  # fmt: skip
    text = (
        t("✓ Check-ins are on: %(every)s.", every=every_label(t, minutes))
        + "\n"
        + t("When my message comes, tap the button or write anything. /checkin stop ends them.")
    )
    await show(update, context, Screen(text), new=typed is not None)


async def answer_ok(update: Update, context: KawanContext) -> None:
    """k:ok: "I'm fine": the next period starts now."""
    user = update.effective_user
    await answer_query(update)
    if user is not None:
        await _answered(context, user.id, "ok")
    await show(update, context, _ack(context))


async def stop(update: Update, context: KawanContext) -> None:
    """/checkin stop, k:stop: no more check-ins; the history is deleted."""
    user = update.effective_user
    if user is None:
        return
    await answer_query(update)
    if context.user_data is not None:
        context.user_data.pop(SETUP_KEY, None)
    stopped = await context.services.repos.checkins.stop(user.id)
    t = context.t
    text = t("Check-ins are off.") if stopped else t("Check-ins are not on. /checkin starts them.")
    await show(update, context, Screen(text))


async def _answered(context: KawanContext, user_id: int, kind: str) -> None:
    repos = context.services.repos
    before = await repos.checkins.get(user_id)
    after = await repos.checkins.answered(user_id, kind, _now())
    if after is None or before is None:
        return
    if kind == "duress":
        await raise_alert(context.services, before, duress=True)
    elif before.stage == ALERTED:
        case = await repos.cases.latest_open_for_user(user_id)
        group = context.services.settings.officers_chat_id
        if case is not None and group is not None:
            t = context.services.officers_t
            text = t("✅ %(ref)s answered their safety check-in again.", ref=case.ref)
            await repos.cases.add_event(
                case.id, actor="citizen", actor_id=user_id, kind="checkin_ok",
                notify=[NewOutbox("case_update", group, {"text": text}, case_id=case.id)],
            )  # fmt: skip
            if context.services.dispatcher is not None:
                context.services.dispatcher.wake()


async def on_text(update: Update, context: KawanContext) -> None:
    """Typed text: a setup answer, a check-in answer, or the duress word (stops there)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    setup = (context.user_data or {}).get(SETUP_KEY)
    if setup:
        if setup.get("step") == "word":
            with contextlib.suppress(TelegramError):  # the word must not stay on the screen
                await message.delete()
        await _next_step(update, context, setup, message.text.strip())
        raise ApplicationHandlerStop
    current = await context.services.repos.checkins.get(user.id)
    if current is None:
        return
    if await matches_async(message.text, current.duress_hash):
        await _answered(context, user.id, "duress")
        await show(update, context, _ack(context), new=True)
        raise ApplicationHandlerStop
    if current.stage == WAITING:
        return  # an ordinary message; the features answer it
    await _answered(context, user.id, "ok")
    if context.user_data and context.user_data.get(DRAFT_KEY):
        return  # a help request is being filled in: the text is its answer
    await show(update, context, _ack(context), new=True)
    raise ApplicationHandlerStop


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire /checkin (/aman), its buttons and the typed answers."""
    registry.add(app, "checkin", checkin, N_("Safety check-ins"), aliases=("aman",))
    app.add_handler(CallbackQueryHandler(choose_interval, pattern=r"^k:every:(\d{1,6})$"))
    app.add_handler(CallbackQueryHandler(skip, pattern=r"^k:skip$"))
    app.add_handler(CallbackQueryHandler(stop, pattern=r"^k:stop$"))
    app.add_handler(CallbackQueryHandler(answer_ok, pattern=rf"^{OK_BUTTON}$"))
    private_text = (
        filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    )
    app.add_handler(MessageHandler(private_text, on_text), group=CHECKIN_GROUP)

"""/pulihkan KWN-… PHRASE from a new account, and the officers' confirm or refuse buttons."""

from __future__ import annotations

import contextlib
import datetime as dt

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler

from bot.context import KawanContext
from bot.handlers.officers import citizen_notice, is_authorised
from bot.handlers.screens import Screen, answer_query, show
from bot.safety.recovery import CONFIRM, REFUSE, try_recovery
from bot.storage.models import NewOutbox
from bot.ui.commands import N_, CommandRegistry


async def recover(update: Update, context: KawanContext) -> None:
    """/pulihkan KWN-XXXXXX word word word 12: ask to take a case over from this account."""
    user, chat, message, t = (
        update.effective_user, update.effective_chat, update.effective_message, context.t
    )  # fmt: skip
    if user is None or chat is None:
        return
    args = list(context.args or [])
    if len(args) < 2:
        await show(update, context, Screen(t(
            "Lost your phone? From this account write /pulihkan, your reference and your "
            "recovery phrase, e.g. /pulihkan KWN-7G4K2P mangga kapal biru 47"
        )))  # fmt: skip
        return
    if message is not None:
        with contextlib.suppress(TelegramError):  # the phrase must not stay on the screen
            await message.delete()
    outcome = await try_recovery(context.services, user.id, chat.id, context.locale, args)
    if outcome.kind == "limited":
        text = t("Too many tries from this account. Please wait an hour and try again.")
    else:  # the same words whatever was wrong: a guess learns nothing
        text = t(
            "Thank you. If the reference and the phrase match, an officer will check and "
            "confirm; then your request appears here (/status). If nothing comes within a "
            "day, check both and try again."
        )
    await show(update, context, Screen(text), new=True)


async def decide(update: Update, context: KawanContext) -> None:
    """r:ok:<id> / r:no:<id>: an officer confirms or refuses a take-over."""
    if not await is_authorised(update, context) or update.effective_user is None:
        return
    t, repos = context.services.officers_t, context.services.repos
    data = str(update.callback_query.data if update.callback_query else "")
    approve = data.startswith(CONFIRM)
    request_id = int(context.matches[0].group(1)) if context.matches else 0
    request = await repos.recovery.request(request_id)
    case = await repos.cases.get_by_id(request.case_id) if request is not None else None
    if request is None or case is None or case.erased_at is not None:
        await answer_query(update, t("This case no longer exists."))
        return
    now = dt.datetime.now(dt.UTC)
    if not await repos.recovery.decide(request, update.effective_user.id, approve, now):
        await answer_query(update, t("Already decided."))
        return
    ct = context.services.catalogs.get(request.locale)
    if approve:
        moved = await repos.cases.get_by_id(case.id)
        assert moved is not None
        text = ct("✓ Your request %(ref)s is now linked to this chat. /status shows it.",
                  ref=case.ref)  # fmt: skip
        await repos.outbox.enqueue(citizen_notice(moved, text, ct))
        shown = t("✅ %(ref)s now belongs to the new account; the old one is detached.",
                  ref=case.ref)  # fmt: skip
    else:
        text = ct("We could not confirm your request. If you think this is a mistake, "
                  "write here and tell us.")  # fmt: skip
        await repos.outbox.enqueue(NewOutbox("to_citizen", request.new_chat_id, {"text": text}))
        shown = t("✖ Take-over of %(ref)s refused.", ref=case.ref)
    if context.services.dispatcher is not None:
        context.services.dispatcher.wake()
    await answer_query(update, t("Saved."))
    await show(update, context, Screen(shown))


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire /pulihkan (/recover) and the officers' decision buttons."""
    registry.add(app, "pulihkan", recover, N_("Recover a request from a new account"),
                 aliases=("recover",))  # fmt: skip
    pattern = rf"^(?:{CONFIRM[:-1]}|{REFUSE[:-1]}):(\d{{1,12}})$"
    app.add_handler(CallbackQueryHandler(decide, pattern=pattern))

"""What the help-request conversation shows: consent, summary, acknowledgement."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Message, Update
from telegram.ext import ConversationHandler

from bot.context import KawanContext
from bot.handlers.emergency import first_contacts
from bot.handlers.screens import Screen, answer_query, nav_row, show
from bot.intake.draft import CATEGORY_LABELS, FLOWS, Draft, Step
from bot.intake.expiry import DRAFT_KEY, DRAFT_TTL_SECONDS, expire_draft
from bot.intake.expiry import TOUCHED as _TOUCHED
from bot.intake.hours import clock, hours_value, parse_hours, safe_hours
from bot.intake.presets import written_draft
from bot.queue.notices import is_discreet
from bot.storage.models import Case
from bot.ui import limits
from bot.ui.fit import fit_html, trim

__all__ = ["DRAFT_KEY", "DRAFT_TTL_SECONDS", "draft_of", "expire_draft", "save_draft"]


WATCH_GROUP = -90  # after the pre-processing, before check-ins, follow-ups and the features
LEFT = "intake_left"  # the person moved on from an open form (another command or menu button)
_OWN_COMMANDS = frozenset({"batal", "cancel", "bantuan", "help", "keluarga", "family"})
_OWN_BUTTON = re.compile(r"^(i:|h:(self|family|urgent|ask|followup)$|o:report$)")


async def note_moving_on(update: Update, context: KawanContext) -> None:
    """Another command or another feature's button while a help form is open: the form's
    question is no longer on screen, so the next typed text is not its answer (it is a question,
    an offer, a follow-up) until the person presses one of the form's buttons again.
    """
    user_data = context.user_data
    if user_data is None or DRAFT_KEY not in user_data:
        return
    query, message = update.callback_query, update.effective_message
    if query is not None:
        mine = bool(_OWN_BUTTON.match(query.data or ""))
    elif message is not None and (message.text or "").startswith("/"):
        words = (message.text or "")[1:].split(maxsplit=1)  # "/" alone has no command word
        mine = bool(words) and words[0].split("@")[0].lower() in _OWN_COMMANDS
    else:
        return
    if mine:
        user_data.pop(LEFT, None)
    else:
        user_data[LEFT] = True


def left_the_form(context: KawanContext) -> bool:
    """True once (then forgotten) when the person left the form since its last question."""
    return context.user_data is not None and bool(context.user_data.pop(LEFT, None))


def draft_of(context: KawanContext) -> Draft | None:
    """The help request being filled in, from user_data (persisted)."""
    data = context.user_data.get(DRAFT_KEY) if context.user_data is not None else None
    return Draft.from_dict(data) if isinstance(data, dict) else None


def save_draft(context: KawanContext, draft: Draft | None) -> None:
    """Store the draft in user_data, or forget it (None)."""
    if context.user_data is None:
        return
    if draft is None:
        context.user_data.pop(DRAFT_KEY, None)
    else:
        context.user_data[DRAFT_KEY] = {**draft.to_dict(), _TOUCHED: time.time()}


StepHandler = Callable[[Update, KawanContext], Coroutine[Any, Any, int | None]]


def while_open(callback: StepHandler) -> StepHandler:
    """A step's handler, once the draft is known to be still open (not expired, not erased).

    Expiry is checked here, when the person answers, and by a periodic job that forgets old
    drafts: unlike PTB's conversation_timeout it needs no job per step, survives restarts and
    never messages someone who stopped answering (they may be hiding the phone).
    """

    async def guarded(update: Update, context: KawanContext) -> int | None:
        expire_draft(context.user_data)
        if not isinstance((context.user_data or {}).get(DRAFT_KEY), dict):  # the step reads it
            return await closed(update, context)
        return await callback(update, context)

    return guarded


async def closed(update: Update, context: KawanContext) -> int:
    """The draft expired or was erased: say so, end the conversation."""
    await answer_query(update)
    text = context.t(
        "This help request is no longer open (it closes after %(minutes)s minutes without an "
        "answer). Nothing was saved or sent. Start again with /bantuan whenever you are ready.",
        minutes=DRAFT_TTL_SECONDS // 60,
    )
    await show(update, context, Screen(text, (nav_row(context.t),)))
    return ConversationHandler.END


def blocked_text(context: KawanContext) -> str:
    """What a person barred from new requests reads instead: the emergency number."""
    return context.t(
        "You cannot send new requests at the moment. In an emergency, call %(police)s.",
        police=context.services.content.contact("police").value,
    )


def intro_text(context: KawanContext, draft: Draft) -> str:
    """What the first screen of a request says; a request from written words says it keeps them."""
    t = context.t
    if draft.answers.get("description"):
        return t(
            "I will send what you wrote as your request, after a few short questions. You will "
            "see it before anything is sent. /batal cancels at any time."
        )
    return t(
        "I will ask a few short questions, then send your request to KBRI's duty officers. "
        "Nothing is sent before you confirm. /batal cancels at any time."
    )


def exact_location_screen(context: KawanContext) -> Screen:
    """How to share an exact location, and why it may be wiser not to."""
    text = context.t(
        "Send your location with the 📎 button → Location. Careful: a shared location stays "
        "visible in this chat on your phone until you delete it with /hapus. You can also just "
        "type a city or landmark instead."
    )
    return Screen(text, ((("✖️ " + context.t("Cancel"), "i:cancel:x"),),))


def step_screen(context: KawanContext, draft: Draft, step: Step) -> Screen:
    """The question of one step, with its choices as buttons and Cancel."""
    t = context.t
    number = t("Question %(n)s", n=draft.asked + 1)
    text = f"<i>{number}</i>\n{t(step.prompt)}"
    rows = [((t(c.label), f"i:{step.key}:{c.value}"),) for c in step.choices]
    if step.skippable:
        rows.append(((t("Skip"), f"i:{step.key}:-"),))
    rows.append(((t("✖️ Cancel"), "i:cancel:x"),))
    return Screen(text, tuple(rows))


def hours_screen(context: KawanContext, draft: Draft, typed: str) -> Screen:
    """Typed safe hours read back in words to confirm, or the question again with an example."""
    t = context.t
    hours = parse_hours(typed)
    step = draft.current
    if hours is None or step is None:
        again = step_screen(context, draft, step) if step else Screen("")
        hint = t(
            "I could not read those hours. Type them like 22-02, 23.00-01.30 or 10pm-2am, "
            "or choose a button."
        )
        return Screen(f"{hint}\n\n{again.text}", again.rows)
    text = t(
        "Safe hours: %(start)s to %(end)s, Cambodia time.",
        start=clock(hours[0]),
        end=clock(hours[1]),
    )
    if hours[0] > hours[1]:
        text += " " + t("That crosses midnight.")
    rows = (
        ((t("✅ Yes, that is right"), f"i:safe_hours:{hours_value(hours)}"),),
        ((t("✏️ Type again"), "i:safe_hours:?"),),
        ((t("✖️ Cancel"), "i:cancel:x"),),
    )
    return Screen(f"{text}\n{t('Is that right?')}", rows)


def preset_draft(context: KawanContext, button: str) -> Draft | None:
    """The draft behind h:urgent, h:ask, o:report or h:followup, from what the session kept.

    Each starts from words the person already wrote: they become the description (shown on
    the review screen), and what they already say (the area, the topic) is not asked again.
    """
    data = context.user_data if context.user_data is not None else {}
    if button == "h:urgent" and isinstance(saved := data.pop("urgent", None), dict):
        text = str(saved.get("text") or "")
        return written_draft(text, danger_kind=str(saved.get("kind")))
    if button in ("h:ask", "h:followup"):
        saved = data.pop("asked" if button == "h:ask" else "follow_up", None)
        text = str(saved.get("text") or "") if isinstance(saved, dict) else ""
        return written_draft(text, topics=_topics(context, text)) if text else None
    if button == "o:report" and isinstance(offer := data.get("offer"), str) and offer:
        return Draft(kind="offer", answers={"category": "job", "description": offer})
    return None


def _topics(context: KawanContext, text: str) -> list[str]:
    """Topics the guides recognise with confidence in `text` (to skip "what happened?")."""
    search = context.services.search
    if search is None:
        return []
    return [a.topic for a in search.ask(text, locale="auto", limit=2) if a.confident]


def attachment_of(message: Message) -> tuple[str, str] | None:
    """(kind, file_id) of a photo or document; None for anything else."""
    if message.photo:
        return "photo", message.photo[-1].file_id
    if message.document is not None:
        return "document", message.document.file_id
    return None


def reads_as_danger(context: KawanContext, text: str) -> bool:
    """The description itself says the writer is in danger (a held, beaten, sold person…)."""
    detector = context.services.danger
    return detector is not None and detector.check(text) is not None


def consent_screen(context: KawanContext) -> Screen:
    """What is stored, why, for how long, who sees it, and the right to delete (UU 27/2022)."""
    t = context.t
    text = context.services.renderer.render(
        "consent.html.j2", t, retention_days=context.services.settings.retention_days
    )
    rows = (
        ((t("✅ I agree, continue"), "i:consent:yes"),),
        ((t("✖️ I do not agree (nothing is sent)"), "i:consent:no"),),
    )
    return Screen(text, rows)


def short_consent_screen(context: KawanContext, draft: Draft) -> Screen:
    """The not-safe path's consent: two lines, /privasi for the full text; agreeing sends."""
    t = context.t
    line = draft.answers.get("description", "-")
    text = context.services.renderer.render(
        "consent_short.html.j2", t, retention_days=context.services.settings.retention_days,
        line="" if line == "-" else line, area=draft.answers.get("location", "-").strip("-"),
    )  # fmt: skip
    rows = (((t("✅ I agree, send"), "i:consent:send"),), ((t("✖️ Cancel"), "i:cancel:x"),))
    return Screen(text, rows)


def summary_screen(context: KawanContext, draft: Draft) -> Screen:
    """Everything the officers will see, to confirm before sending."""
    t = context.t
    answers: list[dict[str, Any]] = []
    seen: set[str] = set()
    # Every question any flow asks, in order: presets (an urgent message, a checked offer) too.
    relative_first = draft.kind == "relative"
    order = (
        (*FLOWS["relative"], *FLOWS["self"])
        if relative_first
        else (*FLOWS["self"], *FLOWS["relative"])
    )
    for step in order:
        if step.key not in draft.answers or step.key in seen:
            continue
        seen.add(step.key)
        value = draft.answers[step.key]
        labels = {c.value: t(c.label) for c in step.choices}
        if step.key == "safe_hours" and (hours := safe_hours(value)) is not None:
            labels[value] = f"{clock(hours[0])}–{clock(hours[1])}"
        answer = trim(str(labels.get(value, value)), limits.CARD_FIELD)  # the card has it all
        answers.append({"question": t(step.label or step.prompt), "answer": answer})
    text = context.services.renderer.render(
        "intake_summary.html.j2", t, answers=answers, attachments=len(draft.attachments),
        urgent=draft.urgent, exact=draft.exact_location is not None,
    )  # fmt: skip
    rows = (((t("📨 Send to KBRI"), "i:confirm:yes"),), ((t("✖️ Cancel"), "i:cancel:x"),))
    return Screen(fit_html(text), rows)


def acknowledgement_screen(context: KawanContext, case: Case, phrase: str | None = None) -> Screen:
    """Shown only after the case is committed: reference, recovery phrase, what happens next."""
    t = context.t
    text = context.services.renderer.render(
        "case_ack.html.j2", t, ref=case.ref, urgent=case.urgent, phrase=phrase,
        category=t(CATEGORY_LABELS.get(case.category, case.category)),
        never_first=case.contact_policy == "never_first", sealed=is_discreet(case),
        first=first_contacts(context.services.content, t.locale),
    )  # fmt: skip
    rows = (((t("📋 My requests"), "h:status"), (t("🧹 Erase this chat"), "p:wipe")), nav_row(t))
    return Screen(text, rows)


async def cancel(update: Update, context: KawanContext) -> int:
    """/batal or Cancel: forget the draft; nothing was saved or sent."""
    await answer_query(update)
    save_draft(context, None)
    text = context.t("Cancelled. Nothing was saved or sent. /menu opens the menu.")
    await show(update, context, Screen(text))
    return ConversationHandler.END


async def nothing_to_cancel(update: Update, context: KawanContext) -> None:
    """/batal outside a conversation."""
    await show(
        update, context, Screen(context.t("There is nothing to cancel. /menu opens the menu."))
    )

"""Referrals by name: "Refer" offers the agencies in content/contacts.yaml, or /rujuk NAME."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.content import Contact
from bot.context import KawanContext
from bot.handlers.officers import (
    _citizen_t,
    _officer_id,
    _saved,
    case_button,
    case_of_message,
    citizen_notice,
    is_authorised,
)
from bot.handlers.screens import Screen, answer_query, show
from bot.queue.agencies import (
    AGENCY_KEY_CHARS,
    TYPED_NAME_CHARS,
    agency,
    agency_label,
    find_agency,
    referral_agencies,
)
from bot.queue.notices import gives_away, sealed_row
from bot.storage.models import Case, NewOutbox
from bot.storage.refs import normalise_ref
from bot.ui.commands import N_, CommandRegistry
from bot.ui.i18n import Translator


def referral_text(ct: Translator, case: Case, name: str, next_text: str | None) -> str:
    """What the citizen reads: to whom their request went and what happens next (HTML)."""
    first = ct("Your request %(ref)s has been passed on to %(agency)s.",
               ref=case.ref, agency=html.escape(name))  # fmt: skip
    after = next_text or ct(
        "They may contact you about the next steps. We keep following your request; "
        "you can keep writing here."
    )
    return f"{first}\n\n{html.escape(after)}"


def _notice(context: KawanContext, case: Case, key: str, found: Contact | None) -> NewOutbox:
    ct = _citizen_t(context, case)
    name = agency_label(context.services.content, key, ct.locale) or key
    referral = found.referral if found is not None else None
    next_text = referral.next.get(ct.locale) if referral and referral.next else None
    text = referral_text(ct, case, name, next_text)
    notice = citizen_notice(case, text, ct)
    # A typed name ("KBRI Bangkok") would reach the lock screen: seal it.
    return sealed_row(ct, notice) if gives_away(text) else notice


@case_button()
async def choose_referral(update: Update, context: KawanContext, case: Case) -> None:
    """c:ref: the agencies that take referrals, and "other (type the name)"."""
    t = context.services.officers_t
    await answer_query(update)
    content = context.services.content
    rows = [
        ((agency_label(content, c.id, t.locale) or c.id, f"c:refto:{case.id}:{c.id}"),)
        for c in referral_agencies(content)
    ]
    rows += [
        ((t("✏️ Other (type the name)"), f"c:refother:{case.id}"),),
        ((t("⬅️ Back"), f"c:card:{case.id}"),),
    ]
    await show(update, context, Screen(t("Refer %(ref)s to:", ref=case.ref), tuple(rows)))


@case_button()
async def refer(update: Update, context: KawanContext, case: Case) -> None:
    """c:refto:<agency>: refer the case; the citizen is told to whom, and what happens next."""
    assert context.matches, "the pattern names the agency"
    found = agency(context.services.content, context.matches[0].group(2))
    if found is None or case.chat_id is None:
        await answer_query(update, context.t("This case no longer exists."))
        return
    updated = await context.services.repos.cases.refer(
        case.id, _officer_id(update), found.id, notify=[_notice(context, case, found.id, found)]
    )
    await _saved(update, context, updated)


@case_button()
async def refer_other(update: Update, context: KawanContext, case: Case) -> None:
    """c:refother: how to name an agency that is not in the list."""
    t = context.services.officers_t
    await answer_query(update)
    text = t(
        "Type the agency's name: /rujuk NAME in this case's topic (or as a reply to its card), "
        "or /rujuk %(ref)s NAME anywhere in this group.", ref=case.ref
    )  # fmt: skip
    await show(update, context, Screen(text, (((t("⬅️ Back"), f"c:ref:{case.id}"),),)))


async def refer_command(update: Update, context: KawanContext) -> None:
    """/rujuk NAME (in the case's topic) or /rujuk KWN-XXXXXX NAME: refer to a named agency."""
    message, user = update.effective_message, update.effective_user
    if not await is_authorised(update, context) or message is None or user is None:
        return
    t, repos = context.services.officers_t, context.services.repos
    args = list(context.args or [])
    case = await case_of_message(context, message)
    if case is None and args and (ref := normalise_ref(args[0])):
        case, args = await repos.cases.get_by_ref(ref), args[1:]
    typed = " ".join(args).strip()[:TYPED_NAME_CHARS]
    if case is None or not typed:
        await show(update, context, Screen(t(
            "Usage: /rujuk NAME in a case's topic, or /rujuk KWN-XXXXXX NAME."
        )))  # fmt: skip
        return
    if not case.is_open or case.chat_id is None or case.erased_at is not None:
        await show(update, context, Screen(t("This case is closed.")))
        return
    found = find_agency(context.services.content, typed)
    key = found.id if found is not None else typed
    updated = await repos.cases.refer(
        case.id, user.id, key, notify=[_notice(context, case, key, found)]
    )
    if context.services.dispatcher is not None:
        context.services.dispatcher.wake()
    name = agency_label(context.services.content, key, t.locale) or key
    text = (t("%(ref)s is referred to %(agency)s; the citizen will be told.",
              ref=case.ref, agency=html.escape(name)) if updated is not None
            else t("This case is closed."))  # fmt: skip
    await show(update, context, Screen(text))


_ID = r"(\d{1,12})"
BUTTONS = (
    (rf"^c:ref:{_ID}$", choose_referral),
    (rf"^c:refto:{_ID}:([a-z0-9_]{{1,{AGENCY_KEY_CHARS}}})$", refer),
    (rf"^c:refother:{_ID}$", refer_other),
)


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire the referral buttons (before officers.py's catch-all) and /rujuk."""
    for pattern, callback in BUTTONS:
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    registry.add(
        app, "rujuk", refer_command, N_("Refer a case: /rujuk NAME in its topic"),
        audience="officer", aliases=("refer",),
        handler=CommandHandler(
            ["rujuk", "refer"], refer_command,
            filters=filters.ChatType.GROUPS & filters.UpdateType.MESSAGE,
        ),
    )  # fmt: skip

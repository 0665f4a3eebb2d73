"""Free text is a question: answer it from the guides, and notice at once when it says danger."""

from __future__ import annotations

import re
from dataclasses import replace

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import KawanContext
from bot.handlers.answer_view import (
    URGENT,
    Pick,
    answer_button,
    answer_screen,
    fitting_section,
    holding_section,
)
from bot.handlers.emergency import emergency_screen
from bot.handlers.offers import MAX_OFFER, verdict_screen
from bot.handlers.screens import Screen, answer_query, nav_row, rendered_once, show, stale_button
from bot.offers.check import OfferVerdict
from bot.runtime.ratelimit import Priority, raise_priority
from bot.ui.commands import CommandRegistry
from bot.understanding.danger import DangerHit
from bot.understanding.estimates import parse_duration
from bot.understanding.search import Answer

_ANSWER = re.compile(r"^a:(id|en):([a-z0-9-]{1,40}):(\d{1,2}|-)$")
MAX_QUESTION = 1000  # longer texts are searched by their beginning
FINE_TIE = 0.02  # scores this close are a tie between the fine's guide and another
FAMILY_MARGIN = 1.5  # a relative's message gets "how to report" unless another part fits far better


def not_sure_screen(context: KawanContext, answers: list[Answer], locale: str) -> Screen:
    """Low confidence: say so, show the closest topics, offer to ask KBRI."""
    t = context.t
    text = rendered_once(
        context,
        ("not_sure", t.locale),
        lambda: context.services.renderer.render("not_sure.html.j2", t),
    )
    buttons = [b for a in answers if (b := answer_button(context, a, locale)) is not None][:3]
    rows: list[tuple[tuple[str, str], ...]] = [(b,) for b in buttons]
    rows.append(((t("✍️ Ask KBRI"), "h:ask"),))
    rows.append(nav_row(t))
    return Screen(text, tuple(rows))


def pick_answer(
    context: KawanContext, text: str, locale: str, danger: DangerHit | None = None
) -> Pick | None:
    """What answers the question: a relative's report, the kind of fact asked for, the search."""
    search = context.services.search
    if search is None:
        return None
    asks = search.asks
    answers = search.ask(text, locale=locale, limit=3)
    urgent = danger is not None
    if asks is not None and danger is not None:
        special = asks.for_danger(danger.kind, locale)
        if special is not None and special.guide:
            section = fitting_section(context, locale, special.guide, None, text, special.headings)
            return Pick(special.guide, section, urgent=True, question=text)
    if asks is not None and asks.family_guide and asks.about_relative(text, locale):
        guide = asks.family_guide
        # How to report, unless the search found a section that answers it clearly better.
        found = next((a.section_index for a in answers if a.guide_id == guide), None)
        headings = asks.family_headings(locale)
        part = fitting_section(context, locale, guide, None, text, headings)
        scores = search.section_scores(text, locale, guide)
        if scores.get(found, 0.0) > FAMILY_MARGIN * scores.get(part, 0.0):
            part = found
        others = tuple(a for a in answers if a.guide_id != guide)
        return Pick(guide, part, others, family=not urgent, urgent=urgent, question=text)
    ask = asks.ask(text, locale) if asks is not None else None
    if ask is not None and ask.guide:
        # The search's other guesses for such a question are rarely related: none are offered.
        section = fitting_section(context, locale, ask.guide, None, text, ask.headings)
        return Pick(ask.guide, section, (), ask.contacts, urgent=urgent, question=text)
    answers = _fine_first(context, text, answers)
    if not answers or not answers[0].confident:
        if ask is None or not ask.fallback:
            return None
        # "nomor kemlu pusat brp": unsure of the topic, sure of the kind of fact asked for.
        section = fitting_section(context, locale, ask.fallback, None, text, ask.headings)
        return Pick(ask.fallback, section, (), ask.contacts, urgent=urgent, question=text)
    best = answers[0]
    headings = ask.headings if ask is not None else ()
    section = fitting_section(context, locale, best.guide_id, best.section_index, text, headings)
    lead = ask.contacts if ask is not None else ()
    if lead:  # the section that holds the number asked for, when the guide has one
        values = [c.value for c in context.services.content.contacts if c.id in lead]
        held = holding_section(context, locale, best.guide_id, values, headings)
        section = section if held is None else held
    return Pick(best.guide_id, section, tuple(answers[1:]), lead, urgent=urgent, question=text)


def _fine_first(context: KawanContext, text: str, answers: list[Answer]) -> list[Answer]:
    """ "overstayed three weeks, how much?": a named duration makes the fine's guide answer.

    When the question names a duration and the fine's guide leads or ties the best guess
    ("overstay setahun, bakal dipenjara?" scores deportation as high), the estimate
    (answer_view) is the most concrete fact to give, so that guide answers, sure of itself:
    the search alone is unsure of such short questions.
    """
    rate = context.services.fine_rate
    if rate is None or not answers or parse_duration(text) is None:
        return answers
    fine = next((a for a in answers if a.topic == rate.topic), None)
    if fine is None or fine.score < answers[0].score - FINE_TIE:
        return answers
    return [replace(fine, confident=True), *(a for a in answers if a is not fine)]


async def on_question(update: Update, context: KawanContext) -> None:
    """Danger first (emergency screen and an urgent request), then the best answer."""
    message = update.effective_message
    if message is None or not message.text:
        return
    text = message.text[:MAX_QUESTION]
    services = context.services
    if context.user_data is not None:  # "Ask KBRI" (h:ask) carries these words into a request
        context.user_data["asked"] = {"text": text}
    # A forwarded text is often a job ad someone received: check it like /cek would.
    offer, offers = message.text[:MAX_OFFER], services.offers
    if offers is not None and message.forward_origin is not None:
        verdict = offers.check(offer)
        if verdict.risk != "low":
            await _show_verdict(update, context, offer, verdict)
            return
    hit = services.danger.check(text) if services.danger is not None else None
    # An ad pasted without /cek (long, worded like an ad, several signs at once) gets a verdict;
    # a danger message never does: the emergency screen comes first.
    ad = offers.as_ad(offer) if hit is None and offers is not None else None
    if ad is not None:
        await _show_verdict(update, context, offer, ad)
        return
    if hit is not None:
        raise_priority(Priority.DANGER)  # the emergency screen goes before everything else
        if context.user_data is not None:  # kept for the one-tap urgent request below
            context.user_data["urgent"] = {"text": text, "kind": hit.kind}
        screen = emergency_screen(context.t, context)
        urgent = ((context.t("🚨 Send an urgent request to KBRI now"), URGENT),)
        await show(update, context, Screen(screen.text, (urgent, *screen.rows)))
    if services.search is None:
        return
    # Answer in the language of the question: an English question gets the English guide.
    locale = services.search.detect_locale(text)
    pick = pick_answer(context, text, locale, hit)
    answer = answer_screen(context, locale, pick) if pick is not None else None
    if answer is not None:
        await show(update, context, answer)
    elif hit is None:
        answers = services.search.ask(text, locale=locale, limit=3)
        await show(update, context, not_sure_screen(context, answers, locale))


async def _show_verdict(
    update: Update, context: KawanContext, offer: str, verdict: OfferVerdict
) -> None:
    """The offer's verdict, the offer kept for "send this offer to KBRI" (o:report)."""
    if context.user_data is not None:
        context.user_data["offer"] = offer
    await show(update, context, verdict_screen(context, verdict))


async def on_answer_button(update: Update, context: KawanContext) -> None:
    """a:<guide>:<section>: show that section as an answer."""
    match = _ANSWER.match(str(update.callback_query.data if update.callback_query else ""))
    screen = None
    if match is not None:
        section = None if match.group(3) == "-" else int(match.group(3))
        screen = answer_screen(context, match.group(1), Pick(match.group(2), section))
    if screen is None:
        await stale_button(update, context)
        return
    await answer_query(update)
    await show(update, context, screen)


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire free-text questions (before the fallbacks) and the answer buttons."""
    text = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(text, on_question))
    app.add_handler(CallbackQueryHandler(on_answer_button, pattern=r"^a:"))

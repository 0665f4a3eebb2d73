"""Free text is a question: answer it from the guides, and notice at once when it says danger."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import KawanContext
from bot.handlers.emergency import emergency_screen
from bot.handlers.offers import verdict_screen
from bot.handlers.screens import (
    Button,
    Screen,
    answer_query,
    nav_row,
    rendered_once,
    show,
    stale_button,
)
from bot.ui.commands import CommandRegistry
from bot.understanding.search import Answer

_ANSWER = re.compile(r"^a:(id|en):([a-z0-9-]{1,40}):(\d{1,2}|-)$")
MAX_QUESTION = 1000  # longer texts are searched by their beginning


def _answer_button(context: KawanContext, answer: Answer, locale: str) -> Button | None:
    guide = context.services.content.guide(locale, answer.guide_id)
    if guide is None:
        return None
    label = guide.title
    section = answer.section_index
    if section is not None and section < len(guide.sections):
        label = guide.sections[section].heading
    return (f"➡️ {label}"[:60], f"a:{locale}:{guide.id}:{'-' if section is None else section}")


def answer_screen(
    context: KawanContext,
    locale: str,
    guide_id: str,
    section: int | None,
    others: list[Answer],
    question: str = "",
) -> Screen | None:
    """One guide section (in the question's language) with the next candidates and the guide."""
    t = context.t
    guide = context.services.content.guide(locale, guide_id)
    if guide is None:
        return None
    part = (
        guide.sections[section] if section is not None and section < len(guide.sections) else None
    )
    estimate = _estimate(context, guide.topic, question)

    def render() -> str:
        return context.services.renderer.render(
            "answer.html.j2", t, guide=guide, section=part, estimate=estimate
        )

    # Without an estimate the answer depends only on the content and the two languages.
    key = ("answer", t.locale, locale, guide.id, str(section))
    text = render() if estimate is not None else rendered_once(context, key, render)
    buttons = [b for a in others if (b := _answer_button(context, a, locale)) is not None][:2]
    rows: list[tuple[Button, ...]] = [(b,) for b in buttons]
    rows.append(((t("📖 The whole guide"), f"g:{guide.id}:0"),))
    rows.append(((t("✍️ Ask KBRI"), "h:ask"), (t("🏠 Home"), "m:home")))
    return Screen(text[:4096], tuple(rows))


def _estimate(context: KawanContext, topic: str, question: str) -> dict[str, object] | None:
    """'brp denda overstay 2 bulan': the fine for that many days, at the sourced daily rate."""
    rate = context.services.fine_rate
    if rate is None or topic != rate.topic or not question:
        return None
    found = rate.estimate(question)
    if found is None:
        return None
    days, total = found
    return {"days": days, "total": total, "per_day": rate.per_day, "currency": rate.currency}


def not_sure_screen(context: KawanContext, answers: list[Answer], locale: str) -> Screen:
    """Low confidence: say so, show the closest topics, offer to ask KBRI."""
    t = context.t
    text = rendered_once(
        context,
        ("not_sure", t.locale),
        lambda: context.services.renderer.render("not_sure.html.j2", t),
    )
    buttons = [b for a in answers if (b := _answer_button(context, a, locale)) is not None][:3]
    rows: list[tuple[Button, ...]] = [(b,) for b in buttons]
    rows.append(((t("✍️ Ask KBRI"), "h:ask"),))
    rows.append(nav_row(t))
    return Screen(text, tuple(rows))


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
    forwarded = message.forward_origin is not None and services.offers is not None
    if forwarded and services.offers and services.offers.check(message.text).risk != "low":
        if context.user_data is not None:
            context.user_data["offer"] = message.text[:5000]
        await show(update, context, verdict_screen(context, message.text[:5000]))
        return
    hit = services.danger.check(text) if services.danger is not None else None
    if hit is not None:
        if context.user_data is not None:  # kept for the one-tap urgent request below
            context.user_data["urgent"] = {"text": text, "kind": hit.kind}
        screen = emergency_screen(context.t, context)
        urgent = ((context.t("🚨 Send an urgent request to KBRI now"), "h:urgent"),)
        await show(update, context, Screen(screen.text, (urgent, *screen.rows)))
    if services.search is None:
        return
    # Answer in the language of the question: an English question gets the English guide.
    locale = services.search.detect_locale(text)
    answers = services.search.ask(text, locale=locale, limit=3)
    if answers and answers[0].confident:
        best = answers[0]
        screen_or_none = answer_screen(
            context, locale, best.guide_id, best.section_index, answers[1:], question=text
        )
        if screen_or_none is not None:
            await show(update, context, screen_or_none)
            return
    if hit is None:
        await show(update, context, not_sure_screen(context, answers, locale))


async def on_answer_button(update: Update, context: KawanContext) -> None:
    """a:<guide>:<section>: show that section as an answer."""
    match = _ANSWER.match(str(update.callback_query.data if update.callback_query else ""))
    screen = None
    if match is not None:
        section = None if match.group(3) == "-" else int(match.group(3))
        screen = answer_screen(context, match.group(1), match.group(2), section, [])
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

"""/cek: "Is this job offer a scam?": paste or forward an offer, get a verdict with reasons."""

from __future__ import annotations

import warnings

from telegram import Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.context import KawanContext
from bot.handlers.screens import Screen, answer_query, nav_row, show
from bot.offers.check import OfferVerdict
from bot.ui import limits
from bot.ui.commands import N_, CommandRegistry
from bot.ui.fit import fit_html, trim
from bot.ui.render import render_mapping

WAITING = 0
MAX_OFFER = 5000  # characters read from one offer (ads are short; a whole chat log is not)
TIMEOUT_SECONDS = 15 * 60


def offer_text(message: Message) -> str:
    """The offer's words: the text, or the caption of a photo/document (forwards keep theirs)."""
    return (message.text or message.caption or "").strip()[:MAX_OFFER]


def verdict_screen(context: KawanContext, verdict: OfferVerdict) -> Screen:
    """Risk, each red flag quoting the words that triggered it, and what to do next."""
    t = context.t
    flags = [
        {
            "title": render_mapping(hit.flag.title, t.locale),
            "explanation": render_mapping(hit.flag.explanation, t.locale),
            "quote": trim(" ".join(hit.quote.split()), limits.CARD_FIELD),
        }
        for hit in verdict.hits[:8]
    ]
    signals = [render_mapping(s.flag.title, t.locale) for s in verdict.signals[:4]]
    body = context.services.renderer.render(
        "offer_verdict.html.j2",
        t,
        risk=verdict.risk,
        flags=flags,
        signals=signals,
        destination=verdict.destination(),
    )
    rows = (
        ((t("📨 Send this offer to KBRI as a report"), "o:report"),),
        ((t("⚠️ Warning signs of fake jobs"), "g:tanda-bahaya-kerja:0"),),
        ((t("⚖️ Is working in Cambodia legal?"), "g:legalitas-tawaran-kerja:0"),),
        ((t("🔎 Check another offer"), "o:start"),),
        nav_row(t),
    )
    return Screen(fit_html(body), rows)


async def start(update: Update, context: KawanContext) -> int | None:
    """/cek [text] or the menu button: ask for the offer (or check the text given at once)."""
    await answer_query(update)
    t = context.t
    if context.args:
        return await _check(update, context, " ".join(context.args))
    text = t(
        "Paste the job offer here, or forward the message you received (a photo or document "
        "with a caption works too). I will look for the warning signs."
    )
    await show(update, context, Screen(text, (((t("✖️ Cancel"), "o:cancel"),),)), new=True)
    return WAITING


async def on_offer(update: Update, context: KawanContext) -> int | None:
    """The offer arrived: check it."""
    message = update.effective_message
    text = offer_text(message) if message is not None else ""
    if not text:
        await show(update, context, Screen(context.t(
            "I cannot read pictures or voice notes. Please paste the offer's text, or send the "
            "picture again with the text as its caption."
        ), (((context.t("✖️ Cancel"), "o:cancel"),),)))  # fmt: skip
        return WAITING
    return await _check(update, context, text)


async def _check(update: Update, context: KawanContext, text: str) -> int:
    if context.user_data is not None:  # kept only until the user sends it to KBRI or moves on
        context.user_data["offer"] = text
    checker = context.services.offers
    assert checker is not None
    await show(update, context, verdict_screen(context, checker.check(text)), new=True)
    return ConversationHandler.END


async def cancel(update: Update, context: KawanContext) -> int:
    """Cancel waiting for an offer."""
    await answer_query(update)
    await show(
        update,
        context,
        Screen(context.t("Cancelled. /menu opens the menu."), (nav_row(context.t),)),
    )
    return ConversationHandler.END


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire /cek and the menu button."""
    private = filters.ChatType.PRIVATE
    incoming = private & filters.UpdateType.MESSAGE & ~filters.COMMAND
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PTBUserWarning)  # per-chat tracking intended
        conversation = ConversationHandler(
            entry_points=[
                CommandHandler(["cek", "check"], start, filters=private),
                CallbackQueryHandler(start, pattern=r"^o:start$"),
            ],
            states={WAITING: [MessageHandler(incoming, on_offer)]},
            fallbacks=[
                CommandHandler(["batal", "cancel"], cancel),
                CallbackQueryHandler(cancel, pattern=r"^o:cancel$"),
            ],
            name="offer",
            persistent=True,
            conversation_timeout=TIMEOUT_SECONDS,
            allow_reentry=True,
        )
    app.add_handler(conversation)
    registry.describe("cek", N_("Check a job offer"), aliases=("check",))

"""Messages around a case that are not for the officers: thanks after it closed, and questions.

The rules (bot/handlers/citizen.py applies them before relaying anything):
- After a case closed (14 days), thanks and short replies ("makasih pak, sy sdh dpt SPLP",
  "ok"; ≤ 80 characters, no "tapi", "masih", "tolong", "?"…) get a warm acknowledgement and
  stop there; a new request is offered as a second choice, with Yes and No. A longer message
  is asked about (a new request linked to the closed one, Yes or No) and still goes on to the
  guides. Danger words skip both: the urgent path takes them.
- While a case is open, a message is answered by the guides instead of relayed when it reads as
  a question (a "?" or a question word first), is short (≤ 200 characters), names no reference,
  the officers are not waiting for an answer from the person (status "menunggu"), carries no
  danger, and the guides answer it with confidence. "✍️ Ask KBRI" under the answer (h:ask)
  then adds it to the open case in one tap.
"""

from __future__ import annotations

import datetime as dt
import re

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import KawanContext
from bot.handlers.screens import Screen, answer_query, nav_row, show
from bot.storage.models import Case

FOLLOW_UP_WINDOW = dt.timedelta(days=14)
MAX_QUESTION = 200
# Matching data (not UI text): how people say thanks, and how questions start, in both languages.
_THANKS = re.compile(
    r"\b(makasih|terima ?kasih|trima ?kasih|trimakasih|terimakasih|mksh|makasi|trims|thx|"
    r"thanks?|thank you|tq|tengkyu|alhamdulillah|syukur)\b"
)
_MORE = re.compile(r"\b(tapi|namun|but|masih|lagi|tolong|help|bantu|belum|still)\b|\?")
_SHORT_REPLY = re.compile(r"^(ok|oke|okay|okey|baik|siap|iya|ya|sip|noted|mantap)\b")
_QUESTION_START = re.compile(
    r"^(berapa|brp|bagaimana|bgmn|gimana|gmn|apa|apakah|apkh|kapan|kpn|dimana|di mana|mana|"
    r"bisakah|bolehkah|bisa|boleh|perlu|harus|haruskah|siapa|kenapa|mengapa|how|what|when|"
    r"where|which|who|can|could|is|are|do|does|should|must)\b"
)


def is_thanks(text: str) -> bool:
    """Thanks or a short acknowledgement, not a new problem."""
    lowered = text.strip().lower()
    if len(lowered) > 80 or _MORE.search(lowered):
        return False
    return bool(_THANKS.search(lowered)) or (
        len(lowered.split()) <= 3 and bool(_SHORT_REPLY.match(lowered))
    )


def reads_as_question(text: str) -> bool:
    """A "?" or a question word first."""
    lowered = text.strip().lower()
    return "?" in lowered or bool(_QUESTION_START.match(lowered))


def answered_by_guides(context: KawanContext, case: Case, text: str) -> bool:
    """A question the guides answer with confidence, not words meant for the officers."""
    search = context.services.search
    if search is None or case.status == "menunggu" or len(text) > MAX_QUESTION:
        return False
    if case.ref in text.upper() or not reads_as_question(text):
        return False
    if context.services.danger is not None and context.services.danger.check(text) is not None:
        return False
    answers = search.ask(text, locale="auto", limit=1)
    return bool(answers) and answers[0].confident


async def after_close(update: Update, context: KawanContext, closed: Case) -> None:
    """A message after the last request closed: never reopen it silently (see the rules)."""
    message = update.effective_message
    if message is None or closed.closed_at is None:
        return
    if dt.datetime.now(dt.UTC) - closed.closed_at > FOLLOW_UP_WINDOW:
        return
    text = message.text or message.caption or ""
    detector = context.services.danger
    if text and detector is not None and detector.check(text) is not None:
        return  # the emergency screen and its urgent request come next
    if context.user_data is not None and text:
        context.user_data["follow_up"] = {"text": text[:2000], "case": closed.id}
    t = context.t
    rows = (
        ((t("📨 Yes, send a new request"), "h:followup"),),
        ((t("No, thank you"), "h:nofollow"),),
    )
    if text and is_thanks(text):
        body = t(
            "You're welcome, and thank you for letting us know. Take care. If you ever need help "
            "again, just write here."
        )
        more = t("Is there something new you need help with?")
        await show(update, context, Screen(f"{body}\n\n<i>{more}</i>", rows), new=True)
        raise ApplicationHandlerStop
    text = t(
        "Your request %(ref)s is closed. Do you want to send this message as a new request, "
        "linked to %(ref)s?",
        ref=closed.ref,
    )
    await show(update, context, Screen(text, rows), new=True)


async def on_no_follow_up(update: Update, context: KawanContext) -> None:
    """h:nofollow: nothing is sent; the offer is forgotten."""
    await answer_query(update)
    if context.user_data is not None:
        context.user_data.pop("follow_up", None)
    t = context.t
    await show(update, context, Screen(t("All right, nothing was sent."), (nav_row(t),)))

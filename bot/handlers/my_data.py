"""/datasaya in words: what Kawan stores, labelled in the reader's language; JSON on request."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from bot.context import KawanContext
from bot.handlers.citizen import CITIZEN_STATUS
from bot.handlers.screens import answer_query
from bot.intake.draft import CATEGORY_LABELS, CONTACT, REL_RELATIONSHIP
from bot.intake.hours import clock
from bot.ui.commands import N_
from bot.ui.i18n import Translator
from bot.ui.render import split_html

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
ACTORS = {"citizen": N_("You"), "officer": "KBRI", "system": "Kawan"}
Row = tuple[str, str]  # (label, value), both already in the reader's language


def _moment(t: Translator, value: Any) -> str:
    """A stored timestamp, in Phnom Penh time and the reader's words."""
    if isinstance(value, dt.datetime):
        return t.datetime(value)
    try:
        return t.datetime(dt.datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _yes_no(t: Translator, value: Any) -> str:
    return t("yes") if value else t("no")


def _contact(t: Translator, policy: Any, start: Any, end: Any) -> str:
    labels = {c.value: t(c.label) for c in CONTACT.choices}
    text = labels.get(str(policy), str(policy))
    if policy == "safe_hours" and start is not None and end is not None:
        text += f" ({clock(int(start))}–{clock(int(end))})"
    return text


def user_rows(t: Translator, user: dict[str, Any] | None) -> list[Row]:
    """You: language, contact choice, auto-delete, dates."""
    if user is None:
        return []
    auto = user.get("autodelete_minutes")
    rows: list[Row] = [
        (t("Language"), LANGUAGES.get(str(user.get("locale")), t("as in your Telegram"))),
        (t("First message"), _moment(t, user.get("created_at"))),
        (t("Last message"), _moment(t, user.get("last_seen_at"))),
        (
            t("How KBRI may reach you"),
            _contact(t, user.get("contact_policy"), user.get("safe_hours_from"),
                     user.get("safe_hours_to")),
        ),
        (t("Auto-delete"), t("%(n)s min", n=auto) if auto else t("off")),
    ]  # fmt: skip
    dated = (
        ("blocked_at", N_("Blocked by KBRI since")),
        ("bot_blocked_at", N_("You stopped Kawan on")),
        ("consent_withdrawn_at", N_("Consent withdrawn on")),
    )
    rows += [(t(label), _moment(t, user[key])) for key, label in dated if user.get(key)]
    return rows


def case_rows(t: Translator, case: dict[str, Any]) -> list[Row]:
    """One request: what you wrote and chose, and what happened to it."""
    category = CATEGORY_LABELS.get(str(case.get("category")), str(case.get("category")))
    rows: list[Row] = [
        (t("Topic"), t(category)),
        (t("Status"), t(CITIZEN_STATUS.get(str(case.get("status")), str(case.get("status"))))),
        (t("Sent"), _moment(t, case.get("created_at"))),
        (t("Urgent"), _yes_no(t, case.get("urgent"))),
    ]
    if case.get("safe_to_talk") is not None:
        rows.append((t("Safe to write"), _yes_no(t, case["safe_to_talk"])))
    if case.get("location_text"):
        rows.append((t("Area"), str(case["location_text"])))
    if case.get("exact_lat") is not None:
        rows.append((t("Exact location"), f"{case['exact_lat']}, {case['exact_lon']}"))
    if case.get("contact_policy"):
        contact = _contact(
            t, case["contact_policy"], case.get("safe_hours_from"), case.get("safe_hours_to")
        )
        rows.append((t("Contact"), contact))
    if case.get("description"):
        rows.append((t("Your message"), str(case["description"])))
    relationships = {c.value: t(c.label) for c in REL_RELATIONSHIP.choices}
    relative = case.get("relative") or {}
    for key, label in (
        ("name", N_("Relative")), ("relationship", N_("Relationship")),
        ("last_contact", N_("Last contact")), ("last_place", N_("Last known place")),
        ("passport_no", N_("Passport number")),
    ):  # fmt: skip
        if relative.get(key):
            rows.append((t(label), relationships.get(relative[key], str(relative[key]))))
    for key, label in (("closed_at", N_("Closed")), ("erased_at", N_("Erased"))):
        if case.get(key):
            rows.append((t(label), _moment(t, case[key])))
    if case.get("media"):
        rows.append((t("Files"), str(len(case["media"]))))
    return rows


def case_messages(t: Translator, case: dict[str, Any]) -> list[Row]:
    """The words kept with a request: (when · who, what)."""
    return [
        (f"{_moment(t, e['at'])} · {t(ACTORS.get(e['actor'], e['actor']))}", str(e["body"]))
        for e in case.get("events") or []
        if e.get("body")
    ]


async def my_data(update: Update, context: KawanContext) -> None:
    """/datasaya: everything stored about me, in words, in as many messages as needed."""
    repos, user, chat = context.services.repos, update.effective_user, update.effective_chat
    if repos is None or user is None or chat is None:
        return
    t = context.t
    data = await repos.privacy.personal_data(user.id)
    cases = [
        {"ref": c["ref"], "rows": case_rows(t, c), "messages": case_messages(t, c)}
        for c in data["cases"]
    ]
    text = context.services.renderer.render(
        "my_data.html.j2", t, you=user_rows(t, data["user"]), cases=cases,
        tracked=data["tracked_message_ids"], waiting=data["messages_waiting"],
    )  # fmt: skip
    parts = split_html(text, 4000)
    markup = ((t("📄 The same as a file (JSON)"), "p:json"),)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await context.bot.send_message(
            chat.id, part, reply_markup=_markup(markup) if last else None
        )


def _markup(row: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]
                                 for label, data in row])  # fmt: skip


async def my_data_json(update: Update, context: KawanContext) -> None:
    """p:json: the same data as a JSON document, for those who want a copy."""
    await answer_query(update)
    repos, user, chat = context.services.repos, update.effective_user, update.effective_chat
    if repos is None or user is None or chat is None:
        return
    data = await repos.privacy.personal_data(user.id)
    dump = json.dumps(data, ensure_ascii=False, indent=1, default=str).encode()
    await context.bot.send_document(chat.id, InputFile(dump, filename="kawan-data.json"))

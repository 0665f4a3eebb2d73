"""What Kawan tells a citizen about their case unasked: a neutral first line, sealed if discreet.

A lock screen and the chat list show a message's first line. Someone whose phone may be checked
must not see "KBRI", "Embassy", "Indonesia", a flag or an officer there, so every citizen-bound
text built here starts with a neutral line (the reference KWN-… is neutral). A person who chose
discretion (not safe to talk, or "never message me first") gets only "There is a new message
for you." with a button; the content follows when they press it (bot/handlers/citizen.py).
"""

from __future__ import annotations

import dataclasses
import html
from typing import Literal

from bot.storage.models import Case, NewOutbox
from bot.ui.commands import N_
from bot.ui.i18n import Translator

NoticeKind = Literal["claim", "info", "refer", "close"]
NOTICES: dict[str, str] = {
    "claim": N_(
        "Your request %(ref)s is now being handled. Answers will appear here; /status shows them."
    ),
    "info": N_(
        "A question about your request %(ref)s: please reply here with any details you can "
        "safely share."
    ),
    "refer": N_(
        "Your request %(ref)s has been passed on to a partner who can help. It is still being "
        "followed."
    ),
    "close": N_(
        "Your request %(ref)s is closed. If you need help again, just write here: a new request "
        "will be opened and linked to this one."
    ),
}
# Words that must never reach a lock screen; the tests read every unasked message against them.
GIVEAWAYS = (
    "kbri", "kedutaan", "embassy", "indonesia", "🇮🇩", "officer", "petugas", "konsul", "wni",
)  # fmt: skip
PREVIEW_CHARS = 120
OPEN_PREFIX = "s:open:"  # + outbox id: the button that unseals one message


def is_discreet(case: Case) -> bool:
    """Not safe to talk, only briefly in secret, or never message first: seal what is sent."""
    return case.safe_to_talk is False or case.contact_policy == "never_first"


def notice_text(ct: Translator, kind: NoticeKind, ref: str) -> str:
    """A status change (claimed, info requested, referred, closed), neutral from its first word."""
    return ct(NOTICES[kind], ref=ref)


def citizen_payload(
    ct: Translator, case: Case, text: str, copy_from: list[int] | None = None
) -> dict[str, object]:
    """An outbox payload for the citizen of `case`: the text, and its seal when discreet."""
    payload: dict[str, object] = {"text": text}
    if copy_from is not None:
        payload["copy_from"] = copy_from
    if is_discreet(case):
        payload["sealed"] = seal(ct)
    return payload


def seal(ct: Translator) -> dict[str, str]:
    """What a sealed message shows until opened: a neutral line and the button to open it."""
    return {"text": ct("There is a new message for you."), "button": ct("📩 Open")}


def reply_header(ct: Translator, ref: str) -> str:
    """The first line of an officer's reply as the citizen sees it: neutral (HTML)."""
    return ct("💬 New message · %(ref)s", ref=f"<code>{ref}</code>")


def sealed(ct: Translator, case: Case, rows: list[NewOutbox]) -> list[NewOutbox]:
    """The same rows, each sealed when the citizen of `case` chose discretion."""
    if not is_discreet(case):
        return rows
    return [sealed_row(ct, r) for r in rows]


def sealed_row(ct: Translator, row: NewOutbox) -> NewOutbox:
    """The same row, sealed: it shows a neutral line and opens on request."""
    return dataclasses.replace(row, payload={**row.payload, "sealed": seal(ct)})


def preview(text: str) -> str:
    """The plain text a lock screen shows: tags dropped, entities resolved, first 120 chars."""
    plain, inside = [], False
    for char in text:
        if char == "<":
            inside = True
        elif char == ">" and inside:
            inside = False
        elif not inside:
            plain.append(char)
    return html.unescape("".join(plain))[:PREVIEW_CHARS]


def gives_away(text: str) -> list[str]:
    """The giveaway words in a message's preview (empty when it is neutral)."""
    shown = preview(text).lower()
    return [word for word in GIVEAWAYS if word in shown]

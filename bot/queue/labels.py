"""Words for codes: what officers read instead of the values the database keeps.

Every code a card, a history, /kasus or /antrian shows goes through here, in the officers'
language. A new event kind needs a line in EVENT_LABELS (tests/queue/test_labels.py renders every
one); an unknown code reads "other", never the code itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from bot.content import Content
from bot.ui.commands import N_
from bot.ui.i18n import Translator

LANGUAGES: dict[str, str] = {"id": N_("Indonesian"), "en": N_("English")}
# Who the relative is to the reporter; a typed answer (not one of these) is shown as typed.
RELATIONSHIPS: dict[str, str] = {
    "child": N_("the reporter's child"),
    "spouse": N_("the reporter's husband or wife"),
    "sibling": N_("the reporter's brother or sister"),
    "parent": N_("the reporter's parent"),
    "other": N_("other family or a friend of the reporter"),
}
EVENT_LABELS: dict[str, str] = {
    "created": N_("sent the request"),
    "media": N_("sent a file"),
    "citizen_message": N_("wrote"),
    "info_given": N_("answered the request for information"),
    "claimed": N_("claimed the case"),
    "info_requested": N_("asked the citizen for more information"),
    "referred": N_("referred the case"),
    "status": N_("changed the status"),
    "urgent": N_("marked the case urgent"),
    "reply": N_("answered the citizen"),
    "note": N_("internal note"),
    "closed": N_("closed the case"),
    "reminder": N_("reminded: not claimed yet"),
    "reminder_loud": N_("reminded the whole group: unclaimed for over an hour"),
    "digested": N_("listed in a summary of new cases"),
    "checkin_ok": N_("checked in: safe"),
    "checkin_alert": N_("raised a safety check-in alert"),
    "blocked": N_("blocked the user"),
    "unblocked": N_("unblocked the user"),
    "recovery_try": N_("someone tried to recover the case from another account"),
    "recovered": N_("confirmed the move to the citizen's new account"),
    "recovery_refused": N_("refused the move to another account"),
    "citizen_unreachable": N_("the citizen cannot be reached (they blocked the bot)"),
    "undelivered": N_("a message could not be delivered"),
    "erased": N_("erased the personal data"),
    "template_used": N_("sent a saved reply"),
    "citizen_edited": N_("edited a message"),
    "reply_edited": N_("corrected a reply"),
}
DETAILS: dict[str, str] = {
    "photo": N_("photo"),
    "document": N_("document"),
    "voice": N_("voice message"),
    "video": N_("video"),
    "duress": N_("the duress word was used"),
    "missed": N_("check-in missed"),
    "request": N_("at the citizen's request"),
    "retention": N_("retention period over"),
}
UNKNOWN = N_("other")  # what an unknown code reads
_CODE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")  # snake_case: a code, not a typed name


def label(t: Translator, labels: Mapping[str, str], code: str | None) -> str:
    """The label of a code; an unknown code reads "other" (a code is never shown)."""
    return t(labels.get(code or "", UNKNOWN))


def agency(
    t: Translator, content: Content, partners: Mapping[str, str], value: str | None
) -> str | None:
    """To whom a case was referred: a partner's label, a contact's name, or the typed name."""
    if not value:
        return None
    for contact in content.contacts:  # an agency of contacts.yaml (referral name first)
        if contact.id == value:
            names = contact.referral.agency if contact.referral is not None else contact.name
            return names.get(t.locale) or next(iter(names.values()))
    if value in partners:  # cases referred before agencies came from the content
        return t(partners[value])
    return value if not _CODE.match(value) else t("another agency")


def relationship(t: Translator, value: str | None) -> str | None:
    """The relative's relationship to the reporter: a chosen one in words, a typed one as is."""
    if not value:
        return None
    return t(RELATIONSHIPS[value]) if value in RELATIONSHIPS else value


def age(t: Translator, delta: dt.timedelta) -> str:
    """A duration the way officers say it: "5 min", "2 h 15 min", "3 d 4 h"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return t("%(n)s min", n=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return t("%(h)s h %(m)s min", h=hours, m=minutes)
    days, hours = divmod(hours, 24)
    return t("%(d)s d %(h)s h", d=days, h=hours)


def officer_name(t: Translator, names: Mapping[int, str], officer_id: int | None) -> str:
    """An officer's first name (officers see each other), or "an officer" if never seen."""
    return names.get(officer_id or 0) or t("an officer")

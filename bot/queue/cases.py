"""A confirmed draft becomes a committed case: case, first event and outbox in one transaction."""

from __future__ import annotations

import datetime as dt

from bot.intake.draft import Draft
from bot.intake.hours import safe_hours
from bot.storage.models import Case, ContactPolicy, NewCase, NewMedia, NewOutbox, Relative
from bot.storage.repos import Repositories

CONSENT_VERSION = "2026-11-28"
RESHOW_ACK_WITHIN = dt.timedelta(minutes=10)


def _relative(draft: Draft) -> Relative | None:
    if draft.kind != "relative":
        return None
    answers = draft.answers
    passport = answers.get("rel_passport")
    return Relative(
        name=answers.get("rel_name"),
        relationship=answers.get("rel_relationship"),
        last_contact=answers.get("rel_last_contact"),
        last_place=answers.get("rel_place"),
        passport_no=None if passport in (None, "-") else passport,
    )


def new_case(draft: Draft, user_id: int, chat_id: int, locale: str) -> NewCase:
    """The storage record of a confirmed draft."""
    answers = draft.answers
    policy: ContactPolicy = "any"
    if answers.get("contact") in ("safe_hours", "never_first"):
        policy = "safe_hours" if answers["contact"] == "safe_hours" else "never_first"
    hours = safe_hours(answers.get("safe_hours")) if policy == "safe_hours" else None
    if policy == "safe_hours" and hours is None:
        policy = "any"
    location = answers.get("location")
    lat, lon = draft.exact_location or (None, None)
    return NewCase(
        user_id=user_id,
        chat_id=chat_id,
        kind=draft.kind,
        category=answers.get("category", "other"),
        locale=locale,
        description="" if answers.get("description") == "-" else answers.get("description", ""),
        consent_text_version=CONSENT_VERSION,
        urgent=draft.urgent,
        safe_to_talk=None if "safe" not in answers else answers["safe"] == "yes",
        location_text=None if location in (None, "-", "exact") else location,
        exact_lat=lat,
        exact_lon=lon,
        contact_policy=policy,
        safe_hours_from=hours[0] if hours else None,
        safe_hours_to=hours[1] if hours else None,
        relative=_relative(draft),
        linked_case_id=draft.linked_case_id,
        media=tuple(NewMedia(kind, file_id) for kind, file_id in draft.attachments),
    )


async def submit(
    repos: Repositories, draft: Draft, user_id: int, chat_id: int, locale: str, officers: int | None
) -> Case:
    """Commit the case with its announcement to the officers' group; the caller wakes the
    dispatcher. Returns the stored case."""
    outbox = [NewOutbox(kind="case_new", target_chat_id=officers)] if officers is not None else []
    record = new_case(draft, user_id, chat_id, locale)
    case = await repos.cases.create_case(record, outbox)
    if record.contact_policy != "any":
        await repos.users.set_contact_policy(
            user_id, record.contact_policy, record.safe_hours_from, record.safe_hours_to
        )
    return case


async def last_closed_case_id(repos: Repositories, user_id: int) -> int | None:
    """The citizen's most recent closed case, so a new request links to it instead of reopening."""
    for case in await repos.cases.list_for_user(user_id, limit=1):
        return None if case.is_open else case.id
    return None


async def open_case_of(repos: Repositories, user_id: int) -> Case | None:
    """The citizen's open case, if any (what their messages are added to)."""
    current = await repos.cases.current_for_user(user_id)
    return current if current is not None and current.is_open else None


async def recently_submitted(repos: Repositories, user_id: int) -> Case | None:
    """The citizen's newest case if it was sent in the last few minutes, else None."""
    for case in await repos.cases.list_for_user(user_id, limit=1):
        if dt.datetime.now(dt.UTC) - case.created_at < RESHOW_ACK_WITHIN:
            return case
    return None

"""The officers' longer views: a case's history in words, and /antrian in pages of ten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.context import Services
from bot.queue import labels
from bot.queue.cards import CATEGORY_NAMES, REFERRALS, STATUS_LABELS
from bot.storage.models import Case, CaseEvent
from bot.storage.officers import QueueEntry, QueueView
from bot.ui.commands import N_
from bot.ui.fit import fit_html, trim
from bot.ui.i18n import Translator
from bot.ui.screen import Button, Screen

PAGE_SIZE = 10
AREA_CHARS = 40
# /antrian's words (Indonesian first, English aliases) → the view.
VIEW_WORDS: dict[str, QueueView] = {
    "baru": "new", "new": "new", "saya": "mine", "mine": "mine",
    "mendesak": "urgent", "urgent": "urgent", "semua": "all", "all": "all",
}  # fmt: skip
VIEW_TITLES: dict[QueueView, str] = {
    "all": N_("Open cases"),
    "new": N_("Unclaimed cases"),
    "mine": N_("Cases claimed by %(name)s"),
    "urgent": N_("Urgent cases"),
}
VIEW_BUTTONS: tuple[tuple[QueueView, str], ...] = (
    ("all", N_("All")), ("new", N_("Unclaimed")), ("mine", N_("Mine")), ("urgent", N_("🚨 Urgent")),
)  # fmt: skip
# q:<view>:<officer, or 0 for whoever presses>:<page>
QUEUE_PATTERN = r"^q:(all|new|mine|urgent):(\d{1,15}):(\d{1,4})$"


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One event in words: when, who, what, a detail in words, and the words written."""

    at: dt.datetime
    who: str
    what: str
    detail: str | None
    body: str | None


# Events whose body is a person's words (the others' bodies are codes or repeat the label).
_WORDS = frozenset({"citizen_message", "info_given", "info_requested", "reply", "note", "closed"})


def actor_ids(events: Iterable[CaseEvent]) -> set[int | None]:
    """The officers who acted in these events (to look their names up at once)."""
    return {e.actor_id for e in events if e.actor == "officer"}


def history_lines(
    services: Services, events: Sequence[CaseEvent], names: Mapping[int, str]
) -> list[HistoryLine]:
    """The case's events in the officers' words, with the acting officer's first name."""
    return [_history_line(services, event, names) for event in events]


def _history_line(services: Services, event: CaseEvent, names: Mapping[int, str]) -> HistoryLine:
    t = services.officers_t
    if event.actor == "officer":
        who = labels.officer_name(t, names, event.actor_id)
    else:
        who = t("Citizen") if event.actor == "citizen" else t("Kawan (automatic)")
    detail: str | None = None
    if event.kind == "referred":
        detail = labels.agency(t, services.content, REFERRALS, event.body)
    elif event.kind == "status" and event.detail:
        detail = labels.label(t, STATUS_LABELS, event.detail)
    elif event.detail in labels.DETAILS:
        detail = t(labels.DETAILS[event.detail])
    body = event.body if event.kind in _WORDS else None
    return HistoryLine(
        event.at, who, labels.label(t, labels.EVENT_LABELS, event.kind), detail, body
    )


@dataclass(frozen=True, slots=True)
class QueueLine:
    """One case on an /antrian page, every code already in words."""

    ref: str
    link: str | None
    urgent: bool
    category: str
    area: str
    status: str
    age: str
    claimer: str | None
    last: str


def topic_link(group_id: int, case: Case) -> str | None:
    """t.me/c/… to the case's topic (or its card), for supergroups; None elsewhere."""
    text = str(group_id)
    target = case.thread_id or case.card_message_id
    if not text.startswith("-100") or target is None:
        return None
    return f"https://t.me/c/{text[4:]}/{target}"


def _queue_line(t: Translator, group_id: int, entry: QueueEntry, now: dt.datetime) -> QueueLine:
    case = entry.case
    return QueueLine(
        ref=case.ref, link=topic_link(group_id, case), urgent=case.urgent,
        category=labels.label(t, CATEGORY_NAMES, case.category),
        area=trim(case.location_text, AREA_CHARS) if case.location_text else "–",
        status=labels.label(t, STATUS_LABELS, case.status),
        age=labels.age(t, now - case.created_at),
        claimer=None if case.claimed_by is None else (entry.claimer or t("an officer")),
        last=labels.age(t, now - entry.last_activity),
    )  # fmt: skip


async def queue_page(
    services: Services,
    view: QueueView,
    officer_id: int,
    page: int,
    *,
    now: dt.datetime | None = None,
) -> Screen:
    """One page of /antrian in `view` (urgent first, then oldest first) with ◀ ▶ and filters."""
    t = services.officers_t
    repos = services.repos
    entries, total = await repos.officers.queue(
        view, officer_id, limit=PAGE_SIZE, offset=page * PAGE_SIZE
    )
    pages = max(1, -(-total // PAGE_SIZE))
    if page >= pages:  # the queue shrank since the button was drawn: show its last page
        page = pages - 1
        entries, total = await repos.officers.queue(
            view, officer_id, limit=PAGE_SIZE, offset=page * PAGE_SIZE
        )
    moment = now or dt.datetime.now(dt.UTC)
    group = services.settings.officers_chat_id or 0
    title = t(VIEW_TITLES[view])
    if view == "mine":  # "Cases claimed by Budi": whose list it is, whoever turns its pages
        name = labels.officer_name(t, await repos.officers.names([officer_id]), officer_id)
        title = t(VIEW_TITLES[view], name=name)
    text = services.renderer.render(
        "queue.html.j2", t, title=title, total=total, page=page, pages=pages, view=view,
        lines=[_queue_line(t, group, e, moment) for e in entries],
    )  # fmt: skip
    return Screen(fit_html(text), _queue_buttons(t, view, officer_id, page, pages, entries))


def _queue_buttons(
    t: Translator, view: QueueView, officer_id: int, page: int, pages: int,
    entries: Sequence[QueueEntry],
) -> tuple[tuple[Button, ...], ...]:  # fmt: skip
    owner = officer_id if view == "mine" else 0
    opens = [
        (f"{'🚨 ' if e.case.urgent else ''}{e.case.ref}", f"c:open:{e.case.id}") for e in entries
    ]
    rows: list[tuple[Button, ...]] = [tuple(opens[i : i + 2]) for i in range(0, len(opens), 2)]
    nav: list[Button] = []
    if page > 0:
        nav.append((t("◀ Previous"), f"q:{view}:{owner}:{page - 1}"))
    if page + 1 < pages:
        nav.append((t("Next ▶"), f"q:{view}:{owner}:{page + 1}"))
    if nav:
        rows.append(tuple(nav))
    rows.append(tuple((t(label), f"q:{key}:0:0") for key, label in VIEW_BUTTONS))
    return tuple(rows)

"""bot/queue/views.py: /antrian in pages of ten with its filters, and a case's history in words."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from bot.context import KawanApplication
from bot.queue.views import (
    PAGE_SIZE,
    QUEUE_PATTERN,
    VIEW_BUTTONS,
    VIEW_WORDS,
    actor_ids,
    history_lines,
    queue_page,
    topic_link,
)
from bot.storage.models import Actor, Case, CaseEvent, NewCase
from bot.transport.telegram_html import html_to_plain
from bot.ui import limits
from bot.ui.fit import units
from bot.ui.screen import Screen
from tests.translated import said

OFFICER_ID, OTHER_ID, UNNAMED_ID = 900_001, 900_002, 900_003
NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)


async def _cases(app: KawanApplication, count: int, *, urgent_every: int = 0) -> list[Case]:
    """`count` open cases, one an hour apart (the first the oldest)."""
    made = []
    for n in range(count):
        record = NewCase(
            user_id=400_000 + n, chat_id=400_000 + n, kind="self", category="visa",
            locale="id", description="x", consent_text_version="v1",
            urgent=bool(urgent_every) and n % urgent_every == 0,
            location_text=f"Kampot & <Kep> {n} " + "jalan panjang " * 10,
        )  # fmt: skip
        moment = NOW - dt.timedelta(hours=count - n)
        made.append(await app.services.repos.cases.create_case(record, now=moment))
    return made


def _plain(screen: Screen) -> str:
    plain = html_to_plain(screen.text)  # raises where Telegram would refuse the HTML
    assert units(plain) <= limits.TEXT
    return plain


def _data(screen: Screen) -> list[str]:
    return [data for row in screen.rows for _, data in row]


async def test_pages_of_ten_urgent_first_then_oldest(app: KawanApplication) -> None:
    t = app.services.officers_t
    cases = await _cases(app, 23, urgent_every=10)  # cases 0, 10 and 20 are urgent
    first = await queue_page(app.services, "all", OFFICER_ID, 0, now=NOW)
    plain = _plain(first)
    page_one = said(t, "page %(page)s of %(pages)s", page=1, pages=3)
    assert plain.startswith(f"{said(t, 'Open cases')}: 23 · {page_one}")
    opens = [d for d in _data(first) if d.startswith("c:open:")]
    expected = [cases[0], cases[10], cases[20], *[c for c in cases if not c.urgent][:7]]
    assert opens == [f"c:open:{c.id}" for c in expected]
    assert all(len(row) <= 2 for row in first.rows[: PAGE_SIZE // 2])
    assert plain.index(cases[20].ref) < plain.index(cases[1].ref)
    assert f"🚨 {cases[0].ref}" in plain
    assert "Kampot & <Kep> 0 jalan" in plain and "jalan panjang " * 10 not in plain
    assert said(t, "not claimed") in plain
    oldest = said(t, "%(h)s h %(m)s min", h=23, m=0)
    assert said(t, "last activity %(age)s ago", age=oldest) in plain


async def test_previous_and_next_move_between_pages(app: KawanApplication) -> None:
    t = app.services.officers_t
    await _cases(app, 23)
    pages = [await queue_page(app.services, "all", OFFICER_ID, n, now=NOW) for n in range(3)]
    nav = [[label for row in p.rows[:-1] for label, d in row if d.startswith("q:")] for p in pages]
    assert nav[0] == [said(t, "Next ▶")]
    assert nav[1] == [said(t, "◀ Previous"), said(t, "Next ▶")]
    assert nav[2] == [said(t, "◀ Previous")]
    assert "q:all:0:1" in _data(pages[0]) and "q:all:0:1" in _data(pages[2])
    assert len([d for d in _data(pages[2]) if d.startswith("c:open:")]) == 3


async def test_a_page_past_the_end_shows_the_last_page(app: KawanApplication) -> None:
    t = app.services.officers_t
    await _cases(app, 12)
    stale = await queue_page(app.services, "all", OFFICER_ID, 7, now=NOW)
    assert said(t, "page %(page)s of %(pages)s", page=2, pages=2) in _plain(stale)
    assert len([d for d in _data(stale) if d.startswith("c:open:")]) == 2


async def test_each_view_lists_its_own_cases(app: KawanApplication) -> None:
    t = app.services.officers_t
    repos = app.services.repos
    cases = await _cases(app, 6, urgent_every=3)  # 0 and 3 urgent
    await repos.officers.remember(OFFICER_ID, "Budi")
    await repos.officers.remember(OTHER_ID, "Wulan")
    await repos.cases.claim(cases[1].id, OFFICER_ID, now=NOW)
    await repos.cases.claim(cases[2].id, OTHER_ID, now=NOW)
    await repos.cases.claim(cases[4].id, UNNAMED_ID, now=NOW)

    def opened(screen: Screen) -> set[int]:
        return {int(d.split(":")[2]) for d in _data(screen) if d.startswith("c:open:")}

    new = await queue_page(app.services, "new", OFFICER_ID, 0, now=NOW)
    assert opened(new) == {cases[n].id for n in (0, 3, 5)}
    urgent = await queue_page(app.services, "urgent", OFFICER_ID, 0, now=NOW)
    assert opened(urgent) == {cases[0].id, cases[3].id}
    assert _plain(urgent).startswith(f"{said(t, 'Urgent cases')}: 2")
    mine = await queue_page(app.services, "mine", OFFICER_ID, 0, now=NOW)
    assert opened(mine) == {cases[1].id}
    assert _plain(mine).startswith(f"{said(t, 'Cases claimed by %(name)s', name='Budi')}: 1")
    everything = _plain(await queue_page(app.services, "all", OFFICER_ID, 0, now=NOW))
    assert "✋ Budi" in everything and "✋ Wulan" in everything
    assert f"✋ {said(t, 'an officer')}" in everything  # claimed by someone never seen


async def test_mine_keeps_its_owner_and_the_filters_are_always_there(
    app: KawanApplication,
) -> None:
    t = app.services.officers_t
    cases = await _cases(app, 12)
    for case in cases:
        await app.services.repos.cases.claim(case.id, OFFICER_ID, now=NOW)
    mine = await queue_page(app.services, "mine", OFFICER_ID, 0, now=NOW)
    assert f"q:mine:{OFFICER_ID}:1" in _data(mine)  # whoever presses ▶ sees Budi's list
    filters = mine.rows[-1]
    assert filters == tuple((said(t, label), f"q:{key}:0:0") for key, label in VIEW_BUTTONS)
    pattern = re.compile(QUEUE_PATTERN)
    assert all(pattern.match(d) for d in _data(mine) if d.startswith("q:"))
    assert all(len(d.encode()) <= limits.CALLBACK_DATA_BYTES for d in _data(mine))


async def test_empty_lists_say_so(app: KawanApplication) -> None:
    t = app.services.officers_t
    everything = _plain(await queue_page(app.services, "all", OFFICER_ID, 0, now=NOW))
    assert said(t, "No open cases.") in everything
    urgent = _plain(await queue_page(app.services, "urgent", OFFICER_ID, 0, now=NOW))
    assert said(t, "No cases in this list.") in urgent
    assert said(t, "page %(page)s of %(pages)s", page=1, pages=1) not in urgent


def test_the_words_of_antrian_in_both_languages() -> None:
    assert {VIEW_WORDS[w] for w in ("baru", "saya", "mendesak", "semua")} == {
        "new", "mine", "urgent", "all"
    }  # fmt: skip
    assert all(VIEW_WORDS[english] == english for english in ("new", "mine", "urgent", "all"))


async def test_topic_links_only_in_supergroups(app: KawanApplication) -> None:
    (case,) = await _cases(app, 1)
    assert topic_link(-1001234567890, case) is None  # never posted: nowhere to go
    in_topic = replace(case, thread_id=55, card_message_id=60)
    assert topic_link(-1001234567890, in_topic) == "https://t.me/c/1234567890/55"
    on_card = replace(case, card_message_id=60)
    assert topic_link(-1001234567890, on_card) == "https://t.me/c/1234567890/60"
    assert topic_link(-4567, in_topic) is None  # a basic group has no t.me/c links


def _event(
    kind: str, actor: Actor, actor_id: int | None, detail: str | None, body: str | None
) -> CaseEvent:
    return CaseEvent(1, 1, NOW, actor, actor_id, kind, detail, body)


async def test_history_speaks_in_words_with_the_officers_first_names(
    app: KawanApplication,
) -> None:
    t = app.services.officers_t
    events = [
        _event("citizen_message", "citizen", None, None, "Tolong <saya>"),
        _event("claimed", "officer", OFFICER_ID, "diambil", None),
        _event("referred", "officer", UNNAMED_ID, None, "police"),
        _event("status", "officer", OFFICER_ID, "menunggu", None),
        _event("media", "citizen", None, "photo", "file-id-123"),
        _event("checkin_alert", "system", None, "duress", None),
        _event("brand_new_kind", "system", None, None, "raw"),
    ]
    assert actor_ids(events) == {OFFICER_ID, UNNAMED_ID}
    lines = history_lines(app.services, events, {OFFICER_ID: "Budi"})
    said_by = [(line.who, line.what, line.detail, line.body) for line in lines]
    assert said_by == [
        (said(t, "Citizen"), said(t, "wrote"), None, "Tolong <saya>"),
        ("Budi", said(t, "claimed the case"), None, None),
        (said(t, "an officer"), said(t, "referred the case"), "Polisi Kamboja", None),
        ("Budi", said(t, "changed the status"), said(t, "waiting for the citizen"), None),
        (said(t, "Citizen"), said(t, "sent a file"), said(t, "photo"), None),
        (said(t, "Kawan (automatic)"), said(t, "raised a safety check-in alert"),
         said(t, "the duress word was used"), None),
        (said(t, "Kawan (automatic)"), said(t, "other"), None, None),
    ]  # fmt: skip
    assert all(line.at == NOW for line in lines)

"""bot/queue/cards.py: the officers' case card, its topic name, its buttons and its long parts."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.context import KawanApplication
from bot.queue.cards import (
    CATEGORY_NAMES,
    card_refresh,
    case_buttons,
    case_card,
    current_card,
    description_parts,
    topic_name,
)
from bot.storage.models import Case, ContactPolicy, NewCase, Relative
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.telegram_html import html_to_plain
from bot.transport.updates import Person
from bot.ui import limits
from bot.ui.fit import units, visible_length
from conftest import OFFICERS_CHAT
from tests.handlers.test_helpdesk import submit_self_request
from tests.translated import said

TRICKY = "Bos <b>jahat</b> & kawan <script>"
LONG = ("Tolong & <bantu> saya. " * 500)[:10_000]
WULAN = Person(id=900_050, first_name="Wulandari", language_code="id")


async def _case(
    app: KawanApplication,
    *,
    urgent: bool = False,
    description: str = "Paspor ditahan",
    area: str | None = "Phnom Penh",
    relative: Relative | None = None,
    safe: bool | None = None,
    contact: ContactPolicy = "any",
) -> Case:
    record = NewCase(
        user_id=300_001, chat_id=300_001, kind="relative" if relative else "self",
        category="passport", locale="id", description=description, consent_text_version="v1",
        urgent=urgent, safe_to_talk=safe, location_text=area, contact_policy=contact,
        safe_hours_from=21 if contact == "safe_hours" else None,
        safe_hours_to=6 if contact == "safe_hours" else None, relative=relative,
    )  # fmt: skip
    return await app.services.repos.cases.create_case(record)


def _plain(text: str) -> str:
    """The card as an officer reads it; fails if Telegram would refuse the HTML."""
    plain = html_to_plain(text)
    assert units(plain) <= limits.TEXT
    return plain


async def test_the_card_names_reference_category_status_and_urgency(app: KawanApplication) -> None:
    t = app.services.officers_t
    case = await _case(app, urgent=True)
    plain = _plain(case_card(app.services, case).text)
    assert plain.startswith(f"🚨 {said(t, 'URGENT')} · {case.ref} · ")
    assert said(t, "Passport held or lost") in plain
    assert f"{said(t, 'Urgency:')} {said(t, '🚨 urgent: act now')}" in plain
    assert f"{said(t, 'Status:')} {said(t, 'new')}" in plain
    calm = _plain(case_card(app.services, replace(case, urgent=False)).text)
    assert said(t, "URGENT") not in calm
    assert f"{said(t, 'Urgency:')} {said(t, 'normal')}" in calm


async def test_typed_markup_is_shown_as_typed_and_never_breaks_the_html(
    app: KawanApplication,
) -> None:
    relative = Relative(name=TRICKY, relationship="Paman <3", last_place="PT <X> & Co")
    case = await _case(app, description=TRICKY, area="Kampot & <Kep>", relative=relative)
    plain = _plain(case_card(app.services, case).text)
    for typed in (TRICKY, "Kampot & <Kep>", "PT <X> & Co", "Paman <3"):
        assert typed in plain
    assert description_parts(app.services, case) == []  # nothing was cut


async def test_ten_thousand_characters_fit_the_card_and_follow_in_full(
    app: KawanApplication,
) -> None:
    t = app.services.officers_t
    relative = Relative(name=LONG, last_contact=LONG, last_place=LONG, passport_no="X1")
    case = await _case(app, description=LONG, area=LONG, relative=relative)
    card = case_card(app.services, case, media_count=3, linked_ref="KWN-AAAAAA")
    plain = _plain(card.text)
    assert said(t, "Shortened here: the full text follows in the next messages.") in plain
    assert said(t, "Files: %(n)s", n=3) in plain
    assert said(t, "Follows the closed case %(ref)s", ref="KWN-AAAAAA") in plain
    assert card.rows  # the buttons survive the cut
    parts = description_parts(app.services, case)
    assert len(parts) >= 3
    texts = [_plain(part) for part in parts]
    assert texts[0].startswith(f"📄 {case.ref} · {said(t, 'Description')}")
    whole = " ".join(" ".join(texts).split())
    assert " ".join(LONG.split()) in whole  # every character typed reaches the officers
    assert all(visible_length(p) <= limits.TEXT for p in parts)


async def test_an_erased_case_has_no_long_parts(app: KawanApplication) -> None:
    t = app.services.officers_t
    case = await _case(app, description=LONG)
    erased = replace(case, erased_at=dt.datetime.now(dt.UTC), description=None)
    assert description_parts(app.services, erased) == []
    plain = _plain(case_card(app.services, erased).text)
    erased_note = "Personal data erased at the citizen's request or after the retention period."
    assert said(t, erased_note) in plain


async def test_how_to_reach_the_citizen_is_in_words(app: KawanApplication) -> None:
    t = app.services.officers_t
    case = await _case(app, safe=False, contact="safe_hours")
    plain = _plain(case_card(app.services, case).text)
    assert said(t, "not freely: keep messages short and discreet") in plain
    assert f"{said(t, 'this chat, safe hours only')} (21:00–06:00)" in plain


async def test_the_topic_name_is_reference_and_category_never_a_persons_words(
    app: KawanApplication,
) -> None:
    t = app.services.officers_t
    case = await _case(app, urgent=True, description=TRICKY, relative=Relative(name="Siti"))
    name = topic_name(case, t)
    assert name == f"🚨 {case.ref} · {said(t, 'Passport held or lost')}"
    assert topic_name(replace(case, urgent=False), t).startswith(case.ref)
    for category in CATEGORY_NAMES:
        assert units(topic_name(replace(case, category=category), t)) <= limits.TOPIC_NAME


async def test_buttons_follow_the_status(app: KawanApplication) -> None:
    t = app.services.officers_t
    case = await _case(app)
    new = [data for row in case_buttons(t, case) for _, data in row]
    assert new == [f"c:{a}:{case.id}" for a in ("claim", "info", "ref", "close")]
    labels = [label for row in case_buttons(t, case) for label, _ in row]
    assert labels[0] == said(t, "✋ Claim")
    claimed = [data for row in case_buttons(t, replace(case, status="diambil")) for _, data in row]
    assert f"c:claim:{case.id}" not in claimed and len(claimed) == 3
    assert case_buttons(t, replace(case, status="selesai")) == ()
    big = replace(case, id=10**15)
    for row in case_buttons(t, big):
        assert all(len(data.encode()) <= limits.CALLBACK_DATA_BYTES for _, data in row)


async def test_a_refresh_is_one_edit_row_for_the_group(app: KawanApplication) -> None:
    (row,) = card_refresh(app.services, 7)
    assert (row.kind, row.target_chat_id, row.case_id) == ("case_update", OFFICERS_CHAT, 7)
    assert row.payload == {"redraw": True}
    no_group = replace(app.services, settings=replace(app.services.settings, officers_chat_id=None))
    assert card_refresh(no_group, 7) == []


async def test_officers_see_who_claimed_and_the_citizen_never_does(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    t = app.services.officers_t
    api.chat(OFFICERS_CHAT).members[WULAN.id] = "administrator"
    wulan = ChatDriver(app, api, WULAN, chat_id=OFFICERS_CHAT)
    ref = await submit_self_request(citizen)
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    await wulan.press("c:claim:")
    case = await app.services.repos.cases.get_by_ref(ref)
    assert case is not None and case.claimed_by == WULAN.id
    await wulan.send("Baik, kami bantu.", thread_id=case.thread_id)
    await app.services.dispatcher.settle()
    assert "Baik, kami bantu." in api.visible_texts(citizen.person.id)[-1]
    card = _plain((await current_card(app.services, case)).text)
    assert f"{said(t, 'Claimed by:')} {WULAN.first_name}" in card
    shown_to_citizen = "\n".join(api.visible_texts(citizen.person.id))
    assert ref in shown_to_citizen
    assert WULAN.first_name not in shown_to_citizen

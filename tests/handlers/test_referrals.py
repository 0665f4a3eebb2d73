"""bot/handlers/referrals.py: "Refer" to a listed agency, or /rujuk a named one; the citizen
is told to whom and what happens next, under a neutral first line."""

from __future__ import annotations

import html

import pytest

from bot.context import KawanApplication
from bot.handlers.referrals import referral_text
from bot.queue.agencies import TYPED_NAME_CHARS, agency, referral_agencies
from bot.queue.notices import gives_away
from bot.storage.models import Case
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person
from conftest import OFFICERS_CHAT
from tests.scenes import open_case, person, sent_since, settle, toast, words

THEY_MAY = (
    "They may contact you about the next steps. We keep following your request; "
    "you can keep writing here."
)


def _label(app: KawanApplication, key: str, locale: str) -> str:
    found = agency(app.services.content, key)
    assert found is not None and found.referral is not None
    return found.referral.agency[locale]


def _next(app: KawanApplication, key: str, locale: str) -> str:
    found = agency(app.services.content, key)
    assert found is not None and found.referral is not None and found.referral.next
    return found.referral.next[locale]


def _first_line(app: KawanApplication, locale: str, case: Case, name: str) -> str:
    return words(
        app, locale, "Your request %(ref)s has been passed on to %(agency)s.",
        ref=case.ref, agency=html.escape(name),
    )  # fmt: skip


async def _referred(app: KawanApplication, case: Case) -> tuple[str, str | None]:
    after = await app.services.repos.cases.get_by_id(case.id)
    assert after is not None
    return after.status, after.referred_to


async def test_the_choice_of_agencies_in_the_officers_language(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    # Officers read the deployment's language (an English desk: tests/handlers/
    # test_officer_commands.py); the English catalog must have these words all the same.
    locale = app.services.settings.default_locale
    case = await open_case(app, api, citizen)
    await officer.callback(f"c:ref:{case.id}")
    assert officer.text == words(app, locale, "Refer %(ref)s to:", ref=case.ref)
    listed = [
        (_label(app, c.id, locale), f"c:refto:{case.id}:{c.id}")
        for c in referral_agencies(app.services.content)
    ]
    assert listed and officer.buttons == [
        *listed,
        (words(app, locale, "✏️ Other (type the name)"), f"c:refother:{case.id}"),
        (words(app, locale, "⬅️ Back"), f"c:card:{case.id}"),
    ]
    await officer.press(f"c:refother:{case.id}")
    how = (
        "Type the agency's name: /rujuk NAME in this case's topic (or as a reply to its card), "
        "or /rujuk %(ref)s NAME anywhere in this group."
    )
    assert officer.text == words(app, locale, how, ref=case.ref)
    assert officer.buttons == [(words(app, locale, "⬅️ Back"), f"c:ref:{case.id}")]
    for msgid in ("Refer %(ref)s to:", "✏️ Other (type the name)", how, "Saved."):
        assert words(app, "en", msgid)


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_a_listed_agency_is_recorded_and_the_citizen_told_neutrally(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver, locale: str
) -> None:
    citizen = ChatDriver(app, api, person(103_100, locale))
    case = await open_case(app, api, citizen)
    await officer.callback(f"c:ref:{case.id}")
    before = len(api.calls)
    replies = await officer.press(f"c:refto:{case.id}:iom")
    assert toast(replies) == words(app, "id", "Saved.")
    assert _label(app, "iom", "id") in officer.text  # the card, redrawn, names the agency
    await settle(app)
    (told,) = sent_since(api, before, citizen.chat_id)
    expected = f"{_first_line(app, locale, case, _label(app, 'iom', locale))}\n\n"
    assert told["text"] == expected + _next(app, "iom", locale)
    assert gives_away(told["text"]) == []
    assert await _referred(app, case) == ("dirujuk", "iom")


async def test_every_listed_agency_reads_neutrally_on_a_lock_screen(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    agencies = referral_agencies(app.services.content)
    assert len(agencies) >= 3
    for locale in ("id", "en"):
        ct = app.services.catalogs.get(locale)
        for contact in agencies:
            assert contact.referral is not None
            name = contact.referral.agency[locale]
            nxt = contact.referral.next.get(locale) if contact.referral.next else None
            assert nxt, f"{contact.id} says nothing of what happens next in {locale}"
            text = referral_text(ct, case, name, nxt)
            assert gives_away(text) == [], (contact.id, locale)


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_rujuk_a_named_agency_in_the_topic_or_by_reference(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver, locale: str
) -> None:
    citizen = ChatDriver(app, api, person(103_200, locale))
    case = await open_case(app, api, citizen)
    typed = "Yayasan <Mitra> & Sahabat"
    before = len(api.calls)
    await officer.send(f"/rujuk {typed}", thread_id=case.thread_id)
    said = "%(ref)s is referred to %(agency)s; the citizen will be told."
    shown = words(app, "id", said, ref=case.ref, agency=html.escape(typed))
    assert officer.text == html.unescape(shown)  # Telegram shows the name as typed
    await settle(app)
    (told,) = sent_since(api, before, citizen.chat_id)
    assert told["text"] == (
        f"{_first_line(app, locale, case, typed)}\n\n{html.escape(words(app, locale, THEY_MAY))}"
    )
    assert gives_away(told["text"]) == []
    assert await _referred(app, case) == ("dirujuk", typed)

    before = len(api.calls)
    await officer.send(f"/rujuk {case.ref.lower()} Cambodian police")  # a listed one, by name
    await settle(app)
    (told,) = sent_since(api, before, citizen.chat_id)
    assert told["text"].startswith(_first_line(app, locale, case, _label(app, "police", locale)))
    assert _next(app, "police", locale) in told["text"]
    assert await _referred(app, case) == ("dirujuk", "police")


async def test_rujuk_without_a_case_or_a_name_explains_itself(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    usage = words(app, "id", "Usage: /rujuk NAME in a case's topic, or /rujuk KWN-XXXXXX NAME.")
    before = len(api.calls)
    for command, thread in (
        ("/rujuk", None), ("/rujuk IOM", None), (f"/rujuk {case.ref}", None),
        ("/rujuk", case.thread_id), ("/rujuk    ", case.thread_id), ("/rujuk KWN-ZZZZZZ IOM", None),
    ):  # fmt: skip
        await officer.send(command, thread_id=thread)
        assert officer.text == usage, command
    await settle(app)
    assert sent_since(api, before, citizen.chat_id) == []
    assert await _referred(app, case) == ("baru", None)


async def test_a_long_typed_name_is_cut_and_a_closed_case_is_not_referred(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    await officer.send("/rujuk " + "&" * 300, thread_id=case.thread_id)
    await settle(app)
    assert await _referred(app, case) == ("dirujuk", "&" * TYPED_NAME_CHARS)
    await officer.callback(f"c:closeok:{case.id}")
    await settle(app)
    before = len(api.calls)
    await officer.send(f"/rujuk {case.ref} IOM")
    assert officer.text == words(app, "id", "This case is closed.")
    await settle(app)
    assert sent_since(api, before, citizen.chat_id) == []
    after = await app.services.repos.cases.get_by_id(case.id)
    assert after is not None and after.status == "selesai"


async def test_a_non_officer_cannot_refer(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    intruder = ChatDriver(app, api, Person(id=666, first_name="X"), chat_id=OFFICERS_CHAT)
    before = len(api.calls)
    await intruder.send(f"/rujuk {case.ref} Polisi Kamboja")
    await intruder.send("/refer Yayasan Palsu", thread_id=case.thread_id)
    replies = await intruder.callback(f"c:refto:{case.id}:police")
    assert toast(replies) == words(app, "id", "This action is not available to you.")
    await settle(app)
    assert sent_since(api, before, citizen.chat_id) == []
    assert [m for m, p in api.calls[before:] if m == "sendMessage"] == []
    assert await _referred(app, case) == ("baru", None)


async def test_a_discreet_person_gets_the_referral_sealed(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await open_case(app, api, citizen, safe="no")
    before = len(api.calls)
    await officer.send(f"/rujuk {case.ref} kp2mi")
    await settle(app)
    (notice,) = sent_since(api, before, citizen.chat_id)
    assert notice["text"] == words(app, "id", "There is a new message for you.")
    await citizen.press("s:open:")
    opened = api.sent("sendMessage", chat_id=citizen.chat_id)[-1]["text"]
    assert opened.startswith(_first_line(app, "id", case, _label(app, "kp2mi", "id")))


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_a_typed_name_that_would_give_away_the_embassy_is_sealed(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver, locale: str
) -> None:
    citizen = ChatDriver(app, api, person(103_400, locale))
    case = await open_case(app, api, citizen)
    before = len(api.calls)
    await officer.send("/rujuk KBRI Bangkok", thread_id=case.thread_id)
    await settle(app)
    (told,) = sent_since(api, before, citizen.chat_id)
    assert told["text"] == words(app, locale, "There is a new message for you.")
    await citizen.press(words(app, locale, "📩 Open"))
    opened = api.sent("sendMessage", chat_id=citizen.chat_id)[-1]["text"]
    assert opened.startswith(_first_line(app, locale, case, "KBRI Bangkok"))

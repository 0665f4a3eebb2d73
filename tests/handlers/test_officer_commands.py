"""bot/handlers/officer_commands.py: the officers' commands, for officers only, in the group."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.app import build_application, running
from bot.config import Settings
from bot.context import KawanApplication
from bot.queue.acks import ACK_NOTE
from bot.queue.views import VIEW_TITLES
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person
from conftest import CITIZEN, OFFICER, OFFICERS_CHAT, make_settings
from tests.scenes import AWKWARD, open_case, settle, to_officers, words

# The Indonesian commands, and the English aliases an English-speaking desk may type.
COMMANDS = {
    "id": ("antrian", "kasus", "catatan", "ekspor", "blokir", "buka", "idgrup"),
    "en": ("queue", "case", "note", "export", "block", "unblock", "groupid"),
}


def said(driver: ChatDriver, *methods: str) -> list[str]:
    """What the bot posted or edited in the driver's chat in answer to the last action."""
    wanted = methods or ("sendMessage", "editMessageText", "sendDocument")
    return [r.text for r in driver.replies if r.method in wanted]


@dataclass
class Desk:
    app: KawanApplication
    api: OfflineBotAPI
    officer: ChatDriver
    citizen: ChatDriver
    locale: str


@pytest.fixture(params=["id", "en"])
async def desk(
    request: pytest.FixtureRequest, settings: Settings, api: OfflineBotAPI
) -> AsyncIterator[Desk]:
    """A deployment whose officers read Indonesian, or one whose officers read English."""
    locale = str(request.param)
    app = build_application(make_settings(settings, default_locale=locale), api=api)
    async with running(app):
        officer = ChatDriver(app, api, OFFICER, chat_id=OFFICERS_CHAT)
        yield Desk(app, api, officer, ChatDriver(app, api, CITIZEN), locale)


async def test_the_desk_works_in_the_officers_language(desk: Desk) -> None:
    app, api, officer, locale = desk.app, desk.api, desk.officer, desk.locale
    queue, case_cmd, note, export, block, unblock, group_id = COMMANDS[locale]
    case = await open_case(app, api, desk.citizen)
    told = len(api.sent(chat_id=CITIZEN.id))

    await officer.send(f"/{queue}")
    assert words(app, locale, VIEW_TITLES["all"]) in officer.text and case.ref in officer.text
    await officer.send(f"/{case_cmd} {case.ref.lower()}")  # typed in lower case: still found
    assert case.ref in officer.text and words(app, locale, "History") in officer.text
    assert words(app, locale, "Citizen") in officer.text
    assert any(data == f"c:claim:{case.id}" for _, data in officer.buttons)

    await officer.send(f"/{note} {case.ref} cek ke imigrasi <besok> & lusa")
    assert said(officer) == []  # a reaction says "saved", not a message in the group
    await settle(app)
    noted = max(api.chat(OFFICERS_CHAT).messages)
    assert api.chat(OFFICERS_CHAT).messages[noted].get("reactions") == [ACK_NOTE]
    events = await app.services.repos.cases.events(case.id)
    assert ("note", "cek ke imigrasi <besok> & lusa") in [(e.kind, e.body) for e in events]

    await officer.send(f"/{export}")
    (document,) = api.sent("sendDocument", chat_id=OFFICERS_CHAT)
    today = dt.datetime.now(dt.UTC).date()
    caption = "%(n)s cases, %(start)s to %(end)s (redacted)"
    start = today - dt.timedelta(days=30)
    assert document["caption"] == words(app, locale, caption, n=1, start=start, end=today)
    csv = document["document"].content.decode()
    assert case.ref in csv and "exact_lat" not in csv.splitlines()[0]

    await officer.send(f"/{block} {case.ref}")
    assert officer.text == words(app, locale, "The user of %(ref)s is blocked.", ref=case.ref)
    user = await app.services.repos.users.get(CITIZEN.id)
    assert user is not None and user.blocked
    await officer.send(f"/{unblock} {case.ref}")
    assert officer.text == words(app, locale, "The user of %(ref)s is unblocked.", ref=case.ref)
    user = await app.services.repos.users.get(CITIZEN.id)
    assert user is not None and not user.blocked

    await officer.send(f"/{group_id}")
    assert str(OFFICERS_CHAT) in officer.text
    await settle(app)
    assert len(api.sent(chat_id=CITIZEN.id)) == told  # none of this is the citizen's business


async def test_the_queue_turns_filters_in_place(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    await officer.send("/antrian saya")
    assert words(app, "id", VIEW_TITLES["mine"], name="Officer") in officer.text
    assert case.ref not in officer.text  # nobody has claimed it
    await officer.callback(f"c:claim:{case.id}")
    await officer.send("/antrian")
    listing = max(api.chat(OFFICERS_CHAT).messages)
    before = len(api.calls)
    await officer.press(words(app, "id", "Mine"))
    edited = [int(p["message_id"]) for m, p in api.calls[before:] if m == "editMessageText"]
    assert listing in edited and said(officer, "sendMessage") == []  # in place, no new message
    assert case.ref in officer.text
    await officer.callback("q:new:0:0")
    assert words(app, "id", VIEW_TITLES["new"]) in officer.text
    assert case.ref not in officer.text  # claimed: no longer unclaimed
    await officer.send("/antrian mendesak")  # a held passport is urgent
    assert words(app, "id", VIEW_TITLES["urgent"]) in officer.text and case.ref in officer.text
    await officer.send("/antrian &<entah>")  # an unknown view: all open cases
    assert words(app, "id", VIEW_TITLES["all"]) in officer.text and case.ref in officer.text


async def test_missing_or_invalid_arguments_get_the_usage_and_change_nothing(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    usage = {
        "kasus": words(app, "id", "Usage: /kasus KWN-XXXXXX (case not found)."),
        "catatan": words(
            app,
            "id",
            "Usage: /catatan your note (in the case topic), or /catatan KWN-XXXXXX your note.",
        ),
        "ekspor": words(app, "id", "Usage: /ekspor 2026-01-01 2026-01-31"),
        "blokir": words(
            app, "id", "Usage: /blokir KWN-XXXXXX or /buka KWN-XXXXXX (case not found)."
        ),
    }
    for command, usage_key in (
        ("/kasus", "kasus"), ("/kasus KWN-ZZZZZZ", "kasus"), ("/kasus <b>&amp;", "kasus"),
        ("/catatan", "catatan"), (f"/catatan {case.ref}", "catatan"),
        ("/catatan bukan-nomor sebuah catatan", "catatan"),
        ("/ekspor 2026-13-01", "ekspor"), ("/ekspor 2026-01-01 kemarin", "ekspor"),
        ("/ekspor <script>", "ekspor"),
        ("/blokir", "blokir"), ("/buka KWN-ZZZZZZ", "blokir"), ("/blokir &&&", "blokir"),
    ):  # fmt: skip
        await officer.send(command)
        assert officer.text == usage[usage_key], command
    assert api.sent("sendDocument") == []
    kinds = [e.kind for e in await app.services.repos.cases.events(case.id)]
    assert "note" not in kinds
    user = await app.services.repos.users.get(CITIZEN.id)
    assert user is not None and not user.blocked


async def test_a_non_officer_is_refused_silently_and_changes_nothing(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    intruder = ChatDriver(app, api, Person(id=666, first_name="X"), chat_id=OFFICERS_CHAT)
    before = len(api.calls)
    for command in (
        "/antrian", f"/kasus {case.ref}", f"/catatan {case.ref} palsu", "/statistik",
        "/ekspor", f"/blokir {case.ref}", f"/buka {case.ref}", "/queue", f"/block {case.ref}",
    ):  # fmt: skip
        await intruder.send(command)
        assert said(intruder) == [], command
    await settle(app)
    assert to_officers(api, before) == [] and api.sent("sendDocument") == []
    user = await app.services.repos.users.get(CITIZEN.id)
    assert user is not None and not user.blocked
    assert "note" not in [e.kind for e in await app.services.repos.cases.events(case.id)]
    # /idgrup is for setting up: it answers anyone in any group, and reveals only the id.
    await intruder.send("/idgrup")
    shown = words(app, "id", "This group's id: <code>%(id)s</code>", id=OFFICERS_CHAT)
    assert intruder.text == shown.replace("<code>", "").replace("</code>", "")


async def test_an_officer_elsewhere_or_in_private_gets_no_officer_answer(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    other = api.chat(-100_777, type="supergroup", title="Elsewhere")
    other.members[OFFICER.id] = "administrator"
    elsewhere = ChatDriver(app, api, OFFICER, chat_id=-100_777)
    await elsewhere.send(f"/kasus {case.ref}")
    assert said(elsewhere) == []  # an officer, but not in the officers' group
    await citizen.send(f"/kasus {case.ref}")  # officers' commands do not exist in private
    assert case.ref not in citizen.text
    assert citizen.text.startswith(
        words(app, "id", "I do not know that command. Here is the menu.")
    )


async def test_a_note_typed_in_the_topic_belongs_to_that_case(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    before = len(api.calls)
    await officer.send("/catatan sudah telepon majikan", thread_id=case.thread_id)
    await settle(app)
    events = await app.services.repos.cases.events(case.id)
    assert ("note", "sudah telepon majikan") in [(e.kind, e.body) for e in events]
    assert [m for m, p in api.calls[before:] if p.get("chat_id") == citizen.chat_id] == []


async def test_a_huge_note_full_of_markup_is_kept_and_the_case_still_fits_one_message(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    await officer.send(f"/catatan {case.ref} {AWKWARD}")
    events = await app.services.repos.cases.events(case.id)
    (body,) = [e.body for e in events if e.kind == "note"]
    assert body is not None and body.split() == AWKWARD.split()  # kept whole, as text
    await officer.send(f"/kasus {case.ref}")
    (shown,) = said(officer)
    assert case.ref in shown and "a&b <c>" in shown  # Telegram parsed it: escaped, not markup
    assert len(shown) <= 4096

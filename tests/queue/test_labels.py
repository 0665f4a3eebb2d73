"""The officers' workbench: cards, histories, /kasus and /antrian speak in words, never codes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Callable

import pytest

from bot.app import build_application, running
from bot.config import Settings
from bot.context import KawanApplication
from bot.queue import labels
from bot.queue.cards import CATEGORY_NAMES, CONTACT_LABELS, REFERRALS, STATUS_LABELS
from bot.runtime.ratelimit import KawanRateLimiter
from bot.storage.models import Case, ContactPolicy, NewCase, NewOutbox, Relative
from bot.storage.repos import Repositories
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person
from bot.ui.fit import visible_length
from bot.ui.i18n import Translator
from bot.ui.limits import TEXT
from conftest import OFFICER, OFFICERS_CHAT, finish_request, make_settings

BUDI = Person(id=900_002, first_name="Budi", language_code="id")
SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
REF = re.compile(r"KWN-[0-9A-Z]{6}")
# Referred-to values other helpers' work may store: contacts.yaml ids and a typed name.
AGENCY_VALUES = ("kp2mi", "anti_trafficking", "Yayasan Harapan")
CODES = {
    *CATEGORY_NAMES,
    *STATUS_LABELS,
    *labels.EVENT_LABELS,
    *labels.RELATIONSHIPS,
    *REFERRALS,
    *labels.DETAILS,
    *CONTACT_LABELS,
    "self",
    "relative",
    "offer",
    "citizen",
    "system",
}  # fmt: skip (not "officer": the test officer's first name is "Officer")


async def _new_case(
    app: KawanApplication,
    n: int,
    *,
    category: str = "visa",
    urgent: bool = False,
    hours_ago: float = 0.0,
    relative: Relative | None = None,
    contact: ContactPolicy = "any",
    area: str = "Phnom Penh",
    locale: str = "id",
    post: bool = False,
) -> Case:
    """A committed case (as the intake commits it), created `hours_ago`."""
    safe = contact == "safe_hours"
    record = NewCase(
        user_id=200_000 + n, chat_id=200_000 + n, kind="relative" if relative else "self",
        category=category, locale=locale, description="Tolong bantu saya", urgent=urgent,
        consent_text_version="v1", location_text=area, contact_policy=contact,
        safe_hours_from=22 if safe else None, safe_hours_to=2 if safe else None,
        relative=relative,
    )  # fmt: skip
    rows = [NewOutbox(kind="case_new", target_chat_id=OFFICERS_CHAT)] if post else []
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)
    return await app.services.repos.cases.create_case(record, rows, now=moment)


def hand_clock(app: KawanApplication, api: OfflineBotAPI) -> Callable[[], None]:
    """The group's send budget (ours and Telegram's) on a clock moved by hand; each call of
    the function returned is a minute later."""
    limiter = app.bot.rate_limiter
    assert isinstance(limiter, KawanRateLimiter)
    clock = [api.now()]
    limiter.group_pacer(OFFICERS_CHAT).clock = api.now = api.budget.now = lambda: clock[0]

    def a_minute_later() -> None:
        clock[0] += 61

    return a_minute_later


async def _settle(app: KawanApplication) -> None:
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()


def _label_words(t: Translator, app: KawanApplication) -> set[str]:
    texts = [
        t(v)
        for table in (CATEGORY_NAMES, STATUS_LABELS, CONTACT_LABELS, REFERRALS, labels.LANGUAGES,
                      labels.EVENT_LABELS, labels.RELATIONSHIPS, labels.DETAILS)
        for v in table.values()
    ]  # fmt: skip
    texts += [labels.agency(t, app.services.content, REFERRALS, v) or "" for v in AGENCY_VALUES]
    return {w.lower() for text in texts for w in re.findall(r"\w+", text)}


def raw_codes(text: str, t: Translator, app: KawanApplication) -> list[str]:
    """Snake_case values anywhere; in Indonesian also English code words no label uses (each
    with the text around it)."""
    found = list(SNAKE.finditer(text))
    if t.locale == "id":
        words = _label_words(t, app)
        for code in CODES - words:
            found += re.finditer(rf"(?i)\b{re.escape(code)}\b", text)
    return [text[max(0, m.start() - 50) : m.end() + 30] for m in found]


@pytest.fixture(params=["id", "en"])
async def officers_app(
    request: pytest.FixtureRequest, settings: Settings, api: OfflineBotAPI
) -> AsyncIterator[KawanApplication]:
    """The real Application with the officers reading Indonesian, then English."""
    application = build_application(make_settings(settings, default_locale=request.param), api=api)
    async with running(application):
        yield application


async def test_cards_histories_kasus_and_antrian_show_no_code_for_any_status_category_or_event(
    officers_app: KawanApplication, api: OfflineBotAPI
) -> None:
    app = officers_app
    t = app.services.officers_t
    repos = app.services.repos
    officer = ChatDriver(app, api, OFFICER, chat_id=OFFICERS_CHAT)
    later = hand_clock(app, api)  # ten cards and forty answers: more than a minute's budget
    relationships = [*labels.RELATIONSHIPS, "Paman"]  # the last one typed by the family
    contacts: list[ContactPolicy] = ["any", "safe_hours", "never_first"]
    cases = []
    for n, category in enumerate(CATEGORY_NAMES):
        relative = None
        if n % 4:  # seven reports by family, covering every relationship
            relationship = relationships[sum(c.kind == "relative" for c in cases) % 6]
            relative = Relative(name="Rina", relationship=relationship, last_place="Bavet")
        cases.append(await _new_case(
            app, n, category=category, urgent=n % 4 == 0, hours_ago=n + 0.5, relative=relative,
            contact=contacts[n % 3], locale="en" if n % 5 == 1 else "id", post=True,
        ))  # fmt: skip
    await _settle(app)
    shown = [r["text"] for r in api.sent("sendMessage", chat_id=OFFICERS_CHAT)]
    # Every status, through the real buttons on the posted cards.
    partners = list(REFERRALS)
    for i, case in enumerate(cases):
        step = i % 5
        later()
        if step >= 1:
            await officer.press(f"c:claim:{case.id}")
            shown.append(officer.text)
        if step == 2:
            await officer.press(f"c:info:{case.id}")
        if step == 3:
            await officer.press(f"c:ref:{case.id}")
            await officer.press(f"c:refto:{case.id}:{partners[i // 5 % len(partners)]}")
        if step == 4:
            await officer.press(f"c:close:{case.id}")
            await officer.press(f"c:closeok:{case.id}")
        shown.append(officer.text)
    open_cases = [case for i, case in enumerate(cases) if i % 5 != 4]
    for value, case in zip([*partners[2:], *AGENCY_VALUES], open_cases, strict=False):
        assert await repos.cases.refer(case.id, OFFICER.id, value) is not None
    # Every event kind, with every detail the bot writes.
    details = {
        "media": ["photo", "document", "voice", "video"],
        "checkin_alert": ["duress", "missed"],
        "erased": ["request", "retention"],
        "status": ["menunggu"],
    }
    for k, kind in enumerate(labels.EVENT_LABELS):
        for j, detail in enumerate(details.get(kind, [None])):
            actor = "officer" if kind in ("note", "reply", "blocked") else "system"
            await repos.cases.add_event(
                cases[(k + j) % len(cases)].id, actor=actor, kind=kind, detail=detail,
                actor_id=OFFICER.id if actor == "officer" else None, body="Sudah dicek",
            )  # fmt: skip
    kasus = []
    for case in cases:
        later()
        await officer.send(f"/kasus {case.ref}")
        kasus.append(officer.text)
        assert visible_length(officer.replies[-1].params["text"]) <= TEXT
    antrian = []
    for command in ("/antrian", "/antrian baru", "/antrian saya", "/antrian mendesak"):
        later()
        await officer.send(command)
        antrian.append(officer.text)
    screens = "\n".join([*shown, *kasus, *antrian])
    assert not raw_codes(screens, t, app), raw_codes(screens, t, app)
    history = "\n".join(kasus)
    for kind, label in labels.EVENT_LABELS.items():
        assert t(label) in history, kind
    for table in (STATUS_LABELS, labels.DETAILS):
        for code, label in table.items():
            assert t(label) in history, code
    for code in REFERRALS:  # an agency of contacts.yaml reads as its referral name
        shown_as = labels.agency(t, app.services.content, REFERRALS, code)
        assert shown_as and shown_as in history, code
    for label in labels.RELATIONSHIPS.values():
        assert t(label) in history
    assert "Paman" in history and "Yayasan Harapan" in history and "KP2MI" in history
    assert f"{OFFICER.first_name}: {t('claimed the case')}" in history  # who acted, by name
    assert f"{t('Citizen')}: {t('sent the request')}" in history
    assert f"{t('Kawan (automatic)')}: {t('reminded: not claimed yet')}" in history
    for case in cases:
        now = await repos.cases.get_by_id(case.id)
        assert now is not None and (case.ref in antrian[0]) == now.is_open  # open ones listed
        assert t(CATEGORY_NAMES[case.category]) in "\n".join(antrian + kasus)
    assert t(labels.LANGUAGES["en"]) in history and t(labels.LANGUAGES["id"]) in history


async def test_the_card_says_who_claimed_it_and_when_its_age_language_and_contact_rules(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    api.chat(OFFICERS_CHAT).members[BUDI.id] = "member"
    budi = ChatDriver(app, api, BUDI, chat_id=OFFICERS_CHAT)
    case = await _new_case(
        app, 1, category="held", urgent=True, hours_ago=3, contact="safe_hours", locale="en",
        post=True,
    )  # fmt: skip
    await _settle(app)
    (card,) = [m for m in api.visible_texts(OFFICERS_CHAT) if case.ref in m]
    assert "Diambil oleh: belum ada" in card
    assert "umur kasus 3 jam 0 menit" in card
    assert "Bahasa WNI: Inggris" in card
    assert "chat ini, hanya pada jam aman (22:00–02:00)" in card
    assert "Urgensi: 🚨 mendesak" in card and "Ditahan" in card
    replies = await budi.press(f"c:claim:{case.id}")
    claimed = await app.services.repos.cases.get_by_id(case.id)
    assert claimed is not None and claimed.claimed_at is not None
    edits = [r for r in replies if r.method == "editMessageText"]
    assert edits and not [r for r in replies if r.method == "sendMessage"]  # edited in place
    when = app.services.officers_t.datetime(claimed.claimed_at)
    assert f"Diambil oleh: Budi · {when}" in edits[-1].text
    (card,) = [m for m in api.visible_texts(OFFICERS_CHAT) if case.ref in m]
    assert f"Diambil oleh: Budi · {when}" in card
    rows = await app.services.repos.db.fetchall(
        "SELECT payload FROM outbox WHERE target_chat_id = ?", (case.chat_id,)
    )
    assert rows and not [r for r in rows if "Budi" in r["payload"]]  # the citizen never sees it
    never = await _new_case(app, 2, contact="never_first", post=True)
    await _settle(app)
    (card,) = [m for m in api.visible_texts(OFFICERS_CHAT) if never.ref in m]
    assert "jangan kirim pesan lebih dulu" in card and "Urgensi: biasa" in card


async def test_antrian_pages_of_ten_urgent_first_then_oldest_edited_in_place(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver
) -> None:
    repos = app.services.repos
    cases = []
    for n in range(23):
        case = await _new_case(
            app, n, category=("visa", "passport", "job")[n % 3], urgent=n in (5, 17),
            hours_ago=30 - n, area=f"Kampot {n} " + "jalan panjang " * 30,
        )  # fmt: skip
        await repos.cases.set_thread(case.id, 7000 + n)
        cases.append(case)
    expected = [cases[5], cases[17], *[c for c in cases if not c.urgent]]
    await officer.send("/antrian")
    assert "Kasus terbuka: 23 · halaman 1 dari 3" in officer.text
    assert REF.findall(officer.text) == [c.ref for c in expected[:10]]
    html = officer.replies[-1].params["text"]
    assert visible_length(html) <= TEXT
    for case in expected[:10]:
        n = case.user_id - 200_000 if case.user_id else -1
        assert f'<a href="https://t.me/c/1234567890/{7000 + n}">{case.ref}</a>' in html
        assert f"Kampot {n} " in officer.text
        assert labels.label(app.services.officers_t, CATEGORY_NAMES, case.category) in html
    assert "30 jam 0 menit" in officer.text and "belum diambil" in officer.text
    sends = len(api.sent("sendMessage", chat_id=OFFICERS_CHAT))
    replies = await officer.press("q:all:0:1")
    assert replies[0].method == "answerCallbackQuery"  # the spinner stops first
    assert [r.method for r in replies if r.method != "answerCallbackQuery"] == ["editMessageText"]
    assert REF.findall(officer.text) == [c.ref for c in expected[10:20]]
    await officer.press("Berikutnya ▶")
    assert "halaman 3 dari 3" in officer.text
    assert REF.findall(officer.text) == [c.ref for c in expected[20:]]
    assert "Berikutnya ▶" not in [label for label, _ in officer.buttons]
    await officer.press("◀ Sebelumnya")
    assert REF.findall(officer.text) == [c.ref for c in expected[10:20]]
    assert len(api.sent("sendMessage", chat_id=OFFICERS_CHAT)) == sends  # pages are edits
    # Another officer (not the one who asked) may turn the pages too; a stranger may not.
    api.chat(OFFICERS_CHAT).members[BUDI.id] = "member"
    budi = ChatDriver(app, api, BUDI, chat_id=OFFICERS_CHAT)
    await budi.press("q:all:0:0")
    assert REF.findall(budi.text) == [c.ref for c in expected[:10]]
    stranger = ChatDriver(app, api, Person(id=666, first_name="X"), chat_id=OFFICERS_CHAT)
    replies = await stranger.press("q:all:0:1")
    assert "answerCallbackQuery" in [r.method for r in replies]  # refused, kindly
    assert not [r for r in replies if r.method in ("editMessageText", "sendMessage")]


async def test_antrian_filters_unclaimed_mine_and_urgent(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver
) -> None:
    repos = app.services.repos
    api.chat(OFFICERS_CHAT).members[BUDI.id] = "member"
    budi = ChatDriver(app, api, BUDI, chat_id=OFFICERS_CHAT)
    cases = [
        await _new_case(app, n, urgent=n in (3, 4), hours_ago=10 - n, category="medical")
        for n in range(6)
    ]
    for case in cases[:2]:
        await repos.cases.claim(case.id, BUDI.id)
    await repos.cases.claim(cases[2].id, OFFICER.id)
    refs = [c.ref for c in cases]
    await officer.send("/antrian baru")
    assert REF.findall(officer.text) == [refs[3], refs[4], refs[5]]
    assert "Kasus belum diambil: 3" in officer.text
    await budi.send("/antrian saya")
    assert REF.findall(budi.text) == refs[:2]
    assert "Kasus yang diambil Budi: 2" in budi.text and "✋ Budi" in budi.text
    await officer.send("/antrian mendesak")
    assert REF.findall(officer.text) == [refs[3], refs[4]]
    assert "Kasus mendesak: 2" in officer.text and "Sakit atau terluka" in officer.text
    await officer.send("/antrian saya")
    assert REF.findall(officer.text) == [refs[2]]
    # The filter buttons: "Mine" is whoever presses it; a page of Budi's list stays Budi's.
    await budi.press("q:mine:0:0")
    assert REF.findall(budi.text) == refs[:2]
    await officer.callback(f"q:mine:{BUDI.id}:0")
    assert REF.findall(officer.text) == refs[:2]
    await officer.press("q:urgent:0:0")
    assert REF.findall(officer.text) == [refs[3], refs[4]]
    await officer.send("/antrian")
    assert REF.findall(officer.text) == [refs[3], refs[4], *refs[:3], refs[5]]
    assert "✋ Budi" in officer.text and f"✋ {OFFICER.first_name}" in officer.text
    await officer.send("/queue urgent")  # the English alias and word
    assert REF.findall(officer.text) == [refs[3], refs[4]]


async def test_an_unknown_code_reads_as_a_word_not_the_code(
    app: KawanApplication, officer: ChatDriver
) -> None:
    case = await _new_case(app, 1, category="brand_new_category")
    await app.services.repos.cases.add_event(
        case.id, actor="system", actor_id=None, kind="some_future_event", detail="odd_detail"
    )
    await app.services.repos.cases.refer(case.id, OFFICER.id, "some_contact_id")
    await officer.send(f"/kasus {case.ref}")
    assert "lainnya" in officer.text and "lembaga lain" in officer.text
    assert not SNAKE.findall(officer.text), SNAKE.findall(officer.text)
    await officer.send("/antrian")
    assert case.ref in officer.text and not SNAKE.findall(officer.text)


async def test_the_posted_card_is_redrawn_in_place_when_the_case_moves_elsewhere(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver, citizen: ChatDriver
) -> None:
    await citizen.send("/bantuan")
    await citizen.press("i:category:visa")
    await citizen.press("i:safe:yes")
    await citizen.send("Phnom Penh")
    await citizen.press("i:contact:any")
    await citizen.send("Visa saya habis minggu lalu")
    await finish_request(citizen)
    await _settle(app)
    (case,) = await app.services.repos.cases.list_for_user(citizen.person.id)
    assert case.card_message_id is not None

    def card() -> str:
        return str(api.chat(OFFICERS_CHAT).messages[case.card_message_id or 0]["text"])

    assert "Diambil oleh: belum ada" in card() and "Urgensi: biasa" in card()
    await officer.send(f"/kasus {case.ref}")  # pressed here, not on the card in the topic
    await officer.press(f"c:claim:{case.id}")
    await officer.press(f"c:info:{case.id}")
    await officer.press(f"c:infogen:{case.id}")  # the general question, of the saved ones
    await _settle(app)
    assert "Diambil oleh: Officer" in card() and "Status: menunggu WNI" in card()
    await citizen.send("Nomor paspor saya A1234567")  # the answer to the request for info
    await _settle(app)
    assert "Status: diambil" in card()
    await citizen.send("tolong saya disekap bos, paspor diambil")
    await _settle(app)
    assert "Urgensi: 🚨 mendesak" in card()
    edits = [p for p in api.sent("editMessageText", chat_id=OFFICERS_CHAT)
             if p["message_id"] == case.card_message_id]  # fmt: skip
    assert len(edits) >= 3  # redrawn, never posted again
    cards = [t for t in api.visible_texts(OFFICERS_CHAT) if "Diambil oleh:" in t]
    assert len(cards) == 2  # the card in the topic and the /kasus answer


async def test_officer_names_are_kept_as_they_act_and_follow_a_rename(repos: Repositories) -> None:
    await repos.officers.remember(BUDI.id, "Budi")
    await repos.officers.remember(BUDI.id, "Budi")  # unchanged: no second write
    await repos.officers.remember(OFFICER.id, "  ")  # no name: nothing kept
    assert await repos.officers.names([BUDI.id, OFFICER.id, None]) == {BUDI.id: "Budi"}
    await repos.officers.remember(BUDI.id, "Budi S.")
    assert await repos.officers.names([BUDI.id]) == {BUDI.id: "Budi S."}
    assert await repos.officers.names([]) == {}


async def test_kasus_and_antrian_fit_telegrams_limit_with_the_longest_fields(
    app: KawanApplication, officer: ChatDriver
) -> None:
    long = "kata " * 500
    relative = Relative(name=long, relationship=long, last_contact=long, last_place=long)
    case = await _new_case(app, 1, area=long, relative=relative)
    for _ in range(20):
        await app.services.repos.cases.add_event(
            case.id, actor="officer", actor_id=OFFICER.id, kind="note", body=long
        )
    await officer.send(f"/kasus {case.ref}")
    (reply,) = [r for r in officer.replies if r.method == "sendMessage"]
    assert visible_length(reply.params["text"]) <= TEXT and case.ref in reply.text
    assert reply.buttons  # the card's buttons survive the cut
    for n in range(2, 12):
        await _new_case(app, n, area=long)
    await officer.send("/antrian")
    (reply,) = [r for r in officer.replies if r.method == "sendMessage"]
    assert visible_length(reply.params["text"]) <= TEXT
    assert len(REF.findall(reply.text)) == 10 and "halaman 1 dari 2" in reply.text

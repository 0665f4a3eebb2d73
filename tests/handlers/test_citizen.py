"""bot/handlers/citizen.py: /status, follow-ups relayed to the case's topic, sealed messages."""

from __future__ import annotations

import html

import pytest

from bot.context import KawanApplication
from bot.handlers.citizen import CITIZEN_STATUS
from bot.intake.draft import CATEGORY_LABELS
from bot.queue.notices import gives_away
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT
from tests.scenes import (
    AWKWARD,
    open_case,
    person,
    settle,
    to_officers,
    toast,
    words,
)


async def _kinds(app: KawanApplication, case_id: int) -> list[tuple[str, str | None]]:
    return [(e.kind, e.detail) for e in await app.services.repos.cases.events(case_id)]


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_status_lists_requests_their_state_and_the_latest_word_from_kbri(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver, locale: str
) -> None:
    citizen = ChatDriver(app, api, person(101_000, locale))
    await citizen.send("/status")
    assert words(app, locale, "You have not sent any request yet.") in citizen.text
    assert (words(app, locale, "✍️ Send a help request"), "h:self") in citizen.buttons

    case = await open_case(app, api, citizen)
    await citizen.send("/status")
    assert case.ref in citizen.text
    assert words(app, locale, CITIZEN_STATUS["baru"]) in citizen.text
    assert words(app, locale, CATEGORY_LABELS["passport"]) in citizen.text

    await officer.callback(f"c:claim:{case.id}")
    await officer.send("Kami cek besok <pagi> & kabari.", thread_id=case.thread_id)
    await settle(app)
    await citizen.callback("h:status")  # the same screen from a button, edited in place
    assert words(app, locale, CITIZEN_STATUS["diambil"]) in citizen.text
    assert words(app, locale, "Latest from KBRI:") in citizen.text
    assert "Kami cek besok <pagi> & kabari." in citizen.text  # escaped, then shown as typed


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_a_follow_up_joins_the_case_and_reaches_its_topic(
    app: KawanApplication, api: OfflineBotAPI, locale: str
) -> None:
    citizen = ChatDriver(app, api, person(101_100, locale))
    case = await open_case(app, api, citizen)
    await citizen.send("Saya sudah pindah ke Phnom Penh.")
    ack = words(
        app, locale, "✓ Added to your request %(ref)s; it is on its way to KBRI.", ref=case.ref
    )
    assert citizen.text == ack
    before = len(api.calls)
    await settle(app)
    (relayed,) = to_officers(api, before)
    assert relayed["text"] == (
        f"💬 <b>WNI</b> · <code>{case.ref}</code>\nSaya sudah pindah ke Phnom Penh."
    )
    assert relayed["message_thread_id"] == case.thread_id
    assert ("citizen_message", None) in await _kinds(app, case.id)


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice"])
async def test_stickers_photos_and_voice_notes_are_copied_to_the_topic(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, kind: str
) -> None:
    case = await open_case(app, api, citizen)
    caption = "Ini buktinya" if kind == "photo" else None
    await citizen.send(kind=kind, caption=caption)
    assert citizen.text == words(
        app, "id", "✓ Added to your request %(ref)s; it is on its way to KBRI.", ref=case.ref
    )
    sent_id = max(api.chat(citizen.chat_id).messages)  # the bot's answer came after it
    source = max(m for m in api.chat(citizen.chat_id).messages if m < sent_id)
    before = len(api.calls)
    await settle(app)
    (copy,) = to_officers(api, before)
    assert copy["from_chat_id"] == citizen.chat_id and copy["message_id"] == source
    assert copy["caption"].startswith(f"💬 <b>WNI</b> · <code>{case.ref}</code>")
    assert (caption or "") in copy["caption"]
    assert copy["message_thread_id"] == case.thread_id
    assert ("citizen_message", "media") in await _kinds(app, case.id)


async def test_ten_thousand_characters_of_markup_arrive_whole_escaped_and_in_order(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    await citizen.send(AWKWARD)
    assert case.ref in citizen.text and len(citizen.replies) == 1  # one answer, not three
    before = len(api.calls)
    await settle(app)
    parts = to_officers(api, before)
    assert len(parts) == 3
    shown = []
    for number, part in enumerate(parts, start=1):
        head, _, body = part["text"].partition("\n")
        assert head.endswith(f"({number}/3)") and part["message_thread_id"] == case.thread_id
        assert "<c>" not in body  # the paste is text, never markup
        shown.append(html.unescape(body))
    assert " ".join(shown).split() == AWKWARD.split()  # parts break between words
    # Telegram accepted each part: the stored messages hold the text as the citizen wrote it.
    stored = [m["text"] for m in api.chat(OFFICERS_CHAT).messages.values() if "/3)" in m["text"]]
    assert len(stored) == 3 and all(len(text) <= 4096 for text in stored)


async def test_danger_in_a_follow_up_makes_the_case_urgent_and_shows_emergency_numbers(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    await citizen.send("tolong saya disekap di lantai 3")
    assert "117" in citizen.text and case.ref in citizen.text
    before = len(api.calls)
    await settle(app)
    assert to_officers(api, before)[0]["text"].startswith("🚨 💬 <b>WNI</b>")
    after = await app.services.repos.cases.get_by_id(case.id)
    assert after is not None and after.urgent


async def test_an_answer_to_kbris_question_puts_the_case_back_in_hand(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    await officer.callback(f"c:claim:{case.id}")
    await officer.callback(f"c:info:{case.id}")
    await officer.callback(f"c:infogen:{case.id}")
    waiting = await app.services.repos.cases.get_by_id(case.id)
    assert waiting is not None and waiting.status == "menunggu"
    await citizen.send("Majikan saya bernama PT Golden.")
    after = await app.services.repos.cases.get_by_id(case.id)
    assert after is not None and after.status == "diambil"
    assert "info_given" in [kind for kind, _ in await _kinds(app, case.id)]


async def test_a_blocked_person_is_told_plainly_and_nothing_is_relayed(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    await officer.send(f"/blokir {case.ref}")
    before = len(api.calls)
    await citizen.send("halo, kenapa tidak dijawab")
    assert citizen.text == words(app, "id", "Your messages are not being passed on at the moment.")
    await settle(app)
    assert to_officers(api, before) == []
    assert ("citizen_message", None) not in await _kinds(app, case.id)


async def test_a_new_request_being_filled_in_keeps_its_answers_out_of_the_open_case(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    case = await open_case(app, api, citizen)
    await citizen.send("/bantuan")
    await citizen.press("i:category:visa")
    await citizen.press("i:safe:yes")
    before = len(api.calls)
    await citizen.send("Siem Reap")  # the form's answer, not a message for the officers
    assert case.ref not in citizen.text
    await settle(app)
    assert to_officers(api, before) == []


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_a_discreet_persons_reply_is_sealed_and_opened_on_request_only(
    app: KawanApplication, api: OfflineBotAPI, officer: ChatDriver, locale: str
) -> None:
    citizen = ChatDriver(app, api, person(101_200, locale))
    case = await open_case(app, api, citizen, safe="no")
    await officer.send("KBRI: datang hari Senin.", thread_id=case.thread_id)
    await settle(app)
    notice = api.sent("sendMessage", chat_id=citizen.chat_id)[-1]
    assert notice["text"] == words(app, locale, "There is a new message for you.")
    assert gives_away(notice["text"]) == []  # unasked: neutral through and through
    await citizen.press(words(app, locale, "📩 Open"))
    opened = api.sent("sendMessage", chat_id=citizen.chat_id)[-1]["text"]
    first_line = words(app, locale, "💬 New message · %(ref)s", ref=f"<code>{case.ref}</code>")
    assert opened.splitlines()[0] == first_line and gives_away(first_line) == []
    assert "datang hari Senin." in opened

    for forged in ("s:open:999999", f"s:open:{case.id}0000"):
        replies = await citizen.callback(forged)
        gone = words(app, locale, "This message is no longer here. /status shows the latest.")
        assert toast(replies) == gone
        assert [r.method for r in replies] == ["answerCallbackQuery"]

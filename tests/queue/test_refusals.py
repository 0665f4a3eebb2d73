"""Nothing Telegram refuses is lost, and officers are told what really happened to a reply."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from bot.context import KawanApplication
from bot.storage.models import NewOutbox
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.ui import limits
from bot.ui.fit import units
from conftest import CITIZEN, OFFICERS_CHAT, finish_request

HEAVY = "&<>\"' abc.\n"


def _heavy(size: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(HEAVY) for _ in range(size))


def _squash(text: str) -> str:
    return "".join(text.split())


async def _settle(app: KawanApplication) -> None:
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()


async def _open_case(app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver) -> int:
    """A help request that reached the group; the thread id of its topic."""
    await citizen.send("/bantuan")
    await citizen.press("i:category:passport")
    await citizen.press("i:safe:yes")
    await citizen.send("Phnom Penh")
    await citizen.press("i:contact:any")
    await citizen.send("Paspor saya ditahan")
    await finish_request(citizen)
    await _settle(app)
    return int(api.sent("sendMessage", chat_id=OFFICERS_CHAT)[0]["message_thread_id"])


def _reaction(api: OfflineBotAPI, message_id: int) -> list[str]:
    return list(api.chat(OFFICERS_CHAT).messages[message_id].get("reactions") or [])


def _reactions_set(api: OfflineBotAPI, message_id: int) -> list[str]:
    """Every reaction the bot set on one message, in order."""
    return [r["emoji"] for p in api.sent("setMessageReaction", chat_id=OFFICERS_CHAT)
            if p["message_id"] == message_id for r in p["reaction"]]  # fmt: skip


def _last_officer_message(api: OfflineBotAPI) -> int:
    return max(m for m, v in api.chat(OFFICERS_CHAT).messages.items() if not v["from"]["is_bot"])


async def test_long_officer_replies_full_of_markup_characters_arrive_whole_and_in_order(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    thread = await _open_case(app, api, citizen)
    for size in (4_090, 8_000, 12_000):
        before = len(api.chat(CITIZEN.id).messages)
        body = _heavy(size, seed=size)
        await officer.send(body, thread_id=thread)
        await _settle(app)
        shown = api.visible_texts(CITIZEN.id)[before:]
        assert len(shown) >= size // limits.TEXT + 1
        assert all(units(text) <= limits.TEXT for text in shown)
        assert all("KWN-" in text for text in shown)  # every part names the case, neutrally
        received = "".join(text.split("\n", 1)[1] for text in shown)
        assert _squash(received) == _squash(body), f"{size} characters arrive whole, in order"
        assert _reactions_set(api, _last_officer_message(api)) == ["✍", "👌"]  # queued, delivered
        assert not api.sent("sendMessage", chat_id=OFFICERS_CHAT)[1:]  # not one group message


async def test_a_request_with_huge_answers_reaches_the_group_with_its_full_description(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    answers = [_heavy(3_000 + n, seed=n) for n in range(3)]
    await citizen.send("/keluarga")
    for answer in answers[:2]:
        await citizen.send(answer)
    for answer in answers[:2]:
        await citizen.send(answer)
    await citizen.send("A1234567")
    await citizen.press("i:category:missing")
    await citizen.press("i:contact:any")
    await citizen.send(answers[2])
    await finish_request(citizen)
    assert "KWN-" in citizen.text
    await _settle(app)
    group = api.visible_texts(OFFICERS_CHAT)
    assert app.services.repos is not None
    case = await app.services.repos.cases.current_for_user(CITIZEN.id)
    assert case is not None and case.ref in group[0]
    assert all(units(text) <= limits.TEXT for text in group)
    assert case.description == answers[2].strip()[:2000]  # what intake keeps (and says so)
    assert _squash(case.description) in _squash("".join(group))  # readable in full, in parts


async def test_a_card_telegram_refuses_still_reaches_the_group_as_a_minimal_card(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    def refuse_cards(method: str, params: dict[str, Any]) -> tuple[int, str, None] | None:
        text, html_mode = str(params.get("text")), params.get("parse_mode") == "HTML"
        if method == "sendMessage" and html_mode and "Paspor saya ditahan" in text:
            return 400, "Bad Request: can't parse entities: unsupported start tag", None
        return None

    api.fault_policy = refuse_cards
    await _open_case(app, api, citizen)
    api.fault_policy = None
    await _settle(app)
    group = api.visible_texts(OFFICERS_CHAT)
    assert app.services.repos is not None
    case = await app.services.repos.cases.current_for_user(CITIZEN.id)
    assert case is not None and case.ref in group[0] and case.card_message_id is not None
    assert "Rincian tidak dapat ditampilkan" in group[0]
    assert any("Paspor saya ditahan" in text for text in group[1:])  # the details, as plain text


async def test_a_refused_reply_is_retried_as_plain_text_then_reported_in_the_topic(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    thread = await _open_case(app, api, citizen)
    refusals: list[str] = []

    def refuse_html(method: str, params: dict[str, Any]) -> tuple[int, str, None] | None:
        to_citizen = method == "sendMessage" and params.get("chat_id") == CITIZEN.id
        if to_citizen and params.get("parse_mode") == "HTML":
            refusals.append("html")
            return 400, "Bad Request: can't parse entities: something new", None
        return None

    api.fault_policy = refuse_html
    await officer.send("Datang hari Senin & bawa fotokopi.", thread_id=thread)
    await _settle(app)
    assert refusals and "Datang hari Senin & bawa fotokopi." in api.visible_texts(CITIZEN.id)[-1]
    assert _reaction(api, _last_officer_message(api)) == ["👌"]

    def refuse_all(method: str, params: dict[str, Any]) -> tuple[int, str, None] | None:
        if method == "sendMessage" and params.get("chat_id") == CITIZEN.id:
            return 400, "Bad Request: MESSAGE_EMPTY", None
        return None

    api.fault_policy = refuse_all
    await officer.send("Pesan kedua", thread_id=thread)
    await _settle(app)
    assert _reaction(api, _last_officer_message(api)) == ["💔"]
    topic = [m["text"] for m in api.chat(OFFICERS_CHAT).messages.values()
             if m.get("message_thread_id") == thread and "text" in m]  # fmt: skip
    assert any("Telegram menolak" in t and "message_empty" in t.lower() for t in topic)
    repos = app.services.repos
    assert repos is not None
    failed = await repos.db.fetchall("SELECT * FROM outbox WHERE failed_at IS NOT NULL")
    assert len(failed) == 1  # kept for a person
    case = await repos.cases.current_for_user(CITIZEN.id)
    assert case is not None
    assert "undelivered" in [e.kind for e in await repos.cases.events(case.id)]


async def test_a_reply_to_a_citizen_who_blocked_the_bot_waits_for_their_next_message(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    thread = await _open_case(app, api, citizen)
    api.chat(CITIZEN.id).blocked_bot = True
    await officer.send("Kami sudah hubungi imigrasi.", thread_id=thread)
    await _settle(app)
    await officer.send("Satu lagi.", thread_id=thread)
    await _settle(app)
    topic = [m.get("text", "") for m in api.chat(OFFICERS_CHAT).messages.values()
             if m.get("message_thread_id") == thread]  # fmt: skip
    notices = [text for text in topic if "tidak dapat dihubungi" in text]
    assert len(notices) == 1  # told once, when it was noticed
    assert _reaction(api, _last_officer_message(api)) == ["💔"]
    assert app.services.repos is not None
    case = await app.services.repos.cases.current_for_user(CITIZEN.id)
    assert case is not None
    await officer.send(f"/kasus {case.ref}")
    assert "WNI tidak bisa dihubungi (bot diblokir)" in officer.text
    assert "citizen_unreachable" not in officer.text
    api.chat(CITIZEN.id).blocked_bot = False
    await citizen.send("halo, saya kembali")
    await _settle(app)
    shown = api.visible_texts(CITIZEN.id)
    assert any("Kami sudah hubungi imigrasi." in text for text in shown)
    assert shown.index(next(t for t in shown if "Kami sudah" in t)) < shown.index(
        next(t for t in shown if "Satu lagi." in t)
    )


async def test_a_reply_is_not_kept_behind_hundreds_of_group_posts(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await _open_case(app, api, citizen)
    repos, dispatcher = app.services.repos, app.services.dispatcher
    assert repos is not None and dispatcher is not None
    case = await repos.cases.current_for_user(CITIZEN.id)
    assert case is not None
    for n in range(400):
        await repos.outbox.enqueue(NewOutbox(
            kind="notice", target_chat_id=OFFICERS_CHAT, case_id=case.id, payload={"text": f"n{n}"}
        ))  # fmt: skip
    await repos.outbox.enqueue(NewOutbox(
        kind="to_citizen", target_chat_id=CITIZEN.id, case_id=case.id, payload={"text": "Balasan"}
    ))  # fmt: skip
    await dispatcher.run_once()
    assert api.visible_texts(CITIZEN.id)[-1] == "Balasan"


async def test_a_follow_up_for_a_deleted_topic_brings_the_case_back_in_a_new_topic(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    thread = await _open_case(app, api, citizen)
    del api.chat(OFFICERS_CHAT).topics[thread]  # an officer deleted the topic
    await citizen.send("Ada kabar?")
    await _settle(app)
    dispatcher = app.services.dispatcher
    assert dispatcher is not None
    later = dispatcher.now() + dt.timedelta(seconds=5)
    dispatcher.now = lambda: later
    await _settle(app)
    new_topic = max(api.chat(OFFICERS_CHAT).topics)
    assert new_topic != thread
    texts = [m.get("text", "") for m in api.chat(OFFICERS_CHAT).messages.values()
             if m.get("message_thread_id") == new_topic]  # fmt: skip
    assert "KWN-" in texts[0] and any("Ada kabar?" in text for text in texts[1:])

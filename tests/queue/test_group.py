"""bot/queue/group.py: a forum topic per case (re-made when deleted), replies elsewhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from telegram.error import BadRequest

from bot.context import KawanApplication
from bot.queue.cards import current_card, topic_name
from bot.queue.group import OfficersGroup
from bot.storage.models import Case, NewCase, NewMedia, NewOutbox, OutboxItem
from bot.transport.chatlog import Fault, FaultPolicy
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT
from tests.translated import said

LONG = "Saya ditahan & dipukul <bos>. " * 400


async def _case(app: KawanApplication, description: str = "Paspor ditahan", **extra: Any) -> Case:
    record = NewCase(
        user_id=300_001, chat_id=300_001, kind="self", category="held", locale="id",
        description=description, consent_text_version="v1", urgent=True, **extra,
    )  # fmt: skip
    return await app.services.repos.cases.create_case(record)


async def _item(app: KawanApplication, row: NewOutbox) -> OutboxItem:
    """A row as the dispatcher hands it over (kept out of the outbox: only this test sends it)."""
    now = dt.datetime.now(dt.UTC)
    return OutboxItem(
        id=1, kind=row.kind, case_id=row.case_id, target_chat_id=row.target_chat_id,
        payload=row.payload or {}, created_at=now, due_at=now, attempts=0, last_error=None,
        delivered_at=None, failed_at=None, held=False, result_message_id=None,
    )  # fmt: skip


async def _settle(app: KawanApplication) -> None:
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()


def _in_thread(api: OfflineBotAPI, thread: int) -> list[dict[str, Any]]:
    log = api.chat(OFFICERS_CHAT)
    return [m for m in log.messages.values() if m.get("message_thread_id") == thread]


def _fail(method: str, fault: Fault) -> FaultPolicy:
    """Telegram refuses `method` with `fault`; everything else works."""
    return lambda called, params: fault if called == method else None


async def test_a_case_gets_its_own_topic_named_by_reference_and_category(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    group = OfficersGroup(app.services, app.bot)
    case = await _case(app)
    card = await current_card(app.services, case)
    message_id = await group.post_minimal(case, card)
    stored = await app.services.repos.cases.get_by_id(case.id)
    assert stored is not None and stored.thread_id is not None
    assert stored.card_message_id == message_id
    name = api.chat(OFFICERS_CHAT).topics[stored.thread_id]
    assert name == topic_name(case, app.services.officers_t)
    assert said(app.services.officers_t, "Held against their will") in name
    assert [m["message_id"] for m in _in_thread(api, stored.thread_id)] == [message_id]


async def test_the_topic_is_reused_for_the_next_card(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    group = OfficersGroup(app.services, app.bot)
    case = await _case(app)
    asked = len(api.sent("getChat", chat_id=OFFICERS_CHAT))
    await group.post_minimal(case, await current_card(app.services, case))
    again = await app.services.repos.cases.get_by_id(case.id)
    assert again is not None
    await group.post_minimal(again, await current_card(app.services, again))
    assert len(api.sent("createForumTopic")) == 1
    assert again.thread_id is not None and len(_in_thread(api, again.thread_id)) == 2
    assert len(api.sent("getChat", chat_id=OFFICERS_CHAT)) == asked + 1  # asked once, kept


async def test_a_deleted_topic_is_made_anew(app: KawanApplication, api: OfflineBotAPI) -> None:
    group = OfficersGroup(app.services, app.bot)
    case = await _case(app)
    await group.post_minimal(case, await current_card(app.services, case))
    first = await app.services.repos.cases.get_by_id(case.id)
    assert first is not None and first.thread_id is not None
    del api.chat(OFFICERS_CHAT).topics[first.thread_id]  # an officer deleted the topic
    message_id = await group.post_minimal(first, await current_card(app.services, first))
    second = await app.services.repos.cases.get_by_id(case.id)
    assert second is not None and second.thread_id not in (None, first.thread_id)
    assert second.card_message_id == message_id
    assert len(api.sent("createForumTopic")) == 2


async def test_refusals_other_than_a_lost_topic_are_raised_not_hidden(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    group = OfficersGroup(app.services, app.bot)
    case = await _case(app)
    card = await current_card(app.services, case)
    api.fault_policy = _fail("sendMessage", (400, "Bad Request: chat not found", None))
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await group.post_minimal(case, card)
    api.fault_policy = _fail("createForumTopic", (400, "Bad Request: not enough rights", None))
    other = await _case(app)
    with pytest.raises(BadRequest, match=r"(?i)not enough rights"):
        await group.post_minimal(other, await current_card(app.services, other))
    stored = await app.services.repos.cases.get_by_id(other.id)
    assert stored is not None and stored.card_message_id is None  # never marked as posted


async def test_without_topics_cards_are_plain_and_follow_ups_reply_to_them(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    api.chat(OFFICERS_CHAT, is_forum=False)
    group = OfficersGroup(app.services, app.bot)
    case = await _case(app)
    card_id = await group.post_minimal(case, await current_card(app.services, case))
    assert api.sent("createForumTopic") == []
    assert await group.placement(case.id) == {
        "message_thread_id": None, "reply_to_message_id": card_id
    }  # fmt: skip
    row = NewOutbox("case_update", OFFICERS_CHAT, {"text": "Pesan baru"}, case_id=case.id)
    sent = await group.to_case_thread(await _item(app, row))
    message = api.chat(OFFICERS_CHAT).messages[sent or 0]
    assert message["reply_to_message"]["message_id"] == card_id


async def test_a_long_description_and_files_follow_the_card_as_their_own_rows(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    t = app.services.officers_t
    media = tuple(NewMedia("photo", f"file{n}") for n in range(12))
    record = NewCase(
        user_id=300_001, chat_id=300_001, kind="self", category="held", locale="id",
        description=LONG, consent_text_version="v1", media=media,
    )  # fmt: skip
    rows = [NewOutbox("case_new", OFFICERS_CHAT)]  # as the intake commits it
    case = await app.services.repos.cases.create_case(record, rows)
    await _settle(app)
    stored = await app.services.repos.cases.get_by_id(case.id)
    assert stored is not None and stored.card_message_id is not None
    assert stored.thread_id is not None
    assert _in_thread(api, stored.thread_id)[0]["message_id"] == stored.card_message_id
    thread = _in_thread(api, stored.thread_id)
    photos = [m for m in thread if "photo" in m]
    assert len(photos) == 10  # the first ten files; the card counts them all
    parts = [m["text"] for m in thread[1:] if "text" in m]
    assert len(parts) >= 3 and parts[0].startswith(f"📄 {case.ref} · {said(t, 'Description')}")
    assert " ".join(LONG.split()) in " ".join(" ".join(parts).split())  # all of it, in order


async def test_a_case_that_is_gone_posts_nothing(app: KawanApplication, api: OfflineBotAPI) -> None:
    group = OfficersGroup(app.services, app.bot)
    missing = await _item(app, NewOutbox("case_new", OFFICERS_CHAT, case_id=None))
    assert await group.post_case(missing) is None
    case = await _case(app, media=(NewMedia("photo", "p1"),))
    payload = {"kind": "photo", "file_id": "p1"}
    row = await _item(app, NewOutbox("case_file", OFFICERS_CHAT, payload, case_id=case.id))
    await app.services.repos.privacy.erase_user(case.user_id or 0)
    assert await group.post_file(row) is None  # the file went with the person's data
    assert api.sent("sendPhoto") == []


async def test_a_redraw_edits_the_card_in_place_and_copes_with_refusals(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    group = OfficersGroup(app.services, app.bot)
    case = await _case(app)
    redraw = await _item(app, NewOutbox("case_update", OFFICERS_CHAT, {"redraw": True},
                                        case_id=case.id))  # fmt: skip
    assert await group.to_case_thread(redraw) is None  # never posted: nothing to edit
    card_id = await group.post_minimal(case, await current_card(app.services, case))
    await app.services.repos.cases.claim(case.id, 900_001)
    sends = len(api.sent("sendMessage"))
    assert await group.to_case_thread(redraw) == card_id
    assert len(api.sent("sendMessage")) == sends  # an edit, never a new message
    edited = api.chat(OFFICERS_CHAT).messages[card_id]["text"]
    assert said(app.services.officers_t, "claimed") in edited
    assert await group.edit_card(redraw) == card_id  # "not modified": it already stands so
    del api.chat(OFFICERS_CHAT).messages[card_id]  # deleted by an officer
    assert await group.edit_card(redraw) is None

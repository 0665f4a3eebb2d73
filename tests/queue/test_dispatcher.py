"""The outbox dispatcher under Telegram failures, restarts, deleted topics and a surge."""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from bot.app import build_application, running
from bot.config import Settings
from bot.context import KawanApplication
from bot.queue.pacing import GroupPacer
from bot.storage.models import NewCase, NewOutbox
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT


def _new_case(user_id: int, description: str = "tolong") -> NewCase:
    return NewCase(
        user_id=user_id, chat_id=user_id, kind="self", category="passport", locale="id",
        description=description, consent_text_version="test",
    )  # fmt: skip


async def _commit(app: KawanApplication, count: int, start: int = 1) -> list[str]:
    repos = app.services.repos
    assert repos is not None
    refs = []
    for n in range(start, start + count):
        case = await repos.cases.create_case(
            _new_case(10_000 + n), [NewOutbox(kind="case_new", target_chat_id=OFFICERS_CHAT)]
        )
        refs.append(case.ref)
    return refs


def _group_texts(api: OfflineBotAPI) -> list[str]:
    """Text of every message now in the officers' group (failed calls left nothing there)."""
    return [m["text"] for m in api.chat(OFFICERS_CHAT).messages.values() if "text" in m]


async def test_every_case_is_delivered_once_despite_timeouts_5xx_and_429(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    rng = random.Random(7)
    faults = [(0, "timeout", None), (502, "Bad Gateway", None), (429, "Too Many Requests", 1)]
    injected: list[int] = []

    def flaky(method: str, params: dict[str, Any]) -> tuple[int, str, int | None] | None:
        if method in ("sendMessage", "createForumTopic") and rng.random() < 0.3:
            fault = faults[len(injected) % len(faults)]  # each kind in turn
            injected.append(fault[0])
            return fault
        return None

    dispatcher = app.services.dispatcher
    assert dispatcher is not None
    await dispatcher.stop()  # drive it by hand with a clock we control
    clock = [1_000_000.0]
    dispatcher.pacer = GroupPacer(clock=lambda: clock[0])
    import datetime as dt

    base = dt.datetime.now(dt.UTC)
    dispatcher.now = lambda: base + dt.timedelta(seconds=clock[0] - 1_000_000.0)
    api.fault_policy = flaky
    refs: list[str] = []
    for n in range(12):  # cases trickle in, so each gets its own topic and card
        refs += await _commit(app, 1, start=n)
        for _ in range(40):
            await dispatcher.run_once()
            clock[0] += 5
    api.fault_policy = None
    texts = _group_texts(api)
    for ref in refs:
        assert sum(ref in text for text in texts) == 1, f"{ref} posted exactly once"
    assert not any("📥" in text for text in texts), "no digest was needed"
    assert len(set(injected)) == 3 and len(injected) >= 5, "timeouts, 5xx and 429 were injected"
    assert app.services.repos is not None
    assert await app.services.repos.outbox.count_pending() == 0


async def test_200_cases_at_once_are_digested_within_the_pace(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    dispatcher = app.services.dispatcher
    assert dispatcher is not None
    await dispatcher.stop()
    clock = [0.0]
    dispatcher.pacer = GroupPacer(clock=lambda: clock[0])
    refs = await _commit(app, 200)
    await dispatcher.settle()
    group = api.sent("sendMessage", chat_id=OFFICERS_CHAT)
    assert len(group) + len(api.sent("createForumTopic")) <= 20, "never over Telegram's group pace"
    shown = " ".join(p["text"] for p in group)
    assert all(ref in shown for ref in refs), "every case is named in a card or a digest"
    assert any("📥" in p["text"] for p in group)
    assert app.services.repos is not None
    assert await app.services.repos.cases.count_open() == 200  # all reachable in /antrian


async def test_a_case_committed_before_a_crash_is_posted_after_restart(
    settings: Settings, api: OfflineBotAPI
) -> None:
    first = build_application(settings, api=api)
    async with running(first):
        assert first.services.dispatcher is not None
        await first.services.dispatcher.stop()  # "killed" before the dispatcher ran
        refs = await _commit(first, 3)
    assert not api.sent("sendMessage", chat_id=OFFICERS_CHAT)
    second = build_application(settings, api=api)
    async with running(second):
        assert second.services.dispatcher is not None
        await second.services.dispatcher.settle()
    texts = _group_texts(api)
    for ref in refs:
        assert sum(ref in text for text in texts) == 1, "posted exactly once"


async def test_a_deleted_topic_is_created_again(app: KawanApplication, api: OfflineBotAPI) -> None:
    dispatcher = app.services.dispatcher
    assert dispatcher is not None and app.services.repos is not None
    [ref] = await _commit(app, 1)
    await dispatcher.settle()
    case = await app.services.repos.cases.get_by_ref(ref)
    assert case is not None and case.thread_id is not None
    del api.chat(OFFICERS_CHAT).topics[case.thread_id]  # an officer deleted the topic
    await app.services.repos.outbox.enqueue(
        NewOutbox(kind="case_card", target_chat_id=OFFICERS_CHAT, case_id=case.id)
    )
    await dispatcher.settle()
    again = await app.services.repos.cases.get_by_ref(ref)
    assert again is not None and again.thread_id not in (None, case.thread_id)
    assert len(api.sent("createForumTopic")) == 2


async def test_a_citizen_who_blocked_the_bot_does_not_stop_the_dispatcher(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    dispatcher = app.services.dispatcher
    assert dispatcher is not None and app.services.repos is not None
    [ref] = await _commit(app, 1)
    case = await app.services.repos.cases.get_by_ref(ref)
    assert case is not None and case.chat_id is not None
    api.chat(case.chat_id).blocked_bot = True
    await app.services.repos.outbox.enqueue(
        NewOutbox(
            kind="to_citizen",
            target_chat_id=case.chat_id,
            case_id=case.id,
            payload={"text": "halo"},
        )
    )
    [other] = await _commit(app, 1, start=500)
    await dispatcher.settle()
    assert any(other in p["text"] for p in api.sent("sendMessage", chat_id=OFFICERS_CHAT))
    user = await app.services.repos.users.get(case.chat_id)
    assert user is not None and user.bot_blocked_at is not None
    assert await app.services.repos.outbox.count_pending() == 0


async def test_attached_files_follow_the_card_as_their_own_rows(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    from bot.storage.models import NewMedia

    dispatcher = app.services.dispatcher
    assert dispatcher is not None and app.services.repos is not None
    media = (NewMedia("photo", "p1"), NewMedia("document", "d1"))
    record = dataclasses.replace(_new_case(777), media=media)
    case = await app.services.repos.cases.create_case(
        record, [NewOutbox(kind="case_new", target_chat_id=OFFICERS_CHAT)]
    )
    await dispatcher.settle()
    assert len(api.sent("sendPhoto", chat_id=OFFICERS_CHAT)) == 1
    assert len(api.sent("sendDocument", chat_id=OFFICERS_CHAT)) == 1
    card = await app.services.repos.cases.get_by_id(case.id)
    assert card is not None
    assert api.sent("sendPhoto")[0]["message_thread_id"] == card.thread_id


async def test_a_follow_up_that_reads_as_danger_flags_the_case_urgent(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    from bot.transport.driver import ChatDriver
    from conftest import CITIZEN
    from tests.handlers.test_helpdesk import settle, submit_self_request

    citizen = ChatDriver(app, api, CITIZEN)
    ref = await submit_self_request(citizen, "Saya mau tanya soal visa")
    await settle(app)
    await citizen.send("tolong mereka pukul saya tadi malam")
    assert "117" in citizen.text
    await settle(app)
    assert app.services.repos is not None
    case = await app.services.repos.cases.get_by_ref(ref)
    assert case is not None and case.urgent
    assert api.sent("sendMessage", chat_id=OFFICERS_CHAT)[-1]["text"].startswith("🚨")


async def test_in_a_surge_urgent_cases_still_get_their_own_card(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    dispatcher = app.services.dispatcher
    assert dispatcher is not None and app.services.repos is not None
    await dispatcher.stop()
    clock = [0.0]
    dispatcher.pacer = GroupPacer(clock=lambda: clock[0])
    await _commit(app, 40)
    urgent = await app.services.repos.cases.create_case(
        dataclasses.replace(_new_case(9_999, "disekap"), urgent=True),
        [NewOutbox(kind="case_new", target_chat_id=OFFICERS_CHAT)],
    )
    await dispatcher.settle()
    cards = [t for t in _group_texts(api) if "📥" not in t]
    assert any(urgent.ref in t for t in cards), "the urgent case has its own card"
    assert sum(urgent.ref in t for t in _group_texts(api)) == 1, "and is not also in a digest"


async def test_replies_wait_for_the_citizens_safe_hours(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    import datetime as dt

    from bot.ui.i18n import TIMEZONE

    dispatcher = app.services.dispatcher
    repos = app.services.repos
    assert dispatcher is not None and repos is not None
    await dispatcher.stop()
    record = dataclasses.replace(
        _new_case(4_321), contact_policy="safe_hours", safe_hours_from=6, safe_hours_to=9
    )
    case = await repos.cases.create_case(record)
    await repos.users.set_contact_policy(4_321, "safe_hours", 6, 9)
    noon = dt.datetime.now(TIMEZONE).replace(hour=12, minute=0, second=0, microsecond=0)
    dispatcher.now = lambda: noon.astimezone(dt.UTC)
    await repos.outbox.enqueue(
        NewOutbox(
            kind="to_citizen", target_chat_id=4_321, case_id=case.id, payload={"text": "KBRI: halo"}
        ),
        now=noon.astimezone(dt.UTC),
    )
    await dispatcher.settle()
    assert not api.sent("sendMessage", chat_id=4_321), "not at noon: outside 06–09"
    next_morning = (noon + dt.timedelta(days=1)).replace(hour=6, minute=30)
    dispatcher.now = lambda: next_morning.astimezone(dt.UTC)
    await dispatcher.settle()
    assert api.sent("sendMessage", chat_id=4_321)[0]["text"] == "KBRI: halo"

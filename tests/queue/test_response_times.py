"""Response times: the first reply is recorded whatever path it takes; reminders escalate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.context import KawanApplication, KawanContext
from bot.queue.jobs import remind_unclaimed
from bot.storage.models import Case, NewCase, NewOutbox
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT


async def _posted_case(app: KawanApplication, user_id: int, urgent: bool = False) -> Case:
    """A new case, announced in the group (its topic exists)."""
    record = NewCase(
        user_id=user_id, chat_id=user_id, kind="self", category="passport", locale="id",
        description="paspor ditahan", consent_text_version="2026-01", urgent=urgent,
    )  # fmt: skip
    case = await app.services.repos.cases.create_case(
        record, [NewOutbox("case_new", OFFICERS_CHAT)]
    )
    await _settle(app)
    found = await app.services.repos.cases.get_by_id(case.id)
    assert found is not None and found.thread_id is not None
    return found


async def _settle(app: KawanApplication) -> None:
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()


def _group_posts(api: OfflineBotAPI, since: int) -> list[dict[str, Any]]:
    return [
        params
        for method, params in api.calls[since:]
        if method == "sendMessage" and int(params["chat_id"]) == OFFICERS_CHAT
    ]


async def test_reminders_escalate_from_the_case_topic_to_the_whole_group(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    case = await _posted_case(app, 7_500_001)
    claimed = await _posted_case(app, 7_500_002)
    await app.services.repos.cases.claim(claimed.id, 1)
    context = KawanContext(app)
    at = case.created_at

    async def remind(minutes: int) -> tuple[int, list[dict[str, Any]]]:
        mark = len(api.calls)
        count = await remind_unclaimed(context, now=at + dt.timedelta(minutes=minutes))
        await _settle(app)
        return count, _group_posts(api, mark)

    assert await remind(10) == (0, [])  # younger than UNCLAIMED_REMINDER_MINUTES (15)
    count, (first,) = await remind(16)
    assert count == 1 and first["message_thread_id"] == case.thread_id
    assert case.ref in first["text"] and "16" in first["text"]
    assert await remind(30) == (0, [])  # no repeat before the hour
    count, (loud,) = await remind(61)
    assert count == 1 and loud.get("message_thread_id") is None  # the main topic: all see it
    assert "🔔" in loud["text"] and "Menunggu lebih dari satu jam tanpa petugas: 1" in loud["text"]
    assert f"{case.ref} · Paspor ditahan atau hilang · 1 jam 1 menit" in loud["text"]
    assert claimed.ref not in loud["text"]
    buttons = [b["callback_data"] for row in loud["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == [f"c:open:{case.id}"]
    assert await remind(90) == (0, [])  # the loud one repeats hourly, not every minute
    count, (again,) = await remind(122)
    assert count == 1 and "2 jam 2 menit" in again["text"]
    kinds = [e.kind for e in await app.services.repos.cases.events(case.id)]
    assert kinds.count("reminder") == 1 and kinds.count("reminder_loud") == 2


async def test_many_late_cases_share_one_loud_reminder(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    cases = [await _posted_case(app, 7_600_000 + n, urgent=n == 3) for n in range(7)]
    mark = len(api.calls)
    later = max(c.created_at for c in cases) + dt.timedelta(minutes=65)
    assert await remind_unclaimed(KawanContext(app), now=later) == 7
    await _settle(app)
    (loud,) = _group_posts(api, mark)  # one send of the group's budget for all seven
    assert "tanpa petugas: 7" in loud["text"] and all(c.ref in loud["text"] for c in cases)
    rows = loud["reply_markup"]["inline_keyboard"]
    assert len(rows) == 5 and rows[0][0]["text"] == f"🚨 {cases[3].ref}"  # urgent first


async def test_the_first_reply_is_recorded_by_every_path_that_reaches_the_citizen(
    app: KawanApplication, officer: ChatDriver
) -> None:
    repos = app.services.repos
    asked = await _posted_case(app, 7_700_001)
    await officer.callback(f"c:claim:{asked.id}")
    await officer.send("!cek ke imigrasi", thread_id=asked.thread_id)  # a note: not a reply
    after = await repos.cases.get_by_id(asked.id)
    assert after is not None and after.status == "diambil" and after.first_reply_at is None
    await officer.callback(f"c:info:{asked.id}")  # "Minta info": the saved questions ...
    await officer.callback(f"c:infogen:{asked.id}")  # ... or the general one reaches the citizen
    after = await repos.cases.get_by_id(asked.id)
    assert after is not None and after.first_reply_at is not None
    answered = await _posted_case(app, 7_700_002)
    await officer.send("Kami bantu besok.", thread_id=answered.thread_id)
    first = await repos.cases.get_by_id(answered.id)
    assert first is not None and first.first_reply_at is not None
    await officer.send("Ada kabar?", thread_id=answered.thread_id)
    second = await repos.cases.get_by_id(answered.id)
    assert second is not None and second.first_reply_at == first.first_reply_at
    referred = await _posted_case(app, 7_700_003)
    await officer.callback(f"c:refto:{referred.id}:iom")
    moved = await repos.cases.get_by_id(referred.id)
    assert moved is not None and moved.first_reply_at is not None
    closed = await _posted_case(app, 7_700_004)
    await officer.callback(f"c:closeok:{closed.id}")  # closing only tells it is closed
    done = await repos.cases.get_by_id(closed.id)
    assert done is not None and done.status == "selesai" and done.first_reply_at is None

"""Deleting a chat on both sides: a hundred ids a call, what Telegram cannot delete is skipped,
and every id is forgotten either way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telegram import Bot

from bot.app import OFFLINE_TOKEN
from bot.queue.wipe import DELETE_BATCH, delete_messages
from bot.storage.repos import Repositories
from bot.transport.chatlog import DELETE_WINDOW_SECONDS
from bot.transport.offline import OfflineBotAPI, OfflineRequest

PERSON = 5_001
EPOCH = datetime(2026, 6, 1, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 1_780_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_a_long_chat_is_deleted_in_calls_of_a_hundred_and_forgotten(
    repos: Repositories,
) -> None:
    clock = Clock()
    api = OfflineBotAPI(now=clock)
    api.chat(PERSON, type="private")
    bot = Bot(OFFLINE_TOKEN, request=OfflineRequest(api))
    async with bot:
        ids = []
        for n in range(235):
            ids.append((await bot.send_message(PERSON, f"pesan {n}")).message_id)
            clock.now += 1.0  # one a second: within Telegram's pace for one chat
            if n == 4:
                clock.now += DELETE_WINDOW_SECONDS  # the first five can no longer be deleted
        for message_id in ids:
            await repos.messages.record(PERSON, message_id, "out", at=EPOCH)
        await delete_messages(bot, repos, PERSON, ids)
    calls = api.sent("deleteMessages")
    assert [len(call["message_ids"]) for call in calls] == [DELETE_BATCH, DELETE_BATCH, 35]
    assert api.visible_texts(PERSON) == [f"pesan {n}" for n in range(5)]  # too old: skipped
    assert await repos.messages.recent(PERSON, since=EPOCH - timedelta(days=1)) == []


async def test_a_refused_call_still_forgets_the_ids(repos: Repositories) -> None:
    api = OfflineBotAPI()
    api.chat(PERSON, type="private")
    api.fault_policy = lambda method, _: (
        (400, "Bad Request: message can't be deleted") if method == "deleteMessages" else None
    )
    bot = Bot(OFFLINE_TOKEN, request=OfflineRequest(api))
    async with bot:
        sent = await bot.send_message(PERSON, "halo")
        await repos.messages.record(PERSON, sent.message_id, "out", at=EPOCH)
        await delete_messages(bot, repos, PERSON, [sent.message_id])
    assert api.visible_texts(PERSON) == ["halo"]
    assert await repos.messages.recent(PERSON, since=EPOCH - timedelta(days=1)) == []

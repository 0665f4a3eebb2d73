"""Telegram's send budget: the fake server's 429s and expiry, and the limiter's priorities."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.runtime.ratelimit import KawanRateLimiter, Priority, SendBudget
from bot.transport.chatlog import ApiError
from bot.transport.offline import OfflineBotAPI
from bot.ui.limits import CALLBACK_ANSWER_SECONDS, GROUP_SENDS_PER_MINUTE


def test_the_fake_telegram_refuses_past_its_flood_limits_with_retry_after() -> None:
    clock = [1000.0]
    api = OfflineBotAPI(now=lambda: clock[0])
    for n in range(30):
        api.handle("sendMessage", {"chat_id": 1 + n, "text": "hi"})
    with pytest.raises(ApiError) as refused:
        api.handle("sendMessage", {"chat_id": 99, "text": "hi"})
    assert refused.value.status == 429 and refused.value.retry_after == 1
    clock[0] += 1.0
    api.handle("sendMessage", {"chat_id": 99, "text": "hi"})  # a second later: room again

    group = -100_500
    api.chat(group, type="supergroup")
    for n in range(GROUP_SENDS_PER_MINUTE):
        clock[0] += 1.0
        api.handle("sendMessage", {"chat_id": group, "text": f"case {n}"})
    with pytest.raises(ApiError) as group_refused:
        api.handle("sendMessage", {"chat_id": group, "text": "one too many"})
    assert group_refused.value.status == 429 and group_refused.value.retry_after > 30
    api.handle("answerCallbackQuery", {"callback_query_id": "x"})  # not a send: never limited


def test_a_button_press_not_answered_within_15_seconds_cannot_be_answered() -> None:
    clock = [1000.0]
    api = OfflineBotAPI(now=lambda: clock[0])
    quick, slow = api.press_button(), api.press_button()
    assert api.handle("answerCallbackQuery", {"callback_query_id": quick}) is True
    clock[0] += CALLBACK_ANSWER_SECONDS + 1
    with pytest.raises(ApiError, match="query is too old"):
        api.handle("answerCallbackQuery", {"callback_query_id": slow})
    assert api.expired_callbacks == 1


async def test_waiting_sends_leave_by_priority_then_least_recently_served_chat() -> None:
    budget = SendBudget(limit=2, window=0.2)
    order: list[str] = []

    async def send(name: str, priority: Priority, chat: int) -> None:
        await budget.acquire(priority, chat)
        order.append(name)

    await send("flood 0", Priority.NORMAL, 1)
    await send("flood 1", Priority.NORMAL, 1)  # the window is full now
    waiting = [asyncio.create_task(send(f"flood {n}", Priority.NORMAL, 1)) for n in range(2, 6)]
    await asyncio.sleep(0)
    waiting.append(asyncio.create_task(send("newcomer", Priority.NORMAL, 2)))
    waiting.append(asyncio.create_task(send("outbox", Priority.BACKGROUND, 3)))
    await asyncio.sleep(0)
    waiting.append(asyncio.create_task(send("danger", Priority.DANGER, 4)))
    await asyncio.wait_for(asyncio.gather(*waiting), 5)
    assert order[2] == "danger"
    assert order[3] == "newcomer"  # equal priority: the chat served least recently first
    assert order[-1] == "outbox"
    assert [o for o in order if o.startswith("flood")] == [f"flood {n}" for n in range(6)]


async def test_the_limiter_keeps_a_burst_within_telegrams_limits() -> None:
    api = OfflineBotAPI()
    limiter = KawanRateLimiter()

    async def call(chat_id: int) -> bool:
        async def send() -> bool:
            api.handle("sendMessage", {"chat_id": chat_id, "text": "hi"})
            return True

        result = await limiter.process_request(
            send, (), {}, "sendMessage", {"chat_id": chat_id}, None
        )
        assert result is True
        return True

    started = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*(call(1000 + n) for n in range(45))), 10)
    assert api.budget.refused == 0  # never refused: the limiter waited instead
    assert time.monotonic() - started >= 0.9  # 45 sends cannot all leave in one second

"""Reactions on officers' messages: the latest wanted state wins, nobody waits, a refusal only
costs the reaction."""

from __future__ import annotations

from telegram import Bot

from bot.app import OFFLINE_TOKEN
from bot.queue.acks import (
    ACK_DELIVERED,
    ACK_FAILED,
    ACK_NOTE,
    ACK_QUEUED,
    ACK_WAITING,
    Acks,
    react,
)
from bot.transport.offline import OfflineBotAPI, OfflineRequest
from bot.ui.limits import REACTION_EMOJI

GROUP = -100_900


def _telegram() -> tuple[OfflineBotAPI, Bot]:
    api = OfflineBotAPI()
    api.chat(GROUP, type="supergroup", title="piket", is_forum=True)
    return api, Bot(OFFLINE_TOKEN, request=OfflineRequest(api))


def test_every_state_is_an_emoji_telegram_allows() -> None:
    states = {ACK_QUEUED, ACK_DELIVERED, ACK_WAITING, ACK_FAILED, ACK_NOTE}
    assert len(states) == 5 and states <= set(REACTION_EMOJI)


async def test_only_the_latest_waiting_state_of_a_message_is_sent() -> None:
    api, bot = _telegram()
    async with bot:
        first = await bot.send_message(GROUP, "balasan 1")
        second = await bot.send_message(GROUP, "balasan 2")
        acks = Acks(bot)
        acks.set((GROUP, first.message_id), ACK_QUEUED)  # returns at once
        acks.set((GROUP, first.message_id), ACK_DELIVERED)  # replaces the one not yet sent
        acks.set((GROUP, second.message_id), ACK_WAITING)
        acks.set(None, ACK_FAILED)  # no message to mark: nothing happens
        await acks.flush()
        await acks.stop()
    log = api.chat(GROUP).messages
    assert log[first.message_id]["reactions"] == [ACK_DELIVERED]
    assert log[second.message_id]["reactions"] == [ACK_WAITING]
    assert len(api.sent("setMessageReaction")) == 2


async def test_a_refused_reaction_is_only_a_missing_reaction() -> None:
    api, bot = _telegram()
    async with bot:
        await react(bot, (GROUP, 12345), ACK_FAILED)  # no such message: refused, not raised
        await react(bot, None, ACK_FAILED)
        acks = Acks(bot)
        acks.set((GROUP, 12345), ACK_NOTE)
        await acks.flush()
        await acks.stop()
    assert len(api.sent("setMessageReaction")) == 2
    assert api.results[-1] is None  # the call failed, and nothing else broke

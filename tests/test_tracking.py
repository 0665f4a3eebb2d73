"""The bot object notes every message it sends to a private chat (for /hapus), and only those."""

from __future__ import annotations

import logging

import pytest

from bot.app import OFFLINE_TOKEN
from bot.tracking import TrackingBot
from bot.transport.offline import OfflineBotAPI, OfflineRequest

PERSON, GROUP = 4_001, -100_300


def _bot() -> tuple[OfflineBotAPI, TrackingBot]:
    api = OfflineBotAPI()
    api.chat(PERSON, type="private")
    api.chat(GROUP, type="supergroup", title="piket")
    return api, TrackingBot(OFFLINE_TOKEN, request=OfflineRequest(api))


async def test_messages_to_a_private_chat_are_noted_and_group_messages_are_not() -> None:
    api, bot = _bot()
    noted: list[tuple[int, int]] = []

    async def note(chat_id: int, message_id: int) -> None:
        noted.append((chat_id, message_id))

    bot.note_private_messages(note)
    async with bot:
        first = await bot.send_message(PERSON, "halo")
        await bot.send_message(GROUP, "kasus baru")
        venue = await bot.send_venue(
            PERSON, latitude=11.55, longitude=104.92, title="KBRI", address="Phnom Penh"
        )
    assert noted == [(PERSON, first.message_id), (PERSON, venue.message_id)]
    assert api.visible_texts(GROUP) == ["kasus baru"]  # sent, just not noted


async def test_a_failing_note_never_loses_the_message_just_sent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    api, bot = _bot()

    async def broken(chat_id: int, message_id: int) -> None:
        raise RuntimeError("database closed")

    bot.note_private_messages(broken)
    async with bot:
        with caplog.at_level(logging.ERROR, logger="bot.tracking"):
            sent = await bot.send_message(PERSON, "halo")
    assert sent.text == "halo" and api.visible_texts(PERSON) == ["halo"]
    assert "could not note a sent message id" in caplog.text


async def test_without_a_hook_sending_works_as_usual() -> None:
    api, bot = _bot()
    async with bot:
        await bot.send_message(PERSON, "halo")
    assert api.visible_texts(PERSON) == ["halo"]

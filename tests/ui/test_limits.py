"""Telegram's limits as the rest of the code relies on them: orderings, units and method names."""

from __future__ import annotations

import datetime as dt
import re

from telegram import Bot, ReactionTypeEmoji

from bot.transport.chatlog import CAPTION_LIMIT, DELETE_WINDOW_SECONDS, TEXT_LIMIT
from bot.ui import limits


def test_a_caption_holds_less_than_a_message_and_card_fields_less_than_either() -> None:
    assert (limits.TEXT, limits.CAPTION) == (4096, 1024)
    assert limits.CAPTION < limits.TEXT
    # A card trims a typed field shorter than the description, and both below one message.
    assert limits.CARD_FIELD < limits.CARD_DESCRIPTION < limits.TEXT


def test_the_fake_telegram_enforces_the_same_numbers() -> None:
    assert (TEXT_LIMIT, CAPTION_LIMIT) == (limits.TEXT, limits.CAPTION)
    assert DELETE_WINDOW_SECONDS == limits.DELETE_WINDOW_SECONDS


def test_the_delete_window_is_48_hours_in_both_forms() -> None:
    assert limits.DELETE_WINDOW_SECONDS == 48 * 60 * 60
    assert dt.timedelta(hours=48) == limits.DELETE_WINDOW
    assert limits.DELETE_WINDOW.total_seconds() == limits.DELETE_WINDOW_SECONDS


def test_small_limits_match_the_bot_api() -> None:
    assert limits.CALLBACK_DATA_BYTES == 64 and limits.START_PAYLOAD == 64
    assert limits.CALLBACK_ANSWER == 200 and limits.TOPIC_NAME == 128
    assert limits.CALLBACK_ANSWER_SECONDS == 15
    assert (limits.OVERALL_SENDS_PER_SECOND, limits.GROUP_SENDS_PER_MINUTE) == (30, 20)
    # A group's minute is a stricter bound than the overall second, per chat.
    assert limits.GROUP_SENDS_PER_MINUTE / 60 < limits.OVERALL_SENDS_PER_SECOND


def test_reaction_emoji_are_single_reactions_telegram_knows() -> None:
    assert "" not in limits.REACTION_EMOJI and all(" " not in e for e in limits.REACTION_EMOJI)
    assert {"👍", "❤", "🙏", "👀", "❤\u200d🔥", "😡"} <= limits.REACTION_EMOJI
    assert len(limits.REACTION_EMOJI) == 73  # the Bot API's list, with no duplicates lost
    for emoji in limits.REACTION_EMOJI:  # PTB builds each as a ReactionTypeEmoji
        assert ReactionTypeEmoji(emoji).emoji == emoji


def test_send_methods_are_real_bot_api_methods_that_post_messages() -> None:
    snake = {re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() for name in limits.SEND_METHODS}
    assert all(callable(getattr(Bot, name, None)) for name in snake), snake
    assert all(n.startswith(("send", "copy", "forward")) for n in limits.SEND_METHODS)
    assert {"sendMessage", "sendPhoto", "copyMessage"} <= limits.SEND_METHODS
    assert not {"editMessageText", "answerCallbackQuery", "deleteMessage"} & limits.SEND_METHODS

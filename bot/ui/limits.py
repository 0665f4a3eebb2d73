"""Telegram's limits, named once: sizes, the delete window, and the send budget."""

from __future__ import annotations

TEXT_LIMIT = 4096  # characters of a message after entity parsing
CAPTION_LIMIT = 1024
CALLBACK_DATA_BYTES = 64
CALLBACK_ANSWER_LIMIT = 200
CALLBACK_ANSWER_SECONDS = 15  # a button press not answered by then can no longer be answered
DELETE_WINDOW_SECONDS = 48 * 3600  # bots may delete private messages younger than this

OVERALL_SENDS_PER_SECOND = 30
GROUP_SENDS_PER_MINUTE = 20

# Methods that post a message and count against the send budget.
SEND_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendAudio", "sendVoice",
        "sendAnimation", "sendSticker", "sendLocation", "sendVenue", "sendContact",
        "sendMediaGroup", "sendPoll", "sendDice", "copyMessage", "copyMessages",
        "forwardMessage", "forwardMessages",
    }
)  # fmt: skip

"""Telegram's limits, in one place (https://core.telegram.org/bots/api and its FAQ).

Texts are measured after entity parsing (what the reader sees), in UTF-16 code units as
Telegram counts them; bot/ui/fit.py bounds and splits texts to these numbers.
"""

from __future__ import annotations

import datetime as dt

TEXT = 4096  # sendMessage / editMessageText text
CAPTION = 1024  # photo, document and copyMessage captions
CALLBACK_DATA_BYTES = 64  # an inline button's callback_data, in bytes
CALLBACK_ANSWER = 200  # answerCallbackQuery text
TOPIC_NAME = 128  # createForumTopic name
DELETE_WINDOW_SECONDS = 48 * 3600  # a bot can delete its messages for everyone this long
DELETE_WINDOW = dt.timedelta(seconds=DELETE_WINDOW_SECONDS)
START_PAYLOAD = 64  # /start deep-link payload

# What fields a person typed may take on a card before "…": the full text follows the card.
CARD_FIELD = 300
CARD_DESCRIPTION = 1500

# The emoji a bot may set as a reaction (ReactionTypeEmoji in the Bot API).
_REACTIONS = (
    "👍 👎 ❤ 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 ❤\u200d🔥 🌚 🌭 💯 "
    "🤣 ⚡ 🍌 "
    "🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 👻 👨\u200d💻 👀 🎃 🙈 😇 😨 🤝 ✍ 🤗 🫡 🎅 🎄 ☃ 💅 🤪 🗿 "
    "🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷\u200d♂ 🤷 🤷\u200d♀ 😡"
)
REACTION_EMOJI = frozenset(_REACTIONS.split(" "))

CALLBACK_ANSWER_SECONDS = 15  # a button press not answered by then can no longer be answered

# The flood limits: past them Telegram answers 429 with retry_after (bot/runtime/ratelimit.py).
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

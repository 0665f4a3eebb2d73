"""What the offline Bot API keeps per chat, its errors, and Telegram's input checks."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.transport.telegram_html import TelegramHTMLError, html_to_plain
from bot.ui import limits

BOT_ID = 7_000_000_001
BOT_USERNAME = "kawan_offline_bot"
TEXT_LIMIT = limits.TEXT
CAPTION_LIMIT = limits.CAPTION
DELETE_WINDOW_SECONDS = limits.DELETE_WINDOW_SECONDS

Fault = tuple[int, str, int | None]  # HTTP status, description, retry_after
FaultPolicy = Callable[[str, dict[str, Any]], Fault | None]


class ApiError(Exception):
    """A refusal the fake server turns into a Bot API error response."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after


@dataclass
class ChatLog:
    """What a chat holds: messages still visible, forum state, members."""

    id: int
    type: str = "private"
    title: str | None = None
    is_forum: bool = False
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    topics: dict[int, str] = field(default_factory=dict)
    members: dict[int, str] = field(default_factory=dict)
    blocked_bot: bool = False


_ADMIN_RIGHTS = (
    "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_pin_messages", "can_manage_topics",
)  # fmt: skip


def checked_text(params: dict[str, Any], key: str, limit: int) -> str:
    """The text a user would see; raises ApiError where Telegram would refuse it."""
    text = str(params.get(key) or "")
    if params.get("parse_mode") == "HTML":
        try:
            text = html_to_plain(text)
        except TelegramHTMLError as exc:
            raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
    if key == "text" and not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(text) > limit:
        raise ApiError(400, f"Bad Request: {key} is too long")
    return text


def check_markup(params: dict[str, Any]) -> Any:
    """The reply markup, refused like Telegram does when callback data is not 1..64 bytes."""
    markup = params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= limits.CALLBACK_DATA_BYTES:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup

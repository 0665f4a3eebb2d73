"""What the offline Bot API keeps per chat, its errors, and Telegram's input checks."""

from __future__ import annotations

import json
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.transport.telegram_html import TelegramHTMLError, html_to_plain
from bot.ui import limits
from bot.ui.fit import units

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
    if units(text) > limit:  # UTF-16 code units, as Telegram counts
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


class TelegramBudget:
    """Telegram's flood limits as a server enforces them: 429 with retry_after past them."""

    def __init__(self, now: Callable[[], float]) -> None:
        self.now = now
        self.enabled = True
        self._all: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}
        self.refused = 0  # 429s answered, for tests and benchmarks

    def check(self, chat_id: int) -> None:
        """Raise the 429 Telegram would send if one more send to `chat_id` went out now."""
        if not self.enabled:
            return
        now = self.now()
        self._check(self._all, limits.OVERALL_SENDS_PER_SECOND, 1.0, now)
        if chat_id < 0:
            self._check(
                self._groups.setdefault(chat_id, deque()), limits.GROUP_SENDS_PER_MINUTE, 60.0, now
            )

    def spend(self, chat_id: int) -> None:
        now = self.now()
        self._all.append(now)
        if chat_id < 0:
            self._groups.setdefault(chat_id, deque()).append(now)

    def _check(self, sent: deque[float], limit: int, window: float, now: float) -> None:
        while sent and now - sent[0] >= window:
            sent.popleft()
        if len(sent) >= limit:
            self.refused += 1
            wait = max(1, math.ceil(window - (now - sent[0])))
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)

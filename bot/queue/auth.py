"""Who may act on cases: members of the officers' group (asked of Telegram, cached briefly)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from telegram import Bot
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

log = logging.getLogger(__name__)

MEMBER_STATUSES = frozenset(
    {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER}
)
CACHE_SECONDS = 300.0


class OfficerAuth:
    """Checked on every officer action, not only when a button is drawn."""

    def __init__(
        self,
        bot: Bot,
        officers_chat_id: int | None,
        officer_ids: frozenset[int] = frozenset(),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot, self.chat_id, self.officer_ids, self.clock = (
            bot,
            officers_chat_id,
            officer_ids,
            clock,
        )
        self._cache: dict[int, tuple[bool, float]] = {}

    async def is_officer(self, user_id: int) -> bool:
        """Member of OFFICERS_CHAT_ID and, when OFFICER_IDS is set, listed there."""
        if self.chat_id is None:
            return False
        if self.officer_ids and user_id not in self.officer_ids:
            return False
        cached = self._cache.get(user_id)
        if cached is not None and self.clock() - cached[1] < CACHE_SECONDS:
            return cached[0]
        try:
            member = await self.bot.get_chat_member(self.chat_id, user_id)
            allowed = member.status in MEMBER_STATUSES or getattr(member, "is_member", False)
        except TelegramError as exc:
            log.warning("membership check failed (%s); refusing", type(exc).__name__)
            return False  # fail closed, and do not cache the failure
        self._cache[user_id] = (allowed, self.clock())
        return allowed

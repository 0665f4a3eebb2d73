"""Pacing of the officers' group: Telegram allows about 20 messages a minute per group."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

GROUP_MESSAGES_PER_MINUTE = 20


class GroupPacer:
    """A sliding-window limiter: at most `limit` sends in any `window` seconds."""

    def __init__(
        self,
        limit: int = GROUP_MESSAGES_PER_MINUTE,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._sent: deque[float] = deque()
        self._paused_until = 0.0

    def _expire(self) -> float:
        now = self.clock()
        while self._sent and now - self._sent[0] >= self.window:
            self._sent.popleft()
        return now

    def available(self) -> int:
        """How many messages may go out right now."""
        now = self._expire()
        if now < self._paused_until:
            return 0
        return self.limit - len(self._sent)

    def take(self, count: int = 1) -> bool:
        """Reserve `count` sends; False (and nothing reserved) if the window is full."""
        if self.available() < count:
            return False
        now = self.clock()
        self._sent.extend([now] * count)
        return True

    def pause(self, seconds: float) -> None:
        """Telegram said RetryAfter: send nothing to the group for that long."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    def wait_time(self) -> float:
        """Seconds until at least one send is allowed again."""
        now = self._expire()
        if now < self._paused_until:
            return self._paused_until - now
        if len(self._sent) < self.limit:
            return 0.0
        return max(0.0, self.window - (now - self._sent[0]))

    def forget(self) -> None:
        """Start over with an empty window (a benchmark phase ends)."""
        self._sent.clear()
        self._paused_until = 0.0

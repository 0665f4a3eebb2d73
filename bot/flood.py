"""Per-user flood control: panic looks like flood, so slow the sender down, never ban them."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

LIMIT = 30  # updates …
WINDOW = 10.0  # … in this many seconds
COOLDOWN = 20.0  # then only case follow-ups are taken for this long
SWEEP_EVERY = 1024


@dataclass
class _Sender:
    times: deque[float] = field(default_factory=deque)
    slowed_until: float = 0.0
    warned: bool = False


class FloodGuard:
    """Counts updates per user in a sliding window."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, max_users: int = 50_000
    ) -> None:
        self.clock, self.max_users = clock, max_users
        self._senders: dict[int, _Sender] = {}
        self._new_since_sweep = 0

    def check(self, user_id: int) -> tuple[bool, bool]:
        """(allowed, warn_now): warn_now is True once per slow-down, for the calm notice."""
        now = self.clock()
        sender = self._senders.get(user_id)
        if sender is None:
            # Memory stays with the people writing now: a sweep every SWEEP_EVERY newcomers
            # (and whenever the bound is reached) forgets those who went quiet.
            self._new_since_sweep += 1
            if self._new_since_sweep >= SWEEP_EVERY or len(self._senders) >= self.max_users:
                self._forget_idle(now)
                self._new_since_sweep = 0
            sender = self._senders[user_id] = _Sender()
        if not sender.times or now - sender.times[-1] > WINDOW:
            sender.warned = False  # calm for a whole window: a new slow-down warns again
        sender.times.append(now)
        while sender.times and now - sender.times[0] > WINDOW:
            sender.times.popleft()
        if now < sender.slowed_until:
            return False, False
        if len(sender.times) > LIMIT:
            sender.slowed_until = now + COOLDOWN
            sender.times.clear()
            warn = not sender.warned
            sender.warned = True
            return False, warn
        return True, False

    def _forget_idle(self, now: float) -> None:
        for user_id in [
            u
            for u, s in self._senders.items()
            if (not s.times or now - s.times[-1] > WINDOW) and now >= s.slowed_until
        ]:
            del self._senders[user_id]

"""A seeded share of failing Bot API calls: 5xx, timeouts and 429 with retry_after."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

Fault = tuple[int, str, int | None]  # what a fault policy returns: status, text, retry_after
SERVER_ERRORS = ((500, "Internal Server Error"), (502, "Bad Gateway"), (503, "Service Unavailable"))


class FaultPlan:
    """`api.fault_policy`: fails `rate` of all calls, reproducibly for a given seed."""

    def __init__(self, rate: float, seed: int, *, max_retry_after: int = 30) -> None:
        self.rate, self.max_retry_after = rate, max_retry_after
        self.rng = random.Random(seed)
        self.calls = 0
        self.injected: Counter[str] = Counter()
        self.by_method: Counter[str] = Counter()

    def __call__(self, method: str, params: dict[str, Any]) -> Fault | None:
        self.calls += 1
        if self.rng.random() >= self.rate:
            return None
        kind = self.rng.choices(("5xx", "timeout", "429"), (4, 3, 3))[0]
        self.injected[kind] += 1
        self.by_method[method] += 1
        if kind == "5xx":
            status, text = self.rng.choice(SERVER_ERRORS)
            return status, text, None
        if kind == "timeout":  # the offline transport raises TimedOut for status 0
            return 0, "Timed out", None
        wait = self.rng.randint(1, self.max_retry_after)
        return 429, f"Too Many Requests: retry after {wait}", wait

    def report(self) -> dict[str, Any]:
        """What was injected, for the JSON."""
        failed = sum(self.injected.values())
        return {
            "calls": self.calls,
            "failed": failed,
            "failed_share": round(failed / self.calls, 4) if self.calls else 0.0,
            "by_kind": dict(self.injected),
            "by_method": dict(self.by_method.most_common()),
        }

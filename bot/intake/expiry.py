"""How long a half-filled help request waits in user_data before it is forgotten."""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any

DRAFT_KEY = "intake"  # user_data key of the request being filled in
DRAFT_TTL_SECONDS = 30 * 60  # a draft left this long without an answer is forgotten
TOUCHED = "touched_at"  # when the draft last changed (epoch seconds, survives restarts)


def expire_draft(user_data: MutableMapping[Any, Any] | None, now: float | None = None) -> bool:
    """Forget the draft if it waited DRAFT_TTL_SECONDS for an answer; True if it did.

    Nobody is messaged: a person who left may be hiding the phone. They are told when they next
    answer. A draft saved before drafts carried a time starts its 30 minutes now.
    """
    data = user_data.get(DRAFT_KEY) if user_data is not None else None
    if user_data is None or not isinstance(data, dict):
        return False
    now = time.time() if now is None else now
    touched = data.setdefault(TOUCHED, now)
    if not isinstance(touched, int | float) or now - touched <= DRAFT_TTL_SECONDS:
        return False
    del user_data[DRAFT_KEY]
    return True

"""Unexpected errors reach a person: a notice in ALERTS_CHAT_ID (or the officers' group).

At most one notice per kind of error (its type and where in Kawan's code it happened) per hour,
and never personal data: no message text, no names, no ids of people. The log keeps the rest.
The notice goes through the outbox, so the dispatcher alone spends the group's budget.
"""

from __future__ import annotations

import html
import logging
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bot.context import Services
from bot.storage.models import NewOutbox

log = logging.getLogger(__name__)

ALERT_EVERY_SECONDS = 3600.0
_PACKAGE = str(Path(__file__).resolve().parents[1])


class ErrorAlerts:
    """Remembers when each kind of error was last reported."""

    def __init__(
        self, last: dict[str, float] | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.clock = clock
        self._last: dict[str, float] = {} if last is None else last

    def due(self, kind: str) -> bool:
        """True (and noted) if this kind was not reported within the hour."""
        now = self.clock()
        last = self._last.get(kind)
        if last is not None and now - last < ALERT_EVERY_SECONDS:
            return False
        self._last[kind] = now
        return True


def error_kind(error: BaseException) -> str:
    """The error's type and the innermost place in Kawan's own code: no data, only code."""
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
    ours = [
        f for f in frames if f"{Path('bot')}" in f.filename and "site-packages" not in f.filename
    ]
    where = f" ({Path(ours[-1].filename).name}:{ours[-1].lineno})" if ours else ""
    return f"{type(error).__name__}{where}"


async def report_error(services: Services, error: BaseException, during: str) -> bool:
    """Queue a notice about an unexpected error; False when one was sent within the hour."""
    chat, repos = services.settings.alerts_chat, services.repos
    if chat is None or repos is None:
        return False
    alerts = ErrorAlerts(services.alerted_at)
    kind = error_kind(error)
    if not alerts.due(kind):
        return False
    t = services.officers_t
    text = t(
        "⚠️ Kawan hit an unexpected error (%(kind)s) while handling %(during)s. The details "
        "are in the log. If it happens again, tell whoever runs Kawan.",
        kind=kind, during=t(during),
    )  # fmt: skip
    payload = {"text": html.escape(text, quote=False), "alert": True}
    try:
        await repos.outbox.enqueue(NewOutbox(kind="notice", target_chat_id=chat, payload=payload))
    except Exception:  # the database is the trouble: the log is all that is left
        log.exception("error alert not queued")
        return False
    if services.dispatcher is not None:
        services.dispatcher.wake()
    return True

"""A citizen who completes /bantuan even when Telegram fails: checks each screen, presses again.

Used by the surge, where a tenth of the Bot API calls fail. A real person whose screen did not
change taps again; after a few tries they start over with /bantuan, as the bot invites them to.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import Update

from benchmarks.common import Latencies
from bot.context import KawanApplication
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person, UpdateFactory

TRIES_PER_STEP = 3
RESTARTS = 4

Expect = Callable[[set[str]], bool]


def _has(data: str) -> Expect:
    return lambda buttons: data in buttons


# (action, what the user sends or presses, what the next screen's buttons must include)
STEPS: tuple[tuple[str, str, Expect], ...] = (
    ("send", "/bantuan", _has("i:category:passport")),
    ("press", "i:category:passport", _has("i:safe:yes")),
    ("press", "i:safe:yes", _has("i:location:-")),
    ("send", "Poipet", _has("i:contact:any")),
    ("press", "i:contact:any", lambda buttons: buttons == {"i:cancel:x"}),
    ("send", "Paspor saya ditahan perusahaan, saya ingin pulang.", _has("i:attach:done")),
    ("press", "i:attach:done", _has("i:consent:yes")),
    ("press", "i:consent:yes", _has("i:confirm:yes")),
    ("press", "i:confirm:yes", _has("h:status")),
)


@dataclass
class IntakeTally:
    """How the stubborn citizens fared."""

    started: int = 0
    acknowledged: int = 0  # saw their reference
    committed_unacknowledged: int = 0  # the case was saved but the reference never shown
    abandoned: int = 0  # gave up: nothing was committed
    retries: int = 0
    restarts: int = 0
    latencies: Latencies = field(default_factory=Latencies)


class StubbornCitizen:
    """Drives one intake to its end through a faulty Telegram."""

    def __init__(
        self, app: KawanApplication, api: OfflineBotAPI, person: Person, tally: IntakeTally
    ) -> None:
        self.app, self.api, self.person, self.tally = app, api, person, tally
        self.factory = UpdateFactory(api, app.bot)

    def _buttons(self) -> set[str]:
        log = self.api.chats.get(self.person.id)
        for message in reversed(log.messages.values()) if log else ():
            rows = (message.get("reply_markup") or {}).get("inline_keyboard")
            if rows and message.get("from", {}).get("is_bot"):
                return {b.get("callback_data", "") for row in rows for b in row}
        return set()

    async def _do(self, action: str, value: str) -> None:
        update: Update
        if action == "send":
            update = self.factory.message(self.person, value)
        else:
            update = self.factory.callback(self.person, value)
        t0 = time.perf_counter()
        await self.app.process_update(update)
        self.tally.latencies.add(time.perf_counter() - t0)

    async def _committed(self) -> bool:
        repos = self.app.services.repos
        assert repos is not None
        return bool(await repos.cases.list_for_user(self.person.id, limit=1))

    async def run(self) -> None:
        """Start, answer every question, confirm; press again or restart when a screen is stuck."""
        self.tally.started += 1
        for attempt in range(RESTARTS + 1):
            if attempt:
                self.tally.restarts += 1
            if await self._attempt_intake():
                self.tally.acknowledged += 1
                return
            if await self._committed():
                self.tally.committed_unacknowledged += 1
                return
        self.tally.abandoned += 1

    async def _attempt_intake(self) -> bool:
        for action, value, expect in STEPS:
            for tries in range(TRIES_PER_STEP):
                if tries:
                    self.tally.retries += 1
                await self._do(action, value)
                if expect(self._buttons()):
                    break
            else:
                return False
        return True

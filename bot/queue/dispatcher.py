"""Delivers outbox rows: case cards to the officers' group (paced, digested in a surge), relays."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import enum
import logging
import random
from collections.abc import Callable
from typing import Literal

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.context import Services
from bot.queue.acks import ACK_DELIVERED, ACK_WAITING, Acks
from bot.queue.alerts import report_error
from bot.queue.group import OFFICER_ANSWERS, OfficersGroup
from bot.queue.pacing import GroupPacer
from bot.queue.refusals import Refusals
from bot.queue.relay import deliver_personal, deliver_to_citizen, next_safe_moment, seconds_of
from bot.runtime.ratelimit import budget_owner
from bot.storage.models import OutboxItem
from bot.storage.repos import Repositories
from bot.ui.commands import N_

log = logging.getLogger(__name__)

BATCH = 200
MAX_BACKOFF_SECONDS = 300.0
DIGEST_MAX_REFS = 150  # keeps a digest well under Telegram's limits.TEXT
NEW_CASE_KINDS = ("case_new", "case_card")
PERSONAL_KINDS = ("checkin", "advisory")  # asked for: safe hours apply (bot/queue/relay.py)
# Advisories leave room in Telegram's ~30/s for everything else (replies, danger screens).
ADVISORIES_PER_SECOND = 25
ADVISORY_WINDOW_SECONDS = 1.25  # 25 per 1.25 s: room for delays between us and Telegram


class _Held(enum.Enum):
    HELD = "held"


# "Not sent now, and that is fine": the row was held or rescheduled, not delivered.
HELD = _Held.HELD
# What delivering one row gives: the message id, None (delivered, no id to keep), or HELD.
Delivery = int | None | Literal[_Held.HELD]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Dispatcher:
    """One background task; wake() makes it look at the outbox at once."""

    def __init__(
        self,
        services: Services,
        bot: Bot,
        pacer: GroupPacer | None = None,
        now: Callable[[], dt.datetime] = utcnow,
        idle_seconds: float = 1.0,
    ) -> None:
        self.services, self.bot, self.now = services, bot, now
        self.pacer = pacer or GroupPacer()
        self.advisory_pacer = GroupPacer(ADVISORIES_PER_SECOND, window=ADVISORY_WINDOW_SECONDS)
        self.idle_seconds = idle_seconds
        self._wake = asyncio.Event()
        self.round_lock = asyncio.Lock()  # held while rows are delivered
        self._task: asyncio.Task[None] | None = None
        self.officers = OfficersGroup(services, bot)
        self.acks = Acks(bot)  # reactions on officers' replies, never waited for
        self.refusals = Refusals(services, bot, self.officers, self.acks, lambda: self.now())
        self.delivered = 0
        self._advisories_waiting = False

    @property
    def repos(self) -> Repositories:
        return self.officers.repos

    @property
    def group(self) -> int:
        return self.officers.group

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="kawan-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            async with self.round_lock:  # never cancel between a send and its "delivered" mark
                self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.acks.flush()

    async def _loop(self) -> None:
        with contextlib.suppress(Exception):  # who blocked the bot, for their next message
            await self.refusals.blocked_chats()
        while True:
            try:
                busy = await self.run_once()
            except Exception as exc:  # one bad row must not stop delivery of every other
                log.exception("dispatcher round failed")
                with contextlib.suppress(Exception):
                    await report_error(self.services, exc, N_("the outbox"))
                busy = False
            if busy:
                await asyncio.sleep(0)
                continue
            self._wake.clear()
            wait = self.idle_seconds
            if self._advisories_waiting:  # the advisory window reopens sooner than idle
                wait = min(wait, max(self.advisory_pacer.wait_time(), 0.01))
            if self.pacer.available() <= 0:
                wait = max(wait, min(self.pacer.wait_time(), 5.0))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def run_once(self) -> bool:
        """Deliver what is due now; True if anything was delivered (more may be waiting)."""
        async with self.round_lock:  # the loop and a caller (tests, benchmarks) never overlap
            with budget_owner():
                return await self._round_unlocked()

    async def settle(self, rounds: int = 100) -> None:
        """Run rounds until nothing more is due now (tests, benchmarks, shutdown)."""
        for _ in range(rounds):
            if not await self.run_once():
                break
        await self.acks.flush()

    async def _round_unlocked(self) -> bool:
        # Citizen-bound rows first, from their own batch: they never wait behind group posts.
        items = await self.repos.outbox.pending(now=self.now(), limit=BATCH, group=self.group)
        if not items:
            return False
        progressed = False
        # Answers officers are waiting for go before anything else the group is owed.
        group_items = sorted(
            (i for i in items if i.target_chat_id == self.group),
            key=lambda i: i.kind not in OFFICER_ANSWERS,
        )
        stalled: set[int] = set()  # a chat whose earlier row did not go: keep its order
        self._advisories_waiting = False
        for item in items:
            if item.kind == "advisory" and not self.advisory_pacer.take(1):
                self._advisories_waiting = True
                continue
            if item.target_chat_id != self.group and item.target_chat_id not in stalled:
                if not await self._attempt(item):
                    stalled.add(item.target_chat_id)
                    continue
                progressed = True
        new_cases = [i for i in group_items if i.kind in NEW_CASE_KINDS]
        per_case = (
            2 if group_items and await self.officers.is_forum() else 1
        )  # a topic, then the card
        # The backlog beyond this batch only matters when there are cases to digest at all.
        if len(new_cases) > 1 and await self._over_budget(new_cases, per_case):
            progressed |= await self._digest(new_cases, per_case)
            group_items = [i for i in group_items if i.kind not in NEW_CASE_KINDS]
        for item in group_items:
            cost = per_case if item.kind in NEW_CASE_KINDS else 1
            if not self.pacer.take(cost):
                break
            progressed |= await self._attempt(item)
        queued, self.refusals.queued = self.refusals.queued, False  # alerts to post next
        return progressed or queued

    async def _over_budget(self, new_cases: list[OutboxItem], per_case: int) -> bool:
        """More new cases wait (this batch, or the whole backlog) than the pacer allows now."""
        waiting = await self.repos.outbox.count_pending("case_new")
        return bool(max(len(new_cases), waiting) * per_case > self.pacer.available())

    def holds_for(self, chat_id: int) -> bool:
        """Whether replies wait for this citizen because they had blocked the bot."""
        return chat_id in (self.refusals.unreachable or ())

    async def deliver_held(self, chat_id: int) -> int:
        """The citizen wrote: show the replies held for them ("never message me first")."""
        async with self.round_lock:
            await self.refusals.back(chat_id)
            released = await self.repos.outbox.release_held(chat_id, now=self.now())
            for item in released:
                await self._attempt(item, honour_policy=False)
        return len(released)

    async def _digest(self, items: list[OutboxItem], per_case: int) -> bool:
        """More new cases than the pace allows: one message lists them; all stay in /antrian.

        Urgent cases still get their own card while the pace has room for one.
        """
        if not self.pacer.take(1):  # the digest's own message, reserved first
            return False
        items = items[:DIGEST_MAX_REFS]
        cases = [
            c
            for i in items
            if i.case_id is not None and (c := await self.repos.cases.get_by_id(i.case_id))
        ]
        posted: set[int | None] = set()
        for case in [c for c in cases if c.urgent]:
            item = next(i for i in items if i.case_id == case.id)
            if not self.pacer.take(per_case):
                break
            if await self._attempt(item):
                posted.add(case.id)
        cases = sorted(
            (c for c in cases if c.id not in posted), key=lambda c: (not c.urgent, c.created_at)
        )
        items = [i for i in items if i.case_id not in posted]
        if not cases:
            return bool(posted)
        t = self.services.officers_t
        text = self.services.renderer.render("digest.html.j2", t, cases=cases, total=len(cases))
        try:
            sent = await self.bot.send_message(self.group, text)
        except RetryAfter as exc:
            self.pacer.pause(seconds_of(exc.retry_after))
            return False
        except TelegramError as exc:
            log.warning("digest not sent (%s); cases stay queued", type(exc).__name__)
            return False
        listed = {c.id for c in cases}
        async with self.repos.db.transaction():  # one commit for the whole digest, not 2 × 150
            for item in items:
                await self.repos.outbox.mark_delivered(item.id, sent.message_id, now=self.now())
                if item.case_id in listed:
                    await self.repos.cases.add_event(
                        item.case_id, actor="system", actor_id=None, kind="digested"
                    )
        self.delivered += len(listed)
        return True

    async def _attempt(self, item: OutboxItem, *, honour_policy: bool = True) -> bool:
        message_id: Delivery
        try:
            if item.kind == "to_citizen" and not honour_policy:
                message_id = await deliver_to_citizen(self.bot, self.repos, item)
            else:
                message_id = await self._deliver(item)
        except RetryAfter as exc:
            seconds = seconds_of(exc.retry_after)
            if item.target_chat_id == self.group:
                self.pacer.pause(seconds)
            await self._retry(item, seconds, "RetryAfter")
            return False
        except Forbidden:
            if item.target_chat_id == self.group:
                # The bot was removed from the group: keep every case until an admin fixes it.
                log.error("the officers' group refuses the bot; outbox %s waits", item.id)
                await self._retry(item, MAX_BACKOFF_SECONDS, "Forbidden")
                return False
            if item.kind == "to_citizen":
                await self.refusals.blocked(item)  # kept, and the officers are told
            else:
                log.warning("outbox %s: chat %s refuses the bot", item.id, item.kind)
                await self.repos.outbox.give_up(item.id, "Forbidden", now=self.now())
            return False
        except BadRequest as exc:
            if item.target_chat_id == self.group and "chat not found" in exc.message.lower():
                log.error("the officers' group is not found; outbox %s waits", item.id)
                await self._retry(item, MAX_BACKOFF_SECONDS, "chat not found")
                return False
            log.warning("outbox %s refused by Telegram: %s", item.id, type(exc).__name__)
            message_id = await self.refusals.refused(item, exc)  # once more, in a safe form
            if message_id is None:
                return False
        except (NetworkError, TelegramError) as exc:  # timeouts, 5xx, connection errors
            backoff = min(MAX_BACKOFF_SECONDS, 2.0 ** min(item.attempts, 12)) * random.uniform(
                0.8, 1.2
            )
            await self._retry(item, backoff, type(exc).__name__)
            return False
        if message_id is HELD:
            return False
        await self.repos.outbox.mark_delivered(item.id, message_id, now=self.now())
        self.delivered += 1
        self.acks.set(self.refusals.delivered_ack(item), ACK_DELIVERED)
        return True

    async def _retry(self, item: OutboxItem, seconds: float, error: str) -> None:
        due = self.now() + dt.timedelta(seconds=seconds)
        await self.repos.outbox.reschedule(item.id, due, error)

    async def _deliver(self, item: OutboxItem) -> Delivery:
        if item.kind in NEW_CASE_KINDS:
            return await self.officers.post_case(item)
        if item.kind == "to_citizen":
            return await self._to_citizen(item)
        if item.kind in PERSONAL_KINDS:
            sent = await deliver_personal(self.bot, self.repos, item, self.now())
            return HELD if sent is None else sent
        if item.kind in ("case_update", "reminder", "notice"):
            return await self.officers.to_case_thread(item)
        if item.kind == "case_file":
            return await self.officers.post_file(item)
        if item.kind in OFFICER_ANSWERS:  # a command's answer, /statistik's chart
            return await self.officers.post_reply(item)
        log.error("outbox %s has unknown kind %r; giving up", item.id, item.kind)
        await self.repos.outbox.give_up(item.id, "unknown kind", now=self.now())
        return HELD

    async def _to_citizen(self, item: OutboxItem) -> Delivery:
        """An officer's reply or a notice, honouring "never message me first" and safe hours."""
        if item.target_chat_id in await self.refusals.blocked_chats():
            await self.refusals.blocked(item, known=True)
            return HELD
        user = await self.repos.users.get(item.target_chat_id)
        if user is not None and user.contact_policy == "never_first":
            await self.repos.outbox.hold(item.id)
            self.acks.set(item.payload.get("ack"), ACK_WAITING)
            return HELD
        if user is not None and user.contact_policy == "safe_hours":
            due = next_safe_moment(self.now(), user.safe_hours_from, user.safe_hours_to)
            if due is not None:
                await self.repos.outbox.reschedule(item.id, due, "outside safe hours")
                self.acks.set(item.payload.get("ack"), ACK_WAITING)
                return HELD
        return await deliver_to_citizen(self.bot, self.repos, item)

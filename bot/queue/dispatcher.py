"""Delivers outbox rows: case cards to the officers' group (paced, digested in a surge), relays."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import random
from collections.abc import Callable
from typing import Any

from telegram import Bot, Message, MessageId
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.context import Services
from bot.queue.cards import case_card, officers_translator, topic_name
from bot.queue.pacing import GroupPacer
from bot.queue.relay import deliver_to_citizen, next_safe_moment, seconds_of
from bot.storage.models import Case, OutboxItem

log = logging.getLogger(__name__)

BATCH = 200
MAX_BACKOFF_SECONDS = 300.0
DIGEST_MAX_REFS = 150  # keeps a digest well under Telegram's 4096 characters
NEW_CASE_KINDS = ("case_new", "case_card")


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
        self.idle_seconds = idle_seconds
        self._wake = asyncio.Event()
        self._round = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._forum: bool | None = None
        self.delivered = 0

    @property
    def repos(self) -> Any:
        assert self.services.repos is not None
        return self.services.repos

    @property
    def group(self) -> int:
        chat_id = self.services.settings.officers_chat_id
        assert chat_id is not None
        return chat_id

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="kawan-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            try:
                busy = await self.run_once()
            except Exception:  # one bad row must not stop delivery of every other
                log.exception("dispatcher round failed")
                busy = False
            if busy:
                await asyncio.sleep(0)
                continue
            self._wake.clear()
            wait = self.idle_seconds
            if self.pacer.available() <= 0:
                wait = max(wait, min(self.pacer.wait_time(), 5.0))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def is_forum(self) -> bool:
        """Whether the officers' group has topics (asked once, then remembered)."""
        if self._forum is None:
            chat = await self.bot.get_chat(self.group)
            self._forum = bool(chat.is_forum)
        return self._forum

    async def run_once(self) -> bool:
        """Deliver what is due now; True if anything was delivered (more may be waiting)."""
        async with self._round:  # the loop and a caller (tests, benchmarks) never overlap
            return await self._round_unlocked()

    async def settle(self, rounds: int = 100) -> None:
        """Run rounds until nothing more is due now (tests, benchmarks, shutdown)."""
        for _ in range(rounds):
            if not await self.run_once():
                return

    async def _round_unlocked(self) -> bool:
        items = await self.repos.outbox.pending(now=self.now(), limit=BATCH)
        if not items:
            return False
        progressed = False
        group_items = [i for i in items if i.target_chat_id == self.group]
        for item in items:
            if item.target_chat_id != self.group:
                progressed |= await self._attempt(item)
        new_cases = [i for i in group_items if i.kind in NEW_CASE_KINDS]
        waiting = await self.repos.outbox.count_pending("case_new")
        if len(new_cases) > 1 and max(len(new_cases), waiting) > self.pacer.available():
            progressed |= await self._digest(new_cases)
            group_items = [i for i in group_items if i.kind not in NEW_CASE_KINDS]
        for item in group_items:
            cost = 2 if item.kind in NEW_CASE_KINDS and await self.is_forum() else 1
            if not self.pacer.take(cost):
                break
            progressed |= await self._attempt(item)
        return progressed

    async def deliver_held(self, chat_id: int) -> int:
        """The citizen wrote: show the replies held for them ("never message me first")."""
        async with self._round:
            released = await self.repos.outbox.release_held(chat_id, now=self.now())
            for item in released:
                await self._attempt(item, honour_policy=False)
        return len(released)

    async def _digest(self, items: list[OutboxItem]) -> bool:
        """More new cases than the pace allows: one message lists them; all stay in /antrian."""
        if not self.pacer.take(1):
            return False
        cases = [
            c for i in items[:DIGEST_MAX_REFS] if (c := await self.repos.cases.get_by_id(i.case_id))
        ]
        cases.sort(key=lambda c: (not c.urgent, c.created_at))
        t = officers_translator(self.services)
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
        for item in items[:DIGEST_MAX_REFS]:
            await self.repos.outbox.mark_delivered(item.id, sent.message_id, now=self.now())
            if item.case_id in listed:
                await self.repos.cases.add_event(
                    item.case_id, actor="system", actor_id=None, kind="digested"
                )
        self.delivered += len(listed)
        return True

    async def _attempt(self, item: OutboxItem, *, honour_policy: bool = True) -> bool:
        message_id: int | None
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
            if item.target_chat_id != self.group:
                await self.repos.users.mark_bot_blocked(item.target_chat_id, True)
            await self.repos.outbox.give_up(item.id, "Forbidden", now=self.now())
            return False
        except BadRequest as exc:
            log.warning("outbox %s refused by Telegram: %s", item.id, type(exc).__name__)
            await self.repos.outbox.give_up(
                item.id, f"BadRequest: {exc.message[:80]}", now=self.now()
            )
            return False
        except (NetworkError, TelegramError) as exc:  # timeouts, 5xx, connection errors
            backoff = min(MAX_BACKOFF_SECONDS, 2.0 ** min(item.attempts, 12)) * random.uniform(
                0.8, 1.2
            )
            await self._retry(item, backoff, type(exc).__name__)
            return False
        if message_id is _HELD:
            return False
        await self.repos.outbox.mark_delivered(item.id, message_id, now=self.now())
        self.delivered += 1
        return True

    async def _retry(self, item: OutboxItem, seconds: float, error: str) -> None:
        due = self.now() + dt.timedelta(seconds=seconds)
        await self.repos.outbox.reschedule(item.id, due, error)

    async def _deliver(self, item: OutboxItem) -> int | None:
        if item.kind in NEW_CASE_KINDS:
            return await self._post_case(item)
        if item.kind == "to_citizen":
            return await self._to_citizen(item)
        if item.kind in ("case_update", "reminder", "notice"):
            return await self._to_case_thread(item)
        log.error("outbox %s has unknown kind %r; giving up", item.id, item.kind)
        await self.repos.outbox.give_up(item.id, "unknown kind", now=self.now())
        held: int | None = _HELD
        return held

    async def _post_case(self, item: OutboxItem) -> int | None:
        case = await self.repos.cases.get_by_id(item.case_id) if item.case_id else None
        if case is None:
            return None
        media = await self.repos.cases.media(case.id)
        linked = (
            await self.repos.cases.get_by_id(case.linked_case_id) if case.linked_case_id else None
        )
        card = case_card(
            self.services, case, media_count=len(media), linked_ref=linked.ref if linked else None
        )
        thread = await self._thread_for(case)
        try:
            sent = await self.bot.send_message(
                self.group, card.text, reply_markup=card.markup, message_thread_id=thread
            )
        except BadRequest as exc:
            if thread is None or "thread" not in exc.message.lower():
                raise
            # The topic was deleted: make a new one rather than fail forever.
            await self.repos.cases.set_thread(case.id, None)
            thread = await self._thread_for(dataclasses.replace(case, thread_id=None))
            sent = await self.bot.send_message(
                self.group, card.text, reply_markup=card.markup, message_thread_id=thread
            )
        await self.repos.cases.set_card_message(case.id, sent.message_id)
        for file in media[:10]:
            with contextlib.suppress(BadRequest):
                await self._send_file(file.kind, file.file_id, thread, sent.message_id)
        return sent.message_id

    async def _thread_for(self, case: Case) -> int | None:
        if not await self.is_forum():
            return None
        if case.thread_id is not None:
            return case.thread_id
        topic = await self.bot.create_forum_topic(
            self.group, topic_name(case, officers_translator(self.services))
        )
        await self.repos.cases.set_thread(case.id, topic.message_thread_id)
        return topic.message_thread_id

    async def _send_file(
        self, kind: str, file_id: str, thread: int | None, reply_to: int | None
    ) -> Message:
        kwargs: dict[str, Any] = {"message_thread_id": thread}
        if reply_to is not None and thread is None:
            kwargs["reply_to_message_id"] = reply_to
        if kind == "photo":
            return await self.bot.send_photo(self.group, file_id, **kwargs)
        return await self.bot.send_document(self.group, file_id, **kwargs)

    async def _to_case_thread(self, item: OutboxItem) -> int | None:
        """A citizen's follow-up, a reminder or a notice, in the case's topic or as a reply."""
        case = await self.repos.cases.get_by_id(item.case_id) if item.case_id else None
        payload = dict(item.payload)
        thread = case.thread_id if case is not None and await self.is_forum() else None
        reply_to = case.card_message_id if case is not None and thread is None else None
        kwargs: dict[str, Any] = {"message_thread_id": thread}
        if reply_to is not None:
            kwargs["reply_to_message_id"] = reply_to
        if payload.get("copy_from"):
            chat_id, message_id = payload["copy_from"]
            copied: MessageId = await self.bot.copy_message(
                self.group, chat_id, message_id, caption=payload.get("text"), **kwargs
            )
            if case is not None:
                await self.repos.messages.link(self.group, copied.message_id, case.id, "officers")
            return copied.message_id
        sent = await self.bot.send_message(self.group, payload.get("text") or "…", **kwargs)
        if case is not None:
            await self.repos.messages.link(self.group, sent.message_id, case.id, "officers")
        return sent.message_id

    async def _to_citizen(self, item: OutboxItem) -> int | None:
        """An officer's reply or a notice, honouring "never message me first" and safe hours."""
        user = await self.repos.users.get(item.target_chat_id)
        if user is not None and user.contact_policy == "never_first":
            await self.repos.outbox.hold(item.id)
            held: int | None = _HELD
            return held
        if user is not None and user.contact_policy == "safe_hours":
            due = next_safe_moment(self.now(), user.safe_hours_from, user.safe_hours_to)
            if due is not None:
                await self.repos.outbox.reschedule(item.id, due, "outside safe hours")
                later: int | None = _HELD
                return later
        return await deliver_to_citizen(self.bot, self.repos, item)


_HELD: Any = object()  # "not sent now, and that is fine": the row was held or rescheduled

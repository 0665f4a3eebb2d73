"""When Telegram refuses an outbox row: a safe retry, then a visible alert; blocked citizens.

Nothing refused is swallowed: the row stays in the outbox (failed or held) for a person, the
case gets an event that /kasus shows, and the officers read a notice in the case's topic.
An officer's reply carries a reaction on the officer's own message that tells what happened.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.context import Services
from bot.queue import labels
from bot.queue.acks import ACK_FAILED, Acks
from bot.queue.cards import CATEGORY_NAMES, case_buttons
from bot.queue.group import OfficersGroup
from bot.storage.models import NewOutbox, OutboxItem
from bot.ui.fit import split_html, split_plain, to_plain
from bot.ui.screen import Screen

log = logging.getLogger(__name__)

BLOCKED = "Forbidden: blocked"  # last_error of rows held for a citizen who blocked the bot


class Refusals:
    """What the dispatcher does with a 400 or a 403 for a row."""

    def __init__(
        self,
        services: Services,
        bot: Bot,
        officers: OfficersGroup,
        acks: Acks,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.services, self.bot, self.officers, self.now = services, bot, officers, now
        self.acks = acks
        self.unreachable: set[int] | None = None  # citizens who blocked the bot (loaded lazily)
        self.queued = False  # an alert or details were queued: the dispatcher has more to do
        self.failed_acks: set[tuple[int, int]] = set()  # replies with a part not delivered

    @property
    def repos(self) -> Any:
        return self.officers.repos

    async def blocked_chats(self) -> set[int]:
        if self.unreachable is None:
            self.unreachable = await self.repos.outbox.held_chats(BLOCKED)
        return self.unreachable

    async def back(self, chat_id: int) -> None:
        """The citizen wrote again: they can be reached (their held rows are released)."""
        (await self.blocked_chats()).discard(chat_id)

    async def blocked(self, item: OutboxItem, *, known: bool = False) -> None:
        """The citizen blocked the bot (or is gone): keep the row until they write again."""
        chats = await self.blocked_chats()
        await self.repos.outbox.hold(item.id, BLOCKED)
        await self._failed(item)
        if known or item.target_chat_id in chats:
            return  # the officers were told when it was first noticed
        chats.add(item.target_chat_id)
        await self.repos.users.mark_bot_blocked(item.target_chat_id, True)
        t = self.services.officers_t
        text = t(
            "⚠️ %(ref)s: the citizen cannot be reached now (they blocked the bot or closed "
            "their account). Your reply is kept and is delivered if they write again.",
            ref=await self._ref(item),
        )
        await self._alert(item, text, "citizen_unreachable")

    def delivered_ack(self, item: OutboxItem) -> Sequence[int] | None:
        """The officer's message to mark delivered, once the last part went and none failed."""
        ack = item.payload.get("ack")
        if not item.payload.get("ack_last") or not ack or tuple(ack) in self.failed_acks:
            return None
        return list(ack)

    async def refused(self, item: OutboxItem, exc: BadRequest) -> int | None:
        """Retry once in a safe form; the message id, or None once the row is given up."""
        if "thread not found" in exc.message.lower() and item.case_id is not None:
            await self._topic_deleted(item)
            return None
        try:
            if item.kind in ("case_new", "case_card"):
                sent = await self._minimal_card(item)
            elif item.kind == "case_file" or item.payload.get("alert"):
                raise exc
            else:
                sent = await self._safe_text(item, html_refused="entit" in exc.message.lower())
        except (BadRequest, Forbidden) as again:
            await self._give_up(item, again.message)
            return None
        except TelegramError as passing:  # a timeout or a flood wait: the safe form, later
            later = self.now() + dt.timedelta(seconds=30)
            await self.repos.outbox.reschedule(item.id, later, type(passing).__name__)
            return None
        if sent is None:  # nothing could be shown (the case is gone, the text was empty)
            await self._give_up(item, exc.message)
        return sent

    async def _safe_text(self, item: OutboxItem, *, html_refused: bool) -> int | None:
        payload = item.payload
        to_group = item.target_chat_id == self.officers.group
        kwargs = await self.officers.placement(item.case_id) if to_group else {}
        last = None
        if payload.get("copy_from"):  # the file alone; its caption follows as text
            chat_id, message_id = payload["copy_from"]
            copied = await self.bot.copy_message(item.target_chat_id, chat_id, message_id, **kwargs)
            last = await self._note(item, copied.message_id)
        text = str(payload.get("text") or "")
        parts = [] if html_refused else split_html(text)
        for number, part in enumerate(parts):
            try:
                sent = await self.bot.send_message(item.target_chat_id, part, **kwargs)
            except BadRequest:  # the HTML is the trouble: the rest as plain text
                text, html_refused = "\n\n".join(parts[number:]), True
                break
            last = await self._note(item, sent.message_id)
        if html_refused:
            for part in split_plain(to_plain(text)):
                sent = await self.bot.send_message(
                    item.target_chat_id, part, parse_mode=None, **kwargs
                )
                last = await self._note(item, sent.message_id)
        return last

    async def _note(self, item: OutboxItem, message_id: int) -> int:
        if item.target_chat_id == self.officers.group:
            if item.case_id is not None:
                await self.repos.messages.link(
                    item.target_chat_id, message_id, item.case_id, "officers"
                )
        else:
            await self.repos.messages.record(item.target_chat_id, message_id, "out")
        return message_id

    async def _minimal_card(self, item: OutboxItem) -> int | None:
        """The case must reach the group: reference, urgency, category, details in parts."""
        case = await self.repos.cases.get_by_id(item.case_id) if item.case_id else None
        if case is None:
            return None
        t = self.services.officers_t
        urgent = f"🚨 <b>{t('URGENT')}</b> · " if case.urgent else ""
        category = labels.label(t, CATEGORY_NAMES, case.category)
        text = f"{urgent}<b>{case.ref}</b> · {category}\n\n" + t(
            "Details could not be shown here; they follow in the next messages."
        )
        self.queued = True
        message_id = await self.officers.post_minimal(case, Screen(text, case_buttons(t, case)))
        for part in split_html(await self.officers.card_text(case)):
            await self.repos.outbox.enqueue(
                NewOutbox(kind="case_update", target_chat_id=self.officers.group,
                          case_id=case.id, payload={"text": part})
            )  # fmt: skip
        return message_id

    async def _topic_deleted(self, item: OutboxItem) -> None:
        """Someone deleted the case's topic: post the card again (a new topic), then this."""
        assert item.case_id is not None
        await self.repos.cases.set_thread(item.case_id, None)
        card = NewOutbox(kind="case_card", target_chat_id=self.officers.group, case_id=item.case_id)
        await self.repos.outbox.enqueue(card)
        later = self.now() + dt.timedelta(seconds=2)
        await self.repos.outbox.reschedule(item.id, later, "topic deleted")
        self.queued = True

    async def _give_up(self, item: OutboxItem, reason: str) -> None:
        log.warning("outbox %s refused twice by Telegram: %s", item.id, reason[:80])
        await self.repos.outbox.give_up(item.id, f"BadRequest: {reason[:80]}")
        await self._failed(item)
        if item.payload.get("alert"):
            return  # an alert that cannot be shown must not raise another alert
        t = self.services.officers_t
        what = {
            "to_citizen": t("a reply to the citizen"),
            "case_update": t("a message from the citizen"),
            "case_file": t("a file from the citizen"),
            "case_new": t("the case card"),
        }.get(item.kind, t("a notice"))
        text = t(
            "⚠️ %(ref)s: Telegram refused %(what)s (%(why)s). It was not delivered; it is kept "
            "for a person to look at.",
            ref=await self._ref(item), what=what, why=reason[:80],
        )  # fmt: skip
        await self._alert(item, text, "undelivered")

    async def _failed(self, item: OutboxItem) -> None:
        ack = item.payload.get("ack")
        if ack:
            self.failed_acks.add((int(ack[0]), int(ack[1])))
            self.acks.set(ack, ACK_FAILED)

    async def _ref(self, item: OutboxItem) -> str:
        case = await self.repos.cases.get_by_id(item.case_id) if item.case_id else None
        return case.ref if case is not None else "–"

    async def _alert(self, item: OutboxItem, text: str, event: str) -> None:
        self.queued = True
        alert = NewOutbox(
            kind="notice", target_chat_id=self.officers.group, case_id=item.case_id,
            payload={"text": html.escape(text, quote=False), "alert": True},
        )  # fmt: skip
        if item.case_id is not None:
            await self.repos.cases.add_event(
                item.case_id, actor="system", actor_id=None, kind=event,
                detail=item.kind, notify=[alert],
            )  # fmt: skip
        else:
            await self.repos.outbox.enqueue(alert)

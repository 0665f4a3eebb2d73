"""Posting into the officers' group: a forum topic per case (re-created if deleted), or replies."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, Message, MessageId
from telegram.error import BadRequest

from bot.context import Services
from bot.queue import statistics
from bot.queue.cards import current_card, description_parts, topic_name
from bot.queue.relay import reply_parameters
from bot.storage.models import Case, NewOutbox, OutboxItem
from bot.storage.repos import Repositories
from bot.ui.screen import Screen

log = logging.getLogger(__name__)
# Answers officers asked for: they go before anything else the group is owed.
OFFICER_ANSWERS = ("group_reply", statistics.KIND)


class OfficersGroup:
    """How a case, its files and its follow-ups appear in OFFICERS_CHAT_ID."""

    def __init__(self, services: Services, bot: Bot) -> None:
        self.services, self.bot = services, bot
        self._forum: bool | None = None

    @property
    def repos(self) -> Repositories:
        return self.services.repos

    @property
    def group(self) -> int:
        chat_id = self.services.settings.officers_chat_id
        assert chat_id is not None
        return chat_id

    async def is_forum(self) -> bool:
        """Whether the officers' group has topics (asked once, then remembered)."""
        if self._forum is None:
            chat = await self.bot.get_chat(self.group)
            self._forum = bool(chat.is_forum)
        return self._forum

    async def _card(self, case: Case) -> Screen:
        return await current_card(self.services, case)

    async def card_text(self, case: Case) -> str:
        """The full card's text (for details following a minimal card)."""
        return (await self._card(case)).text

    async def post_case(self, item: OutboxItem) -> int | None:
        case = await self.repos.cases.get_by_id(item.case_id) if item.case_id else None
        if case is None:
            return None
        card = await self._card(case)
        return await self.post_minimal(case, card, details=True)

    async def post_minimal(self, case: Case, card: Screen, *, details: bool = False) -> int:
        """Post a card in the case's topic (made anew if deleted); then its files and parts."""
        thread = await self.thread_for(case)
        try:
            sent = await self.bot.send_message(
                self.group, card.text, reply_markup=card.markup, message_thread_id=thread
            )
        except BadRequest as exc:
            if thread is None or "thread" not in exc.message.lower():
                raise
            # The topic was deleted: make a new one rather than fail forever.
            await self.repos.cases.set_thread(case.id, None)
            thread = await self.thread_for(dataclasses.replace(case, thread_id=None))
            sent = await self.bot.send_message(
                self.group, card.text, reply_markup=card.markup, message_thread_id=thread
            )
        await self.repos.cases.set_card_message(case.id, sent.message_id)
        # Each file and each part is its own row: paced, retried, never re-posting the card.
        rows = [
            NewOutbox(kind="case_update", target_chat_id=self.group, case_id=case.id,
                      payload={"text": part})
            for part in (description_parts(self.services, case) if details else [])
        ]  # fmt: skip
        for file in (await self.repos.cases.media(case.id))[:10]:
            payload = {"kind": file.kind, "file_id": file.file_id}
            rows.append(NewOutbox(kind="case_file", target_chat_id=self.group,
                                  case_id=case.id, payload=payload))  # fmt: skip
        for row in rows:
            await self.repos.outbox.enqueue(row)
        return sent.message_id

    async def placement(self, case_id: int | None) -> dict[str, Any]:
        """Where a message about a case goes in the group: its topic, or under its card."""
        case = await self.repos.cases.get_by_id(case_id) if case_id else None
        thread = case.thread_id if case is not None and await self.is_forum() else None
        reply_to = case.card_message_id if case is not None and thread is None else None
        kwargs: dict[str, Any] = {"message_thread_id": thread}
        if reply_to is not None:
            kwargs["reply_to_message_id"] = reply_to
        return kwargs

    async def thread_for(self, case: Case) -> int | None:
        if not await self.is_forum():
            return None
        if case.thread_id is not None:
            return case.thread_id
        topic = await self.bot.create_forum_topic(
            self.group, topic_name(case, self.services.officers_t)
        )
        await self.repos.cases.set_thread(case.id, topic.message_thread_id)
        return topic.message_thread_id

    async def send_file(
        self, kind: str, file_id: str, thread: int | None, reply_to: int | None
    ) -> Message:
        kwargs: dict[str, Any] = {"message_thread_id": thread}
        if reply_to is not None and thread is None:
            kwargs["reply_to_message_id"] = reply_to
        if kind == "photo":
            return await self.bot.send_photo(self.group, file_id, **kwargs)
        return await self.bot.send_document(self.group, file_id, **kwargs)

    async def to_case_thread(self, item: OutboxItem) -> int | None:
        """A citizen's follow-up, a reminder or a notice, in the case's topic or as a reply."""
        payload = dict(item.payload)
        if payload.get("redraw"):  # bot/queue/cards.card_refresh: an edit, not a message
            return await self.edit_card(item)
        target = item.target_chat_id  # the officers' group, or ALERTS_CHAT_ID for an alert
        kwargs = await self.placement(item.case_id) if target == self.group else {}
        if (answered := reply_parameters(payload)) is not None:  # an edit, under the original
            kwargs.pop("reply_to_message_id", None)
            kwargs["reply_parameters"] = answered
        if payload.get("copy_from"):
            chat_id, message_id = payload["copy_from"]
            copied: MessageId = await self.bot.copy_message(
                target, chat_id, message_id, caption=payload.get("text"), **kwargs
            )
            sent_id = copied.message_id
        else:
            markup = payload.get("markup")  # e.g. a recovery request's confirm buttons
            if isinstance(markup, dict):
                kwargs["reply_markup"] = InlineKeyboardMarkup.de_json(markup, self.bot)
            sent_id = (
                await self.bot.send_message(target, payload.get("text") or "…", **kwargs)
            ).message_id
        if item.case_id is not None and target == self.group:
            await self.repos.messages.link(self.group, sent_id, item.case_id, "officers")
        return sent_id

    async def edit_card(self, item: OutboxItem) -> int | None:
        """Redraw a posted card as the case stands now (the case moved elsewhere than on it)."""
        case = await self.repos.cases.get_by_id(item.case_id) if item.case_id else None
        if case is None or case.card_message_id is None:
            return None  # listed in a digest, never posted: /antrian and /kasus show it
        card = await self._card(case)
        try:
            await self.bot.edit_message_text(
                card.text, self.group, case.card_message_id, reply_markup=card.markup
            )
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return case.card_message_id  # already as it stands (two moves, one redraw)
            # Deleted by an officer, or no longer editable: /kasus still shows the case.
            log.info("card of case %s not redrawn (%s)", case.id, exc.message)
            return None
        return case.card_message_id

    async def post_reply(self, item: OutboxItem) -> int | None:
        """An answer to an officer that waited for the group's budget (see screens.show)."""
        if item.kind == statistics.KIND:  # a chart, with its numbers as the caption
            return await statistics.deliver_queued(self.services, self.bot, item)
        payload = item.payload
        markup = payload.get("markup")
        keyboard = InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None
        sent = await self.bot.send_message(
            self.group, str(payload.get("text") or "…"), reply_markup=keyboard
        )
        return sent.message_id

    async def post_file(self, item: OutboxItem) -> int | None:
        """A file the citizen attached, under the case's card (skipped once the case is erased)."""
        case = await self.repos.cases.get_by_id(item.case_id) if item.case_id else None
        if case is None or case.erased_at is not None:
            return None
        thread = case.thread_id if await self.is_forum() else None
        payload = item.payload
        sent = await self.send_file(
            str(payload["kind"]), str(payload["file_id"]), thread, case.card_message_id
        )
        return sent.message_id

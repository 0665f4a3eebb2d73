"""Drive a conversation with the real Application: send text, press buttons, read the replies."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.runtime.ordering import OrderedUpdateProcessor
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person, UpdateFactory


async def deliver(app: Application, update: Update) -> None:  # type: ignore[type-arg]
    """Hand an update to the running Application the way Telegram's do arrive (update queue,
    inbox, ordered processing), and wait until it has been handled."""
    processor = app.update_processor
    if not isinstance(processor, OrderedUpdateProcessor):
        raise TypeError("not the production Application: its update processor is missing")
    handled = processor.handled(update.update_id)
    await app.update_queue.put(update)
    await handled


@dataclass
class Reply:
    """One thing the bot did in a chat in answer to the last action."""

    method: str
    text: str
    buttons: list[tuple[str, str]]
    params: dict[str, Any]


class ChatDriver:
    """A person talking to the bot in a private chat (or an officer in a group)."""

    def __init__(
        self,
        app: Application,  # type: ignore[type-arg]
        api: OfflineBotAPI,
        person: Person,
        chat_id: int | None = None,
    ) -> None:
        self.app, self.api, self.person = app, api, person
        self.chat_id = chat_id if chat_id is not None else person.id
        self.factory = UpdateFactory(api, app.bot)
        self._mark = len(api.calls)
        self.replies: list[Reply] = []

    async def _process(self, update: Any) -> list[Reply]:
        self._mark = len(self.api.calls)
        await deliver(self.app, update)
        await asyncio.sleep(0)
        self.replies = self._collect(self._mark)
        return self.replies

    def _collect(self, start: int) -> list[Reply]:
        replies = []
        for index, (method, params) in enumerate(self.api.calls[start:], start):
            if int(params.get("chat_id") or 0) != self.chat_id and method != "answerCallbackQuery":
                continue
            text = str(params.get("text") or params.get("caption") or "")
            log = self.api.chats.get(self.chat_id)
            if log is not None and method in ("sendMessage", "editMessageText"):
                # The stored message has the plain text a user sees (tags and entities resolved).
                result = self.api.results[index]
                key = result.get("message_id") if isinstance(result, dict) else None
                stored = log.messages.get(key) if key else None
                if stored is not None and stored.get("text"):
                    text = stored["text"]
            markup = params.get("reply_markup") or {}
            if isinstance(markup, str):
                import json

                markup = json.loads(markup)
            buttons = [
                (b["text"], b.get("callback_data", ""))
                for row in markup.get("inline_keyboard", [])
                for b in row
            ]
            replies.append(Reply(method, text, buttons, params))
        return replies

    async def send(self, text: str | None = None, **kwargs: Any) -> list[Reply]:
        """Send a message (text, or media with kind=...) and return what the bot did."""
        update = self.factory.message(self.person, text, chat_id=self.chat_id, **kwargs)
        return await self._process(update)

    async def edit(self, message_id: int, text: str) -> list[Reply]:
        """Edit one of this person's earlier messages (Telegram sends an edited_message)."""
        chat_id = None if self.chat_id == self.person.id else self.chat_id
        update = self.factory.edited(self.person, message_id, text, chat_id=chat_id)
        return await self._process(update)

    async def press(self, label_or_data: str) -> list[Reply]:
        """Press the latest button whose label contains the text, or whose data equals it
        (or starts with it, when the text ends with ":")."""
        log = self.api.chat(self.chat_id)
        for message in reversed(list(log.messages.values())):
            rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
            for row in rows:
                for button in row:
                    data = button.get("callback_data", "")
                    prefix = label_or_data.endswith(":") and data.startswith(label_or_data)
                    if label_or_data == data or prefix or label_or_data in button["text"]:
                        update = self.factory.callback(
                            self.person, button["callback_data"], message_id=message["message_id"],
                            chat_id=self.chat_id,
                        )  # fmt: skip
                        return await self._process(update)
        raise AssertionError(f"no button {label_or_data!r} in the chat")

    async def callback(self, data: str, message_id: int | None = None) -> list[Reply]:
        """Send arbitrary callback data, as a forged or stale button would."""
        update = self.factory.callback(
            self.person, data, message_id=message_id, chat_id=self.chat_id
        )
        return await self._process(update)

    @property
    def text(self) -> str:
        """All text the bot showed in answer to the last action, joined."""
        return "\n".join(r.text for r in self.replies if r.text)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        return [b for r in self.replies for b in r.buttons]

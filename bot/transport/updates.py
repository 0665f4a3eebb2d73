"""Builders of real `telegram.Update` objects whose messages also land in the offline chat log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Bot, Update

from bot.transport.offline import OfflineBotAPI

MEDIA_KINDS = ("photo", "sticker", "voice", "video", "document", "location", "contact", "dice")


@dataclass(frozen=True)
class Person:
    """A Telegram user as the tests and `chat` imagine them."""

    id: int
    first_name: str = "Budi"
    language_code: str | None = "id"
    username: str | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        if self.username:
            data["username"] = self.username
        return data


class UpdateFactory:
    """Makes updates as Telegram would deliver them, recording user messages in the chat log."""

    def __init__(self, api: OfflineBotAPI, bot: Bot) -> None:
        self.api, self.bot = api, bot

    def _chat(self, person: Person, chat_id: int | None) -> dict[str, Any]:
        if chat_id is None or chat_id == person.id:
            return {"id": person.id, "type": "private", "first_name": person.first_name}
        log = self.api.chat(chat_id)
        data: dict[str, Any] = {"id": chat_id, "type": log.type, "title": log.title or "group"}
        if log.is_forum:
            data["is_forum"] = True
        return data

    def message_json(
        self,
        person: Person,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        kind: str | None = None,
        caption: str | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
        forwarded: bool = False,
        media_group_id: str | None = None,
        location: tuple[float, float] | None = None,
    ) -> dict[str, Any]:
        """The JSON of a new message, already stored in the offline chat."""
        chat = self._chat(person, chat_id)
        log = self.api.chat(chat["id"], type=chat["type"])
        message: dict[str, Any] = {
            "message_id": self.api.next_message_id(),
            "date": int(self.api.now()),
            "chat": chat,
            "from": person.as_json(),
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if kind is not None or location is not None:
            message.update(_media(kind or "location", location))
            if caption is not None:
                message["caption"] = caption
        if thread_id is not None:
            message.update(message_thread_id=thread_id, is_topic_message=True)
        if reply_to is not None and reply_to in log.messages:
            message["reply_to_message"] = log.messages[reply_to]
        if forwarded:
            origin = {"type": "hidden_user", "sender_user_name": "Someone", "date": 1}
            message["forward_origin"] = origin
        if media_group_id:
            message["media_group_id"] = media_group_id
        log.messages[message["message_id"]] = message
        return message

    def message(self, person: Person, text: str | None = None, **kwargs: Any) -> Update:
        """A message update from `person` (private chat unless chat_id says otherwise)."""
        data = {
            "update_id": self.api.next_update_id(),
            "message": self.message_json(person, text, **kwargs),
        }
        return Update.de_json(data, self.bot)

    def edited(
        self, person: Person, message_id: int, text: str, *, chat_id: int | None = None
    ) -> Update:
        """An edit of an earlier message of `person` (in their private chat unless `chat_id`);
        a caption is edited when the message has one."""
        log = self.api.chat(person.id if chat_id is None else chat_id)
        message = dict(log.messages.get(message_id) or {})
        if not message:
            message = self.message_json(person, text, chat_id=chat_id)
        message.update({"caption" if "caption" in message else "text": text})
        message["edit_date"] = int(self.api.now())
        log.messages[message["message_id"]] = message
        data = {"update_id": self.api.next_update_id(), "edited_message": message}
        return Update.de_json(data, self.bot)

    def callback(
        self,
        person: Person,
        data: str,
        *,
        message_id: int | None = None,
        chat_id: int | None = None,
    ) -> Update:
        """A button press on one of the bot's messages (the latest with a keyboard by default)."""
        chat = self._chat(person, chat_id)
        log = self.api.chat(chat["id"])
        if message_id is None:
            with_keyboard = [m for m in log.messages.values() if m.get("reply_markup")]
            message_id = with_keyboard[-1]["message_id"] if with_keyboard else None
        message = log.messages.get(message_id) if message_id is not None else None
        query_id = self.api.press_button()
        query: dict[str, Any] = {
            "id": query_id,
            "from": person.as_json(),
            "chat_instance": str(chat["id"]),
            "data": data,
        }
        if message is not None:
            query["message"] = message
        else:  # a button on a message that no longer exists (or never did)
            query["message"] = {
                "message_id": message_id or 0, "date": 0, "chat": chat,
            }  # fmt: skip
        return Update.de_json(
            {"update_id": self.api.next_update_id(), "callback_query": query}, self.bot
        )


def _media(kind: str, location: tuple[float, float] | None) -> dict[str, Any]:
    file = {"file_id": f"{kind}-file", "file_unique_id": f"{kind}-u"}
    if kind == "photo":
        return {"photo": [{**file, "width": 90, "height": 90}]}
    if kind == "sticker":
        sticker = {**file, "width": 512, "height": 512, "is_animated": False, "is_video": False}
        return {"sticker": {**sticker, "type": "regular"}}
    if kind == "voice":
        return {"voice": {**file, "duration": 3}}
    if kind == "video":
        return {"video": {**file, "width": 1, "height": 1, "duration": 1}}
    if kind == "document":
        return {"document": {**file, "file_name": "scan.pdf", "mime_type": "application/pdf"}}
    if kind == "contact":
        return {"contact": {"phone_number": "+620000000", "first_name": "X"}}
    if kind == "dice":
        return {"dice": {"emoji": "🎲", "value": 3}}
    lat, lon = location or (11.56, 104.92)
    return {"location": {"latitude": lat, "longitude": lon}}

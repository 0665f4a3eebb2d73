"""Offline Bot API methods for files, venues, copies and forum groups (mixed into OfflineBotAPI)."""

from __future__ import annotations

import itertools
from typing import Any

from bot.transport.chatlog import _ADMIN_RIGHTS, CAPTION_LIMIT, ApiError, ChatLog, checked_text
from bot.transport.uploads import Upload, photo_size


class FileAndGroupMethods:
    """Methods that need only the chat store; OfflineBotAPI provides the helpers below."""

    chats: dict[int, ChatLog]
    _thread_ids: itertools.count[int]

    def chat(self, chat_id: int, **kwargs: Any) -> ChatLog:
        raise NotImplementedError

    def _target(self, params: dict[str, Any]) -> ChatLog:
        raise NotImplementedError

    def _chat_json(self, log: ChatLog) -> dict[str, Any]:
        raise NotImplementedError

    def _store(self, log: ChatLog, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _m_senddocument(self, params: dict[str, Any]) -> Any:
        log = self._target(params)
        caption = checked_text(params, "caption", CAPTION_LIMIT)
        doc = {"file_id": f"doc{len(log.messages)}", "file_unique_id": "u", "file_name": "f"}
        return self._store(log, params, document=doc, caption=caption or None)

    def _m_sendphoto(self, params: dict[str, Any]) -> Any:
        log = self._target(params)
        caption = checked_text(params, "caption", CAPTION_LIMIT)
        upload = params.get("photo")
        if isinstance(upload, Upload):  # a new file: decoded and refused as Telegram would
            width, height = photo_size(upload)
            file_id = f"photo{len(log.messages)}"
            photo = [{"file_id": file_id, "file_unique_id": file_id, "width": width,
                      "height": height, "file_size": len(upload.content)}]  # fmt: skip
        else:  # a file_id Telegram already has
            photo = [{"file_id": "photo", "file_unique_id": "p", "width": 1, "height": 1}]
        return self._store(log, params, photo=photo, caption=caption or None)

    def _m_sendvenue(self, params: dict[str, Any]) -> Any:
        log = self._target(params)
        location = {"latitude": float(params["latitude"]), "longitude": float(params["longitude"])}
        venue = {"location": location, "title": params["title"], "address": params["address"]}
        return self._store(log, params, venue=venue, location=location)

    def _m_copymessage(self, params: dict[str, Any]) -> Any:
        log = self._target(params)
        source = self.chat(int(params["from_chat_id"])).messages.get(int(params["message_id"]))
        if source is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        caption = checked_text(params, "caption", CAPTION_LIMIT) or source.get("caption")
        copied = {k: source[k] for k in ("text", "photo", "document", "voice") if k in source}
        message = self._store(log, params, caption=caption, **copied)
        return {"message_id": message["message_id"]}

    def _m_createforumtopic(self, params: dict[str, Any]) -> Any:
        log = self._target(params)
        if not log.is_forum:
            raise ApiError(400, "Bad Request: the chat is not a forum")
        name = str(params["name"])
        if not 1 <= len(name) <= 128:
            raise ApiError(400, "Bad Request: TOPIC_TITLE_INVALID")
        thread_id = next(self._thread_ids)
        log.topics[thread_id] = name
        return {"message_thread_id": thread_id, "name": name, "icon_color": 7322096}

    def _m_getchat(self, params: dict[str, Any]) -> Any:
        log = self.chat(int(params["chat_id"]))
        return {**self._chat_json(log), "accent_color_id": 0, "max_reaction_count": 11}

    def _m_getchatmember(self, params: dict[str, Any]) -> Any:
        log = self.chat(int(params["chat_id"]))
        user_id = int(params["user_id"])
        status = log.members.get(user_id, "left")
        user = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "administrator":
            member.update(can_be_edited=False, is_anonymous=False, can_manage_chat=True)
            member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
        return member

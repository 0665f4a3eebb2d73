"""An in-memory Bot API: the one offline transport used by `chat`, the tests and the benchmarks."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from typing import Any

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from bot.transport.chatlog import (
    BOT_ID,
    BOT_USERNAME,
    DELETE_WINDOW_SECONDS,
    TEXT_LIMIT,
    ApiError,
    ChatLog,
    FaultPolicy,
    TelegramBudget,
    check_markup,
    checked_text,
)
from bot.transport.offline_methods import FileAndGroupMethods
from bot.transport.uploads import upload_from
from bot.ui.fit import units
from bot.ui.limits import CALLBACK_ANSWER, CALLBACK_ANSWER_SECONDS, REACTION_EMOJI, SEND_METHODS

__all__ = ["ApiError", "ChatLog", "OfflineBotAPI", "OfflineRequest"]


class OfflineBotAPI(FileAndGroupMethods):
    """State of a fake Telegram: chats, messages, calls made, faults to inject."""

    def __init__(self, *, now: Callable[[], float] = time.time) -> None:
        self.now = now
        self.chats: dict[int, ChatLog] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.results: list[Any] = []  # aligned with calls; None where the call failed
        self.fault_policy: FaultPolicy | None = None
        self.on_send: list[Callable[[str, dict[str, Any]], None]] = []
        self._message_ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._thread_ids = itertools.count(100)
        self._query_ids = itertools.count(1)
        self.budget = TelegramBudget(now)  # 429 past Telegram's flood limits
        self.callbacks_issued: dict[str, float] = {}  # query id -> when the button was pressed
        self.expired_callbacks = 0

    # -- state helpers used by tests, `chat` and benchmarks -------------------------------
    def chat(self, chat_id: int, **kwargs: Any) -> ChatLog:
        log = self.chats.get(chat_id)
        if log is None:
            log = self.chats[chat_id] = ChatLog(id=chat_id, **kwargs)
        else:
            for key, value in kwargs.items():
                setattr(log, key, value)
        return log

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def press_button(self) -> str:
        """A new callback query id; the 15-second answer window starts now."""
        query_id = str(next(self._query_ids))
        self.callbacks_issued[query_id] = self.now()
        return query_id

    def sent(self, method: str | None = None, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Parameters of the calls made so far, optionally only one method and one chat."""
        return [
            params
            for name, params in self.calls
            if (method is None or name == method)
            and (chat_id is None or int(params.get("chat_id", 0) or 0) == chat_id)
        ]

    def visible_texts(self, chat_id: int) -> list[str]:
        """Plain text of every message still present in a chat, oldest first."""
        log = self.chats.get(chat_id)
        if log is None:
            return []
        return [m.get("text") or m.get("caption") or "" for m in log.messages.values()]

    # -- the API itself ---------------------------------------------------------------------
    def handle(self, method: str, params: dict[str, Any]) -> Any:
        """Run one Bot API method; returns its result or raises ApiError."""
        self.calls.append((method, params))
        self.results.append(None)
        index = len(self.results) - 1
        if self.fault_policy is not None:
            fault = self.fault_policy(method, params)
            if fault is not None:
                raise ApiError(*fault)
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        counted = method in SEND_METHODS and params.get("chat_id") is not None
        if counted:
            self.budget.check(int(params["chat_id"]))
        result = handler(params)
        if counted:
            self.budget.spend(int(params["chat_id"]))
        self.results[index] = result
        for listener in self.on_send:
            listener(method, params)
        return result

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Kawan", "username": BOT_USERNAME}

    def _chat_json(self, log: ChatLog) -> dict[str, Any]:
        data: dict[str, Any] = {"id": log.id, "type": log.type}
        if log.title:
            data["title"] = log.title
        if log.is_forum:
            data["is_forum"] = True
        return data

    def _target(self, params: dict[str, Any]) -> ChatLog:
        log = self.chat(int(params["chat_id"]))
        if log.blocked_bot:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        thread = params.get("message_thread_id")
        if thread is not None and int(thread) not in log.topics:
            raise ApiError(400, "Bad Request: message thread not found")
        return log

    def _store(self, log: ChatLog, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self.next_message_id(),
            "date": int(self.now()),
            "chat": self._chat_json(log),
            "from": self._bot_user(),
            **{k: v for k, v in content.items() if v is not None},
        }
        if params.get("message_thread_id") is not None:
            message["message_thread_id"] = int(params["message_thread_id"])
            message["is_topic_message"] = True
        reply_to = params.get("reply_parameters") or {}
        if isinstance(reply_to, str):
            reply_to = json.loads(reply_to)
        if reply_to.get("message_id") in log.messages:
            message["reply_to_message"] = log.messages[reply_to["message_id"]]
        log.messages[message["message_id"]] = message
        return message

    def _m_getme(self, params: dict[str, Any]) -> Any:
        return {**self._bot_user(), "can_join_groups": True, "supports_inline_queries": False}

    def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        log = self._target(params)
        text = checked_text(params, "text", TEXT_LIMIT)
        markup = check_markup(params)
        return self._store(log, params, text=text, reply_markup=markup)

    def _m_editmessagetext(self, params: dict[str, Any]) -> Any:
        log = self._target(params)
        message = log.messages.get(int(params["message_id"]))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        text = checked_text(params, "text", TEXT_LIMIT)
        markup = check_markup(params)
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message.update(text=text, edit_date=int(self.now()))
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return message

    def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> Any:
        log = self._target(params)
        message = log.messages.get(int(params["message_id"]))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        message.pop("reply_markup", None)
        markup = check_markup(params)
        if markup:
            message["reply_markup"] = markup
        return message

    def _m_deletemessage(self, params: dict[str, Any]) -> Any:
        self._delete(int(params["chat_id"]), int(params["message_id"]))
        return True

    def _m_deletemessages(self, params: dict[str, Any]) -> Any:
        ids = params["message_ids"]
        if isinstance(ids, str):
            ids = json.loads(ids)
        if not 1 <= len(ids) <= 100:
            raise ApiError(400, "Bad Request: too many messages to delete")
        for message_id in ids:  # Telegram skips ids it cannot delete
            try:
                self._delete(int(params["chat_id"]), int(message_id))
            except ApiError:
                continue
        return True

    def _delete(self, chat_id: int, message_id: int) -> None:
        log = self.chat(chat_id)
        message = log.messages.get(message_id)
        if message is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        if self.now() - message["date"] > DELETE_WINDOW_SECONDS:
            raise ApiError(400, "Bad Request: message can't be deleted for everyone")
        del log.messages[message_id]

    def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        pressed = self.callbacks_issued.pop(str(params.get("callback_query_id")), None)
        if pressed is not None and self.now() - pressed > CALLBACK_ANSWER_SECONDS:
            self.expired_callbacks += 1
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        if units(str(params.get("text") or "")) > CALLBACK_ANSWER:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _m_setmessagereaction(self, params: dict[str, Any]) -> Any:
        log = self.chat(int(params["chat_id"]))
        message = log.messages.get(int(params["message_id"]))
        if message is None:
            raise ApiError(400, "Bad Request: message to react not found")
        reaction = params.get("reaction") or []
        if isinstance(reaction, str):
            reaction = json.loads(reaction)
        emoji = [r.get("emoji") for r in reaction if r.get("type") == "emoji"]
        if len(emoji) > 1 or any(e not in REACTION_EMOJI for e in emoji):
            raise ApiError(400, "Bad Request: REACTION_INVALID")
        message["reactions"] = emoji
        return True

    def _m_getupdates(self, params: dict[str, Any]) -> Any:
        raise ApiError(400, "Bad Request: getUpdates is served by the HTTP front")

    def _ok(self, params: dict[str, Any]) -> Any:
        return True

    _m_setmycommands = _m_deletemycommands = _m_sendchataction = _ok
    _m_deletewebhook = _m_setwebhook = _m_closeforumtopic = _m_reopenforumtopic = _ok
    _m_editforumtopic = _m_pinchatmessage = _m_setchatmenubutton = _m_close = _ok


class LocalRequest(BaseRequest):
    """A PTB request class answered inside this process: nothing to open, close or time out."""

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        return await self.respond(url.rsplit("/", 1)[-1], request_data)

    async def respond(self, name: str, request_data: RequestData | None) -> tuple[int, bytes]:
        """The HTTP status and body Telegram would send for Bot API method `name`."""
        raise NotImplementedError


class OfflineRequest(LocalRequest):
    """PTB request class that answers from an OfflineBotAPI and never touches the network."""

    def __init__(self, api: OfflineBotAPI) -> None:
        self.api = api

    async def respond(self, name: str, request_data: RequestData | None) -> tuple[int, bytes]:
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        if request_data and request_data.multipart_data:
            params.update({k: upload_from(v) for k, v in request_data.multipart_data.items()})
        try:
            result = self.api.handle(name, params)
        except ApiError as exc:
            if exc.status == 0:  # a fault policy asking for a lost response
                raise TimedOut(exc.description) from None
            body: dict[str, Any] = {"ok": False, "error_code": exc.status}
            body["description"] = exc.description
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            return exc.status, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

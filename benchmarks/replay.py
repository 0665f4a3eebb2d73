"""The yardstick for "Kawan's own work": the same updates, the same Bot API calls, nothing else.

The echo bot makes one small call per update; Kawan answers a button press with two calls that
carry keyboards, and PTB's cost of building a request and parsing the Message it returns grows
with both. To tell the framework's share from Kawan's, every Bot API call Kawan makes while
handling an update is recorded (method, parameters, the transport's answer as bytes). A bare
PTB Application then handles the very same updates with one TypeHandler that makes exactly
those calls through the typed Bot methods, and a transport that hands back the recorded answers.

    Kawan's own work per update = Kawan's handling time - the replay's handling time

It is conservative: the simulated Telegram's work for Kawan's calls (HTML checks, chat logs)
and the routing through Kawan's handlers stay on Kawan's side.
"""

from __future__ import annotations

import contextlib
import json
from collections import deque
from collections.abc import Callable
from typing import Any

from telegram import (
    ForceReply,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReactionTypeEmoji,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import BaseRequest, RequestData

from bot.app import OFFLINE_TOKEN
from bot.transport.offline import LocalRequest

Call = tuple[str, RequestData | None, int, bytes]  # method, its parameters, HTTP status, body
Prepared = tuple[str, dict[str, Any]]  # method, keyword arguments for the typed Bot method


class CallRecorder:
    """Wraps a bot's request object: notes each call and the transport's answer, in order."""

    def __init__(self, request: BaseRequest) -> None:
        self.calls: list[Call] = []
        inner = request.do_request

        async def recording(url: str, method: str, request_data: RequestData | None = None,
                            **timeouts: Any) -> tuple[int, bytes]:  # fmt: skip
            status, body = await inner(url, method, request_data, **timeouts)
            # Parameters are read later, outside the timed handling (PTB never reuses them).
            self.calls.append((url.rsplit("/", 1)[-1], request_data, status, body))
            return status, body

        # Measurement only: the instance attribute shadows the method for this one bot.
        request.do_request = recording  # type: ignore[method-assign]


def _markup(data: dict[str, Any]) -> Any:
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.de_json(data, None)
    if "keyboard" in data:
        return ReplyKeyboardMarkup.de_json(data, None)
    if "remove_keyboard" in data:
        return ReplyKeyboardRemove.de_json(data, None)
    return ForceReply.de_json(data, None)


OBJECTS: dict[str, Callable[[Any], Any]] = {
    "reply_markup": _markup,
    "reply_parameters": lambda data: ReplyParameters.de_json(data, None),
    "link_preview_options": lambda data: LinkPreviewOptions.de_json(data, None),
}


def prepare(call: Call) -> Prepared:
    """Typed keyword arguments, built before timing (Kawan builds its own inside its time)."""
    method, request_data, _, _ = call
    kwargs: dict[str, Any] = {}
    for name, value in (request_data.parameters if request_data else {}).items():
        if isinstance(value, dict):
            if name not in OBJECTS:
                raise ValueError(f"replay: no type for {method}.{name}")
            value = OBJECTS[name](value)
        elif isinstance(value, list) and name == "reaction":
            value = [ReactionTypeEmoji(str(item["emoji"])) for item in value]
        elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
            raise ValueError(f"replay: no type for the items of {method}.{name}")
        kwargs[name] = value
    return method, kwargs


class ReplayRequest(LocalRequest):
    """A transport that answers each call with the bytes recorded for it, in order."""

    def __init__(self) -> None:
        self.answers: deque[tuple[str, int, bytes]] = deque()

    async def respond(self, name: str, request_data: RequestData | None) -> tuple[int, bytes]:
        if name == "getMe":
            me = {"id": 1, "is_bot": True, "first_name": "Replay", "username": "replay_bot"}
            return 200, json.dumps({"ok": True, "result": me}).encode()
        expected, status, body = self.answers.popleft()
        if expected != name:
            raise AssertionError(f"replay out of step: {name} where {expected} was recorded")
        return status, body


class Replay:
    """A bare Application whose only handler makes the calls recorded for each update."""

    def __init__(self) -> None:
        self.transport = ReplayRequest()
        self.app: Application = (  # type: ignore[type-arg]
            ApplicationBuilder()
            .token(OFFLINE_TOKEN)
            .request(self.transport)
            .get_updates_request(ReplayRequest())
            .build()
        )
        self.app.add_handler(TypeHandler(Update, self._make_calls))
        self._pending: deque[list[Prepared]] = deque()

    def load(self, calls: list[Call]) -> None:
        """The calls of the next update to be handled (prepared now, outside any timing)."""
        self._pending.append([prepare(call) for call in calls])
        self.transport.answers.extend((method, status, body) for method, _, status, body in calls)

    async def _make_calls(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        for method, kwargs in self._pending.popleft():
            # Recorded refusals are refused again, as Kawan saw them.
            with contextlib.suppress(TelegramError):
                await getattr(context.bot, method)(**kwargs)

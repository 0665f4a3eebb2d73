"""The offline Bot API served over local HTTP, for the real polling path (`TELEGRAM_API_URL`)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.transport.offline import ApiError, OfflineBotAPI
from bot.transport.uploads import Upload


class BotApiHTTPServer:
    """`POST /bot<token>/<method>` answered by an OfflineBotAPI, plus long-polled getUpdates."""

    def __init__(self, api: OfflineBotAPI, token: str) -> None:
        self.api, self.token = api, token
        self.pending: list[dict[str, Any]] = []
        self._new_update = asyncio.Event()
        self._server: HTTPServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for the bot's next getUpdates."""
        self.pending.append(update)
        self._new_update.set()

    async def get_updates(self, offset: int, wait: float) -> list[dict[str, Any]]:
        self.pending = [u for u in self.pending if u["update_id"] >= offset]
        if not self.pending and wait > 0:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), wait)
            except TimeoutError:
                return []
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        return list(self.pending)

    async def start(self) -> None:
        app = Application([(r"/bot([^/]+)/(\w+)", _MethodHandler, {"server": self})])
        sockets = bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self._server = HTTPServer(app)
        self._server.add_sockets(sockets)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()


class _MethodHandler(RequestHandler):
    server: BotApiHTTPServer

    def initialize(self, server: BotApiHTTPServer) -> None:
        self.server = server

    def _params(self) -> dict[str, Any]:
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json") and self.request.body:
            return dict(json.loads(self.request.body))
        params: dict[str, Any] = {}
        for key, values in self.request.body_arguments.items():
            params[key] = _maybe_json(values[0].decode())
        for key, values in self.request.query_arguments.items():
            params[key] = _maybe_json(values[0].decode())
        for key, files in self.request.files.items():
            part = files[0]
            params[key] = Upload(part.filename, part.body, part.content_type)
        return params

    async def post(self, token: str, method: str) -> None:
        if token != self.server.token:
            self.set_status(401)
            self.finish({"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        params = self._params()
        if method.lower() == "getupdates":
            updates = await self.server.get_updates(
                int(params.get("offset") or 0), float(params.get("timeout") or 0)
            )
            self.finish({"ok": True, "result": updates})
            return
        try:
            result = self.server.api.handle(method, params)
        except ApiError as exc:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": exc.status,
                "description": exc.description,
            }
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            self.set_status(exc.status or 500)
            self.finish(body)
            return
        self.finish({"ok": True, "result": result})

    get = post


def _maybe_json(value: str) -> Any:
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value

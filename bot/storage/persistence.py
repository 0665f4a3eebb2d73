"""PTB persistence in the same SQLite file: conversation states and user_data survive restarts."""

from __future__ import annotations

import json
from collections.abc import Callable
from copy import deepcopy
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.storage.db import Database

ConversationDict = dict[tuple[str | int, ...], object]


class SqlitePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Stores conversations and user_data (JSON) in the `ptb_state` table; nothing else."""

    def __init__(self, database: Callable[[], Database | None], update_interval: float = 5) -> None:
        # user_data holds half-filled help requests; chat/bot/callback data are not used.
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._database = database
        # What each stored row holds (JSON), per kind loaded at start-up. PTB hands over the
        # user_data of every user it saw each interval, mostly unchanged or empty: a write is
        # only needed when the value differs from the stored one.
        self._stored: dict[str, dict[str, str]] = {}

    @property
    def db(self) -> Database:
        database = self._database()
        if database is None:
            raise RuntimeError("storage is not open yet (it opens in post_init)")
        return database

    async def _load(self, kind: str) -> dict[str, Any]:
        rows = await self.db.fetchall("SELECT key, value FROM ptb_state WHERE kind = ?", (kind,))
        self._stored[kind] = {row["key"]: row["value"] for row in rows}
        return {row["key"]: json.loads(row["value"]) for row in rows}

    async def _store(self, kind: str, key: str, value: Any) -> None:
        stored = self._stored.get(kind)  # None: not loaded, so nothing is known to be there
        text = None if value is None else json.dumps(value, ensure_ascii=False)
        if stored is not None and stored.get(key) == text:
            return
        if text is None:
            await self.db.execute("DELETE FROM ptb_state WHERE kind = ? AND key = ?", (kind, key))
        else:
            await self.db.execute(
                "INSERT INTO ptb_state (kind, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value",
                (kind, key, text),
            )
        if stored is not None:
            if text is None:
                stored.pop(key, None)
            else:
                stored[key] = text

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {int(k): v for k, v in (await self._load("user_data")).items()}

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        await self._store("user_data", str(user_id), deepcopy(data) or None)

    async def drop_user_data(self, user_id: int) -> None:
        await self._store("user_data", str(user_id), None)

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        stored = await self._load(f"conversation:{name}")
        return {tuple(json.loads(key)): state for key, state in stored.items()}

    async def update_conversation(
        self, name: str, key: tuple[str | int, ...], new_state: object | None
    ) -> None:
        await self._store(f"conversation:{name}", json.dumps(list(key)), new_state)

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        return None

"""The command menus: one registry publishes each language's list, citizens' and officers' apart."""

from __future__ import annotations

import re
from typing import Any

from telegram.ext import Application

from bot.context import KawanApplication
from bot.transport.offline import OfflineBotAPI
from bot.ui.commands import CommandRegistry
from conftest import OFFICERS_CHAT


def _menus(api: OfflineBotAPI) -> dict[tuple[str, str | None], list[dict[str, Any]]]:
    """(scope type, language) → the commands published for it."""
    menus = {}
    for params in api.sent("setMyCommands"):
        scope = params["scope"]
        kind = "officers" if scope.get("chat_id") == OFFICERS_CHAT else "private"
        menus[(kind, params.get("language_code"))] = list(params["commands"])
    return menus


async def _noop(update: object, context: object) -> None:
    return None


def test_the_registry_keeps_order_aliases_and_unlisted_commands_apart() -> None:
    app = Application.builder().token("1:x").updater(None).build()
    registry = CommandRegistry()
    registry.add(app, "bantuan", _noop, "Ask KBRI for help", aliases=("help",))
    registry.add(app, "rahasia", _noop, "Hidden", listed=False)
    registry.add(app, "antrian", _noop, "Open cases", audience="officer")
    registry.describe("batal", "Cancel")
    assert [c.name for c in registry.menu("citizen")] == ["bantuan", "batal"]
    assert registry.names("citizen") == {"bantuan", "help", "rahasia", "batal"}
    assert registry.names() == registry.names("citizen") | {"antrian"}
    assert sum(len(handlers) for handlers in app.handlers.values()) == 3


async def test_each_language_gets_its_menu_and_officers_get_theirs_only_in_their_group(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    menus = _menus(api)
    assert set(menus) == {(k, lang) for k in ("private", "officers") for lang in ("id", "en", None)}
    private = {c["command"] for c in menus[("private", "id")]}
    officers = {c["command"] for c in menus[("officers", "id")]}
    assert {"start", "status"} <= private and "antrian" in officers
    assert not private & officers  # a citizen never sees an officer's command
    assert menus[("private", None)] == menus[("private", "id")]  # the default language
    indonesian = {c["command"]: c["description"] for c in menus[("private", "id")]}
    english = {c["command"]: c["description"] for c in menus[("private", "en")]}
    assert indonesian.keys() == english.keys()
    assert indonesian["start"] == "Mulai dan menu utama" and english["start"] != indonesian["start"]


async def test_every_published_command_is_one_telegram_accepts(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    for commands in _menus(api).values():
        assert len(commands) <= 100
        for command in commands:
            assert re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]), command
            assert 1 <= len(command["description"]) <= 256, command

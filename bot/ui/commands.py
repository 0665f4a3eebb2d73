"""One registry for commands: it adds the handlers and publishes the per-language command menus."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Literal

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.ext import Application, BaseHandler, CommandHandler, filters

from bot.config import LOCALES
from bot.ui.i18n import Catalogs

Audience = Literal["citizen", "officer"]
Callback = Callable[[Any, Any], Coroutine[Any, Any, Any]]


def N_(message: str) -> str:
    """Mark a string for translation without translating it yet (it is translated per reader)."""
    return message


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # a gettext msgid
    audience: Audience
    aliases: tuple[str, ...] = ()
    listed: bool = True


class CommandRegistry:
    """Commands known to the bot, in the order they were registered."""

    def __init__(self) -> None:
        self.commands: list[Command] = []

    def add(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        name: str,
        callback: Callback,
        description: str,
        *,
        audience: Audience = "citizen",
        aliases: tuple[str, ...] = (),
        listed: bool = True,
        group: int = 0,
        handler: BaseHandler[Any, Any, Any] | None = None,
    ) -> None:
        """Register a command's handler and remember it for the command menu."""
        self.commands.append(Command(name, description, audience, aliases, listed))
        if handler is None:
            chats = filters.ChatType.PRIVATE if audience == "citizen" else filters.ChatType.GROUPS
            handler = CommandHandler([name, *aliases], callback, filters=chats)
        app.add_handler(handler, group=group)

    def describe(
        self,
        name: str,
        description: str,
        *,
        audience: Audience = "citizen",
        aliases: tuple[str, ...] = (),
    ) -> None:
        """List a command whose handler lives elsewhere (e.g. a conversation's entry point)."""
        self.commands.append(Command(name, description, audience, aliases, True))

    def names(self, audience: Audience | None = None) -> set[str]:
        return {
            n for c in self.commands if audience in (None, c.audience) for n in (c.name, *c.aliases)
        }

    def menu(self, audience: Audience) -> list[Command]:
        return [c for c in self.commands if c.audience == audience and c.listed]


async def publish_commands(
    bot: Bot, registry: CommandRegistry, catalogs: Catalogs, officers_chat_id: int | None
) -> None:
    """setMyCommands per language for private chats, and the officers' list in their group."""
    for locale in (*LOCALES, None):
        t = catalogs.get(locale or catalogs.default)
        citizen = [BotCommand(c.name, t(c.description)) for c in registry.menu("citizen")]
        await bot.set_my_commands(
            citizen, scope=BotCommandScopeAllPrivateChats(), language_code=locale
        )
        if officers_chat_id is not None:
            officer = [BotCommand(c.name, t(c.description)) for c in registry.menu("officer")]
            await bot.set_my_commands(
                officer, scope=BotCommandScopeChat(officers_chat_id), language_code=locale
            )

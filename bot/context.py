"""The typed CallbackContext handlers receive, and the services it gives access to."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.content import Content
from bot.flood import FloodGuard
from bot.runtime.inbox import DurableUpdateQueue
from bot.storage.db import Database
from bot.storage.inbox import InboxRepository
from bot.storage.models import User
from bot.storage.repos import Repositories
from bot.ui.i18n import Catalogs, Translator
from bot.ui.render import Renderer

if TYPE_CHECKING:
    from bot.offers.check import OfferChecker
    from bot.queue.dispatcher import Dispatcher
    from bot.ui.commands import CommandRegistry
    from bot.understanding.danger import DangerDetector
    from bot.understanding.estimates import FineRate
    from bot.understanding.search import QuestionIndex


@dataclass
class Services:
    """Long-lived objects built once by the composition root (bot/app.py)."""

    settings: Settings
    content: Content
    catalogs: Catalogs
    renderer: Renderer
    commands: CommandRegistry
    search: QuestionIndex | None = None
    danger: DangerDetector | None = None
    offers: OfferChecker | None = None
    fine_rate: FineRate | None = None
    db: Database | None = None
    repos: Repositories | None = None
    dispatcher: Dispatcher | None = None
    flood: FloodGuard = field(default_factory=FloodGuard)
    errors: deque[str] = field(default_factory=lambda: deque(maxlen=100))
    extras: dict[str, Any] = field(default_factory=dict)


class KawanApplication(Application):  # type: ignore[type-arg]
    """PTB's Application with one extra slot for our services (bot_data is for persisted data)."""

    __slots__ = ("services",)
    services: Services

    async def initialize(self) -> None:
        # Storage first: initialize() loads the persisted conversations from it.
        await open_storage(self.services)
        queue = self.update_queue
        assert isinstance(queue, DurableUpdateQueue)
        assert self.services.db is not None
        queue.inbox = InboxRepository(self.services.db)
        await super().initialize()
        await queue.replay(self.bot)  # what a killed run received but had not finished

    async def shutdown(self) -> None:
        await super().shutdown()  # flushes persistence into storage, so close storage after
        if self.services.db is not None:
            await self.services.db.close()
            self.services.db = None
            self.services.repos = None


async def open_storage(services: Services) -> None:
    """Open the database (migrations run) and build the repositories, once."""
    if services.db is not None:
        return
    services.db = await Database.open(services.settings.database_path)
    services.repos = Repositories.build(services.db)


class KawanContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with typed access to services and the reader's translator."""

    # Set once per update by the pre-processing handler (handlers/middleware.py).
    t: Translator
    user_record: User | None = None

    @property
    def services(self) -> Services:
        app = self.application
        assert isinstance(app, KawanApplication)
        return app.services

    @property
    def locale(self) -> str:
        return self.t.locale

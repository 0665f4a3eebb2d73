"""The typed CallbackContext handlers receive, and the services it gives access to."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.content import Content
from bot.flood import FloodGuard
from bot.offers.check import OfferChecker
from bot.queue.auth import OfficerAuth
from bot.storage.db import Database
from bot.storage.models import User
from bot.storage.repos import Repositories
from bot.ui.commands import CommandRegistry
from bot.ui.i18n import Catalogs, Translator
from bot.ui.render import Renderer
from bot.understanding.danger import DangerDetector
from bot.understanding.estimates import FineRate
from bot.understanding.search import QuestionIndex


class StorageClosed(RuntimeError):
    """Storage was used before the composition root opened it, or after it closed it."""


class OutboxWorker(Protocol):
    """What handlers and tools ask of the outbox dispatcher (bot/queue/dispatcher.py)."""

    def wake(self) -> None: ...
    def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def settle(self, rounds: int = 100) -> None: ...
    async def deliver_held(self, chat_id: int) -> int: ...
    def holds_for(self, chat_id: int) -> bool: ...
    @property
    def acks(self) -> Reactions: ...
    @property
    def round_lock(self) -> asyncio.Lock: ...


class Reactions(Protocol):
    """Reactions on officers' messages, set in the background (bot/queue/acks.py)."""

    def set(self, ack: Sequence[int] | None, emoji: str) -> None: ...


@dataclass
class Services:
    """Long-lived objects built once by the composition root (bot/app.py)."""

    settings: Settings
    content: Content
    catalogs: Catalogs
    renderer: Renderer
    commands: CommandRegistry
    search: QuestionIndex
    danger: DangerDetector
    offers: OfferChecker
    fine_rate: FineRate
    # Opened and closed by the composition root around the Application's life; `repos` is
    # the accessor everything else uses.
    storage: Repositories | None = None
    # Optional features: officer authorisation needs a bot; the dispatcher runs only when an
    # officers' group is configured and the Application has started.
    auth: OfficerAuth | None = None
    dispatcher: OutboxWorker | None = None
    flood: FloodGuard = field(default_factory=FloodGuard)
    errors: deque[str] = field(default_factory=lambda: deque(maxlen=100))
    alerted_at: dict[str, float] = field(default_factory=dict)  # error kind -> last alert
    # Screens that depend only on language and content, built once per run (handlers/screens).
    screens: dict[tuple[str, ...], object] = field(default_factory=dict)

    @property
    def repos(self) -> Repositories:
        """The repositories; storage is open whenever an update or a job is handled."""
        if self.storage is None:
            raise StorageClosed("storage is not open")
        return self.storage

    @property
    def db(self) -> Database:
        return self.repos.db

    @property
    def officers_t(self) -> Translator:
        """Officers read the default locale (Indonesian unless configured otherwise)."""
        return self.catalogs.get(self.settings.default_locale)


class KawanApplication(Application):  # type: ignore[type-arg]
    """PTB's Application with one extra slot for our services (bot_data is for persisted data)."""

    __slots__ = ("services",)
    services: Services


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

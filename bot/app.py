"""Composition root: build_application(settings) wires content, catalogs, storage and handlers."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import Settings
from bot.content import Content, default_content_dir, load_content
from bot.context import KawanApplication, KawanContext, Services
from bot.handlers import (
    advisories,
    checkins,
    citizen,
    edits,
    emergency,
    fallback,
    guides,
    helpdesk,
    menu,
    middleware,
    offers,
    officer_commands,
    officers,
    privacy,
    questions,
    recovery,
    referrals,
    templates,
)
from bot.logfilter import quiet_content_loggers
from bot.offers.check import OfferChecker
from bot.queue import jobs
from bot.queue.auth import OfficerAuth
from bot.queue.dispatcher import Dispatcher
from bot.runtime.inbox import DurableUpdateQueue
from bot.runtime.ordering import OrderedUpdateProcessor
from bot.runtime.ratelimit import KawanRateLimiter
from bot.storage.db import Database
from bot.storage.inbox import InboxRepository
from bot.storage.persistence import SqlitePersistence
from bot.storage.repos import Repositories
from bot.tracking import TrackingBot
from bot.transport.offline import OfflineBotAPI, OfflineRequest
from bot.ui.commands import CommandRegistry, publish_commands
from bot.ui.i18n import Catalogs, default_locales_dir
from bot.ui.render import Renderer
from bot.understanding.danger import DangerDetector
from bot.understanding.estimates import FineRate, load_fine_rate
from bot.understanding.search import QuestionIndex

log = logging.getLogger(__name__)

# The offline transport never checks the token; this one only has to look like a token.
OFFLINE_TOKEN = "7000000001:offline-token-for-kawan-chat-and-tests-000"


ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Arguments of run_webhook/start_webhook: path /telegram, a secret Telegram echoes back."""
    assert settings.webhook_url is not None and settings.bot_token is not None
    # Telegram sends this secret in a header with every update, so forged posts are refused.
    secret = hashlib.sha256(f"webhook:{settings.bot_token}".encode()).hexdigest()
    return {
        "port": settings.webhook_port,
        "url_path": "telegram",
        "webhook_url": settings.webhook_url.rstrip("/") + "/telegram",
        "secret_token": secret,
        "allowed_updates": ALLOWED_UPDATES,
    }


class StoredApplication(KawanApplication):
    """The Application with its storage: opened before PTB loads persisted state, closed after."""

    __slots__ = ()

    async def initialize(self) -> None:
        # Storage first: initialize() loads the persisted conversations from it.
        await open_storage(self.services)
        queue = self.update_queue
        assert isinstance(queue, DurableUpdateQueue)
        queue.inbox = InboxRepository(self.services.repos.db)
        await super().initialize()
        await queue.replay(self.bot)  # what a killed run received but had not finished

    async def shutdown(self) -> None:
        await super().shutdown()  # flushes persistence into storage, so close storage after
        await close_storage(self.services)


async def open_storage(services: Services) -> None:
    """Open the database (migrations run) and build the repositories, once."""
    if services.storage is None:
        db = await Database.open(services.settings.database_path)
        services.storage = Repositories.build(db)


async def close_storage(services: Services) -> None:
    """Close the database; services.repos refuses from now on."""
    storage, services.storage = services.storage, None
    if storage is not None:
        await storage.db.close()


@dataclass(frozen=True)
class ReadOnlyServices:
    """What depends only on content/ and locales/: loaded once, shared by every Services."""

    content: Content
    catalogs: Catalogs
    renderer: Renderer
    search: QuestionIndex
    danger: DangerDetector
    offers: OfferChecker
    fine_rate: FineRate


@functools.lru_cache(maxsize=4)
def load_read_only(content_dir: Path, locales_dir: Path, default_locale: str) -> ReadOnlyServices:
    """Content, catalogs, templates, index and detectors, built once per content directory.

    A running bot builds them once anyway; tests, benchmarks and the tour build many
    Applications over the same content, and this is the slow part (about 2 s).
    """
    content = load_content(content_dir)
    catalogs = Catalogs.load(locales_dir, default_locale)
    return ReadOnlyServices(
        content=content,
        catalogs=catalogs,
        renderer=Renderer(content.root / "templates", catalogs),
        search=QuestionIndex.build(content),  # built once here, never per question
        danger=DangerDetector.load(content_dir),
        offers=OfferChecker.load(content_dir),
        fine_rate=load_fine_rate(content_dir),
    )


def build_services(settings: Settings) -> Services:
    """The services of one Application: shared read-only parts, fresh per-run state."""
    content_dir: Path = (settings.content_dir or default_content_dir()).resolve()
    shared = load_read_only(content_dir, default_locales_dir().resolve(), settings.default_locale)
    return Services(
        settings=settings,
        content=shared.content,
        catalogs=shared.catalogs,
        renderer=shared.renderer,
        commands=CommandRegistry(),
        search=shared.search,
        danger=shared.danger,
        offers=shared.offers,
        fine_rate=shared.fine_rate,
    )


def build_application(settings: Settings, *, api: OfflineBotAPI | None = None) -> KawanApplication:
    """The one Application: online (settings' token and API URL) or on an offline Bot API."""
    # Opt in to PTB 23's behaviour: RetryAfter.retry_after is a timedelta (read when accessed).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    services = build_services(settings)
    quiet_content_loggers()
    defaults = Defaults(
        parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
    )
    persistence = SqlitePersistence(lambda: services.storage.db if services.storage else None)
    # Everything below is the same online and offline: only the request (the transport) differs.
    request: BaseRequest
    polling: BaseRequest
    if api is not None:
        token, request, polling = OFFLINE_TOKEN, OfflineRequest(api), OfflineRequest(api)
    else:
        assert settings.bot_token is not None, "checked by Settings.require_for_run"
        token, request = settings.bot_token, HTTPXRequest(connection_pool_size=64)
        polling = HTTPXRequest()
    bot = TrackingBot(
        token, base_url=settings.base_url, request=request, get_updates_request=polling,
        defaults=defaults, rate_limiter=KawanRateLimiter(),
    )  # fmt: skip
    processor = OrderedUpdateProcessor()
    updates = DurableUpdateQueue()
    builder: Any = (
        ApplicationBuilder()
        .application_class(StoredApplication)
        .context_types(ContextTypes(context=KawanContext))
        .bot(bot)
        .update_queue(updates)
        .concurrent_updates(processor)
        .persistence(persistence)
        .post_init(start_services)
        .post_stop(stop_services)
    )
    app: KawanApplication = builder.build()
    app.services = services
    services.auth = OfficerAuth(bot, settings.officers_chat_id, settings.officer_ids)

    async def after_update(update: object) -> None:
        # State that decides where the next message goes (conversation step, draft) is written
        # now, not on the persistence interval; only then is the update gone from the inbox.
        await app.update_persistence()
        await updates.handled(update)

    processor.after = after_update

    async def note_sent(chat_id: int, message_id: int) -> None:
        if services.storage is not None:
            await services.storage.messages.record(chat_id, message_id, "out")

    bot.note_private_messages(note_sent)
    _register_features(app, services.commands)
    return app


def _register_features(app: KawanApplication, registry: CommandRegistry) -> None:
    # Order matters. Group -100: language and user bookkeeping for every update. Group -10: a
    # citizen's follow-up on an open case is relayed and stops there. Group 0: the features, in
    # this order (/cek's conversation, then the help form, before anything else that reads free
    # text; a form the person left for another screen lets the text through), then the
    # fallbacks, registered last, answer whatever no feature claimed.
    middleware.register(app, registry)
    citizen.register(app, registry)
    menu.register(app, registry)
    offers.register(app, registry)  # before the help form: /cek's answer is not a form answer
    helpdesk.register(app, registry)
    guides.register(app, registry)
    emergency.register(app, registry)
    privacy.register(app, registry)
    checkins.register(app, registry)
    recovery.register(app, registry)
    advisories.register(app, registry)
    templates.register(app, registry)  # their case buttons go before officers' catch-all
    referrals.register(app, registry)
    officers.register(app, registry)
    edits.register(app, registry)
    officer_commands.register(app, registry)
    questions.register(app, registry)
    fallback.register(app, registry)


async def start_services(app: Any) -> None:
    """post_init: command menus, officer authorisation, the dispatcher and the periodic jobs."""
    services: Services = app.services
    settings = services.settings
    await publish_commands(app.bot, services.commands, services.catalogs, settings.officers_chat_id)
    if settings.officers_chat_id is not None and services.dispatcher is None:
        # The dispatcher owns the group's budget: it spends the rate limiter's own pacer.
        limiter = app.bot.rate_limiter
        pacer = None
        if isinstance(limiter, KawanRateLimiter):
            pacer = limiter.group_pacer(settings.officers_chat_id)
        dispatcher = Dispatcher(services, app.bot, pacer=pacer)
        dispatcher.start()
        services.dispatcher = dispatcher
    if app.job_queue is not None:
        jobs.schedule(app.job_queue, settings)


async def stop_services(app: Any) -> None:
    """post_stop: stop the dispatcher (undelivered rows stay in the outbox for next start)."""
    services: Services = app.services
    if services.dispatcher is not None:
        await services.dispatcher.stop()
        services.dispatcher = None


@contextlib.asynccontextmanager
async def running(app: KawanApplication) -> AsyncIterator[KawanApplication]:
    """Initialise and start an Application without polling (chat, tests, benchmarks)."""
    await app.initialize()
    await start_services(app)
    await app.start()
    try:
        yield app
    finally:
        await app.stop()
        await stop_services(app)
        await app.shutdown()

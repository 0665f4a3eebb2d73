"""Composition root: build_application(settings) wires content, catalogs, storage and handlers."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, Defaults

from bot.commands import CommandRegistry, publish_commands
from bot.config import Settings
from bot.content import default_content_dir, load_content
from bot.context import KawanApplication, KawanContext, Services
from bot.handlers import emergency, fallback, guides, menu, middleware
from bot.i18n import Catalogs, default_locales_dir
from bot.render import Renderer
from bot.transport.offline import OfflineBotAPI, OfflineRequest

log = logging.getLogger(__name__)

# The offline transport never checks the token; this one only has to look like a token.
OFFLINE_TOKEN = "7000000001:offline-token-for-kawan-chat-and-tests-000"


def build_services(settings: Settings) -> Services:
    """Load content and catalogs once; everything read-only the handlers share."""
    content = load_content(settings.content_dir or default_content_dir())
    catalogs = Catalogs.load(default_locales_dir(), settings.default_locale)
    renderer = Renderer(content.root / "templates", catalogs)
    return Services(
        settings=settings,
        content=content,
        catalogs=catalogs,
        renderer=renderer,
        commands=CommandRegistry(),
    )


def build_application(settings: Settings, *, api: OfflineBotAPI | None = None) -> KawanApplication:
    """The one Application: online (settings' token and API URL) or on an offline Bot API."""
    services = build_services(settings)
    defaults = Defaults(
        parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
    )
    builder: Any = (
        ApplicationBuilder()
        .application_class(KawanApplication)
        .context_types(ContextTypes(context=KawanContext))
        .defaults(defaults)
        .base_url(settings.base_url)
        .post_init(start_services)
        .post_shutdown(stop_services)
        .concurrent_updates(False)
    )
    if api is not None:
        builder = builder.token(OFFLINE_TOKEN).request(OfflineRequest(api))
        builder = builder.get_updates_request(OfflineRequest(api))
    else:
        builder = builder.token(settings.bot_token).rate_limiter(AIORateLimiter(max_retries=2))
    app: KawanApplication = builder.build()
    app.services = services
    _register_features(app, services.commands)
    return app


def _register_features(app: KawanApplication, registry: CommandRegistry) -> None:
    # Order matters: the pre-processing group runs first, feature handlers claim what they
    # understand in group 0, and the fallbacks, registered last in group 0, answer whatever is left.
    middleware.register(app, registry)
    menu.register(app, registry)
    guides.register(app, registry)
    emergency.register(app, registry)
    fallback.register(app, registry)


async def start_services(app: Any) -> None:
    """post_init: publish the command menus (storage and the dispatcher start here too)."""
    services: Services = app.services
    await publish_commands(
        app.bot, services.commands, services.catalogs, services.settings.officers_chat_id
    )


async def stop_services(app: Any) -> None:
    """post_shutdown: stop background work and close storage."""
    services: Services = app.services
    if services.db is not None:
        await services.db.close()
        services.db = None


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

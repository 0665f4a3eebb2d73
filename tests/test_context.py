"""bot/context.py: the typed context every handler gets, and the services it opens onto."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.app import build_application, running
from bot.config import Settings
from bot.context import KawanApplication, KawanContext, OutboxWorker, StorageClosed
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT, make_settings
from tests.scenes import person, words

PROBE_GROUP = 50  # after every feature: sees the context the features saw


def probe(app: KawanApplication) -> list[dict[str, Any]]:
    """Record, for every private "probe" message, what the handler's context offered."""
    seen: list[dict[str, Any]] = []

    async def look(update: Update, context: KawanContext) -> None:
        record = context.user_record
        seen.append({
            "type": type(context), "services": context.services, "locale": context.locale,
            "t": context.t.locale, "user": record.user_id if record is not None else None,
        })  # fmt: skip

    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.Regex("^probe$"), look),
        group=PROBE_GROUP,
    )
    return seen


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_each_update_gets_the_readers_translator_and_the_apps_services(
    app: KawanApplication, api: OfflineBotAPI, locale: str
) -> None:
    seen = probe(app)
    reader = ChatDriver(app, api, person(100_700, locale))
    await reader.send("probe")
    (context,) = seen
    assert context["type"] is KawanContext and context["services"] is app.services
    assert context["locale"] == context["t"] == locale
    assert context["user"] == reader.person.id  # the middleware loaded the person's record
    await reader.send("/status")  # and what a handler says comes from that translator
    assert words(app, locale, "You have not sent any request yet.") in reader.text


async def test_the_translator_follows_the_persons_own_choice_over_telegrams(
    app: KawanApplication, api: OfflineBotAPI
) -> None:
    seen = probe(app)
    reader = ChatDriver(app, api, person(100_701, "en"))
    await reader.send("probe")
    assert seen[-1]["locale"] == "en"  # Telegram's language, until the person chooses
    await app.services.repos.users.set_locale(reader.person.id, "id")
    await reader.send("probe")
    assert seen[-1]["locale"] == "id"


async def test_storage_is_open_exactly_while_the_application_runs(
    settings: Settings, api: OfflineBotAPI
) -> None:
    app = build_application(settings, api=api)
    with pytest.raises(StorageClosed):
        _ = app.services.repos
    async with running(app):
        assert app.services.db is app.services.repos.db
        assert await app.services.repos.cases.list_for_user(1) == []
    with pytest.raises(StorageClosed):
        _ = app.services.db


async def test_officers_read_the_deployments_default_locale(
    settings: Settings, api: OfflineBotAPI
) -> None:
    indonesian = build_application(settings, api=api)
    english = build_application(make_settings(settings, default_locale="en"), api=api)
    assert indonesian.services.officers_t.locale == "id"
    assert english.services.officers_t.locale == "en"
    msgid = "This case is closed."
    assert indonesian.services.officers_t(msgid) == words(indonesian, "id", msgid) != msgid
    assert english.services.officers_t(msgid) == words(english, "en", msgid)


async def test_the_dispatcher_runs_only_with_an_officers_group_and_only_while_running(
    settings: Settings, api: OfflineBotAPI
) -> None:
    with_group = build_application(settings, api=api)
    assert with_group.services.dispatcher is None
    async with running(with_group):
        worker: OutboxWorker | None = with_group.services.dispatcher
        assert worker is not None
        assert isinstance(worker.round_lock, asyncio.Lock)
        await worker.settle()  # nothing queued: returns at once
        assert worker.holds_for(OFFICERS_CHAT) is False
    assert with_group.services.dispatcher is None  # stopped; queued rows wait in the outbox

    without = build_application(make_settings(settings, officers_chat_id=None), api=api)
    async with running(without):
        assert without.services.dispatcher is None
        assert without.services.settings.officers_chat_id is None


def test_services_keep_bounded_memory_of_errors_and_a_cache_per_run(
    settings: Settings, api: OfflineBotAPI
) -> None:
    first = build_application(settings, api=api).services
    second = build_application(settings, api=api).services
    for number in range(150):
        first.errors.append(f"error {number}")
    assert len(first.errors) == 100 and first.errors[0] == "error 50"  # the newest 100
    first.screens[("menu", "id")] = "built"
    assert second.screens == {} and second.errors.maxlen == 100  # nothing shared between runs
    assert first.flood is not second.flood

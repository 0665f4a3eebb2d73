"""Unexpected errors reach a person: once per kind an hour, without personal data."""

from __future__ import annotations

from pathlib import Path

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.app import build_application, running
from bot.config import Settings, load_settings
from bot.context import KawanContext
from bot.queue.alerts import ALERT_EVERY_SECONDS, ErrorAlerts
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import CITIZEN, OFFICERS_CHAT

ALERTS_CHAT = -100_777


async def _explode(update: Update, context: KawanContext) -> None:
    raise RuntimeError("boom with Siti's secret")


def test_one_alert_per_kind_of_error_per_hour() -> None:
    clock = [0.0]
    alerts = ErrorAlerts(clock=lambda: clock[0])
    assert alerts.due("RuntimeError (x.py:1)")
    assert not alerts.due("RuntimeError (x.py:1)")
    assert alerts.due("KeyError (x.py:2)")  # another kind is told at once
    clock[0] += ALERT_EVERY_SECONDS
    assert alerts.due("RuntimeError (x.py:1)")


def test_alerts_chat_id_is_optional_and_defaults_to_the_officers_group() -> None:
    plain = load_settings({"OFFICERS_CHAT_ID": "-1001"}, dotenv=None)
    assert plain.alerts_chat_id is None and plain.alerts_chat == -1001
    both = load_settings({"OFFICERS_CHAT_ID": "-1001", "ALERTS_CHAT_ID": "-1002"}, dotenv=None)
    assert both.alerts_chat == -1002


async def test_an_unexpected_error_is_posted_once_without_personal_data(tmp_path: Path) -> None:
    api = OfflineBotAPI()
    api.chat(OFFICERS_CHAT, type="supergroup", title="piket", is_forum=True)
    api.chat(ALERTS_CHAT, type="supergroup", title="alerts")
    settings = Settings(
        database_path=tmp_path / "a.sqlite3",
        officers_chat_id=OFFICERS_CHAT,
        alerts_chat_id=ALERTS_CHAT,
    )
    app = build_application(settings, api=api)
    app.add_handler(MessageHandler(filters.Regex("^meledak"), _explode), group=-1000)
    async with running(app):
        citizen = ChatDriver(app, api, CITIZEN)
        await citizen.send("meledak sekarang")
        assert "Maaf" in citizen.text  # the person is still told something went wrong
        await citizen.send("meledak lagi")
        assert app.services.dispatcher is not None
        await app.services.dispatcher.settle()
    alerts = api.visible_texts(ALERTS_CHAT)
    assert len(alerts) == 1, alerts  # the second one, within the hour, is only logged
    assert "RuntimeError" in alerts[0]  # the kind; a place is named only in Kawan's own code
    assert "Siti" not in alerts[0] and "meledak" not in alerts[0]
    assert len(app.services.errors) == 2
    assert not api.visible_texts(OFFICERS_CHAT)  # a separate alerts chat keeps the group quiet

"""Discreet mode and data rights: /hapus both sides, auto-delete, /datasaya, /hapusdata, purge."""

from __future__ import annotations

import datetime as dt
import sqlite3

from bot.context import KawanApplication
from bot.queue.jobs import delete_due
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import OFFICERS_CHAT, finish_request

PERSONAL = ("Budi Santoso", "Gedung Merah Poipet", "A1234567", "disekap di lantai tiga")


async def _relative_report(citizen: ChatDriver) -> None:
    await citizen.send("/keluarga")
    await citizen.send(PERSONAL[0])
    await citizen.press("i:rel_relationship:sibling")
    await citizen.send("kemarin malam")
    await citizen.send(PERSONAL[1])
    await citizen.send(PERSONAL[2])
    await citizen.press("i:category:held")
    await citizen.press("i:contact:any")
    await citizen.send(f"Adik saya {PERSONAL[3]}")
    await citizen.send(kind="photo", caption=None)
    await finish_request(citizen)


async def test_hapus_deletes_both_sides_of_the_last_48_hours(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("/start")
    await citizen.send("brp denda overstay")
    await citizen.press("m:emergency")
    await citizen.press("e:venue")
    assert len(api.visible_texts(citizen.chat_id)) >= 5
    await citizen.send("/hapus")
    await citizen.press("p:wipe:yes")
    assert api.chat(citizen.chat_id).messages == {}, "nothing of the conversation is left"


async def test_auto_delete_removes_messages_after_the_chosen_minutes(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver
) -> None:
    await citizen.send("/hapus")
    await citizen.press("p:auto:5")
    await citizen.send("/darurat")
    assert api.chat(citizen.chat_id).messages
    now = dt.datetime.now(dt.UTC)
    assert await delete_due(app.services, app.bot, now + dt.timedelta(minutes=1)) == 0
    deleted = await delete_due(app.services, app.bot, now + dt.timedelta(minutes=6))
    assert deleted >= 4
    assert api.chat(citizen.chat_id).messages == {}


async def test_hapusdata_leaves_no_personal_string_in_the_database(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, settings
) -> None:  # type: ignore[no-untyped-def]
    await _relative_report(citizen)
    assert app.services.dispatcher is not None
    await app.services.dispatcher.settle()
    await citizen.send("/datasaya")
    assert PERSONAL[0] in citizen.text
    await citizen.send("/hapusdata")
    assert citizen.buttons[0][1] == "p:wipe"  # an open request: "this chat only" comes first
    assert "tidak bisa lagi membantu" in citizen.text
    await citizen.press("p:erase:sure")
    await citizen.press("p:erase:yes")
    await app.services.dispatcher.settle()
    # In the officers' language (Indonesian): an English fallback would mean a missing entry.
    notice = api.sent("sendMessage", chat_id=OFFICERS_CHAT)[-1]["text"]
    assert "WNI sudah menghapus datanya" in notice
    await app.services.db.checkpoint()  # type: ignore[union-attr]
    with sqlite3.connect(settings.database_path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                blob = " ".join(str(v) for v in row)
                for secret in PERSONAL:
                    assert secret not in blob, (table, secret)
    raw = settings.database_path.read_bytes()
    for secret in PERSONAL:
        assert secret.encode() not in raw
        shells = db.execute(
            "SELECT ref, category, user_id FROM cases WHERE erased_at IS NOT NULL"
        ).fetchall()
    assert len(shells) == 1 and shells[0][1] == "held" and shells[0][2] is None  # stats survive
    await citizen.send("/status")
    assert "KWN-" not in citizen.text  # nothing ties the citizen to it any more


async def test_retention_purge_erases_only_cases_closed_long_ago(
    app: KawanApplication, api: OfflineBotAPI, citizen: ChatDriver, officer: ChatDriver
) -> None:
    await _relative_report(citizen)
    assert app.services.dispatcher is not None and app.services.repos is not None
    await app.services.dispatcher.settle()
    await officer.press("c:close:")
    await officer.press("c:closeok:")
    repos = app.services.repos
    now = dt.datetime.now(dt.UTC)
    assert await repos.privacy.purge_closed_before(now - dt.timedelta(days=180)) == 0
    assert await repos.privacy.purge_closed_before(now + dt.timedelta(seconds=1)) == 1
    case = (await repos.cases.open_queue()) or []
    assert case == []
    data = await repos.privacy.personal_data(citizen.person.id)
    assert all(c["description"] is None for c in data["cases"])


def test_purge_cli_reports_json(settings, tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from bot.__main__ import main

    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.sqlite3"))
    monkeypatch.setenv("RETENTION_DAYS", "30")
    assert main(["purge", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"purged": 0, "retention_days": 30}


async def test_database_file_is_owner_only(app: KawanApplication, settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.database_path.stat().st_mode & 0o777 == 0o600


async def test_readers_without_a_case_are_forgotten_after_the_retention_period(
    app: KawanApplication, citizen: ChatDriver
) -> None:
    await citizen.send("/start")
    repos = app.services.repos
    assert repos is not None and await repos.users.get(citizen.person.id) is not None
    now = dt.datetime.now(dt.UTC)
    assert await repos.users.forget_inactive(now - dt.timedelta(days=180)) == 0
    assert await repos.users.forget_inactive(now + dt.timedelta(seconds=1)) == 1
    assert await repos.users.get(citizen.person.id) is None
    assert await repos.messages.recent(citizen.chat_id, now - dt.timedelta(days=1)) == []

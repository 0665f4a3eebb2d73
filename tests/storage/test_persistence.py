"""PTB persistence in SQLite: user_data and conversation states written, read back, restarted."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application, running
from bot.config import Settings
from bot.storage.db import Database
from bot.storage.persistence import SqlitePersistence
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from conftest import CITIZEN

GROUP = -1001234567890
LONG = ("Paspor <b>ditahan</b> & gaji 💸 tidak dibayar; " * 250)[:10_000]
DRAFT: dict[str, Any] = {
    "intake": {"step": 3, "city": "Phnom Penh", "text": LONG, "media": [["photo", "AgAC"]]},
    "flags": [True, None, 1.5],
}


def rows_on_disk(path: Path) -> list[tuple[str, str]]:
    """What another connection (a restart, the CLI) sees: committed rows only."""
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT kind, key FROM ptb_state ORDER BY kind, key").fetchall()


@pytest.fixture
def persistence(db: Database) -> SqlitePersistence:
    return SqlitePersistence(lambda: db)


def test_only_user_data_is_persisted() -> None:
    store = SqlitePersistence(lambda: None).store_data
    assert (store.user_data, store.chat_data, store.bot_data, store.callback_data) == (
        True, False, False, False,
    )  # fmt: skip


async def test_storage_not_yet_open_is_a_clear_error() -> None:
    persistence = SqlitePersistence(lambda: None)
    with pytest.raises(RuntimeError, match="not open"):
        await persistence.get_user_data()


async def test_user_data_round_trips_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "kawan.sqlite3"
    db = await Database.open(path)
    persistence = SqlitePersistence(lambda: db)
    assert await persistence.get_user_data() == {}
    await persistence.update_user_data(100_001, DRAFT)
    await persistence.update_user_data(100_002, {"locale": "en"})
    await persistence.flush()
    assert rows_on_disk(path) == [("user_data", "100001"), ("user_data", "100002")]
    await db.close()

    reopened = await Database.open(path)
    try:
        restored = await SqlitePersistence(lambda: reopened).get_user_data()
    finally:
        await reopened.close()
    assert restored == {100_001: DRAFT, 100_002: {"locale": "en"}}
    assert all(type(key) is int for key in restored)  # PTB looks users up by int id


async def test_a_dict_changed_in_place_and_handed_over_again_is_stored(
    db: Database, persistence: SqlitePersistence
) -> None:
    data: dict[str, Any] = {"intake": {"step": 1}}
    await persistence.update_user_data(7, data)
    data["intake"]["step"] = 2  # PTB keeps mutating its own copy
    assert await SqlitePersistence(lambda: db).get_user_data() == {7: {"intake": {"step": 1}}}
    await persistence.update_user_data(7, data)  # handed over again: now stored
    assert await SqlitePersistence(lambda: db).get_user_data() == {7: {"intake": {"step": 2}}}


async def test_an_emptied_or_dropped_user_leaves_no_row(
    db: Database, persistence: SqlitePersistence
) -> None:
    await persistence.get_user_data()
    await persistence.update_user_data(1, {"draft": "a"})
    await persistence.update_user_data(2, {"draft": "b"})
    await persistence.update_user_data(1, {})
    await persistence.drop_user_data(2)
    await persistence.drop_user_data(3)  # never stored: harmless
    assert rows_on_disk(db.path) == []
    assert await SqlitePersistence(lambda: db).get_user_data() == {}


async def test_a_value_stored_before_loading_is_still_replaced_and_dropped(
    db: Database,
) -> None:
    # Without get_user_data first, nothing is known to be stored: every call must write.
    first = SqlitePersistence(lambda: db)
    await first.update_user_data(1, {"draft": "a"})
    second = SqlitePersistence(lambda: db)
    await second.update_user_data(1, {"draft": "b"})
    assert await SqlitePersistence(lambda: db).get_user_data() == {1: {"draft": "b"}}
    await second.drop_user_data(1)
    assert rows_on_disk(db.path) == []


async def test_conversation_states_are_kept_per_conversation_and_key(
    db: Database, persistence: SqlitePersistence
) -> None:
    assert await persistence.get_conversations("intake") == {}
    await persistence.update_conversation("intake", (100_001, 100_001), 3)
    await persistence.update_conversation("intake", (GROUP, 100_002), "ask_city")
    await persistence.update_conversation("offer", (100_001, 100_001), 1)
    restarted = SqlitePersistence(lambda: db)
    assert await restarted.get_conversations("intake") == {
        (100_001, 100_001): 3,
        (GROUP, 100_002): "ask_city",
    }
    assert await restarted.get_conversations("offer") == {(100_001, 100_001): 1}
    assert await restarted.get_conversations("nothing") == {}

    await restarted.update_conversation("intake", (100_001, 100_001), None)  # ended
    assert await SqlitePersistence(lambda: db).get_conversations("intake") == {
        (GROUP, 100_002): "ask_city"
    }


async def test_what_is_not_persisted_reads_empty_and_writes_nothing(
    db: Database, persistence: SqlitePersistence
) -> None:
    await persistence.update_chat_data(1, {"x": 1})
    await persistence.update_bot_data({"x": 1})
    await persistence.update_callback_data({"x": 1})
    await persistence.drop_chat_data(1)
    await persistence.refresh_user_data(1, {"x": 1})
    await persistence.refresh_chat_data(1, {"x": 1})
    await persistence.refresh_bot_data({"x": 1})
    assert await persistence.get_chat_data() == {}
    assert await persistence.get_bot_data() == {}
    await persistence.get_callback_data()  # typed to return None: no callback data kept
    assert rows_on_disk(db.path) == []


async def test_the_application_restores_user_data_and_the_intake_step_after_a_restart(
    settings: Settings, api: OfflineBotAPI
) -> None:
    first = build_application(settings, api=api)
    async with running(first):
        citizen = ChatDriver(first, api, CITIZEN)
        await citizen.send("/bantuan")
        await citizen.press("i:category:passport")
        first.user_data[CITIZEN.id]["note"] = LONG
        await first.update_persistence()
    kinds = {kind for kind, _ in rows_on_disk(settings.database_path)}
    assert {"user_data", "conversation:intake"} <= kinds

    second = build_application(settings, api=api)
    async with running(second):
        assert second.user_data[CITIZEN.id]["note"] == LONG
        assert second.persistence is not None
        states = await second.persistence.get_conversations("intake")
        assert (CITIZEN.id, CITIZEN.id) in states

"""Deferred bookkeeping rows (chat message ids) and PTB persistence writes: fewer round trips,
nothing lost for any reader."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.storage.db import DEFER_SECONDS, Database
from bot.storage.messages import MessageRepository
from bot.storage.persistence import SqlitePersistence

COLUMNS = ("chat_id", "message_id", "direction", "sent_at")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "kawan.sqlite3")
    yield database
    await database.close()


def rows_on_disk(path: Path) -> list[tuple[int, int]]:
    """What another connection (the CLI, a restart) sees: committed rows only."""
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT chat_id, message_id FROM chat_messages ORDER BY 2").fetchall()


async def test_any_statement_naming_the_table_sees_deferred_rows_first(db: Database) -> None:
    messages = MessageRepository(db)
    for message_id in (1, 2, 3):
        await messages.record(42, message_id, "out")
    await messages.record(42, 2, "out")  # noted twice (a retry): kept once
    assert rows_on_disk(db.path) == []  # not written yet: one round trip saved per id
    assert await db.scalar("SELECT COUNT(*) FROM users") == 0
    assert rows_on_disk(db.path) == []  # a statement on another table does not flush them
    assert await messages.recent(42, datetime(2000, 1, 1, tzinfo=UTC)) == [1, 2, 3]
    assert rows_on_disk(db.path) == [(42, 1), (42, 2), (42, 3)]


async def test_deferred_rows_land_on_their_own_within_the_deadline(db: Database) -> None:
    for message_id in range(450):  # more than one multi-row INSERT holds
        db.defer_insert("chat_messages", COLUMNS, (7, message_id, "in", "2026-01-05T08:00:00Z"))
    # A fake clock instead of a sleep: the flush is due within the deadline; fire it now.
    timer = db._flush_timer
    assert timer is not None
    assert timer.when() - asyncio.get_running_loop().time() <= DEFER_SECONDS
    timer._run()  # what the loop does when the deadline comes …
    timer.cancel()  # … and only once
    await asyncio.gather(*db._flushing)
    assert len(rows_on_disk(db.path)) == 450


async def test_closing_writes_what_is_still_deferred(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "kawan.sqlite3")
    await MessageRepository(db).record(9, 77, "in")
    await db.close()
    assert rows_on_disk(db.path) == [(9, 77)]


async def test_a_failing_deferred_write_is_logged_not_raised(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    db.defer_insert("chat_messages", ("chat_id", "no_such_column"), (1, 2))
    await db.flush_deferred()  # the caller (a sent message) must never fail on bookkeeping
    assert "deferred chat_messages rows not written" in caplog.text
    assert await db.scalar("SELECT COUNT(*) FROM chat_messages") == 0


async def test_persistence_writes_only_what_changed(db: Database) -> None:
    persistence = SqlitePersistence(lambda: db)
    assert await persistence.get_user_data() == {}
    statements: list[str] = []
    await db._conn.set_trace_callback(statements.append)  # test only: count what reaches SQLite

    await persistence.update_user_data(1, {})  # nothing stored, nothing to store
    assert statements == []
    await persistence.update_user_data(1, {"intake": {"step": 2}})
    await persistence.update_user_data(1, {"intake": {"step": 2}})  # unchanged
    assert len(statements) == 1
    await persistence.update_user_data(1, {"intake": {"step": 3}})
    await persistence.update_user_data(1, {})
    await persistence.update_user_data(1, {})
    assert len(statements) == 3 and statements[-1].startswith("DELETE")
    await persistence.update_conversation("intake", (1, 1), "ask_city")
    await db._conn.set_trace_callback(None)

    again = SqlitePersistence(lambda: db)  # a restart reads what was written
    assert await again.get_user_data() == {}
    assert await again.get_conversations("intake") == {(1, 1): "ask_city"}


async def test_rows_deferred_during_a_flush_wait_for_the_next_one(db: Database) -> None:
    statements: list[str] = []
    await db._conn.set_trace_callback(statements.append)  # test only: what reaches SQLite
    db.defer_insert("chat_messages", COLUMNS, (5, 0, "in", "2026-01-05T08:00:00Z"))
    flushing = asyncio.create_task(db.flush_deferred())
    for message_id in range(1, 200):  # handlers keep noting ids while the flush is in flight
        db.defer_insert("chat_messages", COLUMNS, (5, message_id, "in", "2026-01-05T08:00:00Z"))
        await asyncio.sleep(0)
    await flushing  # it wrote what was queued when it began, and did not chase the rest
    await db.flush_deferred()
    await db._conn.set_trace_callback(None)
    assert len(rows_on_disk(db.path)) == 200
    inserts = {s for s in statements if s.startswith("INSERT OR IGNORE INTO chat_messages")}
    assert len(inserts) <= 3, f"{len(inserts)} INSERT statements for 200 ids"

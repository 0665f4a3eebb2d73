"""The database: owner-only file, WAL, migrations, transactions that serialise and roll back."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.db import Database
from bot.storage.schema import MigrationError, load_migrations, schema_version

TABLES = {
    "users", "cases", "case_events", "case_media", "outbox", "chat_messages", "relay_links",
    "ptb_state", "schema_version", "inbox",
    # 006_continuity
    "checkins", "checkin_log", "case_recovery", "recovery_requests", "recovery_attempts",
    "subscribers", "advisories",
    # 007_officer_names
    "officer_names",
    # 008_workbench
    "reply_templates",
}  # fmt: skip


async def tables(db: Database) -> set[str]:
    rows = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {row["name"] for row in rows}


async def add_user(db: Database, user_id: int) -> None:
    await db.execute(
        "INSERT INTO users (user_id, created_at, last_seen_at) VALUES (?, 'x', 'x')", (user_id,)
    )


async def test_open_creates_the_schema_and_reopening_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "kawan.sqlite3"
    db = await Database.open(path)
    try:
        assert await tables(db) == TABLES
        assert await schema_version(db) == load_migrations()[-1].version >= 2
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
        assert (await db.fetchone("PRAGMA secure_delete"))[0] == 1  # type: ignore[index]
        await add_user(db, 1)
    finally:
        await db.close()
    await db.close()  # closing twice is harmless

    again = await Database.open(path)
    try:
        assert await schema_version(again) == load_migrations()[-1].version
        assert await again.scalar("SELECT COUNT(*) FROM schema_version") == len(load_migrations())
        assert await again.scalar("SELECT COUNT(*) FROM users") == 1
    finally:
        await again.close()


async def test_the_file_and_its_wal_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "kawan.sqlite3"
    old_umask = os.umask(0)  # even with a permissive umask
    try:
        db = await Database.open(path)
    finally:
        os.umask(old_umask)
    try:
        await db.execute(
            "INSERT INTO users (user_id, created_at, last_seen_at) VALUES (1, 'x', 'x')"
        )
        for name in ("kawan.sqlite3", "kawan.sqlite3-wal", "kawan.sqlite3-shm"):
            assert (tmp_path / name).stat().st_mode & 0o777 == 0o600, name
    finally:
        await db.close()


async def test_an_existing_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "kawan.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)
    db = await Database.open(path)
    await db.close()
    assert path.stat().st_mode & 0o777 == 0o600


def write_migrations(folder: Path, *files: tuple[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, sql in files:
        (folder / name).write_text(sql, encoding="utf-8")
    return folder


async def test_a_failing_migration_leaves_nothing_half_applied(tmp_path: Path) -> None:
    good = ("001_first.sql", "CREATE TABLE a (x INTEGER);\n")
    bad = ("002_second.sql", "CREATE TABLE b (x INTEGER);\nINSERT INTO nowhere VALUES (1);\n")
    folder = write_migrations(tmp_path / "m", good, bad)
    path = tmp_path / "k.sqlite3"
    with pytest.raises(sqlite3.OperationalError):
        await Database.open(path, migrations=folder)

    write_migrations(folder, ("002_second.sql", "CREATE TABLE b (x INTEGER);\n"))
    db = await Database.open(path, migrations=folder)
    try:
        assert await schema_version(db) == 2
        assert {"a", "b"} <= await tables(db)
    finally:
        await db.close()


async def test_migrations_refuse_edits_gaps_and_newer_databases(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    folder = write_migrations(
        tmp_path / "m",
        ("001_first.sql", "CREATE TABLE a (x INTEGER);\n"),
        ("002_second.sql", "-- a trigger, to show statements split correctly\n"
         "CREATE TABLE b (x INTEGER);\n"
         "CREATE TRIGGER b_no_delete BEFORE DELETE ON b\n"
         "BEGIN SELECT RAISE(ABORT, 'no; never'); END;\n"),
    )  # fmt: skip
    await (await Database.open(path, migrations=folder)).close()

    (folder / "002_second.sql").unlink()
    with pytest.raises(MigrationError, match="newer than this code"):
        await Database.open(path, migrations=folder)

    write_migrations(folder, ("002_second.sql", "CREATE TABLE b (y INTEGER);\n"))
    with pytest.raises(MigrationError, match="changed after it was applied"):
        await Database.open(path, migrations=folder)


async def test_migrations_tolerate_a_gap_and_apply_the_lower_number_when_it_lands(
    tmp_path: Path,
) -> None:
    # Two branches take 005 and 006; the one with 006 may be deployed first.
    path = tmp_path / "k.sqlite3"
    folder = write_migrations(
        tmp_path / "m",
        ("001_first.sql", "CREATE TABLE a (x INTEGER);\n"),
        ("003_third.sql", "CREATE TABLE c (x INTEGER);\n"),
    )
    db = await Database.open(path, migrations=folder)
    await db.close()
    write_migrations(folder, ("002_second.sql", "CREATE TABLE b (x INTEGER);\n"))
    db = await Database.open(path, migrations=folder)
    try:
        assert {"a", "b", "c"} <= await tables(db)
        assert await schema_version(db) == 3
    finally:
        await db.close()
    (folder / "002_second.sql").unlink()  # code that lacks a migration the file has
    with pytest.raises(MigrationError, match="newer than this code"):
        await Database.open(path, migrations=folder)


async def test_the_packaged_migrations_are_found_as_package_data() -> None:
    names = [m.name for m in load_migrations()]
    assert names[0] == "001_initial"
    assert all(re.fullmatch(r"\d{3}_[a-z0-9_]+", name) for name in names)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "kawan.sqlite3")
    yield database
    await database.close()


async def test_a_transaction_rolls_back_everything_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await add_user(db, 1)
            raise RuntimeError("boom")
    assert await db.scalar("SELECT COUNT(*) FROM users") == 0


async def test_nested_transactions_are_savepoints(db: Database) -> None:
    async with db.transaction():
        await add_user(db, 1)
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction():
                await add_user(db, 2)
                await add_user(db, 1)  # duplicate: only the inner block is undone
        await add_user(db, 3)
    rows = await db.fetchall("SELECT user_id FROM users ORDER BY user_id")
    assert [row[0] for row in rows] == [1, 3]


async def test_other_tasks_wait_for_an_open_transaction_and_are_not_rolled_back_with_it(
    db: Database,
) -> None:
    inside, go, probed, release = (asyncio.Event() for _ in range(4))

    async def failing_transaction() -> None:
        async with db.transaction():
            await add_user(db, 1)
            inside.set()
            await go.wait()
            # aiosqlite runs statements in order on one thread: had the others not waited for
            # this transaction, their statements would have finished before this one.
            await db.scalar("SELECT 1")
            probed.set()
            await release.wait()
            raise RuntimeError("rolled back")

    first = asyncio.create_task(failing_transaction())
    await inside.wait()
    # Must not join the other task's open transaction, nor see its uncommitted row.
    second = asyncio.create_task(add_user(db, 2))
    reader = asyncio.create_task(db.scalar("SELECT COUNT(*) FROM users WHERE user_id = 1"))
    try:
        await asyncio.sleep(0)  # a yield, not a wait: both tasks take their first step
        go.set()
        await probed.wait()
        assert not second.done() and not reader.done()
    finally:
        release.set()  # a failed assertion must not leave the transaction open
    with pytest.raises(RuntimeError):
        await first
    await second
    assert await reader == 0
    rows = await db.fetchall("SELECT user_id FROM users")
    assert [row[0] for row in rows] == [2]


async def test_a_cancelled_transaction_rolls_back(db: Database) -> None:
    inside = asyncio.Event()

    async def slow() -> None:
        async with db.transaction():
            await add_user(db, 1)
            inside.set()
            await asyncio.Event().wait()  # until cancelled

    task = asyncio.create_task(slow())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await db.scalar("SELECT COUNT(*) FROM users") == 0
    await add_user(db, 2)  # the connection is usable again
    assert await db.scalar("SELECT COUNT(*) FROM users") == 1


async def test_cancelled_while_beginning_leaves_no_transaction_open(db: Database) -> None:
    async def body() -> None:
        async with db.transaction():
            await add_user(db, 1)

    task = asyncio.create_task(body())
    await asyncio.sleep(0)  # the task now waits for its BEGIN on aiosqlite's thread
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with db.transaction():
        await add_user(db, 2)
    assert not db._conn.in_transaction
    rows = await db.fetchall("SELECT user_id FROM users")
    assert [row[0] for row in rows] == [2]

"""Migrations: files found and ordered, split into statements, applied once each, in order."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.db import Database
from bot.storage.schema import (
    Migration,
    MigrationError,
    load_migrations,
    migrate,
    schema_version,
)

# Each migration notes its own number, so the order they ran in can be read back.
LOG = "CREATE TABLE log (n INTEGER PRIMARY KEY AUTOINCREMENT, version INTEGER NOT NULL);\n"


def noting(version: int, extra: str = "") -> str:
    return f"{extra}INSERT INTO log (version) VALUES ({version});\n"


def write(folder: Path, *files: tuple[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, sql in files:
        (folder / name).write_text(sql, encoding="utf-8")
    return folder


@pytest.fixture
async def bare(tmp_path: Path) -> AsyncIterator[Database]:
    """A database with no migrations applied: only the schema_version table."""
    database = await Database.open(tmp_path / "bare.sqlite3", migrations=write(tmp_path / "none"))
    yield database
    await database.close()


async def log_order(db: Database) -> list[int]:
    return [int(row["version"]) for row in await db.fetchall("SELECT version FROM log ORDER BY n")]


# -- statements and checksums --------------------------------------------------------------


def test_statements_split_at_semicolons_but_keep_triggers_and_literals_whole() -> None:
    sql = (
        "-- a comment; with a semicolon\n"
        "CREATE TABLE t (x TEXT DEFAULT ';');\n"
        "CREATE TRIGGER t_guard BEFORE DELETE ON t\n"
        "BEGIN SELECT RAISE(ABORT, 'no; never'); END;\n"
        "\n"
        "INSERT INTO t VALUES ('a'); INSERT INTO t VALUES ('b');\n"
        "-- trailing comment\n"
    )
    statements = Migration(1, "001_x", sql).statements()
    assert len(statements) == 3
    assert statements[0].endswith("CREATE TABLE t (x TEXT DEFAULT ';');")
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
    # Two statements on one line stay together, and Python's sqlite3 will not run them as one:
    # migrate() refuses such a file (test_two_statements_on_one_line_are_refused_…).
    assert statements[2] == "INSERT INTO t VALUES ('a'); INSERT INTO t VALUES ('b');"


def test_a_statement_without_its_final_semicolon_is_refused() -> None:
    with pytest.raises(MigrationError, match="001_x: statement without a final ';'"):
        Migration(
            1, "001_x", "CREATE TABLE a (x INTEGER);\nCREATE TABLE b (y INTEGER)\n"
        ).statements()


def test_an_empty_or_comment_only_file_has_no_statements() -> None:
    assert Migration(1, "001_x", "").statements() == []
    assert Migration(1, "001_x", "-- nothing yet\n\n-- really\n").statements() == []


def test_the_checksum_is_the_files_sha256_and_notices_any_edit() -> None:
    sql = "CREATE TABLE a (x INTEGER);\n"
    migration = Migration(1, "001_a", sql)
    assert migration.checksum == hashlib.sha256(sql.encode("utf-8")).hexdigest()
    assert Migration(1, "001_a", sql + " ").checksum != migration.checksum
    assert Migration(1, "001_a", "-- é\n" + sql).checksum != migration.checksum


# -- finding the files ----------------------------------------------------------------------


def test_files_are_loaded_in_version_order_and_others_ignored(tmp_path: Path) -> None:
    folder = write(
        tmp_path,
        ("010_tenth.sql", "SELECT 10;\n"),
        ("002_second.sql", "SELECT 2;\n"),
        ("001_first.sql", "SELECT 1;\n"),
        ("README.md", "not a migration"),
        ("003_Capital.sql", "SELECT 3;\n"),  # names are lower case
        ("4_short.sql", "SELECT 4;\n"),  # three digits
        ("005_backup.sql.bak", "SELECT 5;\n"),
    )
    loaded = load_migrations(folder)
    assert [(m.version, m.name) for m in loaded] == [
        (1, "001_first"), (2, "002_second"), (10, "010_tenth"),
    ]  # fmt: skip
    assert loaded[2].sql == "SELECT 10;\n"


def test_an_empty_folder_has_no_migrations(tmp_path: Path) -> None:
    assert load_migrations(write(tmp_path)) == []


def test_two_files_with_one_number_are_refused(tmp_path: Path) -> None:
    folder = write(tmp_path, ("001_a.sql", "SELECT 1;\n"), ("001_b.sql", "SELECT 1;\n"))
    with pytest.raises(MigrationError, match="two migrations numbered 001"):
        load_migrations(folder)


def test_numbering_must_start_at_001(tmp_path: Path) -> None:
    with pytest.raises(MigrationError, match="start at 001"):
        load_migrations(write(tmp_path, ("002_a.sql", "SELECT 1;\n")))


def test_the_packaged_migrations_are_numbered_named_and_complete() -> None:
    loaded = load_migrations()
    versions = [m.version for m in loaded]
    assert versions[0] == 1 and versions == sorted(set(versions))
    assert all(m.name.startswith(f"{m.version:03d}_") for m in loaded)
    assert all(m.statements() for m in loaded)  # each file does something, each ends in ';'


# -- applying them --------------------------------------------------------------------------


async def test_migrations_run_in_version_order_each_once(tmp_path: Path, bare: Database) -> None:
    folder = write(
        tmp_path / "m",
        ("003_third.sql", noting(3, "ALTER TABLE log ADD COLUMN note TEXT;\n")),
        ("001_first.sql", LOG + noting(1)),
        ("002_second.sql", noting(2)),
    )
    assert await schema_version(bare) == 0
    await migrate(bare, load_migrations(folder))
    assert await log_order(bare) == [1, 2, 3]
    assert await schema_version(bare) == 3
    applied = await bare.fetchall("SELECT version, name, checksum, applied_at FROM schema_version")
    assert [(r["version"], r["name"]) for r in applied] == [
        (1, "001_first"), (2, "002_second"), (3, "003_third"),
    ]  # fmt: skip
    assert [r["checksum"] for r in applied] == [m.checksum for m in load_migrations(folder)]

    await migrate(bare, load_migrations(folder))  # again: nothing runs twice
    assert await log_order(bare) == [1, 2, 3]
    again = await bare.fetchall("SELECT version, name, checksum, applied_at FROM schema_version")
    assert [tuple(r) for r in again] == [tuple(r) for r in applied]


async def test_only_new_migrations_run_on_an_existing_database(
    tmp_path: Path, bare: Database
) -> None:
    folder = write(tmp_path / "m", ("001_first.sql", LOG + noting(1)))
    await migrate(bare, load_migrations(folder))
    write(folder, ("002_second.sql", noting(2)), ("003_third.sql", noting(3)))
    await migrate(bare, load_migrations(folder))
    assert await log_order(bare) == [1, 2, 3]


async def test_two_statements_on_one_line_are_refused_loudly_and_leave_nothing(
    tmp_path: Path, bare: Database
) -> None:
    # A known limit of the line-based split (see the first test): such a file fails at start-up,
    # inside its transaction, rather than running half of itself.
    first = write(tmp_path / "m", ("001_first.sql", LOG + noting(1)))
    await migrate(bare, load_migrations(first))
    write(first, ("002_pair.sql", "INSERT INTO log (version) VALUES (2); " + noting(2)))
    with pytest.raises(sqlite3.ProgrammingError, match="one statement at a time"):
        await migrate(bare, load_migrations(first))
    assert await log_order(bare) == [1]
    assert await schema_version(bare) == 1


async def test_a_failing_migration_keeps_the_earlier_ones_and_none_of_itself(
    tmp_path: Path, bare: Database
) -> None:
    folder = write(
        tmp_path / "m",
        ("001_first.sql", LOG + noting(1)),
        ("002_broken.sql", noting(2) + "INSERT INTO no_such_table VALUES (1);\n"),
        ("003_third.sql", noting(3)),
    )
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        await migrate(bare, load_migrations(folder))
    assert await log_order(bare) == [1]  # 002's first insert was rolled back, 003 never ran
    assert await schema_version(bare) == 1

    write(folder, ("002_broken.sql", noting(2)))  # fixed before it was ever applied
    await migrate(bare, load_migrations(folder))
    assert await log_order(bare) == [1, 2, 3]


async def test_an_applied_migration_edited_afterwards_is_refused(
    tmp_path: Path, bare: Database
) -> None:
    folder = write(tmp_path / "m", ("001_first.sql", LOG + noting(1)))
    await migrate(bare, load_migrations(folder))
    write(folder, ("001_first.sql", LOG + noting(1) + noting(9)))
    with pytest.raises(MigrationError, match="001_first was changed after it was applied"):
        await migrate(bare, load_migrations(folder))
    assert await log_order(bare) == [1]


async def test_a_database_newer_than_the_code_is_refused_before_any_change(
    tmp_path: Path, bare: Database
) -> None:
    folder = write(tmp_path / "m", ("001_first.sql", LOG + noting(1)), ("002_b.sql", noting(2)))
    await migrate(bare, load_migrations(folder))
    older_code = write(
        tmp_path / "old", ("001_first.sql", LOG + noting(1)), ("003_c.sql", noting(3))
    )
    with pytest.raises(MigrationError, match="schema version 2 is newer than this code"):
        await migrate(bare, load_migrations(older_code))
    assert await log_order(bare) == [1, 2]  # 003 was not applied on the way


async def test_the_packaged_migrations_apply_once_and_then_change_nothing(db: Database) -> None:
    packaged = load_migrations()
    assert await schema_version(db) == packaged[-1].version
    before = await db.fetchall("SELECT type, name, sql FROM sqlite_master ORDER BY name")
    stamps = await db.fetchall("SELECT version, applied_at FROM schema_version ORDER BY version")
    assert [row["version"] for row in stamps] == [m.version for m in packaged]
    await migrate(db, packaged)
    after = await db.fetchall("SELECT type, name, sql FROM sqlite_master ORDER BY name")
    assert [tuple(r) for r in after] == [tuple(r) for r in before]
    again = await db.fetchall("SELECT version, applied_at FROM schema_version ORDER BY version")
    assert [tuple(r) for r in again] == [tuple(r) for r in stamps]

"""Numbered migrations (bot/storage/migrations/NNN_name.sql), each applied in a transaction."""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Protocol

from bot.storage.timestamps import stamp

log = logging.getLogger(__name__)

_MIGRATION_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


class Database(Protocol):
    """What migrations need of bot.storage.db.Database (which imports this module)."""

    path: Path

    def transaction(self) -> AbstractAsyncContextManager[None]: ...
    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int: ...
    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None: ...
    async def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any: ...
    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]: ...


class MigrationError(RuntimeError):
    """The schema cannot be brought up to date safely; the message says why."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered .sql file."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        """sha256 of the file, so an edited, already-applied migration is noticed."""
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()

    def statements(self) -> list[str]:
        """The file split into single statements (sqlite3.complete_statement knows triggers)."""
        found: list[str] = []
        buffer = ""
        for line in self.sql.splitlines(keepends=True):
            buffer += line
            if sqlite3.complete_statement(buffer):
                found.append(buffer.strip())
                buffer = ""
        leftover = [
            ln for ln in buffer.splitlines() if ln.strip() and not ln.strip().startswith("--")
        ]
        if leftover:
            raise MigrationError(f"{self.name}: statement without a final ';'")
        return found


def load_migrations(folder: Traversable | None = None) -> list[Migration]:
    """The migrations in `folder` (default: the package's own), in version order."""
    source = folder if folder is not None else resources.files("bot.storage") / "migrations"
    found: dict[int, Migration] = {}
    for entry in source.iterdir():
        match = _MIGRATION_FILE.match(entry.name)
        if not match:
            continue
        version = int(match[1])
        if version in found:
            raise MigrationError(f"two migrations numbered {version:03d}")
        found[version] = Migration(version, entry.name[:-4], entry.read_text(encoding="utf-8"))
    if found and min(found) != 1:
        raise MigrationError(f"migrations must start at 001: {sorted(found)}")
    # Gaps are allowed: work on two branches takes two numbers, and either may land first.
    # migrate() applies every file not yet applied, so a late lower number still runs.
    return [found[v] for v in sorted(found)]


async def migrate(db: Database, migrations: list[Migration]) -> None:
    """Apply the migrations `db` has not seen yet; refuse a database newer than the code."""
    await db.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    known = {m.version for m in migrations}
    applied = await db.fetchall("SELECT version FROM schema_version ORDER BY version")
    unknown = [int(row["version"]) for row in applied if int(row["version"]) not in known]
    if unknown:
        raise MigrationError(
            f"{db.path}: schema version {unknown[-1]} is newer than this code "
            f"({max(known, default=0)}); refusing to run an older Kawan on it"
        )
    for migration in migrations:
        await _apply(db, migration)


async def schema_version(db: Database) -> int:
    """The highest migration applied (0 for a new file)."""
    return int(await db.scalar("SELECT COALESCE(MAX(version), 0) FROM schema_version"))


async def _apply(db: Database, migration: Migration) -> None:
    async with db.transaction():
        # Checked inside the write lock: another process may have just applied it.
        row = await db.fetchone(
            "SELECT checksum FROM schema_version WHERE version = ?", (migration.version,)
        )
        if row is not None:
            if row["checksum"] != migration.checksum:
                raise MigrationError(
                    f"{migration.name} was changed after it was applied; add a new migration"
                )
            return
        for statement in migration.statements():
            await db.execute(statement)
        await db.execute(
            "INSERT INTO schema_version (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
            (migration.version, migration.name, migration.checksum, stamp()),
        )
    log.info("applied migration %s", migration.name)

"""One aiosqlite connection: owner-only file, WAL, numbered migrations, serialised transactions."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.schema import MigrationError, load_migrations, migrate

log = logging.getLogger(__name__)

Params = Sequence[Any] | Mapping[str, Any]
OWNER_ONLY = 0o600
BUSY_TIMEOUT_MS = 5000
# Deferred rows wait at most this long, unless a statement naming their table comes first.
DEFER_SECONDS = 0.25
_ROWS_PER_INSERT = 200  # 4 columns x 200 rows stays far below SQLite's bound-variable limit


def _create_private_file(path: Path) -> None:
    """Create the database file owner-only before SQLite does (its default honours umask)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, OWNER_ONLY)
    try:
        # Also tightens a file that already existed: it holds people in danger.
        os.fchmod(fd, OWNER_ONLY)
    finally:
        os.close(fd)


def _restrict_sidecars(path: Path) -> None:
    """SQLite copies the main file's mode to -wal/-shm; this makes sure of it."""
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            os.chmod(sidecar, OWNER_ONLY)


class Database:
    """The single connection. Statements outside a transaction wait for any open one."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._savepoints = 0
        self._closed = False
        self._deferred: dict[tuple[str, tuple[str, ...]], list[tuple[Any, ...]]] = {}
        self._flush_timer: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Task[None]] = set()

    @classmethod
    async def open(cls, path: Path, *, migrations: Traversable | None = None) -> Database:
        """Open (creating if needed) the database at `path` and bring its schema up to date."""
        path = Path(path)
        _create_private_file(path)
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            row = await (await conn.execute("PRAGMA journal_mode=WAL")).fetchone()
            if row is None or str(row[0]).lower() != "wal":
                raise MigrationError(f"{path}: WAL journal mode is not available")
            for pragma in (
                "PRAGMA synchronous=NORMAL",
                "PRAGMA foreign_keys=ON",
                f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
                # Erased personal data must not linger in free pages of the file.
                "PRAGMA secure_delete=ON",
            ):
                await conn.execute(pragma)
            db = cls(conn, path)
            await migrate(db, load_migrations(migrations))
        except BaseException:
            await conn.close()
            raise
        _restrict_sidecars(path)
        return db

    async def close(self) -> None:
        """Wait for any open transaction, then close the connection."""
        if self._closed:
            return
        if self._flush_timer is not None:
            self._flush_timer.cancel()
        await self.flush_deferred()
        async with self._lock:
            self._closed = True
            try:
                await self._conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                log.warning("PRAGMA optimize failed on close", exc_info=True)
            await self._conn.close()

    def _owns_transaction(self) -> bool:
        return self._owner is not None and self._owner is asyncio.current_task()

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection, once no other task has a transaction open on it."""
        if self._owns_transaction():
            yield self._conn
        else:
            async with self._lock:
                yield self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error); nested use becomes a savepoint."""
        # The transaction belongs to the current task: awaiting another task's database
        # work inside it would deadlock, so don't.
        if self._owns_transaction():
            async with self._savepoint():
                yield
            return
        async with self._lock:
            self._owner = asyncio.current_task()
            try:
                # IMMEDIATE takes the write lock now, so a second process (the CLI) waits
                # on busy_timeout instead of failing mid-transaction on a lock upgrade.
                try:
                    await self._conn.execute("BEGIN IMMEDIATE")
                except asyncio.CancelledError:
                    # The BEGIN still runs on aiosqlite's thread: undo it before letting go.
                    await self._rollback("ROLLBACK")
                    raise
                try:
                    yield
                    await self._conn.execute("COMMIT")
                except BaseException:
                    await self._rollback("ROLLBACK")
                    raise
            finally:
                self._owner = None

    @asynccontextmanager
    async def _savepoint(self) -> AsyncIterator[None]:
        self._savepoints += 1
        name = f"kawan_sp{self._savepoints}"
        await self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await self._rollback(f"ROLLBACK TO {name}")
            await self._conn.execute(f"RELEASE {name}")
            raise
        else:
            await self._conn.execute(f"RELEASE {name}")
        finally:
            self._savepoints -= 1

    async def _rollback(self, statement: str) -> None:
        try:
            await self._conn.execute(statement)
        except sqlite3.Error as exc:
            # SQLite may already have rolled back (disk full, I/O error), or a cancelled
            # COMMIT went through; the original exception is the one worth raising.
            quiet = "no transaction is active" in str(exc)
            log.log(logging.DEBUG if quiet else logging.WARNING, "%s failed: %s", statement, exc)

    # -- deferred inserts --------------------------------------------------------------------
    # Bookkeeping rows that nobody reads at once (the ids of chat messages, noted for /hapus)
    # are not worth a round trip each: they are queued and written together, as one multi-row
    # INSERT OR IGNORE, within DEFER_SECONDS, before any statement that names their table (so
    # every reader sees them), and on close. A crash can lose the last fraction of a second.

    def defer_insert(self, table: str, columns: tuple[str, ...], row: tuple[Any, ...]) -> None:
        """Queue INSERT OR IGNORE INTO table (columns) VALUES row; it lands within DEFER_SECONDS."""
        self._deferred.setdefault((table, columns), []).append(row)
        if self._flush_timer is None and not self._closed:
            self._flush_timer = asyncio.get_running_loop().call_later(
                DEFER_SECONDS, self._flush_soon
            )

    def _flush_soon(self) -> None:
        self._flush_timer = None
        task = asyncio.get_running_loop().create_task(self.flush_deferred())
        self._flushing.add(task)
        task.add_done_callback(self._flushing.discard)

    async def flush_deferred(self) -> None:
        """Write every row queued so far (rows queued meanwhile wait for the next flush).

        One pass only: a loop "until empty" would chase the rows that handlers keep adding and
        turn into one round trip per row, holding the connection against everyone else.
        """
        if not self._deferred:
            return
        batches, self._deferred = self._deferred, {}
        # Taking the turn right away queues this flush before any later statement (the lock
        # is fair), so a reader that comes after still sees these rows.
        async with self._turn() as conn:
            for (table, columns), rows in batches.items():
                one = "(" + ", ".join("?" * len(columns)) + ")"
                for start in range(0, len(rows), _ROWS_PER_INSERT):
                    chunk = rows[start : start + _ROWS_PER_INSERT]
                    sql = (
                        f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) "
                        f"VALUES {', '.join([one] * len(chunk))}"
                    )
                    try:
                        await conn.execute(sql, [value for row in chunk for value in row])
                    except sqlite3.Error:  # ids only: log and go on, never fail a caller
                        log.warning("%d deferred %s rows not written", len(chunk), table)

    async def _before(self, sql: str) -> None:
        """Land deferred rows first if this statement names their table (readers see them)."""
        if self._deferred and any(table in sql for table, _ in self._deferred):
            await self.flush_deferred()

    # Each aiosqlite call is a round trip to its thread (~80 µs): one per statement, no more.
    # (An unclosed sqlite3 cursor is simply collected; closing it would cost another trip.)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; the number of rows it changed."""
        await self._before(sql)
        async with self._turn() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT; the new row's id."""
        await self._before(sql)
        async with self._turn() as conn:
            row = await conn.execute_insert(sql, params)
            if row is None or row[0] is None:
                raise sqlite3.OperationalError("INSERT did not produce a row id")
            return int(row[0])

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter row (wrap in transaction() for speed)."""
        await self._before(sql)
        async with self._turn() as conn:
            await conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a query, or None."""
        await self._before(sql)
        async with self._turn() as conn:
            rows = list(await conn.execute_fetchall(sql, params))
            return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a query."""
        await self._before(sql)
        async with self._turn() as conn:
            return list(await conn.execute_fetchall(sql, params))

    async def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def checkpoint(self) -> bool:
        """Copy the WAL into the main file and truncate it; False if a reader kept it busy."""
        row = await self.fetchone("PRAGMA wal_checkpoint(TRUNCATE)")
        return row is not None and row[0] == 0

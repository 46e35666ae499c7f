"""The SQLite engine: one writer connection shared by every coroutine (the embedded default)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.engine import Conn, Row, identifiers

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


class SqliteConn(Conn):
    engine = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cursor = await self._conn.execute(sql, params)
        return cursor.rowcount

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        # One trip to the database thread (a cursor would take three).
        return list(await self._conn.execute_fetchall(sql, params))

    async def lock(self, table: str, row_id: int) -> bool:
        # The write transaction (BEGIN IMMEDIATE) already holds the whole database.
        identifiers(table)
        return await self.fetch_one(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)) is not None


class SqliteEngine:
    """One connection; aiosqlite runs it on one thread, and coroutines sharing it see (and
    commit) each other's open transaction, so every use, read or write, holds one lock.
    Writes open with BEGIN IMMEDIATE: a deferred read upgraded to a write fails with
    SQLITE_BUSY at once under WAL."""

    name = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, path: Path | None) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.path = path
        # An erasure whose WAL another connection's reader kept from being emptied: retried
        # after each commit until it is (see forget).
        self._unforgotten = False

    @classmethod
    async def open(cls, path: Path | str) -> SqliteEngine:
        in_memory = str(path) == ":memory:"
        if not in_memory:
            make_private(Path(path))
        # isolation_level=None: we issue BEGIN/COMMIT ourselves.
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        # A deleted or replaced answer is overwritten with zeros, not left in free pages.
        await conn.execute("PRAGMA secure_delete=ON")
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA synchronous=NORMAL")
        return cls(conn, None if in_memory else Path(path))

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Conn]:
        async with self._lock:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                yield SqliteConn(self._conn)
            except BaseException:
                # Shielded so a cancellation cannot leave the transaction open. One while the
                # BEGIN waited for another process's write (busy_timeout) still lets it run on
                # aiosqlite's thread: this rollback, queued behind it, ends what it began (a
                # no-op if it failed).
                await asyncio.shield(self._conn.rollback())
                raise
            else:
                await self._conn.commit()
                if self._unforgotten:
                    with contextlib.suppress(sqlite3.Error):  # committed: retried next time
                        self._unforgotten = not await self._truncate_wal(wait=False)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        async with self._lock:
            yield SqliteConn(self._conn)

    async def forget(self) -> None:
        """secure_delete zeroes deleted rows in the database file, but the WAL still holds the
        pages as they were before: copy it back and truncate it to nothing."""
        async with self._lock:
            self._unforgotten = not await self._truncate_wal(wait=True)
        if self._unforgotten:
            log.warning("another connection reads the database: its WAL is emptied later")

    async def _truncate_wal(self, *, wait: bool) -> bool:
        """Checkpoint the WAL and truncate it; False when a reader in another connection
        (`make backup`, a sqlite3 shell) holds it. `wait`: for the busy timeout, else not
        at all (a retry after a commit must not hold up the next unit)."""
        if not wait:
            await self._conn.execute("PRAGMA busy_timeout=0")
        try:
            rows = await self._conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            if not wait:
                await self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return int(next(iter(rows))[0]) == 0  # (busy, WAL frames, frames checkpointed)

    async def version(self) -> int:
        async with self._lock:
            rows = await self._conn.execute_fetchall("PRAGMA user_version")
        return int(next(iter(rows))[0])

    async def migrate(self, steps: list[tuple[int, str, str]]) -> list[int]:
        """Apply pending steps, each in its own write transaction. The version is read inside
        that transaction, so two processes starting together apply each step once."""
        applied: list[int] = []
        async with self._lock:
            for version, name, script in steps:
                try:
                    await self._conn.execute("BEGIN IMMEDIATE")  # in the try: see transaction
                    rows = await self._conn.execute_fetchall("PRAGMA user_version")
                    if version <= int(next(iter(rows))[0]):
                        await self._conn.rollback()
                        continue
                    for statement in _statements(script):
                        await self._conn.execute(statement)
                    # user_version is part of the database header: it commits with the rest.
                    await self._conn.execute(f"PRAGMA user_version = {int(version)}")
                except BaseException:
                    await asyncio.shield(self._conn.rollback())
                    raise
                await self._conn.commit()
                log.info("applied migration %s", name)
                applied.append(version)
        return applied


def _statements(script: str) -> list[str]:
    """A script's statements, whole (a trigger's body included), comments kept with them."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current)
            current = ""
    if current.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in current.splitlines()
    ):
        statements.append(current)  # a last statement without its semicolon
    return statements


def make_private(path: Path) -> None:
    """Only the bot's own user may read the data, whatever the umask: the database's folder
    0700, the database and the WAL and SHM files beside it 0600. SQLite gives the WAL and SHM
    files it creates later the database file's mode, so creating that file 0600 covers them."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if folder.stat().st_uid == os.getuid():
        os.chmod(folder, 0o700)
    else:  # a folder someone else owns (the files in it are private all the same)
        log.warning("the database folder %s is not the bot's own; give it its own folder", folder)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for file in (path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))):
        if file.exists():  # files of an earlier version may be readable by all
            os.chmod(file, 0o600)

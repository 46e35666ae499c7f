"""The one SQLite connection, its write-transaction discipline, and migrations."""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

log = logging.getLogger(__name__)
T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
_MIGRATION_RE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class Database:
    """One writer connection shared by every coroutine.

    aiosqlite runs one thread per connection and coroutines sharing it see (and commit) each
    other's open transaction, so every use of the connection, read or write, holds one lock.
    Writes open with BEGIN IMMEDIATE: a deferred read upgraded to a write fails with
    SQLITE_BUSY at once under WAL.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        if str(path) != ":memory:":
            make_private(Path(path))
        # isolation_level=None: we issue BEGIN/COMMIT ourselves.
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        # A deleted or replaced answer is overwritten with zeros, not left in free pages.
        await conn.execute("PRAGMA secure_delete=ON")
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=5000")
        await conn.execute("PRAGMA synchronous=NORMAL")
        return cls(conn)

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: committed on success, rolled back on any exception."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                # Shielded so a cancellation cannot leave the transaction open.
                await asyncio.shield(self._conn.rollback())
                raise
            else:
                await self._conn.commit()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """A consistent read outside any other coroutine's open transaction."""
        async with self._lock:
            yield self._conn

    async def migrate(self, directory: Path = MIGRATIONS_DIR) -> list[int]:
        """Apply pending migrations in order, one transaction each; return the versions applied."""
        async with self._lock:
            async with self._conn.execute("PRAGMA user_version") as cur:
                row = await cur.fetchone()
            current = int(row[0]) if row else 0
            applied: list[int] = []
            for version, path in _migrations(directory):
                if version <= current:
                    continue
                script = path.read_text(encoding="utf-8")
                # executescript commits any open transaction first, so BEGIN/COMMIT go inside it;
                # user_version is part of the database header and commits with the rest.
                try:
                    await self._conn.executescript(
                        f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
                    )
                except BaseException:
                    await asyncio.shield(self._conn.rollback())
                    raise
                log.info("applied migration %s", path.name)
                applied.append(version)
            return applied


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


def _migrations(directory: Path) -> list[tuple[int, Path]]:
    found = []
    for path in directory.iterdir():
        match = _MIGRATION_RE.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    found.sort()
    versions = [v for v, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 0001, 0002, … without gaps: {versions}")
    return found


async def in_batches(
    db: Database,
    size: int,
    fetch: Callable[[aiosqlite.Connection, int], Awaitable[list[T]]],
    act: Callable[[aiosqlite.Connection, T], Awaitable[int]],
) -> int:
    """Due work, a batch of `size` rows per transaction, until a batch comes back short.

    Short transactions let updates and delivery take turns with a large backlog. Returns the
    sum of what `act` counted for each row.
    """
    total = 0
    while True:
        async with db.transaction() as conn:
            due = await fetch(conn, size)
            for row in due:
                total += await act(conn, row)
        if len(due) < size:
            return total


async def in_one_trip(*calls: Awaitable[Any]) -> list[Any]:
    """Run several storage calls back to back on the database thread; wait for them together.

    Each call must be a storage function that awaits nothing before its one statement: asyncio
    starts them in the order given, so the thread runs them in that order, and the caller
    waits for the thread once instead of once per statement. Within the caller's transaction,
    the first failure is raised after all have run, and the transaction rolls all back.
    """
    results = await asyncio.gather(*calls, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


async def fetch_all(conn: aiosqlite.Connection, sql: str, params: tuple = ()) -> list:
    """All rows in one trip to the database thread (a cursor would take three)."""
    return list(await conn.execute_fetchall(sql, params))


async def fetch_one(
    conn: aiosqlite.Connection, sql: str, params: tuple = ()
) -> aiosqlite.Row | None:
    rows = await conn.execute_fetchall(sql, params)
    return next(iter(rows), None)

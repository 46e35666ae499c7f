"""The PostgreSQL engine: a pool of connections, for deployments that outgrow one file.

Storage SQL is written once with `?` placeholders; psycopg takes `%s` (and a literal `%` doubled).
Each unit of work is one transaction on one pooled connection, so units run side by side: a
rule that reads, decides and writes takes a row lock (Conn.lock) or holds by its own SQL.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from functools import lru_cache
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from bot.storage.engine import Conn, Row, StorageError, identifiers

log = logging.getLogger(__name__)

# Seconds to wait for a first connection at start-up before trying again (bot/app.py).
OPEN_TIMEOUT = 5.0

# pg_advisory_lock keys are bigints; this one is "steady migrations" in the schema in use.
_MIGRATION_LOCK = "SELECT pg_advisory_lock(hashtext('steady-migrate:' || current_schema()))"
_MIGRATION_UNLOCK = "SELECT pg_advisory_unlock(hashtext('steady-migrate:' || current_schema()))"


_NUMBERED = re.compile(r"\?\d")


@lru_cache(maxsize=2048)
def _dialect(sql: str) -> str:
    if _NUMBERED.search(sql):
        raise ValueError("storage SQL takes plain ? placeholders (numbered ones are SQLite's)")
    return sql.replace("%", "%%").replace("?", "%s")


class PgRow:
    """A row read by column name (and by position), like sqlite3.Row."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: str | int) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Any:
    description = cursor.description
    if description is None:
        return tuple
    index = {column.name: i for i, column in enumerate(description)}
    return lambda values: PgRow(values, index)


@contextmanager
def _private_errors() -> Iterator[None]:
    """Driver errors become StorageError: class and SQLSTATE, none of the values PostgreSQL
    quotes in its message and DETAIL (see StorageError)."""
    try:
        yield
    except psycopg.Error as exc:
        raise StorageError(f"{type(exc).__name__} ({exc.sqlstate or 'no sqlstate'})") from None


class PgConn(Conn):
    engine = "postgres"

    def __init__(self, conn: psycopg.AsyncConnection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        with _private_errors():
            cursor = await self._conn.execute(_dialect(sql), params)
        return cursor.rowcount

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        with _private_errors():
            async with self._conn.cursor() as cursor:
                await cursor.executemany(_dialect(sql), rows)

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with _private_errors():
            cursor = await self._conn.execute(_dialect(sql), params)
            return await cursor.fetchall()

    @asynccontextmanager
    async def in_index_order(self, table: str, index: str) -> AsyncIterator[str]:
        # PostgreSQL has no index hints: no sort step, for this read only, leaves the index in
        # ORDER BY's order. Statistics taken while nearly every outbox row was sent count the
        # pending rows as one, so it would read all of them and sort (0.04 s a pass at 5,000
        # pending, growing with every prompt of a fan-out). SET LOCAL ends with the transaction.
        identifiers(table, index)
        await self.execute("SET LOCAL enable_sort = off")
        yield table
        await self.execute("SET LOCAL enable_sort TO DEFAULT")

    def for_update(self, *of: str, skip_locked: bool = False, no_key: bool = False) -> str:
        identifiers(*of)
        strength = "NO KEY UPDATE" if no_key else "UPDATE"
        return f" FOR {strength} OF {', '.join(of)}" + (" SKIP LOCKED" if skip_locked else "")

    async def lock(self, table: str, row_id: int) -> bool:
        identifiers(table)
        sql = f"SELECT 1 FROM {table} WHERE id = ? FOR UPDATE"
        return await self.fetch_one(sql, (row_id,)) is not None


class SessionLock:
    """An advisory lock on a connection of its own: PostgreSQL frees it when the connection
    ends, so a worker that dies (SIGKILL, a lost host) gives it up without a word."""

    def __init__(self, conn: psycopg.AsyncConnection) -> None:
        self._conn = conn

    async def alive(self) -> bool:
        try:
            await self._conn.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True

    async def release(self) -> None:
        with contextlib.suppress(psycopg.Error):
            await self._conn.close()  # the lock goes with the session


class PostgresEngine:
    name = "postgres"
    path = None
    # What opening raises while the server is down or starting: Database.open says so.
    UNREACHABLE = (psycopg.OperationalError, PoolTimeout)

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, url: str, size: int = 16) -> PostgresEngine:
        # One connection first: a server that refuses (not up yet, restarting) is said at
        # once, where the pool would keep trying until OPEN_TIMEOUT.
        probe = await psycopg.AsyncConnection.connect(url, connect_timeout=int(OPEN_TIMEOUT))
        await probe.close()
        # 16: a webhook update holds one connection for its person's turn while its handler's
        # units take others (bot.webhook bounds how many run at once), beside delivery and tick.
        pool = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=size,
            kwargs={"autocommit": True, "row_factory": _row_factory},
            open=False,
            name="steady",
        )
        try:
            await pool.open(wait=True, timeout=OPEN_TIMEOUT)
        except BaseException:
            await pool.close()
            raise
        return cls(pool)

    async def close(self) -> None:
        await self._pool.close()

    async def try_session_lock(self, name: str) -> SessionLock | None:
        """`name`'s advisory lock in the schema in use, on a connection of its own; None when
        another session holds it. Keepalives notice a peer that vanished without closing."""
        conn = await psycopg.AsyncConnection.connect(
            self._pool.conninfo,
            autocommit=True,
            keepalives=1,
            keepalives_idle=5,
            keepalives_interval=2,
            keepalives_count=3,
        )
        try:
            cursor = await conn.execute(
                "SELECT pg_try_advisory_lock(hashtext(%s || ':' || current_schema()))", (name,)
            )
            row = await cursor.fetchone()
        except BaseException:
            await conn.close()
            raise
        if not row or not row[0]:
            await conn.close()
            return None
        return SessionLock(conn)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Conn]:
        async with self._pool.connection() as conn, conn.transaction():
            yield PgConn(conn)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        # One transaction, so a read of several statements sees one moment.
        async with self._pool.connection() as conn, conn.transaction():
            yield PgConn(conn)

    async def forget(self) -> None:
        """Deleted rows stay in PostgreSQL's files until (auto)vacuum reuses their space;
        nothing here can hurry that inside a transaction (README, "Erasing your data")."""

    async def version(self) -> int:
        async with self._pool.connection() as conn:
            cursor = await conn.execute(
                "SELECT to_regclass('schema_version') IS NOT NULL AS present"
            )
            row = await cursor.fetchone()
            if not row or not row[0]:
                return 0
            cursor = await conn.execute("SELECT coalesce(max(version), 0) FROM schema_version")
            row = await cursor.fetchone()
            return int(row[0]) if row else 0

    async def migrate(self, steps: list[tuple[int, str, str]]) -> list[int]:
        """Apply pending steps, each in its own transaction, under an advisory lock: two
        processes starting together apply each step once."""
        applied: list[int] = []
        if steps and await self.version() >= steps[-1][0]:
            return applied  # the usual start: nothing to do, no lock to wait for
        async with self._pool.connection() as conn:
            await conn.execute(_MIGRATION_LOCK)
            try:
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version ("
                    " version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
                )
                cursor = await conn.execute("SELECT coalesce(max(version), 0) FROM schema_version")
                row = await cursor.fetchone()
                current = int(row[0]) if row else 0
                for version, name, script in steps:
                    if version <= current:
                        continue
                    async with conn.transaction():
                        await conn.execute(script.encode())  # no parameters: run as a script
                        await conn.execute(
                            "INSERT INTO schema_version (version) VALUES (%s)", (version,)
                        )
                    log.info("applied migration %s", name)
                    applied.append(version)
            finally:
                await conn.execute(_MIGRATION_UNLOCK)
        return applied

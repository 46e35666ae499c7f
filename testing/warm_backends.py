"""PostgreSQL connections a test process keeps open from one test database to the next.

A running bot keeps its pool's connections for its whole life, so its server processes have
read the catalog and prepared its statements long before. The suite opens well over a thousand
databases, each with a new pool: every pool's first connection was a new server process that
read the catalog again (4,000 connections a run, half the throwaway server's CPU). Here a
connection closed cleanly (no transaction open) is reset as `DISCARD ALL` would (settings,
locks, temporary tables, LISTEN, cursors, sequence state, statements a test PREPAREd) except
for the statements psycopg prepared itself, and its libpq connection is kept with psycopg's
record of them; the next connect with the same arguments gets it in a new connection object,
set up as connect() sets one up. The arguments name the schema (each test database's URL does,
testing/engines.py), so a server process serves the same schema again. The object that was
closed stays closed: using it raises, and closing it again does nothing to whoever has the
connection now. Never kept: a session lock's own connection (bot/storage/postgres.py
`try_session_lock`, made with keepalives: closing it is how the lock is let go), one in a
transaction, one whose server went away, one whose close was cancelled (closed at once, as a
real close would be).
"""

from __future__ import annotations

import select
from collections import OrderedDict
from typing import Any

import psycopg
from psycopg import AsyncConnection, sql
from psycopg.adapt import AdaptersMap
from psycopg.pq import ConnStatus, TransactionStatus

KEEP = 8  # idle connections a test process keeps: four workers leave room on a server of 100

# id(PGconn) -> (key, PGconn, psycopg's record of the statements it prepared there)
_idle: OrderedDict[int, tuple[tuple[Any, ...], Any, Any]] = OrderedDict()
_real_connect = AsyncConnection.connect.__func__  # type: ignore[attr-defined]
_real_close = AsyncConnection.close
_KEY = "_steady_warm_key"
# DISCARD ALL but DEALLOCATE ALL and DISCARD PLANS: psycopg's statements stay prepared. Those
# prepared with SQL's PREPARE (FROM_SQL) go.
_RESET = (
    "CLOSE ALL; RESET ALL; UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD TEMP;"
    " DISCARD SEQUENCES"
)
_FROM_SQL = "SELECT name FROM pg_prepared_statements WHERE from_sql"


def install() -> None:
    """From now on in this process, connections are kept and reused (idempotent)."""
    if AsyncConnection.close is not _real_close:
        return
    AsyncConnection.connect = classmethod(_connect)  # type: ignore[method-assign,assignment]
    AsyncConnection.close = _close  # type: ignore[method-assign]


class _Gone:
    """What a closed object is left with in place of the libpq connection it gave back."""

    status = ConnStatus.BAD
    transaction_status = TransactionStatus.UNKNOWN

    def finish(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        raise psycopg.OperationalError("the connection is closed")


def _alive(pgconn: Any) -> bool:
    """Open, idle, and nothing waiting on its socket: a server that closed its side (a restart,
    a terminated backend) has left an end of file to read there."""
    if pgconn.status != ConnStatus.OK or pgconn.transaction_status != TransactionStatus.IDLE:
        return False
    poller = select.poll()  # not select(): a socket may be past file number 1024
    poller.register(pgconn.socket, select.POLLIN)
    return not poller.poll(0)


def _key(cls: type, conninfo: str, kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """What a connection is made with. The pool passes connect_timeout from its own wait,
    which changes from one connect to the next, and the connection does not depend on it."""
    return (
        cls,
        conninfo,
        *sorted((k, repr(v)) for k, v in kwargs.items() if k != "connect_timeout"),
    )


async def _connect(cls: type[AsyncConnection], conninfo: str = "", **kwargs: Any) -> Any:
    if "keepalives" in kwargs:  # a session lock's own connection
        return await _real_connect(cls, conninfo, **kwargs)
    key = _key(cls, conninfo, kwargs)
    for handle, (kept_key, pgconn, prepared) in list(_idle.items()):
        if kept_key != key:
            continue
        del _idle[handle]
        if _alive(pgconn):
            return _wrap(cls, pgconn, prepared, key, kwargs)
        pgconn.finish()
    conn = await _real_connect(cls, conninfo, **kwargs)
    setattr(conn, _KEY, key)
    return conn


def _wrap(
    cls: Any, pgconn: Any, prepared: Any, key: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """A new connection object around a kept libpq connection, set up as
    AsyncConnection.connect sets up the one it makes (psycopg 3.3), with the record of what
    psycopg prepared on it (a new record would name its first statement as an old one)."""
    conn = cls(pgconn)
    conn._prepared = prepared
    conn._autocommit = bool(kwargs.get("autocommit", False))
    if kwargs.get("row_factory"):
        conn.row_factory = kwargs["row_factory"]
    if kwargs.get("cursor_factory"):
        conn.cursor_factory = kwargs["cursor_factory"]
    if kwargs.get("context"):
        conn._adapters = AdaptersMap(kwargs["context"].adapters)
    conn.prepare_threshold = kwargs.get("prepare_threshold", 5)
    setattr(conn, _KEY, key)
    return conn


async def _close(self: AsyncConnection) -> None:
    key = getattr(self, _KEY, None)
    if key is None or self.closed or self.broken or not _alive(self.pgconn):
        await _real_close(self)
        return
    try:
        await self.set_autocommit(True)  # these run outside a transaction
        await self.execute(_RESET)
        for name, *_ in await (await self.execute(_FROM_SQL)).fetchall():
            await self.execute(sql.SQL("DEALLOCATE {}").format(sql.Identifier(name)))
    except BaseException as exc:  # an error, or a cancelled close: closed for real, at once
        await _real_close(self)
        if isinstance(exc, psycopg.Error):
            return
        raise
    pgconn, self.pgconn = self.pgconn, _Gone()  # type: ignore[assignment]
    self._closed = True
    _idle[id(pgconn)] = (key, pgconn, self._prepared)
    while len(_idle) > KEEP:
        _, (_, oldest, _) = _idle.popitem(last=False)
        oldest.finish()

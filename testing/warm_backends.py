"""PostgreSQL connections a test process keeps open from one test database to the next.

A running bot keeps its pool's connections for its whole life, so its server processes have
read the catalog and planned its statements long before. The suite opens well over a thousand
databases, each with a new pool: every pool's first connection was a new server process that
read the catalog again (4,000 connections a run, half the throwaway server's CPU). Here a
connection a pool closes cleanly (no transaction open) is kept, its advisory locks released,
and handed to the next connect with the same arguments: the same schema, since each test
database's URL names its schema (testing/engines.py). What a test sees is the same as a new
connection's: no transaction, no lock, no setting beyond the URL's (Steady sets nothing else on
a connection but SET LOCAL). Connections made for a session lock (bot/storage/postgres.py
`try_session_lock`: with keepalives) are never kept: closing them is how a lock is let go.
"""

from __future__ import annotations

import asyncio
import select
from collections import OrderedDict
from typing import Any

import psycopg
from psycopg import AsyncConnection
from psycopg.pq import ConnStatus, TransactionStatus

KEEP = 8  # idle connections a test process keeps: four workers leave room on a server of 100

_idle: OrderedDict[int, tuple[tuple[Any, ...], AsyncConnection]] = OrderedDict()
_real_connect = AsyncConnection.connect.__func__  # type: ignore[attr-defined]
_real_close = AsyncConnection.close
_KEY = "_steady_warm_key"


def install() -> None:
    """From now on in this process, connections are kept and reused (idempotent)."""
    if AsyncConnection.close is not _real_close:
        return
    AsyncConnection.connect = classmethod(_connect)  # type: ignore[method-assign,assignment]
    AsyncConnection.close = _close  # type: ignore[method-assign]


def _usable(conn: AsyncConnection) -> bool:
    """Open, idle, and nothing waiting on its socket: a server that closed its side (a restart,
    a terminated backend) has left an end of file to read there."""
    if conn.closed or conn.broken or conn.pgconn.status != ConnStatus.OK:
        return False
    if conn.pgconn.transaction_status != TransactionStatus.IDLE:
        return False
    readable, _, _ = select.select([conn.pgconn.socket], [], [], 0)
    return not readable


async def _connect(cls: type[AsyncConnection], conninfo: str = "", **kwargs: Any) -> Any:
    if "keepalives" in kwargs:  # a session lock's own connection
        return await _real_connect(cls, conninfo, **kwargs)
    key = (
        cls,
        conninfo,
        *sorted((k, repr(v)) for k, v in kwargs.items() if k != "connect_timeout"),
    )
    for handle, (kept_key, conn) in list(_idle.items()):
        if kept_key != key:
            continue
        del _idle[handle]
        if not _usable(conn):
            await _real_close(conn)
            continue
        conn.lock = asyncio.Lock()  # its old one may be bound to an earlier test's event loop
        return conn
    conn = await _real_connect(cls, conninfo, **kwargs)
    setattr(conn, _KEY, key)
    return conn


async def _close(self: AsyncConnection) -> None:
    key = getattr(self, _KEY, None)
    if key is None or not _usable(self):
        await _real_close(self)
        return
    try:
        await self.execute("SELECT pg_advisory_unlock_all()")
        if not self.autocommit:  # that SELECT began a transaction
            await self.rollback()
    except psycopg.Error:
        await _real_close(self)
        return
    _idle[id(self)] = (key, self)
    while len(_idle) > KEEP:
        _, (_, oldest) = _idle.popitem(last=False)
        await _real_close(oldest)

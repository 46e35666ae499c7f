"""The suite's kept PostgreSQL connections (testing/warm_backends.py) look new to every test:
no lock, no transaction, no dead backend carried over; a session lock's connection is never
kept. The point of keeping them, a warm server process, is checked as the same backend given
again."""

from __future__ import annotations

import asyncio
from pathlib import Path

import psycopg
import pytest

from testing import warm_backends
from testing.engines import database, on_postgres

pytestmark = pytest.mark.skipif(not on_postgres(), reason="PostgreSQL connections only")

LOCK = "SELECT pg_try_advisory_lock(4242)"


@pytest.fixture
def url(tmp_path: Path) -> str:
    warm_backends.install()  # as the suite's conftest does on PostgreSQL
    return database(tmp_path / "warm.db")


async def pid(conn: psycopg.AsyncConnection) -> int:
    row = await (await conn.execute("SELECT pg_backend_pid()")).fetchone()
    assert row is not None
    return int(row[0])


async def locked(url: str) -> bool:
    """Whether another session holds lock 4242 (asked on a connection never kept)."""
    async with await psycopg.AsyncConnection.connect(url, autocommit=True, keepalives=1) as other:
        row = await (await other.execute(LOCK)).fetchone()
        assert row is not None
        if row[0]:
            await other.execute("SELECT pg_advisory_unlock(4242)")
        return not row[0]


async def test_a_closed_connection_comes_back_warm_and_without_its_locks(url: str) -> None:
    conn = await psycopg.AsyncConnection.connect(url, autocommit=True)
    first = await pid(conn)
    assert (await (await conn.execute(LOCK)).fetchone()) == (True,)
    await conn.close()
    assert not await locked(url)

    again = await psycopg.AsyncConnection.connect(url, autocommit=True)
    assert await pid(again) == first
    await again.close()
    other_args = await psycopg.AsyncConnection.connect(url)  # not autocommit: not the same
    assert await pid(other_args) != first
    await other_args.close()


async def test_one_closed_in_a_transaction_is_not_kept(url: str) -> None:
    conn = await psycopg.AsyncConnection.connect(url)
    first = await pid(conn)  # opens a transaction: not autocommit
    await conn.close()
    again = await psycopg.AsyncConnection.connect(url)
    assert await pid(again) != first
    await again.rollback()
    await again.close()


async def test_a_session_locks_connection_is_never_kept(url: str) -> None:
    conn = await psycopg.AsyncConnection.connect(url, autocommit=True, keepalives=1)
    first = await pid(conn)
    await conn.execute(LOCK)
    await conn.close()
    again = await psycopg.AsyncConnection.connect(url, autocommit=True, keepalives=1)
    assert await pid(again) != first
    await again.close()


async def test_a_backend_the_server_ended_is_not_handed_out(url: str) -> None:
    conn = await psycopg.AsyncConnection.connect(url, autocommit=True)
    first = await pid(conn)
    await conn.close()
    async with await psycopg.AsyncConnection.connect(url, autocommit=True, keepalives=1) as admin:
        await admin.execute("SELECT pg_terminate_backend(%s, 5000)", (first,))  # waits for it
    again = await psycopg.AsyncConnection.connect(url, autocommit=True)
    assert await pid(again) != first
    await again.close()


def test_a_connection_kept_in_one_event_loop_works_in_the_next(url: str) -> None:
    async def use() -> int:
        conn = await psycopg.AsyncConnection.connect(url, autocommit=True)
        # Two statements at once: the second waits on the connection's lock.
        found = await asyncio.gather(pid(conn), pid(conn))
        await conn.close()
        return found[0]

    assert asyncio.run(use()) == asyncio.run(use())

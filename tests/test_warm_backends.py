"""The suite's kept PostgreSQL connections (testing/warm_backends.py) look new to every test:
no lock, setting, temporary table or transaction carried over, no dead backend handed out, a
closed object closed for good; a session lock's connection is never kept. The point of keeping
them, a warm server process, is checked as the same backend given again."""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
from pathlib import Path

import psycopg
import pytest

from testing import warm_backends
from testing.engines import database, on_postgres

pytestmark = pytest.mark.skipif(not on_postgres(), reason="PostgreSQL connections only")

# Advisory locks are the whole database's: each test's own, named by its schema, so tests
# running at once in other workers never hold it.
KEY = "hashtext(current_schema())"
LOCK = f"SELECT pg_try_advisory_lock({KEY})"


@pytest.fixture
def url(tmp_path: Path) -> str:
    warm_backends.install()  # as the suite's conftest does on PostgreSQL
    return database(tmp_path / "warm.db")


async def value(conn: psycopg.AsyncConnection, sql: str) -> object:
    row = await (await conn.execute(sql)).fetchone()
    assert row is not None
    return row[0]


async def pid(conn: psycopg.AsyncConnection) -> object:
    return await value(conn, "SELECT pg_backend_pid()")


async def locked(url: str) -> bool:
    """Whether another session holds the test's lock (asked on a connection never kept)."""
    async with await psycopg.AsyncConnection.connect(url, autocommit=True, keepalives=1) as other:
        if got := await value(other, LOCK):
            await other.execute(f"SELECT pg_advisory_unlock({KEY})")
        return not got


async def test_a_closed_connection_comes_back_warm_and_without_its_locks(url: str) -> None:
    conn = await psycopg.AsyncConnection.connect(url, autocommit=True)
    first = await pid(conn)
    assert await value(conn, LOCK) is True
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


@pytest.mark.parametrize(
    ("setup", "probe"),
    [
        ("SET search_path = public", "SELECT current_schema()"),
        ("SET statement_timeout = '1ms'", "SHOW statement_timeout"),
        ("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "SHOW transaction_read_only"),
        ("CREATE TEMP TABLE users (id int)", "SELECT to_regclass('pg_temp.users') IS NULL"),
        ("LISTEN steady", "SELECT count(*) FROM pg_listening_channels()"),
        ("PREPARE p AS SELECT 1", "SELECT count(*) FROM pg_prepared_statements WHERE from_sql"),
    ],
    ids=["search_path", "a setting", "read only", "a temporary table", "LISTEN", "PREPARE"],
)
async def test_no_session_state_reaches_the_next_user(url: str, setup: str, probe: str) -> None:
    fresh = await psycopg.AsyncConnection.connect(url, autocommit=True)
    expected = await value(fresh, probe)
    first = await pid(fresh)
    await fresh.execute(setup)
    await fresh.close()
    again = await psycopg.AsyncConnection.connect(url, autocommit=True)
    assert await pid(again) == first  # the same server process, as new
    assert await value(again, probe) == expected
    await again.close()


async def test_a_closed_object_stays_closed_whoever_has_its_connection_now(url: str) -> None:
    closed = await psycopg.AsyncConnection.connect(url, autocommit=True)
    await closed.close()
    assert closed.closed
    with pytest.raises(psycopg.OperationalError):
        await closed.execute("SELECT 1")
    holder = await psycopg.AsyncConnection.connect(url, autocommit=True)  # its backend, warm
    assert await value(holder, LOCK) is True
    await closed.close()  # again: nothing, as on a real connection
    other = await psycopg.AsyncConnection.connect(url, autocommit=True)
    assert other is not holder and await pid(other) != await pid(holder)
    assert await locked(url)  # the holder's lock is still the holder's
    await other.close()
    await holder.close()


async def test_a_cancelled_close_closes(url: str) -> None:
    for steps in range(1, 5):  # cancelled in each of the close's statements
        conn = await psycopg.AsyncConnection.connect(url, autocommit=True)
        closing = asyncio.ensure_future(conn.close())
        for _ in range(steps):
            await asyncio.sleep(0)
        closing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await closing
        assert conn.closed, steps


async def test_a_socket_past_file_number_1024_is_checked_too(url: str) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 1200 if hard == resource.RLIM_INFINITY else min(hard, 1200)
    if wanted < 1200:
        pytest.skip("this process may not open 1,200 files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        conn = await psycopg.AsyncConnection.connect(url, autocommit=True)
        assert conn.pgconn.socket >= 1024
        first = await pid(conn)
        await conn.close()
        again = await psycopg.AsyncConnection.connect(url, autocommit=True)
        assert await pid(again) == first
        await again.close()
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


async def test_what_psycopg_prepared_stays_prepared_and_new_statements_do_not_clash(
    url: str,
) -> None:
    """Statements run often are prepared on the server (psycopg: from the fifth time); they
    stay with the kept connection, as a running bot's pool keeps them, and the next user's own
    prepare under the next free name."""
    conn = await psycopg.AsyncConnection.connect(url, autocommit=True)
    for _ in range(6):
        await conn.execute("SELECT 1 + %s", (1,))
    await conn.close()
    again = await psycopg.AsyncConnection.connect(url, autocommit=True)
    prepared = "SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql"
    assert await value(again, prepared) == 1
    for _ in range(6):
        await again.execute("SELECT 2 + %s", (1,))
        await again.execute("SELECT 1 + %s", (1,))
    assert await value(again, prepared) == 2
    await again.close()

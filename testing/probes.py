"""The few direct database reads and writes tests need, in one place."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.storage import outbox
from bot.storage.db import Database
from bot.storage.engine import Conn
from testing.engines import database, on_postgres

FIRST_MESSAGE_ID = 10_000


async def deliver(
    db: Database, now: int = 0, *, due_by: int | None = None
) -> list[tuple[int, str, str]]:
    """Everything queued so far (meant to go out by `due_by`, if given), as Telegram would
    accept it: (chat, dedupe key, text), in order; each row is recorded sent as Telegram
    message FIRST_MESSAGE_ID + its row id."""
    async with db.unit() as uow:
        rows = await uow.conn.fetch_all(
            f"SELECT dedupe_key, {outbox.READ_COLUMNS} FROM outbox "
            "WHERE status = 'pending' AND due_at <= ? ORDER BY id",
            (2**62 if due_by is None else due_by,),
        )
        await uow.outbox.mark_sent([(r["id"], FIRST_MESSAGE_ID + r["id"]) for r in rows], now)
    return [(r["chat_id"], r["dedupe_key"], outbox.rendered_text(r, db.cipher)) for r in rows]


class Inbox:
    """What each chat has received, delivering the outbox on each look."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._texts: dict[int, list[str]] = defaultdict(list)

    async def texts(self, chat_id: int) -> list[str]:
        for chat, _, text in await deliver(self._db):
            self._texts[chat].append(text)
        return list(self._texts[chat_id])


async def message_id_of(db: Database, dedupe_key: str) -> int | None:
    """The Telegram message an outbox row became, once sent."""
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT message_id FROM outbox WHERE dedupe_key = ?", (dedupe_key,)
        )
    return rows[0][0] if rows else None


# Tables a test may count rows of (a name, not a value: it cannot be a query parameter).
_COUNTABLE = frozenset({"answers", "rounds", "invites", "breaks", "outbox"})


async def count(db: Database, table: str) -> int:
    """How many rows the table holds."""
    if table not in _COUNTABLE:
        raise ValueError(f"not a table tests count: {table!r}")
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(f"SELECT COUNT(*) FROM {table}")
    return int(rows[0][0])


async def outbox_statuses(db: Database) -> dict[str, str]:
    """Each outbox row's status, by dedupe key."""
    async with db.read() as uow:
        rows = await uow.conn.fetch_all("SELECT dedupe_key, status FROM outbox")
    return {r[0]: r[1] for r in rows}


async def pending(db: Database, key_prefix: str = "") -> list[tuple[int, str, str]]:
    """Every message still to send (whose dedupe key starts with `key_prefix`), in the order
    queued, as (chat, dedupe key, text): unlike outbox.ready, not only the first per chat."""
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            f"SELECT dedupe_key, {outbox.READ_COLUMNS} FROM outbox "
            "WHERE status = 'pending' AND dedupe_key LIKE ? ORDER BY id",
            (key_prefix + "%",),
        )
    return [(r["chat_id"], r["dedupe_key"], outbox.rendered_text(r, db.cipher)) for r in rows]


async def latest_break(db: Database) -> int:
    """The id of the newest break."""
    async with db.read() as uow:
        rows = await uow.conn.fetch_all("SELECT MAX(id) FROM breaks")
    return int(rows[0][0])


async def open_rounds(db: Database) -> dict[str, int]:
    """The open round of each kind ('checkin', 'repair'), by kind."""
    async with db.read() as uow:
        rows = await uow.conn.fetch_all("SELECT kind, id FROM rounds WHERE status = 'open'")
    return {r[0]: r[1] for r in rows}


async def stored_answers(db: Database) -> list[tuple[str, int, str]]:
    """Every stored answer as (its round's kind, author, text), ordered."""
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT r.kind, a.user_id, a.text FROM answers a JOIN rounds r ON r.id = a.round_id",
        )
    # Opened with the database's key, as the bot reads them (stored sealed).
    return sorted((r[0], r[1], db.cipher.open(r[2], "answers")) for r in rows)


_DUE_UNSENT = "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND due_at <= ?"


def _due_unsent(path: Path) -> int:
    now = int(time.time())
    if on_postgres():
        import psycopg

        url = database(path)
        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute(_DUE_UNSENT.replace("?", "%s"), (now,)).fetchone()
    else:
        uri = f"file:{path}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=5)) as conn:
            row = conn.execute(_DUE_UNSENT, (now,)).fetchone()
    return int(row[0]) if row else 0


async def wait_until_sent(path: Path, timeout: float = 60.0) -> None:  # noqa: ASYNC109
    """For a bot in another process, which offers no barrier to await: until its database
    (read only) has no message pending that is due, in flight or waiting for a retry. Every
    send it was going to make by now has then reached the server and been recorded."""
    deadline = time.monotonic() + timeout
    while unsent := await asyncio.to_thread(_due_unsent, path):
        if time.monotonic() > deadline:
            raise AssertionError(f"{unsent} message(s) still unsent after {timeout}s")
        await asyncio.sleep(0.05)


class _Rows:
    def __init__(self, rows: list) -> None:
        self._rows = rows

    async def fetchall(self) -> list:
        return self._rows

    async def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None


async def query(conn: Conn, sql: str, params: tuple = ()) -> _Rows:
    """A cursor-shaped read for tests: `cur = await query(uow.conn, sql)`."""
    return _Rows(await conn.fetch_all(sql, params))


@asynccontextmanager
async def cursor(conn: Conn, sql: str, params: tuple = ()) -> AsyncIterator[_Rows]:
    """A cursor-shaped read for tests: `async with cursor(uow.conn, sql) as cur`."""
    yield _Rows(await conn.fetch_all(sql, params))


async def table_names(conn: Conn) -> list[str]:
    """The application's tables, on either engine."""
    if conn.engine == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = (
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "AND table_name != 'schema_version'"
        )
    return [r[0] for r in await conn.fetch_all(sql)]


def in_value_order(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows in an order that depends on nothing but their values, for "nothing changed"
    comparisons. By the first column alone, ties came back in the order PostgreSQL stored
    them, and an UPDATE that changed no value still moves a row there."""
    return sorted(rows, key=lambda row: [(v is None, 0 if v is None else v) for v in row])


async def holding(db: Database, user_id: int, *needles: str) -> list[tuple[str, str]]:
    """(table, column) of every stored value that is this person's id, or text holding their
    id or one of `needles` (their name, their words): what an erasure must leave none of."""
    texts = (str(user_id), *needles)
    found = []
    async with db.read() as uow:
        for table in await table_names(uow.conn):
            for row in await uow.conn.fetch_all(f"SELECT * FROM {table}"):
                for column in row.keys():  # noqa: SIM118
                    value = row[column]
                    if value == user_id or (
                        isinstance(value, str) and any(n in value for n in texts)
                    ):
                        found.append((table, column))
    return found

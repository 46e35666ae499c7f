"""Every row of a SQLite database copied into an empty PostgreSQL one (bot/migrate_data.py).

Tables, columns and foreign keys are read from the two schemas, never listed here, so a new
migration needs no change in this file; schemas that differ stop the copy before any row moves.
The whole copy is one target transaction: a failure leaves the target as empty as it was.
No row content is ever logged or put in an error: these are people's private answers.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.storage.db import MIGRATIONS_DIR, Database, migrations
from bot.storage.engine import Conn, StorageError

# Migration bookkeeping, not data: each engine keeps its own (SQLite: PRAGMA user_version).
_BOOKKEEPING = {"schema_version"}
# SQLite's unix VFS: every connection to a WAL database holds a shared lock on this byte of the
# -shm file while it is open (the "dead man switch", os_unix.c UNIX_SHM_DMS = (22 + 8) * 4 + 8).
_SHM_DMS_BYTE = 128

_SQLITE_COLUMNS = """
SELECT m.name AS table_name, p.name AS column_name
FROM sqlite_master m JOIN pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite^_%' ESCAPE '^'
ORDER BY m.name, p.cid"""
_SQLITE_PARENTS = """
SELECT m.name AS child, f."table" AS parent
FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
WHERE m.type = 'table'"""
_PG_COLUMNS = """
SELECT c.table_name::text AS table_name, c.column_name::text AS column_name
FROM information_schema.columns c
JOIN information_schema.tables t
  ON t.table_schema = c.table_schema AND t.table_name = c.table_name
WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
ORDER BY c.table_name, c.ordinal_position"""
_PG_PARENTS = """
SELECT child.relname::text AS child, parent.relname::text AS parent
FROM pg_constraint k
JOIN pg_class child ON child.oid = k.conrelid
JOIN pg_class parent ON parent.oid = k.confrelid
JOIN pg_namespace n ON n.oid = k.connamespace
WHERE k.contype = 'f' AND n.nspname = current_schema()"""


class CopyRefused(Exception):
    """The copy did not start; the message is one line for the operator, naming no data."""


class CopyFailed(Exception):
    """The copy failed part-way and the target transaction was rolled back."""

    def __init__(self, table: str, cause: BaseException) -> None:
        # A driver's message can quote the row it choked on: a StorageError's says only its
        # kind (engine.StorageError); anything else is named by its class.
        reason = str(cause) if isinstance(cause, StorageError) else type(cause).__name__
        super().__init__(f"copying table {table} failed ({reason})")
        self.table = table


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    parents: frozenset[str]  # tables its foreign keys point at


def latest_version() -> int:
    """The schema version this code's migrations build."""
    return max(version for version, _ in migrations(MIGRATIONS_DIR, "sqlite"))


async def applied_version(conn: Conn) -> int:
    if conn.engine == "sqlite":
        return int(await conn.fetch_value("PRAGMA user_version"))
    exists = await conn.fetch_value("SELECT to_regclass('schema_version') IS NOT NULL")
    if not exists:
        return 0
    return int(await conn.fetch_value("SELECT coalesce(max(version), 0) FROM schema_version"))


async def tables(conn: Conn) -> dict[str, Table]:
    """The data tables of the database (PostgreSQL: of the schema in use), read from its catalog."""
    sqlite = conn.engine == "sqlite"
    columns: dict[str, list[str]] = {}
    for row in await conn.fetch_all(_SQLITE_COLUMNS if sqlite else _PG_COLUMNS):
        if row["table_name"] not in _BOOKKEEPING:
            columns.setdefault(row["table_name"], []).append(row["column_name"])
    parents: dict[str, set[str]] = {name: set() for name in columns}
    for row in await conn.fetch_all(_SQLITE_PARENTS if sqlite else _PG_PARENTS):
        if row["child"] in parents and row["parent"] != row["child"]:
            parents[row["child"]].add(row["parent"])
    return {
        name: Table(name, tuple(cols), frozenset(parents[name])) for name, cols in columns.items()
    }


def copy_order(found: dict[str, Table]) -> list[str]:
    """Parents before children (alphabetical among equals, so the order is stable)."""
    order: list[str] = []
    placed: set[str] = set()
    while len(order) < len(found):
        ready = sorted(
            name
            for name, table in found.items()
            if name not in placed and table.parents & found.keys() <= placed
        )
        if not ready:
            raise CopyRefused("the tables' foreign keys form a cycle; nothing was copied.")
        order.extend(ready)
        placed.update(ready)
    return order


def schema_differences(source: dict[str, Table], target: dict[str, Table]) -> list[str]:
    """What differs between the two schemas' tables and columns, by name."""
    found = []
    if only := sorted(source.keys() - target.keys()):
        found.append(f"tables only in the source: {', '.join(only)}")
    if only := sorted(target.keys() - source.keys()):
        found.append(f"tables only in the target: {', '.join(only)}")
    for name in sorted(source.keys() & target.keys()):
        a, b = set(source[name].columns), set(target[name].columns)
        if a != b:
            found.append(
                f"{name} columns differ (source only: {', '.join(sorted(a - b)) or '-'}; "
                f"target only: {', '.join(sorted(b - a)) or '-'})"
            )
    return found


async def tables_with_rows(conn: Conn, names: Sequence[str]) -> list[str]:
    return [
        name
        for name in names
        if await conn.fetch_value(f"SELECT 1 FROM {_ident(name)} LIMIT 1") is not None
    ]


async def check_empty(conn: Conn, names: Sequence[str] | None = None) -> None:
    """Refuse a target that holds any row: a copy never merges into live data."""
    if filled := await tables_with_rows(conn, list(await tables(conn)) if names is None else names):
        raise CopyRefused(
            f"the PostgreSQL database already holds data (in {', '.join(filled)}); copy only "
            "into a new, empty one. Nothing was changed."
        )


async def check_version(conn: Conn, engine: str) -> None:
    """Refuse a database whose schema is not the one this code's migrations build."""
    applied, latest = await applied_version(conn), latest_version()
    if applied != latest:
        raise CopyRefused(
            f"the {engine} database is at schema version {applied}, this Steady's is {latest}: "
            + (
                "start this version of the bot on it once (it migrates at start-up), stop it, "
                "and run the copy again."
                if applied < latest
                else "it was written by a newer Steady; run the copy with that version."
            )
        )


def sqlite_in_use(path: Path) -> bool:
    """Whether another process has the SQLite database open (a running bot), as far as can be
    told cheaply: its connections hold a lock in the -shm file while open. Call it before this
    process opens the file: POSIX locks are per process, so it cannot see our own."""
    try:
        import fcntl  # POSIX only; elsewhere the operator's word that the bot is stopped counts
    except ImportError:
        return False
    shm = path.with_name(path.name + "-shm")
    try:
        fd = os.open(shm, os.O_RDWR)
    except OSError:
        return False  # no -shm file: no connection has it open in WAL mode
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS_BYTE)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EAGAIN):
                return True
            raise
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, _SHM_DMS_BYTE)
        return False
    finally:
        os.close(fd)


async def copy_database(
    source: Database,
    target: Database,
    batch: int = 1000,
    done: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Copy every table of `source` (SQLite) into `target` (PostgreSQL, migrated and empty), in
    foreign-key order, `batch` rows per statement batch, all in one target transaction; then move
    each identity sequence past the copied ids. Returns the row count per table; `done` hears of
    each table as it is finished."""
    if source.engine != "sqlite" or target.engine != "postgres":
        raise CopyRefused("the copy goes from a SQLite database to a PostgreSQL one.")
    # BEGIN IMMEDIATE: one snapshot of the source, and no writer can change it meanwhile.
    async with source.unit() as src, target.unit() as dst:
        await check_version(src.conn, "SQLite")
        await check_version(dst.conn, "PostgreSQL")
        theirs, ours = await tables(src.conn), await tables(dst.conn)
        if differences := schema_differences(theirs, ours):
            raise CopyRefused("the two schemas differ: " + "; ".join(differences) + ".")
        order = copy_order(ours)
        # Nobody else writes these tables until the copy commits or rolls back (reads go on).
        await dst.conn.execute(f"LOCK TABLE {', '.join(map(_ident, order))} IN EXCLUSIVE MODE")
        await check_empty(dst.conn, order)
        with_id = {name for name, table in ours.items() if "id" in table.columns}
        counts: dict[str, int] = {}
        for name in order:
            try:
                counts[name] = await _copy_table(src.conn, dst.conn, ours[name], batch)
                if name in with_id:
                    await _reset_identity(dst.conn, name)
            except (CopyRefused, CopyFailed):
                raise
            except Exception as exc:
                raise CopyFailed(name, exc) from exc
            if done is not None:
                done(name, counts[name])
    return counts


async def _copy_table(src: Conn, dst: Conn, table: Table, batch: int) -> int:
    name, columns = table.name, table.columns
    names = ", ".join(map(_ident, columns))
    # Keyset pages by rowid: each page is as quick as the first, however big the table.
    select = (
        f"SELECT rowid AS copy_rowid_, {names} FROM {_ident(name)} "
        "WHERE rowid > ? ORDER BY rowid LIMIT ?"
    )
    insert = f"INSERT INTO {_ident(name)} ({names}) VALUES ({', '.join('?' * len(columns))})"
    copied, after = 0, -(2**63)
    while True:
        page = await src.fetch_all(select, (after, batch))
        if not page:
            break
        await insert_batch(dst, insert, [tuple(row)[1:] for row in page])
        copied += len(page)
        after = page[-1][0]
        if len(page) < batch:
            break
    landed = int(await dst.fetch_value(f"SELECT count(*) FROM {_ident(name)}"))
    if landed != copied:
        raise RuntimeError("row count differs after the copy")
    return copied


async def insert_batch(dst: Conn, insert: str, rows: list[tuple[Any, ...]]) -> None:
    """One batch of rows into the target (its own function so a test can make one fail)."""
    await dst.execute_many(insert, rows)


async def _reset_identity(dst: Conn, table: str) -> None:
    """New rows' ids continue after the copied ones (a copied id does not advance a sequence).
    Tables whose id is not generated (users: Telegram's ids) have no sequence."""
    sequence = await dst.fetch_value("SELECT pg_get_serial_sequence(?, 'id')", (table,))
    if sequence is not None:
        await dst.fetch_value(
            f"SELECT setval(CAST(? AS regclass), max(id)) FROM {_ident(table)} "
            "HAVING max(id) IS NOT NULL",
            (sequence,),
        )


def _ident(name: str) -> str:
    # Names come from the databases' own catalogs; refuse anything that would need quoting.
    if not name.isidentifier():
        raise CopyRefused(f"unexpected table or column name {name!r}.")
    return name

"""The database layer: migrations and write-transaction discipline."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import traceback
from pathlib import Path

import pytest

from bot.models import Person
from bot.storage.db import MIGRATIONS_DIR, Database, in_one_trip
from testing.engines import database, sqlite_only
from testing.probes import cursor, table_names


async def test_migrations_apply_once_and_record_the_version(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "folder" / "steady.db"  # the folder is created
    first = await Database.open(database(path))
    applied = await first.migrate()
    await first.close()
    assert applied == list(
        range(1, sum(1 for p in MIGRATIONS_DIR.iterdir() if p.name.endswith(".sql")) + 1)
    )

    second = await Database.open(database(path))
    assert await second.migrate() == []
    assert await second.version() == applied[-1]
    if second.engine == "sqlite":
        async with second.read() as uow:
            assert await uow.conn.fetch_value("PRAGMA journal_mode") == "wal"
    await second.close()


async def test_two_processes_starting_together_apply_each_migration_once(tmp_path: Path) -> None:
    """Two workers start at once: one applies each step, the other finds it done (the version
    is read under the write lock on SQLite, under an advisory lock on PostgreSQL)."""
    first = await Database.open(database(tmp_path / "steady.db"))
    second = await Database.open(database(tmp_path / "steady.db"))
    try:
        one, two = await asyncio.gather(first.migrate(), second.migrate())
        assert sorted(one + two) == list(range(1, await first.version() + 1))
        assert await first.version() == await second.version() > 0
    finally:
        await first.close()
        await second.close()


async def test_a_start_with_nothing_to_migrate_does_not_wait_for_a_writer(
    two: tuple[Database, Database],
) -> None:
    """A worker starting while another writes: finding every migration applied takes no write
    lock (on SQLite it would wait out the busy timeout, then fail as locked)."""
    first, second = two
    async with first.unit() as uow:
        await uow.users.upsert(Person(1, "Ana"), 0)
        assert await second.migrate() == []


async def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_ok.sql").write_text("CREATE TABLE a (x INTEGER);")
    (migrations / "0002_broken.sql").write_text("CREATE TABLE b (x INTEGER);\nNOT SQL;")
    opened = await Database.open(database(tmp_path / "x.db"))
    with pytest.raises(Exception, match="syntax error"):
        await opened.migrate(migrations)
    assert await opened.version() == 1
    async with opened.read() as uow:
        assert await table_names(uow.conn) == ["a"]  # 0002 rolled back whole
    await opened.close()


async def test_a_failed_transaction_rolls_back(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.unit() as uow:
            await uow.users.upsert(Person(1, "Ana"), 0)
            raise RuntimeError("boom")
    async with db.read() as uow:
        assert await uow.users.get(1) is None


async def test_a_cancelled_transaction_rolls_back_and_frees_the_lock(db: Database) -> None:
    entered = asyncio.Event()

    async def slow_write() -> None:
        async with db.unit() as uow:
            await uow.users.upsert(Person(2, "Ben"), 0)
            entered.set()
            await asyncio.sleep(10)

    task = asyncio.create_task(slow_write())
    await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with db.unit() as uow:  # would hang if the lock or transaction leaked
        assert await uow.users.get(2) is None


async def test_concurrent_writers_do_not_commit_each_others_work(db: Database) -> None:
    async def write(i: int, fail: bool) -> None:
        async with db.unit() as uow:
            await uow.users.upsert(Person(i, f"user{i}"), 0)
            await asyncio.sleep(0)
            if fail:
                raise ValueError

    results = await asyncio.gather(
        *(write(i, fail=i % 2 == 1) for i in range(1, 41)), return_exceptions=True
    )
    assert sum(isinstance(r, ValueError) for r in results) == 20
    async with db.read() as uow, cursor(uow.conn, "SELECT id FROM users ORDER BY id") as cur:
        ids = [row[0] for row in await cur.fetchall()]
    assert ids == list(range(2, 41, 2))


@sqlite_only("make backup copies the SQLite file; PostgreSQL has pg_dump")
async def test_a_backup_of_the_live_database_holds_its_data(db: Database, tmp_path: Path) -> None:

    from bot.backup import backup

    async with db.unit() as uow:
        await uow.users.upsert(Person(7, "Ana"), 0)
    # The bot is still running (its connection open, WAL not checkpointed) during the backup.
    copy = backup(tmp_path / "steady.db", tmp_path / "backups" / "copy.db")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT first_name FROM users WHERE id = 7").fetchone() == ("Ana",)
    with pytest.raises(FileNotFoundError):
        backup(tmp_path / "missing.db", tmp_path / "x.db")


async def test_calls_in_one_trip_run_in_order_and_fail_as_one(db: Database) -> None:
    async with db.unit() as uow:
        _, found, _ = await in_one_trip(
            uow.users.upsert(Person(1, "Ana"), 0),
            uow.users.get(1),  # sees the write queued before it
            uow.users.upsert(Person(2, "Ben"), 0),
        )
    assert found is not None and found.first_name == "Ana"
    with pytest.raises(Exception, match=r"(?i)not.?null"):
        async with db.unit() as uow:
            await in_one_trip(
                uow.users.upsert(Person(3, "Cleo"), 0),
                uow.conn.execute("INSERT INTO users (id) VALUES (NULL)"),  # NOT NULL fails
                uow.users.upsert(Person(4, "Dan"), 0),  # runs, then rolls back with the rest
            )
    async with db.read() as uow:
        assert [await uow.users.get(i) is not None for i in (1, 2, 3, 4)] == [
            True,
            True,
            False,
            False,
        ]


async def test_a_refused_statement_quotes_none_of_its_values(db: Database) -> None:
    """PostgreSQL's error quotes the failing row (DETAIL): through a traceback in the log, an
    answer would be there. Only the error's kind leaves the storage layer, on either engine."""
    secret = "about the Quillwort weekend"
    with pytest.raises(Exception) as info:
        async with db.unit() as uow:
            await uow.conn.execute(
                "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (7, ?, NULL, 0)",
                (secret,),
            )
    logged = "".join(traceback.format_exception(info.value))
    assert "Quillwort" not in logged, logged
    assert re.search(r"(?i)not.?null", logged)  # what went wrong is still said


def test_two_migrations_with_one_number_refuse_to_run(tmp_path: Path) -> None:
    """Branches merged with the same number must not apply one of them silently."""
    from bot.storage.db import migrations

    (tmp_path / "0001_first.sql").write_text("SELECT 1;")
    (tmp_path / "0002_ours.sql").write_text("SELECT 1;")
    (tmp_path / "0002_theirs.sql").write_text("SELECT 1;")
    with pytest.raises(RuntimeError, match="two migrations numbered 0002"):
        migrations(tmp_path, "sqlite")


@pytest.mark.parametrize("name", ["users; DROP TABLE users", "", "users u", "outbox--"])
async def test_a_name_written_into_sql_must_be_a_plain_identifier(db: Database, name: str) -> None:
    """Table, index and alias names go into SQL text (a row lock, FOR UPDATE, an index
    hint): anything but a plain identifier is refused before a statement is made of it."""
    async with db.unit() as uow:
        with pytest.raises(ValueError):
            await uow.conn.lock(name, 1)
        with pytest.raises(ValueError):
            uow.conn.for_update("u", name)
        with pytest.raises(ValueError):
            async with uow.conn.in_index_order("outbox", name):
                pass
        assert await uow.conn.lock("users", 1) is False  # a plain name works

"""`python -m bot.migrate_data`: a SQLite database made through the real domain moves into an
empty PostgreSQL database row for row, ids continue after it, and the tool refuses (changing
nothing) whenever it could merge into data or copy half. Needs STEADY_TEST_DATABASE_URL (a
PostgreSQL server; `make test` starts one); the checks made before any server is reached run
on every pass."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import time
from pathlib import Path
from typing import Any

import pytest

from bot import agreements, at_rest, checkins, pairing, promises, repair, report, scheduling, weekly
from bot.checkins import AnswerOutcome
from bot.crypto import Cipher
from bot.invite_codes import ALPHABET, LENGTH
from bot.migrate_data import migrate_data
from bot.models import Person
from bot.schedule_rules import EVERY_DAY, Schedule
from bot.storage import copy
from bot.storage.copy import CopyFailed, CopyRefused
from bot.storage.db import Database
from testing.engines import database, on_postgres
from testing.probes import deliver, latest_break
from testing.process import ROOT
from testing.seeding import INVITE_KEY

pytestmark = pytest.mark.heavy  # on PostgreSQL, seconds each

needs_postgres = pytest.mark.skipif(
    not on_postgres(), reason="needs a PostgreSQL server (STEADY_TEST_DATABASE_URL)"
)

ANA, BEN = Person(101, "Ana"), Person(202, "Ben")
CARLA, DAN = Person(303, "Carla ✨"), Person(404, "Dan")
EVE, FINN = Person(505, "Eve"), Person(606, "Finn")
NOW = 1_800_000_000
DAY = 24 * 3600
SECRET = "our secret: the blue door"  # an answer; must never reach the tool's output
LONG_PART = "α" * 4090 + " one"  # a client's first part of a long text
IDENTITY_TABLES = (
    "couples", "invites", "outbox", "rounds", "breaks", "promises", "agreements",
    "agreement_versions", "report_requests",
)  # fmt: skip


async def seed(path: Path) -> None:
    """Two couples brought through the domain so that every table holds rows: a revealed round
    with a long answer in parts, a break one partner is ready after, slots missed while down,
    a wrong invite code, and an answer whose notice to the partner is still in the outbox."""
    db = await Database.open(path)
    try:
        await db.migrate()
        await at_rest.adopt(db, Cipher(INVITE_KEY))  # answers sealed, the key's fingerprint kept
        code = (await pairing.create_invite(db, ANA, NOW, INVITE_KEY)).code
        await pairing.join(db, BEN, code, NOW, INVITE_KEY)
        await deliver(db, NOW)
        await checkins.start_round(db, ANA.id, NOW)
        await deliver(db, NOW)
        await checkins.answer(db, ANA, LONG_PART, 1, NOW)
        await checkins.answer(db, ANA, SECRET, 2, NOW + 1)
        done = await checkins.answer(db, BEN, "Tired but here", 3, NOW + 10)
        assert done.outcome is AnswerOutcome.REVEALED
        await deliver(db, NOW + 10)

        await repair.start_break(db, ANA.id, "20m", NOW + 100, "UTC")
        break_id = await latest_break(db)
        await repair.run_due(db, NOW + 100 + 1300)
        await repair.ready(db, ANA.id, break_id, NOW + 1500)

        await scheduling.set_schedule(db, BEN.id, Schedule(EVERY_DAY, time(20, 0)), NOW, "UTC")
        await scheduling.run_due(db, NOW + 3 * DAY, 7200, "UTC")
        await deliver(db, NOW + 3 * DAY)

        await pairing.join(db, DAN, ALPHABET[0] * LENGTH, NOW, INVITE_KEY)  # a wrong code
        code = (await pairing.create_invite(db, CARLA, NOW, INVITE_KEY)).code
        await pairing.join(db, DAN, code, NOW + 5, INVITE_KEY)
        await deliver(db, NOW + 5)
        await checkins.start_round(db, CARLA.id, NOW + 3 * DAY)
        await deliver(db, NOW + 3 * DAY)
        await checkins.answer(db, CARLA, "Grateful", 4, NOW + 3 * DAY + 60)

        drafted = await promises.draft(db, CARLA.id, "I'll call if I'm late", NOW, "UTC")
        assert drafted.promise_id is not None and drafted.choices
        await promises.choose_due(
            db, CARLA.id, drafted.promise_id, drafted.choices[0][0], NOW, "UTC"
        )
        await agreements.propose(db, DAN.id, "We tell each other when plans change", NOW)
        async with db.read() as uow:
            [(version_id,)] = await uow.conn.fetch_all("SELECT id FROM agreement_versions")
        await agreements.answer(db, CARLA.id, version_id, True, NOW + 60)
        # The weekly opt-ins (a summary due, a rating planned) and a report one agreed to.
        for person in (ANA, BEN):
            await weekly.choose(db, person.id, "weekly", True, NOW, "UTC")
            await weekly.choose(db, person.id, "rating", True, NOW, "UTC")
        await report.ask(db, CARLA.id, 4, NOW + 3 * DAY)
        async with db.read() as uow:
            request = await uow.conn.fetch_value("SELECT id FROM report_requests")
        await report.answer(db, DAN.id, int(request), True, NOW + 3 * DAY)
        async with db.unit() as uow:  # a webhook update on record (update_log, person_updates)
            await uow.updates.take_turn(CARLA.id, 900, None)
            await uow.updates.applied(CARLA.id, 900, None, NOW + 3 * DAY + 61)
            await uow.outbox.take_sending()  # a worker once elected to send (sender_epoch)
    finally:
        await db.close()


async def contents(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every data table's rows, columns by name in one order, rows sorted."""
    async with db.read() as uow:
        found = await copy.tables(uow.conn)
        rows = {}
        for name, table in found.items():
            columns = ", ".join(sorted(table.columns))
            fetched = await uow.conn.fetch_all(f"SELECT {columns} FROM {name}")
            rows[name] = sorted((tuple(row) for row in fetched), key=repr)
    return rows


async def contents_of(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    db = await Database.open(path)
    try:
        return await contents(db)
    finally:
        await db.close()


async def max_ids(db: Database) -> dict[str, int]:
    async with db.read() as uow:
        return {
            table: await uow.conn.fetch_value(f"SELECT max(id) FROM {table}")
            for table in IDENTITY_TABLES
        }


@pytest.fixture
async def source(tmp_path: Path) -> Path:
    path = tmp_path / "steady.db"
    await seed(path)
    return path


def target_url(tmp_path: Path, name: str = "target") -> str:
    return database(tmp_path / name)  # a schema of its own on the test server


async def opened(url: str) -> Database:
    return await Database.open(url)


@needs_postgres
async def test_every_row_moves_and_new_ids_continue_after_them(
    source: Path, tmp_path: Path
) -> None:
    sqlite = await Database.open(source)
    expected = await contents(sqlite)
    source_ids = await max_ids(sqlite)
    await sqlite.close()
    # The seeding reaches every table, so the copy is tried on each (a new table needs a line
    # in seed()), and a message is still waiting to be sent.
    assert [name for name, rows in expected.items() if not rows] == []
    assert any("pending" in row for row in expected["outbox"])

    said: list[str] = []
    counts = await migrate_data(f"sqlite:///{source}", target_url(tmp_path), 2, said.append)
    assert counts == {name: len(rows) for name, rows in expected.items()}
    assert SECRET not in "\n".join(said) and "Ana" not in "\n".join(said)

    target = await opened(target_url(tmp_path))
    try:
        assert await contents(target) == expected
        # New rows in every table with a generated id: no id collides with a copied one.
        code = (await pairing.create_invite(target, EVE, NOW + 4 * DAY, INVITE_KEY)).code
        joined = await pairing.join(target, FINN, code, NOW + 4 * DAY, INVITE_KEY)
        assert joined.outcome is pairing.JoinOutcome.PAIRED
        await checkins.start_round(target, EVE.id, NOW + 4 * DAY)
        await repair.start_break(target, FINN.id, "20m", NOW + 4 * DAY, "UTC")
        await promises.draft(target, EVE.id, "Flowers", NOW + 4 * DAY, "UTC")
        await agreements.propose(target, FINN.id, "Kind words", NOW + 4 * DAY)
        await report.ask(target, EVE.id, 4, NOW + 4 * DAY)
        after = await max_ids(target)
        assert all(after[t] > source_ids[t] for t in IDENTITY_TABLES), (source_ids, after)
        before_again = await contents(target)
    finally:
        await target.close()

    # Never into live data: refused before anything is touched.
    with pytest.raises(CopyRefused, match="already holds data"):
        await migrate_data(f"sqlite:///{source}", target_url(tmp_path), 2, said.append)
    target = await opened(target_url(tmp_path))
    try:
        assert await contents(target) == before_again
    finally:
        await target.close()


@needs_postgres
async def test_a_failure_part_way_leaves_the_target_empty(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = copy.insert_batch
    calls = 0

    async def third_batch_fails(*args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("connection lost")
        await real(*args)

    monkeypatch.setattr(copy, "insert_batch", third_batch_fails)
    with pytest.raises(CopyFailed):
        await migrate_data(f"sqlite:///{source}", target_url(tmp_path), 2, lambda _: None)
    assert calls == 3
    target = await opened(target_url(tmp_path))
    try:
        assert all(rows == [] for rows in (await contents(target)).values())
    finally:
        await target.close()

    # Nothing was left behind to stop a second try.
    monkeypatch.setattr(copy, "insert_batch", real)
    counts = await migrate_data(f"sqlite:///{source}", target_url(tmp_path), 2, lambda _: None)
    assert counts["answers"] == 3


def run_tool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.migrate_data", *args],
        cwd=cwd,  # no .env there: only the arguments count
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@needs_postgres
def test_the_command_copies_then_refuses_a_second_time(source: Path, tmp_path: Path) -> None:
    url = target_url(tmp_path, "by-command")
    first = run_tool("--from", f"sqlite:///{source}", "--to", url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    sqlite = asyncio.run(contents_of(source))
    lines = [line for line in first.stdout.splitlines() if line.startswith("  ")]
    assert sorted(lines) == sorted(f"  {name}: {len(rows)} rows" for name, rows in sqlite.items())
    order = [line.split(":")[0].strip() for line in lines]  # parents before children
    assert order.index("users") < order.index("couples") < order.index("rounds")
    assert order.index("rounds") < order.index("answers")
    assert order.index("breaks") < order.index("break_ready")
    assert SECRET not in first.stdout + first.stderr

    again = run_tool("--from", f"sqlite:///{source}", "--to", url, cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1 and "already holds data" in again.stderr
    assert "password" not in again.stderr and "search_path" not in again.stderr


@needs_postgres
async def test_a_source_at_an_older_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = await Database.open(path)
    await old.migrate()
    async with old.unit() as uow:
        await uow.conn.execute("PRAGMA user_version = 1")
    await old.close()
    with pytest.raises(CopyRefused, match="schema version 1"):
        await migrate_data(f"sqlite:///{path}", target_url(tmp_path), 2, lambda _: None)
    target = await opened(target_url(tmp_path))
    try:
        async with target.read() as uow:
            assert await copy.tables(uow.conn) == {}  # refused before the target was touched
    finally:
        await target.close()


@needs_postgres
async def test_schemas_that_differ_stop_the_copy_before_any_row(
    source: Path, tmp_path: Path
) -> None:
    sqlite = await Database.open(source)
    async with sqlite.unit() as uow:
        await uow.conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    await sqlite.close()
    target = await opened(target_url(tmp_path))
    try:
        await target.migrate()
        async with target.unit() as uow:
            await uow.conn.execute("ALTER TABLE users ADD COLUMN nickname TEXT")
    finally:
        await target.close()

    with pytest.raises(CopyRefused) as refused:
        await migrate_data(f"sqlite:///{source}", target_url(tmp_path), 2, lambda _: None)
    assert "tables only in the source: notes" in str(refused.value)
    assert "users columns differ (source only: -; target only: nickname)" in str(refused.value)
    target = await opened(target_url(tmp_path))
    try:
        assert all(rows == [] for rows in (await contents(target)).values())
    finally:
        await target.close()


def test_tables_are_copied_parents_first_and_a_cycle_is_refused() -> None:
    found = {
        "answers": copy.Table("answers", ("round_id",), frozenset({"rounds", "users"})),
        "rounds": copy.Table("rounds", ("id",), frozenset({"couples"})),
        "couples": copy.Table("couples", ("id",), frozenset({"users"})),
        "users": copy.Table("users", ("id",), frozenset()),
    }
    assert copy.copy_order(found) == ["users", "couples", "rounds", "answers"]
    found["users"] = copy.Table("users", ("id",), frozenset({"answers"}))
    with pytest.raises(CopyRefused, match="cycle"):
        copy.copy_order(found)


async def test_a_database_in_use_by_another_process_is_refused(source: Path) -> None:
    # Another process (a bot still running) holds the database open, idle.
    holder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('SELECT count(*) FROM users').fetchall(); print('open', flush=True); "
        "sys.stdin.read()",
        str(source),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        assert await holder.stdout.readline() == b"open\n"
        with pytest.raises(CopyRefused, match="stop the bot first"):
            # Refused before any server is asked: this URL leads nowhere.
            await migrate_data(f"sqlite:///{source}", "postgresql://localhost:1/none")
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        await holder.wait()
    # Once that process has closed it, the check no longer objects.
    assert not copy.sqlite_in_use(source)


def test_a_missing_source_is_refused_and_never_created(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here.db"
    result = run_tool("--from", f"sqlite:///{missing}", "--to", "postgresql://h/db", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"Not copied: there is no SQLite database at {missing}.\n"
    assert not missing.exists()


def test_without_a_target_it_says_how_to_give_one(tmp_path: Path) -> None:
    result = run_tool(cwd=tmp_path)
    assert result.returncode == 2
    assert "--to postgresql://" in result.stderr
    helped = run_tool("--help", cwd=tmp_path)
    assert "Stop the bot first" in helped.stdout

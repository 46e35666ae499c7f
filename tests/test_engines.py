"""The suite's cheap new databases (testing/engines.py `migrated`) are exactly what running
every migration on a new database makes, however many tests used them before."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot import pairing
from bot.models import Person
from bot.storage.db import Database
from testing import engines
from testing.engines import _fingerprint, database, migrated, on_postgres, recycle, schema_for
from testing.probes import table_names
from testing.seeding import INVITE_KEY

NOW = 1_800_000_000


async def describe(where: str) -> dict[str, object]:
    """What a test could tell apart: structure, version, rows, and the next ids to be given."""
    db = await Database.open(where)
    try:
        async with db.read() as uow:
            conn = uow.conn
            tables = sorted(await table_names(conn))
            found: dict[str, object] = {
                table: [tuple(r) for r in await conn.fetch_all(f"SELECT * FROM {table}")]
                for table in tables
            }
            if conn.engine == "sqlite":
                found["schema"] = sorted(
                    tuple(r)
                    for r in await conn.fetch_all("SELECT type, name, sql FROM sqlite_master")
                )
                found["version"] = (await conn.fetch_all("PRAGMA user_version"))[0][0]
                found["journal"] = (await conn.fetch_all("PRAGMA journal_mode"))[0][0]
                found["next ids"] = [
                    tuple(r) for r in await conn.fetch_all("SELECT * FROM sqlite_sequence")
                ]
            else:
                found["versions"] = [
                    r[0]
                    for r in await conn.fetch_all(
                        "SELECT version FROM schema_version ORDER BY version"
                    )
                ]
                found["next ids"] = sorted(
                    tuple(r)
                    for r in await conn.fetch_all(
                        "SELECT sequencename, last_value FROM pg_sequences "
                        "WHERE schemaname = current_schema()"
                    )
                )
    finally:
        await db.close()
    if db.engine == "postgres":
        schema = where.rsplit("search_path%3D", 1)[-1]
        found["structure"] = _fingerprint(schema).split(":")[0]
    return found


async def used(where: str) -> None:
    """A test's work: a couple paired, notices queued, ids given out."""
    db = await Database.open(where)
    try:
        await db.migrate()
        code = (await pairing.create_invite(db, Person(1, "Ana"), NOW, INVITE_KEY)).code
        assert code is not None
        await pairing.join(db, Person(2, "Ben"), code, NOW, INVITE_KEY)
    finally:
        await db.close()


async def test_a_migrated_database_is_a_new_one_after_all_migrations(tmp_path: Path) -> None:
    fresh = database(tmp_path / "fresh.db")
    db = await Database.open(fresh)
    assert await db.migrate() != []
    await db.close()

    # However often databases were used and given back before.
    previous = None
    for round_ in range(3):
        path = tmp_path / f"cheap{round_}.db"
        where = migrated(path)
        if on_postgres() and previous is not None:
            assert schema_for(path) == previous  # the schema was reused, not made again
        db = await Database.open(where)
        assert await db.migrate() == []  # nothing left to do
        await db.close()
        assert await describe(where) == await describe(fresh)
        await used(where)
        assert await describe(where) != await describe(fresh)
        previous = schema_for(path)
        recycle(tmp_path)
    if not on_postgres():
        assert stat.S_IMODE(os.stat(tmp_path / "cheap0.db").st_mode) == 0o600


@pytest.mark.parametrize(
    "change",
    [
        "ALTER TABLE users ADD COLUMN extra INTEGER",
        # A trigger is reported without a schema (its function here is PostgreSQL's own).
        "CREATE TRIGGER same BEFORE UPDATE ON users FOR EACH ROW"
        " EXECUTE FUNCTION suppress_redundant_updates_trigger()",
    ],
    ids=["a column", "a trigger"],
)
@pytest.mark.parametrize("logged", [True, False], ids=["DDL log", "fingerprint"])
async def test_a_schema_a_test_changed_is_never_given_out_again(
    tmp_path: Path, change: str, logged: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By the server's DDL log, or (a server user that cannot create event triggers) by
    comparing each schema's structure with a freshly migrated one's."""
    if not on_postgres():
        return  # SQLite copies its template: nothing a test does reaches another
    if not logged:
        monkeypatch.setattr(engines, "_watch", [False])
    where = migrated(tmp_path / "changed.db")
    await used(where)
    db = await Database.open(where)
    async with db.unit() as uow:
        await uow.conn.execute(change)
    await db.close()
    changed = schema_for(tmp_path / "changed.db")
    recycle(tmp_path)
    for i in range(3):
        migrated(tmp_path / f"next{i}.db")
        assert schema_for(tmp_path / f"next{i}.db") != changed
    recycle(tmp_path)


def test_a_process_removes_its_sqlite_template_when_it_ends() -> None:
    """The template lives in /var/tmp, which outlives reboots: a test process that made one
    takes it away as it exits, or every run would leave a folder per worker behind."""
    made = subprocess.run(
        [sys.executable, "-c", "from testing import engines; print(engines._sqlite_template())"],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "STEADY_TEST_DATABASE_URL"},
    )
    template = Path(made.stdout.strip())
    assert template.name == "template.db"
    assert template.parent.name.startswith("steady-template-")
    assert not template.parent.exists()

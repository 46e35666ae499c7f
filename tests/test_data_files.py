"""On disk, the data is for the bot's own user only, and what is deleted is gone."""

from __future__ import annotations

import os
import stat
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot import checkins, pairing
from bot.backup import backup
from bot.models import Person
from bot.storage.db import Database
from testing.engines import database, sqlite_only
from testing.probes import cursor, deliver
from testing.seeding import INVITE_KEY

ANA = Person(101, "Ana")
BEN = Person(202, "Ben")
NOW = 1_800_000_000

pytestmark = sqlite_only(
    "the files and pragmas of the SQLite database; a PostgreSQL server keeps its own files"
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def lax_umask() -> Iterator[None]:
    """The usual default umask, which leaves new files readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


async def test_the_folder_and_every_database_file_are_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "steady.db"
    db = await Database.open(database(path))
    await db.migrate()
    async with db.unit() as uow:
        await uow.users.upsert(ANA, NOW)
    wal, shm = path.with_name("steady.db-wal"), path.with_name("steady.db-shm")
    assert wal.is_file() and shm.is_file()  # written to, not checkpointed yet
    assert mode(path.parent) == 0o700
    assert {file.name: mode(file) for file in (path, wal, shm)} == {
        "steady.db": 0o600,
        "steady.db-wal": 0o600,
        "steady.db-shm": 0o600,
    }
    await db.close()


async def test_files_of_an_earlier_version_are_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    db = await Database.open(database(folder / "steady.db"))
    async with db.unit() as uow:
        await uow.conn.execute("CREATE TABLE t (x INTEGER)")
    files = list(folder.iterdir())  # the database with its WAL and SHM, the bot still running
    for file in (folder, *files):
        os.chmod(file, 0o755 if file.is_dir() else 0o644)
    again = await Database.open(database(folder / "steady.db"))
    assert mode(folder) == 0o700
    assert {file.name: mode(file) for file in files} == {file.name: 0o600 for file in files}
    await again.close()
    await db.close()


async def test_a_backup_is_private(db: Database, tmp_path: Path) -> None:
    copy = backup(tmp_path / "steady.db", tmp_path / "backups" / "copy.db")
    assert mode(copy) == 0o600
    assert mode(copy.parent) == 0o700


@pytest.fixture
def secure_delete_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections start as on an SQLite built without SECURE_DELETE (python.org's builds, for
    one; Debian's turns it on), so the tests show what Database.open does itself."""
    real = aiosqlite.connect

    def connect(*args: Any, **kwargs: Any) -> Awaitable[aiosqlite.Connection]:
        async def opened() -> aiosqlite.Connection:
            conn = await real(*args, **kwargs)
            await conn.execute("PRAGMA secure_delete=OFF")
            return conn

        return opened()

    monkeypatch.setattr(aiosqlite, "connect", connect)


@pytest.mark.usefixtures("secure_delete_off_by_default")
async def test_secure_delete_is_on(tmp_path: Path) -> None:
    db = await Database.open(database(tmp_path / "steady.db"))
    async with db.read() as uow, cursor(uow.conn, "PRAGMA secure_delete") as cur:
        assert (await cur.fetchone())[0] == 1
    await db.close()


@pytest.mark.usefixtures("secure_delete_off_by_default")
async def test_a_deleted_answer_is_gone_from_the_files(tmp_path: Path) -> None:
    path = tmp_path / "steady.db"
    db = await Database.open(database(path))
    await db.migrate()
    code = (await pairing.create_invite(db, ANA, NOW, INVITE_KEY)).code
    await pairing.join(db, BEN, code, NOW, INVITE_KEY)
    await checkins.start_round(db, ANA.id, NOW)
    await deliver(db, NOW)  # an answer goes to a round whose prompt arrived
    draft = "a first draft about the Lanternfish evening, " * 3
    final = "what I really meant about the Quillwort weekend, " * 3

    def on_disk(text: str) -> bool:
        needle = text[20:60].encode()  # deletion may reuse a cell's first bytes
        return any(needle in file.read_bytes() for file in tmp_path.iterdir() if file.is_file())

    async def checkpoint() -> None:
        async with db.read() as uow:
            await uow.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    await checkins.answer(db, ANA, draft, 1, NOW)
    await checkpoint()
    assert on_disk(draft)  # the search finds what is there
    await checkins.answer(db, ANA, final, 2, NOW)  # replaces the draft
    await checkpoint()
    assert on_disk(final) and not on_disk(draft)
    couple = await pairing.current_couple(db, ANA.id)
    assert couple is not None
    await pairing.unpair(db, ANA.id, couple.id, NOW)  # deletes the unrevealed answer
    await checkpoint()
    assert not on_disk(final)
    await db.close()

"""Safe upgrades on SQLite: a database that holds data is backed up before a new migration is
applied to it; a new, empty database is not, and neither is one already up to date."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from bot.storage.db import MIGRATIONS_DIR, Database, migrations
from testing.engines import database, sqlite_only

pytestmark = sqlite_only("the backup before an upgrade is SQLite's; PostgreSQL's is pg_dump")


def older_release(folder: Path, upto: int) -> Path:
    """The migrations a release that stopped at `upto` shipped."""
    folder.mkdir()
    for version, path in migrations(MIGRATIONS_DIR, "sqlite"):
        if version <= upto:
            (folder / path.name).write_text(path.read_text(encoding="utf-8"))
    return folder


def backups(path: Path) -> list[Path]:
    folder = path.parent / "backups"
    return sorted(folder.iterdir()) if folder.is_dir() else []


async def test_a_new_database_is_not_backed_up(tmp_path: Path) -> None:
    path = tmp_path / "steady.db"
    db = await Database.open(database(path))
    try:
        assert await db.migrate()
    finally:
        await db.close()
    assert backups(path) == []


async def test_an_upgrade_backs_up_the_database_as_it_was_first(tmp_path: Path) -> None:
    path = tmp_path / "steady.db"
    latest = max(v for v, _ in migrations(MIGRATIONS_DIR, "sqlite"))
    old = older_release(tmp_path / "old", latest - 1)
    db = await Database.open(database(path))
    try:
        await db.migrate(old)
        async with db.unit() as uow:
            await uow.conn.execute(
                "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (?, ?, 0, 0)",
                (42, "Ana"),
            )
        assert backups(path) == []

        assert await db.migrate() == [latest]  # the new release starts
        (copy,) = backups(path)
        assert await db.migrate() == []  # and starts again: nothing pending, no second copy
        assert backups(path) == [copy]
    finally:
        await db.close()
    assert f"before-v{latest:04d}" in copy.name
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600  # it holds every answer
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest - 1
        assert conn.execute("SELECT first_name FROM users WHERE id = 42").fetchone()
    # The backup is the way back: it opens and upgrades like the original.
    restored = await Database.open(database(copy))
    try:
        assert await restored.migrate() == [latest]
    finally:
        await restored.close()


async def test_no_upgrade_without_its_backup(tmp_path: Path) -> None:
    path = tmp_path / "steady.db"
    latest = max(v for v, _ in migrations(MIGRATIONS_DIR, "sqlite"))
    db = await Database.open(database(path))
    try:
        await db.migrate(older_release(tmp_path / "old", latest - 1))
        (tmp_path / "backups").write_text("a file where the backups folder should be")
        with pytest.raises(RuntimeError, match="nothing was changed"):
            await db.migrate()
        assert await db.version() == latest - 1
    finally:
        await db.close()

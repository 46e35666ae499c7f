"""The database: an engine (SQLite or PostgreSQL), units of work on it, and migrations."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from bot.backup import backup
from bot.crypto import Cipher
from bot.storage.outbox import Lease
from bot.storage.sqlite import SqliteEngine, make_private
from bot.storage.unit import Unit

log = logging.getLogger(__name__)
T = TypeVar("T")

# Package data (bot/migrations/), found wherever the package is installed.
MIGRATIONS_DIR: Traversable = files("bot") / "migrations"
_MIGRATION_RE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")

__all__ = [
    "MIGRATIONS_DIR",
    "Database",
    "DatabaseUnavailable",
    "HeldLock",
    "in_batches",
    "in_one_trip",
    "make_private",
]


class DatabaseUnavailable(Exception):
    """The database server cannot be reached (yet): worth trying again. The message is the
    error's class only: a driver's message may quote the connection string."""


class HeldLock(Protocol):
    """A lock held for as long as this process's session lives (see Database.try_lock)."""

    async def alive(self) -> bool: ...
    async def release(self) -> None: ...


class _OnlyWorker:
    """SQLite: one worker has the file, so it holds every lock there is."""

    async def alive(self) -> bool:
        return True

    async def release(self) -> None:
        """Nothing to give back."""


class Engine(Protocol):
    name: str
    path: Path | None

    def transaction(self) -> Any: ...
    def read(self) -> Any: ...
    async def migrate(self, steps: list[tuple[int, str, str]]) -> list[int]: ...
    async def version(self) -> int: ...
    async def close(self) -> None: ...
    async def forget(self) -> None: ...


class Database:
    """What services and the scheduler hold: units of work on one engine.

    `after_commit` hooks see every committed unit: delivery listens there for the outbox rows
    a unit queued or claimed, so no caller carries them along."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.after_commit: list[Callable[[Unit], None]] = []
        # What people wrote is sealed with this (bot.app sets the server key's cipher); plain
        # only for tools and tests that open a database without the key.
        self.cipher = Cipher.plain()
        # This worker's claims on outbox rows (bot.storage.outbox.Lease): a new token each
        # start; delivery renews the lease and says whether this worker is the sender.
        self.lease = Lease()

    @classmethod
    async def open(cls, where: Path | str) -> Database:
        """`postgresql://…` opens a PostgreSQL pool; anything else is a SQLite file path
        (or a `sqlite:///path` URL, or `:memory:`)."""
        text = str(where)
        if text.startswith(POSTGRES_SCHEMES):
            from bot.storage.postgres import PostgresEngine  # the driver only when asked for

            try:
                return cls(await PostgresEngine.open(text))
            except PostgresEngine.UNREACHABLE as exc:
                raise DatabaseUnavailable(type(exc).__name__) from None
        return cls(await SqliteEngine.open(Path(text.removeprefix("sqlite:///"))))

    @property
    def engine(self) -> str:
        return self._engine.name

    @property
    def path(self) -> Path | None:
        """The SQLite file, if this is one."""
        return self._engine.path

    async def close(self) -> None:
        await self._engine.close()

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Unit]:
        """One write transaction: committed on success, rolled back on any exception."""
        async with self._engine.transaction() as conn:
            uow = Unit(conn, self.cipher, self.lease)
            yield uow
        # Only now, committed: a unit that raised handed nothing to anyone. A hook's failure
        # must not turn a committed use case into an error (the delivery loop's poll still
        # finds what was queued).
        for hook in list(self.after_commit):
            try:
                hook(uow)
            except Exception:
                log.exception("an after-commit hook failed; the delivery loop will catch up")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Unit]:
        """A consistent read outside any other unit's open transaction."""
        async with self._engine.read() as conn:
            yield Unit(conn, self.cipher, self.lease)

    async def try_lock(self, name: str) -> HeldLock | None:
        """A lock among every worker on this database, held until released or until this
        process's connection ends (it died): None when another worker holds it."""
        try_lock = getattr(self._engine, "try_session_lock", None)
        if try_lock is None:
            return _OnlyWorker()
        return await try_lock(name)

    async def forget(self) -> None:
        """After an erasure: leave no copy of deleted rows in the engine's own files."""
        await self._engine.forget()

    async def version(self) -> int:
        """The last migration applied (0 for a new database)."""
        return await self._engine.version()

    async def migrate(self, directory: Traversable = MIGRATIONS_DIR) -> list[int]:
        """Apply pending migrations in order, one transaction each; return the versions applied.

        A SQLite database that holds data is backed up first (backups/ beside it) whenever a
        migration is pending: an upgrade that goes wrong can be undone. A new, empty one is not."""
        # Only the steps past the version read here (a version only grows): the usual start,
        # and every test database, has none, so it takes no write lock at all (SQLite's would
        # be taken once per migration, waiting for any writer). The engine checks each step's
        # version again under its lock, for a second process starting at the same time.
        current = await self.version()
        steps = [
            (version, path.name, path.read_text(encoding="utf-8"))
            for version, path in migrations(directory, self.engine)
            if version > current
        ]
        if not steps:
            return []
        if current > 0 and self.path is not None:
            await self._backup_before_upgrade(self.path, current, steps[-1][0])
        return await self._engine.migrate(steps)

    @staticmethod
    async def _backup_before_upgrade(path: Path, current: int, target: int) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        dest = (
            path.parent / "backups" / f"{path.stem}-v{current:04d}-before-v{target:04d}-{stamp}.db"
        )
        try:
            await asyncio.to_thread(backup, path, dest)
        except Exception as exc:
            # Never upgrade without the way back: the operator frees space or fixes the folder.
            raise RuntimeError(
                f"could not back up the database before upgrading it ({type(exc).__name__}: "
                f"{exc}); nothing was changed"
            ) from exc
        log.info("backed up the database before upgrading it to version %d: %s", target, dest)


def migrations(directory: Traversable, engine: str) -> list[tuple[int, Traversable]]:
    """Numbered SQL files; one in `directory/<engine>/` replaces the shared file of its number
    for that engine (SQL that is not portable at no cost)."""
    found: dict[int, Traversable] = {}
    for folder in (directory, directory / engine):
        if not folder.is_dir():
            continue
        here: dict[int, Path] = {}
        for path in sorted(folder.iterdir()):
            match = _MIGRATION_RE.match(path.name)
            if match:
                version = int(match.group(1))
                if version in here:  # two branches merged with the same number
                    raise RuntimeError(
                        f"two migrations numbered {version:04d}: {here[version].name}, {path.name}"
                    )
                here[version] = path
        found.update(here)
    versions = sorted(found)
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 0001, 0002, … without gaps: {versions}")
    return [(v, found[v]) for v in versions]


async def in_batches(
    db: Database,
    size: int,
    fetch: Callable[[Unit, int], Awaitable[list[T]]],
    act: Callable[[Unit, T], Awaitable[int]],
) -> int:
    """Due work, a batch of `size` rows per transaction, until a batch comes back short.

    Short transactions let updates and delivery take turns with a large backlog. Returns the
    sum of what `act` counted for each row.
    """
    total = 0
    while True:
        async with db.unit() as uow:
            due = await fetch(uow, size)
            for row in due:
                total += await act(uow, row)
        if len(due) < size:
            return total


async def in_one_trip(*calls: Awaitable[Any]) -> list[Any]:
    """Run several storage calls of one unit back to back; wait for them together.

    Each call must be a storage method that awaits nothing before its one statement: asyncio
    starts them in the order given, and the engine runs them in that order (SQLite's thread,
    psycopg's connection lock), so the caller waits once instead of once per statement. The
    first failure is raised after all have run, and the unit rolls all back.
    """
    results = await asyncio.gather(*calls, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results

"""What the storage layer needs of a database engine: one connection's statements and rows.

Storage functions write SQL once, with `?` placeholders, in the dialect both engines share; each
engine turns it into what its driver takes. Rows are read by column name.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import fields
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class StorageError(Exception):
    """A statement the database refused, named by its error class only.

    PostgreSQL's messages quote values (a failing row's every column, an input it could not
    read): an answer would reach the log through the traceback. This keeps the kind of error
    and its SQLSTATE, never the driver's words."""


class Row(Protocol):
    """A result row: read a column by its name (or, for one-column reads, by position)."""

    def __getitem__(self, key: str | int, /) -> Any: ...

    def keys(self) -> Sequence[str]: ...


def identifiers(*names: str) -> None:
    """Names written into SQL text (tables, indexes, aliases) must be plain identifiers."""
    if not names or not all(name.isidentifier() for name in names):
        raise ValueError("not a plain SQL identifier")


class Conn(ABC):
    """One connection inside a transaction (or a read). The engine owns the driver."""

    engine: str  # "sqlite" | "postgres"

    @abstractmethod
    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return how many rows it changed."""

    @abstractmethod
    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each parameter row, in one trip where the driver can."""

    @abstractmethod
    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of one statement (a SELECT, or a write with RETURNING)."""

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    @asynccontextmanager
    async def in_index_order(self, table: str, index: str) -> AsyncIterator[str]:
        """Around a read with ORDER BY and LIMIT that `index` of `table` serves: it walks that
        index and stops at the limit, whatever else the planner could take. Gives what the
        read names the table by in FROM. SQLite: `INDEXED BY` (with no statistics its planner
        prefers an index with an equality, here outbox_done on status, then reads every
        pending row and sorts them: 0.5 s a delivery pass, the write lock held, at 100,000
        pending). PostgreSQL: see PgConn."""
        identifiers(table, index)
        yield f"{table} INDEXED BY {index}"

    def for_update(self, *of: str, skip_locked: bool = False, no_key: bool = False) -> str:
        """The clause that holds the rows a SELECT read of table aliases `of` until the
        transaction ends, where other writers can run meanwhile (PostgreSQL). SQLite's write
        transaction already holds the whole database, so there it is empty.

        `skip_locked`: rows another unit holds are left out rather than waited for (due work:
        the tick never waits behind a person, and two ticks take different rows).
        `no_key`: others may still write rows that refer to these (a foreign key check takes
        only a key-share lock), so a unit holding another lock that writes such a row (the
        tick, holding a couple, adds its people to a round) is never a deadlock with this.
        The names are checked here too, so a wrong one fails on SQLite as it would on
        PostgreSQL."""
        identifiers(*of)
        return ""

    @abstractmethod
    async def lock(self, table: str, row_id: int) -> bool:
        """Hold `table`'s row until the transaction ends; False when there is no such row.

        A rule that reads, decides and writes needs it where other writers can run meanwhile
        (PostgreSQL); SQLite's write transaction already holds the whole database."""


def from_row(cls: type[T], row: Row | Mapping[str, Any], **overrides: Any) -> T:
    """A dataclass built from a row by column name (never by position), with `overrides` for
    fields the row spells differently or needs converted."""
    values = {}
    for field in fields(cls):  # type: ignore[arg-type]
        name = field.name
        values[name] = overrides[name] if name in overrides else row[name]
    return cls(**values)

"""Statements over many rows at once: multi-row VALUES and IN lists, cut into chunks.

Both engines take a multi-row `VALUES (…), (…)` and an `IN (…)` list; a chunk stays well under
SQLite's 32,766 and PostgreSQL's 65,535 parameters, and one statement replaces a trip per row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from bot.storage.engine import Conn, Row

MAX_PARAMS = 8000


def chunks(rows: Sequence[Sequence[Any]], width: int) -> Iterator[Sequence[Sequence[Any]]]:
    size = max(1, MAX_PARAMS // max(1, width))
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def values(rows: Sequence[Sequence[Any]], row_sql: str) -> tuple[str, list[Any]]:
    """`(…), (…)` for these rows, each written as `row_sql`, and their flat parameters."""
    params = [value for row in rows for value in row]
    return ", ".join([row_sql] * len(rows)), params


async def insert(
    conn: Conn, head: str, rows: Sequence[Sequence[Any]], tail: str = "", row_sql: str = ""
) -> list[Row]:
    """`head VALUES (…), (…) tail` in chunks; the rows of any RETURNING in `tail`."""
    if not rows:
        return []
    width = len(rows[0])
    row_sql = row_sql or "(" + ", ".join(["?"] * width) + ")"
    found: list[Row] = []
    for chunk in chunks(rows, width):
        sql, params = values(chunk, row_sql)
        if "RETURNING" in tail:
            found.extend(await conn.fetch_all(f"{head} VALUES {sql} {tail}", params))
        else:
            await conn.execute(f"{head} VALUES {sql} {tail}", params)
    return found


def marks(count: int) -> str:
    return ", ".join(["?"] * count)


async def where_in(
    conn: Conn, sql: str, ids: Sequence[Any], before: Sequence[Any] = (), *, fetch: bool = False
) -> list[Row]:
    """`sql` with `{ids}` replaced by a list of placeholders, run for `ids` in chunks;
    `before`: parameters that come ahead of the list."""
    found: list[Row] = []
    for start in range(0, len(ids), MAX_PARAMS):
        chunk = list(ids[start : start + MAX_PARAMS])
        text = sql.replace("{ids}", marks(len(chunk)))
        if fetch:
            found.extend(await conn.fetch_all(text, [*before, *chunk]))
        else:
            await conn.execute(text, [*before, *chunk])
    return found

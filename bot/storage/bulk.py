"""Statements over many rows at once, for due work: one statement instead of a trip per row.

A statement names its rows `{rows}`, a relation `v` with columns column1, column2, …: on SQLite
a multi-row `(VALUES …)`, cut into chunks under its 32,766 parameters; on PostgreSQL
`unnest` of one array per column, so a statement takes a handful of parameters however many
rows it has (tens of thousands of single parameters cost psycopg more than the server).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.storage.engine import Conn, Row

SQLITE_MAX_PARAMS = 8000
PG_MAX_ROWS = 20_000


async def run(
    conn: Conn,
    sql: str,
    rows: Sequence[Sequence[Any]],
    types: Sequence[str],
    *,
    fetch: bool = False,
) -> list[Row]:
    """`sql` for all `rows`, whose columns have these PostgreSQL `types`; with `fetch`, the
    rows its RETURNING gives. An INSERT reads `SELECT * FROM {rows} WHERE true` (SQLite needs
    the WHERE before an ON CONFLICT)."""
    found: list[Row] = []
    if not rows:
        return found
    width = len(types)
    if conn.engine == "postgres":
        names = ", ".join(f"column{i + 1}" for i in range(width))
        source = f"unnest({', '.join(f'?::{t}[]' for t in types)}) AS v({names})"
        text = sql.replace("{rows}", source)
        for start in range(0, len(rows), PG_MAX_ROWS):
            chunk = rows[start : start + PG_MAX_ROWS]
            params = [list(column) for column in zip(*chunk, strict=True)]
            found.extend(await _run(conn, text, params, fetch))
        return found
    row_sql = "(" + ", ".join(["?"] * width) + ")"
    size = max(1, SQLITE_MAX_PARAMS // width)
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        text = sql.replace("{rows}", f"(VALUES {', '.join([row_sql] * len(chunk))}) AS v")
        found.extend(await _run(conn, text, [value for row in chunk for value in row], fetch))
    return found


async def _run(conn: Conn, sql: str, params: list[Any], fetch: bool) -> list[Row]:
    if fetch:
        return await conn.fetch_all(sql, params)
    await conn.execute(sql, params)
    return []


async def where_in(
    conn: Conn,
    sql: str,
    ids: Sequence[Any],
    before: Sequence[Any] = (),
    *,
    fetch: bool = False,
    type: str = "bigint",
) -> list[Row]:
    """`sql` with `IN ({ids})` standing for the list `ids` (after the parameters `before`): an
    `IN (?, ?, …)` list in chunks on SQLite, one array of `type` (`= ANY`) on PostgreSQL."""
    found: list[Row] = []
    if not ids:
        return found
    if conn.engine == "postgres":
        text = sql.replace("IN ({ids})", f"= ANY(?::{type}[])")
        for start in range(0, len(ids), PG_MAX_ROWS):
            chunk = list(ids[start : start + PG_MAX_ROWS])
            found.extend(await _run(conn, text, [*before, chunk], fetch))
        return found
    for start in range(0, len(ids), SQLITE_MAX_PARAMS):
        chunk = list(ids[start : start + SQLITE_MAX_PARAMS])
        text = sql.replace("{ids}", ", ".join(["?"] * len(chunk)))
        found.extend(await _run(conn, text, [*before, *chunk], fetch))
    return found

"""Statements over many rows at once, for due work: one statement instead of a trip per row.

A statement names its rows `{rows}`, a relation `v` with columns column1, column2, …: on SQLite
a multi-row `(VALUES …)`, cut into chunks under its 32,766 parameters; on PostgreSQL
`unnest` of one array per column, so a statement takes a handful of parameters however many
rows it has (tens of thousands of single parameters cost psycopg more than the server).

A list of ids reaches PostgreSQL as `IN (SELECT unnest(array))`, not `= ANY(array)`: for
`= ANY` of a thousand ids the planner expects a sizeable share of a big table and hashes all of
it (a batch of due work read each of users, rounds and couple_prompts whole, so every batch
cost more as the database grew); the sub-select is planned as a few hundred keys, walked
through the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import NoneType
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
    the WHERE before an ON CONFLICT).

    `IN ({keys})`, after `{rows}` in the text, stands for the rows' first column as a list: an
    UPDATE … FROM {rows} that also names its keys so is walked through the table's index on
    PostgreSQL, where a join on a thousand rows alone makes it hash the whole table."""
    found: list[Row] = []
    if not rows:
        return found
    width = len(types)
    keys = "IN ({keys})" in sql
    if conn.engine == "postgres":
        names = ", ".join(f"column{i + 1}" for i in range(width))
        source = f"unnest({', '.join(f'?::{t}[]' for t in types)}) AS v({names})"
        text = sql.replace("{rows}", source).replace(
            "IN ({keys})", f"IN (SELECT unnest(?::{types[0]}[]))"
        )
        for start in range(0, len(rows), PG_MAX_ROWS):
            chunk = rows[start : start + PG_MAX_ROWS]
            params = [_array(column) for column in zip(*chunk, strict=True)]
            found.extend(await _run(conn, text, params + params[:1] if keys else params, fetch))
        return found
    row_sql = "(" + ", ".join(["?"] * width) + ")"
    size = max(1, SQLITE_MAX_PARAMS // (width + keys))
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        text = sql.replace("{rows}", f"(VALUES {', '.join([row_sql] * len(chunk))}) AS v")
        params = [value for row in chunk for value in row]
        if keys:
            text = text.replace("{keys}", ", ".join(["?"] * len(chunk)))
            params += [row[0] for row in chunk]
        found.extend(await _run(conn, text, params, fetch))
    return found


def _array(values: Sequence[Any]) -> list[Any] | str:
    """A column as one PostgreSQL array parameter. Whole numbers go as the array's text,
    `{1,2,NULL}` (cast by the statement's `?::bigint[]`): psycopg dumps a list element by
    element in Python, with a regular expression each, which cost due work more than the
    server's work on some statements. Anything else goes as a list, quoted by psycopg."""
    kinds = set(map(type, values))
    if kinds == {int}:
        return "{" + ",".join(map(str, values)) + "}"
    if kinds == {int, NoneType}:
        return "{" + ",".join(["NULL" if value is None else str(value) for value in values]) + "}"
    return list(values)


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
    `IN (?, ?, …)` list in chunks on SQLite, one array of `type` on PostgreSQL."""
    found: list[Row] = []
    if not ids:
        return found
    if conn.engine == "postgres":
        text = sql.replace("IN ({ids})", f"IN (SELECT unnest(?::{type}[]))")
        for start in range(0, len(ids), PG_MAX_ROWS):
            chunk = _array(ids[start : start + PG_MAX_ROWS])
            found.extend(await _run(conn, text, [*before, chunk], fetch))
        return found
    for start in range(0, len(ids), SQLITE_MAX_PARAMS):
        chunk = list(ids[start : start + SQLITE_MAX_PARAMS])
        text = sql.replace("{ids}", ", ".join(["?"] * len(chunk)))
        found.extend(await _run(conn, text, [*before, *chunk], fetch))
    return found

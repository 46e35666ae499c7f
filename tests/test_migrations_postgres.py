"""The PostgreSQL migrations build the same schema as the SQLite ones: a file in
migrations/postgres/ replaces the top-level file of the same name on PostgreSQL, so the two can
drift apart unnoticed. Runs when STEADY_TEST_DATABASE_URL points at a server (`make test` starts
one with testing.pgserver)."""

from __future__ import annotations

import os
import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

MIGRATIONS = Path(__file__).resolve().parents[1] / "bot" / "migrations"
POSTGRES = MIGRATIONS / "postgres"
URL = os.environ.get("STEADY_TEST_DATABASE_URL")


# What a SQLite column type becomes: every INTEGER is BIGINT (Telegram ids exceed 32 bits).
TYPES = {"INTEGER": "bigint", "TEXT": "text"}

Schema = dict[str, object]


def top_level() -> list[Path]:
    return sorted(p for p in MIGRATIONS.glob("*.sql") if re.match(r"\d{4}_", p.name))


def for_postgres() -> list[Path]:
    return [POSTGRES / p.name if (POSTGRES / p.name).exists() else p for p in top_level()]


def _default(value: str | None) -> str | None:
    # PostgreSQL shows 'en'::text where SQLite keeps 'en'.
    return None if value is None else re.sub(r"::[a-z ]+$", "", value)


def sqlite_schema(path: Path) -> Schema:
    conn = sqlite3.connect(path)
    for migration in top_level():
        conn.executescript(migration.read_text())
    # SQLite's own tables (sqlite_sequence, kept for an AUTOINCREMENT key) are not the schema.
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite^_%' "
            "ESCAPE '^'"
        )
    ]
    columns, primary, unique, indexes, foreign = {}, {}, set(), {}, set()
    for table in tables:
        info = conn.execute(f"PRAGMA table_info({table})").fetchall()
        # A key column holds no NULL: an INTEGER PRIMARY KEY is the rowid, and every other key
        # column here says NOT NULL itself (PostgreSQL implies it).
        columns[table] = {
            name: (TYPES[kind], bool(notnull or pk), _default(dflt))
            for _, name, kind, notnull, dflt, pk in info
        }
        if key := tuple(row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]):
            primary[table] = key
        for _, name, is_unique, origin, partial in conn.execute(f"PRAGMA index_list({table})"):
            cols = tuple(r[2] for r in conn.execute(f"PRAGMA index_info({name})"))
            if origin == "c":  # CREATE INDEX; the others back PRIMARY KEY and UNIQUE
                indexes[name] = (table, cols, bool(is_unique), bool(partial))
            elif origin == "u":
                unique.add((table, cols))
        for _, _, parent, column, parent_column, _, on_delete, _ in conn.execute(
            f"PRAGMA foreign_key_list({table})"
        ):
            foreign.add((table, column, parent, parent_column, on_delete))
    conn.close()
    return {"columns": columns, "primary": primary, "unique": unique, "indexes": indexes,
            "foreign": foreign}  # fmt: skip


# Column names of a constraint's or an index's key, in key order.
_KEY = """ARRAY(SELECT a.attname FROM unnest({key}::int2[]) WITH ORDINALITY k(num, ord)
               JOIN pg_attribute a ON a.attrelid = {rel} AND a.attnum = k.num
               ORDER BY k.ord)::text[]"""
_ON_DELETE = {
    "a": "NO ACTION",
    "c": "CASCADE",
    "r": "RESTRICT",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}


def postgres_schema(conn: psycopg.Connection, schema: str) -> Schema:
    columns: dict[str, dict[str, tuple[str, bool, str | None]]] = {}
    for table, name, kind, nullable, default in conn.execute(
        "SELECT table_name, column_name, data_type, is_nullable, column_default"
        " FROM information_schema.columns WHERE table_schema = %s",
        [schema],
    ):
        columns.setdefault(table, {})[name] = (kind, nullable == "NO", _default(default))
    primary, unique, foreign = {}, set(), set()
    for table, kind, cols, parent, parent_cols, on_delete in conn.execute(
        f"""SELECT c.conrelid::regclass::text, c.contype, {
            _KEY.format(key="c.conkey", rel="c.conrelid")
        }, c.confrelid::regclass::text,
                   {_KEY.format(key="c.confkey", rel="c.confrelid")}, c.confdeltype
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE n.nspname = %s""",
        [schema],
    ):
        if kind == "p":
            primary[table] = tuple(cols)
        elif kind == "u":
            unique.add((table, tuple(cols)))
        elif kind == "f":
            (column,), (parent_column,) = cols, parent_cols
            foreign.add((table, column, parent, parent_column, _ON_DELETE[on_delete]))
    indexes = {
        name: (table, tuple(cols), is_unique, partial)
        for name, table, cols, is_unique, partial in conn.execute(
            f"""SELECT ic.relname, t.relname, {_KEY.format(key="i.indkey", rel="i.indrelid")},
                       i.indisunique, i.indpred IS NOT NULL
                FROM pg_index i
                JOIN pg_class ic ON ic.oid = i.indexrelid
                JOIN pg_class t ON t.oid = i.indrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = %s AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c
                    WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))""",
            [schema],
        )
    }
    return {"columns": columns, "primary": primary, "unique": unique, "indexes": indexes,
            "foreign": foreign}  # fmt: skip


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Schema, Schema]]:
    if not URL:
        pytest.skip("STEADY_TEST_DATABASE_URL is not set (make test sets it)")
    expected = sqlite_schema(tmp_path_factory.mktemp("sqlite") / "steady.db")
    schema = f"migrations_{uuid.uuid4().hex[:12]}"  # parallel workers share the database
    with psycopg.connect(URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        try:
            conn.execute(f"SET search_path TO {schema}")
            for migration in for_postgres():
                with conn.transaction():
                    conn.execute(migration.read_text())  # no parameters: several statements
            yield expected, postgres_schema(conn, schema)
        finally:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_every_postgres_file_overrides_a_top_level_migration_of_the_same_name() -> None:
    assert {p.name for p in POSTGRES.glob("*.sql")} <= {p.name for p in top_level()}


def test_same_tables_and_columns(schemas: tuple[Schema, Schema]) -> None:
    sqlite, postgres = schemas
    assert sorted(postgres["columns"]) == sorted(sqlite["columns"])
    for table, expected in sqlite["columns"].items():
        found = postgres["columns"][table]
        missing, extra = set(expected) - set(found), set(found) - set(expected)
        assert (missing, extra) == (set(), set()), f"{table}: (missing, extra) on PostgreSQL"


def test_same_types_not_nulls_and_defaults(schemas: tuple[Schema, Schema]) -> None:
    sqlite, postgres = schemas
    differ = {
        f"{table}.{column}": (expected, postgres["columns"].get(table, {}).get(column))
        for table, columns in sqlite["columns"].items()
        for column, expected in columns.items()
        if postgres["columns"].get(table, {}).get(column) != expected
    }
    assert differ == {}, "column: ((type, not null, default) on SQLite, on PostgreSQL)"


def test_same_keys_and_foreign_keys(schemas: tuple[Schema, Schema]) -> None:
    sqlite, postgres = schemas
    for part in ("primary", "unique", "foreign"):
        assert postgres[part] == sqlite[part], part


def test_same_indexes(schemas: tuple[Schema, Schema]) -> None:
    sqlite, postgres = schemas
    assert sorted(postgres["indexes"]) == sorted(sqlite["indexes"])
    assert postgres["indexes"] == sqlite["indexes"]

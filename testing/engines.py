"""Which engine the suite runs on, and a fresh database of it for each test.

`make test` runs the suite twice: on SQLite, then with STEADY_TEST_DATABASE_URL pointing at a
throwaway PostgreSQL server (testing/pgserver.py). A test names its database by a file path as
before; on PostgreSQL that path picks a schema of its own, so opening the same path again (a
restart) finds the same data, and no two tests share one.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import quote

POSTGRES_URL = os.environ.get("STEADY_TEST_DATABASE_URL", "").strip()
ENGINE = "postgres" if POSTGRES_URL else "sqlite"


def on_postgres() -> bool:
    return ENGINE == "postgres"


def schema_for(path: Path | str) -> str:
    return "t_" + hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:20]


def database(path: Path | str) -> str:
    """What Database.open takes for the test database named `path`: the path itself on SQLite;
    on PostgreSQL, the server's URL with a schema of this path's own (created if new)."""
    if not on_postgres():
        return str(path)
    schema = schema_for(path)
    if schema not in _created:
        _admin().execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        _created.add(schema)
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"


_created: set[str] = set()
_connection: list = []


def _admin():
    """One connection per test process for creating schemas (a connection costs ~10 ms)."""
    import psycopg

    if not _connection or _connection[0].closed:
        _connection[:] = [psycopg.connect(POSTGRES_URL, autocommit=True)]
    return _connection[0]


def database_url(path: Path | str) -> str:
    """The DATABASE_URL a bot process is started with for the test database `path`."""
    return database(path) if on_postgres() else f"sqlite:///{path}"


def sqlite_only(reason: str):
    """Skip on PostgreSQL: the test is about SQLite's own files or pragmas."""
    import pytest

    return pytest.mark.skipif(on_postgres(), reason=f"SQLite only: {reason}")

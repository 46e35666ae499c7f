"""Which engine the suite runs on, and a fresh database of it for each test.

`make test` runs the suite twice: on SQLite, then with STEADY_TEST_DATABASE_URL pointing at a
throwaway PostgreSQL server (testing/pgserver.py). A test names its database by a file path as
before; on PostgreSQL that path picks a schema of its own, so opening the same path again (a
restart) finds the same data, and no two tests share one.

Most tests want a database as `Database.migrate` leaves a new one, and the suite makes well
over a thousand (every handler test, every hypothesis example): running every migration for
each was a large part of its time, most of all on PostgreSQL. `migrated(path)` gives the same
for far less: SQLite copies a file this process migrated once; PostgreSQL takes a schema an
earlier test of this process left, emptied (`recycle`), and checks it still has exactly the
migrated structure first. `database(path)` stays what a test of migrating itself needs: an empty
database.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

POSTGRES_URL = os.environ.get("STEADY_TEST_DATABASE_URL", "").strip()
ENGINE = "postgres" if POSTGRES_URL else "sqlite"


def on_postgres() -> bool:
    return ENGINE == "postgres"


def _key(path: Path | str) -> str:
    return str(Path(path).resolve())


def schema_for(path: Path | str) -> str:
    """The PostgreSQL schema of the test database named `path`."""
    return _assigned.get(_key(path)) or "t_" + hashlib.sha1(_key(path).encode()).hexdigest()[:20]


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


def migrated(path: Path | str) -> str:
    """`database(path)`, holding the latest schema already if it is new (see the module's
    docstring). Opening it and calling `migrate()` as before finds nothing to do."""
    if not on_postgres():
        target = Path(path)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(_sqlite_template(), target)
            os.chmod(target, 0o600)  # as the bot makes its own (bot.storage.sqlite)
        return str(target)
    key = _key(path)
    if key not in _assigned and schema_for(path) not in _created:
        if _free:
            _assigned[key] = _free.pop()
            _created.add(_assigned[key])  # it exists: no CREATE SCHEMA for it (~1 ms each)
        else:  # none to reuse yet: this path's own, migrated now
            # Made anew: an earlier run's schema of the same path (pytest reuses its temporary
            # folders' names) may hold what that run's tests did to it.
            _admin().execute(f"DROP SCHEMA IF EXISTS {schema_for(path)} CASCADE")
            _run(_migrate(database(path)))
            if _watching():  # what migrations make: its DDL is no change by a test
                _forget_changes(schema_for(path))
            elif not _reference_print:  # untouched by any test: what migrations make
                _reference_print.append(_fingerprint(schema_for(path)))
    _handed.add(key)
    return database(path)


def recycle(under: Path | str | None = None) -> None:
    """Empty the PostgreSQL schemas `migrated` handed out (those of paths under `under`, or all)
    for later tests; one whose structure a test changed is left as it is. Call once nothing
    has them open: at the end of a test or of a hypothesis example."""
    if not on_postgres():
        return
    prefix = None if under is None else _key(under) + os.sep
    for key in [k for k in _handed if prefix is None or k.startswith(prefix)]:
        _handed.discard(key)
        schema = _assigned.pop(key, None) or schema_for(key)
        if schema in _created and _empty(schema):
            _free.append(schema)
            _created.discard(schema)


def database_url(path: Path | str) -> str:
    """The DATABASE_URL a bot process is started with for the test database `path`."""
    return database(path) if on_postgres() else f"sqlite:///{path}"


def sqlite_only(reason: str):
    """Skip on PostgreSQL: the test is about SQLite's own files or pragmas."""
    import pytest

    return pytest.mark.skipif(on_postgres(), reason=f"SQLite only: {reason}")


@contextmanager
def scratch() -> Iterator[Path]:
    """A temporary folder for one hypothesis example's databases (`migrated` paths in it),
    recycled and removed at its end."""
    with tempfile.TemporaryDirectory(dir="/var/tmp") as folder:
        try:
            yield Path(folder)
        finally:
            recycle(folder)


_created: set[str] = set()  # schemas this process created or took, in use
_assigned: dict[str, str] = {}  # path -> a recycled schema it took
_handed: set[str] = set()  # paths `migrated` gave out, not yet recycled
_free: list[str] = []  # emptied schemas with the migrated structure
_connection: list = []
_template: list[str] = []  # the SQLite template file
_reference_print: list[str] = []  # the structure of a freshly migrated PostgreSQL schema


def _admin():
    """One connection per test process for creating schemas (a connection costs ~10 ms)."""
    import psycopg

    if not _connection or _connection[0].closed:
        _connection[:] = [psycopg.connect(POSTGRES_URL, autocommit=True)]
    return _connection[0]


def _run(work: Coroutine[Any, Any, Any]) -> Any:
    """Run `work` to its end on an event loop of its own (callers may be inside one)."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(work)))
    thread.start()
    thread.join()
    if not result:
        raise RuntimeError("could not prepare the template database")
    return result[0]


async def _migrate(where: str) -> None:
    from bot.storage.db import Database

    db = await Database.open(where)
    try:
        await db.migrate()
    finally:
        await db.close()


def _sqlite_template() -> Path:
    """A database file migrated once per test process (WAL checkpointed into it on close)."""
    if not _template:
        folder = tempfile.mkdtemp(prefix="steady-template-", dir="/var/tmp")
        # /var/tmp outlives reboots: without this each run left a folder per worker there.
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = Path(folder) / "template.db"
        _run(_migrate(str(path)))
        _template.append(str(path))
    return Path(_template[0])


# The relations of a schema: through pg_depend's index, as every lookup below goes by an
# index. Filtering pg_class by namespace reads all of it, and a development server that ran
# the suite many times holds hundreds of thousands of rows there (~0.3 s a query).
_RELATIONS = """
SELECT c.oid, c.relname, c.relkind FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_namespace'::regclass
  AND d.refobjid = %(schema)s::regnamespace
"""
# The structure of a schema, written without its name: tables, columns with their types,
# defaults and nullability, constraints, indexes, triggers.
_FINGERPRINT = f"""
WITH rels AS ({_RELATIONS})
SELECT md5(coalesce(string_agg(replace(x, %(schema)s || '.', ''), E'\\n' ORDER BY x), ''))
FROM (
    SELECT format('%%s %%s.%%s %%s %%s %%s', r.relkind, r.relname, a.attname,
                  format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  pg_get_expr(d.adbin, d.adrelid)) AS x
    FROM rels r
    JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum
    UNION ALL
    SELECT format('%%s %%s', r.relname, pg_get_constraintdef(k.oid))
    FROM rels r JOIN pg_constraint k ON k.conrelid = r.oid
    UNION ALL
    SELECT pg_get_indexdef(i.indexrelid) FROM rels r JOIN pg_index i ON i.indrelid = r.oid
    UNION ALL
    SELECT pg_get_triggerdef(t.oid)
    FROM rels r JOIN pg_trigger t ON t.tgrelid = r.oid WHERE NOT t.tgisinternal
) AS parts
"""


def _fingerprint(schema: str) -> str:
    conn = _admin()
    row = conn.execute(_FINGERPRINT, {"schema": schema}).fetchone()
    versions = conn.execute(
        "SELECT to_regclass(%s) IS NOT NULL", (f"{schema}.schema_version",)
    ).fetchone()
    applied = (
        conn.execute(
            f"SELECT string_agg(version::text, ',' ORDER BY version) FROM {schema}.schema_version"
        ).fetchone()
        if versions and versions[0]
        else None
    )
    return f"{row[0] if row else ''}:{applied[0] if applied else ''}"


def _reference() -> str:
    """The fingerprint of a schema freshly migrated (once per test process)."""
    if not _reference_print:
        schema = (
            "t_ref_"
            + hashlib.sha1(f"{os.getpid()}:{tempfile.gettempdir()}".encode()).hexdigest()[:14]
        )
        conn = _admin()
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
        separator = "&" if "?" in POSTGRES_URL else "?"
        _run(_migrate(f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"))
        _reference_print.append(_fingerprint(schema))
        _free.append(schema)
    return _reference_print[0]


# Each schema whose structure a statement changed (DDL), logged by the server as it happens:
# a schema not in the log still has the structure it had when its entry was last removed, which
# costs a lookup where reading its structure (_fingerprint) cost ~20 ms, over a thousand times a
# run. An event trigger needs a superuser (the throwaway server's own); without one, the
# fingerprint is compared as before. Not seen: DDL in the replication role, and the schema a
# table is moved out of (SET SCHEMA logs the one it goes to); no test does either. On a server
# of your own the triggers stay: `DROP EVENT TRIGGER steady_test_ddl_changed,
# steady_test_ddl_dropped` removes them.
_WATCH_SETUP = """
CREATE TABLE IF NOT EXISTS public.steady_test_ddl (schema_name text PRIMARY KEY);
CREATE OR REPLACE FUNCTION public.steady_test_ddl_changed() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF to_regclass('public.steady_test_ddl') IS NULL THEN
        RETURN;  -- the log was dropped: never stop anyone's DDL for it
    END IF;
    -- A trigger comes without a schema: its table's.
    INSERT INTO public.steady_test_ddl (schema_name)
    SELECT DISTINCT coalesce(d.schema_name, (
        SELECT c.relnamespace::regnamespace::text FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid WHERE t.oid = d.objid
    ))
    FROM pg_event_trigger_ddl_commands() d
    WHERE d.schema_name IS NOT NULL OR d.classid = 'pg_trigger'::regclass
    ON CONFLICT DO NOTHING;
END $$;
CREATE OR REPLACE FUNCTION public.steady_test_ddl_dropped() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF to_regclass('public.steady_test_ddl') IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO public.steady_test_ddl (schema_name)
    SELECT DISTINCT schema_name FROM pg_event_trigger_dropped_objects()
    WHERE schema_name IS NOT NULL
    ON CONFLICT DO NOTHING;
END $$;
"""
_WATCH_TRIGGERS = {
    "steady_test_ddl_changed": "ddl_command_end",
    "steady_test_ddl_dropped": "sql_drop",
}
_watch: list[bool] = []


def _watching() -> bool:
    """Whether the server logs the schemas DDL changed (set up once, by whichever test
    process comes first)."""
    if not _watch:
        import psycopg

        conn = _admin()
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(hashtext('steady-test-ddl'))")
                conn.execute(_WATCH_SETUP.encode())
                conn.execute(  # schemas gone since an earlier run
                    "DELETE FROM public.steady_test_ddl WHERE schema_name NOT IN"
                    " (SELECT nspname FROM pg_namespace)"
                )
                for name, event in _WATCH_TRIGGERS.items():
                    found = conn.execute(
                        "SELECT 1 FROM pg_event_trigger WHERE evtname = %s", (name,)
                    ).fetchone()
                    if not found:
                        conn.execute(
                            f"CREATE EVENT TRIGGER {name} ON {event}"
                            f" EXECUTE FUNCTION public.{name}()"
                        )
            _watch.append(True)
        except psycopg.Error:
            _watch.append(False)
    return _watch[0]


def _forget_changes(schema: str) -> None:
    _admin().execute("DELETE FROM public.steady_test_ddl WHERE schema_name = %s", (schema,))


def _changed(schema: str) -> bool:
    """Whether a statement may have changed `schema`'s structure since it was migrated: in the
    DDL log, or (no log) a fingerprint other than a freshly migrated schema's."""
    if not _watching():
        return _fingerprint(schema) != _reference()
    found = (
        _admin()
        .execute("SELECT 1 FROM public.steady_test_ddl WHERE schema_name = %s", (schema,))
        .fetchone()
    )
    return found is not None


def _empty(schema: str) -> bool:
    """Delete every row but the applied versions, and restart every id sequence, if `schema`
    has exactly the freshly migrated structure: it is then as a new migrated one."""
    import psycopg

    conn = _admin()
    try:
        if _changed(schema):
            return False
        relations = conn.execute(_RELATIONS, {"schema": schema}).fetchall()
        tables = [name for _, name, kind in relations if kind == "r" and name != "schema_version"]
        sequences = [name for _, name, kind in relations if kind == "S"]
        with conn.transaction():
            # Never wait long on a test's leftover session: such a schema is just not reused.
            conn.execute("SET LOCAL lock_timeout = '2s'")
            # Rows go in any order, their foreign keys unchecked (a superuser's replication
            # role): ~10 ms, where TRUNCATE of every table takes ~100.
            conn.execute("SET LOCAL session_replication_role = replica")
            statements = [f"DELETE FROM {schema}.{table}" for table in tables]
            if statements:
                conn.execute("; ".join(statements).encode())
            # Each id sequence back to its start. setval, not ALTER SEQUENCE … RESTART: that
            # gives the sequence a new file each time (~0.7 ms, 8 s of a run's server time).
            conn.execute(
                "SELECT setval(seqrelid, seqstart, false) FROM pg_sequence"
                " WHERE seqrelid = ANY(%s::regclass[])",
                ([f"{schema}.{seq}" for seq in sequences],),
            )
    except psycopg.Error:
        return False
    return True

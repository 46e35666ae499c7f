"""`python -m bot.migrate_data`: move a SQLite database's data into a new PostgreSQL database."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from bot.config import DATABASE_DEFAULT, ConfigError, database_path_from_url, load_dotenv
from bot.storage.copy import (
    CopyFailed,
    CopyRefused,
    check_empty,
    check_version,
    copy_database,
    sqlite_in_use,
)
from bot.storage.db import POSTGRES_SCHEMES, Database

DESCRIPTION = """\
Copy every row of Steady's SQLite database into a new, empty PostgreSQL database.

Stop the bot first (make run: Ctrl-C; Docker: docker compose stop steady) and keep it stopped
until the copy has finished: messages it handled meanwhile would be missing from the copy.

The SQLite database must be at this version's schema (start this version of the bot on it once,
then stop it). The PostgreSQL database must hold no data: the tool creates Steady's tables
there if needed and never merges into data already there. Everything is copied in one
transaction: if anything fails, the PostgreSQL database is left as empty as it was. The SQLite
file is only read; keep it (or a backup) until the bot runs well on PostgreSQL.

Defaults come from DATABASE_URL (the environment, then .env): a postgresql:// DATABASE_URL is
the target, and the source is then data/steady.db; a sqlite:/// DATABASE_URL is the source."""

EPILOG = """\
example: DATABASE_URL=postgresql://steady:PASSWORD@localhost:5432/steady in .env, then
  python -m bot.migrate_data
  python -m bot.migrate_data --from sqlite:////data/steady.db   (in the Docker container)"""


def label(url: str) -> str:
    """A PostgreSQL URL for output: host, port and database, never the user or password."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"postgresql://{parts.hostname or 'localhost'}{port}{parts.path}"


def sqlite_path(where: str) -> Path:
    if where.startswith(POSTGRES_SCHEMES):
        raise CopyRefused("--from must be the SQLite database (sqlite:///path/to/steady.db).")
    if where.startswith("sqlite:"):
        try:
            return database_path_from_url(where)
        except ConfigError:
            raise CopyRefused("--from must look like sqlite:///data/steady.db.") from None
    return Path(where)


async def migrate_data(
    source_url: str,
    target_url: str,
    batch: int = 1000,
    say: Callable[[str], None] = print,
) -> dict[str, int]:
    """Copy the SQLite database at `source_url` into the PostgreSQL database at `target_url`.

    Raises CopyRefused (nothing was changed, except that an empty target may have been given
    Steady's tables) or CopyFailed (the target's copy transaction was rolled back)."""
    path = sqlite_path(source_url)
    if not target_url.startswith(POSTGRES_SCHEMES):
        raise CopyRefused("--to must be a PostgreSQL URL (postgresql://user:password@host/db).")
    if not path.is_file():  # opening it would create an empty one
        raise CopyRefused(f"there is no SQLite database at {path}.")
    if sqlite_in_use(path):
        raise CopyRefused(f"{path} is open in another process: stop the bot first.")
    source = await Database.open(path)
    try:
        async with source.read() as uow:
            await check_version(uow.conn, "SQLite")
        target = await Database.open(target_url)
        try:
            async with target.read() as uow:
                await check_empty(uow.conn)  # and again, under lock, inside the copy
            await target.migrate()  # an empty database gets Steady's tables
            say(f"copying {path} to {label(target_url)}")
            counts = await copy_database(
                source, target, batch, lambda table, rows: say(f"  {table}: {rows} rows")
            )
        finally:
            await target.close()
    finally:
        await source.close()
    say(f"done: {sum(counts.values())} rows in {len(counts)} tables.")
    return counts


def parse(argv: Sequence[str], env: dict[str, str]) -> argparse.Namespace:
    configured = env.get("DATABASE_URL", "").strip()
    on_postgres = configured.startswith(POSTGRES_SCHEMES)
    parser = argparse.ArgumentParser(
        prog="python -m bot.migrate_data",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--from",
        dest="source",
        default=(DATABASE_DEFAULT if on_postgres else configured) or DATABASE_DEFAULT,
        help="the SQLite database (default: %(default)s)",
    )
    parser.add_argument(
        "--to",
        dest="target",
        default=configured if on_postgres else None,
        help="the PostgreSQL database, postgresql://user:password@host:5432/db "
        "(default: DATABASE_URL when it is one)",
    )
    parser.add_argument(
        "--batch", type=int, default=1000, help="rows per insert batch (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    if not args.target:
        parser.error("say where to copy to: --to postgresql://… (or DATABASE_URL in .env)")
    if args.batch < 1:
        parser.error("--batch must be at least 1")
    return args


def main(argv: Sequence[str]) -> int:
    env = {**load_dotenv(Path(".env")), **os.environ}
    args = parse(argv, env)
    try:
        asyncio.run(migrate_data(args.source, args.target, args.batch))
    except CopyRefused as exc:
        print(f"Not copied: {exc}", file=sys.stderr)
        return 2
    except CopyFailed as exc:
        print(f"Copy failed: {exc}; the PostgreSQL database was left empty.", file=sys.stderr)
        return 1
    except Exception as exc:  # connecting, reading the file: say what, in one line
        if type(exc).__name__ == "PoolTimeout":  # psycopg_pool: its log above says why
            reason = f"could not connect to {label(args.target)}; is it running, is the URL right?"
        else:
            lines = str(exc).strip().splitlines()
            reason = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
        print(f"Copy failed: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

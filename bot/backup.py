"""`python -m bot.backup [DEST]`: a consistent copy of the live database, safe while running."""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.config import DATABASE_DEFAULT, ConfigError, database_path_from_url, load_dotenv


def backup(source: Path, dest: Path) -> Path:
    """Copy with SQLite's online backup API, which respects WAL and concurrent writers."""
    if not source.is_file():
        raise FileNotFoundError(f"no database at {source}")
    # A backup holds every answer: only the bot's user may read it (folder 0700, file 0600).
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(dest, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(dest, 0o600)
    src, out = sqlite3.connect(source), sqlite3.connect(dest)
    try:
        src.backup(out)
    finally:
        out.close()
        src.close()
    return dest


def main(argv: list[str]) -> int:
    os.umask(0o077)  # a backup holds every answer
    env = {**load_dotenv(Path(".env")), **os.environ}
    try:
        source = database_path_from_url(env.get("DATABASE_URL") or DATABASE_DEFAULT)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    dest = Path(argv[0]) if argv else source.parent / "backups" / f"steady-{stamp}.db"
    try:
        print(backup(source, dest))
    except (OSError, sqlite3.Error) as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

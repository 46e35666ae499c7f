"""The server key: one secret for invite-code hashes and for encryption at rest.

`SECRET_KEY` from the environment (required with PostgreSQL, where no file sits beside the
database), or a key file made once beside an SQLite database (0600). It is never stored in the
database, and `make backup` copies only the database: a leaked database or backup holds no
readable answer and no guessable invite. Losing the key makes stored answers unreadable.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from pathlib import Path

from bot.config import ConfigError

KEY_FILE = "secret.key"
LEGACY_KEY_FILE = "invite.key"  # before encryption at rest the same key only hashed invites
KEY_BYTES = 32
HEX_PREFIX = "hex:"  # SECRET_KEY=hex:… carries a key file's raw bytes (see `python -m bot.keys`)


def server_key(secret: str, database_path: Path) -> bytes:
    """`secret` (SECRET_KEY) when set, else the key file beside the database, made if missing."""
    if secret:
        return from_setting(secret)
    if str(database_path) == ":memory:":
        return secrets.token_bytes(KEY_BYTES)  # everything dies with the process anyway
    legacy = database_path.parent / LEGACY_KEY_FILE
    path = database_path.parent / KEY_FILE
    if legacy.exists() and not path.exists():
        return _read_key_file(legacy)
    if not path.exists():
        _create_key_file(path)
    return _read_key_file(path)


def from_setting(secret: str) -> bytes:
    if secret.startswith(HEX_PREFIX):
        try:
            return bytes.fromhex(secret.removeprefix(HEX_PREFIX))
        except ValueError:
            raise ConfigError("SECRET_KEY starts with hex: but the rest is not hex.") from None
    return secret.encode("utf-8")


def as_setting(key: bytes) -> str:
    """The SECRET_KEY value for this key: for moving a database to another server."""
    return HEX_PREFIX + key.hex()


def _create_key_file(path: Path) -> None:
    """Write a new random key to `path` unless one is there: a full file or none, never half.

    The key goes to a private temporary file first (O_EXCL, 0600) and is then hard-linked into
    place, which is atomic and never replaces a key another process created meanwhile.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(KEY_BYTES))
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return  # another process won the race; its key is the one
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)  # the new name survives a power cut
        finally:
            os.close(folder)
    finally:
        temporary.unlink(missing_ok=True)


def _read_key_file(path: Path) -> bytes:
    if path.stat().st_mode & 0o077:
        # Copied in or restored with a loose mode: only the owner may read it. A file we do
        # not own (a read-only mount) is still used as it is.
        with contextlib.suppress(OSError):
            path.chmod(0o600)
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise ConfigError(
            f"{path} is not a Steady key ({KEY_BYTES} bytes). Remove it to make a new one; "
            "answers stored under the old key then cannot be read, and invites stop working."
        )
    return key


def main() -> int:
    """`python -m bot.keys`: print the key of the configured database as a SECRET_KEY value."""
    from bot.config import load_settings

    settings = load_settings()
    if settings.database_path is None or settings.database_url.startswith("postgres"):
        print("With PostgreSQL the key is SECRET_KEY itself.", file=sys.stderr)
        return 2
    folder = settings.database_path.parent
    if not settings.secret_key and not any(
        (folder / name).exists() for name in (KEY_FILE, LEGACY_KEY_FILE)
    ):
        # Never make one here: a new key is not the one the database is sealed with.
        print(f"No key file in {folder}: nothing to print.", file=sys.stderr)
        return 2
    print(as_setting(server_key(settings.secret_key, settings.database_path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

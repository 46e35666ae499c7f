"""Invite codes: short, typable, 50 random bits, forgiving about how they are typed back.

Codes are stored only as a keyed hash (HMAC-SHA256). The key is not in the database, so a
leaked database or backup cannot be brute-forced offline: 50 bits under a bare SHA-256 can.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from bot.config import ConfigError

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10  # 10 x 5 bits = 50 bits of randomness
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    """ABCDE12345 -> ABCDE-12345, easier to read and type."""
    return f"{code[:5]}-{code[5:]}"


def normalize(typed: str) -> str | None:
    """The canonical code for what a person typed, or None when it cannot be one."""
    cleaned = "".join(ch for ch in typed.upper() if ch not in " -_\t\n.").translate(_TYPOS)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def digest(code: str, key: bytes) -> str:
    return hmac.new(key, code.encode("ascii"), hashlib.sha256).hexdigest()


KEY_FILE = "invite.key"
KEY_BYTES = 32


def server_key(secret: str, database_path: Path) -> bytes:
    """The invite key: `INVITE_SECRET` when set, else a key file made once beside the database."""
    if secret:
        return secret.encode("utf-8")
    if str(database_path) == ":memory:":
        return secrets.token_bytes(KEY_BYTES)  # the invites die with the process anyway
    path = database_path.parent / KEY_FILE
    if not path.exists():
        _create_key_file(path)
    return _read_key_file(path)


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
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise ConfigError(
            f"{path} is not an invite key ({KEY_BYTES} bytes). Remove it to make a new one; "
            "invites made with the old key then stop working."
        )
    return key

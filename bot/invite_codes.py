"""Invite codes: short, typable, 50 random bits, forgiving about how they are typed back.

Codes are stored only as a keyed hash (HMAC-SHA256). The key is not in the database, so a
leaked database or backup cannot be brute-forced offline: 50 bits under a bare SHA-256 can.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

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

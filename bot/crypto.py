"""Encryption at rest: what a person wrote is stored sealed with AES-GCM.

The key is derived (HKDF-SHA256) from the server key (bot.keys), so one secret serves invite
hashes and this, and neither use can reveal the other. Each sealed text carries its own random
nonce and is bound to what it is (an answer, a part, a queued message): a sealed answer copied
into another column does not open there.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "g1:"  # format version: AES-256-GCM, 12-byte nonce, base64
NONCE_BYTES = 12


class Unreadable(Exception):
    """A sealed text that this key cannot open (another key, or damaged). Says nothing more."""


class Cipher:
    """Seals and opens texts under one key. `Cipher.plain()` stores texts as they are: for
    tools and tests that open a database without the server key."""

    def __init__(self, server_key: bytes | None) -> None:
        self._aead: AESGCM | None = None
        self.fingerprint = ""
        if server_key is not None:
            key = HKDF(
                algorithm=hashes.SHA256(), length=32, salt=None, info=b"steady/at-rest/v1"
            ).derive(server_key)
            self._aead = AESGCM(key)
            # Names the key without giving it away: the database stores it, and a start with
            # another key is refused (bot.app) instead of writing under two keys.
            check = hmac.new(key, b"steady/fingerprint", hashlib.sha256).hexdigest()
            self.fingerprint = check[:16]

    @classmethod
    def plain(cls) -> Cipher:
        return cls(None)

    @property
    def sealing(self) -> bool:
        return self._aead is not None

    def seal(self, text: str, what: str) -> str:
        if self._aead is None:
            return text
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, text.encode("utf-8"), what.encode())
        return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def open(self, stored: str, what: str) -> str:
        if self._aead is None or not stored:
            return stored  # an emptied text (a sent message) stays empty
        if not stored.startswith(PREFIX):
            raise Unreadable(what)
        try:
            raw = base64.b64decode(stored.removeprefix(PREFIX), validate=True)
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], what.encode()).decode()
        except (InvalidTag, ValueError):
            raise Unreadable(what) from None

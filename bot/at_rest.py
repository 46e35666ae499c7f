"""A database meets its server key: texts are sealed under one key, and never two."""

from __future__ import annotations

import logging

from bot.config import ConfigError
from bot.crypto import Cipher
from bot.storage.db import Database
from bot.storage.unit import Unit

log = logging.getLogger(__name__)

FINGERPRINT = "key_fingerprint"


class KeyMismatch(ConfigError):
    """The server key is not the one this database's texts are sealed with."""


async def adopt(db: Database, cipher: Cipher) -> None:
    """Make `cipher` the database's: on first meeting, seal what is stored in the clear and
    record the key's fingerprint; afterwards, refuse any other key (KeyMismatch)."""
    sealed = 0
    async with db.unit() as uow:
        if await uow.meta.claim(FINGERPRINT, cipher.fingerprint):
            sealed = await seal_stored(uow, cipher)
            if sealed:
                log.info("sealed %d stored texts with the server key", sealed)
        else:
            stored = await uow.meta.get(FINGERPRINT)
            if stored != cipher.fingerprint:
                raise KeyMismatch(
                    f"the server key (SECRET_KEY or the key file) is not the key this database "
                    f"was written with (fingerprint {cipher.fingerprint}, the database expects "
                    f"{stored}); restore the right key (README: 'The server key')."
                )
    if sealed:
        # The pages holding them in the clear stay in the database file until a checkpoint
        # rewrites them (SQLite's WAL): rewrite them now, as after an erasure.
        await db.forget()
        await _seal_backups(db, cipher)
    db.cipher = cipher


# The migration that made each table or column of words, for a backup from before it.
ASKS_FROM, PROMISES_FROM, AGREEMENTS_FROM, MEDIA_FROM = 13, 14, 15, 17


async def seal_stored(uow: Unit, cipher: Cipher, version: int | None = None) -> int:
    """Every text a person wrote that is stored in the clear, sealed. How many.

    `version`: the schema of a backup taken before an upgrade, which lacks later tables."""
    sealed = await uow.rounds.seal_stored(cipher, choices=version is None or version >= ASKS_FROM)
    sealed += await uow.outbox.seal_stored(cipher, media=version is None or version >= MEDIA_FROM)
    if version is None or version >= PROMISES_FROM:
        sealed += await uow.promises.seal_stored(cipher)
    if version is None or version >= AGREEMENTS_FROM:
        sealed += await uow.agreements.seal_stored(cipher)
    return sealed


async def _seal_backups(db: Database, cipher: Cipher) -> None:
    """Backups beside a database met its key for the first time are from before (the one
    just taken before the upgrade among them): every answer in them is in the clear. Seal
    them too, so a copied backup is as unreadable without the key as the database."""
    if db.path is None:
        return
    for path in sorted((db.path.parent / "backups").glob("*.db")):
        backup = await Database.open(path)
        try:
            version = await backup.version()
            async with backup.unit() as uow:
                count = await seal_stored(uow, cipher, version)
            await backup.forget()
        finally:
            await backup.close()
        log.info("sealed %d texts in the backup %s", count, path.name)

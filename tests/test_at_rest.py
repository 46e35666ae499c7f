"""Encryption at rest: what a person wrote is stored sealed under the server key; a database
refuses any other key; texts from before are sealed when the database first meets its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import at_rest, backup, keys
from bot.crypto import PREFIX, Cipher, Unreadable
from bot.storage.db import Database
from testing.clock import StoppedClock
from testing.engines import database, sqlite_only
from testing.offline import Offline, User
from testing.probes import stored_answers

ANA = User(1001, "Ana")
BEN = User(2002, "Ben")
WORDS = ("pelican-saffron trust", "marmot-cobalt honesty", "ibis-umber " + "long " * 900)


def test_a_sealed_text_opens_only_with_its_key_and_as_what_it_is() -> None:
    cipher = Cipher(b"k" * 32)
    sealed = cipher.seal("my words", "answers")
    assert sealed.startswith(PREFIX) and "my words" not in sealed
    assert cipher.seal("my words", "answers") != sealed  # a fresh nonce every time
    assert cipher.open(sealed, "answers") == "my words"
    for wrong in (
        lambda: Cipher(b"q" * 32).open(sealed, "answers"),  # another key
        lambda: cipher.open(sealed, "outbox"),  # moved to another column
        lambda: cipher.open(sealed[:-4] + "AAA=", "answers"),  # damaged
        lambda: cipher.open("my words", "answers"),  # stored in the clear
    ):
        with pytest.raises(Unreadable):
            wrong()
    assert cipher.open("", "answers") == ""  # an emptied text stays empty
    assert Cipher(b"k" * 32).fingerprint == cipher.fingerprint != Cipher(b"q" * 32).fingerprint


async def test_answers_are_stored_sealed_and_read_back(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.send(ANA, "/checkin")
        await bot.deliver()
        await bot.send(ANA, WORDS[0])  # unrevealed
        await bot.send(BEN, WORDS[1])  # revealed to both
        [ana_reveal] = [c for c in await bot.deliver() if c.chat_id == ANA.id]
        assert WORDS[0] in ana_reveal.plain and WORDS[1] in ana_reveal.plain
        async with bot.db.read() as uow:
            raw = [r[0] for r in await uow.conn.fetch_all("SELECT text FROM answers")]
        assert len(raw) == 2 and all(text.startswith(PREFIX) for text in raw)
        assert {text for _, _, text in await stored_answers(bot.db)} == {WORDS[0], WORDS[1]}


@sqlite_only("the bytes of the database file and its WAL")
async def test_a_leaked_database_file_holds_no_readable_answer(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.send(ANA, "/checkin")
        await bot.deliver()
        await bot.send(ANA, WORDS[0])
        await bot.send(BEN, WORDS[1])
        await bot.deliver()
        path = bot.db.path
        assert path is not None
        for file in (path, path.with_name(path.name + "-wal")):  # read while it is open
            data = file.read_bytes()
            assert b"pelican-saffron" not in data and b"marmot-cobalt" not in data, file


async def test_a_database_refuses_another_key(tmp_path: Path) -> None:
    db = await Database.open(database(tmp_path / "steady.db"))
    try:
        await db.migrate()
        await at_rest.adopt(db, Cipher(b"k" * 32))
        await at_rest.adopt(db, Cipher(b"k" * 32))  # the same key again: fine
        with pytest.raises(at_rest.KeyMismatch, match="is not the key this database") as info:
            await at_rest.adopt(db, Cipher(b"q" * 32))
        assert "\n" not in str(info.value)
    finally:
        await db.close()


async def test_texts_stored_in_the_clear_are_sealed_when_the_database_meets_its_key(
    tmp_path: Path,
) -> None:
    """A database from before encryption at rest: its first start with a key seals it all."""
    path = tmp_path / "steady.db"
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        bot.db.cipher = Cipher.plain()  # as an older version wrote
        await bot.revealed_round({ANA: WORDS[0], BEN: WORDS[1]})
        async with bot.db.unit() as uow:
            [round_id] = [r[0] for r in await uow.conn.fetch_all("SELECT id FROM rounds")]
            await uow.rounds.set_answer_parts(round_id, ANA.id, [(1, "part one"), (2, "two")])
            await uow.notify(BEN.id, "queued-before", text=WORDS[0], now=bot.services.now())
            await uow.conn.execute("DELETE FROM meta")
    key = keys.server_key("", path)
    db = await Database.open(database(path))
    try:
        await at_rest.adopt(db, Cipher(key))
        async with db.read() as uow:
            raw = [r[0] for r in await uow.conn.fetch_all("SELECT text FROM answers")]
            raw += [r[0] for r in await uow.conn.fetch_all("SELECT text FROM answer_parts")]
            assert all(text.startswith(PREFIX) for text in raw) and len(raw) == 4
            assert await uow.rounds.answer_parts(round_id, ANA.id) == [(1, "part one"), (2, "two")]
            queued = await uow.conn.fetch_value(
                "SELECT text FROM outbox WHERE dedupe_key = 'queued-before'"
            )
            assert queued.startswith(PREFIX) and db.cipher.open(queued, "outbox") == WORDS[0]
        assert {text for _, _, text in await stored_answers(db)} == {WORDS[0], WORDS[1]}
    finally:
        await db.close()


@sqlite_only("make backup copies the SQLite file")
async def test_a_backup_holds_no_key_and_no_readable_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make backup` (python -m bot.backup) copies the database only: the key stays beside
    it, never in backups/, and the copy's answers open with the key alone."""
    path = tmp_path / "steady.db"
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.revealed_round({ANA: WORDS[0], BEN: WORDS[1]})
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.chdir(tmp_path)
    assert backup.main([]) == 0
    [copy] = (tmp_path / "backups").iterdir()
    assert copy.suffix == ".db"  # nothing else: no key file
    raw = copy.read_bytes()
    assert b"pelican-saffron" not in raw and b"marmot-cobalt" not in raw
    db = await Database.open(copy)
    try:
        await at_rest.adopt(db, Cipher(keys.server_key("", path)))  # the key beside the original
        assert {text for _, _, text in await stored_answers(db)} == {WORDS[0], WORDS[1]}
    finally:
        await db.close()

"""Promises and agreements join /export, /delete, retention and encryption at rest.

Through the real application offline (testing.offline) on either engine."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import at_rest, keys, pairing, privacy, promises
from bot.crypto import PREFIX, Cipher
from bot.storage.db import MIGRATIONS_DIR, Database, migrations
from testing.clock import StoppedClock
from testing.engines import database, sqlite_only
from testing.offline import Call, Offline, User
from testing.probes import holding

ANA = User(7_315_004_211, "Ana")
BEN = User(6_208_113_957, "Ben")
ANA_PROMISE = "zebra-lantern promise"
ANA_DRAFT = "quokka-violin draft"
ANA_AGREEMENT = "heron-mosaic agreement"
BEN_PROMISE = "otter-copper promise"
BEN_AGREEMENT = "walrus-amber agreement"
DAY = 86400


def button(call: Call, label_start: str) -> str:
    for row in call.buttons:
        for label, data in row:
            if label.startswith(label_start):
                return data
    raise AssertionError(f"no button {label_start!r} in {call.buttons}")


async def press(bot: Offline, user: User, data: str) -> None:
    await bot.run(bot.updates.button(user, data))


async def promise(bot: Offline, user: User, words: str) -> None:
    [offer] = await bot.send(user, f"/promise {words}")
    await press(bot, user, button(offer, "In a week"))


async def agreed(bot: Offline, proposer: User, other: User, words: str) -> None:
    await bot.deliver()
    await bot.send(proposer, f"/agree {words}")
    [asked] = [c for c in await bot.deliver() if c.chat_id == other.id]
    await press(bot, other, button(asked, "Accept"))
    await bot.deliver()


async def couple_with_words(bot: Offline) -> None:
    """Ana and Ben with a promise each, her draft, and an agreement each proposed."""
    await bot.pair(ANA, BEN)
    await promise(bot, ANA, ANA_PROMISE)
    await promise(bot, BEN, BEN_PROMISE)
    await bot.send(ANA, f"/promise {ANA_DRAFT}")  # never given a due moment
    await agreed(bot, ANA, BEN, ANA_AGREEMENT)
    await agreed(bot, BEN, ANA, BEN_AGREEMENT)


def document(bot: Offline, user: User) -> dict[str, Any]:
    sent = bot.sent(user.id, "sendDocument")[-1]
    [(_, content)] = sent.params["files"].items()
    return json.loads(content)


async def test_export_holds_promises_and_agreements_with_their_history(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await couple_with_words(bot)
        await bot.send(ANA, "/export")
        data = document(bot, ANA)
        made = {(p["by"], p["words"]) for p in data["promises"]}
        assert made == {("you", ANA_PROMISE), ("partner", BEN_PROMISE), ("you", ANA_DRAFT)}
        words = {w["words"]: w for a in data["agreements"] for w in a["wordings"]}
        assert words[ANA_AGREEMENT]["proposed_by"] == "you" and words[ANA_AGREEMENT]["current"]
        assert words[BEN_AGREEMENT]["proposed_by"] == "partner"
        [mine] = [a for a in data["agreements"] if a["wordings"][0]["words"] == ANA_AGREEMENT]
        assert [(s["step"], s["by"]) for s in mine["history"]] == [
            ("proposed", "you"),
            ("accepted", "partner"),
        ]
        # Ben's export: her draft was never told to him, so it is not his.
        await bot.send(BEN, "/export")
        assert ANA_DRAFT not in json.dumps(document(bot, BEN))


async def test_erasing_leaves_no_promise_or_agreement_of_mine(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await couple_with_words(bot)
        held = {table for table, _ in await holding(bot.db, ANA.id)}
        assert held >= {"promises", "agreement_versions", "agreement_events"}
        assert (
            await privacy.erase(bot.db, ANA.id, bot.services.now()) is privacy.EraseOutcome.ERASED
        )
        assert await holding(bot.db, ANA.id) == []
        async with bot.db.read() as uow:
            texts = [
                bot.db.cipher.open(r[0], "promises")
                for r in await uow.conn.fetch_all("SELECT text FROM promises")
            ]
            texts += [
                bot.db.cipher.open(r[0], "agreement_versions")
                for r in await uow.conn.fetch_all("SELECT text FROM agreement_versions")
            ]
        # Her words are gone; his stay his.
        assert sorted(texts) == sorted([BEN_PROMISE, BEN_AGREEMENT])
        await bot.send(BEN, "/export")
        data = document(bot, BEN)
        assert ANA_PROMISE not in json.dumps(data) and ANA_AGREEMENT not in json.dumps(data)
        assert [p["words"] for p in data["promises"]] == [BEN_PROMISE]


async def test_promises_and_agreements_are_stored_sealed(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await couple_with_words(bot)
        async with bot.db.read() as uow:
            raw = [r[0] for r in await uow.conn.fetch_all("SELECT text FROM promises")]
            raw += [r[0] for r in await uow.conn.fetch_all("SELECT text FROM agreement_versions")]
        assert len(raw) == 5 and all(text.startswith(PREFIX) for text in raw)


async def test_words_stored_in_the_clear_are_sealed_when_the_database_meets_its_key(
    tmp_path: Path,
) -> None:
    path = tmp_path / "steady.db"
    async with Offline(tmp_path, StoppedClock()) as bot:
        bot.db.cipher = Cipher.plain()  # as an older version wrote
        await couple_with_words(bot)
        async with bot.db.unit() as uow:
            await uow.conn.execute("DELETE FROM meta")
    db = await Database.open(database(path))
    try:
        await at_rest.adopt(db, Cipher(keys.server_key("", path)))
        async with db.read() as uow:
            raw = [r[0] for r in await uow.conn.fetch_all("SELECT text FROM promises")]
            raw += [r[0] for r in await uow.conn.fetch_all("SELECT text FROM agreement_versions")]
            assert all(text.startswith(PREFIX) for text in raw) and len(raw) == 5
            couple = await uow.couples.active_for(BEN.id)
            assert couple is not None
            waiting, _ = await uow.promises.listing(couple.id, ANA.id, 5)  # her draft too
            assert {p.text for p in waiting} == {ANA_PROMISE, BEN_PROMISE, ANA_DRAFT}
    finally:
        await db.close()


async def test_past_keeping_the_words_go_and_the_facts_stay(tmp_path: Path) -> None:
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await couple_with_words(bot)
        # A withdrawn promise, and an agreement revised: its first words are history now.
        listing = (await bot.send(BEN, "/promises"))[0]
        await press(bot, BEN, button(listing, "Withdraw: otter"))
        await bot.deliver()
        await bot.send(ANA, "/agree #1 heron-mosaic revised")
        [asked] = [c for c in await bot.deliver() if c.chat_id == BEN.id]
        await press(bot, BEN, button(asked, "Accept"))
        await bot.send(ANA, "/options keep 30")
        clock.advance(timedelta(days=29))
        await privacy.expire_texts(bot.db, bot.services.now(), None)
        assert await words(bot) == {
            "promises": {ANA_PROMISE, BEN_PROMISE, ANA_DRAFT},
            "agreement_versions": {ANA_AGREEMENT, "heron-mosaic revised", BEN_AGREEMENT},
        }
        clock.advance(timedelta(days=2))
        await privacy.expire_texts(bot.db, bot.services.now(), None)
        # The withdrawn promise and the replaced wording lost their words; the rows stay,
        # and what is still open or in force keeps its words.
        assert await words(bot) == {
            "promises": {ANA_PROMISE, "", ANA_DRAFT},
            "agreement_versions": {"", "heron-mosaic revised", BEN_AGREEMENT},
        }


async def words(bot: Offline) -> dict[str, set[str]]:
    async with bot.db.read() as uow:
        return {
            table: {
                bot.db.cipher.open(r[0], table)
                for r in await uow.conn.fetch_all(f"SELECT text FROM {table}")
            }
            for table in ("promises", "agreement_versions")
        }


@sqlite_only("backups/ beside a SQLite file")
@pytest.mark.parametrize("before", [12, 13])  # before asks' choices, before promises
async def test_a_backup_from_before_promises_is_sealed_too(tmp_path: Path, before: int) -> None:
    """A database from before encryption at rest meets its key after an upgrade: the backup
    taken before the upgrade has no promise or agreement tables (nor, before asks, a choice
    column), and is sealed all the same."""
    old = tmp_path / "old-migrations"
    old.mkdir()
    for version, source in migrations(MIGRATIONS_DIR, "sqlite"):
        if version <= before:
            (old / source.name).write_text(source.read_text(encoding="utf-8"))
    (tmp_path / "backups").mkdir()
    backup_db = await Database.open(tmp_path / "backups" / f"steady-v{before:04}.db")
    try:
        await backup_db.migrate(old)
    finally:
        await backup_db.close()
    path = tmp_path / "steady.db"
    async with Offline(tmp_path, StoppedClock()) as bot:
        bot.db.cipher = Cipher.plain()
        await couple_with_words(bot)
        async with bot.db.unit() as uow:
            await uow.conn.execute("DELETE FROM meta")
    db = await Database.open(path)
    try:
        await at_rest.adopt(db, Cipher(keys.server_key("", path)))
    finally:
        await db.close()


async def test_the_partners_promises_list_holds_no_draft_she_never_made(tmp_path: Path) -> None:
    """Ana types /promise with words and stops before choosing when to look back: a draft,
    and nobody is told yet (her export leaves it out of his for that reason). Ben's /promises
    must not list it, words and all; hers does."""
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await bot.send(ANA, f"/promise {ANA_DRAFT}")
        assert not [c for c in await bot.deliver() if c.chat_id == BEN.id]  # not told
        calls = await bot.send(BEN, "/promises")
        assert calls and not any(ANA_DRAFT in c.plain for c in calls), [c.plain for c in calls]
        calls = await bot.send(ANA, "/promises")
        assert any(ANA_DRAFT in c.plain for c in calls)


async def unpair_now(bot: Offline, couple_id: int) -> None:
    assert await pairing.unpair(bot.db, ANA.id, couple_id, bot.services.now()) is not None


async def unpair_as_before(bot: Offline, couple_id: int) -> None:
    """As /unpair did before a couple's promises and agreements ended with it."""
    async with bot.db.unit() as uow:
        assert await uow.couples.end(couple_id, ANA.id, bot.services.now())


@pytest.mark.parametrize("end", [unpair_now, unpair_as_before])
async def test_an_ended_pairings_agreements_and_drafts_lose_their_words_past_retention(
    tmp_path: Path, end: Callable[[Offline, int], Awaitable[None]]
) -> None:
    """RETENTION_DAYS (and keep_days) promise that promises' and agreements' words go past
    keeping, for ended pairings too. After /unpair the couple's active agreements stayed
    'active' and a draft 'draft' for good: expire_words never touched them. They end with the
    couple now, and retention takes every word of a couple that ended that long ago, whatever
    became of it (for couples that ended the old way)."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await couple_with_words(bot)
        async with bot.db.read() as uow:
            couple = await uow.couples.active_for(ANA.id)
        assert couple is not None
        await end(bot, couple.id)
        clock.advance(timedelta(days=8))  # the open promises come due: cancelled (ended)
        await promises.run_due(bot.db, bot.services.now(), "UTC")
        clock.advance(timedelta(days=400))
        await privacy.expire_texts(bot.db, bot.services.now(), 30)
        left = await words(bot)
        assert ANA_DRAFT not in left["promises"], left
        assert not {ANA_AGREEMENT, BEN_AGREEMENT} & left["agreement_versions"], left

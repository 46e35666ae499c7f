"""Attacks on encryption at rest and discreet mode (issue 13): each test names a hole it found."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from bot import at_rest, keys, privacy
from bot.crypto import Cipher
from bot.storage.db import MIGRATIONS_DIR, Database
from testing.clock import MovableClock, StoppedClock
from testing.engines import database, sqlite_only
from testing.fake_telegram import FakeTelegram, FakeUser
from testing.journeys import NEUTRAL, PROMPT, pair, phone
from testing.offline import Offline, User
from testing.runner import BotRunner

ANA = User(1001, "Ana")
BEN = User(2002, "Ben")


async def test_a_long_reveal_in_parts_is_announced_once_for_a_discreet_person(
    fake: FakeTelegram, bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    """A reveal too long for one message goes in parts: one neutral line announces it, and
    the parts follow silently, together; not a neutral line before each part."""
    await pair(ana, ben)
    await phone(ana, clock, quiet=False, discreet=True)
    await phone(ben, clock, quiet=False, discreet=False)
    await ben.send("/checkin")
    await ana.wait_for(PROMPT)
    await ben.wait_for(PROMPT)
    mark = len(ana.inbox)
    await ana.send("mine " + "a" * 3000)
    await ana.wait_for("stays private until Ben")
    await ben.send("his " + "b" * 3000)
    await ben.wait_for("You both answered")
    await bot.settle(fake)
    after = ana.inbox[mark:]
    parts = [m for m in after if "aaaa" in m.plain or "bbbb" in m.plain]
    assert len(parts) >= 2 and all(m.silent for m in parts)  # a reveal in several parts
    assert sum(m.plain == NEUTRAL for m in after) == 1, [m.plain[:20] for m in after]


@sqlite_only("the bytes of the database file and its WAL")
async def test_a_database_from_before_holds_no_readable_answer_once_sealed(tmp_path: Path) -> None:
    """The first start with a key seals the texts written in the clear: the file and its WAL
    then hold none of them (not only the rows: the pages they were on)."""
    path = tmp_path / "steady.db"
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        bot.db.cipher = Cipher.plain()  # as an older version wrote
        await bot.revealed_round({ANA: "pelican-saffron trust", BEN: "marmot-cobalt honesty"})
        async with bot.db.unit() as uow:
            await uow.conn.execute("DELETE FROM meta")
    db = await Database.open(database(path))
    try:
        await at_rest.adopt(db, Cipher(keys.server_key("", path)))
        for file in (path, path.with_name(path.name + "-wal")):  # read while it is open
            data = file.read_bytes() if file.exists() else b""
            assert b"pelican-saffron" not in data and b"marmot-cobalt" not in data, file.name
    finally:
        await db.close()


async def test_one_unreadable_queued_text_does_not_stop_delivery_for_everyone(
    tmp_path: Path,
) -> None:
    """A queued text this key cannot open (damaged, or written under another key) is set aside
    as failed; the rest of the queue still goes out."""
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        now = bot.services.now()
        async with bot.db.unit() as uow:
            await uow.notify(BEN.id, "damaged", text="lost words", now=now)
            await uow.conn.execute(
                "UPDATE outbox SET text = ? WHERE dedupe_key = 'damaged'",
                (Cipher(b"q" * 32).seal("lost words", "outbox"),),
            )
            await uow.notify(ANA.id, "fine", text="hello Ana", now=now)
        calls = await bot.deliver()
        assert [c.plain for c in calls] == ["hello Ana"]
        async with bot.db.read() as uow:
            status = await uow.conn.fetch_value(
                "SELECT status FROM outbox WHERE dedupe_key = 'damaged'"
            )
        assert status == "failed"


async def test_news_of_a_hard_moment_never_sounds_for_a_discreet_person(
    fake: FakeTelegram, bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    """ "Ana needs a pause after a hard moment" on a shared phone's lock screen says as much as
    a repair phrase: a neutral line sounds in its place, and the news follows silently."""
    await pair(ana, ben)
    await phone(ana, clock, quiet=False, discreet=False)
    await phone(ben, clock, quiet=False, discreet=True)
    await ana.send("/conflict")
    menu = await ana.wait_for("How long do you need")
    await ana.press(menu, dict(menu.buttons)["20 minutes"])
    news = await ben.wait_for("needs a pause")
    before = ben.inbox[ben.inbox.index(news) - 1]
    assert news.silent and before.plain == NEUTRAL and not before.silent
    clock.advance(timedelta(minutes=21))
    nudge = await ben.wait_for("The break is over", timeout=10)
    assert nudge.silent


def test_a_key_file_others_can_read_is_made_private_again(tmp_path: Path) -> None:
    """A key file copied in with the wrong mode (a restore, a `cp` under a loose umask, an
    invite.key from before) would let any local user open every answer: it is 0600 again."""
    path = tmp_path / "steady.db"
    key_file = tmp_path / keys.KEY_FILE
    key_file.write_bytes(b"k" * keys.KEY_BYTES)
    key_file.chmod(0o644)
    assert keys.server_key("", path) == b"k" * keys.KEY_BYTES
    assert key_file.stat().st_mode & 0o777 == 0o600


async def test_one_damaged_answer_does_not_take_the_whole_export_with_it(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        damaged = await bot.revealed_round({ANA: "first words", BEN: "his first"})
        await bot.revealed_round({ANA: "kept words", BEN: "his kept"}, at=5_000)
        async with bot.db.unit() as uow:
            await uow.conn.execute(
                "UPDATE answers SET text = ? WHERE round_id = ? AND user_id = ?",
                (Cipher(b"q" * 32).seal("first words", "answers"), damaged, ANA.id),
            )
        data = await privacy.export(bot.db, ANA.id, bot.services.now())
        assert "kept words" in str(data)


@sqlite_only("the automatic backup before an upgrade is SQLite's")
async def test_the_backup_before_the_upgrade_to_sealing_holds_no_readable_answer(
    tmp_path: Path,
) -> None:
    path = tmp_path / "steady.db"
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        bot.db.cipher = Cipher.plain()  # as an older version wrote
        await bot.revealed_round({ANA: "pelican-saffron trust", BEN: "marmot-cobalt honesty"})
        async with bot.db.unit() as uow:
            await uow.conn.execute("DELETE FROM meta")
    # The next version's start: a pending migration (a no-op here), then the key.
    newer = tmp_path / "migrations"
    shutil.copytree(Path(str(MIGRATIONS_DIR)), newer)
    (newer / f"{len(list(newer.glob('*.sql'))) + 1:04d}_next.sql").write_text(
        "CREATE TABLE next_version (id INTEGER);\n"
    )
    db = await Database.open(database(path))
    try:
        await db.migrate(newer)
        await at_rest.adopt(db, Cipher(keys.server_key("", path)))
    finally:
        await db.close()
    [backup] = list((tmp_path / "backups").glob("*.db"))
    data = backup.read_bytes()
    assert b"pelican-saffron" not in data and b"marmot-cobalt" not in data

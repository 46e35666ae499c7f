"""Retention: revealed texts are kept as long as the couple's shorter choice (or the owner's
maximum, RETENTION_DAYS) and then deleted by the tick; the rounds stay, for counts over time."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scheduler import due
from testing.clock import StoppedClock
from testing.offline import Offline, User
from testing.probes import stored_answers

ANA = User(1001, "Ana")
BEN = User(2002, "Ben")
DAY = 86400


async def kept_rounds(bot: Offline) -> int:
    async with bot.db.read() as uow:
        return await uow.conn.fetch_value("SELECT COUNT(*) FROM rounds")


async def tick(bot: Offline, retention_days: int | None = None) -> None:
    settings = replace(bot.services.settings, retention_days=retention_days)
    await due.run_due(bot.db, bot.services.clock, settings)


async def test_the_shorter_choice_of_the_two_applies(tmp_path: Path) -> None:
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        now = bot.services.now()
        await bot.revealed_round({ANA: "a hundred days ago", BEN: "his, then"}, at=now - 100 * DAY)
        await bot.revealed_round({ANA: "eighty days ago", BEN: "his, later"}, at=now - 80 * DAY)
        [saved] = await bot.send(ANA, "/options keep 365")
        assert "kept for 365 days" in saved.plain
        await tick(bot)
        assert len(await stored_answers(bot.db)) == 4  # 365 and "for good": the shorter is 365
        [saved] = await bot.send(BEN, "/options keep 90")
        notices = [q.text for q in await bot.queued(ANA.id)]
        assert any("Ben changed how long" in text and "90 days" in text for text in notices)
        await tick(bot)
        assert {text for _, _, text in await stored_answers(bot.db)} == {
            "eighty days ago",
            "his, later",
        }
        assert await kept_rounds(bot) == 2  # counts over time remain
        [shown] = await bot.send(ANA, "/history")
        assert "eighty days ago" in shown.plain and "hundred" not in shown.plain


async def test_the_owners_maximum_applies_to_those_who_keep_for_good(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        now = bot.services.now()
        await bot.revealed_round({ANA: "old", BEN: "old too"}, at=now - 40 * DAY)
        await bot.revealed_round({ANA: "recent", BEN: "recent too"}, at=now - 10 * DAY)
        await tick(bot)
        assert len(await stored_answers(bot.db)) == 4
        await tick(bot, retention_days=30)
        assert {text for _, _, text in await stored_answers(bot.db)} == {"recent", "recent too"}


async def test_a_choice_outlives_the_pairing(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        now = bot.services.now()
        await bot.revealed_round({ANA: "before the end", BEN: "his"}, at=now - 40 * DAY)
        await bot.send(ANA, "/options keep 30")
        buttons = (await bot.send(ANA, "/unpair"))[0].buttons
        await bot.run(bot.updates.button(ANA, buttons[0][0][1]))
        await tick(bot)
        assert await stored_answers(bot.db) == []


async def test_a_wrong_choice_changes_nothing(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        before = await bot.dump()
        for words in (
            "/options keep 45",
            "/options keep",
            "/options keep 30 90",
            "/options keep -1",
        ):
            [said] = await bot.send(ANA, words)
            assert "30, 90 or 365 days" in said.plain, words
        assert await bot.dump() == before
        [current] = await bot.send(ANA, "/options")
        assert "kept until you delete them" in current.plain

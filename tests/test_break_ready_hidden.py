"""Whether the partner said "ready" after a break stays hidden until both are told "you are
both ready" (a random minute or four after the second press): not in /export, not in
/progress, and not after the couple ends in that window, when the news is withdrawn unread.
Through the real application offline (testing.offline)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot import pairing, privacy, repair
from testing.clock import StoppedClock
from testing.offline import Offline, User
from testing.probes import latest_break

ANA, BEN = User(9_100_000_001, "Ana"), User(9_200_000_002, "Ben")


def exported(bot: Offline, user: User) -> dict:
    sent = bot.sent(user.id, "sendDocument")[-1]
    [(_, content)] = sent.params["files"].items()
    return json.loads(content)


async def nudged_break(bot: Offline, now: int, started_by: User) -> int:
    """Ana and Ben paired, in a break started by `started_by` whose cool-down is over: both
    may say "ready" now. Its id."""
    await bot.pair(ANA, BEN)
    await bot.deliver()
    await repair.start_break(bot.db, started_by.id, "20m", now - 1300, "UTC")
    assert await repair.run_due(bot.db, now - 60) == 1
    await bot.deliver()
    return await latest_break(bot.db)


async def export_breaks(bot: Offline) -> object:
    await bot.send(ANA, "/export")
    return exported(bot, ANA)["breaks"]


async def progress_text(bot: Offline) -> object:
    [chart] = await bot.send(ANA, "/progress")
    return chart.plain


@pytest.mark.parametrize("read", [export_breaks, progress_text], ids=["export", "progress"])
async def test_what_ana_reads_does_not_change_when_ben_is_ready_too(
    tmp_path: Path, read: Callable[[Offline], Awaitable[object]]
) -> None:
    """Ana said "ready". Ben's "ready" must not show until "you are both ready" is due: her
    /export listed the break's raw status ("ready" the moment he pressed), and /progress
    counted it as repaired up to the end of the week rather than now."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        now = clock.timestamp()
        break_id = await nudged_break(bot, now, ANA)
        assert await repair.ready(bot.db, ANA.id, break_id, now) is repair.Outcome.WAITING
        alone = await read(bot)
        assert await repair.ready(bot.db, BEN.id, break_id, now) is repair.Outcome.WAITING
        assert not [q for q in await bot.queued(ANA.id) if q.due_at <= now]  # not told yet
        assert await read(bot) == alone


async def unpair(bot: Offline, now: int) -> None:
    couple = await pairing.current_couple(bot.db, ANA.id)
    assert couple is not None
    assert await pairing.unpair(bot.db, ANA.id, couple.id, now) is not None


async def erase(bot: Offline, now: int) -> None:
    await privacy.erase(bot.db, ANA.id, now)


@pytest.mark.parametrize("end", [unpair, erase])
async def test_ending_the_couple_before_both_ready_is_told_leaves_no_trace_of_it(
    tmp_path: Path, end: Callable[[Offline, int], Awaitable[None]]
) -> None:
    """Both said "ready", the news not yet due, and Ana unpairs (or erases herself): the news
    is withdrawn unread. The break stayed 'ready' for good, so Ben's /export later read
    "ready": he learned Ana had been ready too (had only he been, it read "ended")."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        now = clock.timestamp()
        break_id = await nudged_break(bot, now, BEN)
        await repair.ready(bot.db, BEN.id, break_id, now)
        await repair.ready(bot.db, ANA.id, break_id, now)  # "both ready" due in 60-240 s
        await end(bot, now)
        clock.advance(timedelta(minutes=10))
        assert not [c for c in await bot.deliver() if "both ready" in c.plain]  # withdrawn
        await bot.send(BEN, "/export")
        [entry] = exported(bot, BEN)["breaks"]
        assert entry["status"] == "ended", entry

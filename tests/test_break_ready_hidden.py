"""Whether the partner said "ready" after a break stays hidden until both are told "you are
both ready" (a random minute or four after the second press): not in /export, not in
/progress, and not after the couple ends in that window, when the news is withdrawn unread.
Through the real application offline (testing.offline)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from bot import pairing, privacy, repair
from testing.clock import StoppedClock
from testing.offline import Offline, User

ANA, BEN = User(9_100_000_001, "Ana"), User(9_200_000_002, "Ben")


def exported(bot: Offline, user: User) -> dict:
    sent = bot.sent(user.id, "sendDocument")[-1]
    [(_, content)] = sent.params["files"].items()
    return json.loads(content)


async def test_export_does_not_show_both_ready_before_both_are_told(tmp_path: Path) -> None:
    """Ana said "ready" after a break. Whether Ben is ready too must not show until "you are
    both ready" is due (a random 60-240 s later): "a break where both are ready behaves exactly
    like one where only you are". Her /export in that window lists the break with the raw
    status: "nudged" while only she is ready, "ready" the moment Ben pressed too."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        now = clock.timestamp()
        await repair.start_break(bot.db, ANA.id, "20m", now - 1300, "UTC")
        assert await repair.run_due(bot.db, now - 60) == 1  # nudged: both may answer now
        await bot.deliver()
        async with bot.db.read() as uow:
            break_id = int(await uow.conn.fetch_value("SELECT MAX(id) FROM breaks"))
        assert await repair.ready(bot.db, ANA.id, break_id, now) is repair.Outcome.WAITING
        await bot.send(ANA, "/export")
        alone = exported(bot, ANA)["breaks"]
        assert await repair.ready(bot.db, BEN.id, break_id, now) is repair.Outcome.WAITING
        assert not [q for q in await bot.queued(ANA.id) if q.due_at <= now]  # not told yet
        await bot.send(ANA, "/export")
        both = exported(bot, ANA)["breaks"]
        assert both == alone


async def test_progress_does_not_count_both_ready_before_both_are_told(tmp_path: Path) -> None:
    """The same rule through /progress: its "Back together, both ready" series counts a break
    as repaired when status = 'ready' and finished_at <= `until`, and bot.progress._conflicts
    passes the end of the current week (next Monday) as `until`, not now. So in the 60-240 s
    before "you are both ready" is due, Ana's /progress already says Ben is ready too."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        now = clock.timestamp()
        await repair.start_break(bot.db, ANA.id, "20m", now - 1300, "UTC")
        assert await repair.run_due(bot.db, now - 60) == 1
        await bot.deliver()
        async with bot.db.read() as uow:
            break_id = int(await uow.conn.fetch_value("SELECT MAX(id) FROM breaks"))
        assert await repair.ready(bot.db, ANA.id, break_id, now) is repair.Outcome.WAITING
        [alone] = await bot.send(ANA, "/progress")
        assert await repair.ready(bot.db, BEN.id, break_id, now) is repair.Outcome.WAITING
        assert not [q for q in await bot.queued(ANA.id) if q.due_at <= now]  # not told yet
        [both] = await bot.send(ANA, "/progress")
        assert both.plain == alone.plain


async def test_unpairing_before_both_ready_is_told_leaves_no_trace_of_it(tmp_path: Path) -> None:
    """Both said "ready", the news not yet due, and Ana unpairs: "both ready" is withdrawn
    unread (the couple's queue goes). But breaks.end_for_couple ends only 'cooling' and
    'nudged' breaks, so this one stays 'ready' for good, and Ben's /export, once the delay has
    passed, lists it as "ready": he learns Ana had been ready too. Had only he been ready, it
    would read "ended"."""

    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        now = clock.timestamp()
        await repair.start_break(bot.db, ANA.id, "20m", now - 1300, "UTC")
        assert await repair.run_due(bot.db, now - 60) == 1
        await bot.deliver()
        async with bot.db.read() as uow:
            break_id = int(await uow.conn.fetch_value("SELECT MAX(id) FROM breaks"))
        await repair.ready(bot.db, BEN.id, break_id, now)
        await repair.ready(bot.db, ANA.id, break_id, now)  # "both ready" due in 60-240 s
        couple = await pairing.current_couple(bot.db, ANA.id)
        assert couple is not None
        assert await pairing.unpair(bot.db, ANA.id, couple.id, now) is not None
        clock.advance(timedelta(minutes=10))
        told = [c.plain for c in await bot.deliver() if "both ready" in c.plain]
        assert told == []  # withdrawn unread, as it should be
        await bot.send(BEN, "/export")
        [entry] = exported(bot, BEN)["breaks"]
        assert entry["status"] != "ready", entry


async def test_erasing_before_both_ready_is_told_leaves_no_trace_of_it(tmp_path: Path) -> None:
    """The same through /delete: Ben started the break, both said ready, and Ana erases
    herself before "both ready" is due. Her break_ready row goes, but the break (Ben's) stays
    'ready' (privacy.erase ends breaks through breaks.end_for_couple, which skips 'ready'),
    so Ben's /export tells him Ana had been ready before she left."""

    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        now = clock.timestamp()
        await repair.start_break(bot.db, BEN.id, "20m", now - 1300, "UTC")
        assert await repair.run_due(bot.db, now - 60) == 1
        await bot.deliver()
        async with bot.db.read() as uow:
            break_id = int(await uow.conn.fetch_value("SELECT MAX(id) FROM breaks"))
        await repair.ready(bot.db, BEN.id, break_id, now)
        await repair.ready(bot.db, ANA.id, break_id, now)
        await privacy.erase(bot.db, ANA.id, now)
        clock.advance(timedelta(minutes=10))
        await bot.deliver()
        await bot.send(BEN, "/export")
        [entry] = exported(bot, BEN)["breaks"]
        assert entry["status"] != "ready", entry

"""Databases prepared for tests: many couples with something due, or one couple brought to a
given point through the domain."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

from bot import guided, pairing, repair, scheduling
from bot.models import Person
from bot.schedule_rules import EVERY_DAY, Schedule
from bot.storage.db import Database
from testing.engines import database
from testing.probes import deliver, latest_break

# The invite key domain tests and seeded databases hash codes with (the app makes its own).
INVITE_KEY = bytes(range(32))


async def seed_due_couples(path: Path, couples: int, now: datetime) -> list[tuple[int, int]]:
    """Couples whose daily check-in came due a minute ago (well within the grace window)."""
    db = await Database.open(database(path))
    await db.migrate()
    at = (now - timedelta(minutes=1)).time().replace(second=0, microsecond=0)
    earlier = int((now - timedelta(minutes=5)).timestamp())
    pairs = []
    for i in range(couples):
        a, b = Person(10_000 + 2 * i, f"A{i}"), Person(10_001 + 2 * i, f"B{i}")
        code = (await pairing.create_invite(db, a, earlier, INVITE_KEY)).code
        await pairing.join(db, b, code, earlier, INVITE_KEY)
        await scheduling.set_schedule(
            db, a.id, Schedule(EVERY_DAY, time(at.hour, at.minute)), earlier, "UTC"
        )
        pairs.append((a.id, b.id))
    # Pairing and schedule notices count as delivered: this test is about the prompts.
    async with db.unit() as uow:
        await uow.conn.execute("UPDATE outbox SET status = 'sent', text = ''")
    await db.close()
    return pairs


async def let_time_pass(path: Path, now: datetime) -> None:
    """For a bot in another process, whose clock a test cannot move: what waits for a later
    time (a break cooling down, a message held back) is due at `now` instead."""
    db = await Database.open(database(path))
    try:
        at = int(now.timestamp())
        async with db.unit() as uow:
            await uow.conn.execute(
                "UPDATE breaks SET ends_at = ? WHERE status = 'cooling' AND ends_at > ?", (at, at)
            )
            # Both ready: they are told at finished_at (until then it looks as if one were).
            await uow.conn.execute(
                "UPDATE breaks SET finished_at = ? WHERE status = 'ready' AND finished_at > ?",
                (at, at),
            )
            # not_before is when delivery may send it, due_at its place in the chat's order.
            await uow.conn.execute(
                "UPDATE outbox SET"
                " not_before = CASE WHEN not_before < ? THEN not_before ELSE ? END,"
                " due_at = CASE WHEN due_at < ? THEN due_at ELSE ? END WHERE status = 'pending'",
                (at, at, at, at),
            )
    finally:
        await db.close()


async def guided_step_open(db: Database, a: Person, b: Person, now: int) -> None:
    """A paired couple, both ready after a break, and their guided conversation's first step
    opened at `now` (queued, not yet delivered)."""
    early = now - 1300 - repair.REVEAL_DELAY[1]  # "both ready" is due by `now`
    await repair.start_break(db, a.id, "20m", early, "UTC")
    break_id = await latest_break(db)
    await repair.run_due(db, early + 1200)
    await repair.ready(db, a.id, break_id, early + 1300)
    await repair.ready(db, b.id, break_id, early + 1300)
    await deliver(db, now)
    assert await guided.start(db, a.id, break_id, now) is guided.Outcome.STARTED

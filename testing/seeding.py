"""Databases prepared for tests: many couples with something due, or one couple brought to a
given point through the domain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from pathlib import Path

from bot import guided, pairing, repair, scheduling
from bot.models import Person
from bot.schedule_rules import EVERY_DAY, Schedule
from bot.storage.db import Database
from testing.engines import database, migrated
from testing.probes import deliver, latest_break

# The invite key domain tests and seeded databases hash codes with (the app makes its own).
INVITE_KEY = bytes(range(32))


async def seed_due_couples(path: Path, couples: int, now: datetime) -> list[tuple[int, int]]:
    """Couples whose daily check-in came due a minute ago (well within the grace window)."""
    db = await Database.open(migrated(path))
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


async def both_ready(db: Database, a: Person, b: Person, now: int) -> int:
    """A paired couple's break, nudged, both said ready and were told so by `now`; its id."""
    early = now - 1300 - repair.REVEAL_DELAY[1]  # "both ready" is due by `now`
    await repair.start_break(db, a.id, "20m", early, "UTC")
    break_id = await latest_break(db)
    await repair.run_due(db, early + 1200)
    await repair.ready(db, a.id, break_id, early + 1300)
    await repair.ready(db, b.id, break_id, early + 1300)
    await deliver(db, now)
    return break_id


async def guided_step_open(db: Database, a: Person, b: Person, now: int) -> None:
    """A paired couple, both ready after a break, and their guided conversation's first step
    opened at `now` (queued, not yet delivered)."""
    break_id = await both_ready(db, a, b, now)
    assert await guided.start(db, a.id, break_id, now) is guided.Outcome.STARTED


async def paired_couple(db: Database, a: Person, b: Person, now: int) -> int:
    """Pair two people through the domain; the couple's id."""
    code = (await pairing.create_invite(db, a, now, INVITE_KEY)).code
    await pairing.join(db, b, code, now, INVITE_KEY)
    async with db.read() as uow:
        couple = await uow.couples.active_for(a.id)
    assert couple is not None
    return couple.id


async def seed_history(
    db: Database,
    couple_id: int,
    people: tuple[Person, Person],
    *,
    revealed: Sequence[tuple[int, str, str]] = (),
    expired: Sequence[int] = (),
    breaks: Sequence[tuple[int, bool]] = (),
) -> None:
    """A couple's past, written straight into the tables (twelve weeks through the domain
    would take minutes): check-ins revealed at a moment with both answers (sealed as the
    database seals them), check-ins that expired unanswered, and breaks started at a moment,
    ended in both ready (told an hour later) or not."""
    a, b = people
    async with db.unit() as uow:
        conn, cipher = uow.conn, db.cipher
        for moment, words_a, words_b in revealed:
            round_id = await conn.fetch_value(
                "INSERT INTO rounds (couple_id, prompt_id, category, kind, status, opened_at,"
                " closes_at, finished_at) VALUES (?, 'open-001', 'open', 'checkin', 'revealed',"
                " ?, ?, ?) RETURNING id",
                (couple_id, moment - 3600, moment + 86400, moment),
            )
            for person, words in ((a, words_a), (b, words_b)):
                await conn.execute(
                    "INSERT INTO answers (round_id, user_id, text, answered_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (round_id, person.id, cipher.seal(words, "answers"), moment, moment),
                )
        for moment in expired:
            await conn.execute(
                "INSERT INTO rounds (couple_id, prompt_id, category, kind, status, opened_at,"
                " closes_at, finished_at) VALUES (?, 'open-002', 'open', 'checkin', 'expired',"
                " ?, ?, ?)",
                (couple_id, moment - 86400, moment, moment),
            )
        for moment, repaired in breaks:
            await conn.execute(
                "INSERT INTO breaks (couple_id, started_by, started_at, ends_at, limit_at, status,"
                " finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    couple_id,
                    a.id,
                    moment,
                    moment + 1200,
                    moment + 86400,
                    "ready" if repaired else "ended",
                    moment + 3600,
                ),
            )

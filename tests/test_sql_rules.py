"""Single use, both-ready and one outcome per round hold by their own SQL statement.

SQLite admits one writer at a time, which hides a check-then-act race. Each test forces the
interleaving a second process or a server database allows: connection 1 reads the state,
connection 2 completes the competing action and commits, then connection 1 runs its guarded
statement. The row count of that statement is what must refuse the second outcome.
"""

from __future__ import annotations

import pytest

from bot import checkins, invite_codes, pairing, repair
from bot.models import Person
from bot.pairing import JoinOutcome
from bot.storage import couples, invites
from bot.storage.db import Database
from testing.probes import cursor
from testing.seeding import INVITE_KEY

ANA = Person(101, "Ana")
BEN = Person(202, "Ben")
CAL = Person(303, "Cal")
NOW = 1_800_000_000
MIN = 60


async def scalar(db: Database, sql: str, params: tuple = ()) -> object:
    async with db.read() as uow, cursor(uow.conn, sql, params) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def invite(db: Database, now: int = NOW) -> tuple[str, invites.InviteRow]:
    code = (await pairing.create_invite(db, ANA, now, INVITE_KEY)).code
    assert code is not None
    async with db.read() as uow:
        row = await uow.invites.find(invite_codes.digest(code, INVITE_KEY))
    assert row is not None and row.used_at is None
    return code, row


# --- single-use invites ---------------------------------------------------------------------


async def test_a_second_joiner_of_one_code_writes_nothing(two: tuple[Database, Database]) -> None:
    first, second = two
    code, seen_open = await invite(first)  # 1: Ben's join reads the invite: open
    result = await pairing.join(second, CAL, code, NOW + 1, INVITE_KEY)  # 2: Cal joins, commits
    assert result.outcome is JoinOutcome.PAIRED
    async with first.unit() as uow:  # 1: Ben's join writes, on what it read
        assert await uow.invites.mark_used(seen_open.id, BEN.id, NOW + 2) is False
    assert (
        await scalar(first, "SELECT used_by FROM invites WHERE id = ?", (seen_open.id,)) == CAL.id
    )


async def test_the_domain_refuses_the_second_joiner_cleanly(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    code, seen_open = await invite(first)
    await pairing.join(second, CAL, code, NOW + 1, INVITE_KEY)
    async with first.unit() as uow:
        assert await pairing._use_invite(uow, seen_open, BEN, NOW + 2, "UTC") is None
    async with first.read() as uow:
        assert await uow.couples.active_for(BEN.id) is None
        cal = await uow.couples.active_for(CAL.id)
    assert cal is not None and cal.partner_of(CAL.id).id == ANA.id
    assert await scalar(first, "SELECT COUNT(*) FROM couples") == 1


async def test_a_code_replaced_meanwhile_pairs_nobody(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unique 'one active couple' index would not catch this one: only the UPDATE does."""
    first, second = two
    code, seen_open = await invite(first)
    await invite(second, NOW + 1)  # 2: Ana sends /pair again: the first code is replaced
    # 1: Ben's join goes on from its earlier read, through the whole domain function.
    real_find = invites.Invites.find
    reads = iter([seen_open])

    async def stale_then_fresh(uow, code_hash):  # type: ignore[no-untyped-def]
        return next(reads, None) or await real_find(uow, code_hash)

    monkeypatch.setattr(invites.Invites, "find", stale_then_fresh)
    result = await pairing.join(first, BEN, code, NOW + 2, INVITE_KEY)
    assert result.outcome is JoinOutcome.REPLACED
    assert await pairing.current_couple(first, BEN.id) is None
    assert await scalar(first, "SELECT COUNT(*) FROM couples") == 0


# --- both ready -----------------------------------------------------------------------------


async def nudged_break(db: Database) -> int:
    code = (await pairing.create_invite(db, ANA, NOW, INVITE_KEY)).code
    assert code is not None
    couple = (await pairing.join(db, BEN, code, NOW, INVITE_KEY)).couple
    assert couple is not None
    await repair.start_break(db, ANA.id, "20m", NOW, "UTC")
    assert await repair.run_due(db, NOW + 20 * MIN) == 1
    return int(await scalar(db, "SELECT MAX(id) FROM breaks"))  # type: ignore[arg-type]


async def both_ready_notices(db: Database) -> int:
    sql = "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'both-ready:%'"
    return int(await scalar(db, sql))  # type: ignore[arg-type]


async def test_both_ready_is_not_announced_after_the_partner_asked_for_more_time(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    break_id = await nudged_break(first)
    now = NOW + 21 * MIN
    assert await repair.ready(first, BEN.id, break_id, now) is repair.Outcome.WAITING
    # 1: Ana's press reads the break: nudged, and Ben ready; with hers, both are.
    async with first.read() as uow:
        seen = await uow.breaks.get(break_id)
        ready = await uow.breaks.ready_users(break_id) | {ANA.id}
        couple = await uow.couples.active_for(ANA.id)
    assert seen is not None and seen.status == "nudged" and ready == {ANA.id, BEN.id}
    assert couple is not None
    # 2: Ben takes it back ("I need a bit more time") and commits.
    more = await repair.more_time(second, BEN.id, break_id, now + 1, "UTC")
    assert more.outcome is repair.Outcome.EXTENDED
    # 1: Ana's press announces from what it read: the status change must refuse.
    async with first.unit() as uow:
        assert await repair._announce_both_ready(uow, couple, break_id, now + 2) is False
    assert await both_ready_notices(first) == 0
    assert await scalar(first, "SELECT status FROM breaks WHERE id = ?", (break_id,)) == "cooling"


async def test_a_late_ready_does_not_carry_into_the_next_nudge(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    break_id = await nudged_break(first)
    now = NOW + 21 * MIN
    async with first.read() as uow:  # 1: Ana's press reads the break: nudged
        seen = await uow.breaks.get(break_id)
    assert seen is not None and seen.status == "nudged"
    await repair.more_time(second, BEN.id, break_id, now, "UTC")  # 2: back to cooling
    async with first.unit() as uow:  # 1: Ana's readiness, recorded from her read
        assert await uow.breaks.mark_ready(break_id, ANA.id, now + 1) == set()
    # At the next nudge nobody is ready yet: Ben alone pressing is not "both ready".
    assert await repair.run_due(first, now + 31 * MIN) == 1
    await repair.ready(first, BEN.id, break_id, now + 32 * MIN)
    assert await both_ready_notices(first) == 0


async def test_ready_twice_is_recorded_once(db: Database) -> None:
    break_id = await nudged_break(db)
    async with db.unit() as uow:
        assert await uow.breaks.mark_ready(break_id, ANA.id, NOW + 21 * MIN) == {ANA.id}
        assert await uow.breaks.mark_ready(break_id, ANA.id, NOW + 22 * MIN) == {ANA.id}
    count = await scalar(db, "SELECT COUNT(*) FROM break_ready WHERE break_id = ?", (break_id,))
    assert count == 1


# --- one outcome per round ------------------------------------------------------------------


async def test_a_round_closed_meanwhile_is_not_revealed(two: tuple[Database, Database]) -> None:
    first, second = two
    code = (await pairing.create_invite(first, ANA, NOW, INVITE_KEY)).code
    assert code is not None
    await pairing.join(first, BEN, code, NOW, INVITE_KEY)
    await checkins.start_round(first, ANA.id, NOW)
    round_id = int(await scalar(first, "SELECT MAX(id) FROM rounds"))  # type: ignore[arg-type]
    async with first.read() as uow:  # 1: the reveal reads the round: open
        seen = await uow.rounds.get(round_id)
    assert seen is not None and seen.status == "open"
    async with second.unit() as uow:  # 2: the close job expires it and commits
        assert await uow.rounds.finish(round_id, "expired", NOW + 1) is True
    async with first.unit() as uow:  # 1: the reveal writes, on what it read
        assert await uow.rounds.finish(round_id, "revealed", NOW + 2) is False
    status = await scalar(first, "SELECT status FROM rounds WHERE id = ?", (round_id,))
    assert status == "expired"


# --- ending a pairing -----------------------------------------------------------------------


async def test_a_pairing_ended_meanwhile_is_not_ended_twice(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two
    code, _ = await invite(first)
    assert (await pairing.join(first, BEN, code, NOW, INVITE_KEY)).outcome is JoinOutcome.PAIRED
    couple = await pairing.current_couple(first, ANA.id)
    assert couple is not None
    # Unit 1 has read the couple as active; Ben's "yes, end it" commits on connection 2.
    assert await pairing.unpair(second, BEN.id, couple.id, NOW) is not None

    async def as_read_before(uow: object, user_id: int, **_: object) -> object:
        return couple

    monkeypatch.setattr(couples.Couples, "active_for", as_read_before)
    assert await pairing.unpair(first, ANA.id, couple.id, NOW + 1) is None
    notices = await scalar(first, "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'unpaired:%'")
    assert notices == 1  # Ana's press after Ben's tells nobody a second time

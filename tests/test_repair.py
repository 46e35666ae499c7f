"""Repair after a conflict, at the domain level: breaks, nudges, the double-blind "ready"."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import pairing, repair
from bot.models import Person
from bot.storage.db import Database
from testing.engines import migrated, scratch
from testing.probes import cursor, latest_break
from testing.seeding import INVITE_KEY

ANA = Person(101, "Ana")
BEN = Person(202, "Ben")
NOW = 1_800_000_000
MIN = 60


async def paired(db: Database) -> int:
    code = (await pairing.create_invite(db, ANA, NOW, INVITE_KEY)).code
    result = await pairing.join(db, BEN, code, NOW, INVITE_KEY)
    return result.couple.id


async def queued(db: Database, prefix: str) -> list[tuple[int, str, int]]:
    async with (
        db.read() as uow,
        cursor(
            uow.conn,
            "SELECT chat_id, text, due_at FROM outbox WHERE dedupe_key LIKE ? ORDER BY id",
            (prefix + "%",),
        ) as cur,
    ):
        return [tuple(r) for r in await cur.fetchall()]


async def test_a_break_tells_the_partner_gently_and_nudges_both_when_it_ends(
    db: Database,
) -> None:
    assert (await repair.start_break(db, ANA.id, "20m", NOW, "UTC")).outcome is (
        repair.Outcome.NOT_PAIRED
    )
    await paired(db)
    result = await repair.start_break(db, ANA.id, "20m", NOW, "UTC")
    assert result.outcome is repair.Outcome.STARTED
    [(chat, text, _)] = await queued(db, "repair.partner_break")
    assert chat == BEN.id and "Ana needs a pause" in text and "blame" not in text
    assert await repair.run_due(db, NOW + 19 * MIN) == 0
    assert await repair.run_due(db, NOW + 20 * MIN) == 1
    assert await repair.run_due(db, NOW + 21 * MIN) == 0  # once
    assert sorted(chat for chat, _, _ in await queued(db, "nudge:")) == [ANA.id, BEN.id]


async def test_break_lengths_stay_between_20_minutes_and_24_hours(db: Database) -> None:
    await paired(db)
    await repair.start_break(db, ANA.id, "morning", NOW, "UTC")
    async with db.read() as uow, cursor(uow.conn, "SELECT started_at, ends_at FROM breaks") as cur:
        started, ends = await cur.fetchone()
    assert 20 * MIN <= ends - started <= 24 * 3600
    assert (await repair.start_break(db, ANA.id, "forever", NOW, "UTC")).outcome is (
        repair.Outcome.STALE
    )


async def test_a_second_conflict_replaces_the_break_within_the_same_24_hours(
    db: Database,
) -> None:
    await paired(db)
    await repair.start_break(db, ANA.id, "3h", NOW, "UTC")
    again = await repair.start_break(db, BEN.id, "20m", NOW + 10 * MIN, "UTC")
    assert again.outcome is repair.Outcome.REPLACED
    async with (
        db.read() as uow,
        cursor(uow.conn, "SELECT COUNT(*), MAX(ends_at) FROM breaks") as cur,
    ):
        count, ends = await cur.fetchone()
    assert count == 1 and ends == NOW + 30 * MIN
    [(chat, text, _)] = await queued(db, "repair.partner_updated")
    assert chat == ANA.id and "Ben needs a little longer" in text


async def test_ready_is_revealed_only_when_both_are_and_then_to_both(db: Database) -> None:
    await paired(db)
    await repair.start_break(db, ANA.id, "20m", NOW, "UTC")
    await repair.run_due(db, NOW + 20 * MIN)
    bid = await latest_break(db)
    at = NOW + 25 * MIN
    assert await repair.ready(db, BEN.id, bid, at) is repair.Outcome.WAITING
    assert await queued(db, "both-ready:") == []
    assert await repair.ready(db, BEN.id, bid, at) is repair.Outcome.WAITING  # twice: no change
    assert await queued(db, "both-ready:") == []
    assert await repair.ready(db, 999, bid, at) is repair.Outcome.STALE  # not in this couple
    assert await repair.ready(db, ANA.id, bid, at + 5, random.Random(1)) is repair.Outcome.WAITING
    both = await queued(db, "both-ready:")
    assert sorted(chat for chat, _, _ in both) == [ANA.id, BEN.id]
    # Both at the same moment, a little later: its timing tells neither who was first.
    assert len({due for _, _, due in both}) == 1 and both[0][2] > at + 5
    # Tapping again answers as before. "More time" before both are told answers as it would
    # if only Ben were ready (nothing to probe): it takes "ready" back, the news unread.
    assert await repair.ready(db, ANA.id, bid, at + 9) is repair.Outcome.WAITING
    assert (await repair.more_time(db, BEN.id, bid, at + 9, "UTC")).outcome is (
        repair.Outcome.EXTENDED
    )
    assert await told(db) == []
    # At the next nudge both are asked again, and told again once both are ready.
    await repair.run_due(db, at + 3600)
    for person in (ANA, BEN):
        assert await repair.ready(db, person.id, bid, at + 3601) is repair.Outcome.WAITING
    assert sorted(await told(db)) == [ANA.id, BEN.id]


async def told(db: Database) -> list[int]:
    """Who has a "both ready" on its way (not withdrawn)."""
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT chat_id FROM outbox WHERE dedupe_key LIKE 'both-ready:%' "
            "AND status != 'cancelled'"
        )
        return [r[0] for r in rows]


async def test_more_time_moves_the_nudge_but_never_past_24_hours(db: Database) -> None:
    await paired(db)
    await repair.start_break(db, ANA.id, "3h", NOW, "UTC")
    bid = await latest_break(db)
    moment = NOW + 3 * 3600
    extensions = 0
    while True:
        assert await repair.run_due(db, moment) == 1
        # One partner says "ready", the other asks for more time; at the next nudge they swap.
        # Had the earlier "ready" survived the extension, this one would make both ready.
        sure, unsure = (ANA, BEN) if extensions % 2 == 0 else (BEN, ANA)
        assert await repair.ready(db, sure.id, bid, moment) is repair.Outcome.WAITING
        assert await told(db) == []
        result = await repair.more_time(db, unsure.id, bid, moment, "UTC")
        if result.outcome is repair.Outcome.AT_LIMIT:
            break
        assert result.outcome is repair.Outcome.EXTENDED
        extensions += 1
        async with db.read() as uow, cursor(uow.conn, "SELECT ends_at FROM breaks") as cur:
            moment = (await cur.fetchone())[0]
        assert moment <= NOW + 24 * 3600
    assert extensions > 10 and moment >= NOW + 23 * 3600
    assert len(await queued(db, "repair.partner_more_time")) == extensions


async def test_phrases_reach_the_partner_and_old_buttons_do_nothing(db: Database) -> None:
    couple_id = await paired(db)
    await repair.start_break(db, ANA.id, "20m", NOW, "UTC")
    bid = await latest_break(db)
    # The phrases come with the nudge, when the cool-down is over; not while it runs.
    assert await repair.send_phrase(db, BEN.id, bid, 2, NOW) is repair.Outcome.STALE
    assert await repair.run_due(db, NOW + 20 * 60) == 1
    assert await repair.send_phrase(db, BEN.id, bid, 2, NOW) is repair.Outcome.WAITING
    [(chat, text, _)] = await queued(db, "phrase:")
    assert chat == ANA.id and "I'm sorry." in text
    assert await repair.send_phrase(db, BEN.id, bid, 9, NOW) is repair.Outcome.STALE
    assert await repair.send_phrase(db, 999, bid, 1, NOW) is repair.Outcome.STALE
    await pairing.unpair(db, ANA.id, couple_id, NOW)
    assert await repair.send_phrase(db, BEN.id, bid, 1, NOW) is repair.Outcome.STALE
    assert await repair.run_due(db, NOW + 3600) == 0  # an ended couple gets no nudge


async def test_a_third_conflict_in_a_week_brings_one_gentle_suggestion(db: Database) -> None:
    await paired(db)
    for day in range(4):
        await conflict(db, NOW + day * 24 * 3600)
        assert bool(await queued(db, "care:")) == (day >= 2)  # from the third on
    care = await queued(db, "care:")
    assert sorted(chat for chat, _, _ in care) == [ANA.id, BEN.id]  # once, to both
    assert all("https://example.org/help" in text for _, text, _ in care)


async def test_three_conflicts_spread_over_more_than_a_week_bring_no_suggestion(
    db: Database,
) -> None:
    await paired(db)
    for day in (0, 4, 8):
        await conflict(db, NOW + day * 24 * 3600)
    assert await queued(db, "care:") == []


async def conflict(db: Database, at: int) -> None:
    """A break that runs its course: started, nudged, both ready."""
    await repair.start_break(db, ANA.id, "20m", at, "UTC", "https://example.org/help")
    await repair.run_due(db, at + 3600)
    bid = await latest_break(db)
    await repair.ready(db, ANA.id, bid, at + 3600)
    await repair.ready(db, BEN.id, bid, at + 3600)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "a_more", "b_more", "tick"]), max_size=12))
def test_no_one_hears_of_readiness_before_both_are_ready(steps: list[str]) -> None:
    import asyncio
    from pathlib import Path

    async def scenario(folder: Path) -> None:
        db = await Database.open(migrated(folder / "r.db"))
        await db.migrate()
        try:
            await paired(db)
            await repair.start_break(db, ANA.id, "20m", NOW, "UTC")
            bid = await latest_break(db)
            moment = NOW + 20 * MIN
            await repair.run_due(db, moment)
            ready: set[int] = set()
            revealed = False
            for step in steps:
                moment += 60
                who = ANA if step.startswith("a") else BEN
                if step == "tick":
                    await repair.run_due(db, moment + 3600)
                    moment += 3600
                elif step.endswith("more"):
                    result = await repair.more_time(db, who.id, bid, moment, "UTC")
                    if result.outcome is repair.Outcome.EXTENDED:
                        ready.clear()  # a new round of asking; news not yet due withdrawn
                        revealed = False
                elif await repair.ready(db, who.id, bid, moment) is repair.Outcome.WAITING:
                    ready.add(who.id)
                    revealed = revealed or ready >= {ANA.id, BEN.id}
                # Nothing at all until both said ready in the same round of asking; then both.
                assert len(await told(db)) == (2 if revealed else 0)
        finally:
            await db.close()

    with scratch() as folder:
        asyncio.run(scenario(folder))

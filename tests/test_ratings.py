"""The weekly safety rating: planned on the couple's day at the check-in time in each partner's
zone, asked double-blind through the asks primitive, held while paused or in a break, revealed
once both rated, and plotted per partner."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import asks, pairing, progress, ratings, repair, weekly
from bot.models import Person
from bot.storage.db import Database
from testing.engines import migrated, scratch
from testing.probes import deliver, pending
from testing.seeding import paired_couple

ANA, BEN = Person(1, "Ana"), Person(2, "Ben")
# Wednesday 25 November 2026, noon UTC.
NOW = int(datetime(2026, 11, 25, 12, 0, tzinfo=UTC).timestamp())
# Sunday 29 November, 20:00 in Tokyo (11:00 UTC) and in UTC.
BEN_SUNDAY = int(datetime(2026, 11, 29, 11, 0, tzinfo=UTC).timestamp())
ANA_SUNDAY = int(datetime(2026, 11, 29, 20, 0, tzinfo=UTC).timestamp())


async def both_want_it(db: Database) -> int:
    couple_id = await paired_couple(db, ANA, BEN, NOW - 86400)
    async with db.unit() as uow:
        await uow.schedules.set_timezone(BEN.id, "Asia/Tokyo", NOW)
    assert await weekly.choose(db, ANA.id, "rating", True, NOW, "UTC") is weekly.Outcome.WAITING
    assert await weekly.choose(db, BEN.id, "rating", True, NOW, "UTC") is weekly.Outcome.SAVED
    return couple_id


async def plan_of(db: Database, couple_id: int) -> tuple[int, str, int]:
    async with db.read() as uow:
        row = await uow.conn.fetch_one(
            "SELECT weekday, next_slot, next_due_at FROM rating_schedules WHERE couple_id = ?",
            (couple_id,),
        )
    assert row is not None
    return int(row[0]), str(row[1]), int(row[2])


async def rating_rounds(db: Database) -> list[tuple[int, str]]:
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT id, status FROM rounds WHERE kind = 'rating' ORDER BY id"
        )
    return [(int(r[0]), str(r[1])) for r in rows]


async def test_asked_on_sunday_at_each_partners_own_check_in_time(db: Database) -> None:
    couple_id = await both_want_it(db)
    assert await plan_of(db, couple_id) == (6, "2026-11-29", BEN_SUNDAY)  # the earlier moment
    assert await ratings.due(db, BEN_SUNDAY - 1, "UTC") == 0
    assert await ratings.due(db, BEN_SUNDAY, "UTC") == 1
    [(_round_id, status)] = await rating_rounds(db)
    assert status == "open"
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT chat_id, due_at, reply_markup FROM outbox WHERE dedupe_key LIKE 'prompt:%'"
        )
    due = {r[0]: r[1] for r in rows}
    assert due == {BEN.id: BEN_SUNDAY, ANA.id: ANA_SUNDAY}  # each at 20:00 where they are
    assert all(r[2].count("callback_data") == 5 for r in rows)  # 1 to 5
    [(_chat, _, text)] = [p for p in await pending(db, "prompt:") if p[0] == BEN.id]
    assert "How safe did you feel with each other this week?" in text
    # Next Sunday is planned; running again asks nothing more this week.
    assert (await plan_of(db, couple_id))[1] == "2026-12-06"
    assert await ratings.due(db, ANA_SUNDAY, "UTC") == 0


async def test_held_while_check_ins_are_paused_and_asked_after(db: Database) -> None:
    couple_id = await both_want_it(db)
    async with db.unit() as uow:
        await uow.schedules.save(couple_id, 0b1111111, "20:00", NOW)
        await uow.schedules.set_pause(couple_id, BEN_SUNDAY + 5 * 3600)
    assert await ratings.due(db, BEN_SUNDAY, "UTC") == 0
    assert await rating_rounds(db) == []
    assert (await plan_of(db, couple_id))[2] == BEN_SUNDAY + ratings.HOLD
    moment = BEN_SUNDAY + 5 * 3600
    async with db.unit() as uow:
        await uow.schedules.set_pause(couple_id, None)  # resumed
    assert await ratings.due(db, moment, "UTC") == 1
    assert len(await rating_rounds(db)) == 1


async def test_held_while_a_break_runs(db: Database) -> None:
    couple_id = await both_want_it(db)
    await repair.start_break(db, ANA.id, "1h", BEN_SUNDAY - 60, "UTC")
    assert await ratings.due(db, BEN_SUNDAY, "UTC") == 0
    assert await rating_rounds(db) == []
    assert (await plan_of(db, couple_id))[2] == BEN_SUNDAY + ratings.HOLD


async def test_one_stopping_it_stops_it_for_both(db: Database) -> None:
    couple_id = await both_want_it(db)
    await weekly.choose(db, BEN.id, "rating", False, NOW + 1, "UTC")
    assert await ratings.due(db, BEN_SUNDAY, "UTC") == 0
    assert await rating_rounds(db) == []
    async with db.read() as uow:
        assert await uow.progress.rating_weekday(couple_id) is None  # the plan is gone


async def test_the_couple_chooses_the_day_and_the_other_is_told(db: Database) -> None:
    couple_id = await both_want_it(db)
    assert await ratings.set_weekday(db, BEN.id, 4, NOW, "UTC") is ratings.Outcome.SAVED
    weekday, slot, _ = await plan_of(db, couple_id)
    assert (weekday, slot) == (4, "2026-11-27")  # Friday
    told = [text for chat, _, text in await pending(db, "ratings-day:") if chat == ANA.id]
    assert told == ["Ben moved your weekly safety question to Fri."]
    assert ratings.weekday_of("пятница") == ratings.weekday_of("Freitag") == 4
    assert ratings.weekday_of("domingo") == 6 and ratings.weekday_of("daily") is None


async def test_both_ratings_revealed_together_and_plotted_for_each(db: Database) -> None:
    await both_want_it(db)
    await ratings.due(db, BEN_SUNDAY, "UTC")
    [(round_id, _)] = await rating_rounds(db)
    await deliver(db, ANA_SUNDAY)  # both received their question
    assert await asks.choose(db, ANA.id, round_id, 3, ANA_SUNDAY + 60) is asks.Outcome.SAVED
    assert await asks.choose(db, BEN.id, round_id, 2, ANA_SUNDAY + 120) is asks.Outcome.REVEALED
    later = ANA_SUNDAY + 3 * 86400
    async with db.read() as uow:
        couple = await uow.couples.active_for(ANA.id)
        assert couple is not None
        weeks = await progress.gather(uow, couple, later, ZoneInfo("UTC"))
    safety = {s.person: s.values for s in weeks.series if s.label == "safety"}
    # Asked on Sunday: it belongs to the week that Sunday ends (Monday-Sunday weeks).
    assert safety["Ana"][-2:] == (4.0, None) and safety["Ben"][-2:] == (3.0, None)
    assert safety["Ana"][:-2] == (None,) * 10
    words = progress.summary(weeks, "en")
    assert "How safe Ana felt: rated in 1 week, most recently 4 of 5" in words


# -- the double-blind rule, whatever the order of presses and deliveries ---------------------------

presses = st.lists(
    st.one_of(
        st.tuples(st.sampled_from([ANA.id, BEN.id]), st.integers(0, 4)),
        st.tuples(st.just(0), st.just(0)),  # deliver what is due
    ),
    max_size=12,
)


async def rating_scenario(ops: list[tuple[int, int]], folder: Path) -> None:
    db = await Database.open(migrated(folder / "steady.db"))
    await db.migrate()
    try:
        await both_want_it(db)
        await ratings.due(db, BEN_SUNDAY, "UTC")
        [(round_id, _)] = await rating_rounds(db)
        await deliver(db, ANA_SUNDAY)
        now = ANA_SUNDAY
        chosen: dict[int, int] = {}
        revealed_with: dict[int, int] | None = None
        for who, option in ops:
            now += 60
            if who == 0:
                await deliver(db, now)
                continue
            outcome = await asks.choose(db, who, round_id, option, now)
            if revealed_with is not None:
                assert outcome is asks.Outcome.STALE  # after the reveal, nothing changes
                continue
            chosen[who] = option
            if len(chosen) == 2:
                assert outcome is asks.Outcome.REVEALED
                revealed_with = dict(chosen)
            else:
                assert outcome in (asks.Outcome.SAVED, asks.Outcome.CHANGED)
            async with db.read() as uow:
                reveals = await uow.conn.fetch_all(
                    "SELECT chat_id, text FROM outbox WHERE dedupe_key LIKE ?",
                    (f"reveal:{round_id}:%",),
                )
            # No reveal of any kind before both rated; after it, one to each partner.
            assert bool(reveals) is (revealed_with is not None)
            if reveals:
                assert sorted(r[0] for r in reveals) == [ANA.id, BEN.id]
        async with db.read() as uow:
            couple = await uow.couples.active_for(ANA.id)
            assert couple is not None
            weeks = await progress.gather(uow, couple, now + 86400, ZoneInfo("UTC"))
        plotted = {
            s.person: [v for v in s.values if v is not None]
            for s in weeks.series
            if s.label == "safety"
        }
        # What the chart shows is what each chose when both had rated, or nothing before.
        expected = {
            name: ([float(revealed_with[pid] + 1)] if revealed_with else [])
            for name, pid in (("Ana", ANA.id), ("Ben", BEN.id))
        }
        assert plotted == expected
    finally:
        await db.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(presses)
def test_a_rating_is_seen_only_once_both_rated(ops: list[tuple[int, int]]) -> None:
    with scratch() as folder:
        asyncio.run(rating_scenario(ops, folder))


async def test_an_ended_pairing_is_never_asked_its_rating(db: Database) -> None:
    """Both wanted the Sunday question, then one ended the pairing: Sunday asks nothing and
    the plan is dropped."""
    couple_id = await both_want_it(db)
    assert await pairing.unpair(db, ANA.id, couple_id, NOW + 60)
    assert await ratings.due(db, ANA_SUNDAY, "UTC") == 0
    assert await rating_rounds(db) == []
    assert await pending(db, "prompt:") == []
    async with db.read() as uow:
        assert await uow.conn.fetch_value("SELECT COUNT(*) FROM rating_schedules") == 0


async def test_a_new_pair_who_both_chose_the_rating_before_is_asked_it(db: Database) -> None:
    """Ben had the weekly safety rating on with Ana (she erased herself); Cleo turned it on
    before pairing. Ben and Cleo pair: /options showed it on for both, yet no rating was
    planned (only a change of choice planned one), so it never came."""
    from bot import privacy

    cleo = Person(3, "Cleo")
    await paired_couple(db, ANA, BEN, NOW - 30 * 86400)
    await weekly.choose(db, ANA.id, "rating", True, NOW - 29 * 86400, "UTC")
    await weekly.choose(db, BEN.id, "rating", True, NOW - 29 * 86400, "UTC")
    assert await privacy.erase(db, ANA.id, NOW - 86400) is privacy.EraseOutcome.ERASED
    async with db.unit() as uow:
        await uow.users.upsert(cleo, NOW - 86400)
    assert await weekly.choose(db, cleo.id, "rating", True, NOW - 86400, "UTC") is (
        weekly.Outcome.SAVED
    )
    couple_id = await paired_couple(db, BEN, cleo, NOW)
    async with db.read() as uow:
        planned = await uow.conn.fetch_value(
            "SELECT next_due_at FROM rating_schedules WHERE couple_id = ?", (couple_id,)
        )
    assert planned is not None and planned > NOW  # Sunday's, at their check-in time

"""Times and dates each person reads are in their zone, or the deployment's: a weekly
promise, a rating and a Sunday summary after someone moved, the partner's notice of a
promise's due moment, the dates in the report's promises. Each test was red against a bug
an attack round found; its docstring says what went wrong."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import asks, progress, promises, ratings, scheduling, trust_progress, weekly
from bot.models import Person
from bot.storage.db import Database
from bot.texts import local_time
from testing.probes import deliver, pending
from testing.seeding import paired_couple

ANA, BEN = Person(1, "Ana"), Person(2, "Ben")
# Wednesday 25 November 2026, noon UTC.
NOW = int(datetime(2026, 11, 25, 12, 0, tzinfo=UTC).timestamp())


def _ts(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


async def test_a_weekly_promise_follows_the_promisers_new_time_zone(db: Database) -> None:
    """Ben, in New York, promises 'a walk together every Sunday 20:00', weekly. He moves to
    Berlin (/timezone). Every next week's promise was still due Sunday 20:00 New York time,
    02:00 Monday in Berlin, where he was asked then: week after week."""
    await paired_couple(db, ANA, BEN, NOW - 86400)
    async with db.unit() as uow:
        await uow.schedules.set_timezone(BEN.id, "America/New_York", NOW)
    made = await promises.draft(db, BEN.id, "a walk together", NOW, "UTC")
    assert made.promise_id is not None
    assert (await promises.type_due(db, BEN.id, "sun 20:00", NOW, "UTC")).outcome.name == "SET"
    await promises.set_weekly(db, BEN.id, made.promise_id, True, NOW)
    await scheduling.set_timezone(db, BEN, "Europe/Berlin", NOW + 3600, "UTC")
    first_due = _ts(2026, 11, 30, 1, 0)  # Sunday 20:00 in New York
    assert await promises.run_due(db, first_due, "UTC") == 1
    async with db.read() as uow:
        row = await uow.conn.fetch_one(
            "SELECT zone, due_at FROM promises WHERE status = 'open' AND weekly = 1"
        )
    assert row is not None
    # Next Sunday 6 December 20:00 where Ben lives now: 19:00 UTC (not 01:00 UTC Monday).
    assert (row[0], row[1]) == ("Europe/Berlin", _ts(2026, 12, 6, 19, 0))


async def test_the_partner_hears_a_promises_due_moment_in_the_deployments_zone(
    db: Database,
) -> None:
    """Neither partner set /timezone; the owner runs Steady with DEFAULT_TIMEZONE=Europe/Berlin.
    Ana promises for Sunday 20:00 (Berlin). Ben was told 'by Sun 19:00': the notice was worked
    out in UTC, while /promises and every other time shown to him use Berlin's."""
    await paired_couple(db, ANA, BEN, NOW - 86400)
    await promises.draft(db, ANA.id, "I'll call when I land", NOW, "Europe/Berlin")
    result = await promises.type_due(db, ANA.id, "sun 20:00", NOW, "Europe/Berlin")
    assert result.outcome.name == "SET"
    [(_, _, text)] = [row for row in await pending(db, "promise:") if row[0] == BEN.id]
    listing = await promises.listing(db, BEN.id, "Europe/Berlin")
    assert listing is not None and listing.open[0].due is not None
    assert listing.open[0].due.hour == 20  # /promises says 20:00
    assert "20:00" in text, text  # the notice said 19:00


async def test_the_reports_promise_dates_are_the_couples_local_dates(db: Database) -> None:
    """Ana and Ben live in Sydney. Ana's promise is judged Thursday 09:00 there (Wednesday
    22:00 UTC). The report's check-ins are dated in their zone; its promises (and agreement
    steps) were in UTC: 'Wed 25 Nov', a day before it happened."""
    sydney = ZoneInfo("Australia/Sydney")
    couple_id = await paired_couple(db, ANA, BEN, NOW - 86400)
    async with db.unit() as uow:
        for person in (ANA, BEN):
            await uow.schedules.set_timezone(person.id, "Australia/Sydney", NOW)
    await promises.draft(db, ANA.id, "I'll be home by six", NOW, "UTC")
    assert (await promises.type_due(db, ANA.id, "thu 09:00", NOW, "UTC")).outcome.name == "SET"
    due = _ts(2026, 11, 25, 22, 0)  # Thursday 26 November 09:00 in Sydney
    assert await promises.run_due(db, due, "UTC") == 1
    await deliver(db, due)
    async with db.read() as uow:
        round_id = await uow.conn.fetch_value("SELECT id FROM rounds WHERE kind = 'promise'")
    assert await asks.choose(db, ANA.id, round_id, 0, due + 60) is asks.Outcome.SAVED
    assert await asks.choose(db, BEN.id, round_id, 0, due + 120) is asks.Outcome.REVEALED
    async with db.read() as uow:
        couple = await uow.couples.get(couple_id)
        assert couple is not None
        render = await trust_progress._promises(uow, couple, NOW - 86400, due + 3600, sydney)
    section = render("en")
    assert section is not None
    thursday = local_time(date(2026, 11, 26), "date", "en")
    assert thursday in section.lines[0], (thursday, section.lines[0])


async def test_a_rating_after_moving_east_comes_at_the_check_in_time_not_before_dawn(
    db: Database,
) -> None:
    """Ana in London, Ben in New York opt in to the weekly rating (Sunday, 20:00 each): it is
    planned for the earlier moment, Ana's. Ben flies to Sydney on Wednesday (/timezone). His
    Sunday 20:00 is now hours before Ana's, so at Ana's moment his question went at once:
    Monday 07:00 in Sydney, the next morning, not at his check-in time."""
    await paired_couple(db, ANA, BEN, NOW - 86400)
    async with db.unit() as uow:
        await uow.schedules.set_timezone(ANA.id, "Europe/London", NOW)
        await uow.schedules.set_timezone(BEN.id, "America/New_York", NOW)
    await weekly.choose(db, ANA.id, "rating", True, NOW, "UTC")
    await weekly.choose(db, BEN.id, "rating", True, NOW, "UTC")
    await scheduling.set_timezone(db, BEN, "Australia/Sydney", NOW + 3600, "UTC")
    # Sunday 29 November 20:00 in Sydney is 09:00 UTC; in London 20:00 UTC.
    sydney_sunday = _ts(2026, 11, 29, 9, 0)
    asked = 0
    for moment in range(NOW + 7200, _ts(2026, 11, 29, 20, 1), 1800):
        asked += await ratings.due(db, moment, "UTC")
    assert asked == 1
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT chat_id, due_at FROM outbox WHERE dedupe_key LIKE 'prompt:%'"
        )
    due = {r[0]: r[1] for r in rows}
    assert due[BEN.id] == sydney_sunday  # was 20:00 UTC: 07:00 Monday in Sydney


async def test_the_weekly_summary_follows_a_new_time_zone(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ben opts in to the Sunday summary in Tokyo, then goes home to New York (/timezone).
    It still came at Sunday 19:00 Tokyo time: 05:00 in New York."""
    monkeypatch.setattr(progress, "draw", lambda weeks, language: b"\x89PNG")
    await paired_couple(db, ANA, BEN, NOW - 86400)
    async with db.unit() as uow:
        await uow.schedules.set_timezone(BEN.id, "Asia/Tokyo", NOW)
    for person in (ANA, BEN):
        await weekly.choose(db, person.id, "weekly", True, NOW, "UTC")
    await scheduling.set_timezone(db, BEN, "America/New_York", NOW + 3600, "UTC")
    tokyo_evening = _ts(2026, 11, 29, 10, 0)  # Sunday 19:00 in Tokyo, 05:00 in New York
    await weekly.summaries_due(db, tokyo_evening, "UTC")
    assert BEN.id not in [chat for chat, _, _ in await pending(db, "weekly:")]
    new_york_evening = _ts(2026, 11, 30, 0, 0)  # Sunday 19:00 in New York
    await weekly.summaries_due(db, new_york_evening, "UTC")
    assert BEN.id in [chat for chat, _, _ in await pending(db, "weekly:")]


async def test_the_first_weekly_summary_is_not_lost_by_a_move_east_on_sunday(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ben, in New York, opts in to the Sunday summary on Wednesday; it is planned for Sunday
    19:00 New York (00:00 UTC Monday). Sunday noon UTC he lands in Tokyo (21:00 there) and
    sends /timezone. Tokyo's Sunday 19:00 had passed, so the summary was moved to the next
    Sunday, 6 December: a week lost. It comes now instead."""
    monkeypatch.setattr(progress, "draw", lambda weeks, language: b"\x89PNG")
    wednesday = _ts(2026, 11, 25, 12, 0)
    await paired_couple(db, ANA, BEN, wednesday - 86400)
    async with db.unit() as uow:
        await uow.schedules.set_timezone(BEN.id, "America/New_York", wednesday)
    for person in (ANA, BEN):
        await weekly.choose(db, person.id, "weekly", True, wednesday, "UTC")
    await scheduling.set_timezone(db, BEN, "Asia/Tokyo", _ts(2026, 11, 29, 12, 0), "UTC")
    await weekly.summaries_due(db, _ts(2026, 11, 30, 0, 0), "UTC")
    assert BEN.id in [chat for chat, _, _ in await pending(db, "weekly:")]

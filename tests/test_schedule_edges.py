"""Schedules at their edges: time-zone offsets, a /skip and downtime, a pause and the prompt
still waiting for a partner's time, the reminder of partners hours apart, what /schedule shows
after a skip or a dated pause, and the news of an ended pairing on a discreet phone. Each test
was red against a bug an attack round found; its docstring says what went wrong."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot import checkins, scheduling
from bot.schedule_rules import EVERY_DAY, Schedule, resolve_zone, zone_or_none
from bot.storage.db import Database
from bot.texts import local_time, t
from handlers.schedules import _until
from testing.probes import cursor, deliver
from tests.test_schedules import ANA, BEN, couple, rounds_of

HOUR = 3600
GRACE = 2 * HOUR


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


async def skipped(db: Database) -> list[tuple]:
    async with (
        db.read() as uow,
        cursor(uow.conn, "SELECT slot, reason FROM skipped_slots ORDER BY slot") as cur,
    ):
        return [tuple(r) for r in await cur.fetchall()]


async def keys_for(db: Database, chat_id: int, prefix: str) -> list[tuple[str, str]]:
    async with (
        db.read() as uow,
        cursor(
            uow.conn,
            "SELECT dedupe_key, status FROM outbox WHERE chat_id = ? AND dedupe_key LIKE ?"
            " ORDER BY id",
            (chat_id, prefix + "%"),
        ) as cur,
    ):
        return [tuple(r) for r in await cur.fetchall()]


async def berlin_new_york_round(db: Database) -> int:
    """Ana (Berlin) has tonight's prompt; Ben's (New York) waits for 01:00 UTC."""
    start = ts("2026-01-10T12:00:00+00:00")
    await couple(db, start)
    await scheduling.set_timezone(db, ANA, "Europe/Berlin", start, "UTC")
    await scheduling.set_timezone(db, BEN, "America/New_York", start, "UTC")
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(20, 0)), start, "UTC")
    opened_at = ts("2026-01-10T19:00:30+00:00")
    assert (await scheduling.run_due(db, opened_at, GRACE, "UTC"))["opened"] == 1
    await deliver(db, opened_at, due_by=opened_at)
    return opened_at


@pytest.mark.parametrize(("typed", "hours"), [("GMT+2", 2), ("GMT-5", -5), ("gmt+3", 3)])
def test_a_gmt_offset_means_the_same_as_a_utc_offset(typed: str, hours: int) -> None:
    """'/timezone GMT+2' is two hours ahead of UTC, like 'UTC+2' and 'GMT +2' (with a space);
    it must not land on the POSIX-style Etc/GMT+2 zone, which is two hours *behind*."""
    zone = resolve_zone(typed)
    assert zone is not None
    offset = datetime(2026, 1, 10, tzinfo=UTC).astimezone(zone_or_none(zone)).utcoffset()
    assert offset == timedelta(hours=hours)


@pytest.mark.parametrize("typed", ["UTC-13", "UTC-14", "-14", "localtime", "Factory"])
def test_an_offset_with_no_zone_is_refused_not_saved(typed: str) -> None:
    """UTC-13 and UTC-14 exist nowhere (Etc/GMT+13 is not a zone): /timezone must say it does
    not know it, not save a name every reader then silently takes as UTC. Nor is the server's
    own zone ("localtime") or the database's placeholder ("Factory") anyone's."""
    assert resolve_zone(typed) is None


async def test_a_skip_is_not_spent_on_a_slot_lost_to_downtime(db: Database) -> None:
    """'/skip': "The next check-in will be skipped. The one after comes as usual." When the
    next one is lost to downtime anyway, the skip still waits and eats the one after."""
    start = ts("2026-02-01T08:00:00+00:00")
    await couple(db, start)
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(20, 0)), start, "UTC")
    assert await scheduling.skip_next(db, BEN.id, start) is scheduling.PauseOutcome.SKIPPING
    # Down from before the 1st's 20:00 until 23:00 (3 h, past the 2 h grace): that slot is lost.
    await scheduling.run_due(db, ts("2026-02-01T23:00:00+00:00"), GRACE, "UTC")
    await scheduling.run_due(db, ts("2026-02-02T20:00:00+00:00"), GRACE, "UTC")
    assert [s for _, s, _ in await rounds_of(db)] == ["2026-02-02"], await skipped(db)


async def pending_rows(db: Database, chat_id: int, now: int) -> dict[str, bool]:
    """What delivery could send this chat at `now`: {dedupe key kind: read as private}."""
    async with db.read() as uow:
        ready = [row for row in await uow.outbox.ready(now, 100) if row.chat_id == chat_id]
        return {
            (
                await uow.conn.fetch_value("SELECT dedupe_key FROM outbox WHERE id = ?", (row.id,))
            ).split(":")[0]: row.private
            for row in ready
        }


async def test_a_pause_withdraws_the_prompt_still_waiting_for_the_partners_time(
    db: Database,
) -> None:
    """Ana (Berlin) got tonight's check-in; Ben's (New York) waits for his 20:00, six hours
    on. Ana pauses ("Check-ins are paused... Take the time you need"), Ben is told "Ana paused
    your check-ins for now": his prompt still arrives hours later."""
    opened_at = await berlin_new_york_round(db)
    paused_at = opened_at + 30 * 60
    assert await scheduling.pause(db, ANA.id, None, paused_at, "UTC") is (
        scheduling.PauseOutcome.PAUSED
    )
    pending = [key for key, status in await keys_for(db, BEN.id, "prompt:") if status == "pending"]
    assert pending == []  # withdrawn, not moved later


async def test_after_skip_the_next_one_shown_is_the_one_that_comes(db: Database) -> None:
    """'/skip': "The next check-in will be skipped." /schedule ("Your next one: ...") still
    names the very slot that will be skipped."""
    start = ts("2026-03-10T08:00:00+00:00")
    await couple(db, start)
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(20, 0)), start, "UTC")
    await scheduling.skip_next(db, ANA.id, start)
    view = await scheduling.overview(db, BEN.id, start, "UTC")
    assert view is not None and view.next_for_me is not None
    # Tonight's is skipped: the next that comes is tomorrow's.
    assert view.next_for_me == datetime(2026, 3, 11, 20, 0, tzinfo=UTC)


async def test_a_dated_pause_reads_the_same_day_to_both_partners(db: Database) -> None:
    """Ana (Tokyo) sends '/pause 2026-01-12': check-ins come back on the 12th. Its moment is
    midnight in Tokyo, which in New York is the 11th: Ben's /schedule said "paused until 11
    Jan". Both read the date she asked for, as she was told, also where the next check-in
    comes later (a weekly schedule)."""
    start = ts("2026-01-09T12:00:00+00:00")
    await couple(db, start)
    await scheduling.set_timezone(db, ANA, "Asia/Tokyo", start, "UTC")
    await scheduling.set_timezone(db, BEN, "America/New_York", start, "UTC")
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(20, 0)), start, "UTC")
    # Every day, until the 12th; Mondays only, until Tuesday the 13th (the next check-in
    # comes on the 19th, but the pause ends when asked).
    for days, until in ((EVERY_DAY, date(2026, 1, 12)), (0b1, date(2026, 1, 13))):
        said = t("pause.until_date", "en", date=local_time(until, "date", "en"))
        await scheduling.set_schedule(db, ANA.id, Schedule(days, time(20, 0)), start, "UTC")
        await scheduling.pause(db, ANA.id, until, start, "UTC")
        for person in (ANA, BEN):
            view = await scheduling.overview(db, person.id, start, "UTC")
            assert view is not None and _until(view, "en") == said


async def test_partners_six_hours_apart_get_the_reminder_on_a_daily_schedule(
    db: Database,
) -> None:
    """The defaults (every day at 20:00, open 24 hours, a reminder 6 hours before the close)
    for Ana in Berlin and Ben in New York: the window runs from Ben's 20:00, the reminder is
    set for 19:00 UTC the next day, the very moment Ana's next round opens and closes this
    one. Ben, who has not answered, is never reminded, on any day."""

    start = ts("2026-01-10T12:00:00+00:00")
    await couple(db, start)
    await scheduling.set_timezone(db, ANA, "Europe/Berlin", start, "UTC")
    await scheduling.set_timezone(db, BEN, "America/New_York", start, "UTC")
    await scheduling.set_schedule(db, ANA.id, scheduling.DEFAULT_SCHEDULE, start, "UTC")
    moment = ts("2026-01-10T18:00:00+00:00")
    while moment < ts("2026-01-12T18:00:00+00:00"):
        await scheduling.run_due(db, moment, GRACE, "UTC")  # the tick's order
        await checkins.remind_due(db, moment)
        await checkins.close_due(db, moment)
        await deliver(db, moment, due_by=moment)
        moment += 15 * 60
    async with (
        db.read() as uow,
        cursor(uow.conn, "SELECT chat_id FROM outbox WHERE dedupe_key LIKE 'remind:%'") as cur,
    ):
        reminded = [r[0] for r in await cur.fetchall()]
    assert BEN.id in reminded


async def test_a_dated_pause_that_has_ended_is_not_shown_or_resumed_as_running(
    db: Database,
) -> None:
    """'/pause 2026-03-03' on a Monday-only schedule: on Wednesday the 4th the pause is over,
    but it is cleared only when a slot next comes due (Monday the 9th). Meanwhile /schedule
    still says "Check-ins are paused until 3 Mar" and /resume answers "Check-ins are back on"
    (and tells the partner) rather than "aren't paused right now"."""

    start = ts("2026-03-01T08:00:00+00:00")
    await couple(db, start)
    await scheduling.set_schedule(db, ANA.id, Schedule(0b1, time(20, 0)), start, "UTC")
    await scheduling.pause(db, ANA.id, date(2026, 3, 3), start, "UTC")
    await scheduling.run_due(db, ts("2026-03-02T20:00:00+00:00"), GRACE, "UTC")  # Monday: paused
    wednesday = ts("2026-03-04T12:00:00+00:00")
    await scheduling.run_due(db, wednesday, GRACE, "UTC")
    view = await scheduling.overview(db, BEN.id, wednesday, "UTC")
    assert view is not None and view.paused_until is None
    assert await scheduling.resume(db, BEN.id, wednesday) is scheduling.PauseOutcome.NOT_PAUSED


async def test_a_new_zone_before_ones_prompt_moves_it_to_ones_new_local_time(
    db: Database,
) -> None:
    """The round opened at Ana's 20:00 (Berlin); Ben's prompt waits for 20:00 in New York.
    Before it goes, Ben moves to Los Angeles and sets /timezone: "a check-in reaches each
    partner at the chosen time in their own zone", so 20:00 there (04:00 UTC), not 17:00
    there (the New York moment worked out when the round opened). The window runs from it."""
    opened_at = await berlin_new_york_round(db)
    await scheduling.set_timezone(db, BEN, "America/Los_Angeles", opened_at + 1800, "UTC")
    assert "prompt" not in await pending_rows(db, BEN.id, ts("2026-01-11T01:00:00+00:00"))
    los_angeles_20 = ts("2026-01-11T04:00:00+00:00")
    assert "prompt" in await pending_rows(db, BEN.id, los_angeles_20)
    async with db.read() as uow:
        closes_at = await uow.conn.fetch_value("SELECT closes_at FROM rounds")
    assert closes_at == los_angeles_20 + 24 * HOUR
    # And back east past his new 20:00 before it came: it goes now, not tomorrow.
    await scheduling.set_timezone(db, BEN, "Asia/Tokyo", opened_at + 3600, "UTC")
    assert "prompt" in await pending_rows(db, BEN.id, opened_at + 3600)


async def test_after_a_pause_the_withdrawn_partner_gets_no_reminder_of_the_question(
    db: Database,
) -> None:
    """Ana pauses while Ben's prompt still waits for his 20:00: it is withdrawn ("no check-in
    arrives after 'paused'"). But the round stays open for Ana, and at its reminder moment
    remind_due reminded everyone who had not answered: Ben got "reminder: <the question>",
    the check-in he was never sent, while check-ins were paused."""
    opened_at = await berlin_new_york_round(db)
    await scheduling.pause(db, ANA.id, None, opened_at + 1800, "UTC")
    moment = opened_at + 1800
    while moment < ts("2026-01-12T02:00:00+00:00"):
        await scheduling.run_due(db, moment, GRACE, "UTC")
        await checkins.remind_due(db, moment)
        await checkins.close_due(db, moment)
        await deliver(db, moment, due_by=moment)
        moment += 15 * 60
    got = await keys_for(db, BEN.id, "remind:")
    assert got == [], got


async def test_after_a_pause_ana_answering_tells_ben_nothing_about_a_withdrawn_prompt(
    db: Database,
) -> None:
    """Ana pauses while Ben's prompt waits; it is withdrawn. Ana then answers the check-in
    she did receive: Ben was queued "Ana answered, your turn" for his old prompt moment,
    about a check-in he would never get (paused)."""
    opened_at = await berlin_new_york_round(db)
    await scheduling.pause(db, ANA.id, None, opened_at + 1800, "UTC")
    await checkins.answer(db, ANA, "my words", 500, opened_at + 2400)
    got = [k for k in await keys_for(db, BEN.id, "waiting:") if k[1] != "cancelled"]
    assert got == [], got


async def test_a_checkin_started_while_paused_still_gets_its_reminder(db: Database) -> None:
    """Check-ins paused; Ana sends /checkin at 19:00, an hour before the (paused) 20:00 slot.
    The round runs its whole 24 hours (a paused slot opens nothing and closes nothing), but
    its reminder was worked out as if that slot ended it at 20:00: 6 h before, before the
    round began, so neither partner was ever reminded."""
    start = ts("2026-02-01T08:00:00+00:00")
    await couple(db, start)
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(20, 0)), start, "UTC")
    await scheduling.pause(db, ANA.id, None, start, "UTC")
    asked = ts("2026-02-01T19:00:00+00:00")
    started = await checkins.start_round(db, ANA.id, asked)
    assert started.outcome is checkins.StartOutcome.STARTED
    await deliver(db, asked, due_by=asked)
    moment = asked
    while moment < ts("2026-02-02T18:00:00+00:00"):
        await scheduling.run_due(db, moment, GRACE, "UTC")
        await checkins.remind_due(db, moment)
        await checkins.close_due(db, moment)
        await deliver(db, moment, due_by=moment)
        moment += 15 * 60
    async with db.read() as uow:
        status = await uow.conn.fetch_value("SELECT status FROM rounds")
    assert status == "open"  # the paused slots did not close it
    assert await keys_for(db, ANA.id, "remind:"), "never reminded"


async def test_a_pause_undone_at_once_still_brings_tonights_checkin_to_the_partner(
    db: Database,
) -> None:
    """Ana taps /pause, then /resume five minutes later ("Check-ins are back on"), hours
    before Ben's 20:00 in New York. The pause withdrew his prompt and /resume brought nothing
    back: tonight's round stayed open 24 h for Ana alone (her answer could only close unread),
    and Ben never got tonight's check-in."""
    opened_at = await berlin_new_york_round(db)
    await scheduling.pause(db, ANA.id, None, opened_at + 1800, "UTC")
    await checkins.answer(db, ANA, "my words", 500, opened_at + 1900)  # no news for him now
    assert await scheduling.resume(db, ANA.id, opened_at + 2100) is (
        scheduling.PauseOutcome.RESUMED
    )
    bens_time = ts("2026-01-11T01:00:00+00:00")
    got = [key for _, key, _ in await deliver(db, bens_time, due_by=bens_time)]
    assert any(key.startswith("prompt:") for key in got), got
    assert any(key.startswith("waiting:") for key in got), got  # with the news, as anyone


async def test_a_schedule_turned_off_and_on_again_brings_tonights_checkin_back(
    db: Database,
) -> None:
    """The twin of a pause undone: "/schedule off" withdrew Ben's prompt still waiting for
    his 20:00, and turning the schedule on again brought nothing back."""
    opened_at = await berlin_new_york_round(db)
    await scheduling.set_schedule(db, ANA.id, Schedule(0, time(20, 0)), opened_at + 1800, "UTC")
    bens_time = ts("2026-01-11T01:00:00+00:00")
    assert [status for _, status in await keys_for(db, BEN.id, "prompt:")] == ["cancelled"]
    every_day = Schedule(EVERY_DAY, time(20, 0))
    await scheduling.set_schedule(db, ANA.id, every_day, opened_at + 2100, "UTC")
    assert "prompt" in await pending_rows(db, BEN.id, bens_time)


async def test_a_skip_held_by_a_pause_is_not_spent_by_downtime(db: Database) -> None:
    """/skip, then a pause to the 3rd, then downtime over the 1st's slot: the lost slot spent
    the skip, though the pause held it (it keeps the skip for the slot after it). /schedule
    said the 4th would come and the tick opened the 3rd. They agree now: the 4th."""
    start = ts("2026-02-01T08:00:00+00:00")
    await couple(db, start)
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(20, 0)), start, "UTC")
    await scheduling.skip_next(db, BEN.id, start)
    await scheduling.pause(db, ANA.id, date(2026, 2, 3), start, "UTC")
    view = await scheduling.overview(db, ANA.id, start, "UTC")
    assert view is not None and view.next_for_me == datetime(2026, 2, 4, 20, 0, tzinfo=UTC)
    await scheduling.run_due(db, ts("2026-02-01T23:00:00+00:00"), GRACE, "UTC")  # lost slot
    for day in ("2026-02-02", "2026-02-03", "2026-02-04"):
        await scheduling.run_due(db, ts(f"{day}T20:00:00+00:00"), GRACE, "UTC")
    assert [slot for _, slot, _ in await rounds_of(db)] == ["2026-02-04"]

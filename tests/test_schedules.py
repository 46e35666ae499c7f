"""Schedules: parsing, zones, DST, and due slots turned into rounds exactly once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import checkins, pairing, scheduling
from bot.models import Person
from bot.schedule_rules import (
    EVERY_DAY,
    WEEKDAYS,
    Schedule,
    local_instant,
    next_slot,
    parse_pause,
    parse_schedule,
    resolve_zone,
)
from bot.storage.db import Database
from testing.probes import cursor, deliver
from testing.seeding import INVITE_KEY

ANA = Person(101, "Ana")
BEN = Person(202, "Ben")
HOUR = 3600
GRACE = 2 * HOUR
BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


@pytest.mark.parametrize(
    ("typed", "days", "at"),
    [
        ("daily 21:00", EVERY_DAY, time(21, 0)),
        ("mon wed fri 8:30pm", 0b10101, time(20, 30)),
        ("Mon, Wed, Fri 8:30 pm", 0b10101, time(20, 30)),
        ("weekdays 20:00", WEEKDAYS, time(20, 0)),
        ("weekends 9am", 0b1100000, time(9, 0)),
        ("7.45", EVERY_DAY, time(7, 45)),
        ("tuesday 12pm", 0b10, time(12, 0)),
        ("off", 0, time(20, 0)),
        # Russian, Spanish and German, whatever language the person reads Steady in.
        ("пн ср пт 20:00", 0b10101, time(20, 0)),
        ("Понедельник и среду в 8:30", 0b101, time(8, 30)),
        ("каждый день в 21:00", EVERY_DAY, time(21, 0)),
        ("по будням 19:30", WEEKDAYS, time(19, 30)),
        ("выкл", 0, time(20, 0)),
        ("lunes 21:00", 0b1, time(21, 0)),
        ("mié, vie a las 20:00", 0b10100, time(20, 0)),
        ("todos los días 7:15", EVERY_DAY, time(7, 15)),
        ("fin de semana 10:00", 0b1100000, time(10, 0)),
        ("Mo Mi Fr 20 Uhr", 0b10101, time(20, 0)),
        ("Donnerstag um 21:15", 0b1000, time(21, 15)),
        ("werktags 20:00", WEEKDAYS, time(20, 0)),
        ("aus", 0, time(20, 0)),
    ],
)
def test_schedules_read_as_people_write_them(typed: str, days: int, at: time) -> None:
    assert parse_schedule(typed) == Schedule(days, at)


@pytest.mark.parametrize(
    "typed", ["", "daily", "someday 20:00", "daily 25:00", "13pm", "x", "пн", "в 20:00 пн", "uhr"]
)
def test_unreadable_schedules(typed: str) -> None:
    assert parse_schedule(typed) is None


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("london", "Europe/London"),
        ("New York", "America/New_York"),
        ("tokyo", "Asia/Tokyo"),
        ("UTC+2", "Etc/GMT-2"),
        ("utc-5", "Etc/GMT+5"),
        ("GMT", "UTC"),
        ("+0", "UTC"),
        ("Atlantis", None),
        ("UTC+5:30", None),
        ("UTC+20", None),
    ],
)
def test_zones_from_names_cities_and_offsets(typed: str, zone: str | None) -> None:
    assert resolve_zone(typed) == zone


def test_a_time_that_does_not_exist_moves_to_the_next_valid_minute() -> None:
    # Berlin springs forward at 02:00 on 29 March 2026: 02:30 never happens.
    moment = local_instant(date(2026, 3, 29), time(2, 30), BERLIN)
    assert moment == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 local, summer time
    assert moment.astimezone(BERLIN).strftime("%H:%M") == "03:00"


def test_a_time_that_happens_twice_is_used_once() -> None:
    # Berlin falls back at 03:00 on 25 October 2026: 02:30 happens twice; the first counts.
    moment = local_instant(date(2026, 10, 25), time(2, 30), BERLIN)
    assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_eight_pm_stays_eight_pm_across_dst() -> None:
    before = local_instant(date(2026, 3, 28), time(20, 0), BERLIN)
    after = local_instant(date(2026, 3, 29), time(20, 0), BERLIN)
    assert after - before == timedelta(hours=23)
    assert after.astimezone(BERLIN).hour == before.astimezone(BERLIN).hour == 20


def test_the_next_slot_opens_at_the_earlier_partners_time() -> None:
    after = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    day, opens, instants = next_slot(Schedule(EVERY_DAY, time(20, 0)), [BERLIN, NEW_YORK], after)
    assert day == date(2026, 1, 10)
    assert opens == datetime(2026, 1, 10, 19, 0, tzinfo=UTC)  # 20:00 in Berlin
    assert instants[1] == datetime(2026, 1, 11, 1, 0, tzinfo=UTC)  # 20:00 in New York


def test_pauses_read_dates_and_spans() -> None:
    today = date(2026, 11, 24)
    assert parse_pause("2026-12-24", today) == date(2026, 12, 24)
    assert parse_pause("3 days", today) == date(2026, 11, 27)
    assert parse_pause("2w", today) == date(2026, 12, 8)
    assert parse_pause("2020-01-01", today) is None
    assert parse_pause("soon", today) is None
    # In Russian, Spanish and German, and dates written day first.
    assert parse_pause("3 Tage", today) == date(2026, 11, 27)
    assert parse_pause("1 день", today) == date(2026, 11, 25)
    assert parse_pause("3 дня", today) == date(2026, 11, 27)
    assert parse_pause("5 дней", today) == date(2026, 11, 29)
    assert parse_pause("2 недели", today) == date(2026, 12, 8)
    assert parse_pause("2 semanas", today) == date(2026, 12, 8)
    assert parse_pause("1 Woche", today) == date(2026, 12, 1)
    assert parse_pause("24.12.2026", today) == date(2026, 12, 24)
    assert parse_pause("24/12/2026", today) == date(2026, 12, 24)
    assert parse_pause("31.02.2026", today) is None
    assert parse_pause("3 ящика", today) is None


async def couple(db: Database, now: int) -> None:
    code = (await pairing.create_invite(db, ANA, now, INVITE_KEY)).code
    await pairing.join(db, BEN, code, now, INVITE_KEY)


async def rounds_of(db: Database) -> list[tuple]:
    async with (
        db.read() as uow,
        cursor(uow.conn, "SELECT id, slot, status FROM rounds ORDER BY id") as cur,
    ):
        return [tuple(r) for r in await cur.fetchall()]


async def prompt_times(db: Database, round_id: int) -> dict[int, int]:
    async with (
        db.read() as uow,
        cursor(
            uow.conn,
            "SELECT chat_id, due_at FROM outbox WHERE dedupe_key LIKE ?",
            (f"prompt:{round_id}:%",),
        ) as cur,
    ):
        return {r[0]: r[1] for r in await cur.fetchall()}


async def skipped(db: Database) -> list[tuple]:
    async with (
        db.read() as uow,
        cursor(uow.conn, "SELECT slot, reason FROM skipped_slots ORDER BY slot") as cur,
    ):
        return [tuple(r) for r in await cur.fetchall()]


async def test_each_partner_gets_the_prompt_at_their_own_local_time(db: Database) -> None:
    start = ts("2026-01-10T12:00:00+00:00")
    await couple(db, start)
    await scheduling.set_timezone(db, ANA, "Europe/Berlin", start, "UTC")
    await scheduling.set_timezone(db, BEN, "America/New_York", start, "UTC")
    daily = Schedule(EVERY_DAY, time(20, 0))
    assert (
        await scheduling.set_schedule(db, ANA.id, daily, start, "UTC") is scheduling.Outcome.SAVED
    )

    assert (await scheduling.run_due(db, ts("2026-01-10T18:59:00+00:00"), GRACE, "UTC"))[
        "opened"
    ] == 0
    opened_at = ts("2026-01-10T19:00:30+00:00")
    assert (await scheduling.run_due(db, opened_at, GRACE, "UTC"))["opened"] == 1
    assert (await scheduling.run_due(db, opened_at + 60, GRACE, "UTC"))["opened"] == 0
    [(round_id, slot, status)] = await rounds_of(db)
    assert (slot, status) == ("2026-01-10", "open")
    times = await prompt_times(db, round_id)
    assert times[ANA.id] == opened_at  # Berlin's 20:00 has come
    assert times[BEN.id] == ts("2026-01-11T01:00:00+00:00")  # New York's 20:00

    # Ben cannot answer before his prompt reaches him.
    early = await checkins.answer(db, BEN, "early", 1, opened_at + 60)
    assert early.outcome is checkins.AnswerOutcome.NO_ROUND

    # The next day's round closes the open one: one round per slot, always.
    await scheduling.run_due(db, ts("2026-01-11T19:00:00+00:00"), GRACE, "UTC")
    assert [(s, st) for _, s, st in await rounds_of(db)] == [
        ("2026-01-10", "expired"),
        ("2026-01-11", "open"),
    ]


async def test_after_downtime_only_slots_within_the_grace_window_are_sent(db: Database) -> None:
    start = ts("2026-02-01T08:00:00+00:00")
    await couple(db, start)
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(20, 0)), start, "UTC")
    # Down from before 20:00 until 21:30: 1.5 h late, within 2 h: sent.
    await scheduling.run_due(db, ts("2026-02-01T21:30:00+00:00"), GRACE, "UTC")
    # Down for two days until 22:30 on the 3rd: both missed slots recorded, nothing sent.
    counts = await scheduling.run_due(db, ts("2026-02-03T22:30:00+00:00"), GRACE, "UTC")
    assert counts == {"opened": 0, "late": 2, "paused": 0, "skipped": 0, "more": 0}
    assert [s for _, s, _ in await rounds_of(db)] == ["2026-02-01"]
    assert await skipped(db) == [("2026-02-02", "late"), ("2026-02-03", "late")]


async def test_pause_resume_and_skip(db: Database) -> None:
    start = ts("2026-03-01T08:00:00+00:00")
    await couple(db, start)
    assert await scheduling.pause(db, ANA.id, None, start, "UTC") is (
        scheduling.PauseOutcome.NO_SCHEDULE
    )
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(20, 0)), start, "UTC")
    await scheduling.pause(db, ANA.id, date(2026, 3, 3), start, "UTC")
    await scheduling.run_due(db, ts("2026-03-01T20:00:00+00:00"), GRACE, "UTC")
    await scheduling.run_due(db, ts("2026-03-02T20:00:00+00:00"), GRACE, "UTC")
    await scheduling.run_due(db, ts("2026-03-03T20:00:00+00:00"), GRACE, "UTC")  # pause over
    assert await scheduling.skip_next(db, BEN.id, start) is scheduling.PauseOutcome.SKIPPING
    await scheduling.run_due(db, ts("2026-03-04T20:00:00+00:00"), GRACE, "UTC")
    await scheduling.run_due(db, ts("2026-03-05T20:00:00+00:00"), GRACE, "UTC")
    assert [s for _, s, _ in await rounds_of(db)] == ["2026-03-03", "2026-03-05"]
    assert await skipped(db) == [
        ("2026-03-01", "paused"),
        ("2026-03-02", "paused"),
        ("2026-03-04", "skipped"),
    ]
    await scheduling.pause(db, ANA.id, None, start, "UTC")
    assert await scheduling.resume(db, BEN.id, start) is scheduling.PauseOutcome.RESUMED
    assert await scheduling.resume(db, BEN.id, start) is scheduling.PauseOutcome.NOT_PAUSED


async def test_dst_days_send_once_at_a_real_local_time(db: Database) -> None:
    start = ts("2026-03-27T12:00:00+00:00")
    await couple(db, start)
    for person in (ANA, BEN):
        await scheduling.set_timezone(db, person, "Europe/Berlin", start, "UTC")
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(2, 30)), start, "UTC")
    # Step through the spring-forward night minute by minute: one round, at 03:00 local.
    moment = ts("2026-03-29T00:00:00+00:00")
    while moment < ts("2026-03-29T03:00:00+00:00"):
        await scheduling.run_due(db, moment, GRACE, "UTC")
        moment += 60
    slots = [(rid, s) for rid, s, _ in await rounds_of(db) if s == "2026-03-29"]
    assert len(slots) == 1
    assert set((await prompt_times(db, slots[0][0])).values()) == {ts("2026-03-29T01:00:00+00:00")}
    # The fall-back night: 02:30 happens twice, the check-in comes once.
    moment = ts("2026-10-24T23:00:00+00:00")
    while moment < ts("2026-10-25T03:00:00+00:00"):
        await scheduling.run_due(db, moment, GRACE, "UTC")
        moment += 60
    assert len([s for _, s, _ in await rounds_of(db) if s == "2026-10-25"]) == 1


async def test_changing_the_schedule_tells_the_partner_and_never_repeats_a_slot(
    db: Database,
) -> None:
    start = ts("2026-04-01T08:00:00+00:00")
    await couple(db, start)
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(20, 0)), start, "UTC")
    await scheduling.run_due(db, ts("2026-04-01T20:00:00+00:00"), GRACE, "UTC")
    # Moved to 21:00 after today's round: today is not sent again.
    later = ts("2026-04-01T20:30:00+00:00")
    await scheduling.set_schedule(db, BEN.id, Schedule(EVERY_DAY, time(21, 0)), later, "UTC")
    await scheduling.run_due(db, ts("2026-04-01T21:00:00+00:00"), GRACE, "UTC")
    await scheduling.run_due(db, ts("2026-04-02T21:00:00+00:00"), GRACE, "UTC")
    assert [s for _, s, _ in await rounds_of(db)] == ["2026-04-01", "2026-04-02"]
    async with (
        db.read() as uow,
        cursor(
            uow.conn, "SELECT chat_id FROM outbox WHERE dedupe_key LIKE 'schedule:%' ORDER BY id"
        ) as cur,
    ):
        assert [r[0] for r in await cur.fetchall()] == [BEN.id, ANA.id]


async def test_unpairing_stops_the_schedule(db: Database) -> None:
    start = ts("2026-05-01T08:00:00+00:00")
    await couple(db, start)
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(20, 0)), start, "UTC")
    current = await pairing.current_couple(db, ANA.id)
    await pairing.unpair(db, ANA.id, current.id, start)
    await scheduling.run_due(db, ts("2026-05-01T20:00:00+00:00"), GRACE, "UTC")
    assert await rounds_of(db) == []


async def test_a_bounded_tick_leaves_the_rest_for_the_next(db: Database) -> None:
    start = ts("2026-06-01T08:00:00+00:00")
    for i in range(30):
        a, b = Person(1000 + 2 * i, "A"), Person(1001 + 2 * i, "B")
        code = (await pairing.create_invite(db, a, start, INVITE_KEY)).code
        await pairing.join(db, b, code, start, INVITE_KEY)
        await scheduling.set_schedule(db, a.id, Schedule(EVERY_DAY, time(20, 0)), start, "UTC")
    due_at = ts("2026-06-01T20:00:00+00:00")
    batch = 25  # couples per transaction, fewer than are due
    first = await scheduling.run_due(db, due_at, GRACE, "UTC", max_batches=1, batch=batch)
    assert first["opened"] == batch and first["more"] == 1
    rest = await scheduling.run_due(db, due_at, GRACE, "UTC", max_batches=1, batch=batch)
    assert rest["opened"] == 30 - batch
    assert (await scheduling.run_due(db, due_at, GRACE, "UTC", max_batches=1))["more"] == 0


async def test_zones_a_day_apart_never_get_a_closed_round_before_its_prompt(
    db: Database,
) -> None:
    start = ts("2026-07-01T00:00:00+00:00")
    await couple(db, start)
    await scheduling.set_timezone(db, ANA, "Pacific/Kiritimati", start, "UTC")  # UTC+14
    await scheduling.set_timezone(db, BEN, "Pacific/Pago_Pago", start, "UTC")  # UTC-11
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(20, 0)), start, "UTC")
    moment = start
    while moment < start + 3 * 24 * HOUR:
        await deliver(db, moment, due_by=moment)  # what is due has been delivered
        await scheduling.run_due(db, moment, GRACE, "UTC")
        moment += 30 * 60
    async with (
        db.read() as uow,
        cursor(
            uow.conn,
            "SELECT chat_id, dedupe_key, status FROM outbox "
            "WHERE dedupe_key LIKE 'prompt:%' OR dedupe_key LIKE 'closed:%' ORDER BY id",
        ) as cur,
    ):
        rows = [tuple(r) for r in await cur.fetchall()]
    # Ben's prompts (25 hours after Ana's) are withdrawn when the next slot closes the round,
    # so he is never told that a round he never saw has closed.
    ben_closed = [key for chat, key, _ in rows if chat == BEN.id and key.startswith("closed:")]
    ben_prompts = [status for chat, key, status in rows if chat == BEN.id and "prompt" in key]
    assert ben_closed == [] and "cancelled" in ben_prompts
    assert any(chat == ANA.id and key.startswith("closed:") for chat, key, _ in rows)


async def test_not_told_the_partner_answered_before_ones_own_prompt_arrives(
    db: Database,
) -> None:
    """README: a partner whose time has not come yet "is not told 'your partner answered'
    before their own prompt arrives", even when Telegram holds that prompt back."""
    start = ts("2026-01-10T12:00:00+00:00")
    await couple(db, start)
    await scheduling.set_timezone(db, ANA, "Europe/Berlin", start, "UTC")
    await scheduling.set_timezone(db, BEN, "America/New_York", start, "UTC")
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(20, 0)), start, "UTC")
    opened_at = ts("2026-01-10T19:00:30+00:00")
    await scheduling.run_due(db, opened_at, GRACE, "UTC")
    await deliver(db, opened_at, due_by=opened_at)  # Ana's prompt reached her; Ben's waits
    saved = await checkins.answer(db, ANA, "mine", 1, opened_at + 60)
    assert saved.outcome is checkins.AnswerOutcome.SAVED
    bens_time = ts("2026-01-11T01:00:00+00:00")
    # Hours pass: nothing is sendable to Ben before his own 20:00.
    assert await ready_keys(db, BEN.id, bens_time - 1) == []
    # At his time the prompt goes first; the notice only after it was accepted (one chat's
    # messages leave in order), never instead of it.
    assert [k.split(":")[0] for k in await ready_keys(db, BEN.id, bens_time)] == ["prompt"]
    first = await deliver(db, bens_time, due_by=bens_time)
    assert next(k for chat, k, _ in first if chat == BEN.id).startswith("prompt:")


async def ready_keys(db: Database, chat_id: int, now: int) -> list[str]:
    """What the delivery loop could send to this chat at `now` (one at a time, in order)."""
    async with db.read() as uow:
        ready = await uow.outbox.ready(now, 100)
        ids = [row.id for row in ready if row.chat_id == chat_id]
        keys = [
            await uow.conn.fetch_value("SELECT dedupe_key FROM outbox WHERE id = ?", (row_id,))
            for row_id in ids
        ]
    return keys

"""Due work in sets: what opening many couples' rounds in one batch could get wrong."""

from __future__ import annotations

import random
from datetime import date, datetime, time

from bot import checkins, pairing, prompts, scheduling
from bot.models import Person
from bot.schedule_rules import EVERY_DAY, Schedule, local_instant
from bot.storage.db import Database
from testing.engines import database
from testing.seeding import INVITE_KEY

HOUR = 3600
GRACE = 2 * HOUR
DAILY_20 = Schedule(EVERY_DAY, time(20, 0))


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def local(day: str, at: time, zone: str) -> int:
    from zoneinfo import ZoneInfo

    return int(local_instant(date.fromisoformat(day), at, ZoneInfo(zone)).timestamp())


async def pair_up(
    db: Database, n: int, now: int, zones: tuple[str, str] | None, schedule: Schedule
) -> tuple[Person, Person]:
    a, b = Person(1000 + 2 * n, f"A{n}"), Person(1001 + 2 * n, f"B{n}")
    code = (await pairing.create_invite(db, a, now, INVITE_KEY)).code
    await pairing.join(db, b, code, now, INVITE_KEY)
    if zones is not None:
        for person, zone in zip((a, b), zones, strict=True):
            await scheduling.set_timezone(db, person, zone, now, "UTC")
    await scheduling.set_schedule(db, a.id, schedule, now, "UTC")
    return a, b


async def rows(db: Database, sql: str, params: tuple = ()) -> list[tuple]:
    async with db.read() as uow:
        return [tuple(r) for r in await uow.conn.fetch_all(sql, params)]


async def couple_of(db: Database, person: Person) -> int:
    current = await pairing.current_couple(db, person.id)
    assert current is not None
    return current.id


async def next_due(db: Database, person: Person) -> tuple[str | None, int | None]:
    [(slot, due_at)] = await rows(
        db,
        "SELECT next_slot, next_due_at FROM schedules WHERE couple_id = ?",
        (await couple_of(db, person),),
    )
    return slot, due_at


async def prompt_due(db: Database, person: Person) -> list[tuple[str, int]]:
    """(slot, when the prompt is meant to reach this person) of each round they were sent."""
    return await rows(
        db,
        "SELECT r.slot, o.due_at FROM outbox o JOIN rounds r ON r.id = o.round_id "
        "WHERE o.chat_id = ? AND o.dedupe_key LIKE 'prompt:%' ORDER BY r.id",
        (person.id,),
    )


async def test_couples_of_different_zone_pairs_in_one_batch(db: Database) -> None:
    start = ts("2026-01-10T12:00:00+00:00")
    ana, ben = await pair_up(db, 0, start, ("Europe/Berlin", "America/New_York"), DAILY_20)
    # 04:00 in Tokyo is 19:00 UTC the day before, in London 04:00 UTC.
    early = Schedule(EVERY_DAY, time(4, 0))
    kai, lou = await pair_up(db, 1, start, ("Asia/Tokyo", "Europe/London"), early)
    cy, _dee = await pair_up(db, 2, start, None, DAILY_20)  # the default zone: UTC, later
    now = ts("2026-01-10T19:00:30+00:00")
    counts = await scheduling.run_due(db, now, GRACE, "UTC", max_batches=1)
    assert counts["opened"] == 2  # one transaction opened both
    assert await prompt_due(db, ana) == [("2026-01-10", now)]
    assert await prompt_due(db, ben) == [("2026-01-10", ts("2026-01-11T01:00:00+00:00"))]
    assert await prompt_due(db, kai) == [("2026-01-11", now)]
    assert await prompt_due(db, lou) == [("2026-01-11", ts("2026-01-11T04:00:00+00:00"))]
    assert await prompt_due(db, cy) == []
    # Each couple's next slot is its own group's.
    assert await next_due(db, ana) == ("2026-01-11", ts("2026-01-11T19:00:00+00:00"))
    assert await next_due(db, kai) == ("2026-01-12", ts("2026-01-11T19:00:00+00:00"))
    assert await next_due(db, cy) == ("2026-01-10", ts("2026-01-10T20:00:00+00:00"))
    # Each participant's moment is recorded with the round, as for one couple at a time.
    participants = await rows(
        db, "SELECT user_id, prompt_due FROM round_participants ORDER BY user_id"
    )
    assert participants == [
        (ana.id, now),
        (ben.id, ts("2026-01-11T01:00:00+00:00")),
        (kai.id, now),
        (lou.id, ts("2026-01-11T04:00:00+00:00")),
    ]


async def test_a_group_crossing_dst_gets_next_slots_at_the_new_offset(db: Database) -> None:
    start = ts("2026-03-27T12:00:00+00:00")
    berlin = ("Europe/Berlin", "Europe/Berlin")
    first = [await pair_up(db, n, start, berlin, DAILY_20) for n in range(3)]
    new_york = await pair_up(db, 3, start, ("America/New_York", "America/New_York"), DAILY_20)
    # Saturday 20:00 in Berlin is 19:00 UTC (CET); Sunday's 20:00 is 18:00 UTC (CEST).
    await scheduling.run_due(db, ts("2026-03-28T19:00:00+00:00"), GRACE, "UTC")
    for a, _ in first:
        assert await next_due(db, a) == ("2026-03-29", ts("2026-03-29T18:00:00+00:00"))
    # New York's 20:00 (EDT since 8 March) is still to come that day.
    assert await next_due(db, new_york[0]) == ("2026-03-28", ts("2026-03-29T00:00:00+00:00"))
    counts = await scheduling.run_due(db, ts("2026-03-29T18:00:00+00:00"), GRACE, "UTC")
    assert counts["opened"] == 3
    for a, b in first:
        expected = local("2026-03-29", time(20, 0), "Europe/Berlin")
        assert expected == ts("2026-03-29T18:00:00+00:00")
        assert (await prompt_due(db, a))[-1] == ("2026-03-29", expected)
        assert (await prompt_due(db, b))[-1] == ("2026-03-29", expected)
        assert await next_due(db, a) == ("2026-03-30", ts("2026-03-30T18:00:00+00:00"))


async def test_prompt_rotation_is_each_couples_own_in_one_batch(db: Database) -> None:
    start = ts("2026-02-01T08:00:00+00:00")
    fresh = await pair_up(db, 0, start, None, DAILY_20)
    rotated = await pair_up(db, 1, start, None, DAILY_20)
    finished = await pair_up(db, 2, start, None, DAILY_20)
    library = prompts.library()
    # `rotated` had an open_communication round and every responsibility prompt but one.
    await checkins.start_round(db, rotated[0].id, start, random.Random(1))
    responsibility = sorted(p for p in library if library[p].category == "responsibility")
    # `finished` has had every prompt: the next one starts a new pass.
    await checkins.start_round(db, finished[0].id, start, random.Random(2))
    rotated_id, finished_id = await couple_of(db, rotated[0]), await couple_of(db, finished[0])
    async with db.unit() as uow:
        for prompt_id in responsibility[1:]:
            await uow.rounds.record_prompt(rotated_id, prompt_id, start)
        already = await uow.rounds.used_prompts(finished_id)
        for prompt_id in set(library) - already:
            await uow.rounds.record_prompt(finished_id, prompt_id, start)
    [(last_finished,)] = await rows(
        db, "SELECT category FROM rounds WHERE couple_id = ?", (finished_id,)
    )

    await scheduling.run_due(db, ts("2026-02-01T20:00:00+00:00"), GRACE, "UTC", random.Random(3))

    async def newest(person: Person) -> str:
        found = await rows(
            db,
            "SELECT prompt_id FROM rounds WHERE couple_id = ? ORDER BY id DESC LIMIT 1",
            (await couple_of(db, person),),
        )
        return found[0][0]

    assert library[await newest(fresh[0])].category == prompts.CATEGORIES[0]
    assert await newest(rotated[0]) == responsibility[0]
    after = prompts.CATEGORIES[(prompts.CATEGORIES.index(last_finished) + 1) % 7]
    assert library[await newest(finished[0])].category == after
    # The new pass forgot the old one: only the prompt just chosen is used.
    assert await rows(
        db, "SELECT prompt_id FROM couple_prompts WHERE couple_id = ?", (finished_id,)
    ) == [(await newest(finished[0]),)]
    used_rotated = await rows(
        db,
        "SELECT COUNT(*) FROM couple_prompts WHERE couple_id = ?",
        (await couple_of(db, rotated[0]),),
    )
    assert used_rotated == [(1 + len(responsibility),)]


async def test_changes_between_coming_due_and_the_batch_are_seen(db: Database) -> None:
    start = ts("2026-05-01T08:00:00+00:00")
    unpaired, paused, skipping, ended, plain = [
        await pair_up(db, n, start, None, DAILY_20) for n in range(5)
    ]
    due_at = ts("2026-05-01T20:00:00+00:00")
    # All five are due at 20:00; before the batch runs, four of them change.
    changed = due_at + 30
    await pairing.unpair(db, unpaired[0].id, await couple_of(db, unpaired[0]), changed)
    await scheduling.pause(db, paused[0].id, date(2026, 5, 3), changed, "UTC")
    await scheduling.skip_next(db, skipping[1].id, changed)
    ended_id = await couple_of(db, ended[0])
    async with db.unit() as uow:  # ended by a path that left its schedule behind
        await uow.couples.end(ended_id, ended[0].id, changed)
    counts = await scheduling.run_due(db, changed + 30, GRACE, "UTC")
    assert counts == {"opened": 1, "late": 0, "paused": 1, "skipped": 1, "more": 0}
    opened = await rows(db, "SELECT couple_id FROM rounds")
    assert opened == [(await couple_of(db, plain[0]),)]
    assert await rows(db, "SELECT couple_id, reason FROM skipped_slots ORDER BY reason") == [
        (await couple_of(db, paused[0]), "paused"),
        (await couple_of(db, skipping[0]), "skipped"),
    ]
    assert await next_due(db, skipping[0]) == ("2026-05-02", ts("2026-05-02T20:00:00+00:00"))
    [(skip_next,)] = await rows(
        db,
        "SELECT skip_next FROM schedules WHERE couple_id = ?",
        (await couple_of(db, skipping[0]),),
    )
    assert skip_next == 0
    assert await rows(
        db, "SELECT next_slot, next_due_at FROM schedules WHERE couple_id = ?", (ended_id,)
    ) == [(None, None)]


async def test_a_second_run_after_a_restart_creates_nothing_twice(tmp_path) -> None:
    where = database(tmp_path / "steady.db")
    db = await Database.open(where)
    await db.migrate()
    start = ts("2026-06-01T08:00:00+00:00")
    for n in range(7):
        await pair_up(db, n, start, ("Europe/Berlin", "Asia/Kolkata"), DAILY_20)
    due_at = ts("2026-06-01T14:30:00+00:00")  # 20:00 in Kolkata
    assert (await scheduling.run_due(db, due_at, GRACE, "UTC", batch=3))["opened"] == 7
    before = await rows(db, "SELECT COUNT(*) FROM rounds UNION ALL SELECT COUNT(*) FROM outbox")
    # As if the slots had not been moved on (a crash between two steps of an older version):
    # the slots are found taken, and nothing is opened or queued again.
    async with db.unit() as uow:
        await uow.conn.execute(
            "UPDATE schedules SET next_slot = '2026-06-01', next_due_at = ?", (due_at,)
        )
    await db.close()
    db = await Database.open(where)  # a restart
    try:
        counts = await scheduling.run_due(db, due_at + 60, GRACE, "UTC", batch=3)
        assert counts["opened"] == 0
        after = await rows(db, "SELECT COUNT(*) FROM rounds UNION ALL SELECT COUNT(*) FROM outbox")
        assert after == before
        assert await rows(db, "SELECT DISTINCT next_slot FROM schedules") == [("2026-06-02",)]
    finally:
        await db.close()


async def test_a_round_both_answered_is_revealed_not_expired_by_the_next_slot(
    db: Database,
) -> None:
    start = ts("2026-07-01T08:00:00+00:00")
    held = await pair_up(db, 0, start, None, DAILY_20)
    half = await pair_up(db, 1, start, None, DAILY_20)
    await scheduling.run_due(db, ts("2026-07-01T20:00:00+00:00"), GRACE, "UTC")
    from testing.probes import deliver

    await deliver(db, ts("2026-07-01T20:00:01+00:00"))
    moment = ts("2026-07-01T20:05:00+00:00")
    # A long first answer holds the reveal a few seconds for its next part.
    await checkins.answer(db, held[0], "x" * checkins.LONG_PART, 1, moment)
    result = await checkins.answer(db, held[1], "mine", 2, moment)
    assert result.outcome is checkins.AnswerOutcome.HELD
    await checkins.answer(db, half[0], "only me", 3, moment)
    await scheduling.run_due(db, ts("2026-07-02T20:00:00+00:00"), GRACE, "UTC")
    statuses = await rows(db, "SELECT couple_id, slot, status FROM rounds ORDER BY couple_id, slot")
    held_id, half_id = await couple_of(db, held[0]), await couple_of(db, half[0])
    assert statuses == [
        (held_id, "2026-07-01", "revealed"),
        (held_id, "2026-07-02", "open"),
        (half_id, "2026-07-01", "expired"),
        (half_id, "2026-07-02", "open"),
    ]
    # The half-answered round's answer is gone unread; both partners are told it closed.
    assert await rows(
        db,
        "SELECT COUNT(*) FROM answers a JOIN rounds r ON r.id = a.round_id "
        "WHERE r.status = 'expired'",
    ) == [(0,)]
    closed = await rows(db, "SELECT chat_id FROM outbox WHERE dedupe_key LIKE 'closed:%'")
    assert sorted(c for (c,) in closed) == sorted(p.id for p in half)


async def test_the_batchs_commit_hands_its_prompts_to_delivery(db: Database) -> None:
    """Delivery wakes when a unit that queued rows commits: a batch counts what it queued."""
    start = ts("2026-08-01T08:00:00+00:00")
    for n in range(3):
        await pair_up(db, n, start, None, DAILY_20)
    queued: list[int] = []
    db.after_commit.append(lambda uow: queued.append(uow.handoff.queued))
    await scheduling.run_due(db, ts("2026-08-01T20:00:00+00:00"), GRACE, "UTC")
    assert queued and queued[0] >= 6  # both prompts of each of the three couples


async def test_due_prompts_are_queued_by_id_and_rendered_at_send_time(db: Database) -> None:
    """Due work queues a prompt by its id; delivery renders it when it reads the row, for its
    reader as things are then: a partner renamed in between is named by their new name, and a
    reader whose language changed in between gets it in the new language."""
    start = ts("2026-09-01T08:00:00+00:00")
    ana, ben = await pair_up(db, 0, start, None, DAILY_20)
    async with db.unit() as uow:  # the pairing's notices count as sent: this is about prompts
        await uow.conn.execute("UPDATE outbox SET status = 'sent', text = ''")
    now = ts("2026-09-01T20:00:30+00:00")
    await scheduling.run_due(db, now, GRACE, "UTC")
    queued = await rows(db, "SELECT text FROM outbox WHERE dedupe_key LIKE 'prompt:%'")
    assert queued == [("",), ("",)]  # nothing rendered while the batch ran
    async with db.unit() as uow:
        await uow.users.upsert(Person(ben.id, "Benedikt", "de"), now)
    [(prompt_id,)] = await rows(db, "SELECT prompt_id FROM rounds")

    async with db.unit() as uow:
        ready = await uow.outbox.ready(now + 1, 10)
    texts = {row.chat_id: row.text for row in ready}
    assert texts == {
        ana.id: prompts.message(prompt_id, "en", "Benedikt"),
        ben.id: prompts.message(prompt_id, "de", ana.first_name),
    }
    assert texts[ben.id] != prompts.message(prompt_id, "en", ana.first_name)
    assert "Benedikt" in texts[ana.id] and library_text(prompt_id) in texts[ana.id]


def library_text(prompt_id: str) -> str:
    return prompts.library()[prompt_id].text("en")


async def test_a_batch_queues_each_prompt_as_open_round_would(db: Database) -> None:
    """The batch builds its outbox rows and used prompts in the database from the rounds and
    participants it wrote: the same key, reader, moments, couple and prompt as
    checkins.open_round writes, each couple's partners in order (Couple.a, then b), couples in
    the order they came due."""
    start = ts("2026-10-01T08:00:00+00:00")
    pairs = [
        await pair_up(db, 0, start, ("Europe/Berlin", "America/New_York"), DAILY_20),
        await pair_up(db, 1, start, None, Schedule(EVERY_DAY, time(18, 30))),
        await pair_up(db, 2, start, ("Asia/Tokyo", "UTC"), Schedule(EVERY_DAY, time(4, 0))),
    ]
    async with db.unit() as uow:  # the pairing's notices count as sent: this is about prompts
        await uow.conn.execute("UPDATE outbox SET status = 'sent', text = ''")
    now = ts("2026-10-01T19:00:30+00:00")
    counts = await scheduling.run_due(db, now, GRACE, "UTC", random.Random(5))
    assert counts["opened"] == 3
    queued = await rows(
        db,
        "SELECT dedupe_key, chat_id, text, round_id, not_before, due_at, created_at, couple_id,"
        " prompt_id, status FROM outbox WHERE dedupe_key LIKE 'prompt:%' ORDER BY id",
    )
    expected = []
    for a, b in pairs:  # due at 18:00 UTC (20:00 in Berlin), 18:30, 19:00 (04:00 in Tokyo)
        couple_id = await couple_of(db, a)
        [(round_id, prompt_id)] = await rows(
            db, "SELECT id, prompt_id FROM rounds WHERE couple_id = ?", (couple_id,)
        )
        for person in (a, b):
            [(due,)] = await rows(
                db,
                "SELECT prompt_due FROM round_participants WHERE round_id = ? AND user_id = ?",
                (round_id, person.id),
            )
            key = f"prompt:{round_id}:{person.id}"
            row = (key, person.id, "", round_id, due, due, now, couple_id, prompt_id, "pending")
            expected.append(row)
        assert await rows(
            db, "SELECT prompt_id, used_at FROM couple_prompts WHERE couple_id = ?", (couple_id,)
        ) == [(prompt_id, now)]
    assert queued == expected
    assert [row[4] for row in queued] == [
        now,
        ts("2026-10-02T00:00:00+00:00"),  # 20:00 in New York
        now,
        now,
        now,
        ts("2026-10-02T04:00:00+00:00"),
    ]

"""Two units at once, on PostgreSQL as two bot processes (or a person and the tick) would run them.

SQLite's one writer serialises every unit, so these pass there by construction (and must keep
passing). On PostgreSQL units run side by side: each test holds one unit at the point where it
has read and not yet written, lets the other run until it is done or waits for a lock the first
holds (`meanwhile`), then lets the first go on. What must hold is checked in the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot import checkins, guided, pairing, reachability, repair, scheduling
from bot.checkins import AnswerOutcome, StartOutcome
from bot.models import Person
from bot.pairing import JoinOutcome
from bot.schedule_rules import EVERY_DAY, Schedule
from bot.storage import breaks, invites, outbox, rounds, schedules, users
from bot.storage.db import Database
from testing.engines import _admin, on_postgres, schema_for
from testing.probes import deliver, latest_break
from testing.seeding import INVITE_KEY

T = TypeVar("T")
ANA = Person(101, "Ana")
BEN = Person(202, "Ben")
CAL = Person(303, "Cal")
NOW = 1_800_000_000
MIN = 60
GRACE = 2 * 3600


@pytest.fixture(autouse=True)
def _this_tests_schema(tmp_path: Path) -> None:
    """The schema of conftest's `two`, whose lock waiters _done_or_blocked looks for."""
    _DATABASE[:] = [tmp_path / "steady.db"]


_DATABASE: list[Path] = []  # this test's own (tests in other workers share the server)


def _lock_waiters() -> int:
    """Sessions of this test's schema waiting for a lock."""
    row = (
        _admin()
        .execute(
            """
        SELECT count(*) FROM pg_stat_activity a
        WHERE a.wait_event_type = 'Lock' AND EXISTS (
            SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE l.pid = a.pid AND n.nspname = %s)
        """,
            (schema_for(_DATABASE[0]),),
        )
        .fetchone()
    )
    return int(row[0]) if row else 0


async def _done_or_blocked(tasks: list[asyncio.Future[Any]], arrived: asyncio.Event) -> None:
    """PostgreSQL: until one of `tasks` is done, `arrived` is set, or a unit waits for a lock.
    (SQLite: at once; the other unit cannot start before this one commits.)"""
    if not on_postgres():
        return
    for _ in range(2000):  # polls the server's view of who waits; ~10 s at most
        if arrived.is_set() or any(t.done() for t in tasks) or _lock_waiters():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the other unit neither finished nor waited for a lock")


async def meanwhile(work: Awaitable[T]) -> asyncio.Future[T]:
    """Start `work` and let it run until it is done or waits for a lock: the caller is a unit
    that has read and not yet written. Await the returned future after the caller's unit."""
    task = asyncio.ensure_future(work)
    await _done_or_blocked([task], asyncio.Event())
    return task


class Meet:
    """Two units that read, then decide: the first to reach `point` waits there until the other
    reaches it too, is done, or waits for a lock the first holds."""

    def __init__(self) -> None:
        self.arrived = 0
        self.both = asyncio.Event()
        self.tasks: list[asyncio.Future[Any]] = []

    async def point(self) -> None:
        self.arrived += 1
        if self.arrived == 2:
            self.both.set()
        if self.arrived == 1:
            await _done_or_blocked(self.tasks, self.both)

    async def run(self, *work: Awaitable[Any]) -> list[Any]:
        self.tasks = [asyncio.ensure_future(w) for w in work]
        return await asyncio.gather(*self.tasks, return_exceptions=True)


def after(
    cls: type, name: str, hook: Callable[[], Awaitable[None]], mp: pytest.MonkeyPatch
) -> None:
    """Run `hook` right after each call of `cls.name` (a storage read), before it returns."""
    real = getattr(cls, name)

    async def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = await real(self, *args, **kwargs)
        await hook()
        return result

    mp.setattr(cls, name, wrapped)


def once_after(
    cls: type, name: str, work: Callable[[], Awaitable[T]], mp: pytest.MonkeyPatch
) -> list[asyncio.Future[T]]:
    """Start `work` once, `meanwhile`, right after the first call of `cls.name`; the returned
    list then holds its future, to await after the caller's unit."""
    started: list[asyncio.Future[T]] = []

    async def hook() -> None:
        if not started:
            started.append(await meanwhile(work()))

    after(cls, name, hook, mp)
    return started


def no_errors(results: list[Any]) -> list[Any]:
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        raise errors[0]
    return results


async def value(db: Database, sql: str, params: tuple = ()) -> Any:
    async with db.read() as uow:
        return await uow.conn.fetch_value(sql, params)


async def paired(db: Database, a: Person = ANA, b: Person = BEN) -> None:
    code = (await pairing.create_invite(db, a, NOW - 600, INVITE_KEY)).code
    assert code is not None
    assert (await pairing.join(db, b, code, NOW - 600, INVITE_KEY)).outcome is JoinOutcome.PAIRED
    await deliver(db, NOW)


# --- the tick that opens rounds -------------------------------------------------------------

SLOT = int(datetime(2027, 1, 15, 20, 0, tzinfo=UTC).timestamp())


async def scheduled(db: Database) -> None:
    """A couple whose daily 20:00 check-in is due at SLOT."""
    await paired(db)
    await scheduling.set_schedule(db, ANA.id, Schedule(EVERY_DAY, time(20, 0)), SLOT - 600, "UTC")
    await deliver(db, SLOT - 600)


async def test_two_ticks_open_one_round(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two
    await scheduled(first)
    meet = Meet()
    after(schedules.Schedules, "due_slots", meet.point, monkeypatch)
    counts = no_errors(
        await meet.run(
            scheduling.run_due(first, SLOT, GRACE, "UTC"),
            scheduling.run_due(second, SLOT, GRACE, "UTC"),
        )
    )
    assert sum(c["opened"] for c in counts) == 1
    assert await value(first, "SELECT COUNT(*) FROM rounds") == 1
    prompts = await value(first, "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'prompt:%'")
    assert prompts == 2


async def test_checkin_and_the_tick_together_open_one_round_without_an_error(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two
    await scheduled(first)
    meet = Meet()
    after(rounds.Rounds, "open_for", meet.point, monkeypatch)
    after(schedules.Schedules, "due_slots", meet.point, monkeypatch)
    results = no_errors(
        await meet.run(
            checkins.start_round(first, ANA.id, SLOT),
            scheduling.run_due(second, SLOT, GRACE, "UTC"),
        )
    )
    assert results[0].outcome in (StartOutcome.STARTED, StartOutcome.ON_ITS_WAY)
    assert await value(first, "SELECT COUNT(*) FROM rounds WHERE status = 'open'") == 1


async def test_a_couple_ended_while_the_tick_opens_its_round_gets_no_prompt(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two
    await scheduled(first)
    couple = await pairing.current_couple(first, ANA.id)
    assert couple is not None
    ended = once_after(
        schedules.Schedules,
        "due_slots",
        lambda: pairing.unpair(second, BEN.id, couple.id, SLOT),
        monkeypatch,
    )
    await scheduling.run_due(first, SLOT, GRACE, "UTC")
    assert await ended[0] is not None
    assert await value(first, "SELECT COUNT(*) FROM rounds WHERE status = 'open'") == 0
    pending = "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND dedupe_key LIKE 'prompt:%'"
    assert await value(first, pending) == 0


async def test_a_schedule_set_while_the_tick_opens_the_couples_round_is_no_deadlock(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tick holds the couple and adds both people to the round (a foreign key check on
    their user rows) while /schedule holds those rows and waits for the couple."""
    first, second = two
    await scheduled(first)
    changed = once_after(
        schedules.Schedules,
        "due_slots",
        lambda: scheduling.set_schedule(
            second, BEN.id, Schedule(EVERY_DAY, time(21, 0)), SLOT, "UTC"
        ),
        monkeypatch,
    )
    await scheduling.run_due(first, SLOT, GRACE, "UTC")
    assert await changed[0] is scheduling.Outcome.SAVED
    assert await value(first, "SELECT COUNT(*) FROM rounds WHERE status = 'open'") == 1


async def test_a_schedule_set_while_the_partner_sets_a_time_zone_is_no_deadlock(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Setting the schedule asks each partner for a time zone once (a mark on their user row)
    while holding the couple; /timezone holds the user row, then the couple."""
    first, second = two
    await paired(first)
    meet = Meet()
    after(users.Users, "upsert", meet.point, monkeypatch)  # /timezone: Ben's row held
    after(schedules.Schedules, "save", meet.point, monkeypatch)  # the couple held
    no_errors(
        await meet.run(
            scheduling.set_schedule(first, ANA.id, Schedule(EVERY_DAY, time(20, 0)), NOW, "UTC"),
            scheduling.set_timezone(second, BEN, "Europe/Berlin", NOW, "UTC"),
        )
    )
    assert await value(first, "SELECT timezone FROM users WHERE id = ?", (BEN.id,)) == (
        "Europe/Berlin"
    )


async def test_both_accepting_the_default_schedule_at_once_set_it_once(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two
    await paired(first)
    couple = await pairing.current_couple(first, ANA.id)
    assert couple is not None
    meet = Meet()
    after(schedules.Schedules, "get", meet.point, monkeypatch)
    results = no_errors(
        await meet.run(
            scheduling.accept_default(first, ANA.id, couple.id, NOW, "UTC"),
            scheduling.accept_default(second, BEN.id, couple.id, NOW, "UTC"),
        )
    )
    assert sorted(r.value for r in results) == ["saved", "unchanged"]
    told = "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'schedule:%'"
    assert await value(first, told) == 1


# --- answers and the due jobs of rounds ------------------------------------------------------


async def open_round(db: Database, now: int = NOW) -> int:
    await paired(db)
    assert (await checkins.start_round(db, ANA.id, now)).outcome is StartOutcome.STARTED
    await deliver(db, now)
    return int(await value(db, "SELECT MAX(id) FROM rounds"))


async def test_a_held_reveal_due_while_the_next_part_arrives_reveals_it(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ben's long answer comes in two messages; the reveal waits for the second. The reveal job
    and the second part run together: the reveal never leaves out a part Ben was told joined."""
    first, second = two
    await open_round(first)
    part1, part2 = "a" * checkins.LONG_PART, "z" * checkins.LONG_PART  # more may follow
    await checkins.answer(first, ANA, "short", 1, NOW)
    held = await checkins.answer(first, BEN, part1, 2, NOW + 10)
    assert held.outcome is AnswerOutcome.HELD
    late = once_after(
        rounds.Rounds,
        "answers",
        lambda: checkins.answer(second, BEN, part2, 3, NOW + 12),
        monkeypatch,
    )
    await checkins.reveal_due(first, NOW + 13)
    joined = await late[0]
    reveals = "".join(t for _, key, t in await deliver(first, NOW + 13) if key.startswith("reveal"))
    assert reveals.count("short") == 2  # revealed once, to both
    if joined.outcome in (AnswerOutcome.JOINED, AnswerOutcome.HELD, AnswerOutcome.REVEALED):
        await checkins.reveal_due(first, NOW + 20)  # a reveal held again goes at its new time
        reveals += "".join(
            t for _, k, t in await deliver(first, NOW + 20) if k.startswith("reveal")
        )
        assert "z" * 100 in reveals


async def test_an_answer_saved_while_the_round_closes_is_not_kept(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The round's window ends as Ben answers: either he is told it closed, or his answer was
    saved and is deleted with the round; never an answer kept on a closed round."""
    first, second = two
    await open_round(first)
    closes_at = int(await value(first, "SELECT closes_at FROM rounds"))
    closing = once_after(
        rounds.Rounds, "save_answer", lambda: checkins.close_due(second, closes_at), monkeypatch
    )
    result = await checkins.answer(first, BEN, "mine", 5, closes_at - 1)
    await closing[0]
    await checkins.close_due(first, closes_at)  # the next tick, if this one left it
    assert result.outcome in (AnswerOutcome.SAVED, AnswerOutcome.CLOSED)
    assert await value(first, "SELECT status FROM rounds") == "expired"
    assert await value(first, "SELECT COUNT(*) FROM answers") == 0


async def test_no_reminder_to_someone_whose_answer_is_being_saved(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two
    await open_round(first)
    remind_at = int(await value(first, "SELECT remind_at FROM rounds"))
    reminding = once_after(
        rounds.Rounds, "save_answer", lambda: checkins.remind_due(second, remind_at), monkeypatch
    )
    assert (await checkins.answer(first, BEN, "mine", 5, remind_at)).outcome is AnswerOutcome.SAVED
    await reminding[0]
    await checkins.remind_due(first, remind_at)  # the next tick, if this one left it
    keys = [key for _, key, _ in await deliver(first, remind_at) if key.startswith("remind")]
    assert keys == [f"remind:{await value(first, 'SELECT id FROM rounds')}:{ANA.id}"]


# --- pairing --------------------------------------------------------------------------------


async def test_two_people_joining_each_others_codes_pair_once_without_an_error(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two
    ana_code = (await pairing.create_invite(first, ANA, NOW, INVITE_KEY)).code
    ben_code = (await pairing.create_invite(first, BEN, NOW, INVITE_KEY)).code
    assert ana_code and ben_code
    meet = Meet()
    after(invites.Invites, "find", meet.point, monkeypatch)
    results = no_errors(
        await meet.run(
            pairing.join(first, ANA, ben_code, NOW + 1, INVITE_KEY),
            pairing.join(second, BEN, ana_code, NOW + 1, INVITE_KEY),
        )
    )
    outcomes = sorted(r.outcome.value for r in results)
    assert outcomes in (["already_paired", "paired"], ["paired", "used"])
    assert await value(first, "SELECT COUNT(*) FROM couples") == 1


async def test_joining_an_inviter_who_is_pairing_elsewhere_is_a_kind_refusal(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cal uses Ana's code while Ana uses Ben's: one pairing, and a kind refusal."""
    first, second = two
    ana_code = (await pairing.create_invite(first, ANA, NOW, INVITE_KEY)).code
    ben_code = (await pairing.create_invite(first, BEN, NOW, INVITE_KEY)).code
    await pairing.create_invite(first, CAL, NOW, INVITE_KEY)  # Cal is known to Steady
    assert ana_code and ben_code
    meet = Meet()
    after(invites.Invites, "find", meet.point, monkeypatch)
    results = no_errors(
        await meet.run(
            pairing.join(first, ANA, ben_code, NOW + 1, INVITE_KEY),
            pairing.join(second, CAL, ana_code, NOW + 1, INVITE_KEY),
        )
    )
    # Whoever goes second is refused kindly: Ana's code was used up or replaced by her pairing,
    # or Ana is paired already.
    assert sorted(r.outcome.value for r in results) in (
        ["paired", "used"],
        ["paired", "replaced"],
        ["already_paired", "paired"],
    )
    assert await value(first, "SELECT COUNT(*) FROM couples") == 1


# --- repair ---------------------------------------------------------------------------------


async def nudged(db: Database) -> int:
    await paired(db)
    await repair.start_break(db, ANA.id, "20m", NOW, "UTC")
    assert await repair.run_due(db, NOW + 20 * MIN) == 1
    await deliver(db, NOW + 20 * MIN)
    return await latest_break(db)


async def test_both_asking_for_more_time_together_extends_once(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two
    break_id = await nudged(first)
    now = NOW + 21 * MIN
    meet = Meet()
    after(breaks.Breaks, "get", meet.point, monkeypatch)
    results = no_errors(
        await meet.run(
            repair.more_time(first, ANA.id, break_id, now, "UTC"),
            repair.more_time(second, BEN.id, break_id, now, "UTC"),
        )
    )
    # As on one writer: the second press finds the break cooling again, and changes nothing.
    assert sorted(r.outcome.value for r in results) == ["extended", "stale"]
    told = await value(
        first, "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'repair.partner_more_time:%'"
    )
    assert told == 1


async def test_both_ready_at_once_is_announced_once(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Holds by the couple lock (taken before the readiness is read) and the conditional
    nudged -> ready change."""
    first, second = two
    break_id = await nudged(first)
    now = NOW + 21 * MIN
    meet = Meet()
    after(breaks.Breaks, "ready_users", meet.point, monkeypatch)
    no_errors(
        await meet.run(
            repair.ready(first, ANA.id, break_id, now),
            repair.ready(second, BEN.id, break_id, now),
        )
    )
    told = "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'both-ready:%'"
    assert await value(first, told) == 2  # one to each


async def test_both_starting_the_guided_conversation_at_once_open_one_step(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Holds by the couple lock: the second press reads step 1 after the first committed."""
    first, second = two
    break_id = await nudged(first)
    now = NOW + 21 * MIN
    await repair.ready(first, ANA.id, break_id, now)
    await repair.ready(first, BEN.id, break_id, now)
    later = now + repair.REVEAL_DELAY[1]
    meet = Meet()
    after(rounds.Rounds, "step_exists", meet.point, monkeypatch)
    results = no_errors(
        await meet.run(
            guided.start(first, ANA.id, break_id, later),
            guided.start(second, BEN.id, break_id, later),
        )
    )
    assert sorted(r.value for r in results) == ["already", "started"]
    assert await value(first, "SELECT COUNT(*) FROM rounds WHERE kind = 'repair'") == 1


# --- reachability ---------------------------------------------------------------------------


async def test_someone_back_is_told_once_what_expired_while_away(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two
    await paired(first)
    async with first.unit() as uow:
        await uow.users.count_expired(ANA.id, 3)
    meet = Meet()
    after(users.Users, "returned_with_expired", meet.point, monkeypatch)
    no_errors(
        await meet.run(
            reachability.tell_returned(first, NOW),
            reachability.tell_returned(second, NOW + 1),  # another process's clock
        )
    )
    told = await value(first, "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'expired:%'")
    assert told == 1


# --- a unit cancelled mid-flight (shutdown) -------------------------------------------------


async def test_a_unit_cancelled_while_it_waits_for_a_lock_leaves_nothing_behind(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    await open_round(first)
    async with first.unit() as uow:  # Ana's use case holds the couple
        assert await uow.couples.active_for(ANA.id, lock=True) is not None
        waiting = await meanwhile(checkins.answer(second, BEN, "cut short", 5, NOW))
        waiting.cancel()  # shutdown, while Ben's answer waits for the couple
        results = await asyncio.gather(waiting, return_exceptions=True)
        assert isinstance(results[0], asyncio.CancelledError)
        if on_postgres():
            assert _lock_waiters() == 0  # the server stopped waiting too
    # The pool hands out clean connections, and the cancelled answer stored nothing.
    outcomes = [
        (await checkins.answer(second, BEN, f"mine {i}", 6 + i, NOW)).outcome for i in range(3)
    ]
    assert outcomes == [AnswerOutcome.SAVED, AnswerOutcome.REPLACED, AnswerOutcome.REPLACED]
    assert await value(second, "SELECT text FROM answers") == "mine 2"


async def test_a_unit_cancelled_while_it_holds_a_lock_releases_it(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    await open_round(first)
    holding, never = asyncio.Event(), asyncio.Event()

    async def held_then_cancelled() -> None:
        async with second.unit() as uow:
            await uow.couples.active_for(BEN.id, lock=True)
            await uow.rounds.save_answer(1, BEN.id, "cut short", 5, NOW)
            holding.set()
            await never.wait()

    task = asyncio.ensure_future(held_then_cancelled())
    await holding.wait()
    task.cancel()
    assert isinstance(
        (await asyncio.gather(task, return_exceptions=True))[0], asyncio.CancelledError
    )
    # Rolled back: the couple is free at once, and the answer is gone.
    answering = await meanwhile(checkins.answer(first, ANA, "hers", 7, NOW))
    assert answering.done() or not on_postgres()  # SQLite: the task has not run yet
    assert (await answering).outcome is AnswerOutcome.SAVED
    assert await value(first, "SELECT COUNT(*) FROM answers WHERE user_id = ?", (BEN.id,)) == 0
    assert (await checkins.answer(second, BEN, "his", 8, NOW)).outcome is AnswerOutcome.REVEALED


async def test_a_unit_cancelled_while_it_waits_to_begin_leaves_its_connection_clean(
    two: tuple[Database, Database],
) -> None:
    """SQLite: a unit waits in BEGIN IMMEDIATE while another process writes (busy_timeout),
    and is cancelled there (a stop). The BEGIN still runs on aiosqlite's thread once the other
    is done: its connection was left in a transaction nobody owned, and every later unit of
    that process failed ("cannot start a transaction within a transaction")."""
    if on_postgres():
        pytest.skip("PostgreSQL has no database-wide write lock to wait for")
    first, second = two
    await open_round(first)
    async with first.unit() as uow:  # another process writes
        await uow.rounds.save_answer(1, ANA.id, "hers", 5, NOW)
        waiting = asyncio.ensure_future(checkins.answer(second, BEN, "cut short", 6, NOW))
        engine = second._engine
        for _ in range(2000):  # until it holds its process's lock: its BEGIN is queued
            if engine._lock.locked():  # type: ignore[attr-defined]
                break
            await asyncio.sleep(0.005)
        assert engine._lock.locked()  # type: ignore[attr-defined]
        waiting.cancel()  # the stop, while Ben's answer waits to begin
    results = await asyncio.gather(waiting, return_exceptions=True)  # its BEGIN went through
    assert isinstance(results[0], asyncio.CancelledError)
    outcome = (await checkins.answer(second, BEN, "his", 7, NOW)).outcome
    assert outcome is AnswerOutcome.REVEALED
    assert await value(second, "SELECT COUNT(*) FROM answers WHERE text = 'cut short'") == 0


# --- delivery in two processes --------------------------------------------------------------


async def test_two_delivery_passes_take_different_messages(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Delivery's pass: read what is sendable, mark it in flight, send it after the commit."""
    first, second = two
    await open_round(first)
    await checkins.answer(first, ANA, "mine", 1, NOW)  # "Ana answered" waits for Ben

    async def one_pass(db: Database) -> set[int]:
        async with db.unit() as uow:
            rows = await uow.outbox.ready(NOW, 50)
            await uow.outbox.mark_inflight([row.id for row in rows])
        return {row.id for row in rows}

    meet = Meet()
    after(outbox.Outbox, "ready", meet.point, monkeypatch)
    taken = no_errors(await meet.run(one_pass(first), one_pass(second)))
    assert taken[0] | taken[1] and not taken[0] & taken[1]

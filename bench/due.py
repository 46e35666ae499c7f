"""Round creation for many couples due at one moment: set-based due work against the old
per-couple path, on SQLite and PostgreSQL side by side.

    .venv/bin/python -m bench.due [--sizes 10000 100000] [--baseline 10000] [--batch 500]
                                  [--postgres URL | --start-postgres] [--no-postgres]

For each size, a fresh database holds that many paired couples (in eight time zones, so
partners' prompts go out at their own local times) whose daily check-in is due now; the time
is that of `scheduling.run_due` until nothing is due: every round, both participants, both
prompts in the outbox, and each schedule's next slot, in batches of `scheduling.DUE_BATCH`
couples per transaction (or `--batch`), each timed: the longest is what a person's message may
wait behind on SQLite (one writer), and on PostgreSQL what one of that batch's couples may
wait. The baseline is the per-couple path this replaced (a round, its
participants, prompts and next slot in about six trips per couple), measured in the same run on
`--baseline` couples and given per couple. PostgreSQL runs when a URL is given (`--postgres`,
else STEADY_TEST_DATABASE_URL) or with `--start-postgres` (a throwaway server,
testing.pgserver: no fsync, so its figures leave out disk flushes). Beside each size, the
schema's floor (`floor_run`): the same rows by bare SQL in the same batches, with nothing read
or chosen, and run_due's time as a multiple of it. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot import checkins, prompts, scheduling
from bot.schedule_rules import local_instant, next_slot, zone_or_none
from bot.storage import bulk, schedules
from bot.storage.db import Database, in_one_trip
from bot.storage.unit import Unit

ZONES = (
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
)
GRACE = 2 * 3600
FIRST_ID = 1_000_000


# --- the database ---------------------------------------------------------------------------


@contextlib.contextmanager
def postgres_server(url: str | None, start: bool) -> Iterator[str | None]:
    if url or not start:
        yield url
        return
    from testing import pgserver

    with pgserver.running() as server:
        yield server.url


@contextlib.asynccontextmanager
async def fresh_database(engine: str, pg_url: str | None) -> AsyncIterator[Database]:
    """An empty, migrated database: a SQLite file in a temp folder, or a schema of its own.
    `database_url(db)` is what a bot process opens it with."""
    with tempfile.TemporaryDirectory() as folder:
        if engine == "sqlite":
            where = f"sqlite:///{Path(folder) / 'due.db'}"
            db = await Database.open(where)
        else:
            assert pg_url is not None
            schema = f"bench_due_{os.getpid()}_{time.monotonic_ns()}"
            import psycopg

            with psycopg.connect(pg_url, autocommit=True) as conn:
                conn.execute(f"CREATE SCHEMA {schema}")
            separator = "&" if "?" in pg_url else "?"
            where = f"{pg_url}{separator}options=-csearch_path%3D{schema}"
            db = await Database.open(where)
        _URLS[id(db)] = where
        try:
            await db.migrate()
            yield db
        finally:
            await db.close()
            if engine == "postgres":
                with psycopg.connect(pg_url, autocommit=True) as conn:
                    conn.execute(f"DROP SCHEMA {schema} CASCADE")


_URLS: dict[int, str] = {}


def database_url(db: Database) -> str:
    return _URLS[id(db)]


async def seed(
    db: Database,
    couples: int,
    now: int,
    zones: tuple[str, ...] = ZONES,
    at: str = "20:00",
    history: bool = True,
) -> list[int]:
    """Couples due now, written in bulk (the bench's set-up, not the product's path); people's
    zones taken in turn from `zones`, their daily check-in at `at`. With `history`, each couple
    has had yesterday's check-in (revealed, both prompts sent), as in a live database. The
    people's ids."""
    today = datetime.fromtimestamp(now, UTC).date().isoformat()
    yesterday = (datetime.fromtimestamp(now, UTC).date() - timedelta(days=1)).isoformat()
    people = range(FIRST_ID, FIRST_ID + 2 * couples)
    zone_of = {pid: zones[(pid * 7 + pid // 16) % len(zones)] for pid in people}
    tables = (
        (
            "users (id, first_name, created_at, updated_at, timezone)",
            [(pid, f"P{pid}", now, now, zone_of[pid]) for pid in people],
            ("bigint", "text", "bigint", "bigint", "text"),
        ),
        ("couples (id, created_at)", [(c + 1, now) for c in range(couples)], ("bigint",) * 2),
        (
            "couple_members (couple_id, user_id, joined_at)",
            [(c + 1, FIRST_ID + 2 * c + k, now) for c in range(couples) for k in (0, 1)],
            ("bigint",) * 3,
        ),
        (
            "schedules (couple_id, days, local_time, next_slot, next_due_at, updated_at)",
            [(c + 1, 127, at, today, now - 5, now) for c in range(couples)],
            ("bigint", "bigint", "text", "text", "bigint", "bigint"),
        ),
    )
    if history:
        tables += (
            (
                "rounds (id, couple_id, prompt_id, category, status, opened_at, closes_at, slot,"
                " finished_at)",
                [
                    (
                        c + 1,
                        c + 1,
                        "open-001",
                        "open_communication",
                        "revealed",
                        now - 86400,
                        now,
                        yesterday,
                        now - 80000,
                    )
                    for c in range(couples)
                ],
                ("bigint", "bigint", "text", "text", "text", "bigint", "bigint", "text", "bigint"),
            ),
            (
                "couple_prompts (couple_id, prompt_id, used_at)",
                [(c + 1, "open-001", now - 86400) for c in range(couples)],
                ("bigint", "text", "bigint"),
            ),
            (
                "round_participants (round_id, user_id, prompt_due, received_at)",
                [
                    (c + 1, FIRST_ID + 2 * c + k, now - 86400, now - 86400)
                    for c in range(couples)
                    for k in (0, 1)
                ],
                ("bigint",) * 4,
            ),
            (  # yesterday's prompts, sent: the outbox keeps a week of them
                "outbox (dedupe_key, chat_id, text, status, round_id, prompt_id, not_before,"
                " due_at, created_at, sent_at, couple_id, message_id)",
                [
                    (
                        f"prompt:{c + 1}:{FIRST_ID + 2 * c + k}",
                        FIRST_ID + 2 * c + k,
                        "",
                        "sent",
                        c + 1,
                        "open-001",
                        now - 86400,
                        now - 86400,
                        now - 86400,
                        now - 86400,
                        c + 1,
                        1,
                    )
                    for c in range(couples)
                    for k in (0, 1)
                ],
                ("text", "bigint", "text", "text", "bigint", "text") + ("bigint",) * 6,
            ),
        )
    async with db.unit() as uow:
        for table, rows, types in tables:
            sql = f"INSERT INTO {table} SELECT * FROM {{rows}} WHERE true"
            await bulk.run(uow.conn, sql, rows, types)
    if db.engine == "postgres":  # fresh statistics, as autovacuum would give a live database
        async with db.unit() as uow:
            if history:  # the rounds were given their ids: new ones come after them
                await uow.conn.execute(
                    "SELECT setval(pg_get_serial_sequence('rounds', 'id'), ?)", (couples,)
                )
            await uow.conn.execute(
                "ANALYZE users, couples, couple_members, schedules, rounds, couple_prompts,"
                " round_participants, outbox"
            )
    return list(people)


async def check(db: Database, couples: int, now: int) -> str:
    """What was created, so a fast figure is never a wrong one."""
    async with db.read() as uow:
        made = [
            await uow.conn.fetch_value(sql)
            for sql in (
                "SELECT COUNT(*) FROM rounds WHERE status = 'open'",
                "SELECT COUNT(*) FROM round_participants p JOIN rounds r ON r.id = p.round_id"
                " WHERE r.status = 'open'",
                "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'prompt:%'"
                " AND status = 'pending'",
                f"SELECT COUNT(*) FROM schedules WHERE next_due_at > {now}",
            )
        ]
    expected = [couples, 2 * couples, 2 * couples, couples]
    return "ok" if made == expected else f"WRONG {made} != {expected}"


# --- the per-couple path this replaced (the baseline) -------------------------------------


async def legacy_run_due(db: Database, now: int, grace: int, default_zone: str) -> int:
    """bot.scheduling.run_due as it was before due work went in sets: 25 couples per
    transaction, each couple's reads, round, prompts and next slot in their own trips."""
    opened = 0
    while True:
        async with db.unit() as uow:
            due = await uow.schedules.due(now, 25)
            for row in due:
                opened += await _legacy_slot(uow, row, now, grace, default_zone)
        if not due:
            return opened


async def _legacy_slot(
    uow: Unit, row: schedules.ScheduleRow, now: int, grace: int, default_zone: str
) -> int:
    assert row.next_slot is not None and row.next_due_at is not None
    couple, active, taken, current = await in_one_trip(
        uow.couples.get(row.couple_id),
        uow.couples.is_active(row.couple_id),
        uow.schedules.slot_taken(row.couple_id, row.next_slot),
        uow.rounds.open_for(row.couple_id),
    )
    slot = date.fromisoformat(row.next_slot)
    schedule = scheduling._row_schedule(row)
    if couple is None or not active:
        await uow.schedules.set_next(row.couple_id, None, None)
        return 0
    zones = await scheduling._zones(uow, couple, default_zone)
    outcome = 0
    if not taken:
        if now - row.next_due_at > grace:
            await uow.schedules.record_skip(couple.id, row.next_slot, "late", now)
        else:
            deliver_at = {
                pid: int(local_instant(slot, schedule.at, zone).timestamp())
                for pid, zone in zones.items()
            }
            if current is not None:
                await checkins.close_round(uow, current, now)
            await checkins.open_round(
                uow, couple, now, None, deliver_at=deliver_at, slot=row.next_slot
            )
            outcome = 1
    after = datetime.fromtimestamp(row.next_due_at, UTC)
    found = next_slot(schedule, list(zones.values()), after, slot + timedelta(days=1))
    if found is None:
        await uow.schedules.set_next(couple.id, None, None)
    else:
        await uow.schedules.set_next(couple.id, found[0].isoformat(), int(found[1].timestamp()))
    return outcome


# --- the schema's floor ----------------------------------------------------------------------


async def floor_run(db: Database, couples: int, now: int, batch: int) -> None:
    """The rows run_due writes for these couples (a round, its two participants and queued
    prompts, the prompt used, the next slot) by bare SQL, one batch of couples per transaction
    as run_due takes them, with every value fixed: nothing read first, nothing chosen, no
    Python a couple. No due work that writes these rows on this schema and machine can be
    faster, so it shows how much of run_due's time is the writing itself. Couple ids are
    1..couples, as `seed` gives them."""
    in_batch = "couple_id BETWEEN ? AND ?"
    new = f"r.{in_batch} AND r.opened_at = ?"
    statements = (
        (
            "INSERT INTO rounds (couple_id, prompt_id, category, opened_at, closes_at, remind_at,"
            f" slot) SELECT couple_id, 'open-002', 'open_communication', ?, ?, ?, next_slot"
            f" FROM schedules WHERE {in_batch}",
            lambda first, last: (now, now + 86400, now + 72000, first, last),
        ),
        (
            "INSERT INTO round_participants (round_id, user_id, prompt_due)"
            " SELECT r.id, m.user_id, ? FROM rounds r"
            f" JOIN couple_members m ON m.couple_id = r.couple_id WHERE {new}",
            lambda first, last: (now, first, last, now),
        ),
        (  # as enqueue_round_prompts, without its order
            "INSERT INTO outbox (dedupe_key, chat_id, text, round_id, not_before, due_at,"
            " created_at, couple_id, prompt_id)"
            " SELECT 'prompt:' || p.round_id || ':' || p.user_id, p.user_id, '', p.round_id,"
            " p.prompt_due, p.prompt_due, ?, r.couple_id, r.prompt_id"
            f" FROM round_participants p JOIN rounds r ON r.id = p.round_id WHERE {new}"
            " ON CONFLICT (dedupe_key) DO NOTHING",
            lambda first, last: (now, first, last, now),
        ),
        (
            "INSERT INTO couple_prompts (couple_id, prompt_id, used_at)"
            f" SELECT r.couple_id, r.prompt_id, r.opened_at FROM rounds r WHERE {new}",
            lambda first, last: (first, last, now),
        ),
        (
            "UPDATE schedules SET next_slot = ?, next_due_at = next_due_at + 86400"
            f" WHERE {in_batch}",
            lambda first, last: (_tomorrow(now), first, last),
        ),
    )
    for first in range(1, couples + 1, batch):
        last = min(first + batch - 1, couples)
        async with db.unit() as uow:
            for sql, args in statements:
                await uow.conn.execute(sql, args(first, last))


def _tomorrow(now: int) -> str:
    return (datetime.fromtimestamp(now, UTC).date() + timedelta(days=1)).isoformat()


# --- measuring ------------------------------------------------------------------------------


async def server_cpu(db: Database) -> float | None:
    """CPU seconds the database's server processes of this bench have used so far (PostgreSQL
    on this machine; None where /proc does not show them). On a shared machine the wall time
    counts other people's work too; CPU time does not."""
    if db.engine != "postgres":
        return 0.0
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend'"
        )
    return _proc_cpu([row[0] for row in rows])


def _proc_cpu(pids: list[int]) -> float | None:
    total = 0.0
    try:
        for pid in pids:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
    return total


async def measure(
    engine: str,
    pg_url: str | None,
    couples: int,
    path: str,
    history: bool,
    batch: int | None = None,
) -> dict:
    now = int(time.time())
    async with fresh_database(engine, pg_url) as db:
        await seed(db, couples, now, history=history)
        # What a running bot has loaded since its first tick: the prompt library, the zones.
        prompts.library()
        zone_or_none("UTC")
        server_before = await server_cpu(db)
        started, cpu_started = time.perf_counter(), time.process_time()
        longest = 0.0  # the longest transaction: what a person's message may wait behind
        if path == "per-couple":
            await legacy_run_due(db, now, GRACE, "UTC")
        elif path == "floor":
            await floor_run(db, couples, now, batch or scheduling.DUE_BATCH)
        else:
            rng = random.Random(0)
            while True:  # run_due's own loop, one transaction a call, each timed
                batch_started = time.perf_counter()
                counts = await scheduling.run_due(
                    db, now, GRACE, "UTC", rng, max_batches=1, **({"batch": batch} if batch else {})
                )
                longest = max(longest, time.perf_counter() - batch_started)
                if not counts["more"]:
                    break
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        server_after = await server_cpu(db)
        if server_before is not None and server_after is not None:
            cpu += server_after - server_before
        else:
            cpu = float("nan")
        return {
            "seconds": seconds,
            "cpu": cpu,
            "longest": longest,
            "check": await check(db, couples, now),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--baseline", type=int, default=2_000, help="couples, per-couple path")
    parser.add_argument("--postgres", default=os.environ.get("STEADY_TEST_DATABASE_URL"))
    parser.add_argument("--start-postgres", action="store_true", help="a throwaway server")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--batch", type=int, help="couples a transaction (default: run_due's)")
    parser.add_argument(
        "--fresh", action="store_true", help="couples without a past check-in (an empty database)"
    )
    args = parser.parse_args()
    history = not args.fresh

    with postgres_server(None if args.no_postgres else args.postgres, args.start_postgres) as url:
        engines = ["sqlite"] + (["postgres"] if url and not args.no_postgres else [])
        figures: dict[tuple, dict] = {}
        for engine in engines:
            if args.baseline:
                figures[engine, "baseline"] = asyncio.run(
                    measure(engine, url, args.baseline, "per-couple", history=history)
                )
            for size in args.sizes:
                for path in ("set", "floor"):
                    figures[engine, path, size] = asyncio.run(
                        measure(engine, url, size, path, history=history, batch=args.batch)
                    )

    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    print(
        f"Due rounds (round, 2 participants, 2 prompts queued, next slot per couple), "
        f"batches of {args.batch or scheduling.DUE_BATCH} couples per transaction; "
        + ("an empty database" if args.fresh else "each couple with yesterday's round revealed")
    )
    print(f"{'':34}" + "".join(f"{names[e]:>30}" for e in engines))
    rows: list[tuple[str, list[str]]] = []
    if args.baseline:
        label = f"per-couple path, {args.baseline:,} (s)"
        rows.append((label, [_cell(figures[e, "baseline"]) for e in engines]))
        per = {e: figures[e, "baseline"]["seconds"] / args.baseline for e in engines}
        rows.append(("  per couple (ms)", [f"{per[e] * 1000:.3f}" for e in engines]))
    for size in args.sizes:
        done = {e: figures[e, "set", size] for e in engines}
        floor = {e: figures[e, "floor", size] for e in engines}
        rows.append((f"set-based, {size:,} couples (s)", [_cell(done[e]) for e in engines]))
        rows.append(
            ("  longest transaction (ms)", [f"{done[e]['longest'] * 1000:.0f}" for e in engines])
        )
        if args.baseline:
            rows.append(
                (
                    "  faster than per-couple (x)",
                    [f"{per[e] * size / done[e]['seconds']:.0f}" for e in engines],
                )
            )
        rows.append((f"  the floor, {size:,} couples (s)", [_cell(floor[e]) for e in engines]))
        rows.append(
            (
                "  set-based / floor (x)",
                [f"{done[e]['seconds'] / floor[e]['seconds']:.1f}" for e in engines],
            )
        )
    for label, cells in rows:
        print(f"{label:34}" + "".join(f"{cell:>30}" for cell in cells))
    print(
        "(per-couple figures for other sizes are its per-couple time times the size; "
        "'ok': every round, participant, prompt and next slot was there; "
        "cpu: seconds of CPU this process and its PostgreSQL server processes used; "
        "longest transaction: one batch, what a person's message may wait behind; "
        "the floor: the same rows by bare SQL statements in the same batches, every value "
        "fixed, nothing read or chosen: what no due work on this schema and machine can beat)"
    )
    if "postgres" in engines and args.start_postgres:
        print("(PostgreSQL: a throwaway server without fsync)")


def _cell(result: dict) -> str:
    return f"{result['seconds']:.2f} ({result['cpu']:.2f} cpu) {result['check']}"


if __name__ == "__main__":
    main()

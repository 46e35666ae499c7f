"""How the outbox's hot statements are planned when the statistics are out of date.

Statistics are taken while the outbox holds what it usually does: a week of sent messages and
almost nothing pending. Then a fan-out queues thousands of prompts before they are taken again.
Each check that concerns one chat must still read that chat's rows (outbox_chat_due), not every
pending row: on PostgreSQL, a delivery pass that read every pending row for each of its 200
candidates took 3.4 s at 20,000 prompts (bench.fanout). Plans, not timings, are asserted.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.storage.db import Database
from bot.storage.outbox import OutboxRow
from bot.storage.unit import Unit
from testing.engines import database

NOW = 1_800_000_000
COUPLES = 1_000  # people 1..2000, couple c being people 2c - 1 and 2c
PAST_ROUNDS = 1  # yesterday's check-in, all sent: what the statistics see
CHAT = 77


def _series(count: int) -> str:
    """n = 1..count, in one statement on both engines."""
    return f"WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {count})"


async def _rounds_and_prompts(uow: Unit, status: str, first_round: int, per_couple: int) -> None:
    """`per_couple` rounds for each couple, each with both participants and both prompts (in
    the outbox with this status), round ids from `first_round`."""
    count = COUPLES * per_couple
    sent_at = "0" if status == "sent" else "NULL"  # and received
    await uow.conn.execute(
        f"""{_series(count)}
        INSERT INTO rounds (id, couple_id, prompt_id, category, status, opened_at, closes_at)
        SELECT {first_round - 1} + n, 1 + (n - 1) % {COUPLES}, 'open-001', 'open_communication',
               '{"open" if status == "pending" else "revealed"}', {NOW}, {NOW} + 86400
        FROM g"""
    )
    await uow.conn.execute(
        f"""{_series(2 * count)}
        INSERT INTO round_participants (round_id, user_id, prompt_due, received_at)
        SELECT {first_round - 1} + (n + 1) / 2, 2 * ((n + 1) / 2 - 1) % {2 * COUPLES} + 1 + n % 2,
               {NOW}, {sent_at}
        FROM g"""
    )
    await uow.conn.execute(
        f"""
        INSERT INTO outbox (dedupe_key, chat_id, text, status, round_id, prompt_id, not_before,
                            due_at, created_at, sent_at, couple_id)
        SELECT 'prompt:' || p.round_id || ':' || p.user_id, p.user_id, '', '{status}',
               p.round_id, 'open-001', {NOW} - p.round_id, {NOW} - p.round_id, 0, {sent_at},
               r.couple_id
        FROM round_participants p JOIN rounds r ON r.id = p.round_id
        WHERE p.round_id >= {first_round}"""
    )


async def _fan_out_after_quiet_statistics(db: Database, past_rounds: int = PAST_ROUNDS) -> None:
    """Statistics taken over `past_rounds` sent check-ins per couple (none: a new database),
    then today's check-in queued for every couple at once."""
    async with db.unit() as uow:
        await uow.conn.execute(
            f"""{_series(2 * COUPLES)}
            INSERT INTO users (id, first_name, created_at, updated_at) SELECT n, 'P', 0, 0 FROM g"""
        )
        await uow.conn.execute(
            f"{_series(COUPLES)} INSERT INTO couples (id, created_at) SELECT n, 0 FROM g"
        )
        if past_rounds:
            await _rounds_and_prompts(uow, "sent", 1, past_rounds)
    # What autovacuum would have analysed: tables that hold rows (never an empty one). SQLite
    # keeps no statistics unless told to (Steady never does): its planner goes by the schema.
    held = "users, couples" + (", rounds, round_participants, outbox" if past_rounds else "")
    if db.engine == "postgres":
        async with db.unit() as uow:
            await uow.conn.execute(f"ANALYZE {held}")
    async with db.unit() as uow:
        await _rounds_and_prompts(uow, "pending", COUPLES * past_rounds + 1, 1)


class _Planned:
    """The plan of each read a repository makes, taken just before it runs, in its own
    transaction: with whatever that transaction set (Conn.in_index_order)."""

    def __init__(self, uow: Unit) -> None:
        self.plans: list[str] = []
        real = uow.conn.fetch_all  # every read goes through it (fetch_one, fetch_value)
        explain = "EXPLAIN " if uow.conn.engine == "postgres" else "EXPLAIN QUERY PLAN "

        async def planned(sql: str, params: Any = ()) -> Any:
            rows = await real(explain + sql, params)
            self.plans.append("\n".join(str(r[0] if len(r) == 1 else r[-1]) for r in rows))
            return await real(sql, params)

        uow.conn.fetch_all = planned  # type: ignore[method-assign]
        run = uow.conn.execute

        async def planned_write(sql: str, params: Any = ()) -> int:
            if not sql.lstrip().upper().startswith("SET "):
                rows = await real(explain + sql, params)
                self.plans.append("\n".join(str(r[0] if len(r) == 1 else r[-1]) for r in rows))
            return await run(sql, params)

        uow.conn.execute = planned_write  # type: ignore[method-assign]


_PG_SCAN = re.compile(
    r"(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan)(?: using (\w+))?"
    r" on outbox\b(?: (\w+))?"
)
_SQLITE_SCAN = re.compile(
    r"(SCAN|SEARCH) (outbox|earlier|o)\b(?: USING (?:COVERING )?INDEX (\w+))?"
    r"(?: USING (INTEGER PRIMARY KEY))?"
)


def _outbox_scans(plan: str) -> list[tuple[str, str]]:
    """(alias, index read or "whole table") for each read of the outbox table in `plan`."""
    found = []
    lines = plan.splitlines()
    for i, line in enumerate(lines):
        if pg := _PG_SCAN.search(line):
            kind, index, alias = pg.groups()
            if kind == "Bitmap Heap Scan":  # its index is named by the node below it
                below = next(x for x in lines[i + 1 :] if "Bitmap Index Scan on" in x)
                index = below.split("Bitmap Index Scan on ")[1].split()[0]
            found.append((alias or "outbox", index or "whole table"))
        elif lite := _SQLITE_SCAN.search(line):
            index = lite.group(3) or ("outbox_pkey" if lite.group(4) else "whole table")
            found.append((lite.group(2), index))
    return found


@pytest.fixture(params=[PAST_ROUNDS, 0], ids=["after a quiet day", "a new database"])
async def history(
    request: pytest.FixtureRequest, db: Database, tmp_path: Path
) -> AsyncIterator[tuple[Database, int]]:
    """(a database, the past rounds its statistics were taken over). A new database is
    migrated here and now: on PostgreSQL a recycled test schema (the `db` fixture) keeps the
    table sizes autovacuum last saw in it, not a new database's."""
    if request.param:
        yield db, request.param
        return
    opened = await Database.open(database(tmp_path / "new.db"))
    await opened.migrate()
    yield opened, 0
    await opened.close()


async def test_a_pass_reads_each_candidates_chat_not_every_pending_row(
    history: tuple[Database, int],
) -> None:
    db, past_rounds = history
    await _fan_out_after_quiet_statistics(db, past_rounds)
    async with db.unit() as uow:
        planned = _Planned(uow)
        picked = await uow.outbox.ready(NOW, 200)
    assert len(picked) == 200  # the statement really ran, on a real fan-out
    [plan] = planned.plans
    scans = _outbox_scans(plan)
    # The candidates in the order of the sendable index, read until 200 are found; each one's
    # earlier rows through its chat; the outbox never read whole, and nothing sorted. (Tables
    # never analysed yet may be read whole while small: the planner guesses, and a partner's
    # name came from a scan of 2,000 participants on one server, from their index on another.)
    assert scans[0] == ("outbox", "outbox_sendable"), plan
    assert [index for alias, index in scans if alias == "earlier"] == ["outbox_chat_due"], plan
    assert "whole table" not in [index for _, index in scans], plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan


async def test_one_chats_checks_read_that_chats_rows(db: Database) -> None:
    await _fan_out_after_quiet_statistics(db)
    async with db.unit() as uow:
        planned = _Planned(uow)
        assert await uow.outbox.in_flight_to(CHAT) is False
        await uow.outbox.waiting_for(CHAT, NOW)
        await uow.outbox.cancel_kind_for([CHAT, CHAT + 1], "unpaired")
    assert len(planned.plans) == 3
    # The chat's rows, the few in flight, or (withdrawing a notice kind, where the server's
    # collation lets LIKE use an index) that kind's keys.
    for plan in planned.plans:
        [(_, index)] = _outbox_scans(plan)
        assert index in ("outbox_chat_due", "outbox_inflight", "outbox_dedupe_key_key"), plan


async def _claimed_after_a_fan_out(db: Database) -> list[OutboxRow]:
    """A delivery pass's 200 rows, claimed (in flight), after the fan-out."""
    await _fan_out_after_quiet_statistics(db)
    async with db.unit() as uow:
        picked = await uow.outbox.ready(NOW, 200)
        await uow.outbox.mark_inflight([row.id for row in picked], NOW)
    return picked


async def test_renewing_a_lease_reads_only_the_rows_in_flight(db: Database) -> None:
    claimed = len(await _claimed_after_a_fan_out(db))
    async with db.unit() as uow:
        planned = _Planned(uow)
        assert await uow.outbox.renew(NOW) == claimed == 200
        assert await uow.outbox.recover_inflight(NOW + 3600) == claimed
    renewal, recovery = planned.plans
    # The renewal picks its rows by the in-flight index (those another unit holds skipped,
    # on PostgreSQL) and updates each by its id.
    assert sorted(index for _, index in _outbox_scans(renewal)) == [
        "outbox_inflight",
        "outbox_pkey",
    ], renewal
    assert [index for _, index in _outbox_scans(recovery)] == ["outbox_inflight"], recovery


async def test_an_answer_looks_only_at_its_authors_rows(db: Database) -> None:
    """Every answer during a fan-out asks whether its author's prompt is in flight."""
    await _fan_out_after_quiet_statistics(db)
    async with db.unit() as uow:
        planned = _Planned(uow)
        await uow.rounds.open_for_answer(CHAT, None, 0)
    [plan] = planned.plans
    [(_, index)] = _outbox_scans(plan)
    assert index in ("outbox_chat_due", "outbox_inflight"), plan

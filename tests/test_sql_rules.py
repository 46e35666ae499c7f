"""Single use, both-ready and one outcome per round hold by their own SQL statement.

SQLite admits one writer at a time, which hides a check-then-act race. Each test forces the
interleaving a second process or a server database allows: connection 1 reads the state,
connection 2 completes the competing action and commits, then connection 1 runs its guarded
statement. The row count of that statement is what must refuse the second outcome.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import invite_codes, pairing
from bot.models import Person
from bot.pairing import JoinOutcome
from bot.storage import couples, invites
from bot.storage.db import Database
from testing.seeding import INVITE_KEY

ANA = Person(101, "Ana")
BEN = Person(202, "Ben")
CAL = Person(303, "Cal")
NOW = 1_800_000_000
MIN = 60


@pytest.fixture
async def two(tmp_path: Path) -> AsyncIterator[tuple[Database, Database]]:
    """Two connections to one database file, as two processes would have."""
    first = await Database.open(tmp_path / "steady.db")
    await first.migrate()
    second = await Database.open(tmp_path / "steady.db")
    yield first, second
    await second.close()
    await first.close()


async def scalar(db: Database, sql: str, params: tuple = ()) -> object:
    async with db.read() as conn, conn.execute(sql, params) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def invite(db: Database, now: int = NOW) -> tuple[str, invites.InviteRow]:
    code = (await pairing.create_invite(db, ANA, now, INVITE_KEY)).code
    assert code is not None
    async with db.read() as conn:
        row = await invites.find(conn, invite_codes.digest(code, INVITE_KEY))
    assert row is not None and row.used_at is None
    return code, row


# --- single-use invites ---------------------------------------------------------------------


async def test_a_second_joiner_of_one_code_writes_nothing(two: tuple[Database, Database]) -> None:
    first, second = two
    code, seen_open = await invite(first)  # 1: Ben's join reads the invite: open
    result = await pairing.join(second, CAL, code, NOW + 1, INVITE_KEY)  # 2: Cal joins, commits
    assert result.outcome is JoinOutcome.PAIRED
    async with first.transaction() as conn:  # 1: Ben's join writes, on what it read
        assert await invites.mark_used(conn, seen_open.id, BEN.id, NOW + 2) is False
    assert (
        await scalar(first, "SELECT used_by FROM invites WHERE id = ?", (seen_open.id,)) == CAL.id
    )


async def test_the_domain_refuses_the_second_joiner_cleanly(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    code, seen_open = await invite(first)
    await pairing.join(second, CAL, code, NOW + 1, INVITE_KEY)
    async with first.transaction() as conn:
        assert await pairing._use_invite(conn, seen_open, BEN, NOW + 2) is None
    async with first.read() as conn:
        assert await couples.active_for(conn, BEN.id) is None
        cal = await couples.active_for(conn, CAL.id)
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
    real_find = invites.find
    reads = iter([seen_open])

    async def stale_then_fresh(conn, code_hash):  # type: ignore[no-untyped-def]
        return next(reads, None) or await real_find(conn, code_hash)

    monkeypatch.setattr(invites, "find", stale_then_fresh)
    result = await pairing.join(first, BEN, code, NOW + 2, INVITE_KEY)
    assert result.outcome is JoinOutcome.REPLACED
    assert await pairing.current_couple(first, BEN.id) is None
    assert await scalar(first, "SELECT COUNT(*) FROM couples") == 0

"""The outbox is bounded: undeliverable messages expire after 30 days, finished rows go after 7."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import checkins, pairing, reachability
from bot.config import Settings
from bot.models import Outgoing, Person
from bot.storage.db import Database
from scheduler import due
from testing.clock import StoppedClock
from testing.probes import cursor
from testing.seeding import INVITE_KEY

DAY = timedelta(days=1)
SETTINGS = Settings(bot_token="1:x")


@pytest.fixture
def clock() -> StoppedClock:
    """Time that moves only when the test moves it: "7 days less a second" is exactly that,
    however long the test takes on a busy machine."""
    return StoppedClock()


async def rows(db: Database) -> dict[str, tuple[str, str]]:
    """dedupe key: (status, text)."""
    async with (
        db.read() as uow,
        cursor(uow.conn, "SELECT dedupe_key, status, text FROM outbox") as c,
    ):
        return {r[0]: (r[1], r[2]) for r in await c.fetchall()}


async def unseen(db: Database, user_id: int) -> int:
    async with (
        db.read() as uow,
        cursor(uow.conn, "SELECT expired_unseen FROM users WHERE id = ?", (user_id,)) as cur,
    ):
        return (await cur.fetchone())[0]


async def ana_blocked_with_a_message(db: Database, now: int) -> None:
    """Ana, one message queued for her (key a1), and then she blocks the bot."""
    async with db.unit() as uow:
        await uow.users.upsert(Person(1, "Ana"), now)
        await uow.outbox.enqueue(Outgoing(1, "a1", "for Ana"), now)
    await reachability.set_reachable(db, 1, False, now)


async def tick(db: Database, clock: StoppedClock) -> None:
    await due.run_due(db, clock, SETTINGS)


async def test_messages_for_someone_who_blocked_the_bot_expire_after_30_days(
    db: Database, clock: StoppedClock
) -> None:
    now = clock.timestamp()
    async with db.unit() as uow:
        for person in (Person(1, "Ana"), Person(2, "Ben")):
            await uow.users.upsert(person, now)
        await uow.outbox.enqueue(Outgoing(1, "a1", "for Ana"), now)
        await uow.outbox.enqueue(Outgoing(1, "a2", "also for Ana"), now)
        await uow.outbox.enqueue(Outgoing(2, "b1", "for Ben"), now)  # reachable: never expires
    await reachability.set_reachable(db, 1, False, now)

    clock.advance(30 * DAY - timedelta(seconds=1))
    await tick(db, clock)
    assert await rows(db) == {
        "a1": ("pending", "for Ana"),
        "a2": ("pending", "also for Ana"),
        "b1": ("pending", "for Ben"),
    }
    clock.advance(timedelta(seconds=1))
    await tick(db, clock)
    assert await rows(db) == {
        "a1": ("expired", ""),
        "a2": ("expired", ""),
        "b1": ("pending", "for Ben"),
    }
    assert await unseen(db, 1) == 2 and await unseen(db, 2) == 0
    await tick(db, clock)  # still away: nothing to tell yet, nothing counted twice
    assert await unseen(db, 1) == 2 and not any(k.startswith("expired:") for k in await rows(db))


async def test_a_person_who_comes_back_hears_once_that_messages_expired(
    db: Database, clock: StoppedClock
) -> None:
    await ana_blocked_with_a_message(db, clock.timestamp())
    clock.advance(31 * DAY)
    await tick(db, clock)
    async with db.unit() as uow:  # back through /start (any update refreshes her)
        await uow.users.upsert(Person(1, "Ana"), clock.timestamp())
    for _ in range(3):
        await tick(db, clock)
        clock.advance(timedelta(minutes=1))
    notices = {k: v for k, v in (await rows(db)).items() if k.startswith("expired:")}
    assert len(notices) == 1
    [(status, text)] = notices.values()
    assert status == "pending" and "30 days" in text and "/history" in text
    assert await unseen(db, 1) == 0


async def test_finished_rows_are_purged_after_7_days(db: Database, clock: StoppedClock) -> None:
    ana, ben = Person(1, "Ana"), Person(2, "Ben")
    now = clock.timestamp()
    code = (await pairing.create_invite(db, ana, now, INVITE_KEY)).code
    await pairing.join(db, ben, code, now, INVITE_KEY)
    await checkins.start_round(db, ana.id, now)
    async with db.unit() as uow:
        await uow.outbox.enqueue(Outgoing(1, "cancelled", "withdrawn"), now)
        await uow.outbox.enqueue(Outgoing(1, "failed", "refused"), now)
        await uow.outbox.enqueue(Outgoing(2, "waiting", "later", due_at=now + 9 * 86400), now)
        await uow.outbox.enqueue(Outgoing(2, "pending", "not sent yet"), now)
        [failed] = await uow.conn.fetch_all("SELECT id FROM outbox WHERE dedupe_key = 'failed'")
        await uow.outbox.mark_failed(failed[0], "BadRequest")
        await uow.outbox.cancel_pending(["cancelled"])
        sent = await uow.conn.fetch_all(
            "SELECT id FROM outbox WHERE status = 'pending' "
            "AND dedupe_key NOT IN ('waiting', 'pending')"
        )
        await uow.outbox.mark_sent([(r[0], 100 + r[0]) for r in sent], now)
    before = await rows(db)
    assert len(sent) >= 3 and {"cancelled", "failed"} < set(before)  # pairing notices, prompts

    clock.advance(7 * DAY - timedelta(seconds=1))
    assert await due.purge_outbox(db, clock.timestamp()) == 0
    clock.advance(timedelta(seconds=1))
    assert await due.purge_outbox(db, clock.timestamp()) == len(before) - 2
    assert set(await rows(db)) == {"waiting", "pending"}  # never the queue
    async with db.read() as uow:  # a reply to a prompt still finds its round
        [prompt] = await uow.conn.fetch_all(
            "SELECT COUNT(*) FROM round_messages WHERE round_id IS NOT NULL"
        )
    assert prompt[0] == 2


async def test_expired_rows_are_purged_7_days_after_they_expired(
    db: Database, clock: StoppedClock
) -> None:
    await ana_blocked_with_a_message(db, clock.timestamp())
    clock.advance(30 * DAY)
    await tick(db, clock)
    assert (await rows(db))["a1"] == ("expired", "")
    clock.advance(7 * DAY - timedelta(seconds=1))
    await tick(db, clock)
    assert "a1" in await rows(db)
    clock.advance(timedelta(seconds=1))
    await tick(db, clock)
    assert "a1" not in await rows(db)

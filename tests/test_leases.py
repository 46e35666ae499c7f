"""Leases on outbox rows: several workers share one outbox (issue 16). A worker that dies loses
its claims when the lease runs out; one that stalled past its lease changes nothing with it;
start-up recovery leaves alone what a live worker holds."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from types import SimpleNamespace

import pytest
from telegram import Bot

from bot.models import Outgoing, Person
from bot.storage.db import Database
from bot.storage.outbox import Lease, Outbox
from bot.telegram_http import AiohttpRequest
from scheduler.clock import Clock
from scheduler.delivery import Delivery
from testing.engines import on_postgres
from testing.fake_telegram import FakeTelegram

NOW = 1_800_000_000
LEASE = 30


async def queued(db: Database, *chats: int, now: int = NOW) -> None:
    async with db.unit() as uow:
        for chat in chats:
            await uow.users.upsert(Person(chat, "P"), now)
            await uow.outbox.enqueue(Outgoing(chat, f"k{chat}", f"to {chat}"), now)


async def row(db: Database, chat: int) -> tuple:
    async with db.read() as uow:
        r = await uow.conn.fetch_one(
            "SELECT status, inflight, uncertain, lease_token, message_id FROM outbox"
            " WHERE chat_id = ?",
            (chat,),
        )
    assert r is not None
    return tuple(r)


def as_worker(db: Database, name: str) -> None:
    db.lease = Lease(token=name, seconds=LEASE)


async def claim(db: Database, now: int) -> list[int]:
    async with db.unit() as uow:
        rows = await uow.outbox.ready(now, 10)
        await uow.outbox.mark_inflight([r.id for r in rows], now)
    return [r.id for r in rows]


@contextlib.asynccontextmanager
async def deliveries(fake: FakeTelegram, *dbs: Database) -> AsyncIterator[list[Delivery]]:
    """A worker's delivery on each database, started in turn (the first is elected sender),
    all stopped at the end."""
    client = Bot(fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest())
    async with client:
        started: list[Delivery] = []
        try:
            for db in dbs:
                worker = Delivery(client, db, Clock(), rate=30, per_chat_interval=0.05)
                await worker.start()
                started.append(worker)
            yield started
        finally:
            for worker in reversed(started):
                await worker.stop()


async def test_a_dead_workers_claim_returns_when_its_lease_runs_out(db: Database) -> None:
    await queued(db, 1)
    as_worker(db, "a")
    assert len(await claim(db, NOW)) == 1
    as_worker(db, "b")
    assert await claim(db, NOW + LEASE) == []  # a's lease holds to its last second
    assert len(await claim(db, NOW + LEASE + 1)) == 1  # then it is anyone's
    status, inflight, uncertain, token, _ = await row(db, 1)
    # a may have sent it before it died: b's send is on record as uncertain.
    assert (status, inflight, uncertain, token) == ("pending", 1, 1, "b")


async def test_a_renewed_lease_is_not_taken(db: Database) -> None:
    await queued(db, 1)
    as_worker(db, "a")
    await claim(db, NOW)
    async with db.unit() as uow:
        assert await uow.outbox.renew(NOW + LEASE) == 1
    as_worker(db, "b")
    assert await claim(db, NOW + LEASE + 1) == []


@pytest.mark.skipif(not on_postgres(), reason="row locks: SQLite's writer holds all of it")
async def test_a_renewal_leaves_a_row_another_unit_holds_rather_than_wait_for_it(
    db: Database,
) -> None:
    """A record of sends takes its rows in its own order, and a renewal that waited for one
    of them while holding the rest could deadlock with it (seen in bench.fanout). The renewal
    renews the others at once; the held row's lease waits for the next renewal."""
    await queued(db, 1, 2)
    as_worker(db, "a")
    first, _ = await claim(db, NOW)
    held, done = asyncio.Event(), asyncio.Event()

    async def hold(row_id: int) -> None:
        async with db.unit() as uow:  # as a record of sends holds it until its commit
            await uow.conn.execute("UPDATE outbox SET attempts = attempts WHERE id = ?", (row_id,))
            held.set()
            await done.wait()

    holder = asyncio.create_task(hold(first))
    await held.wait()
    try:
        async with asyncio.timeout(5), db.unit() as uow:
            assert await uow.outbox.renew(NOW + LEASE) == 1
    finally:
        done.set()
        await holder
    as_worker(db, "b")  # after the first lease: only the renewed row is still a's
    assert await claim(db, NOW + LEASE + 1) == [first]
    assert (await row(db, 2))[3] == "a"


async def test_a_worker_that_lost_its_lease_neither_sends_nor_records_with_it(
    db: Database,
) -> None:
    """a stalls past its lease; b takes the row over. a wakes: its send is refused (hold) and
    every write it makes about the row (sent, retry, failed, released, put back) does nothing."""
    await queued(db, 1)
    as_worker(db, "a")
    [row_id] = await claim(db, NOW)
    as_worker(db, "b")
    await claim(db, NOW + LEASE + 1)
    as_worker(db, "a")
    async with db.unit() as uow:
        assert not await uow.outbox.hold(row_id, NOW + LEASE + 2)
        await uow.outbox.mark_sent([(row_id, 77, NOW)], NOW + LEASE + 2)
        await uow.outbox.retry_later(row_id, NOW, "TimedOut", counts=True, uncertain=True)
        await uow.outbox.mark_failed(row_id, "BadRequest")
        await uow.outbox.release([row_id])
        await uow.outbox.put_back([row_id])
    assert await row(db, 1) == ("pending", 1, 1, "b", None)
    as_worker(db, "b")  # the holder may
    async with db.unit() as uow:
        assert await uow.outbox.hold(row_id, NOW + LEASE + 2)
        await uow.outbox.mark_sent([(row_id, 78, NOW)], NOW + LEASE + 2)
    assert await row(db, 1) == ("sent", 0, 1, "b", 78)


async def test_recovery_at_start_leaves_a_live_workers_sends_alone(db: Database) -> None:
    """A worker starting beside others: a row another holds under a live lease is not sent
    again; one whose lease ran out (its worker died) is, as uncertain."""
    await queued(db, 1, 2)
    as_worker(db, "a")
    await claim(db, NOW)
    async with db.unit() as uow:  # 2 claimed long ago, by a worker that died since
        await uow.conn.execute("UPDATE outbox SET lease_until = ? WHERE chat_id = 2", (NOW - 1,))
    as_worker(db, "b")
    async with db.unit() as uow:
        assert await uow.outbox.recover_inflight(NOW) == 1
    assert (await row(db, 1))[1:4] == (1, 0, "a")
    assert (await row(db, 2))[1:3] == (0, 1)


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_one_sender_for_the_bot_and_another_takes_over_when_it_stops(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """Two workers' deliveries on one database: only the elected one sends (the bot's rate is
    one), and when it stops, the other takes over and sends what waits."""
    first, second = two
    for chat in (1, 2):
        fake.user(chat, "P")
    async with deliveries(fake, first, second) as (one, _):
        assert first.lease.sending and not second.lease.sending
        await queued(second, 1, now=Clock().timestamp())
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
        await asyncio.wait_for(one.idle(), 10)
        async with second.unit() as uow:  # not the sender: it claims nothing
            assert await uow.outbox.claim(["k1"], Clock().timestamp()) == []
        await one.stop()
        await queued(second, 2, now=Clock().timestamp())
        await fake.wait_until(lambda: len(fake.sent) == 2, timeout=10)
        assert second.lease.sending
    assert [m.chat_id for m in fake.sent] == [1, 2]


def test_a_lease_token_is_new_each_start() -> None:
    assert Lease().token != Lease().token
    assert dataclasses.replace(Lease(), seconds=5).until(NOW) == NOW + 5


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_a_send_that_failed_as_its_worker_stopped_sending_goes_to_the_new_sender(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """The sender loses its lock (its connection died) while one of its sends is on the wire;
    that send then fails. The row is not left in flight under a lease this worker keeps
    renewing (only its sender loop released such rows): the new sender sends it."""
    first, second = two
    for db in two:
        db.lease = dataclasses.replace(db.lease, seconds=3)  # renewed every second
    fake.user(1, "P")
    async with deliveries(fake, first, second) as (one, _):
        assert first.lease.sending
        # As a pass of its loop claims a row; queued in the same unit, or its loop, woken by
        # the queueing, could take it first.
        async with first.unit() as uow:
            await uow.users.upsert(Person(1, "P"), Clock().timestamp())
            await uow.outbox.enqueue(Outgoing(1, "k1", "to 1"), Clock().timestamp())
            [claimed] = await uow.outbox.ready(Clock().timestamp(), 10)
            await uow.outbox.mark_inflight([claimed.id], Clock().timestamp())

        async def no_lock() -> None:
            return None

        async def fails(row: object) -> None:
            # On the wire, the sender lock's session ends; then the request fails.
            lock = one._sender_lock
            assert lock is not None
            one._elect = no_lock  # type: ignore[method-assign]  # the other wins the next
            await lock._conn.close()  # type: ignore[attr-defined]
            await fake.wait_until(lambda: second.lease.sending, timeout=10)
            await fake.wait_until(lambda: not first.lease.sending, timeout=10)
            raise RuntimeError("the connection broke")

        one._send = fails  # type: ignore[method-assign]
        one._busy[1] += 1  # as its pass counts a chat it sends to
        await one._deliver(claimed)
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=20)
    assert (await row(first, 1))[:3] == ("sent", 0, 1)  # it may have arrived: uncertain


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_a_worker_that_no_longer_sends_leaves_its_claimed_sends_to_the_sender(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """A hand-off claimed while its worker was the sender waits for its chat's turn; meanwhile
    the worker stops being the sender. It does not send it beside the new sender (the bot's
    rate is one): the row goes back, certainly unsent, and the sender sends it."""
    first, second = two
    fake.user(1, "P")
    async with deliveries(fake, first, second) as (one, other):
        assert first.lease.sending and not second.lease.sending
        async with second.unit() as uow:  # claimed under the other worker's lease
            await uow.users.upsert(Person(1, "P"), Clock().timestamp())
            await uow.outbox.enqueue(Outgoing(1, "k1", "to 1"), Clock().timestamp())
            [claimed] = await uow.outbox.ready(Clock().timestamp(), 10)
            await uow.outbox.mark_inflight([claimed.id], Clock().timestamp())
        other.send_claimed([claimed])
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
        await asyncio.wait_for(one.idle(), 10)
        await asyncio.wait_for(other.recorded(), 10)
    assert await row(first, 1) == ("sent", 0, 0, first.lease.token, fake.sent[0].message_id)


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_a_row_left_in_flight_by_a_failed_put_back_is_not_renewed_forever(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """A claimed row this worker no longer works on (putting it back failed: the database
    blinked) while nothing of its is in flight: its lease runs out rather than being renewed
    for as long as the worker lives, and the sender retries it, as uncertain."""
    first, _ = two
    first.lease = dataclasses.replace(first.lease, seconds=3)  # renewed every second
    fake.user(1, "P")
    async with deliveries(fake, first) as (one,):
        async with first.unit() as uow:  # claimed under its lease, then left
            await uow.users.upsert(Person(1, "P"), Clock().timestamp())
            await uow.outbox.enqueue(Outgoing(1, "k1", "to 1"), Clock().timestamp())
            [claimed] = await uow.outbox.ready(Clock().timestamp(), 10)
            await uow.outbox.mark_inflight([claimed.id], Clock().timestamp())
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=20)
        await asyncio.wait_for(one.idle(), 10)
    assert (await row(first, 1))[:3] == ("sent", 0, 1)


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_a_row_a_busy_worker_let_go_is_not_renewed_with_its_other_sends(
    two: tuple[Database, Database], fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Putting a claimed row back failed (the database blinked) while the worker goes on
    sending others: their lease is renewed, that row's is not, so it runs out and the sender
    retries it, as uncertain, rather than leave it for as long as the worker is busy."""
    first, _ = two
    first.lease = dataclasses.replace(first.lease, seconds=3)  # renewed every second
    for chat in (1, 2):
        fake.user(chat, "P")
    held = fake.hold(2)  # its send hangs: the worker is busy throughout
    async with deliveries(fake, first) as (one,):
        async with first.unit() as uow:  # queued and claimed at once: no pass takes it first
            await uow.users.upsert(Person(1, "P"), Clock().timestamp())
            await uow.outbox.enqueue(Outgoing(1, "k1", "to 1"), Clock().timestamp())
            [left] = await uow.outbox.ready(Clock().timestamp(), 10)
            await uow.outbox.mark_inflight([left.id], Clock().timestamp())

        async def blinks(*args: object, **kwargs: object) -> None:
            raise ConnectionError("the database blinked")

        with monkeypatch.context() as patch:
            patch.setattr(Outbox, "put_back", blinks)
            one._put_back_soon([left.id])
            async with asyncio.timeout(10):
                while left.id not in one._let_go:  # noqa: ASYNC110 (a background write)
                    await asyncio.sleep(0.01)
        await queued(first, 2, now=Clock().timestamp())
        one.wake()
        await held.wait_for_request()
        # Its lease runs out (3 s), and the sender's loop takes it as any other's.
        await fake.wait_until(lambda: any(m.chat_id == 1 for m in fake.sent), timeout=15)
        async with first.read() as uow:  # the busy send's lease was renewed all along
            [(lease_until,)] = await uow.conn.fetch_all(
                "SELECT lease_until FROM outbox WHERE chat_id = 2"
            )
        assert lease_until > Clock().timestamp()
        held.release()
    assert (await row(first, 1))[:3] == ("sent", 0, 1)


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_a_sender_that_lost_its_lock_unawares_sends_nothing_once_another_is_elected(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """The sender's lock goes (its connection died) and it has not looked yet; another worker
    is elected. From then on the old one sends nothing (its sends check the sender's epoch),
    so the two never send side by side over the bot's one rate; it stops sending, and what
    it had claimed goes to the new sender: each message once."""
    first, second = two
    chats = list(range(1, 41))
    for chat in chats:
        fake.user(chat, "P")
    client = Bot(fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest())
    async with client:
        one = Delivery(client, first, Clock(), rate=30, per_chat_interval=0.05)
        other = Delivery(client, second, Clock(), rate=30, per_chat_interval=0.05)

        async def blind(lock: object) -> None:  # it never looks at its lock
            await asyncio.Event().wait()

        one._watch = blind  # type: ignore[method-assign]
        sent_by_one = 0
        send = one._send

        async def counted(row: object) -> object:
            nonlocal sent_by_one
            sent_by_one += 1
            return await send(row)  # type: ignore[arg-type]

        one._send = counted  # type: ignore[method-assign]
        await one.start()
        await other.start()
        try:
            assert first.lease.sending and not second.lease.sending
            lock = one._sender_lock
            assert lock is not None
            await lock._conn.close()  # type: ignore[attr-defined]
            await fake.wait_until(lambda: second.lease.sending, timeout=10)
            assert first.lease.sending  # it does not know yet
            await queued(first, *chats, now=Clock().timestamp())  # its own loop is woken
            await fake.wait_until(lambda: len(fake.sent) == len(chats), timeout=20)
            await asyncio.wait_for(other.idle(), 10)
            assert not first.lease.sending  # the epoch told it
        finally:
            await other.stop()
            await one.stop()
    assert sent_by_one == 0
    assert sorted(m.chat_id for m in fake.sent) == chats


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_a_sender_elected_after_another_gives_each_chat_an_interval_first(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """The former sender's last message to a chat may be a moment old (a reply leaves no
    record of when): a sender elected after it sends to no chat for one per-chat interval.
    The first sender a database has had follows no one, and sends at once."""
    first, second = two
    client = Bot(fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest())
    async with client:
        one = Delivery(client, first, Clock(), rate=30, per_chat_interval=1.0)
        await one.start()
        try:
            assert first.lease.sending and one.turn_now(1)
        finally:
            await one.stop()  # its lock goes with it
        other = Delivery(client, second, Clock(), rate=30, per_chat_interval=1.0)
        await other.start()
        try:
            assert second.lease.sending and not other.turn_now(1)
            await fake.wait_until(lambda: other.turn_now(1), timeout=5)
        finally:
            await other.stop()


@pytest.mark.parametrize("steps", [1, 4])
async def test_a_send_waiting_for_its_lease_check_is_not_left_waiting_when_the_check_is_cancelled(
    db: Database, fake: FakeTelegram, steps: int
) -> None:
    """Sends that ask together are checked by one task (Delivery._hold_asked); cancelled (a
    stop) before it began or during its statement, it must not leave a send waiting for an
    answer that never comes."""
    client = Bot(fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest())
    delivery = Delivery(client, db, Clock(), rate=30)
    asking = asyncio.create_task(delivery._still_held(SimpleNamespace(id=1)))  # type: ignore[arg-type]
    for _ in range(steps):  # it asks; then the check has begun
        await asyncio.sleep(0)
    assert delivery._holder is not None and not delivery._holder.done()
    delivery._holder.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(asking, 5)


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_sends_checked_together_go_only_for_the_rows_still_held(
    db: Database, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One statement answers sends that ask together (Delivery._hold_asked): a row withdrawn,
    one erased and one another worker took over since are refused in that same batch, each
    alone; the rows still held go, their lease renewed. Then another worker is elected: the
    next batch is refused whole, and what it asked about goes back to the queue unsent."""
    batches: list[int] = []
    real_hold_many = Outbox.hold_many

    async def counted(self: Outbox, row_ids: list[int], now: int) -> set[int]:
        batches.append(len(row_ids))
        return await real_hold_many(self, row_ids, now)

    monkeypatch.setattr(Outbox, "hold_many", counted)
    await queued(db, 1, 2, 3, 4, 5)
    as_worker(db, "a")
    async with db.unit() as uow:
        await uow.outbox.take_sending()
    ids = dict(zip(range(1, 6), await claim(db, NOW), strict=True))
    async with db.unit() as uow:
        await uow.outbox.cancel_pending(["k2"])  # withdrawn
        await uow.conn.execute("DELETE FROM outbox WHERE chat_id = 3")  # erased
        await uow.conn.execute("UPDATE outbox SET lease_token = 'b' WHERE chat_id = 4")
    client = Bot(fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest())
    delivery = Delivery(client, db, Clock(), rate=30)

    async def ask(*chats: int) -> list[bool]:
        rows = [SimpleNamespace(id=ids[chat]) for chat in chats]
        return list(await asyncio.gather(*(delivery._still_held(r) for r in rows)))  # type: ignore[arg-type]

    assert await ask(1, 2, 3, 4, 5) == [True, False, False, False, True]
    assert batches == [5] and not delivery._lost
    assert (await row(db, 1))[:4] == ("pending", 1, 0, "a")
    assert (await row(db, 4))[3] == "b"  # the other worker's, untouched
    async with db.unit() as uow:  # another worker is elected
        await uow.conn.execute("UPDATE sender_epoch SET epoch = epoch + 1")
    assert await ask(1, 5) == [False, False]
    assert batches == [5, 2] and delivery._lost
    assert (await row(db, 1))[:3] == ("pending", 0, 0)  # back, certainly unsent
    assert (await row(db, 5))[:3] == ("pending", 0, 0)
    assert (await row(db, 4))[:4] == ("pending", 1, 0, "b")


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_a_database_error_in_a_batch_of_lease_checks_loses_and_repeats_nothing(
    db: Database, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The statement that checks a batch of sends fails (the database blinked): none of them
    goes out then, and each goes out once afterwards, none left in flight."""
    chats = list(range(1, 9))
    for chat in chats:
        fake.user(chat, "P")
    real_hold_many = Outbox.hold_many
    failures = 0

    async def blinks(self: Outbox, row_ids: list[int], now: int) -> set[int]:
        nonlocal failures
        if failures == 0:
            failures += 1
            raise ConnectionError("the database blinked")
        return await real_hold_many(self, row_ids, now)

    monkeypatch.setattr(Outbox, "hold_many", blinks)
    async with deliveries(fake, db) as (one,):
        await queued(db, *chats, now=Clock().timestamp())
        one.wake()
        await fake.wait_until(lambda: len(fake.sent) == len(chats), timeout=20)
        await asyncio.wait_for(one.idle(), 10)
        assert not one._busy
    assert failures == 1
    assert sorted(m.chat_id for m in fake.sent) == chats  # each once
    async with db.read() as uow:
        left = await uow.conn.fetch_all("SELECT id FROM outbox WHERE status <> 'sent'")
    assert left == []


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_a_loop_send_whose_lease_check_was_cancelled_is_not_left_in_flight(
    db: Database, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The task that checks the sends' leases is cancelled during its statement (its send
    itself was not): the send is answered with the cancellation, and its row, claimed by a
    pass of the loop, must not stay in flight under a lease this worker keeps renewing (never
    sent while it lives): it goes out once, as a send that failed."""
    fake.user(1, "P")
    real_hold_many = Outbox.hold_many
    checking, calls = asyncio.Event(), 0

    async def paused(self: Outbox, row_ids: list[int], now: int) -> set[int]:
        nonlocal calls
        calls += 1
        if calls == 1:
            checking.set()
            await asyncio.Event().wait()  # until cancelled
        return await real_hold_many(self, row_ids, now)

    monkeypatch.setattr(Outbox, "hold_many", paused)
    async with deliveries(fake, db) as (one,):
        await queued(db, 1, now=Clock().timestamp())
        one.wake()
        await asyncio.wait_for(checking.wait(), 10)
        assert one._holder is not None
        one._holder.cancel()
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
        await asyncio.wait_for(one.idle(), 10)
    assert (await row(db, 1))[:2] == ("sent", 0)


@pytest.mark.skipif(not on_postgres(), reason="SQLite runs one unit at a time: no race")
async def test_a_row_a_use_case_claims_while_a_pass_is_claiming_it_goes_out_once(
    db: Database, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL runs the loop's pass beside a use case's unit, and the pass marks the rows
    it read in flight without asking again whether they are still free. A use case claiming
    one of them meanwhile (a reveal sent at once) waits for the pass's unit, since the pass
    holds what it read (FOR UPDATE): it then finds the row taken, and the row goes out once
    (twice, the second a moment after the first, would be a duplicate and a 429)."""
    fake.user(1, "P")
    real_mark_inflight = Outbox.mark_inflight
    picked, go_on = asyncio.Event(), asyncio.Event()

    async def paused(self: Outbox, row_ids: list[int], now: int | None = None) -> object:
        if not picked.is_set():
            picked.set()
            await go_on.wait()
        return await real_mark_inflight(self, row_ids, now)

    async def claim_k1() -> list[object]:
        async with db.unit() as uow:  # a use case sends it at once
            return list(await uow.outbox.claim(["k1"], Clock().timestamp()))

    async def waiting_for_a_lock() -> bool:
        async with db.read() as uow:
            r = await uow.conn.fetch_one(
                "SELECT COUNT(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        return r is not None and int(r[0]) > 0

    monkeypatch.setattr(Outbox, "mark_inflight", paused)
    async with deliveries(fake, db) as (one,):
        await queued(db, 1, now=Clock().timestamp())
        one.wake()
        await asyncio.wait_for(picked.wait(), 10)
        claiming = asyncio.create_task(claim_k1())
        try:
            async with asyncio.timeout(10):
                while not await waiting_for_a_lock():
                    assert not claiming.done(), "the claim took a row the pass is claiming"
                    await asyncio.sleep(0.02)
        finally:
            go_on.set()
        assert await asyncio.wait_for(claiming, 10) == []
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
        await asyncio.wait_for(one.idle(), 10)
    assert [m.chat_id for m in fake.sent] == [1]
    assert (await row(db, 1))[:3] == ("sent", 0, 0)

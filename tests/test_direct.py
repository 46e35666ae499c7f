"""What handlers send at once (scheduler.direct) is in the bot's one budget: the delivery pace
overall and per chat; with several workers, a worker that does not send queues it first in the
sender's line. And a reply to what someone did goes before what their action queued."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from telegram import Bot, Chat, Message, Update, User
from telegram.error import BadRequest, RetryAfter
from telegram.ext import ExtBot

from bot import checkins
from bot.models import Outgoing, Person
from bot.storage.db import Database
from bot.storage.outbox import Outbox, OutboxRow, direct_key
from bot.telegram_http import AiohttpRequest
from scheduler import direct
from scheduler.clock import Clock
from scheduler.delivery import Delivery
from testing.engines import on_postgres
from testing.fake_telegram import FakeTelegram
from testing.seeding import paired_couple


async def queued(db: Database, *chats: int, key: str = "k") -> None:
    now = Clock().timestamp()
    async with db.unit() as uow:
        for chat in chats:
            await uow.users.upsert(Person(chat, "P"), now)
            await uow.outbox.enqueue(Outgoing(chat, f"{key}{chat}", f"{key} to {chat}"), now)


def bots(fake: FakeTelegram) -> tuple[Bot, ExtBot]:
    """The bot delivery sends with, and the one handlers send with (the gate on it, as bot.app
    wires it; attached to a delivery by the caller)."""
    loop_bot = Bot(fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest())
    handler_bot = ExtBot(
        fake.token,
        base_url=f"{fake.base_url}/bot",
        request=AiohttpRequest(),
        rate_limiter=direct.DirectPace(),
    )
    return loop_bot, handler_bot


@contextlib.asynccontextmanager
async def worker(
    fake: FakeTelegram,
    db: Database,
    per_chat: float = 1.0,
    *,
    paid: bool = False,
    rate: float = 30,
) -> AsyncIterator[tuple[Delivery, ExtBot]]:
    """A worker's delivery on `db` and the bot its handlers send with (the gate attached, as
    bot.app wires it)."""
    loop_bot, handler_bot = bots(fake)
    async with loop_bot, handler_bot:
        delivery = Delivery(
            loop_bot, db, Clock(), rate=rate, per_chat_interval=per_chat, paid_broadcast=paid
        )
        await delivery.start()
        pace = direct.gate(handler_bot)
        assert pace is not None
        pace.attach(delivery, db, Clock())
        # A sender elected after another gives every chat a second before its first message
        # (the former sender's last may be that recent; PostgreSQL): a reply then is queued,
        # not sent. The database's first sender, as here, follows no one.
        while not delivery.turn_now(0):  # noqa: ASYNC110 (a clock, no event)
            await asyncio.sleep(0.05)
        try:
            yield delivery, handler_bot
        finally:
            await delivery.stop()


async def test_replies_share_the_bots_rate_with_the_outbox(
    strict_fake: FakeTelegram, db: Database
) -> None:
    """A fan-out at the full rate and replies at the same moment: together within the rate
    (the strict fake answers 429 above 30 a second), every message delivered. The rate is 25:
    the margin absorbs a loaded machine's jitter on the way, which the 20 replies at once
    (45 in a second without the gate) never fit in."""
    fake = strict_fake
    fan_out = list(range(1, 61))
    repliers = list(range(101, 121))
    for chat in fan_out + repliers:
        fake.user(chat, "P")
    async with worker(fake, db, rate=25) as (delivery, bot):
        await queued(db, *fan_out)
        delivery.wake()
        await fake.wait_until(lambda: len(fake.sent) >= 5, timeout=10)  # at full rate now
        # Each sent from here when a slot is free at once, else queued first in line.
        await asyncio.gather(*(direct.send(bot, chat, "saved") for chat in repliers))
        await fake.wait_until(lambda: len(fake.sent) == len(fan_out + repliers), timeout=20)
        await asyncio.wait_for(delivery.idle(), 10)
    assert fake.rate_limited == 0, fake.rate_limits


async def test_a_reply_waits_for_its_chats_turn(strict_fake: FakeTelegram, db: Database) -> None:
    """A message went to this chat a moment ago: the reply keeps Telegram's one a second."""
    fake = strict_fake
    fake.user(1, "P")
    async with worker(fake, db) as (delivery, bot):
        await queued(db, 1)
        delivery.wake()
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
        await direct.send(bot, 1, "saved")  # queued: its turn is a second away
        await fake.wait_until(lambda: len(fake.sent) == 2, timeout=10)
    assert [m.plain for m in fake.sent] == ["k to 1", "saved"]
    assert fake.rate_limited == 0, fake.rate_limits


async def test_with_paid_broadcasts_a_reply_is_paid_too(fake: FakeTelegram, db: Database) -> None:
    """The pace is then set for the paid rate: a reply goes at that rate as the outbox's do,
    not against the free 30 a second it does not keep."""
    fake.user(1, "P")
    async with worker(fake, db, paid=True) as (_, bot):
        await direct.send(bot, 1, "saved")
    [params] = [params for method, params in fake.calls if method == "sendMessage"]
    assert str(params.get("allow_paid_broadcast")).lower() == "true"


async def test_a_reply_goes_before_what_was_held_back_for_its_chat_in_the_same_second(
    db: Database,
) -> None:
    """Ana's prompt was due at T and held back (a 429: not before T + 2); her message,
    handled from T + 1, gets "there is no open check-in", queued. Due just before the update
    began (T) it tied with the prompt, which then went first: the question, and after it the
    reply saying there is none. The reply goes before everything still waiting for her."""
    t = 1_800_000_000
    async with db.unit() as uow:
        await uow.users.upsert(Person(1, "Ana"), t)
        await uow.outbox.enqueue(Outgoing(1, "prompt:1:1", "the question", due_at=t), t)
        await uow.conn.execute("UPDATE outbox SET not_before = ? WHERE chat_id = 1", (t + 2,))
        reply = Outgoing(1, direct_key(1), "there is no open check-in")
        await uow.outbox.enqueue_first(reply, t + 1, before=t + 1)
    async with db.unit() as uow:
        assert [r.text for r in await uow.outbox.ready(t + 1, 10)] == [reply.text]
    async with db.unit() as uow:
        ready = await uow.outbox.ready(t + 2, 10)
    assert [r.text for r in ready][:1] == [reply.text]


async def test_the_reply_to_what_someone_did_comes_before_what_it_queued(
    fake: FakeTelegram, db: Database
) -> None:
    """While a person's update is handled, nothing queued for them starts: not a row for the
    loop, not a row the action claimed to send at once. Then both go, after the reply (queued
    too, since they wait for its chat, but due just before the update began)."""
    fake.user(1, "P")
    fake.user(2, "Q")
    async with worker(fake, db, per_chat=0.05) as (delivery, bot):
        async with direct.answering(update_from(bot, 1)):
            now = Clock().timestamp()
            async with db.unit() as uow:
                await uow.users.upsert(Person(1, "P"), now)
                await uow.outbox.enqueue(Outgoing(1, "claimed1", "claimed to 1"), now)
                assert len(await uow.outbox.claim(["claimed1"], now)) == 1
            await queued(db, 2, key="queued")
            # The pass that sent the partner's read theirs too, and left it; so does the next.
            await fake.wait_until(lambda: any(m.chat_id == 2 for m in fake.sent), timeout=10)
            assert await delivery.drain_once() == 0
            await queued(db, 1, key="queued")
            assert await delivery.drain_once() == 0
            assert not any(m.chat_id == 1 for m in fake.sent)
            await direct.send(bot, 1, "the reply")
        await fake.wait_until(lambda: len(fake.sent) == 4, timeout=10)
        await asyncio.wait_for(delivery.idle(), 10)
    to_one = [m.plain for m in fake.sent if m.chat_id == 1]
    assert to_one[0] == "the reply"
    assert sorted(to_one[1:]) == ["claimed to 1", "queued to 1"]


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_a_worker_that_does_not_send_queues_its_replies_first_in_the_senders_line(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """Two workers: the second is not the sender, so its reply is not sent from there but
    queued, and the sender sends it before a backlog queued earlier."""
    first, second = two
    backlog = list(range(1, 121))
    for chat in [*backlog, 500]:
        fake.user(chat, "P")
    async with worker(fake, first) as (sender, _), worker(fake, second) as (other, bot):
        assert sender.sends_here() and not other.sends_here()
        await queued(first, *backlog)
        sender.wake()
        await fake.wait_until(lambda: len(fake.sent) >= 1, timeout=10)
        assert await direct.send(bot, 500, "saved") is None  # queued, not sent from here
        before = len(fake.sent)
        await fake.wait_until(lambda: any(m.chat_id == 500 for m in fake.sent), timeout=10)
        place = next(i for i, m in enumerate(fake.sent) if m.chat_id == 500)
        # Behind what the sender had claimed already (up to 16 waiting for their slots and a
        # pass of 8, the next pass at most half a second on), not behind the whole backlog of
        # 120 (four seconds at 30 a second).
        assert place - before <= 60, (before, place)
        await fake.wait_until(lambda: len(fake.sent) == len(backlog) + 1, timeout=20)


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_what_a_worker_that_does_not_send_claims_goes_first_in_the_senders_line(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """A reveal claimed on a worker that does not send is not sent there; the sender sends it
    before a backlog queued earlier, since someone is waiting to read it."""
    first, second = two
    backlog = list(range(1, 121))
    for chat in [*backlog, 500]:
        fake.user(chat, "P")
    async with worker(fake, first) as (sender, _), worker(fake, second):
        await queued(first, *backlog)
        sender.wake()
        await fake.wait_until(lambda: len(fake.sent) >= 1, timeout=10)
        now = Clock().timestamp()
        async with second.unit() as uow:
            await uow.users.upsert(Person(500, "P"), now)
            await uow.outbox.enqueue(Outgoing(500, "reveal:1:500", "both answers"), now)
            assert await uow.outbox.claim(["reveal:1:500"], now) == []  # not the sender
        before = len(fake.sent)
        await fake.wait_until(lambda: any(m.chat_id == 500 for m in fake.sent), timeout=10)
        place = next(i for i, m in enumerate(fake.sent) if m.chat_id == 500)
        assert place - before <= 60, (before, place)  # as above


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_a_queued_reply_that_quotes_a_question_counts_once_sent(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """ "Already open" shows the round's question: queued by a worker that does not send, its
    row carries the round, so once the sender sent it a reply to it answers that round."""
    first, second = two
    ana, ben = Person(500, "Ana"), Person(501, "Ben")
    now = Clock().timestamp()
    couple_id = await paired_couple(first, ana, ben, now)
    await checkins.start_round(first, ana.id, now)
    async with first.read() as uow:
        [open_round] = await uow.rounds.open_rounds(couple_id)
    fake.user(ana.id, "Ana")
    fake.user(ben.id, "Ben")
    async with worker(fake, first) as (sender, _), worker(fake, second) as (_, bot):
        assert await direct.send(bot, ana.id, "already open", quotes=open_round.id) is None
        await fake.wait_until(lambda: any(m.plain == "already open" for m in fake.sent), 10)
        shown = next(m for m in fake.sent if m.plain == "already open")
        await asyncio.wait_for(sender.idle(), 10)  # its send is on record
        async with first.read() as uow:
            assert await uow.rounds.round_of_message(ana.id, shown.message_id) == open_round.id


@pytest.mark.parametrize("fault", ["429", "dropped", "timed out"])
async def test_a_reply_that_did_not_go_through_is_queued_not_lost(
    fake: FakeTelegram, db: Database, fault: str
) -> None:
    """A reply refused for the rate (429), or whose connection broke, or that timed out: the
    person's action is done, so its reply is not dropped (nor turned into "something went
    wrong"); it is queued, and delivery sends it as it retries any message. A timeout may
    have delivered it: one extra copy at most, never none."""
    fake.user(1, "P")
    async with worker(fake, db) as (delivery, bot):
        if fault == "429":
            fake.fail_next("sendMessage", status=429, retry_after=1, chat_id=1)
        elif fault == "dropped":
            fake.drop_next("sendMessage", chat_id=1)
        else:
            fake.delay_next("sendMessage", 1.5, deliver=False, chat_id=1)
            bot.request._read_timeout = 0.5  # type: ignore[attr-defined]
        assert await direct.send(bot, 1, "saved") is None  # queued, not raised
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
        await asyncio.wait_for(delivery.idle(), 10)
    assert [m.plain for m in fake.sent] == ["saved"]


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_a_reply_waiting_for_its_turn_as_its_worker_stops_sending_goes_to_the_sender(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """The sender's reply cannot go at once (its chat's turn is 3 s away), so it is queued;
    meanwhile the worker loses the sender role (its lock's session ended) and another takes
    it. The reply goes out once, from the new sender, not beside it from the old one."""
    first, second = two
    fake.user(1, "P")
    async with worker(fake, first, per_chat=3.0) as (one, bot), worker(fake, second) as (other, _):
        assert one.sends_here()
        assert isinstance(await direct.send(bot, 1, "first"), int)
        assert await direct.send(bot, 1, "second") is None  # its turn: 3 s on

        async def no_lock() -> None:
            return None

        lock = one._sender_lock
        assert lock is not None
        one._elect = no_lock  # type: ignore[method-assign]  # the other wins the next
        await lock._conn.close()  # type: ignore[attr-defined]
        await fake.wait_until(lambda: other.sends_here() and not one.sends_here(), timeout=10)
        await fake.wait_until(lambda: len(fake.sent) == 2, timeout=10)
        await asyncio.wait_for(other.idle(), 10)
    assert [m.plain for m in fake.sent] == ["first", "second"]


def update_from(bot: ExtBot, user_id: int) -> Update:
    """A private message from `user_id`, as the worker with `bot` would handle it."""
    user = User(user_id, "P", False)
    message = Message(1, datetime.now(UTC), Chat(user_id, Chat.PRIVATE), from_user=user, text="x")
    update = Update(1, message=message)
    update.set_bot(bot)
    return update


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_on_a_worker_that_does_not_send_the_reply_still_comes_before_what_it_queued(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """A worker that does not send handles someone's update: their action queues a message
    for them and claims another (a reveal), then the handler replies (queued for the sender).
    The sender sends the reply first, as one worker would."""
    first, second = two
    fake.user(1, "P")
    async with worker(fake, first, per_chat=0.05) as (sender, _), worker(fake, second) as (_, bot):
        # The sender's loop waits while the update is handled, so the test does not depend on
        # when its pass comes (the reply is queued a moment after the action commits).
        handled = asyncio.Event()
        drain = sender.drain_once

        async def after_handling() -> int:
            await handled.wait()
            return await drain()

        sender.drain_once = after_handling  # type: ignore[method-assign]
        async with direct.answering(update_from(bot, 1)):
            now = Clock().timestamp()
            async with second.unit() as uow:
                await uow.users.upsert(Person(1, "P"), now)
                await uow.outbox.enqueue(Outgoing(1, "offer:1", "the offer"), now)
                await uow.outbox.enqueue(Outgoing(1, "reveal:1:1", "the reveal"), now)
                assert await uow.outbox.claim(["reveal:1:1"], now) == []  # not the sender
            assert await direct.send(bot, 1, "the reply") is None
        handled.set()
        await fake.wait_until(lambda: len(fake.sent) == 3, timeout=10)
    assert [m.plain for m in fake.sent] == ["the reply", "the offer", "the reveal"]


async def test_a_chat_is_taken_from_the_moment_a_pass_picks_its_row(
    strict_fake: FakeTelegram, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between a pass picking a row and its claim committing, a handler's reply to that chat
    must not find the chat free: it would go out beside the row (two messages in a moment,
    a 429 from Telegram). Paused in the claim, the chat is taken; another chat is free."""
    fake = strict_fake
    fake.user(1, "P")
    claiming, go_on = asyncio.Event(), asyncio.Event()
    real_mark_inflight = Outbox.mark_inflight

    async def paused(self: Outbox, row_ids: list[int], now: int | None = None) -> None:
        claiming.set()
        await go_on.wait()
        await real_mark_inflight(self, row_ids, now)

    async with worker(fake, db) as (delivery, bot):
        monkeypatch.setattr(Outbox, "mark_inflight", paused)
        await queued(db, 1)
        delivery.wake()
        await asyncio.wait_for(claiming.wait(), 10)
        try:
            assert not delivery.turn_now(1)  # a reply now is queued, not sent beside the row
            assert delivery.turn_now(2)
        finally:
            go_on.set()
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
        assert await direct.send(bot, 1, "saved") is None  # its turn a second on: queued
        await fake.wait_until(lambda: len(fake.sent) == 2, timeout=10)
    assert [m.plain for m in fake.sent] == ["k to 1", "saved"]
    assert fake.rate_limited == 0, fake.rate_limits


@pytest.mark.skipif(not on_postgres(), reason="SQLite runs one unit at a time")
async def test_a_pass_that_read_the_outbox_while_an_update_was_handled_leaves_its_person_alone(
    fake: FakeTelegram, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a pass reads the outbox beside the handlers' units: it may read what a
    person's action queued before their reply is queued, and look at who is being answered
    once that is over. Its rows for them are then older than the reply: left for the next
    pass, which the end of the update wakes, so the reply still comes first."""
    fake.user(1, "P")
    read, go = asyncio.Event(), asyncio.Event()
    ready = Outbox.ready

    async def paused(self: Outbox, now: int, limit: int) -> list[OutboxRow]:
        rows = await ready(self, now, limit)
        if any(row.chat_id == 1 for row in rows) and not go.is_set():
            read.set()  # read before the reply was queued; looked at after the update ended
            await go.wait()
        return rows

    monkeypatch.setattr(Outbox, "ready", paused)
    async with worker(fake, db, per_chat=0.05) as (delivery, bot):
        pace = direct.gate(bot)
        assert pace is not None
        async with direct.answering(update_from(bot, 1)):
            now = Clock().timestamp()
            async with db.unit() as uow:
                await uow.users.upsert(Person(1, "P"), now)
                await uow.outbox.enqueue(Outgoing(1, "offer:1", "the offer"), now)
            delivery.wake()
            await asyncio.wait_for(read.wait(), 10)
            # Its chat's turn not come: queued, as `direct.send` queues it.
            await pace.queue(Outgoing(1, direct_key(1), "the reply"))
        go.set()
        await fake.wait_until(lambda: len(fake.sent) == 2, timeout=10)
    assert [m.plain for m in fake.sent] == ["the reply", "the offer"]


@pytest.mark.skipif(not on_postgres(), reason="SQLite runs one unit at a time")
async def test_what_a_persons_action_claimed_goes_once_put_back_not_at_the_next_poll(
    fake: FakeTelegram, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Claimed for someone whose update is being handled, a row is put back first in line in a
    unit of its own. The loop is woken once that unit has committed: a pass woken before would
    find the row still in flight, and nothing would wake the loop again before its next poll."""
    monkeypatch.setattr("scheduler.delivery.POLL", 60.0)  # no poll comes to the rescue
    fake.user(1, "P")
    loop_idle = asyncio.Event()  # the update was handled and the passes it woke are over
    written: list[object] = []  # the put-back's connection: written, not yet committed
    read = asyncio.Event()
    put_back, ready, transaction = Outbox.put_back, Outbox.ready, db._engine.transaction

    async def noted_put_back(self: Outbox, row_ids: list[int], *, first: bool = False) -> None:
        await loop_idle.wait()
        await put_back(self, row_ids, first=first)
        written.append(self.conn)

    async def noted_ready(self: Outbox, now: int, limit: int) -> list[OutboxRow]:
        rows = await ready(self, now, limit)
        if written:
            read.set()  # a pass read the outbox before the put-back committed
        return rows

    @contextlib.asynccontextmanager
    async def late_commit() -> AsyncIterator[object]:
        async with transaction() as conn:
            yield conn
            if conn in written:
                # Committed once a pass woken meanwhile has read, or after a second: none was.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(read.wait(), 1)

    monkeypatch.setattr(Outbox, "put_back", noted_put_back)
    monkeypatch.setattr(Outbox, "ready", noted_ready)
    monkeypatch.setattr(db._engine, "transaction", late_commit)
    async with worker(fake, db, per_chat=0.05) as (delivery, _):
        passes = 0
        drain = delivery.drain_once

        async def counted() -> int:
            nonlocal passes
            try:
                return await drain()
            finally:
                passes += 1

        delivery.drain_once = counted  # type: ignore[method-assign]
        async with delivery.answering(1):
            now = Clock().timestamp()
            async with db.unit() as uow:
                await uow.users.upsert(Person(1, "P"), now)
                await uow.outbox.enqueue(Outgoing(1, "reveal:1:1", "the reveal"), now)
                assert len(await uow.outbox.claim(["reveal:1:1"], now)) == 1
        ended = passes
        async with asyncio.timeout(10):  # a pass after the update, then none under way
            while passes <= ended or delivery._wakeup.is_set():  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        loop_idle.set()
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
    assert [m.plain for m in fake.sent] == ["the reveal"]


async def test_a_queued_group_pointer_the_group_refuses_is_set_aside_not_retried_forever(
    fake: FakeTelegram, db: Database
) -> None:
    """A pointer to a group queued (as a worker that does not send queues it), and the bot was
    removed from the group: Telegram answers 403. No person is behind a group to come back
    (/start) and be marked reachable again, so it is set aside as failed, not retried each
    second for ever."""
    fake.group(-100)
    fake.block(-100)  # removed from the group
    async with worker(fake, db):
        async with db.unit() as uow:
            pointer = Outgoing(-100, "direct:-100:1", "talk to me in private")
            await uow.outbox.enqueue_first(pointer, Clock().timestamp())

        async def status() -> str:
            async with db.read() as uow:
                row = await uow.conn.fetch_one("SELECT status FROM outbox WHERE chat_id = -100")
            assert row is not None
            return str(row[0])

        for _ in range(100):
            if await status() != "pending":
                break
            await asyncio.sleep(0.05)
        assert await status() == "failed"


async def test_a_group_pointer_refused_for_the_rate_is_not_queued(
    fake: FakeTelegram, db: Database
) -> None:
    """A pointer to a group is worth no retry (a burst of commands there would queue one
    each): a 429 on it raises, as before, and nothing is queued."""
    fake.group(-100)
    async with worker(fake, db) as (_, bot):
        fake.fail_next("sendMessage", status=429, retry_after=1, chat_id=-100)
        with pytest.raises(RetryAfter):
            await direct.send(bot, -100, "talk to me in private")
        async with db.read() as uow:
            assert await uow.conn.fetch_one("SELECT 1 FROM outbox") is None


async def test_a_handler_that_raises_or_an_update_without_a_person_holds_nothing_back(
    fake: FakeTelegram, db: Database
) -> None:
    """A handler that raises inside `answering` lets go of its person's chat (what was queued
    for them goes out); an update with no user (a channel post) holds no chat at all."""
    fake.user(1, "P")
    async with worker(fake, db, per_chat=0.05) as (delivery, bot):
        with pytest.raises(RuntimeError):
            async with direct.answering(update_from(bot, 1)):
                await queued(db, 1)
                raise RuntimeError("the handler failed")
        post = Update(2, channel_post=Message(2, datetime.now(UTC), Chat(-5, Chat.CHANNEL)))
        post.set_bot(bot)
        async with direct.answering(post):
            assert not delivery._answering
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
    assert [m.plain for m in fake.sent] == ["k to 1"]


async def test_a_reply_to_a_chat_whose_send_hangs_waits_for_it_then_keeps_the_spacing(
    strict_fake: FakeTelegram, db: Database
) -> None:
    """A message to the chat hangs on the wire (it may arrive): the reply (queued, since it
    cannot go at once) waits for it rather than go beside it, then keeps Telegram's one a
    second; other chats go on meanwhile, and the handler does not wait at all."""
    fake = strict_fake
    fake.user(1, "P")
    fake.user(2, "Q")
    held = fake.hold(1)
    async with worker(fake, db) as (delivery, bot):
        await queued(db, 1)
        delivery.wake()
        await held.wait_for_request()
        # It hangs past the chat's one-second spacing: only the send in flight holds it now.
        async with asyncio.timeout(5):
            while time.monotonic() < delivery._last_to_chat[1] + 1.0:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        # Queued behind the hanging one, at once (sent from here, it would wait for the hang).
        assert await asyncio.wait_for(direct.send(bot, 1, "saved"), 5) is None
        await queued(db, 2)
        delivery.wake()
        await fake.wait_until(lambda: any(m.chat_id == 2 for m in fake.sent), timeout=10)
        assert not any(m.chat_id == 1 for m in fake.sent)  # chat 2 did not wait for chat 1
        held.release()
        await fake.wait_until(lambda: sum(m.chat_id == 1 for m in fake.sent) == 2, timeout=10)
    assert [m.plain for m in fake.sent if m.chat_id == 1] == ["k to 1", "saved"]
    assert fake.rate_limited == 0, fake.rate_limits


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_a_sender_superseded_unawares_queues_its_reply_for_the_new_sender(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """The sender's lock went without its knowing (its watcher has not looked yet) and another
    worker was elected: its handler's reply does not go out beside the new sender (the epoch
    says so before the reply's slot, as for the loop's sends); it is queued, and the new sender
    sends it."""
    first, second = two
    fake.user(1, "P")
    loop_bot, handler_bot = bots(fake)
    async with loop_bot, handler_bot:
        one = Delivery(loop_bot, first, Clock(), rate=30, per_chat_interval=0.05)
        other = Delivery(loop_bot, second, Clock(), rate=30, per_chat_interval=0.05)

        async def blind(lock: object) -> None:  # it never looks at its lock
            await asyncio.Event().wait()

        one._watch = blind  # type: ignore[method-assign]
        await one.start()
        await other.start()
        pace = direct.gate(handler_bot)
        assert pace is not None
        pace.attach(one, first, Clock())
        try:
            lock = one._sender_lock
            assert lock is not None
            await lock._conn.close()  # type: ignore[attr-defined]
            await fake.wait_until(lambda: second.lease.sending, timeout=10)
            assert one.sends_here()  # it does not know yet
            assert await direct.send(handler_bot, 1, "saved") is None  # queued, not sent here
            await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
            assert not one.sends_here()  # the epoch told it
        finally:
            await other.stop()
            await one.stop()
    assert [m.plain for m in fake.sent] == ["saved"]


async def test_a_reply_telegram_refuses_outright_raises_and_is_not_queued(
    fake: FakeTelegram, db: Database
) -> None:
    """A 400 (PTB's BadRequest, a NetworkError by class) will never go through: it raises, as
    before (the person reads the generic error), rather than be queued to fail again."""
    fake.user(1, "P")
    async with worker(fake, db) as (_, bot):
        fake.fail_next("sendMessage", status=400, description="Bad Request: can't parse")
        with pytest.raises(BadRequest):
            await direct.send(bot, 1, "saved")
        async with db.read() as uow:
            assert await uow.conn.fetch_one("SELECT 1 FROM outbox") is None


async def test_a_queued_reply_telegram_refuses_is_followed_by_the_error_notice_once(
    fake: FakeTelegram, db: Database
) -> None:
    """Whether a reply goes at once or is queued depends on the moment (its chat's turn, the
    pace, who sends). Refused at once, it raises and the error handler tells the person that
    something went wrong; refused from the outbox, delivery tells them: never silence. A
    notice refused in its turn is followed by nothing more."""
    fake.user(1, "P")
    async with worker(fake, db) as (delivery, bot):
        await queued(db, 1)
        delivery.wake()
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
        refused = "Bad Request: can't parse"
        fake.fail_next("sendMessage", status=400, description=refused, chat_id=1)
        assert await direct.send(bot, 1, "saved") is None  # its turn not come: queued
        await fake.wait_until(lambda: len(fake.sent) == 2, timeout=10)
        assert "something went wrong" in fake.sent[1].plain
        # The notice itself refused (as the error handler's would be, queued): no third.
        fake.fail_next("sendMessage", status=400, description=refused, chat_id=1, times=2)
        assert await direct.send(bot, 1, "saved again") is None
        await failed_keys(db, 3)  # "saved", "saved again", and the notice after it
        await asyncio.wait_for(delivery.idle(), 10)
        assert len(await failed_keys(db, 3)) == 3
        async with db.read() as uow:
            pending = await uow.conn.fetch_one("SELECT 1 FROM outbox WHERE status = 'pending'")
    assert pending is None
    assert len(fake.sent) == 2


async def test_a_reply_that_would_wait_for_its_turn_is_on_record_before_it_waits(
    fake: FakeTelegram, db: Database
) -> None:
    """The person's action is committed before its reply; a reply kept only in memory while
    it waits for its chat's turn (or a slot behind a fan-out) is lost if the worker dies
    meanwhile, and the update's redelivery finds the answer stored (a duplicate: no reply).
    So a reply that cannot go at once is queued (first in line), not held in memory."""
    fake.user(1, "P")
    async with worker(fake, db) as (delivery, bot):
        await queued(db, 1)
        delivery.wake()
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
        assert await direct.send(bot, 1, "saved") is None  # its turn is a second away
        async with db.read() as uow:
            row = await uow.conn.fetch_one(
                "SELECT status FROM outbox WHERE dedupe_key LIKE 'direct:1:%'"
            )
        assert row is not None  # on record: a crash now loses nothing
        await fake.wait_until(lambda: len(fake.sent) == 2, timeout=10)
    assert [m.plain for m in fake.sent] == ["k to 1", "saved"]


async def test_a_reply_never_overtakes_one_queued_for_its_chat(
    fake: FakeTelegram, db: Database
) -> None:
    """A reply was queued (its chat's turn had not come); by the next one's time the turn is
    free: it is queued behind the first, not sent past it (a /history's pages in order)."""
    fake.user(1, "P")
    async with worker(fake, db, per_chat=0.3) as (delivery, bot):
        assert await direct.send(bot, 1, "first") is not None  # its turn was free
        async with delivery.answering(1):  # the loop leaves the chat alone meanwhile
            assert await direct.send(bot, 1, "second") is None  # too soon: queued
            async with asyncio.timeout(10):
                while not delivery.turn_now(1):  # noqa: ASYNC110 (a clock, no event)
                    await asyncio.sleep(0.02)
            assert await direct.send(bot, 1, "third") is None  # behind "second"
        await fake.wait_until(lambda: len(fake.sent) == 3, timeout=10)
    assert [m.plain for m in fake.sent] == ["first", "second", "third"]


async def failed_keys(db: Database, count: int) -> list[str]:
    """Once `count` rows are set aside as refused (each a second apart at most): their keys."""
    async with asyncio.timeout(10):
        while True:
            async with db.read() as uow:
                rows = await uow.conn.fetch_all(
                    "SELECT dedupe_key FROM outbox WHERE status = 'failed' ORDER BY id"
                )
            if len(rows) >= count:
                return [r[0] for r in rows]
            await asyncio.sleep(0.05)  # another row's turn, a second on


async def test_a_refused_queued_reply_is_followed_by_the_notice_in_its_readers_language_only(
    fake: FakeTelegram, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """The notice after a refused reply speaks its reader's language and says nothing of what
    was refused (nor does the log). A group's refused reply is followed by nothing: a group
    hears nothing from Steady but the pointer to a private chat (as the error handler)."""
    fake.user(1, "P")
    now = Clock().timestamp()
    refused = "Bad Request: can't parse entities"
    fake.fail_next("sendMessage", status=400, description=refused, chat_id=1)
    fake.fail_next("sendMessage", status=400, description=refused, chat_id=-100)
    async with worker(fake, db) as (delivery, _):
        async with db.unit() as uow:
            await uow.users.upsert(Person(1, "P", language="de"), now)
            for chat in (1, -100):
                reply = Outgoing(chat, direct_key(chat), f"private words to {chat}")
                await uow.outbox.enqueue_first(reply, now)
        delivery.wake()
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
        assert await failed_keys(db, 2)
        await asyncio.wait_for(delivery.idle(), 10)
    [notice] = fake.sent
    assert notice.chat_id == 1
    assert notice.plain.startswith("Entschuldige")  # errors-generic in German
    assert "private words" not in notice.plain
    assert not any("private words" in r.getMessage() for r in caplog.records)
    async with db.read() as uow:
        rows = await uow.conn.fetch_all("SELECT chat_id, status, text FROM outbox ORDER BY id")
    assert sorted((r[0], r[1]) for r in rows) == [(-100, "failed"), (1, "failed"), (1, "sent")]
    assert all(r[2] == "" for r in rows)  # nothing refused is kept in words

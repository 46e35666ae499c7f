"""The delivery loop on its own: order per chat, recovery after a failed pass, clean stop."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from telegram import Bot

from bot import checkins, pairing
from bot.models import Button, Outgoing, Person
from bot.storage import outbox
from bot.storage.db import Database
from bot.telegram_http import AiohttpRequest
from scheduler import delivery as delivery_module
from scheduler import records as records_module
from scheduler.clock import Clock
from scheduler.delivery import Delivery
from scheduler.records import RECORD_SPACING, Records
from testing.clock import MovableClock
from testing.fake_telegram import FakeTelegram
from testing.probes import deliver, outbox_statuses
from testing.runner import FAST_PER_CHAT
from testing.seeding import INVITE_KEY


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    client = Bot(fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest())
    async with client:
        yield client


async def queue(db: Database, *messages: Outgoing) -> None:
    async with db.unit() as uow:
        for message in messages:
            await uow.users.upsert(Person(message.chat_id, "P"), 0)
            await uow.outbox.enqueue(message, Clock().timestamp())


async def claimed(db: Database, message: Outgoing) -> outbox.OutboxRow:
    """`message` queued and taken in flight, as a pass takes it before sending."""
    await queue(db, message)
    async with db.unit() as uow:
        [row] = await uow.outbox.ready(Clock().timestamp(), 10)
        await uow.outbox.mark_inflight([row.id], Clock().timestamp())
    return row


async def settled(delivery: Delivery) -> None:
    """Nothing in flight, unrecorded or sendable now; a failure, not a hang, if that never
    comes."""
    await asyncio.wait_for(delivery.idle(), 10)


def fails_once(monkeypatch: pytest.MonkeyPatch, method: str) -> list[str]:
    """Outbox.`method` raises once (the database blinked), then works; the failures so far."""
    real = getattr(outbox.Outbox, method)
    failures: list[str] = []

    async def once(*args: object, **kwargs: object) -> object:
        if not failures:
            failures.append(method)
            raise ConnectionError("the database blinked")
        return await real(*args, **kwargs)

    monkeypatch.setattr(outbox.Outbox, method, once)
    return failures


def database_down(
    monkeypatch: pytest.MonkeyPatch, method: str, *, hangs: bool = False
) -> asyncio.Event:
    """Outbox.`method` fails every time, or with `hangs` never returns (a lock or a connection
    that never comes); the event is set once it was called."""
    called = asyncio.Event()

    async def down(*args: object, **kwargs: object) -> None:
        called.set()
        if hangs:
            await asyncio.Event().wait()
        raise ConnectionError("the database is down")

    monkeypatch.setattr(outbox.Outbox, method, down)
    return called


async def test_one_chats_messages_keep_their_order_through_a_retry(
    fake: FakeTelegram, bot: Bot, db: Database
) -> None:
    fake.user(1, "Ana")
    fake.fail_next("sendMessage", status=502, chat_id=1)  # part 0 fails once
    await queue(db, *(Outgoing(1, f"part:{i}", f"part {i}") for i in range(3)))
    clock = MovableClock()  # the retry's backoff passes when the test says so, or by itself
    delivery = Delivery(bot, db, clock, rate=30, per_chat_interval=FAST_PER_CHAT)
    await delivery.start()
    try:
        await settled(delivery)  # part 0 failed and waits for its retry; nothing went after it
        # Nothing overtook part 0. (On a slow host its 1 s backoff may already have passed in
        # real time during the settle, and it went, in order: asserting nothing was sent at
        # all here failed then, on PostgreSQL under load.)
        sent = [m.plain for m in fake.messages_to(1)]
        assert sent == ["part 0", "part 1", "part 2"][: len(sent)]
        clock.advance(timedelta(minutes=1))
        delivery.wake()
        await fake.wait_until(lambda: len(fake.messages_to(1)) == 3, timeout=10)
        await settled(delivery)  # and nothing more to send: no repeat would come later
    finally:
        await delivery.stop()
    assert [m.plain for m in fake.messages_to(1)] == ["part 0", "part 1", "part 2"]
    assert set((await outbox_statuses(db)).values()) == {"sent"}  # recorded by the clean stop


@pytest.mark.parametrize("paid", [False, True])
async def test_a_message_goes_out_as_html_with_its_buttons_and_no_preview(
    fake: FakeTelegram, bot: Bot, db: Database, paid: bool
) -> None:
    fake.user(1, "Ana")
    button = Button("Ready", "v1:ready:7")
    await queue(db, Outgoing(1, "k", "<b>Hi</b> &amp; https://example.org", ((button,),)))
    delivery = Delivery(bot, db, Clock(), rate=30, paid_broadcast=paid)
    await delivery.start()
    try:
        sent = await fake.user(1, "Ana").next_message(timeout=5)
    finally:
        await delivery.stop()
    assert sent.plain == "Hi & https://example.org" and sent.parse_mode == "HTML"
    assert sent.buttons == [("Ready", "v1:ready:7")]
    params = next(p for method, p in fake.calls if method == "sendMessage")
    assert params["link_preview_options"] == {"is_disabled": True}
    assert bool(params.get("allow_paid_broadcast")) is paid
    assert set((await outbox_statuses(db)).values()) == {"sent"}


async def test_a_failed_pass_leaves_nothing_stuck(
    fake: FakeTelegram, bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    for chat in (1, 2):
        fake.user(chat, "P")
    await queue(db, Outgoing(1, "a", "to one"), Outgoing(2, "b", "to two"))
    failures = fails_once(monkeypatch, "mark_sent")
    delivery = Delivery(bot, db, Clock(), rate=30)
    await delivery.start()
    try:
        await fake.wait_until(lambda: bool(fake.messages_to(1) and fake.messages_to(2)))
        await settled(delivery)
        assert failures and set((await outbox_statuses(db)).values()) == {"sent"}  # before the stop
    finally:
        await delivery.stop()
    assert failures and set((await outbox_statuses(db)).values()) == {"sent"}
    assert len(fake.messages_to(1)) == len(fake.messages_to(2)) == 1


async def test_a_person_who_blocked_the_bot_waits_and_the_rest_goes_on(
    fake: FakeTelegram, bot: Bot, db: Database
) -> None:
    fake.user(1, "Ana")
    fake.user(2, "Ben")
    fake.block(1)
    await queue(db, Outgoing(1, "x", "for Ana"), Outgoing(2, "y", "for Ben"))
    delivery = Delivery(bot, db, Clock(), rate=30)
    await delivery.start()
    try:
        await fake.wait_until(lambda: bool(fake.messages_to(2)))
        await settled(delivery)  # Ana's message was tried (a 403) and now waits for her
    finally:
        await delivery.stop()
    assert await outbox_statuses(db) == {"x": "pending", "y": "sent"}
    async with db.read() as uow:
        assert (await uow.users.get(1)).reachable is False


async def test_a_pair_goes_out_together_and_the_rest_at_the_rate(
    fake: FakeTelegram, bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both halves of a reveal leave back to back; after that, sends are spaced by 1/rate.

    The pacer runs on a clock that moves only when it waits: gaps measured on the wall clock
    say more about the machine's load than about what the pacer allowed."""
    now = [1000.0]

    class Waits:
        def __getattr__(self, name: str) -> object:
            return getattr(asyncio, name)

        @staticmethod
        async def sleep(seconds: float) -> None:
            now[0] += seconds

    monkeypatch.setattr(delivery_module, "time", SimpleNamespace(monotonic=lambda: now[0]))
    monkeypatch.setattr(delivery_module, "asyncio", Waits())
    delivery = Delivery(bot, db, Clock(), rate=5)  # 200 ms apart
    starts = []
    for _ in range(5):
        await delivery._pace()
        starts.append(now[0] - 1000)
    assert starts == pytest.approx([0, 0, 0.2, 0.4, 0.6])  # the burst of two, then the pace
    now[0] += 10  # a quiet spell: a pair may leave together again, then the pace
    for _ in range(3):
        await delivery._pace()
        starts.append(now[0] - 1000)
    assert starts[5:] == pytest.approx([10.6, 10.6, 10.8])


async def test_a_claim_takes_only_what_the_loop_could_send_now(db: Database) -> None:
    now = Clock().timestamp()
    await queue(
        db,
        Outgoing(1, "one:0", "part 0"),
        Outgoing(1, "one:1", "part 1"),  # waits behind part 0
        Outgoing(2, "two", "later", due_at=now + 3600),  # not due
        Outgoing(3, "three", "to someone who blocked the bot"),
        Outgoing(4, "four", "fine"),
    )
    now = Clock().timestamp()  # queued at this second or before: a second may have turned
    async with db.unit() as uow:
        await uow.conn.execute("UPDATE users SET reachable = 0 WHERE id = 3")
        claimed = await uow.outbox.claim(["one:0", "one:1", "two", "three", "four"], now)
        again = await uow.outbox.claim(["one:0", "four"], now)  # in flight already
        left = await uow.outbox.ready(now, 10)
    assert [(r.chat_id, r.text) for r in claimed] == [(1, "part 0"), (4, "fine")]
    assert again == [] and left == []  # part 1 waits for part 0; the loop skips claimed rows


async def test_claimed_rows_go_out_once_beside_the_loop_and_failures_come_back(
    fake: FakeTelegram, bot: Bot, db: Database
) -> None:
    for chat in (1, 2, 3):
        fake.user(chat, "P")
    fake.fail_next("sendMessage", status=429, retry_after=1, chat_id=2)
    now = Clock().timestamp()
    await queue(db, *(Outgoing(chat, f"k{chat}", f"to {chat}") for chat in (1, 2, 3)))
    async with db.unit() as uow:
        claimed = await uow.outbox.claim(["k1", "k2"], now)
    delivery = Delivery(bot, db, Clock(), rate=30)
    await delivery.start()
    try:
        delivery.send_claimed(claimed)
        delivery.wake()  # the loop takes k3, and k2 again after its 429
        await fake.wait_until(lambda: len(fake.sent) >= 3, timeout=10)
        await settled(delivery)  # no copy in flight or due: any repeat would be here now
    finally:
        await delivery.stop()
    assert sorted(m.chat_id for m in fake.sent) == [1, 2, 3]  # each once
    assert set((await outbox_statuses(db)).values()) == {"sent"}


async def test_a_stop_records_the_claimed_sends_telegram_took_before_it_cut_the_rest(
    fake: FakeTelegram, bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reveal's two messages go out together; one arrives, the other waits on the wire past
    the stop's deadline, which cancels them. The one Telegram took is recorded by the stop
    (not re-sent at the next start as a possible duplicate); the other stays in flight."""
    monkeypatch.setattr(delivery_module, "STOP_WAIT", 0.3)
    monkeypatch.setattr(delivery_module, "CANCEL_WAIT", 0.05)
    for chat in (1, 2):
        fake.user(chat, "P")
    fake.delay_next("sendMessage", 3, chat_id=2, deliver=False)
    delivery = Delivery(bot, db, Clock(), rate=30)
    await delivery.start()  # (it takes back what is in flight: claimed after it)
    async with db.unit() as uow:  # queued and claimed together, as a reveal is
        for chat in (1, 2):
            await uow.users.upsert(Person(chat, "P"), 0)
            await uow.outbox.enqueue(Outgoing(chat, f"k{chat}", f"to {chat}"), 0)
        claimed = await uow.outbox.claim(["k1", "k2"], Clock().timestamp())
    assert len(claimed) == 2  # sent together once this unit commits (Delivery.hand_off)
    # Chat 1's send has its answer (its chat is free), chat 2's request waits.
    await fake.wait_until(lambda: len(fake.sent) == 1 and 1 not in delivery._busy, timeout=5)
    await asyncio.wait_for(delivery.stop(), 5)
    async with db.read() as uow:
        rows = await uow.conn.fetch_all("SELECT dedupe_key, status, inflight FROM outbox")
    assert sorted(tuple(r) for r in rows) == [("k1", "sent", 0), ("k2", "pending", 1)]


async def test_a_reveal_goes_out_straight_after_the_commit(
    fake: FakeTelegram, bot: Bot, db: Database
) -> None:
    """The answer that completes a round claims both reveals, and its unit's commit hands
    them to delivery: no loop pass needed, and nothing for the caller to pass along."""
    ana, ben = Person(1, "Ana"), Person(2, "Ben")
    for p in (ana, ben):
        fake.user(p.id, p.first_name)
    now = Clock().timestamp()
    code = (await pairing.create_invite(db, ana, now, INVITE_KEY)).code
    await pairing.join(db, ben, code, now, INVITE_KEY)
    await checkins.start_round(db, ana.id, now)
    await deliver(db, now)  # the prompts reached both
    await checkins.answer(db, ana, "mine", 1, now)
    await deliver(db, now)  # what came before counts as delivered
    delivery = Delivery(bot, db, Clock(), rate=30)
    db.after_commit.append(delivery.hand_off)  # as start() does, but the loop never starts
    result = await checkins.answer(db, ben, "yours", 2, now)
    assert result.outcome is checkins.AnswerOutcome.REVEALED
    for p in (ana, ben):
        reveal = await fake.user(p.id, p.first_name).next_message(timeout=5)
        assert "mine" in reveal.plain and "yours" in reveal.plain
    await delivery.stop()
    assert db.after_commit == []  # a stopped delivery hears of no more commits
    assert sorted(m.chat_id for m in fake.sent) == [1, 2]
    assert set((await outbox_statuses(db)).values()) == {"sent"}


async def test_two_ready_rows_for_one_chat_still_go_a_second_apart(
    fake: FakeTelegram, bot: Bot, db: Database
) -> None:
    """A row meant for later that waited (a block, a backoff) can be ready beside a newer one
    meant earlier: one pass must not send both to the same chat at once."""
    fake.user(1, "Ana")
    now = Clock().timestamp()
    await queue(db, Outgoing(1, "later", "meant for later", due_at=now + 60))
    await queue(db, Outgoing(1, "now", "meant for now"))
    async with db.unit() as uow:
        await uow.conn.execute("UPDATE outbox SET not_before = ?", (now,))  # both ready now
    delivery = Delivery(bot, db, Clock(), rate=30)
    await delivery.start()
    try:
        first = await fake.user(1, "Ana").next_message(timeout=5)
        second = await fake.user(1, "Ana").next_message(timeout=5)
    finally:
        await delivery.stop()
    assert {first.plain, second.plain} == {"meant for now", "meant for later"}
    assert second.sent_at - first.sent_at >= 0.9  # not both in one pass


async def test_a_row_left_in_flight_by_a_failure_is_sent_once_the_database_recovers(
    fake: FakeTelegram, bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error mid-send, then a failed recovery: the row is released on a later
    pass (not left in flight until a restart) and goes out."""
    fake.user(1, "Ana")
    await queue(db, Outgoing(1, "a", "hello"))
    delivery = Delivery(bot, db, Clock(), rate=30)
    real_send, real_release = delivery._send, outbox.Outbox.release
    trouble = {"send": 1, "release": 1}

    async def send_once_broken(row: outbox.OutboxRow) -> tuple[int, int] | None:
        if trouble["send"]:
            trouble["send"] -= 1
            raise RuntimeError("unexpected")
        return await real_send(row)

    async def release_once_broken(uow: object, row_ids: list[int]) -> None:
        if trouble["release"] and row_ids:
            trouble["release"] -= 1
            raise RuntimeError("database busy")
        await real_release(uow, row_ids)  # type: ignore[arg-type]

    monkeypatch.setattr(delivery, "_send", send_once_broken)
    monkeypatch.setattr(outbox.Outbox, "release", release_once_broken)
    await delivery.start()
    try:
        message = await fake.user(1, "Ana").next_message(timeout=5)
    finally:
        await delivery.stop()
    assert message.plain == "hello" and trouble == {"send": 0, "release": 0}
    assert set((await outbox_statuses(db)).values()) == {"sent"}
    # The failed send may have reached Telegram: its retry is counted as uncertain, once.
    async with db.read() as uow:
        assert await uow.conn.fetch_value("SELECT uncertain FROM outbox") == 1


async def test_a_chat_whose_send_hangs_holds_back_no_other_chat(
    fake: FakeTelegram, db: Database
) -> None:
    """While one chat's request hangs (no answer, far inside the read timeout), every message
    for the other chats goes out, in order; released, the held message arrives once."""
    for chat in (1, 2, 3):
        fake.user(chat, "P")
    held = fake.hold(1)
    await queue(db, Outgoing(1, "x", "to the slow chat"))
    await queue(
        db, *(Outgoing(chat, f"{chat}:{i}", f"part {i}") for chat in (2, 3) for i in range(3))
    )
    client = Bot(
        fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest(read_timeout=60)
    )
    delivery = Delivery(client, db, Clock(), rate=30)
    async with client:
        await delivery.start()
        try:
            await held.wait_for_request()
            await fake.wait_until(
                lambda: len(fake.messages_to(2)) == len(fake.messages_to(3)) == 3, timeout=15
            )
            assert fake.messages_to(1) == []  # still hanging: nothing timed out meanwhile
            held.release()
            await fake.wait_until(lambda: bool(fake.messages_to(1)))
        finally:
            held.release()  # on a failure too, so the stop does not wait out the read timeout
            await delivery.stop()
    for chat in (2, 3):
        assert [m.plain for m in fake.messages_to(chat)] == ["part 0", "part 1", "part 2"]
    assert [m.plain for m in fake.messages_to(1)] == ["to the slow chat"]
    assert set((await outbox_statuses(db)).values()) == {"sent"}


async def test_a_claimed_send_erased_while_it_waits_for_its_turn_never_goes_out(
    fake: FakeTelegram, bot: Bot, db: Database
) -> None:
    """/delete withdraws a reveal that a use case claimed and that waits for its chat's
    one-a-second turn: the erasing unit's hand-off reaches delivery before that turn."""
    fake.user(1, "Ana")
    await queue(db, Outgoing(1, "first", "first"), Outgoing(1, "reveal", "words to withdraw"))
    # The chat's next turn is 3 s after "first": ample time for the erasing unit to commit.
    delivery = Delivery(bot, db, Clock(), rate=30, per_chat_interval=3.0)
    await delivery.start()
    try:
        await fake.wait_until(lambda: len(fake.messages_to(1)) == 1, timeout=10)
        await delivery.recorded()  # "first" is recorded: "reveal" is next in its chat
        async with db.unit() as uow:  # as a reveal is claimed: sent now, after its turn
            [claimed] = await uow.outbox.claim(["reveal"], Clock().timestamp())
        async with db.unit() as uow:  # as privacy.erase withdraws it
            await uow.conn.execute("DELETE FROM outbox WHERE id = ?", (claimed.id,))
            uow.handoff.withdrawn.append(claimed.id)
        await settled(delivery)  # the claimed send's turn came, and it ended
    finally:
        await delivery.stop()
    assert [m.plain for m in fake.messages_to(1)] == ["first"]


@contextlib.asynccontextmanager
async def far_away(
    db: Database, chats: range, latency: float
) -> AsyncIterator[tuple[FakeTelegram, Bot]]:
    """A message queued for each of `chats`, a fake Bot API that answers each call `latency`
    seconds after it took effect (Telegram's round trip), and a bot with a connection for
    every send delivery keeps in flight at the paid cap."""
    fake = FakeTelegram(latency=latency)
    await fake.start()
    try:
        for chat in chats:
            fake.user(chat, "P")
        await queue(db, *(Outgoing(chat, f"k{chat}", f"to {chat}") for chat in chats))
        client = Bot(
            fake.token,
            base_url=f"{fake.base_url}/bot",
            request=AiohttpRequest(pool_size=delivery_module.in_flight_for(1000)),
        )
        async with client:
            yield fake, client
    finally:
        await fake.stop()


async def paid_fan_out(bot: Bot, db: Database, fake: FakeTelegram, messages: int) -> None:
    """Deliver what is queued at the paid cap, until `messages` reached the fake and
    delivery is idle."""
    delivery = Delivery(bot, db, Clock(), rate=1000, paid_broadcast=True)
    await delivery.start()
    try:
        await fake.wait_until(lambda: len(fake.sent) >= messages, timeout=30)
        await settled(delivery)
    finally:
        await delivery.stop()


async def test_a_fan_out_is_claimed_a_batch_at_a_time_not_a_few_rows_per_pass(
    fake: FakeTelegram, bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the paid cap a pass claims about a quarter second of sends in one transaction:
    passes that claimed only as many rows as sends could be in flight (16) spent the bot's
    time and the database's on a transaction every few sends."""
    chats = range(1, 201)
    for chat in chats:
        fake.user(chat, "P")
    await queue(db, *(Outgoing(chat, f"k{chat}", f"to {chat}") for chat in chats))
    claims: list[int] = []
    real_mark_inflight = outbox.Outbox.mark_inflight

    async def counted(self: outbox.Outbox, row_ids: list[int], now: int | None = None) -> None:
        claims.append(len(row_ids))
        await real_mark_inflight(self, row_ids, now)

    monkeypatch.setattr(outbox.Outbox, "mark_inflight", counted)
    await paid_fan_out(bot, db, fake, len(chats))
    assert sorted(m.chat_id for m in fake.sent) == list(chats)  # each once
    assert sum(claims) == len(chats) and len(claims) <= 2


async def test_at_the_paid_cap_records_take_the_sends_of_a_moment_not_a_few_each(
    fake: FakeTelegram, bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record of sends of its own (not one a pass makes in its transaction) is a
    transaction: begun each time a send ended, at the paid cap one took three or four sends
    (a fifth of the bot's CPU). They begin at least RECORD_SPACING apart; each send goes
    through one record. (Once, in CI on PostgreSQL, two went through two: a pass that took no
    sends recorded those that ended as its transaction began, see the test above.)"""
    chats = range(1, 301)
    for chat in chats:
        fake.user(chat, "P")
    await queue(db, *(Outgoing(chat, f"k{chat}", f"to {chat}") for chat in chats))
    begun: list[float] = []
    recorded: list[int] = []
    real_mark_sent = outbox.Outbox.mark_sent

    async def counted(self: outbox.Outbox, sent: list[tuple[int, ...]], now: int) -> None:
        caller = sys._getframe(2)  # via Records.write
        if caller.f_code is Records._record.__code__:
            # When the record's transaction began, as the delivery took it: a moment of this
            # process not running between the two must not count against the spacing.
            begun.append(caller.f_locals["self"]._last_record)
        recorded.extend(entry[0] for entry in sent)
        await real_mark_sent(self, sent, now)

    monkeypatch.setattr(outbox.Outbox, "mark_sent", counted)
    await paid_fan_out(bot, db, fake, len(chats))
    assert sorted(m.chat_id for m in fake.sent) == list(chats)
    assert len(recorded) == len(set(recorded)) == len(chats)  # each send through one record
    async with db.read() as uow:  # and is on record once, with the message Telegram gave it
        rows = await uow.conn.fetch_all("SELECT status, chat_id, message_id FROM outbox")
    given = {m.chat_id: m.message_id for m in fake.sent}
    assert sorted(tuple(r) for r in rows) == sorted(("sent", c, given[c]) for c in chats)
    assert len(begun) > 3  # the fan-out's records were mostly these
    gaps = [later - earlier for earlier, later in itertools.pairwise(begun)]
    assert min(gaps) >= RECORD_SPACING, sorted(gaps)[:5]


@pytest.mark.parametrize(("rate", "spaced"), [(30, False), (1000, True)])
async def test_a_record_right_after_another_waits_for_the_spacing_only_at_high_rates(
    bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch, rate: int, spaced: bool
) -> None:
    """A record begins RECORD_SPACING after the last one above 50 sends a second; at
    Telegram's default 30 each send is recorded at once, as a quiet moment's first is."""
    row = await claimed(db, Outgoing(1, "k1", "to 1"))
    delivery = Delivery(bot, db, Clock(), rate=rate, paid_broadcast=rate > 30)
    waits: list[float] = []
    real_sleep = asyncio.sleep

    async def timed(seconds: float, *args: object) -> object:
        if asyncio.current_task() is delivery._records._recorder:
            waits.append(seconds)
        return await real_sleep(seconds, *args)

    monkeypatch.setattr(asyncio, "sleep", timed)
    delivery._records._sent = [(row.id, 555, Clock().timestamp())]
    delivery._records.record_soon()  # the first: at once either way
    assert delivery._records._recorder is not None
    await delivery._records._recorder
    assert waits == []
    delivery._records._sent = [(10_000_000, 1, Clock().timestamp())]  # another ends at once
    delivery._records.record_soon()
    await delivery._records._recorder
    assert bool(waits) is spaced, waits
    assert all(0 < wait <= RECORD_SPACING for wait in waits)


async def test_a_send_a_pass_is_recording_counts_as_unrecorded_until_the_pass_commits(
    bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A send that ended waits for the recorder, but a pass may take it into its own
    transaction first. Someone answering the question it carried is handled once it is on
    record (`recorded`): returning while the pass had not committed yet read their answer as
    one to a question they never got (seen as a lost answer once records were spaced)."""
    row = await claimed(db, Outgoing(1, "k1", "the question"))
    delivery = Delivery(bot, db, Clock(), rate=30)
    delivery._records._sent = [
        (row.id, 555, Clock().timestamp())
    ]  # Telegram took it: now its record
    in_pass, go_on = asyncio.Event(), asyncio.Event()
    real_mark_sent = outbox.Outbox.mark_sent

    async def paused(self: outbox.Outbox, sent: list[tuple[int, ...]], now: int) -> None:
        in_pass.set()
        await go_on.wait()
        await real_mark_sent(self, sent, now)

    monkeypatch.setattr(outbox.Outbox, "mark_sent", paused)
    passing = asyncio.create_task(delivery.drain_once())
    try:
        await asyncio.wait_for(in_pass.wait(), 5)
        assert delivery.recording()
        waiting = asyncio.create_task(delivery.recorded(timeout=5))
        for _ in range(20):
            await asyncio.sleep(0)
        assert not waiting.done()  # the pass has not committed
    finally:
        go_on.set()  # a failure must not leave the pass holding its transaction
    await asyncio.wait_for(waiting, 5)
    assert (await outbox_statuses(db))["k1"] == "sent"  # on record by then
    await passing


async def test_a_transaction_that_took_no_sends_records_none_that_end_while_it_begins(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pass takes the sends waiting for their record, none this time, then begins its
    transaction; a send that ends meanwhile is the recorder's. The empty batch the pass took
    was the very list that send was added to, so it went through both transactions (seen once
    in CI: 302 records for 300 sends, no error logged)."""
    row = await claimed(db, Outgoing(1, "k1", "to 1"))
    records = Records(db, Clock(), rate=30, recorded=lambda: None)
    written: list[int] = []
    real_mark_sent = outbox.Outbox.mark_sent

    async def counted(self: outbox.Outbox, sent: list[tuple[int, ...]], now: int) -> None:
        written.extend(entry[0] for entry in sent)
        await real_mark_sent(self, sent, now)

    monkeypatch.setattr(outbox.Outbox, "mark_sent", counted)
    with records.take() as sent:  # nothing waits for a record
        async with db.unit() as uow:
            records.add((row.id, 555, Clock().timestamp()))  # ends as the transaction begins
            await records.write(uow, sent)
    await asyncio.wait_for(records.settled(), 10)
    if recorder := records.finish():
        await asyncio.wait_for(recorder, 10)
    assert written == [row.id]
    assert (await outbox_statuses(db))["k1"] == "sent"


async def test_a_record_that_failed_is_retried_by_the_recorder_not_left_to_a_pass(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that stopped being the sender runs no more passes, and its lease on a sent
    row is renewed while the send waits for its record: a record that failed there (the
    database blinked, the blip that cost the lock) waited for this worker's stop, and the
    person answering the question it carried for their handler's 10 s. The recorder tries
    again by itself."""
    row = await claimed(db, Outgoing(1, "k1", "to 1"))
    records = Records(db, Clock(), rate=30, recorded=lambda: None)
    failures = fails_once(monkeypatch, "mark_sent")
    records.add((row.id, 555, Clock().timestamp()))
    assert records._recorder is not None
    await asyncio.wait_for(records._recorder, 10)  # done: recorded, or given up
    assert len(failures) == 1 and not records.unrecorded()
    assert (await outbox_statuses(db))["k1"] == "sent"


async def test_a_stop_does_not_wait_for_a_record_that_keeps_failing(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recorder's retries wait between tries; a stop ends the wait and records what is
    left in its own transaction (or leaves it to the lease), rather than hang on a database
    that is down."""
    monkeypatch.setattr(records_module, "RETRY_FIRST", 60.0)  # longer than the test waits
    row = await claimed(db, Outgoing(1, "k1", "to 1"))
    records = Records(db, Clock(), rate=30, recorded=lambda: None)
    failed = database_down(monkeypatch, "mark_sent")
    records.add((row.id, 555, Clock().timestamp()))
    await asyncio.wait_for(failed.wait(), 10)
    recorder = records.finish()
    assert recorder is not None
    await asyncio.wait_for(recorder, 2)  # the retry's wait ends at once
    assert records.waiting()  # kept, for the stop's own record


@pytest.mark.parametrize("database", ["fails", "hangs"])
async def test_a_stop_whose_last_record_fails_still_lets_go_of_everything(
    bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch, database: str
) -> None:
    """The stop records what is left in one last transaction; when the database fails it, or
    keeps it (and the loop's last pass) waiting past STOP_WAIT, the stop still ends cleanly
    (the hook, the lease renewer, the sender lock). (That a row left in flight comes back as
    after a crash: test_a_stop_cancels_a_send_whose_own_write_waits_for_the_database.)"""
    monkeypatch.setattr(delivery_module, "STOP_WAIT", 0.05)
    monkeypatch.setattr(delivery_module, "CANCEL_WAIT", 0.05)
    delivery = Delivery(bot, db, Clock(), rate=30)
    await delivery.start()
    database_down(monkeypatch, "mark_sent", hangs=database == "hangs")
    delivery._records._sent = [(10_000_000, 1, Clock().timestamp())]  # a send just ended
    await asyncio.wait_for(delivery.stop(), 10)
    assert delivery.hand_off not in db.after_commit
    assert delivery._renewer is not None and delivery._renewer.done()
    lock = await db.try_lock(delivery_module.SENDER_LOCK)  # let go of (several workers)
    assert lock is not None
    await lock.release()


async def test_a_stop_does_not_wait_for_a_lease_renewal_slow_to_end(
    bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lease renewer is cancelled last; its unit may take a while to end (SQLite rolls
    back behind a BEGIN waiting for another process's write): the stop gives it CANCEL_WAIT."""
    monkeypatch.setattr(delivery_module, "STOP_WAIT", 0.05)
    monkeypatch.setattr(delivery_module, "CANCEL_WAIT", 0.05)
    db.lease = dataclasses.replace(db.lease, seconds=1.5)  # renewed every half second
    renewing, ended = asyncio.Event(), asyncio.Event()

    async def slow_to_end(self: outbox.Outbox, *args: object, **kwargs: object) -> None:
        renewing.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            await ended.wait()  # a rollback that waits for the database
            raise

    monkeypatch.setattr(outbox.Outbox, "renew", slow_to_end)
    delivery = Delivery(bot, db, Clock(), rate=30)
    await delivery.start()
    on_the_wire = asyncio.ensure_future(asyncio.Event().wait())  # a send in hand: renewed
    delivery._claimed.add(on_the_wire)
    await asyncio.wait_for(renewing.wait(), 5)
    renewer = delivery._renewer
    assert renewer is not None
    stopping = asyncio.ensure_future(delivery.stop())
    stopped, _ = await asyncio.wait({stopping}, timeout=5)
    still_ending = not renewer.done()
    ended.set()
    await asyncio.wait({renewer, stopping}, timeout=5)
    assert stopped and still_ending  # the stop ended while the renewal had not


async def test_sends_a_failed_pass_gives_back_are_recorded_though_no_pass_follows(
    db: Database,
) -> None:
    """A pass takes the sends before the recorder looks (the recorder then finds nothing and
    ends), and its transaction fails: the sends go back, and the recorder is started again
    for them, since no pass may follow (a worker that just stopped being the sender)."""
    row = await claimed(db, Outgoing(1, "k1", "to 1"))
    records = Records(db, Clock(), rate=30, recorded=lambda: None)
    records.add((row.id, 555, Clock().timestamp()))
    first = records._recorder
    assert first is not None
    with contextlib.suppress(ConnectionError), records.take():  # a pass, first
        await asyncio.wait_for(first, 5)  # found nothing to record: ended
        raise ConnectionError("the pass failed")
    assert records._recorder is not first and records._recorder is not None
    await asyncio.wait_for(records._recorder, 5)
    assert not records.unrecorded()
    assert (await outbox_statuses(db))["k1"] == "sent"


async def test_a_stop_is_handed_a_record_stuck_in_the_database_and_no_other_starts(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record under way waits for the database as long as it takes (a connection from the
    pool, a row lock): `finish` hands it to the stop, which waits for it until its deadline
    and cancels it; its sends are then back for the stop's own record, and no recorder starts
    after the stop."""
    row = await claimed(db, Outgoing(1, "k1", "to 1"))
    records = Records(db, Clock(), rate=30, recorded=lambda: None)
    stuck = database_down(monkeypatch, "mark_sent", hangs=True)
    records.add((row.id, 555, Clock().timestamp()))
    recorder = records._recorder
    assert recorder is not None
    await asyncio.wait_for(stuck.wait(), 5)
    assert records.finish() is recorder
    recorder.cancel()  # as the stop does at its deadline
    await asyncio.wait({recorder}, timeout=5)
    records.add((10_000_000, 1, Clock().timestamp()))  # a late one: the stop's too
    assert recorder.cancelled() and records.waiting() and records._recorder is recorder


async def test_a_stop_cancels_a_send_whose_own_write_waits_for_the_database(
    fake: FakeTelegram, bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A send's own writes (its retry after a Telegram error, a failure, an unreachable
    person) wait for the database like any unit (a connection, a row lock): the stop waits
    for the sends in flight until its deadline, then cancels them; the row stays in flight and
    comes back as after a crash."""
    monkeypatch.setattr(delivery_module, "STOP_WAIT", 0.05)
    monkeypatch.setattr(delivery_module, "CANCEL_WAIT", 0.05)
    fake.user(1, "P")
    fake.fail_next("sendMessage", status=502, chat_id=1)  # a retry, written by the send
    stuck = database_down(monkeypatch, "retry_later", hangs=True)
    delivery = Delivery(bot, db, Clock(), rate=30)
    await delivery.start()
    await queue(db, Outgoing(1, "k1", "to 1"))
    delivery.wake()
    await asyncio.wait_for(stuck.wait(), 10)
    await asyncio.wait_for(delivery.stop(), 5)
    assert not delivery._sending
    async with db.read() as uow:  # still in flight: taken back as after a crash
        rows = await uow.conn.fetch_all("SELECT dedupe_key, status, inflight FROM outbox")
    assert [tuple(r) for r in rows] == [("k1", "pending", 1)]


async def test_recorded_waits_for_the_sends_unrecorded_then_not_for_a_stream_of_later_ones(
    bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone answers during a fan-out: their handler waits until the sends unrecorded at
    that moment are on record, not until the recorder is idle, which a stream of sends
    ending one after another puts off (up to the 10 s timeout, a reply that long late)."""
    row = await claimed(db, Outgoing(1, "k1", "the question"))
    delivery = Delivery(bot, db, Clock(), rate=1000, paid_broadcast=True)
    records = 0
    real_mark_sent = outbox.Outbox.mark_sent

    async def meanwhile_another_ends(
        self: outbox.Outbox, sent: list[tuple[int, ...]], now: int
    ) -> None:
        nonlocal records
        records += 1
        if records < 50:  # a send ends during each record: the recorder goes on and on
            delivery._records._sent.append((10_000_000 + records, 1, now))  # no such row
        await real_mark_sent(self, sent, now)

    monkeypatch.setattr(outbox.Outbox, "mark_sent", meanwhile_another_ends)
    delivery._records._sent = [(row.id, 555, Clock().timestamp())]
    await asyncio.wait_for(delivery.recorded(timeout=10), 10)
    assert records < 50, records  # the first batch's record, not the whole stream's
    assert (await outbox_statuses(db))["k1"] == "sent"
    assert delivery._records._recorder is not None
    await asyncio.wait_for(delivery._records._recorder, 10)  # the rest, before the database closes


async def test_at_the_paid_cap_enough_sends_are_in_flight_to_cover_telegrams_round_trip(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each answer takes a round trip (tens of milliseconds to Telegram): at 1000/s that
    many sends must be in flight at once, or the round trip, not the pace, sets the rate (16
    at 50 ms kept 0.27 of the paid cap). The fake answers each after 0.2 s here; counted is
    how many it was answering at once, not how fast. On PostgreSQL each send's lease is
    checked just before it goes: sends that ask together are checked in one statement."""
    holds: list[int] = []
    real_hold_many = outbox.Outbox.hold_many

    async def counted(self: outbox.Outbox, row_ids: list[int], now: int) -> set[int]:
        holds.append(len(row_ids))
        return await real_hold_many(self, row_ids, now)

    monkeypatch.setattr(outbox.Outbox, "hold_many", counted)
    chats = range(1, 241)
    async with far_away(db, chats, latency=0.2) as (fake, client):
        await paid_fan_out(client, db, fake, len(chats))
    assert sorted(m.chat_id for m in fake.sent) == list(chats)  # each once
    assert fake.peak_requests > 2 * delivery_module.MAX_IN_FLIGHT
    if db.engine == "postgres":
        assert sum(holds) == len(chats) and len(holds) <= len(chats) // 8, holds
    else:
        assert holds == []  # one worker: nothing to fence


async def test_a_batch_is_recorded_with_its_rounds_in_one_statement_on_postgresql(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recording sends: each marked sent with its Telegram message, each message quoting a
    round remembered, and its reader counted as having received the round at Telegram's date
    of the message; on PostgreSQL in one trip to the server (the loop records every few ms)."""
    a, b = Person(1, "A"), Person(2, "B")
    start = 1_800_000_000
    code = (await pairing.create_invite(db, a, start, INVITE_KEY)).code
    await pairing.join(db, b, code, start, INVITE_KEY)
    await checkins.start_round(db, a.id, start)
    await queue(db, Outgoing(3, "plain", "no round"))
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT id, chat_id, round_id FROM outbox WHERE status = 'pending' ORDER BY id"
        )
    quoting = [r for r in rows if r["round_id"] is not None]
    assert {r["chat_id"] for r in quoting} >= {1, 2}
    statements = 0
    real_run = outbox.bulk._run

    async def counted(*args: object, **kwargs: object) -> object:
        nonlocal statements
        statements += 1
        return await real_run(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(outbox.bulk, "_run", counted)
    async with db.unit() as uow:
        await uow.outbox.mark_sent([(r["id"], 500 + r["id"], start + 7) for r in rows], start + 9)
    if db.engine == "postgres":
        assert statements == 1
    async with db.read() as uow:
        sent = await uow.conn.fetch_all(
            "SELECT id, status, message_id, text, inflight, sent_at FROM outbox ORDER BY id"
        )
        quoted = await uow.conn.fetch_all(
            "SELECT chat_id, message_id, round_id FROM round_messages"
        )
        received = await uow.conn.fetch_all("SELECT user_id, received_at FROM round_participants")
    assert [tuple(r) for r in sent] == [
        (r["id"], "sent", 500 + r["id"], "", 0, start + 9) for r in rows
    ]
    assert sorted(tuple(r) for r in quoted) == sorted(
        (r["chat_id"], 500 + r["id"], r["round_id"]) for r in quoting
    )
    assert sorted(tuple(r) for r in received) == [(1, start + 7), (2, start + 7)]


async def test_a_stop_puts_claimed_unsent_rows_back_as_certainly_unsent(
    fake: FakeTelegram, bot: Bot, db: Database
) -> None:
    """Rows claimed for a batch but not sent when the process stops wait again, not in
    flight and not counted as uncertain: nothing of them reached Telegram."""
    chats = range(1, 7)
    for chat in chats:
        fake.user(chat, "P")
    await queue(db, *(Outgoing(chat, f"k{chat}", f"to {chat}") for chat in chats))
    delivery = Delivery(bot, db, Clock(), rate=2)  # all claimed at once, sent 0.5 s apart
    await delivery.start()
    try:
        await fake.wait_until(lambda: len(fake.sent) >= 1, timeout=10)
    finally:
        await delivery.stop()
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT chat_id, status, inflight, uncertain FROM outbox ORDER BY chat_id"
        )
    sent = {m.chat_id for m in fake.sent}
    assert 1 <= len(sent) < len(chats)
    for chat_id, status, inflight, uncertain in rows:
        assert (status, inflight, uncertain) == ("sent" if chat_id in sent else "pending", 0, 0)


async def test_sends_waiting_for_the_pace_wake_once_each_not_at_every_slot(
    bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to 200 sends are in flight at the paid cap, most of them waiting for a slot. Each
    waking at every slot to find it taken cost the event loop a wake-up per send per slot,
    and the loop's lag bunched the sends' arrivals (429s). They wait in line: about one
    sleep per send, however many wait. Counted, not timed."""
    sleeps = 0

    class Counted:
        def __getattr__(self, name: str) -> object:
            return getattr(asyncio, name)

        @staticmethod
        async def sleep(seconds: float) -> None:
            nonlocal sleeps
            sleeps += 1
            await asyncio.sleep(seconds)

    monkeypatch.setattr(delivery_module, "asyncio", Counted())
    delivery = Delivery(bot, db, Clock(), rate=400, paid_broadcast=True)
    waiting = 60
    await asyncio.wait_for(asyncio.gather(*(delivery._pace() for _ in range(waiting))), 10)
    assert sleeps <= 2 * waiting, sleeps


async def test_a_reply_does_not_take_a_free_slot_from_a_send_in_line_for_it(
    bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A send waits in line for the next slot; the slot comes, and before that send has run
    again a handler asks whether its reply may go at once (turn_now). It may not: it would
    take the slot past the send, or wait behind it after its action committed (then it is
    queued, first in line). On a clock that moves only when told, waits that end only when
    told."""
    now = [1000.0]
    woken = asyncio.Event()

    class Waits:
        def __getattr__(self, name: str) -> object:
            return getattr(asyncio, name)

        @staticmethod
        async def sleep(seconds: float) -> None:
            await woken.wait()

    monkeypatch.setattr(delivery_module, "time", SimpleNamespace(monotonic=lambda: now[0]))
    monkeypatch.setattr(delivery_module, "asyncio", Waits())
    delivery = Delivery(bot, db, Clock(), rate=2)
    await delivery._pace()
    await delivery._pace()  # the burst of two: the next slot is half a second on
    in_line = asyncio.create_task(delivery._pace())
    for _ in range(3):  # it takes the line and waits for its slot
        await asyncio.sleep(0)
    assert delivery._in_line == 1 and not in_line.done()
    now[0] += 1.1  # the slot has come (and the window moved on); the send has not run yet
    assert delivery._slot_wait(now[0]) <= 0
    assert not delivery.turn_now(7)
    woken.set()
    await asyncio.wait_for(in_line, 5)
    assert delivery.turn_now(7)  # nobody in line, a slot free


async def test_the_pace_at_the_paid_cap_keeps_98_percent_and_never_exceeds_it(
    bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 1000/s the pacer allows at least 0.98 of the cap over a long fan-out (it kept 0.972:
    the issue's 0.97 aim was then a perfect run), and never more than the cap in any second,
    even when requests jitter by 19 ms on the way (10 ms was the most it had tolerated). On a
    clock that moves only when the pacer waits."""
    now = [1000.0]

    class Waits:
        def __getattr__(self, name: str) -> object:
            return getattr(asyncio, name)

        @staticmethod
        async def sleep(seconds: float) -> None:
            now[0] += max(seconds, 1e-6)  # a wait finer than the clock's step would not move it

    monkeypatch.setattr(delivery_module, "time", SimpleNamespace(monotonic=lambda: now[0]))
    monkeypatch.setattr(delivery_module, "asyncio", Waits())
    delivery = Delivery(bot, db, Clock(), rate=1000, paid_broadcast=True)
    starts = []
    for _ in range(5000):
        await delivery._pace()
        starts.append(now[0])
    assert (len(starts) - 1) / (starts[-1] - starts[0]) >= 0.98 * 1000
    # Telegram refuses a send when 1000 others arrived in the second before it: with each
    # send's predecessor 1000 back 19 ms late on the way and it on time, that never happens.
    late = 0.019
    assert all(b - (a + late) >= 1.0 for a, b in zip(starts, starts[1000:], strict=False))


async def test_a_send_cancelled_while_it_waits_for_the_pace_holds_up_nothing(
    bot: Bot, db: Database
) -> None:
    """Sends wait for the pace in line behind one lock (Delivery._pacing). One cancelled while
    it holds the lock, and one cancelled in line (a handler's reply, its chat reserved), take
    no slot and keep nobody waiting: the rest go, the line empties, the chat is free again."""
    delivery = Delivery(bot, db, Clock(), rate=10)
    for _ in range(2):  # the burst: the next waits for its slot
        await delivery._pace()

    async def reply() -> None:
        async with delivery.direct_turn(7):
            pass

    first = asyncio.create_task(delivery._pace())
    while not delivery._pacing.locked():  # noqa: ASYNC110 (no event for the lock)
        await asyncio.sleep(0)
    behind = [asyncio.create_task(delivery._pace()) for _ in range(2)]
    replying = asyncio.create_task(reply())
    last = asyncio.create_task(delivery._pace())
    while delivery._in_line < 5:  # noqa: ASYNC110
        await asyncio.sleep(0)
    assert not delivery.turn_now(None) and 7 in delivery._busy
    first.cancel()
    replying.cancel()
    await asyncio.wait_for(asyncio.gather(*behind, last), 10)
    assert first.cancelled() and replying.cancelled()
    assert delivery._in_line == 0 and not delivery._pacing.locked()
    assert len(delivery._recent) == 5  # the two cancelled took no slot
    assert not delivery._busy


async def test_a_pass_whose_claim_fails_leaves_its_chats_free(
    fake: FakeTelegram, bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pass takes its chats as it picks their rows, before the claim commits: a claim that
    fails gives them back, or the chat would be busy for ever and get nothing more."""
    fake.user(1, "P")
    failures = fails_once(monkeypatch, "mark_inflight")
    delivery = Delivery(bot, db, Clock(), rate=30)
    await delivery.start()
    try:
        await queue(db, Outgoing(1, "k1", "to 1"))
        delivery.wake()
        await fake.wait_until(lambda: len(fake.sent) == 1, timeout=10)
        await settled(delivery)
        assert not delivery._busy
    finally:
        await delivery.stop()
    assert len(failures) == 1


async def test_a_stop_at_the_paid_cap_with_sends_in_line_and_on_the_wire_loses_nothing(
    db: Database,
) -> None:
    """At the paid cap up to 200 sends are in flight, most of them in line for the pace (and
    on PostgreSQL asking together whether their rows are still held) when the worker stops.
    Each claimed send holds an in-flight slot already (as many slots as claims), so it goes
    and is recorded; the rest wait, untouched: each message on record as it is at Telegram,
    none left in flight, none counted as uncertain, no chat left busy, nobody in line."""
    chats = range(1, 601)
    async with far_away(db, chats, latency=0.05) as (fake, client):
        delivery = Delivery(client, db, Clock(), rate=1000, paid_broadcast=True)
        await delivery.start()
        try:
            await fake.wait_until(lambda: len(fake.sent) >= 100, timeout=30)
        finally:
            await asyncio.wait_for(delivery.stop(), 10)
        assert not delivery._busy and not delivery._in_line
    sent = [m.chat_id for m in fake.sent]
    assert len(sent) == len(set(sent)) < len(chats)  # each at most once; the stop came early
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT chat_id, status, inflight, uncertain FROM outbox ORDER BY chat_id"
        )
    for chat_id, status, inflight, uncertain in rows:
        expected = "sent" if chat_id in set(sent) else "pending"
        assert (status, inflight, uncertain) == (expected, 0, 0), chat_id

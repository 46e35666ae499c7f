"""The unit of work's hand-off to delivery: what a unit queued and claimed goes to delivery
when, and only when, it commits; and `notify` builds a message's row and key in one place."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from telegram import Bot, Update

from bot import callbacks
from bot.models import Button, Outgoing, Person
from bot.schedule_rules import EVERY_DAY
from bot.storage import outbox
from bot.storage.db import Database
from bot.storage.outbox import Handoff
from bot.storage.unit import Unit
from bot.telegram_http import AiohttpRequest
from scheduler import due
from scheduler.clock import Clock
from scheduler.delivery import Delivery
from testing.clock import MovableClock, StoppedClock
from testing.fake_telegram import FakeTelegram
from testing.offline import Offline, User
from testing.probes import latest_break, open_rounds, outbox_statuses, pending


class Failed(Exception):
    """A use case failing after it queued and claimed: its unit rolls back."""


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    client = Bot(fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest())
    async with client:
        yield client


def recorder(db: Database) -> list[Handoff]:
    """What every committed unit handed off, in order."""
    seen: list[Handoff] = []

    def hook(uow: Unit) -> None:
        seen.append(uow.handoff)

    db.after_commit.append(hook)
    return seen


async def people(db: Database, *ids: int) -> None:
    async with db.unit() as uow:
        for user_id in ids:
            await uow.users.upsert(Person(user_id, "P"), 0)


async def test_notify_builds_the_row_and_its_key(db: Database) -> None:
    button = Button("Stop", "v1:x")
    assert outbox.notice(
        Person(1, "Ana"), "remind", 7, 1, text="hi", buttons=((button,),), round_id=7, due_at=9
    ) == Outgoing(1, "remind:7:1", "hi", ((button,),), 7, 9)
    assert outbox.notice(2, "options", 3, 2, 100, 12, None, text="t").dedupe_key == (
        "options:3:2:100:12:None"  # the key a notice had before notify: rows already queued
    )
    await people(db, 1)
    async with db.unit() as uow:
        first = await uow.notify(1, "remind", 7, 1, text="hi", buttons=((button,),), now=5)
        again = await uow.notify(1, "remind", 7, 1, text="hi again", now=6)
        [row] = await uow.outbox.ready(5, 10)
    assert (first, again) == (True, False)  # the same key: queued once
    assert await pending(db) == [(1, "remind:7:1", "hi")]
    assert row.reply_markup == {"inline_keyboard": [[{"text": "Stop", "callback_data": "v1:x"}]]}


async def test_a_committed_unit_hands_off_what_it_claimed_and_queued(db: Database) -> None:
    await people(db, 1, 2)
    seen = recorder(db)
    now = Clock().timestamp()
    async with db.unit() as uow:
        for key, chat in (("a", 1), ("b", 1), ("c", 2)):
            await uow.notify(chat, key, text=key, now=now)
        claimed = await uow.outbox.claim(["a", "b", "c"], now)
        assert seen == []  # nothing before the commit
    [handoff] = seen
    assert handoff.claimed == claimed and [r.text for r in claimed] == ["a", "c"]
    assert handoff.queued == 3 and handoff.more  # "b" waits behind "a", for the loop
    async with db.unit() as uow:
        await uow.outbox.enqueue_all([Outgoing(2, "d", "d")], now)
        await uow.outbox.claim(["d"], now)  # "c" is in flight: "d" waits
    assert seen[1].claimed == [] and seen[1].more
    async with db.unit() as uow:
        await uow.notify(1, "a", text="a again", now=now)  # a known key adds nothing
    assert seen[2].queued == 0 and not seen[2].more


async def test_a_unit_that_rolls_back_hands_off_nothing(db: Database) -> None:
    await people(db, 1)
    seen = recorder(db)
    now = Clock().timestamp()
    with pytest.raises(Failed):
        async with db.unit() as uow:
            await uow.notify(1, "k", text="never", now=now)
            assert await uow.outbox.claim(["k"], now)
            raise Failed
    assert seen == []
    assert await outbox_statuses(db) == {}  # and nothing of it stayed


async def test_a_failing_hook_leaves_the_committed_unit_alone(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await people(db, 1)

    def broken(uow: Unit) -> None:
        raise RuntimeError("hook")

    db.after_commit.append(broken)
    seen = recorder(db)  # after the broken one: still called
    async with db.unit() as uow:
        await uow.notify(1, "k", text="kept", now=0)
    assert len(seen) == 1
    assert await outbox_statuses(db) == {"k": "pending"}
    assert "after-commit hook failed" in caplog.text


async def test_a_claim_whose_unit_then_fails_is_never_sent(
    fake: FakeTelegram, bot: Bot, db: Database, clock: MovableClock
) -> None:
    """A use case claims a row (marks it in flight) and then fails: the claim is undone with
    the rest, so delivery must not have been handed it. Had it been, it would go out now and
    again from the loop (the row is still pending): two copies."""
    fake.user(1, "Ana")
    now = clock.timestamp()
    async with db.unit() as uow:
        await uow.users.upsert(Person(1, "Ana"), now)
        await uow.notify(1, "k", text="once", due_at=now + 60, now=now)  # not due yet
    delivery = Delivery(bot, db, clock, rate=30)
    await delivery.start()
    try:
        with pytest.raises(Failed):
            async with db.unit() as uow:
                assert await uow.outbox.claim(["k"], now + 60)  # as if it were due
                raise Failed
        await asyncio.wait_for(delivery.idle(), 10)  # no send in flight, nothing due
        assert fake.messages_to(1) == []
        clock.advance(timedelta(minutes=1))
        delivery.wake()
        await fake.wait_until(lambda: len(fake.messages_to(1)) == 1, timeout=10)
        await asyncio.wait_for(delivery.idle(), 10)  # any second copy would be out by now
    finally:
        await delivery.stop()
    assert [m.plain for m in fake.messages_to(1)] == ["once"]
    assert await outbox_statuses(db) == {"k": "sent"}


async def test_delivery_hears_of_commits_only_while_it_runs(bot: Bot, db: Database) -> None:
    delivery = Delivery(bot, db, Clock(), rate=30)
    await delivery.start()
    assert db.after_commit == [delivery.hand_off]
    await delivery.stop()
    assert db.after_commit == []


ANA, BEN = User(1001, "Ana"), User(2002, "Ben")


async def handed(bot: Offline, update: Update) -> None:
    """Handle an update that queues a message; its commit must have handed it to delivery.
    (`Offline.process` also fails on a queued message nothing handed off.)"""
    before = bot.held.handed
    await bot.run(update)
    assert bot.held.handed > before


async def test_every_use_case_that_queues_hands_it_to_delivery(tmp_path: Path) -> None:
    """Each place that once called `services.queued()` by hand, in order: the messages its
    unit queued reach delivery with its commit (the real delivery sends them at once)."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        u = bot.updates
        [invite] = await bot.send(ANA, "/pair")
        code = invite.text.split("?start=")[1].split()[0]
        await handed(bot, u.command(BEN, "join", code))  # "joined you", both offered a schedule
        async with bot.db.read() as uow:
            couple = await uow.couples.active_for(ANA.id)
        assert couple is not None
        await handed(bot, u.button(ANA, callbacks.AcceptDefaultSchedule(couple.id).encode()))
        await handed(bot, u.button(BEN, callbacks.PickTime(EVERY_DAY, "2100").encode()))
        for command in ("pause", "resume", "skip"):
            await handed(bot, u.command(ANA, command))
        await handed(bot, u.command(ANA, "options", "window", "12"))
        # Once forgotten: blocking the bot queued "can't reach Ana" and handed nothing over.
        await handed(bot, u.blocked(ANA))
        await bot.run(u.blocked(ANA, False))
        await handed(bot, u.command(ANA, "checkin"))  # the prompt, to both
        await bot.deliver()  # received: answers can be filed

        await handed(bot, u.button(ANA, callbacks.BreakLength("20m").encode()))
        break_id = await latest_break(bot.db)
        clock.at += timedelta(minutes=21)
        await tick(bot)  # the nudge
        await handed(bot, u.button(ANA, callbacks.Phrase(break_id, 0).encode()))
        await handed(bot, u.button(ANA, callbacks.Ready(break_id, False).encode()))
        clock.at += timedelta(minutes=31)
        await tick(bot)  # nudged again
        await bot.run(u.button(ANA, callbacks.Ready(break_id, True).encode()))  # nobody told
        await handed(bot, u.button(BEN, callbacks.Ready(break_id, True).encode()))  # both
        clock.at += timedelta(minutes=5)
        await bot.deliver()
        await handed(bot, u.button(ANA, callbacks.StartGuided(break_id).encode()))
        await bot.deliver()
        opened = await open_rounds(bot.db)
        await handed(bot, u.text(ANA, "mine"))  # filed under the step; "Ana answered"
        move = callbacks.MoveAnswer(opened["repair"], opened["checkin"])
        await handed(bot, u.button(ANA, move.encode()))  # now under the check-in
        await handed(bot, u.button(BEN, callbacks.StopGuided(opened["repair"]).encode()))
        await bot.deliver()
        await handed(bot, u.text(BEN, "yours"))  # the reveal, claimed: out straight away
        assert sorted(row.chat_id for row in bot.held.claimed) == [ANA.id, BEN.id]
        await bot.deliver()
        await handed(bot, u.button(ANA, callbacks.Unpair(couple.id, True).encode()))
        assert await bot.queued(BEN.id)  # what the last steps queued is there to be sent


async def tick(bot: Offline) -> None:
    """The periodic tick's work: its units hand off what they queue, as a handler's do."""
    before = bot.held.handed
    while await due.run_due(bot.db, bot.services.clock, bot.services.settings):
        pass
    assert bot.held.handed > before

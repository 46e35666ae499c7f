"""The delivery loop on its own: order per chat, recovery after a failed pass, clean stop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.models import Button, Outgoing, Person
from bot.storage import outbox, users
from bot.storage.db import Database
from bot.telegram_http import AiohttpRequest
from scheduler.clock import Clock
from scheduler.delivery import Delivery
from testing.fake_telegram import FakeTelegram


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    client = Bot(fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest())
    async with client:
        yield client


async def queue(db: Database, *messages: Outgoing) -> None:
    async with db.transaction() as conn:
        for message in messages:
            await users.upsert(conn, Person(message.chat_id, "P"), 0)
            await outbox.enqueue(conn, message, Clock().timestamp())


async def statuses(db: Database) -> dict[str, str]:
    async with db.read() as conn, conn.execute("SELECT dedupe_key, status FROM outbox") as cur:
        return {r[0]: r[1] for r in await cur.fetchall()}


async def test_one_chats_messages_keep_their_order_through_a_retry(
    fake: FakeTelegram, bot: Bot, db: Database
) -> None:
    fake.user(1, "Ana")
    fake.fail_next("sendMessage", status=502, chat_id=1)  # part 1 fails once
    await queue(db, *(Outgoing(1, f"part:{i}", f"part {i}") for i in range(3)))
    delivery = Delivery(bot, db, Clock(), rate=30)
    await delivery.start()
    try:
        for _ in range(100):
            if len(fake.messages_to(1)) == 3:
                break
            await asyncio.sleep(0.1)
    finally:
        await delivery.stop()
    assert [m.plain for m in fake.messages_to(1)] == ["part 0", "part 1", "part 2"]
    assert set((await statuses(db)).values()) == {"sent"}  # recorded by the clean stop


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
    assert set((await statuses(db)).values()) == {"sent"}


async def test_a_failed_pass_leaves_nothing_stuck(
    fake: FakeTelegram, bot: Bot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    for chat in (1, 2):
        fake.user(chat, "P")
    await queue(db, Outgoing(1, "a", "to one"), Outgoing(2, "b", "to two"))
    real_mark_sent = outbox.mark_sent
    failures = []

    async def broken_once(*args: object, **kwargs: object) -> None:
        if not failures:
            failures.append(1)
            raise RuntimeError("disk full")
        await real_mark_sent(*args, **kwargs)

    monkeypatch.setattr(outbox, "mark_sent", broken_once)
    delivery = Delivery(bot, db, Clock(), rate=30)
    await delivery.start()
    try:
        for _ in range(50):
            if set((await statuses(db)).values()) == {"sent"}:
                break
            await asyncio.sleep(0.1)
    finally:
        await delivery.stop()
    assert failures and set((await statuses(db)).values()) == {"sent"}
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
        for _ in range(50):
            if fake.messages_to(2):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.6)
    finally:
        await delivery.stop()
    assert await statuses(db) == {"x": "pending", "y": "sent"}
    async with db.read() as conn:
        assert (await users.get(conn, 1)).reachable is False


async def test_a_pair_goes_out_together_and_the_rest_at_the_rate(
    fake: FakeTelegram, bot: Bot, db: Database
) -> None:
    """Both halves of a reveal leave back to back; after that, sends are spaced by 1/rate."""
    for chat in (1, 2, 3, 4):
        fake.user(chat, "P")
    await queue(db, *(Outgoing(chat, f"k{chat}", "hello") for chat in (1, 2, 3, 4)))
    delivery = Delivery(bot, db, Clock(), rate=5)  # 200 ms apart: wide against jitter
    await delivery.start()
    try:
        for _ in range(100):
            if len(fake.sent) == 4:
                break
            await asyncio.sleep(0.05)
    finally:
        await delivery.stop()
    times = sorted(m.sent_at for m in fake.sent)
    assert times[1] - times[0] < 0.1  # the burst of two
    assert times[2] - times[1] > 0.15 and times[3] - times[2] > 0.15  # then the even pace

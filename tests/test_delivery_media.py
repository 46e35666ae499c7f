"""Pictures and documents through the outbox: the same queue, pacing, retries and sound rules
as messages; the file is sealed while it waits and gone once Telegram has it."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from telegram import Bot, InputFile

from bot.crypto import Cipher
from bot.models import Media, Outgoing, Person
from bot.storage.db import Database
from bot.telegram_http import AiohttpRequest
from scheduler.delivery import Delivery
from testing.clock import MovableClock
from testing.fake_telegram import FakeTelegram
from testing.probes import outbox_statuses, query

# The smallest PNG there is (1x1): the fake takes a photo only if it is an image.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n% a small report\n%%EOF\n"


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    client = Bot(fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest())
    async with client:
        yield client


async def queue(db: Database, *messages: Outgoing, discreet: bool = False) -> None:
    async with db.unit() as uow:
        for message in messages:
            await uow.users.upsert(Person(message.chat_id, "P"), 0)
            # No quiet hours: whether it sounds is then discreet mode's alone.
            await uow.personal.set_quiet(message.chat_id, None, 0)
            await uow.personal.set_discreet(message.chat_id, discreet, 0)
            await uow.outbox.enqueue(message, MovableClock().timestamp())


async def settled(delivery: Delivery) -> None:
    await asyncio.wait_for(delivery.idle(), 10)


async def stored_media(db: Database) -> list[str | None]:
    async with db.read() as uow:
        rows = await query(uow.conn, "SELECT media FROM outbox ORDER BY id")
        return [r[0] for r in await rows.fetchall()]


async def test_a_photo_and_a_document_arrive_with_their_captions_and_bytes(
    fake: FakeTelegram, bot: Bot, db: Database, clock: MovableClock
) -> None:
    fake.user(1, "Ana")
    await queue(
        db,
        Outgoing(1, "chart:1", "Your <b>weeks</b> &amp; you", media=Media("photo", PNG, "w.png")),
        Outgoing(1, "report:1", "", media=Media("document", PDF, "steady-report.pdf")),
    )
    delivery = Delivery(bot, db, clock, rate=30, per_chat_interval=0.01)
    await delivery.start()
    try:
        await fake.wait_until(lambda: len(fake.messages_to(1)) == 2)
        await settled(delivery)
    finally:
        await delivery.stop()
    photo, document = fake.messages_to(1)
    assert (photo.media, photo.content, photo.plain) == ("photo", PNG, "Your weeks & you")
    assert (document.media, document.content, document.file_name) == (
        "document",
        PDF,
        "steady-report.pdf",
    )
    assert document.plain == ""
    assert [method for method, _ in fake.calls if method.startswith("send")] == [
        "sendPhoto",
        "sendDocument",
    ]
    assert set((await outbox_statuses(db)).values()) == {"sent"}
    assert await stored_media(db) == [None, None]  # no picture or report kept once sent


async def test_a_file_waits_sealed_and_a_failed_send_is_retried_not_lost(
    fake: FakeTelegram, bot: Bot, db: Database, clock: MovableClock
) -> None:
    db.cipher = Cipher(b"k" * 32)
    fake.user(1, "Ana")
    fake.fail_next("sendPhoto", status=429, retry_after=30, chat_id=1)
    await queue(db, Outgoing(1, "chart:1", "weeks", media=Media("photo", PNG, "w.png")))
    [sealed] = await stored_media(db)
    assert sealed is not None and sealed.startswith("g1:")
    assert base64.b64encode(PNG).decode() not in sealed
    delivery = Delivery(bot, db, clock, rate=30)
    await delivery.start()
    try:
        await settled(delivery)  # the 429: it waits for its retry, nothing was sent
        assert fake.messages_to(1) == []
        assert await stored_media(db) == [sealed]  # kept (sealed) until it goes out
        clock.advance(timedelta(seconds=31))
        delivery.wake()
        await fake.wait_until(lambda: len(fake.messages_to(1)) == 1)
        await settled(delivery)
    finally:
        await delivery.stop()
    [photo] = fake.messages_to(1)
    assert photo.content == PNG and photo.plain == "weeks"
    assert await stored_media(db) == [None]


async def test_a_private_picture_to_a_discreet_phone_is_announced_then_comes_silently(
    fake: FakeTelegram, bot: Bot, db: Database, clock: MovableClock
) -> None:
    fake.user(1, "Ana")
    # "reveal:" is a private kind: the chart of a couple's weeks is as private as a reveal.
    await queue(
        db,
        Outgoing(1, "reveal:chart:1", "weeks", media=Media("photo", PNG, "w.png")),
        discreet=True,
    )
    delivery = Delivery(bot, db, clock, rate=30, per_chat_interval=0.01)
    await delivery.start()
    try:
        await fake.wait_until(lambda: len(fake.messages_to(1)) == 2)
        await settled(delivery)
    finally:
        await delivery.stop()
    neutral, photo = fake.messages_to(1)
    assert neutral.media is None and not neutral.silent  # the neutral line makes the sound
    assert photo.media == "photo" and photo.silent and photo.content == PNG


async def test_the_http_client_uploads_a_document_as_a_form(fake: FakeTelegram, bot: Bot) -> None:
    """/export's direct reply uses PTB's own send_document through the same client."""
    fake.user(7, "Ana")
    await bot.send_document(7, InputFile(b"data", filename="a.json"), caption="yours")
    [sent] = fake.messages_to(7)
    assert (sent.media, sent.file_name, sent.content, sent.plain) == (
        "document",
        "a.json",
        b"data",
        "yours",
    )


async def test_the_fake_refuses_what_telegram_refuses(fake: FakeTelegram, bot: Bot) -> None:
    fake.user(7, "Ana")
    with pytest.raises(Exception, match=r"(?i)image_process_failed"):
        await bot.send_photo(7, InputFile(b"not a picture", filename="x.png"))
    with pytest.raises(Exception, match="caption is too long"):
        await bot.send_photo(7, InputFile(PNG, filename="x.png"), caption="x" * 1025)
    assert fake.messages_to(7) == []


async def test_a_document_in_quiet_hours_arrives_without_a_sound(
    fake: FakeTelegram, bot: Bot, db: Database, clock: MovableClock
) -> None:
    fake.user(1, "Ana")
    await queue(db, Outgoing(1, "report:pdf:1:1", "", media=Media("document", PDF, "r.pdf")))
    now = datetime.fromtimestamp(clock.timestamp(), UTC)
    around = (
        (now - timedelta(hours=1)).strftime("%H:%M"),
        (now + timedelta(hours=1)).strftime("%H:%M"),
    )
    async with db.unit() as uow:
        await uow.personal.set_quiet(1, around, 0)
    delivery = Delivery(bot, db, clock, rate=30)
    await delivery.start()
    try:
        await fake.wait_until(lambda: len(fake.messages_to(1)) == 1)
        await settled(delivery)
    finally:
        await delivery.stop()
    [document] = fake.messages_to(1)
    assert document.media == "document" and document.silent

"""Webhook mode (issue 16): the secret on every request, /healthz, each update once, one
person's in order across workers; polling stays the default."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from telegram import Update

from bot import health, polling
from bot.app import build_application, services_of
from bot.config import ConfigError, Settings, load_settings
from bot.storage.db import Database
from bot.storage.updates import Turn
from bot.update_ledger import Ledger
from testing.engines import database, on_postgres
from testing.fake.webhook import SECRET_HEADER, Pusher
from testing.fake_telegram import FakeTelegram
from testing.process import TEST_SECRET, free_port
from testing.runner import FAST_PER_CHAT

SECRET = "webhook-secret-for-tests_0123456789"
TOKEN = "123456789:TEST-token-for-steady-fake-bot-api"


def settings_for(fake: FakeTelegram, path: Path, port: int) -> Settings:
    return Settings(
        bot_token=fake.token,
        telegram_api_url=fake.base_url,
        database_path=path,
        database_url=database(path) if on_postgres() else "",
        secret_key=TEST_SECRET,
        tick_seconds=0.2,
        per_chat_interval=FAST_PER_CHAT,
        webhook_url="https://steady.example/telegram/hook",
        webhook_secret=SECRET,
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )


class Worker:
    """The application in webhook mode, started and stopped as `python -m bot` does."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = build_application(settings)
        self.url = f"http://127.0.0.1:{settings.webhook_port}/telegram/hook"
        self.health = f"http://127.0.0.1:{settings.webhook_port}/healthz"

    async def start(self) -> None:
        await self.app.initialize()
        await polling._start(self.app)

    async def stop(self) -> None:
        await polling._shut_down(self.app)

    @property
    def db(self) -> Database:
        return services_of(self.app).database


@pytest.fixture
async def worker(fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[Worker]:
    w = Worker(settings_for(fake, tmp_path / "steady.db", free_port()))
    await w.start()
    yield w
    await w.stop()


def start_update(fake: FakeTelegram, user_id: int, update_id: int) -> dict:
    user = fake.user(user_id, "Ana")
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": user.payload,
            "chat": user.chat,
            "date": int(datetime.now(UTC).timestamp()),
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def post(url: str, body: dict, secret: str | None) -> int:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=headers) as response,
    ):
        return response.status


async def handled(db: Database) -> list[int]:
    async with db.read() as uow:
        rows = await uow.conn.fetch_all("SELECT update_id FROM update_log ORDER BY update_id")
    return [r[0] for r in rows]


async def test_a_request_without_the_secret_gets_403_and_changes_nothing(
    worker: Worker, fake: FakeTelegram
) -> None:
    assert fake.webhook == {"url": worker.settings.webhook_url, "secret_token": SECRET}
    for secret in (None, "", "wrong-secret-but-long-enough", SECRET[:-1], SECRET + "x"):
        assert await post(worker.url, start_update(fake, 1, 7), secret) == 403
    async with worker.db.read() as uow:
        assert await uow.conn.fetch_value("SELECT COUNT(*) FROM users") == 0
    assert await handled(worker.db) == []
    assert not [c for c in fake.calls if c[0].lower() == "sendmessage"]


async def test_an_update_posted_twice_is_handled_once(worker: Worker, fake: FakeTelegram) -> None:
    body = start_update(fake, 1, 7)
    assert await post(worker.url, body, SECRET) == 200
    assert await post(worker.url, body, SECRET) == 200  # Telegram's retry
    assert await handled(worker.db) == [7]
    await asyncio.wait_for(services_of(worker.app).delivery.idle(), 10)  # type: ignore[union-attr]
    assert len(fake.messages_to(1)) == 1  # one welcome
    assert await post(worker.url, {"update_id": "x"}, SECRET) == 400


async def test_healthz_says_the_tick_runs(worker: Worker, fake: FakeTelegram) -> None:
    async def status() -> int:
        async with aiohttp.ClientSession() as session, session.get(worker.health) as response:
            return response.status

    for _ in range(200):
        if await status() == 200:
            break
        await asyncio.sleep(0.05)
    assert await status() == 200
    port = worker.settings.webhook_port
    assert await asyncio.to_thread(health.ask_webhook, port) is None  # Docker's health check
    services_of(worker.app).ticked_at = 0.0  # as if the tick had stopped long ago
    assert await status() == 503
    assert await asyncio.to_thread(health.ask_webhook, port) is not None


async def test_the_fake_pushes_updates_to_the_webhook(worker: Worker, fake: FakeTelegram) -> None:
    """The way the multi-worker test reaches the workers; getUpdates is refused meanwhile."""
    pusher = Pusher(fake, [worker.url])
    await pusher.start()
    try:
        ana = fake.user(5, "Ana")
        await ana.send("/start")
        await ana.wait_for(lambda m: True, timeout=10)
        await fake.wait_until(pusher.idle, 10)  # its 200 is on record
    finally:
        await pusher.stop()
    assert pusher.answered == {worker.url: 1}
    assert [c for c in fake.calls if c[0].lower() == "getupdates"] == []


def update(
    fake: FakeTelegram,
    update_id: int,
    user_id: int = 1,
    edit_date: int | None = None,
    message_id: int | None = None,
):
    """An update of Ana's (or `user_id`'s): her message `message_id` (default: the update id),
    as an edit made at `edit_date` if given."""
    body = start_update(fake, user_id, update_id)
    if message_id is not None:
        body["message"]["message_id"] = message_id
    if edit_date is not None:
        body["edited_message"] = body.pop("message") | {"edit_date": edit_date}
    return Update.de_json(body, None)


async def test_the_ledger_says_what_each_update_is(db: Database, fake: FakeTelegram) -> None:
    ledger = Ledger(db)
    ran: list[int] = []

    async def handle(u: Update) -> Turn:
        async def run() -> None:
            ran.append(u.update_id)

        return await ledger.handle(u, 1000, run)

    assert await handle(update(fake, 10)) is Turn.FRESH
    assert await handle(update(fake, 10)) is Turn.DUPLICATE
    assert await handle(update(fake, 12, edit_date=500)) is Turn.FRESH
    assert await handle(update(fake, 11)) is Turn.LATE  # never seen: still taken
    # An older edit of message 12, or message 12 as first sent: the newer edit stays.
    assert await handle(update(fake, 9, edit_date=400, message_id=12)) is Turn.SUPERSEDED
    assert await handle(update(fake, 8, message_id=12)) is Turn.SUPERSEDED
    assert await handle(update(fake, 13, user_id=2)) is Turn.FRESH  # someone else
    assert ran == [10, 12, 11, 13]
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT update_id, seq FROM update_log WHERE person_id = 1 ORDER BY seq"
        )
    assert [tuple(r) for r in rows] == [(10, 1), (12, 2), (11, 3)]


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_one_persons_updates_wait_for_each_other_across_workers(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """Worker one is handling Ana's update when her next one reaches worker two: it waits for
    the first to be recorded (her row is held), then takes effect; someone else's does not
    wait. A retry of the first, at worker two, then does nothing."""
    first, second = two
    one, other = Ledger(first), Ledger(second)
    order: list[str] = []
    release = asyncio.Event()

    async def mark(name: str) -> None:
        order.append(name)

    started = asyncio.Event()

    async def slow() -> None:
        order.append("first starts")
        started.set()
        await release.wait()
        order.append("first ends")

    # Her row exists already (a first update's insert would make the next wait by itself).
    assert await one.handle(update(fake, 19), 1000, lambda: mark("earlier")) is Turn.FRESH
    order.clear()
    a = asyncio.create_task(one.handle(update(fake, 20), 1000, slow))
    await started.wait()
    b = asyncio.create_task(other.handle(update(fake, 21), 1000, lambda: mark("second")))
    await other.handle(update(fake, 30, user_id=2), 1000, lambda: mark("someone else"))
    # Her second update is waiting on her row, not merely slow: the server shows it waiting
    # for a lock (without the row lock it would run to the end instead).
    await _until(lambda: b.done() or _lock_waits(second))
    assert not b.done()
    assert order == ["first starts", "someone else"]
    release.set()
    assert await a is Turn.FRESH and await b is Turn.FRESH
    assert order == ["first starts", "someone else", "first ends", "second"]
    assert await other.handle(update(fake, 20), 1000, lambda: mark("again")) is Turn.DUPLICATE


async def _lock_waits(db: Database) -> bool:
    async with db.read() as uow:
        # This test's database only: other tests may run beside it on the same server.
        waiting = await uow.conn.fetch_value(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return bool(waiting)


async def _until(condition: Callable[[], Awaitable[bool] | bool], limit: float = 30.0) -> None:
    """Poll `condition` (a loaded machine may take a while) until it holds."""
    deadline = asyncio.get_running_loop().time() + limit
    while True:
        found = condition()
        if found if isinstance(found, bool) else await found:
            return
        assert asyncio.get_running_loop().time() < deadline, "condition never held"
        await asyncio.sleep(0.02)


def test_polling_stays_the_default_and_a_webhook_needs_https_and_a_secret() -> None:
    base = {"BOT_TOKEN": TOKEN}
    assert load_settings(base, Path("/nonexistent")).webhook_url == ""
    hook = {**base, "WEBHOOK_URL": "https://steady.example/hook", "WEBHOOK_SECRET": SECRET}
    settings = load_settings(hook, Path("/nonexistent"))
    assert (settings.webhook_url, settings.webhook_port) == ("https://steady.example/hook", 8080)
    for bad in (
        {"WEBHOOK_URL": "http://steady.example/hook"},
        {"WEBHOOK_SECRET": ""},
        {"WEBHOOK_SECRET": "short"},
        {"WEBHOOK_SECRET": "has spaces in it, sixteen+"},
        {"WEBHOOK_PORT": "99999"},
        {"LEASE_SECONDS": "10", "REQUEST_TIMEOUT": "5"},
    ):
        with pytest.raises(ConfigError):
            load_settings({**hook, **bad}, Path("/nonexistent"))
    assert SECRET not in repr(settings)


async def test_a_malformed_update_gets_400_and_changes_nothing(
    worker: Worker, fake: FakeTelegram
) -> None:
    """A body that is JSON but no update Telegram would send: 400 (a 500 would ask Telegram to
    retry it forever), whatever the parser raises on it."""
    body = start_update(fake, 1, 7)
    out_of_range = body | {"message": body["message"] | {"date": 10**20}}  # OverflowError
    not_a_message = {"update_id": 8, "message": ["words"]}
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            # Nested deep enough for a RecursionError in the JSON parser.
            worker.url,
            data="[" * 100_000 + "]" * 100_000,
            headers={SECRET_HEADER: SECRET},
        ) as response,
    ):
        assert response.status == 400
    assert await post(worker.url, out_of_range, SECRET) == 400
    assert await post(worker.url, not_a_message, SECRET) == 400
    assert await post(worker.url, start_update(fake, 1, 2**70), SECRET) == 400  # not a BIGINT
    async with worker.db.read() as uow:
        assert await uow.conn.fetch_value("SELECT COUNT(*) FROM users") == 0
    assert await handled(worker.db) == []


async def test_an_edit_of_another_message_is_not_superseded(
    db: Database, fake: FakeTelegram
) -> None:
    """Ana edits message 9 (at 400), then message 12 (at 500); the proxy hands the first edit's
    retry to a worker after the second took effect. It is an edit of another message: it still
    takes effect (only an older edit of the *same* message is superseded)."""
    ledger = Ledger(db)
    ran: list[int] = []

    async def run_of(u: Update) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            ran.append(u.update_id)

        return run

    later, earlier = update(fake, 12, edit_date=500), update(fake, 9, edit_date=400)
    assert later.edited_message.message_id != earlier.edited_message.message_id
    assert await ledger.handle(later, 1000, await run_of(later)) is Turn.FRESH
    assert await ledger.handle(earlier, 1000, await run_of(earlier)) is Turn.LATE
    assert ran == [12, 9]


@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_a_retry_while_the_first_attempt_runs_at_another_worker_is_handled_once(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """Telegram gave up waiting for worker one's answer and posted the update again; the proxy
    handed it to worker two while one is still handling it (a new person: no row of theirs
    yet). Two waits for one's record, then does nothing."""
    first, second = two
    ran: list[str] = []
    started, release = asyncio.Event(), asyncio.Event()

    async def slow() -> None:
        ran.append("one")
        started.set()
        await release.wait()

    async def again() -> None:
        ran.append("two")

    a = asyncio.create_task(Ledger(first).handle(update(fake, 40, user_id=5), 1000, slow))
    await started.wait()
    b = asyncio.create_task(Ledger(second).handle(update(fake, 40, user_id=5), 1000, again))
    await _until(lambda: b.done() or _lock_waits(second))
    release.set()
    assert (await a, await b) == (Turn.FRESH, Turn.DUPLICATE)
    assert ran == ["one"]


async def test_an_older_edit_made_in_the_same_second_as_the_newer_does_not_overwrite_it(
    db: Database, fake: FakeTelegram
) -> None:
    """Ana edits message 12 twice within one second (Telegram's edit_date has one-second
    resolution): update 20 ("B"), then update 21 ("C"). The proxy hands 20's retry to a
    worker after 21 took effect. Same message, same edit_date, lower update id: an older form
    of the message, yet the ledger called it LATE and applied it ("B" overwrote "C")."""
    ledger = Ledger(db)
    ran: list[int] = []

    def run_of(u: Update) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            ran.append(u.update_id)

        return run

    newer = update(fake, 21, edit_date=500, message_id=12)
    older = update(fake, 20, edit_date=500, message_id=12)
    assert await ledger.handle(newer, 1000, run_of(newer)) is Turn.FRESH
    assert await ledger.handle(older, 1000, run_of(older)) is Turn.SUPERSEDED
    assert ran == [21]

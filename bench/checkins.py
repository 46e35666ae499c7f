"""Check-in reveal latency and throughput, against a minimal python-telegram-bot echo bot.

    .venv/bin/python -m bench.checkins [--low 50] [--high 1000]

Each bot runs as its own process (`python -m bot`, and `bench/echo_bot.py`), started the same
way against the same fake Bot API server, which runs in this process with the load.
Latency: from an update being queued for the bot to the last message it causes being
received by the server (Steady: the second answer in, both reveals out; echo: message in, reply
out). Throughput: many updates queued at once, updates handled per second until the last
resulting message arrived (Steady: each update is a second answer, two reveals out).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bot import checkins, pairing
from bot.models import Person
from bot.storage.db import Database
from testing.fake_telegram import FakeTelegram
from testing.process import start_process, stop_process


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def wait_count(fake: FakeTelegram, predicate, count: int, timeout: float = 120) -> float:  # noqa: ASYNC109
    """Wait until `count` sent messages match; return the monotonic time of the last one."""
    deadline = time.monotonic() + timeout
    seen, matched, last = 0, 0, 0.0
    while True:
        for message in fake.sent[seen:]:  # only what is new: keep the bench's own cost low
            if predicate(message):
                matched += 1
                last = max(last, message.sent_at)
        seen = len(fake.sent)
        if matched >= count:
            return last
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {matched} of {count} messages arrived")
        await asyncio.sleep(0.005)


# --- the echo baseline ------------------------------------------------------------------


async def echo_figures(fake: FakeTelegram, low: int, high: int) -> tuple[list[float], float]:
    users = [fake.user(10_000 + i, f"E{i}") for i in range(max(low, high))]
    proc = await start_process(fake, "bench.echo_bot")
    try:
        latencies = []
        for i, user in enumerate(users[:low]):
            t0 = time.monotonic()
            await user.send(f"ping {i}")
            reply = await user.next_message(timeout=10)
            latencies.append(reply.sent_at - t0)
        t0 = time.monotonic()
        for i, user in enumerate(users[:high]):
            await user.send(f"load {i}")
        last = await wait_count(fake, lambda m: m.text.startswith("load "), high)
        return latencies, high / (last - t0)
    finally:
        await stop_process(proc)


# --- Steady -------------------------------------------------------------------------------


async def seed(path: Path, fake: FakeTelegram, couples: int, first_id: int) -> list[tuple]:
    """Pair couples, open a round and store the first answer, straight through the domain."""
    db = await Database.open(path)
    await db.migrate()
    now = int(time.time())
    pairs = []
    for i in range(couples):
        a = Person(first_id + 2 * i, f"A{i}")
        b = Person(first_id + 2 * i + 1, f"B{i}")
        code = (await pairing.create_invite(db, a, now)).code
        await pairing.join(db, b, code, now)
        await checkins.start_round(db, a.id, now)
        await checkins.answer(db, a, f"first answer {i}", 1, now)
        pairs.append((fake.user(a.id, a.first_name), fake.user(b.id, b.first_name)))
    # What seeding queued (prompts, notices) counts as delivered: only reveals are measured.
    async with db.transaction() as conn:
        await conn.execute("UPDATE outbox SET status = 'sent', text = ''")
    await db.close()
    return pairs


def revealed_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute("SELECT COUNT(*) FROM rounds WHERE status = 'revealed'").fetchone()[0]


async def wait_revealed(path: Path, count: int, timeout: float = 120) -> float:  # noqa: ASYNC109
    """When `count` rounds had revealed (answer stored, reveal queued): a read-only look at the
    bot's database every 5 ms, which WAL lets happen beside its writes."""
    deadline = time.monotonic() + timeout
    while revealed_count(path) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"fewer than {count} rounds revealed")
        await asyncio.sleep(0.005)
    return time.monotonic()


async def steady_figures(
    fake: FakeTelegram, low: int, high: int, folder: Path
) -> tuple[list[float], float, float]:
    path = folder / "bench.db"
    low_pairs = await seed(path, fake, low, 100_000)
    high_pairs = await seed(path, fake, high, 500_000)
    proc = await start_process(
        fake,
        "bot",
        DATABASE_URL=f"sqlite:///{path}",
        PAID_BROADCAST="true",  # the highest rate Telegram allows: the bot's own cost shows
        SEND_RATE="1000",
        TICK_SECONDS="30",
    )
    try:
        latencies = []
        for i, (ana, ben) in enumerate(low_pairs):
            t0 = time.monotonic()
            await ben.send(f"second answer {i}")
            first = await ana.wait_for("You both answered", timeout=10)
            second = await ben.wait_for("You both answered", timeout=10)
            latencies.append(max(first.sent_at, second.sent_at) - t0)
        before = revealed_count(path)
        t0 = time.monotonic()
        stored = asyncio.create_task(wait_revealed(path, before + high))
        for i, (_, ben) in enumerate(high_pairs):
            await ben.send(f"load answer {i}")
        last = await wait_count(
            fake, lambda m: m.chat_id >= 500_000 and "You both answered" in m.text, 2 * high
        )
        return latencies, high / (await stored - t0), high / (last - t0)
    finally:
        await stop_process(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--low", type=int, default=50, help="sequential rounds for latency")
    parser.add_argument("--high", type=int, default=1000, help="updates queued at once")
    args = parser.parse_args()

    async def run() -> None:
        fake = FakeTelegram()
        await fake.start()
        try:
            echo_lat, echo_rate = await echo_figures(fake, args.low, args.high)
            with tempfile.TemporaryDirectory() as folder:
                steady_lat, steady_stored, steady_rate = await steady_figures(
                    fake, args.low, args.high, Path(folder)
                )
        finally:
            await fake.stop()
        em, ep = statistics.median(echo_lat) * 1000, percentile(echo_lat, 0.99) * 1000
        sm, sp = statistics.median(steady_lat) * 1000, percentile(steady_lat, 0.99) * 1000
        print(f"{'':28}{'echo bot':>12}{'Steady':>12}{'ratio':>10}")
        print(f"{'latency median (ms)':28}{em:12.1f}{sm:12.1f}{sm / em:10.2f}x")
        print(f"{'latency p99 (ms)':28}{ep:12.1f}{sp:12.1f}{sp / ep:10.2f}x")
        for label, rate in (
            ("updates handled per second", steady_rate),
            ("  answers stored per second", steady_stored),
        ):
            print(f"{label:28}{echo_rate:12.0f}{rate:12.0f}{rate / echo_rate:10.0%}")
        print(f"(low load: {args.low} rounds one by one; high load: {args.high} updates at once)")
        print(
            "Handled: until the last resulting message reached the server (Steady: both reveals;"
            " at Telegram's 1000 messages/s cap, at most 500 reveals a second). Stored: until"
            " the last round was revealed in the database, its reveals queued."
        )

    asyncio.run(run())


if __name__ == "__main__":
    main()

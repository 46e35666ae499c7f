"""Check-in reveal latency and throughput, against a minimal python-telegram-bot echo bot.

    .venv/bin/python -m bench.checkins [--low 200] [--high 1000] [--runs 3]

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
from testing.probes import deliver
from testing.process import start_process, stop_process
from testing.seeding import INVITE_KEY


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
        code = (await pairing.create_invite(db, a, now, INVITE_KEY)).code
        await pairing.join(db, b, code, now, INVITE_KEY)
        await checkins.start_round(db, a.id, now)
        await deliver(db, now)  # the prompts reached both: an answer goes to the round
        await checkins.answer(db, a, f"first answer {i}", 1, now)
        pairs.append((fake.user(a.id, a.first_name), fake.user(b.id, b.first_name)))
    # What seeding queued (prompts, notices) counts as delivered: only reveals are measured.
    await deliver(db, now)
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


async def one_run(low: int, high: int) -> dict[str, float]:
    """Echo bot then Steady, each against a fresh fake server: one set of figures."""
    figures: dict[str, float] = {}
    for name in ("echo", "steady"):
        fake = FakeTelegram()
        await fake.start()
        try:
            if name == "echo":
                latencies, rate = await echo_figures(fake, low, high)
                stored = rate  # echo stores nothing: its reply is the whole of handling
            else:
                with tempfile.TemporaryDirectory() as folder:
                    latencies, stored, rate = await steady_figures(fake, low, high, Path(folder))
        finally:
            await fake.stop()
        figures[f"{name} median"] = statistics.median(latencies) * 1000
        figures[f"{name} p99"] = percentile(latencies, 0.99) * 1000
        figures[f"{name} rate"] = rate
        figures[f"{name} stored"] = stored
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--low", type=int, default=200, help="sequential rounds for latency")
    parser.add_argument("--high", type=int, default=1000, help="updates queued at once")
    parser.add_argument(
        "--runs", type=int, default=3, help="echo and Steady in turn; medians are printed"
    )
    args = parser.parse_args()

    async def run() -> None:
        runs = [await one_run(args.low, args.high) for _ in range(args.runs)]
        fig = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        print(f"{'':30}{'echo bot':>10}{'Steady':>10}{'ratio':>9}")
        for label, key, unit in (
            ("latency median (ms)", "median", "x"),
            ("latency p99 (ms)", "p99", "x"),
        ):
            echo, steady = fig[f"echo {key}"], fig[f"steady {key}"]
            print(f"{label:30}{echo:10.1f}{steady:10.1f}{steady / echo:8.2f}{unit}")
        for label, key in (
            ("updates handled per second", "rate"),
            ("  of which answers stored", "stored"),
        ):
            echo, steady = fig["echo rate"], fig[f"steady {key}"]
            print(f"{label:30}{echo:10.0f}{steady:10.0f}{steady / echo:9.0%}")
        print(
            f"(medians of {args.runs} runs, echo and Steady in turn; low load: {args.low}"
            f" rounds one by one; high load: {args.high} updates at once)"
        )
        print(
            "Handled: until the last resulting message reached the server (Steady: both"
            " reveals; Telegram's 1000 messages/s cap allows at most 500 reveals a second)."
            " Stored: until the database held every round as revealed, its reveals queued."
        )

    asyncio.run(run())


if __name__ == "__main__":
    main()

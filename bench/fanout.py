"""Many couples due at the same minute: round creation, delivery rate against the cap, memory.

    .venv/bin/python -m bench.fanout [--couples 10000] [--window 20] [--runs 3]
                                     [--postgres URL | --start-postgres] [--no-postgres]

Seeds N couples whose daily check-in is due now, starts the real bot (`python -m bot`) against
the limit-enforcing fake Bot API server, and prints: the time to find and create the due rounds,
the achieved delivery rate as a ratio of the configured cap, the 429s the fake answered,
duplicate and missing prompts, and the bot's peak RSS. It runs twice: at Telegram's default cap
(30/s, measured over a window, since 2N prompts take minutes) and at the paid-broadcast cap
(1000/s, the whole fan-out, the median of `--runs` runs), where the bot's own overhead shows.
On SQLite, and on PostgreSQL too when a URL is given (`--postgres`, else
STEADY_TEST_DATABASE_URL) or with `--start-postgres` (see bench/due.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench import due
from bot.storage.db import Database
from testing.fake_telegram import FakeTelegram
from testing.journeys import PROMPT
from testing.process import start_process, stop_process


async def rounds_created(db: Database) -> int:
    async with db.read() as uow:
        return int(await uow.conn.fetch_value("SELECT COUNT(*) FROM rounds WHERE status = 'open'"))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run(
    couples: int,
    rate: int,
    paid: bool,
    window: float | None,
    engine: str,
    pg_url: str | None,
    latency: float = 0.0,
) -> dict[str, float]:
    fake = FakeTelegram(enforce_limits=True, latency=latency)
    await fake.start()  # which holds this process's collector off while it counts (server.py)
    try:
        async with due.fresh_database(engine, pg_url) as db:
            now = int(time.time())
            at = datetime.fromtimestamp(now, UTC).strftime("%H:%M")
            people = await due.seed(db, couples, now, zones=("UTC",), at=at)
            for pid in people:
                fake.user(pid, f"P{pid}")
            proc = await start_process(
                fake,
                "bot",
                DATABASE_URL=due.database_url(db),
                SEND_RATE=str(rate),
                PAID_BROADCAST="true" if paid else "false",
                TICK_SECONDS="1",
            )
            started = time.monotonic()
            # CPU from here on: the bot's, and this process's (the fake server, mostly).
            bot_cpu, fake_cpu = cpu_seconds(proc.pid), time.process_time()
            rounds_done = None
            # Only what arrived since the last look: the fake stamps arrivals on this loop,
            # and a scan of all 20,000 sends every 0.2 s stalled it long enough to bunch them
            # (the jitter a 429 needs).
            prompts, looked = [], 0
            while True:
                arrived = fake.sent[looked:]
                looked += len(arrived)
                prompts.extend(m for m in arrived if PROMPT in m.text)
                if rounds_done is None and await rounds_created(db) >= couples:
                    rounds_done = time.monotonic() - started
                if window and prompts and prompts[-1].sent_at - prompts[0].sent_at >= window:
                    break
                if len(prompts) >= len(people) and rounds_done is not None:
                    await asyncio.sleep(1.0)  # late duplicates would show now
                    break
                await asyncio.sleep(0.2)
            rss = peak_rss_mb(proc.pid)
            bot_cpu = cpu_seconds(proc.pid) - bot_cpu
            fake_cpu = time.process_time() - fake_cpu
            await stop_process(proc)
    finally:
        await fake.stop()
    prompts = [m for m in fake.sent if PROMPT in m.text]
    span = prompts[-1].sent_at - prompts[0].sent_at if len(prompts) > 1 else float("nan")
    counts = Counter(m.chat_id for m in prompts)
    complete = window is None
    return {
        "rounds_seconds": rounds_done or float("nan"),
        "rate": (len(prompts) - 1) / span,
        "ratio": (len(prompts) - 1) / span / rate,
        "429s": fake.rate_limited,
        "duplicates": sum(n - 1 for n in counts.values()),
        "missing": len(set(people) - set(counts)) if complete else float("nan"),
        "rss_mb": rss,
        "bot_cpu_ms": 1000 * bot_cpu / max(1, len(prompts)),
        "fake_cpu_ms": 1000 * fake_cpu / max(1, len(prompts)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--couples", type=int, default=10_000)
    parser.add_argument("--window", type=float, default=20.0, help="seconds measured at 30/s")
    parser.add_argument("--runs", type=int, default=3, help="paid-cap runs; the median is shown")
    parser.add_argument(
        "--latency",
        type=float,
        nargs="+",
        default=[0.0, 50.0],
        help="the fake's round trip in ms for the paid-cap runs (Telegram's is tens of ms)",
    )
    parser.add_argument("--postgres", default=os.environ.get("STEADY_TEST_DATABASE_URL"))
    parser.add_argument("--start-postgres", action="store_true", help="a throwaway server")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with due.postgres_server(
        None if args.no_postgres else args.postgres, args.start_postgres
    ) as url:
        engines = [] if args.no_sqlite else ["sqlite"]
        engines += ["postgres"] if url and not args.no_postgres else []
        for engine in engines:
            name = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[engine]
            if args.window:
                results[f"{name} 30/s"] = asyncio.run(
                    run(args.couples, 30, False, args.window, engine, url)
                )
            for ms in args.latency:
                paid = [
                    asyncio.run(run(args.couples, 1000, True, None, engine, url, ms / 1000))
                    for _ in range(args.runs)
                ]
                # The run whose rate is the median, so its other figures belong with it.
                median = sorted(paid, key=lambda r: r["rate"])[len(paid) // 2]
                # "No 429" is a claim about every run, not the median one's.
                median["429s_all"] = sum(r["429s"] for r in paid)
                median["ratio_low"] = min(r["ratio"] for r in paid)
                results[f"{name} 1000/s, {ms:g} ms"] = median
    print(f"{args.couples} couples ({2 * args.couples} prompts) due at the same minute")
    header = f"{'':28}" + "".join(f"{name:>26}" for name in results)
    print(header)
    rows = [
        ("rounds created in (s)", "rounds_seconds", "{:.2f}"),
        ("delivery rate (msg/s)", "rate", "{:.1f}"),
        ("ratio of the cap", "ratio", "{:.3f}"),
        ("429s from the fake", "429s", "{:.0f}"),
        ("  in all paid-cap runs", "429s_all", "{:.0f}"),
        ("  lowest ratio of the runs", "ratio_low", "{:.3f}"),
        ("duplicate prompts", "duplicates", "{:.0f}"),
        ("missing prompts", "missing", "{:.0f}"),
        ("peak RSS of the bot (MB)", "rss_mb", "{:.0f}"),
        ("bot CPU per prompt (ms)", "bot_cpu_ms", "{:.2f}"),
        ("fake's CPU per prompt (ms)", "fake_cpu_ms", "{:.2f}"),
    ]
    for label, key, fmt in rows:
        cells = (fmt.format(r[key]) if key in r else "-" for r in results.values())
        print(f"{label:28}" + "".join(f"{cell:>26}" for cell in cells))
    print(
        f"(at 30/s the rate is measured over the first window; 'missing' needs the whole run;"
        f" at 1000/s the run with the median rate of {args.runs})"
    )


if __name__ == "__main__":
    main()

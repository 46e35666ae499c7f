"""Many couples due at the same minute: round creation, delivery rate against the cap, memory.

    .venv/bin/python -m bench.fanout [--couples 10000] [--window 20]

Seeds N couples whose daily check-in is due now, starts the real bot (`python -m bot`) against
the limit-enforcing fake Bot API server, and prints: the time to find and create the due rounds,
the achieved delivery rate as a ratio of the configured cap, the 429s the fake answered,
duplicate and missing prompts, and the bot's peak RSS. It runs twice: at Telegram's default cap
(30/s, measured over a window, since 2N prompts take minutes) and at the paid-broadcast cap
(1000/s, the whole fan-out), where the bot's own overhead shows.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.storage.db import Database
from testing.fake_telegram import FakeTelegram
from testing.journeys import PROMPT
from testing.process import start_process, stop_process

FIRST_ID = 1_000_000


async def seed(path: Path, couples: int) -> list[int]:
    """Couples due now, written in bulk (a benchmark's set-up, not the product's path)."""
    db = await Database.open(path)
    await db.migrate()
    await db.close()
    now = datetime.now(UTC)
    stamp = int(now.timestamp())
    people = [FIRST_ID + i for i in range(2 * couples)]
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [(pid, f"P{pid}", stamp, stamp) for pid in people],
        )
        conn.executemany(
            "INSERT INTO couples (id, created_at) VALUES (?, ?)",
            [(c + 1, stamp) for c in range(couples)],
        )
        conn.executemany(
            "INSERT INTO couple_members (couple_id, user_id, joined_at) VALUES (?, ?, ?)",
            [(c + 1, FIRST_ID + 2 * c + k, stamp) for c in range(couples) for k in (0, 1)],
        )
        conn.executemany(
            "INSERT INTO schedules (couple_id, days, local_time, next_slot, next_due_at, "
            "updated_at) VALUES (?, 127, ?, ?, ?, ?)",
            [
                (c + 1, now.strftime("%H:%M"), now.date().isoformat(), stamp - 5, stamp)
                for c in range(couples)
            ],
        )
    return people


def rounds_created(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT COUNT(*) FROM rounds").fetchone()[0]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run(couples: int, rate: int, paid: bool, window: float | None) -> dict[str, float]:
    fake = FakeTelegram(enforce_limits=True)
    await fake.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "fanout.db"
            people = await seed(path, couples)
            for pid in people:
                fake.user(pid, f"P{pid}")
            proc = await start_process(
                fake,
                "bot",
                DATABASE_URL=f"sqlite:///{path}",
                SEND_RATE=str(rate),
                PAID_BROADCAST="true" if paid else "false",
                TICK_SECONDS="1",
            )
            started = time.monotonic()
            rounds_done = None
            while True:
                prompts = [m for m in fake.sent if PROMPT in m.text]
                if rounds_done is None and rounds_created(path) >= couples:
                    rounds_done = time.monotonic() - started
                if window and prompts and prompts[-1].sent_at - prompts[0].sent_at >= window:
                    break
                if len(prompts) >= len(people) and rounds_done is not None:
                    await asyncio.sleep(1.0)  # late duplicates would show now
                    break
                await asyncio.sleep(0.2)
            rss = peak_rss_mb(proc.pid)
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
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--couples", type=int, default=10_000)
    parser.add_argument("--window", type=float, default=20.0, help="seconds measured at 30/s")
    args = parser.parse_args()
    results = {
        "cap 30/s": asyncio.run(run(args.couples, 30, False, args.window)),
        "cap 1000/s (paid)": asyncio.run(run(args.couples, 1000, True, None)),
    }
    print(f"{args.couples} couples ({2 * args.couples} prompts) due at the same minute")
    header = f"{'':24}" + "".join(f"{name:>20}" for name in results)
    print(header)
    rows = [
        ("rounds created in (s)", "rounds_seconds", "{:.2f}"),
        ("delivery rate (msg/s)", "rate", "{:.1f}"),
        ("ratio of the cap", "ratio", "{:.3f}"),
        ("429s from the fake", "429s", "{:.0f}"),
        ("duplicate prompts", "duplicates", "{:.0f}"),
        ("missing prompts", "missing", "{:.0f}"),
        ("peak RSS of the bot (MB)", "rss_mb", "{:.0f}"),
    ]
    for label, key, fmt in rows:
        print(f"{label:24}" + "".join(f"{fmt.format(r[key]):>20}" for r in results.values()))
    print("(at 30/s the rate is measured over the first window; 'missing' needs the whole run)")


if __name__ == "__main__":
    main()

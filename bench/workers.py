"""Several workers behind a webhook: stored answers per second and the fan-out rate against the
cap, with 1, 2 and 3 workers, in one run (issue 16).

    .venv/bin/python -m bench.workers [--couples 500] [--workers 1 2 3]
                                      [--postgres URL | --start-postgres]

For each worker count: a fresh PostgreSQL schema holds N couples whose check-in is due now;
that many `python -m bot` workers start in webhook mode against the limit-enforcing fake Bot
API, which pushes updates to them round robin as a reverse proxy would (up to 40 at once, as
`setWebhook`'s max_connections). Measured:

- the fan-out: the 2N prompts at the paid cap (1000/s), rate / cap and 429s. One elected
  worker sends for the whole bot, so more workers should not change it (that is the design).
- stored answers: every person answers at once (2N updates queued); answers stored per second
  from the first post until all are in the database. This is what more workers are for. The
  fake's rate limits are lifted for this burst, far above real traffic: the figure is about
  storing answers, not sending the replies (which the sender paces, README).

The baseline is one worker, measured in the same run; the ratios are against it. Figures, not
assertions. The machine's cores bound the answers figure: workers share them with the fake
server and PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import due
from bench.fanout import cpu_seconds
from bot.storage.db import Database
from testing.fake.webhook import Pusher
from testing.fake_telegram import FakeTelegram
from testing.journeys import PROMPT
from testing.process import WEBHOOK_PATH, free_port, start_webhook_worker

CAP = 1000


async def count(db: Database, sql: str) -> int:
    async with db.read() as uow:
        return int(await uow.conn.fetch_value(sql))


async def run(workers: int, couples: int, pg_url: str) -> dict[str, float]:
    fake = FakeTelegram(enforce_limits=True)
    await fake.start()
    procs: list[asyncio.subprocess.Process] = []
    pusher: Pusher | None = None
    try:
        async with due.fresh_database("postgres", pg_url) as db:
            now = int(time.time())
            at = datetime.fromtimestamp(now, UTC).strftime("%H:%M")
            people = await due.seed(db, couples, now, zones=("UTC",), at=at)
            for pid in people:
                fake.user(pid, f"P{pid}")
            env = {
                "DATABASE_URL": due.database_url(db),
                "SEND_RATE": str(CAP),
                "PAID_BROADCAST": "true",
                "TICK_SECONDS": "1",
            }
            ports = [free_port() for _ in range(workers)]
            started = await asyncio.gather(
                *(start_webhook_worker(fake, port, **env) for port in ports)
            )
            procs = [proc for proc, _ in started]
            pusher = Pusher(fake, [f"http://127.0.0.1:{p}{WEBHOOK_PATH}" for p in ports])
            await pusher.start()

            # The fan-out: every prompt, at the paid cap.
            await fake.wait_until(lambda: prompts(fake) >= len(people), 300)
            sent = [m for m in fake.sent if PROMPT in m.text]
            span = sent[-1].sent_at - sent[0].sent_at
            await wait_recorded(db, len(people))
            fanout_429s = fake.rate_limited
            # The answer burst is far above real traffic; what is measured is answers stored,
            # not the replies sent (the sender paces those): the fake's limits are lifted.
            fake.enforce_limits = False

            # Everyone answers at once; stored answers per second.
            cpu = sum(cpu_seconds(p.pid) for p in procs)
            fake_cpu, pg_cpu, busy = time.process_time(), postgres_cpu(), machine_busy()
            first = time.monotonic()
            for pid in people:
                await fake.user(pid, f"P{pid}").send(f"an answer from {pid}")
            while await count(db, "SELECT COUNT(*) FROM answers") < len(people):
                if time.monotonic() - first > 600:
                    raise RuntimeError("answers were not all stored within 10 minutes")
                await asyncio.sleep(0.05)
            stored_in = time.monotonic() - first
            cpu = sum(cpu_seconds(p.pid) for p in procs) - cpu
            fake_cpu = time.process_time() - fake_cpu
            pg_cpu = postgres_cpu() - pg_cpu
            busy = tuple(b - a for a, b in zip(busy, machine_busy(), strict=True))
            handled = pusher.answered
    finally:
        if pusher is not None:
            await pusher.stop()
        for proc in procs:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            await asyncio.wait_for(proc.wait(), 60)
        await fake.stop()
    return {
        "fanout_rate": (len(sent) - 1) / span if span > 0 else float("nan"),
        "fanout_ratio": (len(sent) - 1) / span / CAP if span > 0 else float("nan"),
        "fanout_429s": fanout_429s,
        "answers_per_s": len(people) / stored_in,
        "cpu_ms": 1000 * cpu / len(people),
        "fake_cpu_share": fake_cpu / stored_in,
        "pg_cpu_ms": 1000 * pg_cpu / len(people),
        "machine_busy": busy[0] / busy[1] if busy[1] else float("nan"),
        "busiest_share": max(handled.values()) / max(1, sum(handled.values())),
    }


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL server process on this machine so far (the bench's
    server is local; other databases on it count too, so run the bench alone)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            head, rest = stat.read_text().rsplit(")", 1)
            if head.endswith("(postgres"):
                fields = rest.split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def prompts(fake: FakeTelegram) -> int:
    return sum(PROMPT in m.text for m in fake.sent)


async def wait_recorded(db: Database, people: int) -> None:
    """Until every prompt's send is on record: an answer counts only for a question received."""
    sql = (
        "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'prompt:%' AND status = 'sent'"
        " AND round_id IN (SELECT id FROM rounds WHERE status = 'open')"  # not yesterday's
    )
    deadline = time.monotonic() + 120
    while await count(db, sql) < people:  # another process writes it
        if time.monotonic() > deadline:
            raise RuntimeError("prompts were not all recorded as sent")
        await asyncio.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--couples", type=int, default=500)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--postgres", default=os.environ.get("STEADY_TEST_DATABASE_URL"))
    parser.add_argument("--start-postgres", action="store_true", help="a throwaway server")
    args = parser.parse_args()
    with due.postgres_server(args.postgres, args.start_postgres) as url:
        if not url:
            parser.error("several workers need PostgreSQL: --postgres URL or --start-postgres")
        results = {n: asyncio.run(run(n, args.couples, url)) for n in args.workers}
    base = results[args.workers[0]]
    print(
        f"{args.couples} couples ({2 * args.couples} prompts, then {2 * args.couples} answers),"
        f" workers in webhook mode on PostgreSQL; ratios against {args.workers[0]} worker(s)"
    )
    print(f"{'':34}" + "".join(f"{f'{n} worker(s)':>16}" for n in results))
    rows = [
        ("fan-out rate (msg/s)", "fanout_rate", "{:.0f}"),
        ("fan-out rate / cap (1000/s)", "fanout_ratio", "{:.3f}"),
        ("429s from the fake, fan-out", "fanout_429s", "{:.0f}"),
        ("stored answers per second", "answers_per_s", "{:.1f}"),
        ("  ratio to the baseline", None, "{:.2f}"),
        ("workers' CPU per answer (ms)", "cpu_ms", "{:.1f}"),
        ("PostgreSQL's CPU per answer (ms)", "pg_cpu_ms", "{:.1f}"),
        ("fake server and proxy, cores busy", "fake_cpu_share", "{:.2f}"),
        ("whole machine busy, answers", "machine_busy", "{:.2f}"),
        ("busiest worker's share of posts", "busiest_share", "{:.2f}"),
    ]
    for label, key, fmt in rows:
        values = [
            r[key] if key else r["answers_per_s"] / base["answers_per_s"] for r in results.values()
        ]
        print(f"{label:34}" + "".join(f"{fmt.format(v):>16}" for v in values))
    print("(answers: every person at once, with the fake's rate limits lifted for the burst)")


if __name__ == "__main__":
    main()

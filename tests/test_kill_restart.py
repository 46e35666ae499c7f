"""The real bot process killed with SIGKILL at random points of a fan-out, and restarted.

Every due prompt arrives. A prompt can arrive twice only when the kill came after Telegram took
it and before the bot recorded that; such a send is on record as uncertain.

Each life is forked from a process that imported Steady once (testing.forked): the same
`bot.__main__.main()` in a process of its own, without a second of imports 23 times over.
"""

from __future__ import annotations

import asyncio
import random
import signal
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.storage.db import Database
from scheduler.delivery import PER_CHAT_INTERVAL
from testing.engines import database, database_url, on_postgres
from testing.fake_telegram import FakeTelegram
from testing.journeys import PROMPT
from testing.probes import cursor, wait_until_sent
from testing.process import start_forked, stop_process
from testing.seeding import seed_due_couples

COUPLES = 30
KILLS = 22


@pytest.mark.slow
async def test_sigkill_at_random_points_loses_and_repeats_nothing_unrecorded(
    strict_fake: FakeTelegram, tmp_path: Path
) -> None:
    fake = strict_fake
    # Telegram takes each prompt at once and answers a round trip later, as over a real network:
    # a kill in that moment leaves a send that arrived but is not recorded, so its retry is a
    # repeat, which must be on record (without the round trip, no kill ever landed there).
    fake.delay_next("sendMessage", 0.1, deliver=True, times=1_000_000)
    path = tmp_path / "kill.db"
    pairs = await seed_due_couples(path, COUPLES, datetime.now(UTC))
    people = [pid for pair in pairs for pid in pair]
    for pid in people:
        fake.user(pid, f"U{pid}")
    env = {
        "DATABASE_URL": database_url(path),
        # Slow enough that the kills land all through the fan-out: two or three sends in each
        # process's life, in which the kill falls at a random point (shortly after start, the
        # retries of what the last kill cut short; later, new sends).
        "SEND_RATE": "4",
        "TICK_SECONDS": "0.2",
        "REQUEST_TIMEOUT": "2",
        # PostgreSQL: what a killed sender held in flight comes back within seconds, during
        # the later lives rather than only at the end (SQLite takes it all back at start).
        "LEASE_SECONDS": "6",
    }
    # On PostgreSQL each new process is an elected sender, which sends nothing for one
    # per-chat interval (the last sender's message to a chat may be that recent): the kill
    # points count from there, or the kills would all land before the fan-out went on. A
    # quarter of Telegram's second, as each chat is sent one prompt here: 22 lives waited a
    # second each for it (a 429 it may draw from the strict fake is retried, as any is).
    per_chat = PER_CHAT_INTERVAL / 4
    pause = per_chat if on_postgres() else 0.0
    rng = random.Random(20261124)
    output = tmp_path / "bot.log"  # every life's, for a failure's message
    delivered_at_kill = []
    for _ in range(KILLS):
        proc = await start_forked(fake, output, per_chat, **env)
        await asyncio.sleep(pause + rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
        delivered_at_kill.append(sum(PROMPT in m.plain for m in fake.sent))
    proc = await start_forked(fake, output, per_chat, **env)
    try:
        await fake.wait_until(
            lambda: {m.chat_id for m in fake.sent if PROMPT in m.plain} >= set(people), 60
        )
        await wait_until_sent(path)  # and nothing left to send: any repeat is here now
    finally:
        assert await stop_process(proc) == 0, output.read_text()

    # The kills really fell during the fan-out, not before or after it.
    assert delivered_at_kill[0] < len(people) and delivered_at_kill[-1] > 0
    prompts = Counter(m.chat_id for m in fake.sent if PROMPT in m.plain)
    assert set(prompts) == set(people)
    db = await Database.open(database(path))
    async with db.read() as uow:
        async with cursor(
            uow.conn,
            "SELECT chat_id, uncertain, status FROM outbox WHERE dedupe_key LIKE 'prompt:%'",
        ) as cur:
            rows = {r[0]: (r[1], r[2]) for r in await cur.fetchall()}
        async with cursor(
            uow.conn, "SELECT COUNT(*), COUNT(DISTINCT couple_id) FROM rounds"
        ) as cur:
            assert tuple(await cur.fetchone()) == (COUPLES, COUPLES)  # never a round twice
    await db.close()
    assert all(status == "sent" for _, status in rows.values())
    for chat, count in prompts.items():
        assert count == 1 or rows[chat][0] >= 1, f"chat {chat}: {count} copies, none recorded"
    assert sum(count - 1 for count in prompts.values()) <= KILLS

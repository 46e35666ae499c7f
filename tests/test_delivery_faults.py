"""A scheduled fan-out through Telegram's limits and faults: every prompt arrives, once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.storage.db import Database
from scheduler.delivery import PER_CHAT_INTERVAL
from testing.clock import MovableClock
from testing.engines import database
from testing.fake_telegram import FakeTelegram
from testing.journeys import PROMPT
from testing.probes import count, cursor
from testing.runner import BotRunner
from testing.seeding import seed_due_couples

COUPLES = 20


@pytest.mark.heavy
async def test_a_fan_out_under_limits_and_faults_delivers_every_prompt_once(
    strict_fake: FakeTelegram, tmp_path: Path
) -> None:
    fake = strict_fake
    clock = MovableClock()
    pairs = await seed_due_couples(tmp_path / "s.db", COUPLES, clock.now())
    people = [pid for pair in pairs for pid in pair]
    users = {pid: fake.user(pid, f"U{pid}") for pid in people}
    blocked = people[-1]
    fake.block(blocked)
    # Faults before Telegram accepted the message: retried, delivered exactly once.
    fake.fail_next("sendMessage", status=502, times=4)
    fake.fail_next("sendMessage", status=429, retry_after=1, times=2)
    fake.drop_next("sendMessage", times=3)
    fake.delay_next("sendMessage", 1.5, deliver=False, times=2)
    # Accepted, but the answer was lost: a retry may duplicate, and the bot records it.
    fake.delay_next("sendMessage", 1.5, deliver=True, times=2)

    bot = BotRunner(
        fake.base_url, fake.token, tmp_path / "s.db", clock, request_timeout=0.5,
        # The strict fake enforces Telegram's spacing and overall rate.
        per_chat_interval=PER_CHAT_INTERVAL, send_rate=30.0,
    )  # fmt: skip
    await bot.start()
    try:
        reachable = [pid for pid in people if pid != blocked]
        for pid in reachable:
            await users[pid].wait_for(PROMPT, timeout=60)
        partner_of_blocked = next(a if b == blocked else b for a, b in pairs if blocked in (a, b))
        await users[partner_of_blocked].wait_for("can't reach", timeout=10)
        await users[blocked].unblock_bot()  # back: what waited for them arrives
        await users[blocked].wait_for(PROMPT, timeout=20)
        clock.advance(timedelta(minutes=10))  # let any backoff come due
        fake.settle = lambda: bot.settle(fake)
        await users[people[0]].expect_silence()  # after the barrier: every retry went out
    finally:
        fake.settle = None
        await bot.stop()

    prompts = Counter(m.chat_id for m in fake.sent if PROMPT in m.plain)
    db = await Database.open(database(tmp_path / "s.db"))
    async with (
        db.read() as uow,
        cursor(
            uow.conn, "SELECT chat_id, uncertain FROM outbox WHERE dedupe_key LIKE 'prompt:%'"
        ) as cur,
    ):
        uncertain = {r[0]: r[1] for r in await cur.fetchall()}
    assert await count(db, "rounds") == COUPLES  # one round per couple and slot
    await db.close()
    assert set(prompts) == set(people)
    duplicated = {chat for chat, n in prompts.items() if n > 1}
    assert all(prompts[chat] == 2 for chat in duplicated)
    assert len(duplicated) <= 2  # only the two answers that were lost after acceptance
    assert all(uncertain[chat] >= 1 for chat in duplicated)  # and each one is on record
    assert fake.rate_limited == 0  # beyond the injected 429s, pacing kept inside the limits

"""Several `python -m bot` workers in webhook mode on one PostgreSQL (issue 16), behind a
"proxy" (the fake's Pusher, round robin) and the limit-enforcing fake Bot API. A fan-out of
many couples; the sender is SIGKILLed mid-way and restarted. Every prompt arrives once (a
repeat only where the record says uncertain), no round is made twice, not one 429, each
answer is handled once and a person's in order, and answers that reached different workers
are revealed once."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.storage.db import Database
from testing.engines import database, database_url, on_postgres
from testing.fake.webhook import Pusher
from testing.fake_telegram import FakeTelegram
from testing.journeys import PROMPT
from testing.probes import wait_until_sent
from testing.process import WEBHOOK_PATH, free_port, start_webhook_worker

COUPLES = int(os.environ.get("STEADY_WORKERS_COUPLES", "60"))
WORKERS = 3
# The sender's pace, half of Telegram's 30 a second: the fan-out lasts long enough for the
# kill to land in its middle, and the answers' "saved" replies share this one budget.
SEND_RATE = 14
FIRST_ANSWERS_PER_SECOND = 3


@pytest.mark.slow
@pytest.mark.skipif(not on_postgres(), reason="several workers need PostgreSQL")
async def test_workers_behind_a_webhook_survive_a_sigkill_mid_fan_out(
    strict_fake: FakeTelegram, tmp_path: Path
) -> None:
    fake = strict_fake
    path = tmp_path / "workers.db"
    pairs = await seed_pairs(fake, path)
    people = [pid for pair in pairs for pid in pair]
    env = {
        "DATABASE_URL": database_url(path),
        "SEND_RATE": str(SEND_RATE),
        "TICK_SECONDS": "0.5",
        "REQUEST_TIMEOUT": "2",
        "LEASE_SECONDS": "6",  # a dead sender's sends come back within seconds
        "LOG_LEVEL": "INFO",  # which worker is the sender (SENDER)
    }
    ports = [free_port() for _ in range(WORKERS)]
    urls = [f"http://127.0.0.1:{port}{WEBHOOK_PATH}" for port in ports]
    workers = list(
        await asyncio.gather(*(start_webhook_worker(fake, port, **env) for port in ports))
    )
    pusher = Pusher(fake, urls, timeout=15.0)
    await pusher.start()
    answering = asyncio.create_task(answer_as_prompts_arrive(fake, pairs, path))
    try:
        # Mid fan-out: the sender dies with sends in flight and updates being handled.
        await fake.wait_until(lambda: prompts_delivered(fake) >= len(people) // 3, 60)
        at_kill = prompts_delivered(fake)
        [sender] = [i for i, (_, out) in enumerate(workers) if SENDER in out.text]
        workers[sender][0].send_signal(signal.SIGKILL)
        await workers[sender][0].wait()
        workers[sender] = await start_webhook_worker(fake, ports[sender], **env)
        await asyncio.wait_for(answering, 120)
        await fake.wait_until(lambda: all(revealed(fake, a, b) for a, b in pairs), 90)
        await fake.wait_until(pusher.idle, 30)
        await wait_until_sent(path)  # any repeat is here now
    finally:
        answering.cancel()
        await pusher.stop()
        for proc, _ in workers:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        codes = [await asyncio.wait_for(proc.wait(), 30) for proc, _ in workers]
    assert codes == [0] * WORKERS, [out.text[-2000:] for _, out in workers]
    assert 0 < at_kill < len(people)

    floods = [line for _, out in workers for line in out.text.splitlines() if "Retry" in line]
    assert fake.rate_limited == 0, (fake.rate_limits, floods[:10])  # one rate: not one 429
    uncertain, rounds = await records(path)
    prompts = Counter(m.chat_id for m in fake.sent if PROMPT in m.plain)
    assert set(prompts) == set(people)
    for chat, count in prompts.items():
        assert count == 1 or uncertain[f"prompt:{chat}"] >= 1, f"{chat}: {count} prompts"
    assert rounds == (COUPLES, COUPLES)  # never a round twice
    for a, b in pairs:  # revealed once to each, whichever workers took the two answers
        for reader, writer in ((a, b), (b, a)):
            copies = sum(words(writer) in m.plain for m in fake.messages_to(reader))
            assert copies == 1 or uncertain[f"reveal:{reader}"] >= 1, (reader, copies)

    # Each answer handled once, by whichever worker took it; a person's in update_id order.
    took = {a.update_id: a.target for a in pusher.attempts if a.status == 200}
    applied = await ledger(path)
    assert sorted(applied) == sorted(took)
    by_person: dict[int, list[tuple[int, int]]] = {}
    for update_id, (person, seq) in applied.items():
        by_person.setdefault(person, []).append((seq, update_id))
    for person, seen in by_person.items():
        assert [u for _, u in sorted(seen)] == sorted(u for _, u in seen), person
    split = 0
    for a, b in pairs:
        targets = {took[u] for u, (p, _) in applied.items() if p in (a, b)}
        split += len(targets) > 1
    assert split >= COUPLES // 3  # the two answers of many couples reached different workers
    assert len(pusher.answered) >= 2


SENDER = "this worker now sends for the bot"


def words(person: int) -> str:
    return f"words-of-{person}"


def prompts_delivered(fake: FakeTelegram) -> int:
    return sum(PROMPT in m.plain for m in fake.sent)


def revealed(fake: FakeTelegram, a: int, b: int) -> bool:
    return any(words(b) in m.plain for m in fake.messages_to(a)) and any(
        words(a) in m.plain for m in fake.messages_to(b)
    )


async def answer_as_prompts_arrive(
    fake: FakeTelegram, pairs: list[tuple[int, int]], path: Path
) -> None:
    """The first partner answers once their prompt is sent and on record (a few people a
    second: their "saved" replies share the sender's pace, queued for it by a worker that
    does not send); the second once the first partner's "saved" came and their chat has been
    quiet a moment (the reveal follows, a second after the chat's last message)."""
    first_done: dict[int, float] = {}
    pending = list(pairs)
    loop = asyncio.get_running_loop()
    db = await Database.open(database(path))
    try:
        while pending:
            async with db.read() as uow:
                rows = await uow.conn.fetch_all(
                    "SELECT chat_id FROM outbox WHERE dedupe_key LIKE 'prompt:%'"
                    " AND status = 'sent'"
                )
            prompted = {r[0] for r in rows}
            now = loop.time()
            budget = 1  # evenly spread: replies that bunch up could fill a second
            # At most a few "saved" replies on their way at once: a loaded worker must not
            # bunch up more of them than the sender's pace leaves room for.
            unanswered = sum(not acknowledged(fake, a) for a in first_done)
            for a, b in list(pending):
                if a not in first_done:
                    if budget and unanswered < 3 and a in prompted and quiet(fake, a, now):
                        await fake.user(a, f"A{a}").send(words(a))
                        first_done[a] = now
                        budget -= 1
                elif acknowledged(fake, a) and b in prompted and quiet(fake, a, now):
                    await fake.user(b, f"B{b}").send(words(b))
                    pending.remove((a, b))
            await asyncio.sleep(1.0 / FIRST_ANSWERS_PER_SECOND)
    finally:
        await db.close()


def acknowledged(fake: FakeTelegram, chat: int) -> bool:
    """The first partner's "saved" reached them."""
    return any(PROMPT not in m.plain for m in fake.messages_to(chat))


def quiet(fake: FakeTelegram, chat: int, now: float) -> bool:
    """Nothing reached this chat in the last 1.2 s."""
    sent = fake.messages_to(chat)
    return not sent or now - sent[-1].sent_at > 1.2


async def seed_pairs(fake: FakeTelegram, path: Path) -> list[tuple[int, int]]:
    from testing.seeding import seed_due_couples

    pairs = await seed_due_couples(path, COUPLES, datetime.now(UTC))
    for a, b in pairs:
        fake.user(a, f"A{a}")
        fake.user(b, f"B{b}")
    return pairs


async def records(path: Path) -> tuple[Counter[str], tuple[int, int]]:
    """(uncertain sends by "kind:chat", (rounds, couples with a round))."""
    db = await Database.open(database(path))
    try:
        async with db.read() as uow:
            rows = await uow.conn.fetch_all(
                "SELECT dedupe_key, chat_id, uncertain FROM outbox"
                " WHERE dedupe_key LIKE 'prompt:%' OR dedupe_key LIKE 'reveal:%'"
            )
            count = await uow.conn.fetch_one(
                "SELECT COUNT(*), COUNT(DISTINCT couple_id) FROM rounds"
            )
    finally:
        await db.close()
    uncertain: Counter[str] = Counter()
    for r in rows:
        uncertain[f"{r['dedupe_key'].split(':')[0]}:{r['chat_id']}"] += r["uncertain"]
    assert count is not None
    return uncertain, (count[0], count[1])


async def ledger(path: Path) -> dict[int, tuple[int, int]]:
    """update id → (person, its place among that person's applied updates)."""
    db = await Database.open(database(path))
    try:
        async with db.read() as uow:
            rows = await uow.conn.fetch_all("SELECT update_id, person_id, seq FROM update_log")
    finally:
        await db.close()
    return {r[0]: (r[1], r[2]) for r in rows}

""" "Ready to talk" cannot be probed: what a person sees never depends on the partner's choice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot import repair
from testing.clock import StoppedClock
from testing.offline import Call, Offline, User
from testing.probes import latest_break

ANA = User(1001, "Ana")
BEN = User(2002, "Ben")


def now(clock: StoppedClock) -> int:
    return int(clock.at.timestamp())


def seen(calls: list[Call]) -> list[tuple[object, ...]]:
    """What a person sees of the bot's answers (ids of the updates left out)."""
    return [(c.method, c.chat_id, c.params.get("text"), c.buttons) for c in calls]


async def probe(folder: Path, ben_ready: bool) -> tuple[list[tuple[object, ...]], list[str]]:
    """Ana says ready and then tries everything she can; what she sees, and what Ben is told
    because of it."""
    clock = StoppedClock()
    async with Offline(folder, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.run(bot.updates.button(ANA, "v1:cf:20m"))
        clock.at += timedelta(minutes=21)
        assert await repair.run_due(bot.db, bot.services.now()) == 1
        break_id = await latest_break(bot.db)
        if ben_ready:
            await bot.run(bot.updates.button(BEN, f"v1:rr:{break_id}:y"))
        ana: list[tuple[object, ...]] = []
        ben: list[str] = []
        for data in (
            f"v1:rr:{break_id}:y",
            f"v1:rr:{break_id}:m",  # more time, right after ready: the probe of issue 10
            f"v1:rr:{break_id}:y",
            f"v1:rp:{break_id}:0",
            f"v1:gc:{break_id}:start",  # forged: offered only once both are told
            f"v1:rr:{break_id}:m",
        ):
            clock.at += timedelta(seconds=5)
            ben_before = await bot.queued(BEN.id)
            ana += seen(await bot.run(bot.updates.button(ANA, data)))
            queued = await bot.queued(BEN.id)
            ben += [q.text for q in queued if q not in ben_before and q.due_at <= now(clock)]
        ana += seen(await bot.send(ANA, "/conflict"))
        ana += seen(await bot.run(bot.updates.button(ANA, "v1:cf:1h")))
        # In the end Ben's queue holds the same in both cases ("both ready" withdrawn unread).
        ben += [q.text for q in await bot.queued(BEN.id)]
        return ana, ben


async def test_no_reply_to_ana_depends_on_whether_ben_is_ready(tmp_path: Path) -> None:
    alone, ben_alone = await probe(tmp_path / "a", ben_ready=False)
    both, ben_both = await probe(tmp_path / "b", ben_ready=True)
    assert alone == both
    assert ben_alone == ben_both
    # "More time" right after "ready" took it back, and Ben heard only that (both times).
    assert any("Take the time you need" in str(text) for _, _, text, _ in alone)
    assert any("Ana needs a little more time" in text for text in ben_alone)


@pytest.mark.parametrize("ben_ready", [False, True])
async def test_more_time_after_ready_takes_it_back_either_way(
    tmp_path: Path, ben_ready: bool
) -> None:
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.run(bot.updates.button(ANA, "v1:cf:20m"))
        clock.at += timedelta(minutes=21)
        await repair.run_due(bot.db, bot.services.now())
        if ben_ready:
            await bot.run(bot.updates.button(BEN, "v1:rr:1:y"))
        await bot.run(bot.updates.button(ANA, "v1:rr:1:y"))
        [ack, reply] = await bot.run(bot.updates.button(ANA, "v1:rr:1:m"))
        assert ack.method == "answerCallbackQuery" and reply.chat_id == ANA.id
        assert "Take the time you need" in reply.plain
        # Nobody will hear "both ready" from that round of asking: the next nudge asks again.
        assert not [q for q in await bot.queued() if q.dedupe_key.startswith("both-ready:")]
        async with bot.db.read() as uow:
            rows = await uow.conn.fetch_all(
                "SELECT status, (SELECT COUNT(*) FROM break_ready) FROM breaks"
            )
            assert [tuple(r) for r in rows] == [("cooling", 0)]

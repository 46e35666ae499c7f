""" "Ready to talk" cannot be probed: what a person sees never depends on the partner's choice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot import repair
from testing.clock import StoppedClock
from testing.offline import Call, Offline, User

ANA = User(1001, "Ana")
BEN = User(2002, "Ben")


def seen(calls: list[Call]) -> list[tuple[object, ...]]:
    """What a person sees of the bot's answers (ids of the updates left out)."""
    return [(c.method, c.chat_id, c.params.get("text"), c.buttons) for c in calls]


async def probe(folder: Path, ben_ready: bool) -> tuple[list[tuple[object, ...]], list[str]]:
    """Ana says ready and then tries everything she can; what she sees, and what Ben is told."""
    clock = StoppedClock()
    async with Offline(folder, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.run(bot.updates.button(ANA, "v1:cf:20m"))
        clock.at += timedelta(minutes=21)
        assert await repair.run_due(bot.db, bot.services.now()) == 1
        async with bot.db.read() as conn, conn.execute("SELECT MAX(id) FROM breaks") as cur:
            (break_id,) = await cur.fetchone()
        if ben_ready:
            await bot.run(bot.updates.button(BEN, f"v1:rr:{break_id}:y"))
        ana: list[tuple[object, ...]] = []
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
            told = [q.text for q in await bot.queued(BEN.id) if q not in ben_before]
            if data.endswith(":m") or data.endswith(":start"):
                assert told == [], "the partner must hear nothing of it"
        ana += seen(await bot.send(ANA, "/conflict"))
        ana += seen(await bot.run(bot.updates.button(ANA, "v1:cf:1h")))
        # After a new pause, Ben's queue holds the same in both cases ("both ready" withdrawn).
        ben = [q.text for q in await bot.queued(BEN.id)]
        return ana, ben


async def test_no_reply_to_ana_depends_on_whether_ben_is_ready(tmp_path: Path) -> None:
    alone, ben_alone = await probe(tmp_path / "a", ben_ready=False)
    both, ben_both = await probe(tmp_path / "b", ben_ready=True)
    assert alone == both
    assert any("you're ready" in str(text) for _, _, text, _ in alone)  # her "ready" stands
    assert ben_alone == ben_both


@pytest.mark.parametrize("ben_ready", [False, True])
async def test_more_time_after_ready_keeps_the_ready_and_changes_nothing(
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
        before = await bot.dump()
        [ack, reply] = await bot.run(bot.updates.button(ANA, "v1:rr:1:m"))
        assert ack.method == "answerCallbackQuery" and reply.chat_id == ANA.id
        assert "you're ready" in reply.plain
        assert await bot.dump() == before

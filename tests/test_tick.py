"""The tick (scheduler/due.py, bot/app.py): each kind of due work on its own, so one that fails
holds up none of the rest, a backlog included; the tick still ends in the failure, without a
health beat."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from bot import app as steady_app
from bot import scheduling, weekly
from bot.storage.db import Database
from scheduler import due
from testing.clock import StoppedClock
from testing.offline import Offline
from tests.test_retention import DAY, ana_blocked_with_a_message, rows, tick


@pytest.fixture
def clock() -> StoppedClock:
    return StoppedClock()


async def test_one_kind_of_due_work_failing_holds_up_none_of_the_rest(
    db: Database,
    clock: StoppedClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A report that cannot be drawn (or any one feature's bug) once ended the tick there:
    nothing after it ran, the outbox's expiry and retention included. Now the rest runs, and
    the tick still ends in a failure, so the health check does not call it well. The log
    says where each failed, never the error's words (they may quote someone's)."""
    now = clock.timestamp()
    await ana_blocked_with_a_message(db, now)

    async def broken(*args: object) -> int:
        raise RuntimeError("a bug in one feature")

    monkeypatch.setattr(due.report, "make_due", broken)
    monkeypatch.setattr(due.checkins, "remind_due", broken)
    clock.advance(30 * DAY)
    with pytest.raises(due.DueWorkFailed, match="reminders, reports"):
        await tick(db, clock)
    assert await rows(db) == {"a1": ("expired", "")}  # a step after both failing ones ran
    assert "RuntimeError at test_tick.py" in caplog.text  # where it failed
    assert "a bug in one feature" not in caplog.text  # never what it said: it may quote words
    assert "Traceback" not in caplog.text


async def test_one_failing_kind_of_work_does_not_stop_the_tick_working_through_a_backlog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The failure once carried away scheduling's "more is waiting": the tick stopped after
    one share of a backlog (4,000 couples), so with one feature failing for good a backlog
    after downtime went at a share every 20 s. It goes on, and ends in the failure after."""
    shares: list[int] = []

    async def scheduled(*args: object, **kwargs: object) -> dict[str, object]:
        shares.append(1)
        return {"late": 0, "more": len(shares) < 3}

    async def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("one couple's chart cannot be drawn")

    async with Offline(tmp_path, StoppedClock()) as bot:
        monkeypatch.setattr(scheduling, "run_due", scheduled)
        monkeypatch.setattr(weekly, "summaries_due", broken)
        context = SimpleNamespace(services=bot.services, application=SimpleNamespace(running=True))
        before = bot.services.ticked_at
        with pytest.raises(due.DueWorkFailed):
            await steady_app._tick(context)  # type: ignore[arg-type]
        assert len(shares) == 3
        assert bot.services.ticked_at == before  # no pass was well: the health check says so

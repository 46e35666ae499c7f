"""The Docker health check, `python -m bot.health`: healthy while the tick runs, unhealthy when
it has not run for a few minutes (or never has)."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.health import MIN_STALE_SECONDS, beat, check, stale_after
from testing.clock import MovableClock
from testing.engines import database_url
from testing.fake_telegram import FakeTelegram
from testing.process import TEST_SECRET
from testing.runner import BotRunner

ROOT = Path(__file__).resolve().parents[1]


def test_a_recent_beat_is_healthy_an_old_or_missing_one_is_not(tmp_path: Path) -> None:
    path = tmp_path / "heartbeat"
    assert "missing" in (check(path, time.time(), 180) or "")
    beat(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # like every file in the data folder
    now = path.stat().st_mtime
    assert check(path, now + 179, 180) is None
    assert "181s ago" in (check(path, now + 181, 180) or "")


def test_a_few_minutes_or_three_slow_ticks() -> None:
    settings = load_settings({"BOT_TOKEN": "12345:" + "a" * 35})
    assert stale_after(settings) == MIN_STALE_SECONDS
    slow = load_settings({"BOT_TOKEN": "12345:" + "a" * 35, "TICK_SECONDS": "300"})
    assert stale_after(slow) == 900


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


def health(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.health"], cwd=cwd, env=env, capture_output=True, text=True
    )


async def test_the_running_bot_is_healthy_until_its_tick_stops(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    env.update(
        PYTHONPATH=str(ROOT),
        BOT_TOKEN=fake.token,
        TELEGRAM_API_URL=fake.base_url,
        DATABASE_URL=database_url(tmp_path / "steady.db"),
        LOG_LEVEL="WARNING",
        SECRET_KEY=TEST_SECRET,  # required with PostgreSQL
    )
    heartbeat = tmp_path / load_settings(env).heartbeat_path
    assert (await asyncio.to_thread(health, tmp_path, env)).returncode == 1  # never ticked
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=tmp_path, env=env)
    try:
        deadline = time.monotonic() + 90  # generous: a loaded machine starts slowly
        while not heartbeat.exists():  # the first tick runs at start-up
            assert time.monotonic() < deadline and proc.returncode is None, "no tick ran"
            await asyncio.sleep(0.05)
        result = await asyncio.to_thread(health, tmp_path, env)
        assert (result.returncode, result.stdout.strip()) == (0, "healthy")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), timeout=30) == 0
    # The bot is gone; a few minutes later its last beat is too old.
    old = time.time() - MIN_STALE_SECONDS - 60
    os.utime(heartbeat, (old, old))
    result = await asyncio.to_thread(health, tmp_path, env)
    assert result.returncode == 1
    assert "unhealthy: the last tick ran" in result.stderr


async def test_the_first_tick_runs_at_start_up_not_one_interval_later(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """The tick is scheduled before the job queue starts; APScheduler then counted its first
    run from the start, one whole interval on (20 s by default): due work and the health
    check waited for it after every restart."""
    runner = BotRunner(fake.base_url, fake.token, tmp_path / "steady.db", MovableClock())
    runner.settings = dataclasses.replace(runner.settings, tick_seconds=3600)
    await runner.start()
    try:
        deadline = time.monotonic() + 30  # only a bound for failing: it runs at once
        while not runner.settings.heartbeat_path.exists():
            assert time.monotonic() < deadline, "no tick ran at start-up"
            await asyncio.sleep(0.02)
    finally:
        await runner.stop()

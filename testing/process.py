"""Run a bot as its own process against the fake Bot API server (bench and kill tests)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from testing.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parents[1]


async def start_process(fake: FakeTelegram, module: str, **env: str) -> asyncio.subprocess.Process:
    """Start `python -m module` against the fake server; return once it is polling."""
    polls_before = sum(1 for method, _ in fake.calls if method == "getUpdates")
    # BENCH_PROFILE=<folder> profiles each bot process with cProfile into that folder.
    profile = os.environ.get("BENCH_PROFILE")
    profiling = ["-m", "cProfile", "-o", f"{profile}/{module}.prof"] if profile else []
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *profiling,
        "-m",
        module,
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": fake.token,
            "TELEGRAM_API_URL": fake.base_url,
            "LOG_LEVEL": "WARNING",
            **env,
        },
    )
    deadline = time.monotonic() + 30
    while sum(1 for method, _ in fake.calls if method == "getUpdates") <= polls_before:
        if time.monotonic() > deadline or proc.returncode is not None:
            raise RuntimeError(f"{module} did not start polling")
        await asyncio.sleep(0.02)
    return proc


async def stop_process(proc: asyncio.subprocess.Process) -> int:
    """SIGTERM, as Docker sends it; the bot finishes the send in flight and exits."""
    proc.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(proc.wait(), timeout=30)

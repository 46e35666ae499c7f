"""Run a bot as its own process against the fake Bot API server (bench and kill tests)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp

from testing.fake_telegram import FakeTelegram
from testing.forked import Forked, fork_bot

ROOT = Path(__file__).resolve().parents[1]


class Output:
    """Everything a process writes to stdout and stderr, read as it comes: a pipe nobody reads
    fills up and stalls the process (DEBUG logging writes a lot)."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self._chunks: list[str] = []
        self._changed = asyncio.Event()
        self._reader = asyncio.create_task(self._read(stream))

    async def _read(self, stream: asyncio.StreamReader) -> None:
        while chunk := await stream.read(65536):
            self._chunks.append(chunk.decode(errors="replace"))
            self._changed.set()
        self._changed.set()

    @property
    def text(self) -> str:
        return "".join(self._chunks)

    async def wait_for(self, needle: str, count: int = 1, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Until `needle` appeared `count` times; AssertionError if the process ends or time runs
        out first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.text.count(needle) < count:
            remaining = deadline - loop.time()
            if self._reader.done() or remaining <= 0:
                raise AssertionError(f"{needle!r} not seen {count} time(s); output:\n{self.text}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def closed(self) -> str:
        """The whole output, once the process closed its end."""
        await self._reader
        return self.text


async def launch(
    module: str, env: dict[str, str], cwd: Path = ROOT
) -> tuple[asyncio.subprocess.Process, Output]:
    """Start `python -m module` with exactly `env` (plus PYTHONPATH), stdout and stderr merged."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module,
        cwd=cwd, env={**env, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    assert proc.stdout is not None
    return proc, Output(proc.stdout)


async def wait_polling(
    fake: FakeTelegram, proc: asyncio.subprocess.Process | Forked, polls_before: int = 0
) -> None:
    """Until the process asked the fake for updates (more than `polls_before` times so far)."""
    deadline = time.monotonic() + 30
    while sum(1 for method, _ in fake.calls if method == "getUpdates") <= polls_before:
        if time.monotonic() > deadline or proc.returncode is not None:
            raise RuntimeError("the bot did not start polling")
        await asyncio.sleep(0.02)


TEST_SECRET = "steady-tests-secret-key-0123456789abcdef"


async def start_process(fake: FakeTelegram, module: str, **env: str) -> asyncio.subprocess.Process:
    """Start `python -m module` against the fake server; return once it is polling."""
    polls_before = sum(1 for method, _ in fake.calls if method == "getUpdates")
    # BENCH_PROFILE=<folder> profiles each bot process with cProfile into that folder.
    profile = os.environ.get("BENCH_PROFILE")
    profiling = ["-m", "cProfile", "-o", f"{profile}/{module}.prof"] if profile else []
    proc = await asyncio.create_subprocess_exec(
        sys.executable, *profiling, "-m", module, cwd=ROOT, env=_bot_env(fake, env)
    )
    await wait_polling(fake, proc, polls_before)
    return proc


async def start_forked(
    fake: FakeTelegram, output: Path, per_chat_interval: float | None = None, **env: str
) -> Forked:
    """`start_process(fake, "bot", …)` forked from a process that imported Steady already
    (testing.forked): a second sooner. What it prints goes to `output`."""
    polls_before = sum(1 for method, _ in fake.calls if method == "getUpdates")
    proc = fork_bot(_bot_env(fake, env), ROOT, output, per_chat_interval)
    await wait_polling(fake, proc, polls_before)
    return proc


def _bot_env(fake: FakeTelegram, env: dict[str, str]) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "LOG_LEVEL": "WARNING",
        # Required with PostgreSQL (the server key): a fixed one, as an owner would set.
        **({"SECRET_KEY": TEST_SECRET} if "postgres" in env.get("DATABASE_URL", "") else {}),
        **env,
    }


async def stop_process(proc: asyncio.subprocess.Process | Forked) -> int:
    """SIGTERM, as Docker sends it; the bot finishes the send in flight and exits."""
    proc.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(proc.wait(), timeout=30)


def free_port() -> int:
    """A loopback port nobody listens on now (for a worker's webhook server)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


WEBHOOK_SECRET = "steady-tests-webhook-secret_0123456789"
WEBHOOK_PATH = "/telegram/hook"


async def start_webhook_worker(
    fake: FakeTelegram, port: int, **env: str
) -> tuple[asyncio.subprocess.Process, Output]:
    """`python -m bot` in webhook mode on `port` (behind a "proxy": the fake's Pusher); return
    once its /healthz answers 200 (its tick ran: it reached the database)."""
    proc, output = await launch(
        "bot",
        {
            **os.environ,
            "BOT_TOKEN": fake.token,
            "TELEGRAM_API_URL": fake.base_url,
            "LOG_LEVEL": "WARNING",
            "SECRET_KEY": TEST_SECRET,
            "WEBHOOK_URL": f"https://steady.example{WEBHOOK_PATH}",
            "WEBHOOK_SECRET": WEBHOOK_SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            **env,
        },
    )
    deadline = time.monotonic() + 90  # a loaded CI machine: starting takes seconds
    async with aiohttp.ClientSession() as session:
        while True:
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return proc, output
            if time.monotonic() > deadline or proc.returncode is not None:
                raise AssertionError(f"the worker did not start; output:\n{output.text}")
            await asyncio.sleep(0.05)

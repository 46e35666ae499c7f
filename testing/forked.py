"""Bot processes forked from one that has imported Steady already.

`python -m bot` spends about a second importing before it reads a setting, and the SIGKILL
test starts 23 of them. Here `multiprocessing`'s forkserver imports Steady once per test
process, then forks each bot from it: a process of its own, with the environment given and
nothing else, running `bot.__main__.main()` as `python -m bot` does, killed for real. Only the
imports came first; no module of Steady reads the environment when it is imported.
"""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from bot.config import Settings

_CONTEXT = multiprocessing.get_context("forkserver")
# Imported once by the fork server when it starts (the first fork_bot of a test process).
_CONTEXT.set_forkserver_preload(["bot.__main__", "bot.app", "bot.polling", "bot.storage.postgres"])


class Forked:
    """A forked bot: what the tests use of asyncio's Process (pid, send_signal, wait)."""

    def __init__(self, process: multiprocessing.process.BaseProcess) -> None:
        self._process = process
        self.pid = process.pid

    @property
    def returncode(self) -> int | None:
        return self._process.exitcode

    def send_signal(self, sig: int) -> None:
        if self._process.exitcode is None:
            os.kill(self.pid, sig)

    async def wait(self) -> int:
        """The exit code (minus the signal's number when one ended it), once it has ended."""
        if self._process.exitcode is None:
            loop = asyncio.get_running_loop()
            ended = loop.create_future()
            sentinel = self._process.sentinel
            loop.add_reader(sentinel, lambda: ended.done() or ended.set_result(None))
            try:
                await ended
            finally:
                loop.remove_reader(sentinel)
            self._process.join()
        code = self._process.exitcode
        assert code is not None
        return code


def fork_bot(
    env: Mapping[str, str], cwd: Path, output: Path, per_chat_interval: float | None = None
) -> Forked:
    """Start a bot with exactly `env`, in `cwd`, writing what it prints to `output`; with
    `per_chat_interval`, that in place of Telegram's second (no environment variable sets it)."""
    process = _CONTEXT.Process(
        target=_run, args=(dict(env), str(cwd), str(output), per_chat_interval), daemon=True
    )
    process.start()
    return Forked(process)


def _run(env: dict[str, str], cwd: str, output: str, per_chat_interval: float | None) -> None:
    """In the forked process: what `python -m bot` does, with this environment."""
    where = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(where, 1)
    os.dup2(where, 2)
    os.close(where)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    from bot.__main__ import main

    def adjust(settings: Settings) -> Settings:
        if per_chat_interval is None:
            return settings
        return dataclasses.replace(settings, per_chat_interval=per_chat_interval)

    sys.exit(main(adjust))

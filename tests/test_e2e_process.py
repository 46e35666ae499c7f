"""The real entry point, `python -m bot`, as a separate process against the fake Bot API (the
SIGTERM test forks it from a process that imported Steady: testing.forked)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.db import Database
from testing.engines import database, database_url
from testing.fake_telegram import FakeTelegram
from testing.journeys import PROMPT, pair
from testing.process import start_forked, stop_process

ROOT = Path(__file__).resolve().parents[1]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "TELEGRAM_API_URL"}}
    env.update(extra)
    return env


async def _run_briefly(tmp_path: Path, **env: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot",
        cwd=tmp_path, env=_env(PYTHONPATH=str(ROOT), **env),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    return proc.returncode or 0, (out + err).decode()


@pytest.mark.parametrize(
    ("env", "needle"),
    [({}, "BOT_TOKEN is not set"), ({"BOT_TOKEN": "12:short"}, "does not look like a token")],
)
async def test_a_missing_or_malformed_token_stops_with_one_line(
    tmp_path: Path, env: dict, needle: str
) -> None:
    code, output = await _run_briefly(tmp_path, **env)
    assert code == 2
    assert output.strip().count("\n") == 0 and needle in output
    assert "Traceback" not in output


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


async def test_the_bot_process_pairs_two_people_and_stops_cleanly(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(f"BOT_TOKEN={fake.token}\nLOG_LEVEL=DEBUG\n")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot",
        cwd=tmp_path,
        env=_env(PYTHONPATH=str(ROOT), TELEGRAM_API_URL=fake.base_url),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        ana, ben = fake.user(1001, "Ana"), fake.user(2002, "Ben")
        await ana.send("/pair")
        invite = await ana.wait_for("forward this link", timeout=30)
        code = invite.plain.split("/join ")[1].split()[0]
        await ben.send("a private thought about trust")
        await ben.wait_for("not expecting a message")
        await ben.send(f"/join {code}")
        await ben.wait_for("now paired with Ana")
        await ana.wait_for("joined you")
        assert (tmp_path / "data" / "steady.db").is_file()  # the default DATABASE_URL
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(proc.communicate(), timeout=20)
    logs = output.decode()
    assert proc.returncode == 0, logs
    assert "Application started" in logs
    # Nothing secret or private reaches the logs, even at DEBUG.
    assert fake.token not in logs
    assert fake.token.split(":")[1] not in logs
    assert "private thought" not in logs
    assert code not in logs and code.replace("-", "") not in logs


@pytest.mark.heavy
async def test_sigterm_finishes_the_send_in_flight(fake: FakeTelegram, tmp_path: Path) -> None:
    """README/DESIGN: `docker compose down` (SIGTERM) lets the message being sent finish: it
    is recorded as sent, so it is neither lost nor sent again after the restart."""
    path = tmp_path / "steady.db"
    # Forked from a process that imported Steady (testing.forked), with a short per-chat
    # interval: the pairing before the check-in, at a second a message, was most of the time.
    output = tmp_path / "output.log"
    proc = await start_forked(fake, output, 0.05, DATABASE_URL=database_url(path))
    try:
        ana, ben = fake.user(1001, "Ana"), fake.user(2002, "Ben")
        await pair(ana, ben, timeout=30)
        # Telegram takes Ben's prompt at once but answers two seconds later: SIGTERM comes
        # while that send is in flight.
        fake.delay_next("sendMessage", 2.0, chat_id=ben.id, containing="Check-in")
        await ana.send("/checkin")
        await ben.wait_for(PROMPT, timeout=30)
    finally:
        code = await stop_process(proc)
    assert code == 0, output.read_text()
    db = await Database.open(database(path))
    try:
        async with db.read() as uow:
            rows = await uow.conn.fetch_all(
                "SELECT status, inflight, uncertain FROM outbox "
                "WHERE dedupe_key LIKE 'prompt:%' AND chat_id = ?",
                (ben.id,),
            )
    finally:
        await db.close()
    assert [tuple(r) for r in rows] == [("sent", 0, 0)]
    assert sum(PROMPT in m.plain for m in ben.inbox) == 1

"""Start-up of the real bot process while Telegram is unreachable, or refuses the token."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from pathlib import Path

import pytest

from bot import at_rest
from bot.crypto import Cipher
from bot.storage.db import Database
from testing.engines import database, database_url
from testing.fake_telegram import FakeTelegram
from testing.process import TEST_SECRET, launch, wait_polling

TOKEN = "123456789:TEST-token-for-steady-fake-bot-api"  # FakeTelegram's default
RETRY = "cannot reach Telegram"


def _env(api_url: str, tmp_path: Path, token: str = TOKEN, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "TELEGRAM_API_URL"}}
    return env | {
        "BOT_TOKEN": token,
        "TELEGRAM_API_URL": api_url,
        "DATABASE_URL": database_url(tmp_path / "steady.db"),
        "SECRET_KEY": TEST_SECRET,  # required with PostgreSQL
        **extra,
    }


def _closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _no_secret(output: str, token: str = TOKEN) -> None:
    assert "Traceback" not in output, output
    assert token not in output and token.split(":")[1] not in output, output


@pytest.mark.heavy
async def test_unreachable_telegram_is_retried_one_line_a_try_until_sigterm(
    tmp_path: Path,
) -> None:
    proc, output = await launch("bot", _env(f"http://127.0.0.1:{_closed_port()}", tmp_path))
    try:
        await output.wait_for(RETRY, count=3, timeout=30)  # tries 1, 2 and 3: 1 s, then 2 s
        assert proc.returncode is None  # still trying, not crashed
    finally:
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), timeout=30)
    text = await output.closed()
    assert code == 0, text
    _no_secret(text)
    retries = [line for line in text.splitlines() if RETRY in line]
    assert [f"try {n}:" in line for n, line in enumerate(retries[:3], start=1)] == [True] * 3
    assert "trying again in 1s" in retries[0] and "trying again in 2s" in retries[1]
    # Every line is a log line of its own: the start, the tries, nothing else.
    assert len(text.splitlines()) == 1 + len(retries), text


@pytest.mark.heavy
async def test_the_bot_connects_once_telegram_comes_up(tmp_path: Path) -> None:
    port = _closed_port()
    proc, output = await launch("bot", _env(f"http://127.0.0.1:{port}", tmp_path))
    fake = FakeTelegram()
    try:
        await output.wait_for(RETRY)
        await fake.start(port)
        await wait_polling(fake, proc)
        ana = fake.user(1001, "Ana")
        await ana.send("/help")
        await ana.wait_for("What Steady can do", timeout=10)
    finally:
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), timeout=30)
        await fake.stop()
    text = await output.closed()
    assert code == 0, text
    _no_secret(text)


async def test_a_token_telegram_rejects_stops_with_one_line_and_code_2(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    other = "987654321:ANOTHER-token-that-telegram-does-not-know"  # the fake answers 401
    proc, output = await launch(
        "bot", _env(fake.base_url, tmp_path, token=other, LOG_LEVEL="WARNING")
    )
    code = await asyncio.wait_for(proc.wait(), timeout=30)
    text = await output.closed()
    assert [method for method, _ in fake.calls] == ["getMe"]  # Telegram was asked, once
    assert code == 2, text
    assert text.count("\n") == 1 and "Telegram rejected BOT_TOKEN" in text, text
    _no_secret(text, other)


@pytest.mark.heavy
async def test_an_unreachable_database_is_retried_one_line_a_try_without_its_password(
    tmp_path: Path,
) -> None:
    """PostgreSQL starting after the bot (or restarting): the bot waits for it, quietly."""
    fake = FakeTelegram()
    await fake.start()
    url = f"postgresql://steady:pw-Quillwort-91@127.0.0.1:{_closed_port()}/steady"
    proc, output = await launch("bot", _env(fake.base_url, tmp_path, DATABASE_URL=url))
    try:
        await output.wait_for("cannot reach the database", count=2, timeout=30)
        assert proc.returncode is None  # still trying, not crashed
    finally:
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), timeout=30)
        await fake.stop()
    text = await output.closed()
    assert code == 0, text
    _no_secret(text)
    assert "pw-Quillwort-91" not in text, text
    tries = [line for line in text.splitlines() if "cannot reach the database" in line]
    assert "try 1:" in tries[0] and "trying again in 1s" in tries[0], text


async def test_another_server_key_stops_with_one_line_and_code_2(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """A database sealed under one key is never written under a second (encryption at rest)."""
    db = await Database.open(database(tmp_path / "steady.db"))
    try:
        await db.migrate()
        await at_rest.adopt(db, Cipher(b"not the key the bot is given"))
    finally:
        await db.close()
    proc, output = await launch("bot", _env(fake.base_url, tmp_path, LOG_LEVEL="WARNING"))
    code = await asyncio.wait_for(proc.wait(), timeout=30)
    text = await output.closed()
    assert code == 2, text
    assert text.count("\n") == 1 and "Steady cannot start: the server key" in text, text
    _no_secret(text)
    assert TEST_SECRET not in text

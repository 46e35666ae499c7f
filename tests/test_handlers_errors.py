"""The error handler (handlers.errors), offline: what broke is logged without anything anyone
wrote, and the person hears that nothing they sent is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.offline import Offline, User

ANA = User(1001, "Ana")


async def test_a_reply_telegram_refuses_is_logged_without_contents_and_reassures(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with Offline(tmp_path) as bot:
        bot.request.refuse_next("sendMessage")  # the reply to /help
        calls = await bot.send(ANA, "/help with some private words")
    assert [(c.method, c.chat_id) for c in calls] == [("sendMessage", ANA.id)] * 2
    notice = calls[1].plain
    assert "something went wrong" in notice and "Nothing you sent is lost" in notice
    errors = [r for r in caplog.records if r.name == "handlers.errors"]
    assert errors and errors[0].exc_info is not None
    assert not any("private words" in r.getMessage() for r in caplog.records)


async def test_a_refused_notice_is_not_followed_by_another(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with Offline(tmp_path) as bot:
        bot.request.refuse_next("sendMessage")
        bot.request.refuse_next("sendMessage")  # the notice too
        calls = await bot.send(ANA, "/help")
        assert len(calls) == 2
        assert "could not send the error notice" in caplog.text
        [answer] = await bot.send(ANA, "/help")  # and the bot carries on
    assert "What Steady can do" in answer.plain

"""The offline handler harness itself: the real application, no network, calls recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.offline import Offline, UnknownMethod, User

ANA = User(1001, "Ana")
BEN = User(2002, "Ben")


async def test_commands_reach_the_real_handlers_and_replies_are_recorded(tmp_path: Path) -> None:
    async with Offline(tmp_path) as bot:
        # The command menu, once for each language Steady speaks.
        assert [c.method for c in bot.request.calls] == ["setMyCommands"] * 4
        await bot.pair(ANA, BEN)
        await bot.deliver()  # the pairing notices and schedule offers
        assert await bot.send(ANA, "/checkin") == []  # the prompts are queued, not sent
        assert {q.chat_id for q in await bot.queued()} == {ANA.id, BEN.id}
        prompts = await bot.deliver()
        assert {c.chat_id for c in prompts} == {ANA.id, BEN.id} and await bot.queued() == []
        [reply] = await bot.send(BEN, "/checkin")
        assert reply.method == "sendMessage" and reply.chat_id == BEN.id
        assert "already" in reply.plain
        await bot.send(ANA, "ana's answer")
        await bot.send(BEN, "ben's answer")
        reveals = [c for c in await bot.deliver() if "ana's answer" in c.plain]
        assert {c.chat_id for c in reveals} == {ANA.id, BEN.id}
        assert all("ben's answer" in c.plain for c in reveals)


async def test_an_unknown_method_fails_loudly(tmp_path: Path) -> None:
    async with Offline(tmp_path) as bot:
        with pytest.raises(Exception, match="sendSticker"):
            await bot.app.bot.send_sticker(ANA.id, "x")
        assert bot.request.unknown == ["sendSticker"]
        assert UnknownMethod

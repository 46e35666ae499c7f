"""Steady's aiohttp Bot API client maps the wire to PTB's errors exactly as PTB's own does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram_http import AiohttpRequest
from testing.fake_telegram import FakeTelegram


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    client = Bot(
        fake.token,
        base_url=f"{fake.base_url}/bot",
        request=AiohttpRequest(read_timeout=0.5),
        get_updates_request=AiohttpRequest(pool_size=1),
    )
    async with client:
        yield client


async def test_a_message_goes_out_and_comes_back_parsed(fake: FakeTelegram, bot: Bot) -> None:
    fake.user(7, "Ana")
    message = await bot.send_message(7, "<b>hello</b> &amp; welcome", parse_mode="HTML")
    assert message.chat_id == 7 and message.text == "hello & welcome"
    assert fake.messages_to(7)[0].plain == "hello & welcome"
    assert (await bot.get_me()).username == fake.bot_username


async def test_errors_keep_their_meaning(fake: FakeTelegram, bot: Bot) -> None:
    fake.user(7, "Ana")
    fake.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(7, "x")
    assert info.value.retry_after in (3, timedelta(seconds=3))
    fake.block(7)
    with pytest.raises(Forbidden):
        await bot.send_message(7, "x")
    fake.unblock(7)
    fake.drop_next("sendMessage")
    with pytest.raises(NetworkError) as dropped:
        await bot.send_message(7, "x")
    assert not isinstance(dropped.value, TimedOut)
    fake.delay_next("sendMessage", 2.0, deliver=True)
    with pytest.raises(TimedOut):
        await bot.send_message(7, "arrived anyway")
    assert fake.messages_to(7)[-1].plain == "arrived anyway"  # why a timeout is "unknown"
    assert (await bot.send_message(7, "fine again")).text == "fine again"


async def test_an_unreachable_server_is_a_network_error(fake: FakeTelegram) -> None:
    client = Bot(fake.token, base_url="http://127.0.0.1:9/bot", request=AiohttpRequest())
    await client.request.initialize()  # type: ignore[attr-defined]
    try:
        with pytest.raises(NetworkError):
            await client.get_me()
    finally:
        await client.request.shutdown()  # type: ignore[attr-defined]


async def test_a_proxy_from_the_environment_is_used_unless_the_host_is_excluded(
    fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.user(7, "Ana")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    proxied = Bot(fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest())
    await proxied.request.initialize()  # type: ignore[attr-defined]
    try:
        with pytest.raises(NetworkError):
            await proxied.send_message(7, "through the proxy")
    finally:
        await proxied.request.shutdown()  # type: ignore[attr-defined]
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    direct = Bot(fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest())
    async with direct:
        assert (await direct.send_message(7, "straight there")).text == "straight there"
    assert [m.plain for m in fake.messages_to(7)] == ["straight there"]

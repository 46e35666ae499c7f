"""/stats, the owner's view, through the real application: counts only, for ADMIN_IDS only;
anyone else gets exactly what an unknown command gets."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.health import beat
from testing.clock import StoppedClock
from testing.offline import Offline, User

ANA = User(1001, "Ana")
BEN = User(2002, "Ben")
OWNER = User(3003, "Olga")
SECRET = "what only the two of them wrote"
TOKEN = "12345:" + "a" * 35


def owners(bot: Offline, *ids: int) -> None:
    services = bot.services
    services.settings = dataclasses.replace(services.settings, admin_ids=frozenset(ids))


@pytest.mark.parametrize("admins", [(), (OWNER.id,)], ids=["no-admins", "someone-else"])
async def test_anyone_not_named_gets_the_unknown_command_reply(
    tmp_path: Path, admins: tuple[int, ...]
) -> None:
    async with Offline(tmp_path) as bot:
        owners(bot, *admins)
        unknown = await bot.send(ANA, "/nosuchcommand")
        calls = await bot.send(ANA, "/stats")
        assert [(c.method, c.text) for c in calls] == [(c.method, c.text) for c in unknown]


async def test_an_owner_sees_counts_and_nothing_anyone_wrote(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:  # "42 s ago" however slow the run
        owners(bot, OWNER.id)
        await bot.pair(ANA, BEN)
        now = bot.services.now()
        await bot.revealed_round({ANA: SECRET, BEN: SECRET}, at=now - 3600)  # this week
        async with bot.db.unit() as uow:
            await uow.conn.execute(
                "INSERT INTO outbox (dedupe_key, chat_id, text, status, not_before, due_at, "
                "created_at) VALUES ('t:1', ?, '', 'failed', ?, ?, ?)",
                (BEN.id, now, now, now),
            )
        queued = len(await bot.queued())  # the pairing notices the held delivery keeps
        assert queued > 0

        (shown,) = await bot.send(OWNER, "/stats")
        text = shown.plain
        assert shown.chat_id == OWNER.id
        assert "Couples paired: 1" in text
        assert "Couples active this week: 1" in text
        assert f"Messages waiting to be sent: {queued}" in text
        assert "Messages that could not be delivered: 1" in text
        assert "Last tick: not yet" in text
        assert re.search(r"Database size: \d+\.\d MB", text)
        for private in (SECRET, "Ana", "Ben", str(ANA.id), str(BEN.id)):
            assert private not in text

        heartbeat = bot.services.settings.heartbeat_path
        beat(heartbeat)
        os.utime(heartbeat, (now - 42, now - 42))
        (shown,) = await bot.send(OWNER, "/stats")
        assert "Last tick: 42 s ago" in shown.plain


async def test_a_couple_quiet_for_more_than_a_week_is_not_active(tmp_path: Path) -> None:
    async with Offline(tmp_path) as bot:
        owners(bot, OWNER.id)
        await bot.pair(ANA, BEN)
        await bot.revealed_round({ANA: "a", BEN: "b"}, at=bot.services.now() - 8 * 24 * 3600)
        (shown,) = await bot.send(OWNER, "/stats")
        assert "Couples paired: 1" in shown.plain
        assert "Couples active this week: 0" in shown.plain


@pytest.mark.parametrize(
    ("raw", "ids"), [("", set()), ("42", {42}), ("42, 7 9", {42, 7, 9}), (" 5 ,", {5})]
)
def test_admin_ids_are_read_from_the_environment(raw: str, ids: set[int]) -> None:
    assert load_settings({"BOT_TOKEN": TOKEN, "ADMIN_IDS": raw}).admin_ids == ids


def test_a_malformed_admin_id_stops_with_one_line() -> None:
    with pytest.raises(ConfigError, match="ADMIN_IDS"):
        load_settings({"BOT_TOKEN": TOKEN, "ADMIN_IDS": "42,@olga"})

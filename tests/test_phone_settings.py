"""Discreet mode and quiet hours: for a phone others may see. The settings and their rules;
what delivery does with them is in tests/test_discreet_delivery.py."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot import privacy
from bot.models import Outgoing
from bot.storage.db import Database
from testing.clock import StoppedClock
from testing.offline import Offline, User

ANA = User(1001, "Ana")
RU = User(3003, "Оля", language_code="ru")


@pytest.mark.parametrize(
    ("local", "quiet", "expected"),
    [
        (time(23), (time(22), time(8)), True),
        (time(22), (time(22), time(8)), True),  # from is inclusive
        (time(7, 59), (time(22), time(8)), True),
        (time(8), (time(22), time(8)), False),  # until is not
        (time(12), (time(22), time(8)), False),
        (time(13), (time(12), time(14)), True),  # hours within one day
        (time(12), (time(12), time(14)), True),  # from is inclusive there too
        (time(14), (time(12), time(14)), False),
        (time(15), (time(12), time(14)), False),
        (time(3), None, False),
        (time(3), (time(5), time(5)), False),  # equal ends: none
    ],
)
def test_quiet_hours_wrap_past_midnight(
    local: time, quiet: tuple[time, time] | None, expected: bool
) -> None:
    assert privacy.in_quiet_hours(local, quiet) is expected


async def test_the_defaults_and_changing_them(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.send(ANA, "/start")
        assert await privacy.phone_settings(bot.db, ANA.id) == privacy.PhoneSettings(
            False, (time(22), time(8))
        )
        [said] = await bot.send(ANA, "/options discreet on")
        assert "Discreet mode is on" in said.plain and "22:00 to 08:00" in said.plain
        [said] = await bot.send(ANA, "/options quiet 23:30-7")
        assert "23:30 to 07:00" in said.plain
        assert await privacy.phone_settings(bot.db, ANA.id) == privacy.PhoneSettings(
            True, (time(23, 30), time(7))
        )
        [said] = await bot.send(ANA, "/options quiet off")
        assert "No quiet hours" in said.plain
        await bot.send(ANA, "/options discreet off")
        assert await privacy.phone_settings(bot.db, ANA.id) == privacy.PhoneSettings(False, None)


async def test_in_another_language(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.send(RU, "/start")
        [said] = await bot.send(RU, "/options скрытно вкл")
        assert "Скрытный режим включён" in said.plain
        [said] = await bot.send(RU, "/options тишина выкл")
        assert "Тихих часов нет" in said.plain


async def test_wrong_settings_change_nothing(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.send(ANA, "/start")
        before = await bot.dump()
        for words in (
            "/options discreet",
            "/options discreet maybe",
            "/options quiet",
            "/options quiet 22:00",
            "/options quiet 22-22",
            "/options quiet 25:00-08:00",
            "/options quiet 22-8-9",
        ):
            [said] = await bot.send(ANA, words)
            assert "/options quiet 22:00-07:30" in said.plain, words
        assert await bot.dump() == before


async def test_someone_unknown_is_told_kindly(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        [said] = await bot.send(User(42, "Stranger"), "/options discreet on")
        assert "nothing about you" in said.plain


# Every notice whose words would tell a lock screen something private, by the kind that
# starts its key (written out here, not read from the code, so dropping one is seen).
PRIVATE_NOTICES = (
    "reveal",  # both answers
    "waiting",  # "Ana answered"
    "unpaired",  # "Ana ended the pairing"
    "pairing_ended",  # "Your pairing on Steady has ended" (the partner erased themselves)
    "phrase",  # a repair phrase
    "repair.partner_break",  # "Ana needs a pause after a hard moment"
    "repair.partner_updated",
    "repair.partner_more_time",
    "nudge",
    "both-ready",
    "care",
    "guided-stop",
    "guided-done",
    "weekly",
    "report",
    "optin",
    "firststeps",
    "closed",  # a question closed unanswered: an ask's notice quotes it
    # A promise's or an agreement's own words, quoted in each notice about it.
    "promise",
    "promise-ack",
    "promise-withdrawn",
    "promise-not",
    "promise-again",
    "agree",
    "agree-accepted",
    "agree-declined",
    "agree-retire",
    "agree-retired",
    "agree-kept",
    "review-talk",
)


async def test_every_private_notice_is_read_as_private_by_delivery(db: Database) -> None:
    """What delivery hides behind a neutral line for a discreet person (OutboxRow.private)."""
    now = 1_800_000_000
    async with db.unit() as uow:
        for i, kind in enumerate(PRIVATE_NOTICES):
            await uow.outbox.enqueue(Outgoing(1000 + i, f"{kind}:{i}:7", "words"), now)
        await uow.outbox.enqueue(Outgoing(999, "direct:1", "a reply to a command"), now)
        rows = {row.chat_id: row.private for row in await uow.outbox.ready(now, 100)}
    assert rows == {999: False} | {1000 + i: True for i in range(len(PRIVATE_NOTICES))}

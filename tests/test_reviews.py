"""The monthly agreement review: on only when both opt in (/options review on), asked of both
privately through bot.asks (kind "review"), revealed together; "needs a talk" suggests a
conversation; held while check-ins are paused; a retired agreement's review stops.

Through the real application offline (testing.offline) on either engine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import pairing, reviews
from scheduler import due
from testing.clock import StoppedClock
from testing.offline import Call, Offline, User

ANA = User(8_100_000_001, "Ana")
BEN = User(8_200_000_002, "Ben")
NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
WORDS = "We tell each other when plans change"
PENDING = "Phones stay private"
QUESTION = "still working for you"


def button(call: Call, label_start: str) -> str:
    for row in call.buttons:
        for label, data in row:
            if label.startswith(label_start):
                return data
    raise AssertionError(f"no button {label_start!r} in {call.buttons}")


async def press(bot: Offline, user: User, data: str) -> list[Call]:
    calls = await bot.run(bot.updates.button(user, data))
    return [c for c in calls if c.method == "sendMessage"]


async def tick(bot: Offline) -> None:
    await due.run_due(bot.db, bot.services.clock, bot.services.settings)


async def questions(bot: Offline) -> dict[int, list[Call]]:
    found: dict[int, list[Call]] = {}
    for call in await bot.deliver():
        if QUESTION in call.plain:
            found.setdefault(call.chat_id or 0, []).append(call)
    return found


async def with_agreements(bot: Offline) -> None:
    """Ana and Ben with one active agreement and one still waiting for Ben."""
    await bot.pair(ANA, BEN)
    await bot.deliver()
    await bot.send(ANA, f"/agree {WORDS}")
    [asked] = [c for c in await bot.deliver() if c.chat_id == BEN.id]
    await press(bot, BEN, button(asked, "Accept"))
    await bot.send(ANA, f"/agree {PENDING}")
    await bot.deliver()


async def test_the_review_comes_monthly_once_both_opt_in(tmp_path: Path) -> None:
    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await with_agreements(bot)
        [mine] = await bot.send(ANA, "/options review on")
        assert "once Ben turns it on too" in mine.plain
        [told] = [c for c in await bot.deliver() if c.chat_id == BEN.id]
        assert "/options review on" in told.plain
        clock.advance(timedelta(days=40))
        await tick(bot)
        assert await questions(bot) == {}  # only one of them opted in
        [both] = await bot.send(BEN, "/options review on")
        assert "You both have" in both.plain
        clock.advance(timedelta(days=29))
        await tick(bot)
        assert await questions(bot) == {}
        clock.advance(timedelta(days=1))
        await tick(bot)
        asked = await questions(bot)
        # Both, privately, about the active agreement only.
        assert {chat: len(calls) for chat, calls in asked.items()} == {ANA.id: 1, BEN.id: 1}
        assert WORDS in asked[ANA.id][0].plain and PENDING not in asked[ANA.id][0].plain
        await press(bot, ANA, button(asked[ANA.id][0], "It works"))
        to_ben = [c.plain for c in await bot.deliver() if c.chat_id == BEN.id]
        assert not any("It works" in text for text in to_ben)
        await press(bot, BEN, button(asked[BEN.id][0], "Needs a talk"))
        delivered = await bot.deliver()
        for user in (ANA, BEN):
            mine = [c.plain for c in delivered if c.chat_id == user.id]
            assert any("Ana: It works" in t and "Ben: Needs a talk" in t for t in mine)
            assert any("needs a talk" in t and "No blame" in t for t in mine)
        # The next one a month later.
        clock.advance(timedelta(days=29))
        await tick(bot)
        assert await questions(bot) == {}
        clock.advance(timedelta(days=1))
        await tick(bot)
        assert set(await questions(bot)) == {ANA.id, BEN.id}


async def test_either_turning_it_off_stops_it(tmp_path: Path) -> None:
    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await with_agreements(bot)
        await bot.send(ANA, "/options review on")
        await bot.send(BEN, "/options review on")
        [off] = await bot.send(BEN, "/options review off")
        assert "is off" in off.plain
        clock.advance(timedelta(days=31))
        await tick(bot)
        assert await questions(bot) == {}
        assert await reviews.review_on(bot.db, ANA.id) is True
        assert "now: on" in (await bot.send(ANA, "/options"))[0].plain


async def test_the_review_waits_while_check_ins_are_paused(tmp_path: Path) -> None:
    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await with_agreements(bot)
        await bot.send(ANA, "/schedule daily 20:00")
        await bot.send(ANA, "/options review on")
        await bot.send(BEN, "/options review on")
        await bot.send(ANA, "/pause")
        clock.advance(timedelta(days=31))
        await tick(bot)
        assert await questions(bot) == {}
        await bot.send(ANA, "/resume")
        clock.advance(timedelta(minutes=16))
        await tick(bot)
        assert set(await questions(bot)) == {ANA.id, BEN.id}


async def retire(bot: Offline) -> None:
    listing = (await bot.send(ANA, "/agreements"))[0]
    await press(bot, ANA, button(listing, "Retire"))
    [confirm] = [c for c in await bot.deliver() if c.chat_id == BEN.id]
    await press(bot, BEN, button(confirm, "Retire it"))


async def reword(bot: Offline) -> None:
    await bot.send(BEN, "/agree #1 We text by six when plans change")
    [offer] = [c for c in await bot.deliver() if c.chat_id == ANA.id and c.buttons]
    await press(bot, ANA, button(offer, "Accept"))


@pytest.mark.parametrize("change", [retire, reword])
async def test_retiring_or_rewording_an_agreement_stops_its_review_unread(
    tmp_path: Path, change: Callable[[Offline], Awaitable[None]]
) -> None:
    """Ana answered the review about the words; before Ben answered, the agreement was
    retired, or reworded with both accepting the new words. Rewording once left the review
    open, and its reveal showed her verdict beside words she never judged. Either way the
    review about the old words ends, its answers deleted unread."""
    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await with_agreements(bot)
        await bot.send(ANA, "/options review on")
        await bot.send(BEN, "/options review on")
        clock.advance(timedelta(days=31))
        await tick(bot)
        asked = await questions(bot)
        await press(bot, ANA, button(asked[ANA.id][0], "Could use a tweak"))
        await bot.deliver()
        await change(bot)
        await bot.deliver()
        async with bot.db.read() as uow:
            status = await uow.conn.fetch_value("SELECT status FROM rounds WHERE kind = 'review'")
            kept = await uow.conn.fetch_value(
                "SELECT COUNT(*) FROM answers a JOIN rounds r ON r.id = a.round_id "
                "WHERE r.kind = 'review'"
            )
        assert (status, kept) == ("cancelled", 0)
        calls = await bot.run(bot.updates.button(BEN, button(asked[BEN.id][0], "Needs a talk")))
        assert [c.method for c in calls] == ["answerCallbackQuery"]
        assert not [c for c in await bot.deliver() if "tweak" in c.plain]


async def test_an_ended_pairing_is_never_asked_its_review(tmp_path: Path) -> None:
    """Both wanted the monthly review, then Ana ended the pairing: a month later neither is
    asked about the agreement of a pairing that is over."""
    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await with_agreements(bot)
        await bot.send(ANA, "/options review on")
        await bot.send(BEN, "/options review on")
        await bot.deliver()
        couple = await pairing.current_couple(bot.db, ANA.id)
        assert couple is not None
        assert await pairing.unpair(bot.db, ANA.id, couple.id, clock.timestamp())
        await bot.deliver()
        clock.advance(timedelta(days=31))
        await tick(bot)
        assert await bot.deliver() == []

"""An answer counts only inside its round's window and only for a question its author has
received: written after the window ended (before the tick closed the round) it reveals
nothing; sent before the question arrived, even a photo is not told a round is open.
Through the real application offline (testing.offline)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.texts import t
from testing.clock import StoppedClock
from testing.offline import Offline, User

ANA, BEN = User(9_100_000_001, "Ana"), User(9_200_000_002, "Ben")


async def test_an_answer_written_after_the_window_closed_reveals_nothing(tmp_path: Path) -> None:
    """Ana answered; the window (24 h) ended before Ben wrote, and the tick that closes the
    round has not run yet (it runs every 20 s, and after downtime beside the backlog of
    updates). Ana's answer is to be deleted unread: Ben's late message must not reveal it."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await bot.send(ANA, "/checkin")
        await bot.deliver()
        await bot.send(ANA, "my words Larkspur")
        await bot.deliver()
        clock.advance(timedelta(hours=25))  # no tick ran
        [late] = await bot.send(BEN, "his late words")
        assert late.plain == t("checkin.no_round", "en")
        sent = await bot.deliver()
        assert not any("Larkspur" in c.plain for c in sent if c.chat_id == BEN.id)


async def test_a_photo_before_the_prompt_arrived_does_not_say_a_check_in_is_open(
    tmp_path: Path,
) -> None:
    """Ben's prompt is still queued (not received): a photo he sends is answered as when no
    round is open, like his text ("no open check-in"), not "write your answer": that would
    tell him a question is on its way."""
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await bot.send(ANA, "/checkin")  # prompts queued for both, not sent
        [text_reply] = await bot.send(BEN, "hello?")
        assert text_reply.plain == t("checkin.no_round", "en")
        [photo_reply] = await bot.run(bot.updates.photo(BEN))
        assert photo_reply.plain == t("fallback.unexpected_media", "en")
        await bot.deliver()  # now it has arrived
        [photo_reply] = await bot.run(bot.updates.photo(BEN))
        assert photo_reply.plain == t("checkin.media", "en")

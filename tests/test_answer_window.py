"""An answer counts only inside its round's window and only for a question its author has
received: written after the window ended (before the tick closed the round) it reveals
nothing, though a long answer's next part still joins; a round past its window gets no
reminder, and /checkin closes it rather than offer it; sent before the question arrived,
even a photo is not told a round is open. Through the real application offline."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot import checkins
from bot.texts import t
from scheduler import due
from testing.clock import StoppedClock
from testing.offline import Offline, User

ANA, BEN = User(9_100_000_001, "Ana"), User(9_200_000_002, "Ben")


async def tick(bot: Offline) -> None:
    await due.run_due(bot.db, bot.services.clock, bot.services.settings)


async def checkin_received(bot: Offline) -> None:
    """Ana and Ben paired, a check-in started and its question received by both."""
    await bot.pair(ANA, BEN)
    await bot.deliver()
    await bot.send(ANA, "/checkin")
    await bot.deliver()


async def closes_at(bot: Offline) -> int:
    async with bot.db.read() as uow:
        return await uow.conn.fetch_value(
            "SELECT closes_at FROM rounds WHERE status = 'open' ORDER BY id DESC LIMIT 1"
        )


async def test_an_answer_written_after_the_window_closed_reveals_nothing(tmp_path: Path) -> None:
    """Ana answered; the window (24 h) ended before Ben wrote, and the tick that closes the
    round has not run yet (it runs every 20 s, and after downtime beside the backlog of
    updates). Ana's answer is to be deleted unread: Ben's late message must not reveal it."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await checkin_received(bot)
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


async def test_a_long_answers_next_part_sent_across_the_window_end_still_joins(
    tmp_path: Path,
) -> None:
    """Ben answered. Ana's long answer (a client splits it into parts sent a second apart)
    starts one second before the window ends: the reveal is held for its next part. That
    part, a second past the end, was refused ("no open check-in") and the reveal went out
    without it: it joins, as a part of an answer written in time."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await checkin_received(bot)
        await bot.send(BEN, "his words Foxglove")
        await bot.deliver()
        end = await closes_at(bot)
        clock.advance(timedelta(seconds=end - clock.timestamp() - 1))
        await bot.send(ANA, "a" * checkins.LONG_PART)  # held: more may follow
        clock.advance(timedelta(seconds=2))  # within JOIN_SECONDS of the first part
        part2 = await bot.send(ANA, "Zinnia end of my answer")
        assert not [c for c in part2 if c.plain == t("checkin.no_round", "en")]
        clock.advance(timedelta(seconds=10))
        await tick(bot)
        sent = await bot.deliver()
        reveal = "".join(c.plain for c in sent if c.chat_id == BEN.id)
        assert "Foxglove" in reveal  # revealed
        assert "Zinnia" in reveal  # with all of Ana's answer


async def test_no_reminder_for_a_round_whose_window_already_ended(tmp_path: Path) -> None:
    """After downtime past a round's end (its reminder and its close both due), the tick's
    reminders come before its closing: Ben was told "open for a few more hours" for a round
    whose window was over, and "it closed" right after. Now only that it closed."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await checkin_received(bot)
        await bot.send(ANA, "my words")
        await bot.deliver()
        clock.advance(timedelta(hours=25))  # down past the end; no tick ran
        await tick(bot)
        sent = [c.plain for c in await bot.deliver() if c.chat_id == BEN.id]
        assert t("checkin.closed", "en") in sent
        assert not [s for s in sent if "gentle reminder" in s], sent


async def test_checkin_after_the_window_ended_closes_it_and_starts_anew(tmp_path: Path) -> None:
    """The window ended and no tick has closed the round yet: /checkin said a check-in was
    already open and quoted its question, inviting an answer that answers nothing. Now it
    closes that round as the tick would (both told), and starts a new one."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await checkin_received(bot)
        clock.advance(timedelta(hours=25))  # no tick ran
        replies = await bot.send(BEN, "/checkin")
        assert not [c for c in replies if "already open" in c.plain.lower()]
        sent = [c.plain for c in await bot.deliver() if c.chat_id == BEN.id]
        assert t("checkin.closed", "en") in sent
        async with bot.db.read() as uow:
            rows = await uow.conn.fetch_all("SELECT status FROM rounds ORDER BY id")
        assert [r[0] for r in rows] == ["expired", "open"]


async def test_a_message_written_an_hour_past_the_window_never_joins_a_long_answer(
    tmp_path: Path,
) -> None:
    """Downtime: Ana's long answer (written in time) and a message she wrote an hour after the
    window ended are handled one right after the other when the bot is back. Judged by when
    they were handled, the late message joined as "the next part", past the window, and was
    revealed to Ben. It is judged by when they were written."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await checkin_received(bot)
        await bot.send(BEN, "his words Foxglove")
        await bot.deliver()
        end = await closes_at(bot)
        clock.advance(timedelta(seconds=end - clock.timestamp() - 60))
        in_time = bot.updates.text(ANA, "Zinnia " + "a" * checkins.LONG_PART)  # written in time
        clock.advance(timedelta(hours=1))  # the window ended an hour ago; the bot was down
        late = bot.updates.text(ANA, "written an hour late: Larkspur")
        await bot.run(in_time)  # the backlog, handled one after the other
        await bot.run(late)
        clock.advance(timedelta(seconds=30))
        await tick(bot)
        await bot.deliver()
        ben = "".join(c.plain for c in bot.sent(BEN.id))
        assert "Zinnia" in ben  # the in-time answer is revealed
        assert "Larkspur" not in ben  # the late words are not


async def test_a_long_answers_next_part_handled_late_still_joins(tmp_path: Path) -> None:
    """Both parts of Ana's split answer were written the same second; a busy bot (a backlog)
    handles the second more than JOIN_SECONDS after the first. It replaced the first instead
    of joining it, and Ben's reveal showed only the tail of her answer."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await checkin_received(bot)
        await bot.send(BEN, "his words Foxglove")
        await bot.deliver()
        first = bot.updates.text(ANA, "Zinnia " + "a" * checkins.LONG_PART)
        second = bot.updates.text(ANA, "the end Larkspur")  # written with the first
        await bot.run(first)
        clock.advance(timedelta(seconds=checkins.JOIN_SECONDS + 2))  # handled late
        await bot.run(second)
        clock.advance(timedelta(seconds=30))
        await tick(bot)
        await bot.deliver()
        ben = "".join(c.plain for c in bot.sent(BEN.id))
        assert "Larkspur" in ben and "Zinnia" in ben  # her whole answer

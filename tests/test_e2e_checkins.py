"""End to end: check-in rounds through the real bot and the fake Bot API server."""

from __future__ import annotations

from datetime import timedelta

from testing.clock import MovableClock
from testing.fake_telegram import FakeTelegram, FakeUser
from testing.journeys import PROMPT, open_guided_step, pair
from testing.probes import count, stored_answers
from testing.runner import BotRunner


async def start_checkin(ana: FakeUser, ben: FakeUser) -> None:
    await ana.send("/checkin")
    await ana.wait_for(PROMPT)
    await ben.wait_for(PROMPT)


async def test_a_full_round(fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser):
    await pair(ana, ben)
    await start_checkin(ana, ben)

    await ana.send("First <b>draft</b> & thoughts")
    await ana.wait_for("stays private until Ben")
    waiting = await ben.wait_for("has answered the check-in")
    assert "draft" not in waiting.plain

    await ana.send("I felt <safe> & heard")
    await ana.wait_for("replaces your earlier answer")
    await ben.expect_silence()  # no second "waiting" notice

    await ben.send("Grateful for today")
    reveal_ana = await ana.wait_for("You both answered")
    reveal_ben = await ben.wait_for("You both answered")
    for reveal in (reveal_ana, reveal_ben):
        assert "I felt <safe> & heard" in reveal.plain
        assert "Grateful for today" in reveal.plain
        assert "draft" not in reveal.plain
        assert "&lt;safe&gt; &amp; heard" in reveal.text  # escaped, HTML mode
        assert reveal.plain.index("Ana") < reveal.plain.index("Ben")

    # After the reveal, text never joins that round.
    await ana.send("one more thought")
    await ana.wait_for("no open check-in")
    await ben.expect_silence()
    assert not any("one more thought" in m.plain for m in ben.inbox)
    # Nothing Ben could read ever held Ana's words before he answered.
    first_reveal = ben.inbox.index(reveal_ben)
    assert not any("safe" in m.plain for m in ben.inbox[:first_reveal])


async def test_checkin_needs_a_pair_and_points_to_the_open_round(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/checkin")
    await ana.wait_for("/pair to invite")
    await pair(ana, ben)
    await start_checkin(ana, ben)
    await ben.send("/checkin")
    await ben.wait_for("already open")
    await ben.send("mine")
    await ben.wait_for("stays private")
    await ben.send("/checkin")
    await ben.wait_for("your answer is in")


async def test_media_and_empty_answers_keep_the_round_open(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await start_checkin(ana, ben)
    await ana.send_voice()
    await ana.wait_for("only keep text answers")
    await ana.send_photo()
    await ana.wait_for("only keep text answers")
    await ana.send_sticker()
    await ana.wait_for("only keep text answers")
    await ben.expect_silence()
    await ana.send("now in words")
    await ana.wait_for("stays private")


async def test_expiry_deletes_an_unmatched_answer(
    fake: FakeTelegram, bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await start_checkin(ana, ben)
    await ana.send("words that must stay unseen")
    await ana.wait_for("stays private")
    await ben.wait_for("has answered")
    clock.advance(timedelta(hours=24, minutes=1))
    await ana.wait_for("closed before you both answered", timeout=10)
    await ben.wait_for("closed before you both answered", timeout=10)
    await ben.send("my late answer")
    await ben.wait_for("no open check-in")
    assert not any("unseen" in m.plain for m in ben.inbox)
    db = bot.services.database
    assert await count(db, "answers") == 0


async def test_the_reminder_goes_once_to_whoever_has_not_answered(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await start_checkin(ana, ben)
    await ana.send("zebra-marker")
    await ana.wait_for("stays private")
    await ben.wait_for("has answered")
    clock.advance(timedelta(hours=18, minutes=1))
    reminder = await ben.wait_for("gentle reminder", timeout=10)
    assert "zebra" not in reminder.plain
    await ana.expect_silence()
    clock.advance(timedelta(hours=1))
    await ben.expect_silence()  # once


async def test_options_change_the_window_and_tell_the_partner(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ana.send("/options")
    current = await ana.wait_for("stay open for 24 hours")
    assert "(1 to 72)" in current.plain
    await ana.send("/options window 500")
    refused = await ana.wait_for("couldn't use that")
    assert "1 to 72 hours" in refused.plain
    await ben.send("/options reminder off")
    await ben.wait_for("24 hours, with no reminder")
    await ana.wait_for("Ben <3 changed your check-in options")
    await start_checkin(ana, ben)
    clock.advance(timedelta(hours=18, minutes=1))  # when the default reminder would come
    await ana.expect_silence()
    await ben.expect_silence()
    await ana.send("/options window 2")  # from the next check-in
    await ana.wait_for("open for 2 hours, with no reminder")
    await ben.wait_for("Ana changed your check-in options")
    clock.advance(timedelta(hours=6))
    await ana.wait_for("closed before you both answered", timeout=10)
    await ben.wait_for("closed before you both answered", timeout=10)
    await start_checkin(ana, ben)
    clock.advance(timedelta(hours=2, minutes=1))
    await ana.wait_for("closed before you both answered", timeout=10)


async def test_a_restart_between_the_two_answers(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await start_checkin(ana, ben)
    await ana.send("before the restart")
    await ana.wait_for("stays private")
    await ben.wait_for("has answered")
    await bot.restart()
    await ben.send("after the restart")
    for user in (ana, ben):
        reveal = await user.wait_for("You both answered")
        assert "before the restart" in reveal.plain and "after the restart" in reveal.plain
    await bot.settle(fake)
    assert sum("You both answered" in m.plain for m in ana.inbox) == 1
    assert sum("You both answered" in m.plain for m in ben.inbox) == 1


async def test_a_reply_to_the_prompt_answers_it_though_a_newer_round_is_open(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ana.send("/checkin")
    prompt_ana = await ana.wait_for(PROMPT)
    prompt_ben = await ben.wait_for(PROMPT)
    # A guided step received after the check-in: a plain message would answer the step.
    await open_guided_step(ana, ben, clock)
    await ana.send("in reply", reply_to=prompt_ana)
    await ana.wait_for("stays private")
    await ben.send("mine, in reply too", reply_to=prompt_ben)
    reveal = await ana.wait_for("You both answered")
    assert "in reply" in reveal.plain and "mine, in reply too" in reveal.plain
    question = reveal.plain.splitlines()[1]
    assert question in prompt_ana.plain  # the check-in's question, not the step's


async def test_a_long_reveal_is_split_at_paragraphs(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await start_checkin(ana, ben)
    long_answer = "\n\n".join(f"Part {i}: " + "honest words " * 50 for i in range(6))
    await ana.send(long_answer)  # about 3,900 characters
    await ana.wait_for("stays private")
    await ben.send(long_answer.replace("honest", "gentle"))
    parts = [await ben.wait_for("You both answered")]
    while "Part 5: gentle" not in parts[-1].plain:
        parts.append(await ben.next_message(timeout=5))
    assert len(parts) >= 2
    text = "\n".join(m.plain for m in parts)
    for i in range(6):
        assert f"Part {i}: honest" in text and f"Part {i}: gentle" in text


async def test_history_with_a_more_button(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ana.send("/history")
    await ana.wait_for("Nothing here yet")
    for i in range(4):
        await start_checkin(ana, ben)
        await ana.send(f"ana answer {i}")
        await ana.wait_for("stays private")
        await ben.wait_for("has answered")
        await ben.send(f"ben answer {i}")
        await ana.wait_for("You both answered")
        await ben.wait_for("You both answered")
    await ben.send("/history")
    pages = [await ben.next_message() for _ in range(3)]
    assert ["ana answer 3" in pages[0].plain, "ana answer 1" in pages[2].plain] == [True, True]
    [(label, data)] = pages[2].buttons
    assert label == "Show older"
    await ben.press(pages[2], data)
    older = await ben.wait_for("ana answer 0")
    assert older.buttons == []


async def test_a_forged_history_button_shows_only_the_pressers_couple(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await start_checkin(ana, ben)
    await ana.send("ana private words")
    await ana.wait_for("stays private")
    await ben.send("ben private words")
    await ana.wait_for("You both answered")
    cal, dee = fake.user(3003, "Cal"), fake.user(4004, "Dee")
    await cal.send("/help")
    await cal.press(await cal.next_message(), "v1:hist:999999")  # not paired: refused
    await cal.wait_for("/pair to invite")
    await pair(cal, dee)
    await cal.press(cal.inbox[-1], "v1:hist:999999")  # paired, but with no revealed round
    await cal.wait_for("Nothing here yet")
    assert not any("private words" in m.plain for m in cal.inbox)


async def test_a_message_sent_while_the_prompt_is_held_back_is_not_filed_under_it(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    """Telegram answers Ana's prompt with a 429: until it is accepted, her messages answer
    no round (routing follows what she received, not what was due)."""
    await pair(ana, ben)
    fake.fail_next("sendMessage", status=429, retry_after=2, chat_id=ana.id, containing="Check-in")
    await ben.send("/checkin")
    await ben.wait_for(PROMPT)
    await ana.send("written before any question reached me")
    await ana.wait_for("no open check-in")
    await ana.wait_for(PROMPT)  # the retry after the 429
    await ana.send("my real answer")
    await ana.wait_for("stays private until Ben")
    await ben.send("and mine")
    reveal = await ana.wait_for("You both answered")
    assert "my real answer" in reveal.plain and "before any question" not in reveal.plain


async def test_editing_an_answer_replaces_it_until_the_reveal(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    """README: "Sending again, or editing the message, replaces the answer until the reveal"."""
    await pair(ana, ben)
    await start_checkin(ana, ben)
    first = await ana.send("a first draft")
    await ana.wait_for("stays private until Ben")
    await ana.edit(first, "what I really mean")
    await ana.wait_for("replaces your earlier answer")
    await ben.send("mine")
    reveal = await ben.wait_for("You both answered")
    assert "what I really mean" in reveal.plain and "first draft" not in reveal.plain
    # After the reveal an edit changes nothing that was shown, and says nothing.
    await ana.edit(first, "changed afterwards")
    await ana.send("/history")
    shown = await ana.wait_for("what I really mean")
    assert "changed afterwards" not in shown.plain
    # Ana's updates are handled in order: any reply to that edit would have come before this.
    assert sum("replaces your earlier answer" in m.plain for m in ana.inbox) == 1


async def test_the_thank_you_names_the_question_and_can_move_the_answer(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    """With a check-in and a guided step both open, a plain message goes to the newest; the
    thank-you says which question, and its button files the answer under the other one."""
    await pair(ana, ben)
    await ana.send("/checkin")
    prompt = await ana.wait_for(PROMPT)
    await ben.wait_for(PROMPT)
    await open_guided_step(ana, ben, clock)
    await ana.send("this was about the check-in")
    ack = await ana.wait_for("stays private until Ben")
    assert "What did you feel?" in ack.plain  # filed under the guided step
    [(label, data)] = ack.buttons
    assert label.startswith("It's for: ") and label.removeprefix("It's for: ")[:20] in prompt.plain
    await ana.press(ack, data)
    moved = await ana.wait_for("stays private until Ben")
    assert "What did you feel?" not in moved.plain
    assert await stored_answers(bot.services.database) == [
        ("checkin", ana.id, "this was about the check-in")
    ]
    await ana.press(ack, data)  # the same button again changes nothing
    await ana.expect_silence()
    assert await stored_answers(bot.services.database) == [
        ("checkin", ana.id, "this was about the check-in")
    ]


async def test_a_question_that_reached_me_before_its_record_gets_my_answer(
    fake: FakeTelegram, bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    """Ana has the guided step on her screen while Telegram's answer to that send is still
    on its way (so it is not recorded yet); her plain message is about it, not the older
    check-in: the answer waits for delivery's record instead of guessing."""
    await pair(ana, ben)
    await start_checkin(ana, ben)
    fake.delay_next("sendMessage", 2.0, chat_id=ana.id, containing="step 1 of 5")
    await open_guided_step(ana, ben, clock)
    await ana.send("this was about the step")
    ack = await ana.wait_for("stays private until Ben")
    assert "What did you feel?" in ack.plain
    assert await stored_answers(bot.services.database) == [
        ("repair", ana.id, "this was about the step")
    ]


async def test_a_reply_to_already_open_answers_that_check_in(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    """The handler records the "already open" message it sent: a reply to it answers the
    check-in it quotes, though a newer question (a guided step) is open too."""
    await pair(ana, ben)
    await start_checkin(ana, ben)
    await ben.send("/checkin")
    quoted = await ben.wait_for("already open")
    await open_guided_step(ana, ben, clock)
    await ben.send("for the check-in", reply_to=quoted)
    await ben.wait_for("stays private until Ana")
    assert await stored_answers(bot.services.database) == [("checkin", ben.id, "for the check-in")]

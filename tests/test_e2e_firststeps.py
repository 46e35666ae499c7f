"""End to end: first steps after a breach, through the real bot and the fake Bot API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta

import pytest

from testing.clock import MovableClock
from testing.fake_telegram import FakeTelegram, FakeUser
from testing.journeys import FIRST_STEPS, OFFER
from testing.runner import BotRunner


async def paired_with_offers(ana: FakeUser, ben: FakeUser) -> None:
    """Pair Ana and Ben; each is offered first steps, and nothing else yet."""
    await ana.send("/pair")
    invite = await ana.wait_for("forward this link")
    code = invite.plain.split("/join ")[1].split()[0]
    await ben.send(f"/join {code}")
    await ben.wait_for("now paired with")
    await ana.wait_for("joined you")


async def test_first_steps_are_offered_after_pairing_and_the_check_in_offer_waits(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await paired_with_offers(ana, ben)
    offer = await ana.wait_for(FIRST_STEPS)
    await ben.wait_for(FIRST_STEPS)
    assert [label for label, _ in offer.buttons] == [
        "Yes, one step a day",
        "Yes, whenever we're both ready",
        "Not now",
    ]
    await ana.expect_silence()  # no check-in offer while first steps are open
    await ben.expect_silence()
    await ben.press(offer_of(ben), dict(offer_of(ben).buttons)["Not now"])
    await ben.wait_for("begin first steps any time")
    notice = await ana.wait_for("would rather not begin first steps")
    assert "Ben &lt;3" not in notice.plain and "Ben <3" in notice.plain  # escaped once
    await ana.wait_for(OFFER)
    await ben.wait_for(OFFER)


def offer_of(user: FakeUser) -> object:
    return next(m for m in reversed(user.inbox) if FIRST_STEPS in m.plain)


async def test_one_yes_asks_the_partner_who_may_say_not_now(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await paired_with_offers(ana, ben)
    offer = await ana.wait_for(FIRST_STEPS)
    await ben.wait_for(FIRST_STEPS)
    await ana.press(offer, dict(offer.buttons)["Yes, one step a day"])
    await ana.wait_for("I've asked Ben")
    asked = await ben.wait_for("would like to begin first steps with you")
    assert "one step a day at 20:00" in asked.plain and "not now" in asked.plain.lower()
    await ana.press(offer, dict(offer.buttons)["Yes, one step a day"])  # again: only waits
    await ana.wait_for("begin when Ben <3 says yes too")
    await ben.expect_silence()
    await ben.press(asked, dict(asked.buttons)["Not now"])
    await ana.wait_for("would rather not begin first steps")
    await ana.wait_for(OFFER)
    await ben.wait_for(OFFER)


async def test_help_and_firststeps_offer_it_any_time_to_the_asker_only(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/firststeps")
    await ana.wait_for("send /pair to invite")
    await paired_with_offers(ana, ben)
    offer = await ana.wait_for(FIRST_STEPS)
    await ana.press(offer, dict(offer.buttons)["Not now"])
    await ana.wait_for(OFFER)
    await ben.wait_for(OFFER)
    await ana.send("/help")
    help_message = await ana.wait_for("What Steady can do")
    assert "/firststeps" in help_message.plain
    await ana.press(help_message, dict(help_message.buttons)["First steps after a breach"])
    again = await ana.wait_for(FIRST_STEPS)
    await ben.expect_silence()  # Ben hears of it only if Ana says yes
    await ben.send("/firststeps")
    await ben.wait_for(FIRST_STEPS)  # the same offer, now for Ben too
    await ana.press(again, dict(again.buttons)["Not now"])
    await ana.wait_for("begin first steps any time")
    await ben.expect_silence()  # he never heard of it from Ana: nothing to tell him
    await ana.send("/firststeps 21:30")
    await ana.wait_for("not under way")


HURT, CAUSED = "I was mostly hurt", "I mostly caused the hurt"
BOTH_WAYS, RATHER_NOT = "It goes both ways", "I'd rather not say"


async def begin(
    ana: FakeUser,
    ben: FakeUser,
    pace: str = "Yes, whenever we're both ready",
    meanwhile: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Pair, both say yes (Ana first, with `pace`), and both receive the roles question.
    `meanwhile`: what they do between the offer and saying yes."""
    await paired_with_offers(ana, ben)
    offer = await ana.wait_for(FIRST_STEPS)
    ben_offer = await ben.wait_for(FIRST_STEPS)
    if meanwhile is not None:
        await meanwhile()
    await ana.press(offer, dict(offer.buttons)[pace])
    await ana.wait_for("I've asked Ben")
    await ben.wait_for("would like to begin first steps")
    await ben.press(ben_offer, dict(ben_offer.buttons)[pace])
    for user in (ana, ben):
        await user.wait_for("You have both said yes")


async def choose(user: FakeUser, needle: str, label: str) -> None:
    question = await user.wait_for(needle, timeout=10)
    await user.press(question, dict(question.buttons)[label])


async def both_decide(ana: FakeUser, ben: FakeUser, ana_says: str, ben_says: str) -> None:
    """Step 3: Ana decides first; Ben learns only that she has, then decides."""
    mine = await ana.wait_for("step 3 of 3", timeout=10)
    theirs = await ben.wait_for("step 3 of 3", timeout=10)
    assert [label for label, _ in theirs.buttons] == ["Yes", "Not sure yet", "No"]
    await ana.press(mine, dict(mine.buttons)[ana_says])
    await ana.wait_for("stays private")
    waiting = await ben.wait_for("Ana has answered")
    assert ana_says not in waiting.plain
    await ben.expect_silence()
    await ben.press(theirs, dict(theirs.buttons)[ben_says])


async def answer_step(ana: FakeUser, ben: FakeUser, step: int) -> tuple[str, str]:
    """Both receive step `step` and answer it in words; Ben sees nothing of Ana's before he
    answered, and both then see both. The step's question, as Ana and Ben got it."""
    questions = (
        (await ana.wait_for(f"step {step} of 3", timeout=10)).plain,
        (await ben.wait_for(f"step {step} of 3", timeout=10)).plain,
    )
    await ana.send(f"ana's words {step}")
    await ana.wait_for("stays private")
    waiting = await ben.wait_for("has answered", timeout=10)
    assert f"ana's words {step}" not in waiting.plain
    await ben.send(f"ben's words {step}")
    for user in (ana, ben):
        reveal = await user.wait_for(f"ben's words {step}", timeout=10)
        assert f"ana's words {step}" in reveal.plain
    return questions


async def test_the_whole_journey_with_hurt_and_caused(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await begin(ana, ben)
    await choose(ana, "Which fits best for you?", HURT)
    question = await ben.wait_for("Which fits best for you?")
    waiting = await ben.wait_for("Ana has answered")
    assert HURT not in waiting.plain  # that she chose, never what
    await ben.expect_silence()
    await ben.press(question, dict(question.buttons)[CAUSED])
    for user in (ana, ben):
        note = await user.wait_for("The next steps are worded for that", timeout=10)
        assert "Ben <3 takes responsibility" in note.plain and "Ana has room" in note.plain
    await answer_step(ana, ben, 1)
    for question in await answer_step(ana, ben, 2):
        assert "Ben <3: write what you take responsibility for" in question
        assert "Ana: write how it affected you" in question
    await both_decide(ana, ben, "Yes", "Yes")
    warm = await ana.wait_for("You both want to rebuild trust together", timeout=10)
    await ben.wait_for("You both want to rebuild trust together", timeout=10)
    assert [label for label, _ in warm.buttons] == [
        "Plan regular check-ins",
        "Make a first small promise",
        "Make a first agreement",
    ]
    await ana.press(warm, dict(warm.buttons)["Make a first small promise"])
    await ana.wait_for("Send /promise")
    await ana.press(warm, dict(warm.buttons)["Make a first agreement"])
    await ana.wait_for("Send /agree")
    await ana.press(warm, dict(warm.buttons)["Plan regular check-ins"])
    offer = await ana.wait_for(OFFER)
    await ana.press(offer, dict(offer.buttons)["Yes, every day at 20:00"])
    await ana.wait_for("every day at 20:00. Your next one")


@pytest.mark.parametrize(
    ("ana_role", "ben_role", "split"),
    [
        (CAUSED, HURT, True),  # the other way round
        (HURT, HURT, False),  # disagreeing roles: both ways, without judgement
        (CAUSED, CAUSED, False),
        (BOTH_WAYS, HURT, False),
        (RATHER_NOT, RATHER_NOT, False),
    ],
)
async def test_roles_in_each_combination_shape_the_steps(
    bot: BotRunner, ana: FakeUser, ben: FakeUser, ana_role: str, ben_role: str, split: bool
) -> None:
    await begin(ana, ben)
    await choose(ben, "Which fits best for you?", ben_role)
    await choose(ana, "Which fits best for you?", ana_role)
    reveal = await ben.wait_for(ana_role, timeout=10)  # both choices, shown together
    assert ben_role in reveal.plain
    if split:
        note = await ana.wait_for("The next steps are worded for that", timeout=10)
        assert "Ana takes responsibility" in note.plain
    else:
        note = await ana.wait_for("each of you will do both", timeout=10)
        assert "nobody needs to be right" in note.plain
    await answer_step(ana, ben, 1)
    _, question = await answer_step(ana, ben, 2)
    if split:
        assert "Ana: write what you take responsibility for" in question
        assert "Ben <3: write how it affected you" in question
    else:
        assert "Each of you: write what you take responsibility for" in question
    await both_decide(ana, ben, "Yes", "Yes")
    await ana.wait_for("You both want to rebuild trust together", timeout=10)
    await ben.wait_for("You both want to rebuild trust together", timeout=10)
    # Their check-ins then draw on the prompts fitting their roles (tests/test_firststeps.py).


async def decide(ana: FakeUser, ben: FakeUser, ana_says: str, ben_says: str) -> None:
    """From pairing to both answering step 3 as given, at the "ready" pace."""
    await begin(ana, ben)
    await choose(ana, "Which fits best for you?", RATHER_NOT)
    await choose(ben, "Which fits best for you?", RATHER_NOT)
    await answer_step(ana, ben, 1)
    await answer_step(ana, ben, 2)
    await both_decide(ana, ben, ana_says, ben_says)


async def test_not_sure_is_asked_again_a_week_later_even_after_a_restart(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    clock.advance_to_noon()  # its asks would wait for the morning at night
    await decide(ana, ben, "Yes", "Not sure yet")
    for user in (ana, ben):
        note = await user.wait_for("patience is part of it", timeout=10)
        assert "again in a week" in note.plain
    await bot.stop()
    clock.advance(timedelta(days=7, minutes=1))
    await bot.start()
    await both_decide(ana, ben, "Yes", "Yes")  # the same question, once more
    await ana.wait_for("You both want to rebuild trust together", timeout=10)


async def test_no_pauses_check_ins_and_offers_letting_go(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:

    async def plan_check_ins() -> None:
        await ana.send("/schedule 20:00")  # they plan check-ins before first steps
        await ana.wait_for("Your next one")

    await begin(ana, ben, meanwhile=plan_check_ins)
    await choose(ana, "Which fits best for you?", HURT)
    await choose(ben, "Which fits best for you?", CAUSED)
    await answer_step(ana, ben, 1)
    await answer_step(ana, ben, 2)
    await both_decide(ana, ben, "Yes", "No")
    for user in (ana, ben):
        path = await user.wait_for("Letting go", timeout=10)
        for pointer in ("/unpair", "/export", "/delete", "individual therapist", "/help"):
            assert pointer in path.plain
        assert "nobody is to blame" in path.plain and "blame you" not in path.plain
    await ana.send("/schedule")
    await ana.wait_for("paused")
    await ana.send("/history")  # the steps sit beside check-ins
    await ana.wait_for("ana's words 2")


async def test_one_step_a_day_a_gentle_reminder_and_a_pause_during_a_break(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await step_one_then_a_break(ana, ben, clock)  # step 2 waits until the break is over
    await ben.wait_for("needs a pause")
    clock.advance(timedelta(minutes=31))  # 20:01: step 2 is due, the break runs on
    await ana.expect_silence()
    await ben.expect_silence()
    clock.advance(timedelta(minutes=30))  # the break's nudge; still no step until both ready
    for user in (ana, ben):
        nudge = await user.wait_for("The break is over", timeout=10)
        await user.expect_silence()
        await user.press(nudge, dict(nudge.buttons)["I'm ready to talk"])
        await user.wait_for("when you're both ready")
    clock.advance(timedelta(minutes=5))  # "both ready" after its short random delay
    await ana.wait_for("You are both ready to talk", timeout=10)
    await ben.wait_for("You are both ready to talk", timeout=10)
    clock.advance(timedelta(minutes=15))
    await ana.wait_for("step 2 of 3", timeout=10)
    await ben.wait_for("step 2 of 3", timeout=10)
    await ana.send("ana's words 2")
    await ana.wait_for("stays private")
    clock.advance(timedelta(days=2, minutes=1))
    reminder = await ben.wait_for("A gentle reminder", timeout=10)
    assert "no deadline" in reminder.plain
    await ana.expect_silence()  # she has answered: no reminder for her
    await ben.send(reminder_reply := "ben's words 2")
    await ana.wait_for(reminder_reply, timeout=10)


async def test_a_break_nobody_ends_holds_the_next_step_back_only_for_its_24_hours(
    fake: FakeTelegram, bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    """README: a break runs until both are ready or its 24 hours are over. Neither says they
    are ready: once the 24 hours are over, the step that waited comes."""
    await step_one_then_a_break(ana, ben, clock)
    clock.advance(timedelta(hours=23, minutes=50))  # step 2 long due, the break not over
    for user in (ana, ben):
        await user.wait_for("The break is over", timeout=10)  # its nudge; nobody answers it
    await bot.settle(fake)
    assert not any("step 2 of 3" in m.plain for m in (*ana.inbox, *ben.inbox))
    clock.advance(timedelta(minutes=15))  # past the break's 24 hours
    await ana.wait_for("step 2 of 3", timeout=10)
    await ben.wait_for("step 2 of 3", timeout=10)


async def step_one_then_a_break(ana: FakeUser, ben: FakeUser, clock: MovableClock) -> None:
    """One step a day, both ways; step 1 at 20:00, answered by both; at 19:30 the next day,
    half an hour before step 2 is due, Ana takes a break of an hour."""
    await begin(ana, ben, pace="Yes, one step a day")
    await choose(ana, "Which fits best for you?", BOTH_WAYS)
    await choose(ben, "Which fits best for you?", BOTH_WAYS)
    await ana.wait_for("each of you will do both", timeout=10)
    await ana.expect_silence()  # step 1 waits for 20:00
    clock.advance(until_local(clock, time(20, 0)))
    await answer_step(ana, ben, 1)
    clock.advance(timedelta(hours=23, minutes=28))  # 19:30 the next day
    await ana.send("/conflict")
    menu = await ana.wait_for("How long do you need")
    await ana.press(menu, dict(menu.buttons)["1 hour"])
    await ana.wait_for("Your break runs until")


def until_local(clock: MovableClock, at: time) -> timedelta:
    """From now to the next `at` in UTC (everyone's zone here), plus a minute."""
    now = datetime.fromtimestamp(clock.timestamp(), UTC)
    target = datetime.combine(now.date(), at, UTC)
    if target <= now:
        target += timedelta(days=1)
    return target - now + timedelta(minutes=1)


async def test_either_may_stop_and_unshared_words_are_deleted_unread(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await begin(ana, ben)
    await choose(ana, "Which fits best for you?", RATHER_NOT)
    await choose(ben, "Which fits best for you?", RATHER_NOT)
    await ana.wait_for("step 1 of 3", timeout=10)
    await ana.send("words never shown")
    await ana.wait_for("stays private")
    await ben.send("/firststeps")
    status = await ben.wait_for("are under way")
    assert "step 1 of 3" in status.plain
    await ben.press(status, dict(status.buttons)["Stop first steps"])
    await ben.wait_for("deleted unread")
    stopped = await ana.wait_for("has stopped first steps for now", timeout=10)
    assert "words never shown" not in stopped.plain
    await ana.wait_for(OFFER, timeout=10)  # now the check-in offer
    await ben.wait_for(OFFER, timeout=10)
    await ana.send("another message")  # nothing open: not filed under the stopped step
    await ana.wait_for("no open check-in")

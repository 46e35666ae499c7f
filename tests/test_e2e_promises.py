"""End to end: promises and agreements through the real bot and the fake Bot API server."""

from __future__ import annotations

from datetime import timedelta

from testing.clock import MovableClock
from testing.fake_telegram import FakeTelegram, FakeUser
from testing.journeys import pair
from testing.runner import BotRunner

WORDS = "I'll text you if I'm running late this week"
AGREEMENT = "We tell each other when plans change"


async def test_a_promise_is_made_seen_and_listed(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ana.send(f"/promise {WORDS}")
    offer = await ana.wait_for("When shall we look back")
    labels = [label for label, _ in offer.buttons]
    assert labels[-1] == "Another time…" and any(label.startswith("In a week") for label in labels)
    await ben.expect_silence()  # a draft: nobody is told yet
    await ana.press(offer, dict(offer.buttons)[next(x for x in labels if x.startswith("In a"))])
    await ana.wait_for("Your promise is made")
    told = await ben.wait_for("made you a promise")
    assert WORDS in told.plain and told.parse_mode == "HTML"
    await ben.press(told, dict(told.buttons)["🤍 I saw it"])
    await ben.wait_for("They'll know you saw it")
    await ana.wait_for("saw your promise")
    await ben.send("/promises")
    listing = await ben.wait_for("Open promises")
    assert WORDS in listing.plain and "🤍" in listing.plain
    assert listing.buttons == []  # not his to withdraw


async def test_an_agreement_counts_once_both_accept(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ana.send(f"/agree {AGREEMENT}")
    await ana.wait_for("It counts once they accept")
    asked = await ben.wait_for("proposes an agreement")
    await ana.send("/agreements")
    assert "waiting for your partner" in (await ana.wait_for("Your agreements")).plain
    await ben.press(asked, dict(asked.buttons)["Accept"])
    await ben.wait_for("is now an agreement")
    await ana.wait_for("accepted")
    await ana.send("/agreements")
    listing = await ana.wait_for("Your agreements")
    assert AGREEMENT in listing.plain and "since" in listing.plain
    assert [label.split(":")[0] for label, _ in listing.buttons] == ["Revise", "Retire"]


async def test_help_and_the_menu_list_promises_and_agreements(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser
) -> None:
    menu = [params for method, params in fake.calls if method == "setMyCommands"]
    for params in menu:
        for command in ("promise", "promises", "agree", "agreements"):
            assert f'"{command}"' in str(params["commands"]), (params.get("language_code"), command)
    await ana.send("/help")
    text = (await ana.next_message()).plain
    for command in ("/promise", "/promises", "/agree", "/agreements"):
        assert command in text


async def test_at_the_due_moment_both_are_asked_and_see_both_choices_together(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser, clock: MovableClock
) -> None:
    clock.advance_to_noon()  # its asks would wait for the morning at night
    await pair(ana, ben)
    await ana.send(f"/promise {WORDS}")
    offer = await ana.wait_for("When shall we look back")
    week = next(data for label, data in offer.buttons if label.startswith("In a week"))
    await ana.press(offer, week)
    await ana.wait_for("Your promise is made")
    await ben.wait_for("made you a promise")
    clock.advance(timedelta(days=8))
    await bot.tick()
    questions = {
        ana: await ana.wait_for("How did it go with your promise"),
        ben: await ben.wait_for("Did you feel Ana's promise was kept"),
    }
    await ana.press(questions[ana], dict(questions[ana].buttons)["Kept"])
    await ana.wait_for("stays private")
    await ben.wait_for("Ana has answered")
    await ben.press(questions[ben], dict(questions[ben].buttons)["Not this time"])
    for user in (ana, ben):
        reveal = await user.wait_for("Ana: Kept")
        assert "Not this time" in reveal.plain
        await user.wait_for("Would you like to talk about it")
    await ana.wait_for("promise “" + WORDS + "” again")
    await ben.send("/promises")
    listing = await ben.wait_for("Recently")
    assert "Ana: kept" in listing.plain and "not this time" in listing.plain


async def test_the_monthly_review_once_both_opt_in(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser, clock: MovableClock
) -> None:
    clock.advance_to_noon()  # its asks would wait for the morning at night
    await pair(ana, ben)
    await ana.send(f"/agree {AGREEMENT}")
    asked = await ben.wait_for("proposes an agreement")
    await ben.press(asked, dict(asked.buttons)["Accept"])
    await ana.wait_for("accepted")
    await ana.send("/options review on")
    await ana.wait_for("once Ben <3 turns it on too")
    await ben.wait_for("would like a gentle monthly look")
    await ben.send("/options review on")
    await ben.wait_for("You both have")
    clock.advance(timedelta(days=30, minutes=1))
    await bot.tick()
    questions = {user: await user.wait_for("still working for you") for user in (ana, ben)}
    for user, option in ((ana, "It works"), (ben, "Needs a talk")):
        await user.press(questions[user], dict(questions[user].buttons)[option])
    for user in (ana, ben):
        reveal = await user.wait_for("Needs a talk")
        assert "It works" in reveal.plain and AGREEMENT in reveal.plain
        await user.wait_for("No blame")

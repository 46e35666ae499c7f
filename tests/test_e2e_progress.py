"""End to end: /progress, the Sunday summary and /report through the real application and the
fake Bot API, the pictures and PDFs included (sendPhoto, sendDocument through the outbox)."""

from __future__ import annotations

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pypdf

from bot import progress
from bot.models import Person
from testing.clock import MovableClock
from testing.fake_telegram import FakeTelegram, FakeUser, SentMessage
from testing.journeys import pair
from testing.probes import query
from testing.runner import BotRunner
from testing.seeding import seed_history

DRAWN = 60  # seconds a chart or a PDF may take on a busy two-core machine


def photo(message: SentMessage) -> bool:
    return message.media == "photo"


def document(message: SentMessage) -> bool:
    return message.media == "document"


async def with_history(bot: BotRunner, ana: FakeUser, ben: FakeUser) -> None:
    """Two check-ins both answered this week and one break that ended both ready."""
    db = bot.services.database
    now = bot.clock.timestamp()
    async with db.read() as uow:
        couple = await uow.couples.active_for(ana.id)
    assert couple is not None
    await seed_history(
        db,
        couple.id,
        (Person(ana.id, "Ana"), Person(ben.id, "Ben")),
        revealed=[(now - 60, "the river walk", "his quiet answer"), (now - 30, "tea", "yes")],
        breaks=[(now - 7200, True)],
    )


async def test_progress_sends_the_chart_with_its_words(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await with_history(bot, ana, ben)
    await ana.send("/progress")
    chart = await ana.wait_for(photo, timeout=DRAWN)
    assert chart.content.startswith(b"\x89PNG")
    assert "Check-ins you both answered: 2" in chart.plain
    assert "Back together, both ready: 1" in chart.plain
    assert "%" not in chart.plain
    await ben.expect_silence()  # asked for by one: shown to that one


async def test_progress_before_pairing_explains(bot: BotRunner, ana: FakeUser) -> None:
    await ana.send("/progress")
    await ana.wait_for("works once you're paired")


async def test_the_sunday_summary_comes_through_the_outbox_while_both_want_it(
    bot: BotRunner, fake: FakeTelegram, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ana.send("/options weekly on")
    await ana.wait_for("on for you")
    invite = await ben.wait_for("weekly picture of your progress")
    assert "Ana" in invite.plain
    await ben.send("/options weekly on")
    await ben.wait_for("Weekly summary: on")
    await ana.expect_silence()  # nothing before Sunday evening
    now = clock.timestamp()
    sunday = progress.next_summary(now, ZoneInfo("UTC"))
    clock.advance(timedelta(seconds=sunday - now))
    for user in (ana, ben):
        summary = await user.wait_for(photo, timeout=DRAWN)
        assert summary.plain.startswith("Your week with Steady.")
        assert summary.content.startswith(b"\x89PNG")
    assert [m for m, _ in fake.calls].count("sendPhoto") == 2  # through delivery, one each
    await bot.idle(fake)  # the sends are recorded
    async with bot.services.database.read() as uow:
        rows = await query(uow.conn, "SELECT COUNT(*) FROM outbox WHERE media IS NOT NULL")
        assert (await rows.fetchone())[0] == 0  # no picture kept once sent
    # One of them stops it: nothing comes the next Sunday, to either.
    await ben.send("/options weekly off")
    await ben.wait_for("Weekly summary: off")
    clock.advance(timedelta(days=7))
    await ana.expect_silence()
    await ben.expect_silence()
    assert [m for m, _ in fake.calls].count("sendPhoto") == 2


async def test_a_report_both_agreed_to_reaches_both_as_a_pdf(
    bot: BotRunner, fake: FakeTelegram, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await with_history(bot, ana, ben)
    await ana.send("/report")
    menu = await ana.wait_for("Which period?")
    await ana.press(menu, dict(menu.buttons)["Last 4 weeks"])
    own = await ana.wait_for("Do you agree?")
    ask = await ben.wait_for("would like a PDF summary")
    await ana.press(own, dict(own.buttons)["I agree"])
    await ana.wait_for("once you have both agreed")
    await ben.expect_silence()  # Ben's answer is his own: nothing presses him
    assert not [m for m in fake.sent if document(m)]
    await ben.press(ask, dict(ask.buttons)["I agree"])
    for user in (ana, ben):
        pdf = await user.wait_for(document, timeout=DRAWN)
        assert pdf.file_name == "steady-report.pdf"
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
        assert "the river walk" in text and "his quiet answer" in text
        assert "you both came back ready to talk" in text
        assert "a summary for Ana and Ben <3" in text  # plain text in a PDF, not HTML
    assert [m for m, _ in fake.calls].count("sendDocument") == 2


async def test_a_declined_report_is_not_made_and_the_other_only_hears_that(
    bot: BotRunner, fake: FakeTelegram, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ana.send("/report")
    menu = await ana.wait_for("Which period?")
    await ana.press(menu, dict(menu.buttons)["Last 12 weeks"])
    own = await ana.wait_for("Do you agree?")
    ask = await ben.wait_for("would like a PDF summary")
    await ana.press(own, dict(own.buttons)["I agree"])
    await ana.wait_for("once you have both agreed")
    await ben.press(ask, dict(ask.buttons)["No, thanks"])
    await ben.wait_for("Okay, no report")
    told = await ana.wait_for("The report was not created.")
    assert "Ben" not in told.plain and "declin" not in told.plain
    await ben.press(ask, dict(ask.buttons)["I agree"])  # too late: a stale button
    await ana.expect_silence()
    await ben.expect_silence()
    assert not [m for m in fake.sent if document(m)]
    assert not any(c[0] == "sendDocument" for c in fake.calls)


async def test_the_weekly_safety_rating_is_double_blind_and_joins_the_chart(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ana.send("/options rating on")
    await ana.wait_for("on for you")
    await ben.wait_for("how safe you felt with each other")
    await ben.send("/options rating on")
    await ben.wait_for("Weekly safety question: on")
    now = clock.timestamp()
    # Sunday 20:00 UTC (no schedule: the default check-in time; both in the default zone).
    sunday = progress.next_summary(now, ZoneInfo("UTC")) + 3600
    clock.advance(timedelta(seconds=sunday - now))
    asked = {}
    for user in (ana, ben):
        asked[user.id] = await user.wait_for("How safe did you feel", timeout=10)
        assert [label for label, _ in asked[user.id].buttons] == ["1", "2", "3", "4", "5"]
    await ana.press(asked[ana.id], dict(asked[ana.id].buttons)["4"])
    waiting = await ben.wait_for("answered")
    assert "4" not in waiting.plain  # Ben hears that Ana answered, never what
    await ana.wait_for("stays private until you have both answered")
    await ana.expect_silence()  # nothing of Ben's before he rated
    await ben.press(asked[ben.id], dict(asked[ben.id].buttons)["3"])
    for user in (ana, ben):
        reveal = await user.wait_for(lambda m: "Ana" in m.plain and "Ben" in m.plain, timeout=10)
        assert "4" in reveal.plain and "3" in reveal.plain
    clock.advance(timedelta(days=1))
    await ana.send("/progress")
    chart = await ana.wait_for(photo, timeout=DRAWN)
    assert "How safe Ana felt: rated in 1 week, most recently 4 of 5" in chart.plain
    assert "How safe Ben <3 felt: rated in 1 week, most recently 3 of 5" in chart.plain, (
        chart.plain,
        chart.parse_mode,
    )

"""No input reaches an exception (issue 10, item 9): whatever a button carries or a command is
given, the real application answers kindly or acknowledges quietly, and changes nothing."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from bot import callbacks as cb
from bot import repair
from bot.schedule_rules import parse_schedule, resolve_zone, zone_or_none
from testing.clock import StoppedClock
from testing.engines import on_postgres
from testing.offline import Call, Offline, User

ANA = User(1001, "Ana")
BEN = User(2002, "Ben")
SEEN = ("users.updated_at",)  # a command refreshes who the person is; that is not a change
COMMANDS = (
    "start", "help", "pair", "join", "unpair", "checkin", "history", "options", "schedule",
    "timezone", "pause", "resume", "skip", "conflict",
)  # fmt: skip


class Errors(logging.Handler):
    """Every ERROR logged anywhere (the error handler logs each exception it sees)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def errors() -> Iterator[Errors]:
    handler = Errors()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[Offline]:
    """Ana and Ben, paired, with something of everything: an open check-in, a revealed one in
    the history, a break that has reached its nudge. No schedule, so /skip and /pause refuse."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.revealed_round({ANA: "an old answer", BEN: "another"})
        await bot.send(ANA, "/checkin")
        await bot.run(bot.updates.button(BEN, "v1:cf:20m"))
        clock.at += timedelta(minutes=21)
        assert await repair.run_due(bot.db, bot.services.now()) == 1
        await bot.deliver()  # the prompts are received: answers and replies have a round
        yield bot


def _private_only(bot: Offline, calls: list[Call]) -> None:
    assert bot.request.unknown == []
    assert all(c.chat_id in (None, ANA.id) for c in calls), "only Ana's own chat hears back"


async def press(bot: Offline, errors: Errors, data: str | None) -> list[Call]:
    before = await bot.dump(SEEN)
    calls = await bot.run(bot.updates.button(ANA, data))
    assert errors.records == [], "an exception reached the error handler"
    assert [c.method for c in calls].count("answerCallbackQuery") == 1, "a quiet ack or a notice"
    _private_only(bot, calls)
    assert await bot.dump(SEEN) == before, "nothing changed"
    return calls


# -- the inputs issue 10 found ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        None,  # callback_data is optional in the Bot API
        "",
        "v1:unpair:1:y\n",  # the unpair pattern's `$` took the newline: this ended the pairing
        "v1:hist:" + "9" * 25,  # overflowed SQLite
        "v1:rr:" + "9" * 25 + ":m",
        "v1:unpair:" + "9" * 25 + ":y",
        "v1:tz:Europe",  # a folder of the zone database
        "v1:tz:America/Argentina",
        "v1:rp:1:9",
    ],
)
async def test_bad_button_data_gets_a_notice_and_changes_nothing(
    world: Offline, errors: Errors, data: str | None
) -> None:
    await press(world, errors, data)


@pytest.mark.parametrize("args", [("window", "²"), ("reminder", "²h"), ("window", "٣")])
async def test_options_take_ascii_digits_only(
    world: Offline, errors: Errors, args: tuple[str, ...]
) -> None:
    before = await world.dump(SEEN)
    [answer] = await world.send(ANA, " ".join(("/options", *args)))
    assert errors.records == []
    assert "between" in answer.plain or "hours" in answer.plain  # options.invalid explains
    assert await world.dump(SEEN) == before


async def test_a_forwarded_message_is_not_taken_as_an_answer(
    world: Offline, errors: Errors
) -> None:
    before = await world.dump(SEEN)
    update = world.updates.forwarded(ANA, "someone else's words", origin=BEN)
    [hint] = await world.run(update)
    assert hint.chat_id == ANA.id and "your own words" in hint.plain
    assert errors.records == []
    assert await world.dump(SEEN) == before


# -- generated ----------------------------------------------------------------------------------

_TAGS = ("hist", "mv", "unpair", "sch", "tz", "cf", "rp", "rr", "gc")
_FOREIGN = st.one_of(st.integers(1000, 2**70), st.integers(-5, -1)).map(str)
_FIELD = st.one_of(_FOREIGN, st.text(max_size=12), st.sampled_from(["y", "n", "m", "start"]))


def _fits(data: str) -> bool:
    return len(data.encode()) <= 64


button_data = st.one_of(
    st.none(),
    st.text(max_size=64).filter(_fits),
    st.binary(max_size=64).map(lambda b: b.decode("utf-8", "replace")).filter(_fits),
    # Shaped like ours, so the parsers' every branch is reached.
    st.builds(
        lambda tag, fields: ":".join(("v1", tag, *fields)),
        st.sampled_from(_TAGS),
        st.lists(_FIELD, max_size=3),
    ).filter(_fits),
)


def _acts(data: str | None) -> bool:
    """A button Ana could really have now (it may rightly change things): not generated."""
    button = cb.parse(data)
    if isinstance(button, cb.BreakLength):
        return button.length in repair.LENGTHS
    if isinstance(button, cb.TimeZone):
        return zone_or_none(button.zone) is not None
    if isinstance(button, cb.PickTime | cb.ScheduleOff):
        return True
    ids = [v for v in vars(button).values() if type(v) is int] if button else []
    return any(v < 1000 for v in ids) and not isinstance(button, cb.PickDays | cb.OtherTime)


# Parsing and refusing bad input does not depend on the engine: fewer examples on PostgreSQL,
# where each one's before-and-after dump of the tables costs ten times as much.
@settings(
    max_examples=50 if on_postgres() else 200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=button_data)
@example(data=None)
@example(data="")
async def test_any_button_data(world: Offline, errors: Errors, data: str | None) -> None:
    assume(not _acts(data))
    await press(world, errors, data)


def _changes(command: str, args: list[str]) -> bool:
    """Arguments that rightly change something; the rest must change nothing."""
    text = " ".join(args)
    if command == "schedule":
        return bool(args) and parse_schedule(text) is not None
    if command == "timezone":
        return bool(args) and resolve_zone(text) is not None
    if command == "options" and len(args) == 2 and args[0].lower() in ("window", "reminder"):
        value = args[1].lower().removesuffix("h")
        return value in ("off", "none", "no") or (value.isascii() and value.isdigit())
    return False


@settings(
    max_examples=40 if on_postgres() else 150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(command=st.sampled_from(COMMANDS), tail=st.text(max_size=60))
@example(command="options", tail="window ²")
@example(command="timezone", tail="Europe")
@example(command="start", tail="ref_campaign")
async def test_any_command_arguments(
    world: Offline, errors: Errors, command: str, tail: str
) -> None:
    args = tail.split()
    assume(not _changes(command, args))
    # "Already open" quotes the question, so a reply to it answers that round: recorded.
    seen = (*SEEN, "round_messages") if command == "checkin" else SEEN
    before = await world.dump(seen)
    calls = await world.run(world.updates.command(ANA, command, *args))
    assert errors.records == [], "an exception reached the error handler"
    assert [c.method for c in calls if c.chat_id == ANA.id] != [], "a kind answer"
    _private_only(world, calls)
    assert await world.dump(seen) == before, "nothing changed"

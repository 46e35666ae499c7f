"""bot/callbacks.py: every button's data round-trips, and nothing else parses or raises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import callbacks as cb

ids = st.integers(min_value=0, max_value=cb.MAX_ID)
buttons = st.one_of(
    st.builds(cb.HistoryOlder, ids),
    st.builds(cb.MoveAnswer, ids, ids),
    st.builds(cb.Unpair, ids, st.booleans()),
    st.builds(cb.Erase, st.sampled_from(["now", "later", "keep"]), ids),
    st.builds(cb.AcceptDefaultSchedule, ids),
    st.builds(cb.PickDays, st.integers(0, 127)),
    st.builds(cb.PickTime, st.integers(0, 127), st.sampled_from(["0700", "2030", "2359"])),
    st.builds(cb.OtherTime, st.integers(0, 127)),
    st.just(cb.ScheduleOff()),
    st.builds(cb.TimeZone, st.sampled_from(["UTC", "Europe/Berlin", "America/Port-au-Prince"])),
    st.just(cb.ConflictMenu()),
    st.builds(cb.BreakLength, st.sampled_from(["20m", "1h", "3h", "morning"])),
    st.builds(cb.Phrase, ids, st.integers(0, 99)),
    st.builds(cb.Ready, ids, st.booleans()),
    st.builds(cb.StartGuided, ids),
    st.builds(cb.StopGuided, ids),
    st.builds(cb.ChooseLanguage, st.sampled_from(["en", "ru", "es", "de", "auto"])),
    st.builds(cb.PromiseDue, ids, st.sampled_from(["tonight", "tomorrow", "sunday", "other"])),
    st.builds(cb.PromiseAction, ids, st.sampled_from(sorted(cb.PromiseAction.ACTIONS))),
    st.builds(cb.AgreeAnswer, ids, st.sampled_from(["y", "c", "n"])),
    st.builds(cb.AgreeAction, ids, st.sampled_from(sorted(cb.AgreeAction.ACTIONS))),
    st.builds(cb.FirstSteps, ids, st.sampled_from(cb.FirstSteps.ACTIONS)),
    st.just(cb.FirstStepsMenu()),
)


@given(buttons)
def test_every_button_round_trips_within_telegrams_64_bytes(button: cb.ButtonData) -> None:
    data = button.encode()
    assert len(data.encode()) <= cb.MAX_BYTES
    assert cb.parse(data) == button


@given(st.one_of(st.none(), st.text(max_size=80), st.binary(max_size=64)))
def test_anything_else_parses_to_a_button_or_none_and_never_raises(data: object) -> None:
    button = cb.parse(data)
    assert button is None or cb.parse(button.encode()) == button


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "v1",
        "v1:",
        "v1:hist:",
        "v1:unpair:1:y\n",  # a regex with `$` took this
        "v1:unpair:1:y:",
        "v1:hist:" + "9" * 25,  # would overflow SQLite's 64-bit INTEGER
        "v1:hist:" + str(cb.MAX_ID + 1),
        "v1:mv:1:2\n",
        "v1:mv:1",
        "v1:rp:1:²",  # isdigit() is True, int() refuses
        "v1:rr:١:y",  # Arabic-Indic one: int() takes it, Steady does not
        "v1:rr:-1:y",
        "v1:rr:+1:y",
        "v1:rr: 1:y",
        "v1:sch:d:128",
        "v1:sch:t:1:7:00",
        "v1:tz:Europe/Berlin:x",
        "v1:tz:../../etc/passwd",
        "v2:hist:1",
        "v1:pr:d:1:",
        "v1:pr:d:1:sunday\n",
        "v1:pr:d:1:2night",  # letters only
        "v1:pr:d:1:tomorrowtomorrow",  # too long to be a choice
        "v1:pr:q:1",  # no such action
        "v1:pr:a:1:2",
        "v1:pr:x:" + "9" * 25,
        "v1:ag:a:1:z",
        "v1:ag:a:1",
        "v1:ag:q:1",
        "v1:ag:y:-1",
        "v1:fs:1:begin",  # not an action first steps has
        "v1:fs:1:stop:",
        "v1:fs:menu:1",
        "v1:fs:" + str(cb.MAX_ID + 1) + ":stop",
    ],
)
def test_malformed_data_is_not_a_button(data: str | None) -> None:
    assert cb.parse(data) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0), ("12", 12), ("²", None), ("１２", None), ("-1", None), ("", None), ("1e3", None)],
)
def test_bounded_int_takes_ascii_digits_only(text: str, value: int | None) -> None:
    assert cb.bounded_int(text) == value

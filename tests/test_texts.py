"""The locale texts: plural forms, and every key renders."""

from __future__ import annotations

import re
import string

import pytest

from bot import checkins, texts
from bot.texts import amount, t

# A number placeholder right before a unit word is "1 hours" waiting to happen.
_COUNT_BEFORE_UNIT = re.compile(r"\{\w+\} (?:hour|minute|day|week|second)s?\b")


def test_a_count_of_one_is_singular_and_two_is_plural() -> None:
    assert amount("hours", 1) == "1 hour"
    assert amount("hours", 2) == "2 hours"
    assert amount("minutes", 1) == "1 minute"
    assert amount("minutes", 20) == "20 minutes"
    assert amount("hours", 0) == "0 hours"


def test_the_minimum_window_reads_one_hour() -> None:
    """`/options window 1` said "stay open for 1 hours"."""
    assert "stay open for 1 hour," in checkins.options_summary("en", 1, None)
    both = checkins.options_summary("en", 2, 1)
    assert "stay open for 2 hours," in both and "reminder 1 hour before" in both
    assert "reminder 2 hours before" in checkins.options_summary("en", 3, 2)


def test_a_text_with_plural_forms_needs_an_integer_count() -> None:
    with pytest.raises(TypeError):
        t("units.hours")
    with pytest.raises(TypeError):
        t("units.hours", count="1")


def test_english_plural_rule() -> None:
    assert [texts.plural_category("en", n) for n in (0, 1, 2, 11, 21)] == [
        "other",
        "one",
        "other",
        "other",
        "other",
    ]


def test_no_text_puts_a_bare_count_before_a_unit() -> None:
    for key, entry in texts._catalog("en").items():
        if isinstance(entry, str):  # a table of plural forms is the right place for a unit
            assert not _COUNT_BEFORE_UNIT.search(entry), key


def test_every_key_renders_with_one_and_two() -> None:
    for key, entry in texts._catalog("en").items():
        forms = [entry] if isinstance(entry, str) else list(entry.values())
        names = {f for form in forms for _, f, _, _ in string.Formatter().parse(form) if f}
        for count in (1, 2):
            values: dict[str, object] = {name: "x" for name in names}
            values["count"] = count
            if key.startswith("formats."):
                continue  # strftime patterns, not format strings
            assert "{" not in t(key, **values), key

"""User-facing words: Fluent messages in `bot/locales/<lang>/*.ftl` (one file per feature, so
features add texts side by side), dates and day names by Babel.

Code looks a text up by a dotted key ("start.welcome" is the Fluent message `start-welcome`).
Every string value is HTML-escaped here, so a first name or an answer can never inject markup
into a message sent with parse_mode=HTML; integers stay numbers, so Fluent chooses plural
forms by the language's CLDR rule (`{ $count -> [one] … [few] … *[other] … }`).

A language is chosen by a fallback chain: the code as given ("pt-br"), its base language
("pt"), English. A message missing from a locale falls back to English the same way.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time
from functools import cache
from importlib import resources

from babel import Locale
from babel.dates import (
    format_date,
    format_datetime,
    format_time,
    get_day_names,
    get_timezone,
    get_timezone_location,
)
from fluent.runtime import FluentBundle
from fluent.runtime.types import fluent_number
from fluent.syntax import FluentParser

LOCALES_DIR = resources.files("bot").joinpath("locales")  # package data, wherever installed

DEFAULT_LANGUAGE = "en"


@cache
def languages() -> tuple[str, ...]:
    """The locales we ship (the folders of .ftl files under bot/locales), English first."""
    found = sorted(
        entry.name for entry in LOCALES_DIR.iterdir() if entry.is_dir() and files(entry.name)
    )
    return (DEFAULT_LANGUAGE, *(code for code in found if code != DEFAULT_LANGUAGE))


def language_of(code: str | None) -> str:
    """The locale for a Telegram language_code: as given ("de-at"), its base ("de"), English."""
    typed = (code or "").strip().lower().replace("_", "-")
    for candidate in (typed, typed.split("-")[0]):
        if candidate in languages():
            return candidate
    return DEFAULT_LANGUAGE


@cache
def bundle(language: str) -> FluentBundle:
    """One locale's messages, each parsed the first time it is asked for (`holding`)."""
    # No Unicode isolation marks around variables: Telegram shows them as stray characters
    # in some clients, and every text here is left-to-right.
    found = FluentBundle([language], use_isolating=False)
    terms = [source for name, source in sources(language).items() if name.startswith("-")]
    if terms:  # any message may use a term: they come first, all of them
        found.add_resource(_PARSER.parse("".join(terms)))
    return found


# Spans (source positions) serve editors and linters, not rendering.
_PARSER = FluentParser(with_spans=False)
# Where an entry (message or term) begins; the lines after it are its own (indented, blank,
# or a select's closing brace) until the next entry or a comment, as the Fluent syntax has it.
_ENTRY = re.compile(r"(-?[a-zA-Z][a-zA-Z0-9_-]*)[ ]*=")


@cache
def sources(language: str) -> dict[str, str]:
    """Each message's (and term's) Fluent source in one locale, by id, found by a line scan.

    The Fluent parser is pure Python: parsing every locale whole cost about a second at each
    start-up (the command menus read every language), for texts a process mostly never shows."""
    found: dict[str, str] = {}
    for path in files(language):
        name, lines = "", []
        for line in [*path.read_text(encoding="utf-8").splitlines(keepends=True), "#"]:
            entry = _ENTRY.match(line)
            if entry or line.startswith("#"):
                if name:
                    # A message defined twice keeps its first words, as a bundle does;
                    # tests/test_texts.py forbids it.
                    found.setdefault(name, "".join(lines))
                name, lines = (entry.group(1), [line]) if entry else ("", [])
            elif name:
                lines.append(line)
    return found


def holding(language: str, name: str) -> FluentBundle | None:
    """The bundle of `language` holding message `name`, parsing it on first use; None if that
    locale has no such message (or cannot parse it)."""
    found = bundle(language)
    if not found.has_message(name):
        source = sources(language).get(name)
        if source is None:
            return None
        found.add_resource(_PARSER.parse(source))
    return found if found.has_message(name) else None


def files(language: str) -> list:
    """One locale's .ftl files, in name order."""
    folder = LOCALES_DIR.joinpath(language)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.name.endswith(".ftl")), key=lambda p: p.name)


def message_id(key: str) -> str:
    return key.replace(".", "-")


def t(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` with `values` escaped and filled in (plural forms chosen by numbers)."""
    name = message_id(key)
    for lang in (language, DEFAULT_LANGUAGE):
        found = holding(lang, name)
        if found is not None:
            break
    else:
        raise KeyError(f"missing text {key!r}")
    message = found.get_message(name)
    assert message.value is not None, key
    text, errors = found.format_pattern(message.value, _arguments(key, values))
    if errors:
        raise TypeError(f"text {key!r} in {lang!r}: {[type(e).__name__ for e in errors]}")
    return text


def plain(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """`t` as plain text (no entities): for a question that is itself filled into another text,
    or onto a button, and escaped there."""
    return html.unescape(t(key, language, **values))


def _arguments(key: str, values: dict[str, object]) -> dict[str, object]:
    arguments: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, int) and not isinstance(value, bool):
            # No digit grouping: a limit or a year reads "2026", never "2,026".
            arguments[name] = fluent_number(value, useGrouping=False)
        elif name == "count":
            raise TypeError(f"text {key!r} needs an integer count")
        else:
            arguments[name] = html.escape(str(value), quote=False)
    return arguments


def amount(unit: str, count: int, language: str = DEFAULT_LANGUAGE) -> str:
    """`count` of a unit in words ("1 hour", "3 hours"), for a text that holds two counts."""
    return t(f"units.{unit}", language, count=count)


def local_time(moment: date | time, key: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A date or time as people read it, by a CLDR pattern from the locale's `formats`
    messages, with the language's own day and month names (Babel)."""
    pattern = t(f"formats.{key}", language)
    locale = _locale(language)
    if isinstance(moment, datetime):
        return format_datetime(moment, pattern, locale=locale)
    if isinstance(moment, time):
        return format_time(moment, pattern, locale=locale)
    return format_date(moment, pattern, locale=locale)


def day_name(index: int, language: str = DEFAULT_LANGUAGE) -> str:
    """A short weekday name, Monday = 0 ("Mon", "пн", "lun", "Mo.")."""
    return get_day_names("abbreviated", context="stand-alone", locale=_locale(language))[index]


def zone_city(zone: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A time zone's city in the reader's language ("Берлин" for Europe/Berlin), plain."""
    try:
        return get_timezone_location(get_timezone(zone), _locale(language), return_city=True)
    except LookupError:  # a zone Babel does not name
        return zone.split("/")[-1].replace("_", " ")


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language if language in languages() else DEFAULT_LANGUAGE, sep="-")

"""The locale texts (Fluent): plural forms, every locale complete, every text renders."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import cache
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from fluent.syntax import ast, parse
from fluent.syntax.visitor import Visitor

from bot import checkins, texts
from bot.texts import amount, language_of, local_time, t

LANGUAGES = ("en", "ru", "es", "de")
# Telegram's HTML: the tags a message may hold (https://core.telegram.org/bots/api#html-style).
TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
TELEGRAM_TAGS |= {"tg-spoiler", "blockquote", "span", "tg-emoji"}
MAX_MESSAGE = 4096
# A number placeholder right before a unit word is "1 hours" waiting to happen.
_COUNT_BEFORE_UNIT = re.compile(r"\{ \$\w+ \} (?:hour|minute|day|week|second)s?\b")


@cache  # the pure-Python parser takes ~0.25 s a locale; the tests only read what it made
def sources(language: str) -> tuple[ast.Resource, ...]:
    return tuple(parse(path.read_text(encoding="utf-8")) for path in texts.files(language))


def messages(language: str) -> dict[str, ast.Message]:
    found: dict[str, ast.Message] = {}
    for resource in sources(language):
        for entry in resource.body:
            if isinstance(entry, ast.Message):
                assert entry.id.name not in found, f"{language}: {entry.id.name} defined twice"
                found[entry.id.name] = entry
    return found


class _Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.found.add(node.id.name)
        self.generic_visit(node)


def variables(message: ast.Message) -> set[str]:
    visitor = _Variables()
    visitor.visit(message)
    return visitor.found


def sample(name: str, count: int) -> object:
    """A value for a variable: counts are numbers; the rest carry markup to be escaped, and
    the longest realistic text (a prompt is a sentence or two; names are at most 64)."""
    if name == "count":
        return count
    if name in {"prompt", "question"}:
        return "What is one <small> thing & one big thing you'd like your partner to know? " * 3
    return "<Anna & Ben>"


class _Markup(HTMLParser):
    """Telegram's HTML: known tags, properly nested and closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS:
            self.problems.append(f"unknown tag <{tag}>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> closes nothing open")


def markup_problems(text: str) -> list[str]:
    parser = _Markup()
    parser.feed(text)
    parser.close()
    return parser.problems + [f"<{tag}> never closed" for tag in parser.open]


def test_a_count_of_one_is_singular_and_two_is_plural() -> None:
    assert amount("hours", 1) == "1 hour"
    assert amount("hours", 2) == "2 hours"
    assert amount("minutes", 1) == "1 minute"
    assert amount("minutes", 20) == "20 minutes"
    assert amount("hours", 0) == "0 hours"


def test_russian_plurals_follow_the_russian_rule() -> None:
    """1 час, 2 часа, 5 часов, and the same for 21, 22, 25 (but 11-14 are "many")."""
    hours = {n: amount("hours", n, "ru") for n in (1, 2, 5, 11, 12, 21, 22, 25, 100)}
    assert hours == {
        1: "1 час",
        2: "2 часа",
        5: "5 часов",
        11: "11 часов",
        12: "12 часов",
        21: "21 час",
        22: "22 часа",
        25: "25 часов",
        100: "100 часов",
    }
    assert [amount("days", n, "ru") for n in (1, 3, 30)] == ["1 день", "3 дня", "30 дней"]
    assert [amount("minutes", n, "ru") for n in (1, 2, 20)] == [
        "1 минута",
        "2 минуты",
        "20 минут",
    ]


def test_german_and_spanish_plurals() -> None:
    assert [amount("hours", n, "de") for n in (1, 2)] == ["1 Stunde", "2 Stunden"]
    assert [amount("days", n, "es") for n in (1, 30)] == ["1 día", "30 días"]


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


def test_every_value_is_html_escaped() -> None:
    text = t("start.next_paired", "ru", partner="<b>Ann</b> & co")
    assert "&lt;b&gt;Ann&lt;/b&gt; &amp; co" in text and "<b>Ann" not in text


def test_a_language_code_falls_back_to_its_base_then_english() -> None:
    assert language_of("ru") == "ru"
    assert language_of("de-AT") == "de"
    assert language_of("es-419") == "es"
    assert language_of("pt-br") == "en"
    assert language_of(None) == "en"
    assert language_of("") == "en"


def test_a_key_missing_from_a_locale_falls_back_to_english(monkeypatch) -> None:
    monkeypatch.setattr(texts.bundle("ru"), "_messages", {})
    monkeypatch.delitem(texts.sources("ru"), "start-next_unpaired")
    assert t("start.next_unpaired", "ru") == t("start.next_unpaired", "en")


def test_dates_times_and_day_names_in_each_language() -> None:
    moment = datetime(2026, 11, 26, 20, 5, tzinfo=ZoneInfo("Europe/Berlin"))
    assert local_time(moment, "when", "en") == "Thu 26 Nov, 20:05"
    assert local_time(moment, "when", "ru").startswith("чт")
    assert "nov" in local_time(moment, "when", "es")
    assert local_time(moment, "when", "de").startswith("Do")
    assert local_time(time(8, 30), "clock", "de") == "08:30"
    assert "дек" in local_time(date(2026, 12, 24), "date", "ru")
    assert [texts.day_name(0, lang) for lang in LANGUAGES] == ["Mon", "пн", "lun", "Mo"]


def test_every_locale_has_every_key_with_the_same_variables() -> None:
    english = {name: variables(m) for name, m in messages("en").items()}
    for language in LANGUAGES[1:]:
        found = {name: variables(m) for name, m in messages(language).items()}
        assert set(found) == set(english), (
            language,
            sorted(set(english) - set(found)),
            sorted(set(found) - set(english)),
        )
        for name, names in english.items():
            assert found[name] == names, (language, name, found[name], names)


def test_every_locale_parses_cleanly() -> None:
    for language in LANGUAGES:
        junk = [
            e.content[:60]
            for resource in sources(language)
            for e in resource.body
            if isinstance(e, ast.Junk)
        ]
        assert junk == [], (language, junk)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_message_parsed_alone_is_the_message_of_the_whole_file(language: str) -> None:
    """bot.texts parses a message only when it is first shown, from its lines alone: they must
    be exactly the entry the whole file holds (a continuation line lost or taken from the next
    message would change a text)."""
    whole = messages(language)
    alone = texts.sources(language)
    assert set(alone) == set(whole)
    for name, entry in whole.items():
        parsed = parse(alone[name]).body
        assert len(parsed) == 1 and parsed[0].equals(entry, ignored_fields=["span", "comment"]), (
            language,
            name,
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_renders_with_sample_values(language: str) -> None:
    """No missing key, no variable left over, Telegram-valid markup, within 4096 characters."""
    for name, message in messages(language).items():
        if message.value is None:
            continue
        key = name.replace("-", ".", 1)
        names = variables(message)
        for count in (1, 2, 5, 21):
            text = t(key, language, **{n: sample(n, count) for n in names})
            assert text.strip(), (language, key)
            assert "{" not in text and "$" not in text, (language, key, text)
            assert markup_problems(text) == [], (language, key, text)
            assert len(text) <= MAX_MESSAGE, (language, key)


def test_no_english_text_puts_a_bare_count_before_a_unit() -> None:
    for name, message in messages("en").items():
        if name.startswith("units-"):
            continue  # a selector of plural forms is the right place for a unit
        text = "".join(
            e.value if isinstance(e, ast.TextElement) else "{ $x }"
            for e in (message.value.elements if message.value else [])
        )
        assert not _COUNT_BEFORE_UNIT.search(text), name


def test_the_four_languages_are_shipped() -> None:
    assert sorted(texts.languages()) == sorted(LANGUAGES)


def test_every_prompt_is_in_every_language() -> None:
    from bot import prompts

    for prompt in prompts.library().values():
        assert set(prompt.texts) == set(LANGUAGES), prompt.id
        for language in LANGUAGES:
            text = prompt.text(language)
            assert text.strip() and len(text) < 400, (prompt.id, language)
            assert "<" not in text, (prompt.id, language)  # prompts are escaped plain text

"""User-facing words, looked up by key in `bot/locales/<lang>.toml`.

Every placeholder value is HTML-escaped here, so a first name or an answer can never inject
markup into a message sent with parse_mode=HTML.

A key whose value is a table of plural forms (`{one = "…", other = "…"}`) is chosen by the
`count` value, by the language's plural rule (CLDR categories). Never write "{n} hours".
"""

from __future__ import annotations

import html
import tomllib
from collections.abc import Callable
from datetime import date, time
from functools import cache
from importlib.resources import files

LOCALES_DIR = files("bot") / "locales"  # package data, wherever bot is installed
DEFAULT_LANGUAGE = "en"
# CLDR plural categories; a table with only these keys (and "other") is one text's forms.
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})

Entry = str | dict[str, str]


def _english(n: int) -> str:
    return "one" if n == 1 else "other"


# One rule per language we ship (CLDR's rule for integers). A later localisation library
# replaces this; until then a language without a rule here uses English's.
_PLURAL_RULES: dict[str, Callable[[int], str]] = {"en": _english}


def plural_category(language: str, count: int) -> str:
    return _PLURAL_RULES.get(language, _english)(count)


@cache
def _catalog(language: str) -> dict[str, Entry]:
    path = LOCALES_DIR / f"{language}.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return _flatten(tomllib.load(fh))


def _flatten(tree: dict, prefix: str = "") -> dict[str, Entry]:
    flat: dict[str, Entry] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if _is_plural(value):
            flat[name] = {form: str(text).strip("\n") for form, text in value.items()}
        elif isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value).strip("\n")
    return flat


def _is_plural(value: object) -> bool:
    return isinstance(value, dict) and "other" in value and set(value) <= PLURAL_CATEGORIES


def language_of(code: str | None) -> str:
    """Map a Telegram language_code ("de-AT") to a locale we ship, falling back to English."""
    base = (code or DEFAULT_LANGUAGE).split("-")[0].lower()
    return base if _catalog(base) else DEFAULT_LANGUAGE


def t(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` with `values` escaped and filled in (plural forms chosen by `count`)."""
    entry = _catalog(language).get(key)
    if entry is None:
        language = DEFAULT_LANGUAGE  # the fallback text follows its own language's rules
        entry = _catalog(language).get(key)
    if entry is None:
        raise KeyError(f"missing text {key!r}")
    template = entry if isinstance(entry, str) else _form(key, entry, language, values)
    return template.format(**{k: html.escape(str(v), quote=False) for k, v in values.items()})


def _form(key: str, forms: dict[str, str], language: str, values: dict[str, object]) -> str:
    count = values.get("count")
    if not isinstance(count, int) or isinstance(count, bool):
        raise TypeError(f"text {key!r} has plural forms and needs an integer count")
    return forms.get(plural_category(language, count)) or forms["other"]


def amount(unit: str, count: int, language: str = DEFAULT_LANGUAGE) -> str:
    """`count` of a unit in words ("1 hour", "3 hours"), for a text that holds two counts."""
    return t(f"units.{unit}", language, count=count)


def local_time(moment: date | time, key: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A time or date as people read it, by a pattern from the [formats] section."""
    return moment.strftime(t(f"formats.{key}", language))


def keys(language: str = DEFAULT_LANGUAGE) -> set[str]:
    return set(_catalog(language))

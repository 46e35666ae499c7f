"""User-facing words, looked up by key in `bot/locales/<lang>.toml`.

Every placeholder value is HTML-escaped here, so a first name or an answer can never inject
markup into a message sent with parse_mode=HTML.
"""

from __future__ import annotations

import html
import tomllib
from datetime import date, time
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "en"


@cache
def _catalog(language: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{language}.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return _flatten(tomllib.load(fh))


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value).strip("\n")
    return flat


def language_of(code: str | None) -> str:
    """Map a Telegram language_code ("de-AT") to a locale we ship, falling back to English."""
    base = (code or DEFAULT_LANGUAGE).split("-")[0].lower()
    return base if _catalog(base) else DEFAULT_LANGUAGE


def t(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` with `values` escaped and filled in."""
    template = _catalog(language).get(key) or _catalog(DEFAULT_LANGUAGE).get(key)
    if template is None:
        raise KeyError(f"missing text {key!r}")
    return template.format(**{k: html.escape(str(v), quote=False) for k, v in values.items()})


def local_time(moment: date | time, key: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A time or date as people read it, by a pattern from the [formats] section."""
    return moment.strftime(t(f"formats.{key}", language))


def keys(language: str = DEFAULT_LANGUAGE) -> set[str]:
    return set(_catalog(language))

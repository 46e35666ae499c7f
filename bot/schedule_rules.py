"""Schedules as people say them ("mon wed fri 8:30pm") and as instants in each partner's zone.

Pure functions, no database: a schedule is days + a wall-clock time; each partner's instant for a
date is that wall-clock time in their own zone, so "8 pm" stays 8 pm across DST.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = 0b1111111
WEEKDAYS = 0b0011111
WEEKENDS = 0b1100000
DEFAULT_TIME = time(20, 0)

# Day words in the four languages Steady speaks, accepted whatever language someone reads
# Steady in (people mix them). A word not listed is tried by its first three letters
# ("wednesday", "среду", "miércoles", "Mittwoch").
_DAY_LISTS = (
    DAY_NAMES,
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    ("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
    ("пон", "вто", "сре", "чет", "пят", "суб", "вос"),
    ("lun", "mar", "mié", "jue", "vie", "sáb", "dom"),
    ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    ("mo", "di", "mi", "do", "fr", "sa", "so"),
    ("mon", "die", "mit", "don", "fre", "sam", "son"),
)
_DAY_WORDS = {
    **{word: 1 << i for names in _DAY_LISTS for i, word in enumerate(names)},
    **dict.fromkeys(("daily", "everyday", "ежедневно", "diario", "täglich"), EVERY_DAY),
    "mie": 1 << 2,  # miércoles and sábado typed without accents
    "sab": 1 << 5,
    **dict.fromkeys(("weekdays", "будни", "laborables", "werktags", "wochentags"), WEEKDAYS),
    **dict.fromkeys(("weekends", "выходные", "wochenende", "wochenenden"), WEEKENDS),
}
# Phrases of several words, read as one of the words above.
_PHRASES = {
    "every day": "daily",
    "каждый день": "daily",
    "todos los días": "daily",
    "cada día": "daily",
    "jeden tag": "daily",
    "по будням": "weekdays",
    "entre semana": "weekdays",
    "de lunes a viernes": "weekdays",
    "по выходным": "weekends",
    "fines de semana": "weekends",
    "fin de semana": "weekends",
    "am wochenende": "weekends",
}
# Small words between days and before the time ("пн и ср в 20:00", "lunes a las 21:00").
_FILLERS = frozenset(
    ("and", "at", "on", "и", "в", "по", "y", "a", "las", "la", "los", "el", "und", "um", "am")
)
_OFF_WORDS = frozenset(
    ("off", "выкл", "выключить", "no", "desactivar", "apagar", "aus", "ausschalten")
)
_TIME_RE = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$")


@dataclass(frozen=True)
class Schedule:
    days: int  # bit 0 = Monday
    at: time

    @property
    def off(self) -> bool:
        return self.days == 0

    def on(self, day: date) -> bool:
        return bool(self.days & (1 << day.weekday()))


def parse_time(text: str) -> time | None:
    """'21:00', '8:30pm', '9pm', '21h', '7.45' to a time; None when unreadable."""
    match = _TIME_RE.match(text.strip().lower())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_schedule(text: str) -> Schedule | None:
    """'daily 21:00', 'mon wed fri 8:30pm', 'weekdays 20:00', 'off', and the same in Russian,
    Spanish and German ('пн ср пт 20:00', 'lunes 21:00', 'werktags 20 Uhr'); None when
    unreadable."""
    typed = " ".join(text.lower().replace("ё", "е").replace(",", " ").split())
    for phrase, word in _PHRASES.items():
        typed = re.sub(rf"(?<!\w){phrase}(?!\w)", word, typed)
    words = typed.split()
    if len(words) == 1 and words[0] in _OFF_WORDS:
        return Schedule(0, DEFAULT_TIME)
    # "8:30 pm" may arrive as two words; "20 Uhr" is 20:00.
    if len(words) >= 2 and words[-1] in ("am", "pm"):
        words = [*words[:-2], words[-2] + words[-1]]
    if len(words) >= 2 and words[-1] == "uhr":
        words = words[:-1]
    if not words:
        return None
    at = parse_time(words[-1])
    if at is None:
        return None
    days = 0
    for word in words[:-1]:
        if word in _FILLERS:
            continue
        bits = _DAY_WORDS.get(word) or _DAY_WORDS.get(word.rstrip(".")) or _DAY_WORDS.get(word[:3])
        if bits is None:
            return None
        days |= bits
    return Schedule(days or EVERY_DAY, at)


def paused_at(paused_until: int | None, moment: int) -> bool:
    """Whether check-ins paused until `paused_until` (None: not paused) are paused at `moment`:
    a slot opening then opens nothing, and closes nothing."""
    return paused_until is not None and paused_until > moment


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`at` on `day` in `zone`, as a UTC instant.

    A time that does not exist (the spring-forward gap) moves to the next minute that does; a
    time that happens twice (fall back) is its first occurrence, so it is used once.
    """
    wall = datetime.combine(day, at)
    for minutes in range(0, 24 * 60):
        candidate = (wall + timedelta(minutes=minutes)).replace(tzinfo=zone, fold=0)
        back = candidate.astimezone(UTC).astimezone(zone)
        if back.replace(tzinfo=None) == candidate.replace(tzinfo=None):
            return candidate.astimezone(UTC)
    raise ValueError("no valid local time")  # no real zone has a day-long gap


def next_slot(
    schedule: Schedule, zones: list[ZoneInfo], after: datetime, start: date | None = None
) -> tuple[date, datetime, dict[int, datetime]] | None:
    """The first scheduled local date whose earliest partner instant is after `after`.

    Returns (slot date, when the round opens, each zone's instant by position), or None when the
    schedule is off.
    """
    if schedule.off:
        return None
    # Zones can be a day apart: start early enough to see every candidate date.
    day = start or (after.astimezone(UTC).date() - timedelta(days=2))
    for _ in range(15):
        if schedule.on(day):
            instants = {i: local_instant(day, schedule.at, zone) for i, zone in enumerate(zones)}
            opens = min(instants.values())
            if opens > after:
                return day, opens, instants
        day += timedelta(days=1)
    raise AssertionError("a schedule with days always has a slot within a week")


def zone_or_none(name: str) -> ZoneInfo | None:
    """The zone of that IANA name, or None: a folder of the zone database ("Europe"), one of
    its data files or a path is not a zone (ZoneInfo would raise IsADirectoryError...)."""
    if name not in _known_zones():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


# Well-known cities people type instead of an IANA name (the city part of the name also works).
_CITY_ALIASES = {
    "new york": "America/New_York",
    "nyc": "America/New_York",
    "los angeles": "America/Los_Angeles",
    "la": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "washington": "America/New_York",
    "boston": "America/New_York",
    "miami": "America/New_York",
    "beijing": "Asia/Shanghai",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "barcelona": "Europe/Madrid",
    "milan": "Europe/Rome",
    "geneva": "Europe/Zurich",
    "st petersburg": "Europe/Moscow",
    "kiev": "Europe/Kyiv",
    "rio": "America/Sao_Paulo",
    "rio de janeiro": "America/Sao_Paulo",
    "melbourne": "Australia/Melbourne",
    "montreal": "America/Toronto",
    "utc": "UTC",
    "gmt": "UTC",
}
_OFFSET_RE = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$")


def resolve_zone(text: str) -> str | None:
    """An IANA zone name for what a person typed: a zone, a city, or a UTC offset."""
    typed = " ".join(text.strip().split())
    if not typed:
        return None
    lowered = typed.lower()
    if lowered in _CITY_ALIASES:
        return _CITY_ALIASES[lowered]
    by_lower = _zones_by_lower()
    if lowered in by_lower:
        return by_lower[lowered]
    # An offset before a city: "GMT+2" is also the last part of Etc/GMT+2, which POSIX makes
    # two hours *behind* UTC. Whole hours only, as the Etc zones have them: +14 to -12.
    offset = _OFFSET_RE.match(lowered)
    if offset:
        sign, hours, minutes = offset.group(1), int(offset.group(2)), int(offset.group(3) or 0)
        if minutes or hours > (14 if sign == "+" else 12):
            return None
        if hours == 0:
            return "UTC"
        # POSIX-style Etc zones have the sign reversed: UTC+2 is Etc/GMT-2.
        return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
    city = lowered.replace(" ", "_")
    matches = sorted(
        name
        for low, name in by_lower.items()
        if low.rsplit("/", 1)[-1] == city and not low.startswith("etc/")
    )
    if matches:
        return matches[0]
    return None


_ZONES: dict[str, str] = {}


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


# Names in the zone database that are no place's time: the server's own ("localtime", which
# would follow the machine Steady runs on) and "Factory" (a placeholder, "-00").
_NOT_PLACES = frozenset(("localtime", "factory"))


def _zones_by_lower() -> dict[str, str]:
    if not _ZONES:
        names = {name.lower(): name for name in available_timezones()}
        _ZONES.update({low: name for low, name in names.items() if low not in _NOT_PLACES})
    return _ZONES


_PAUSE_RE = re.compile(r"^(\d{1,3})\s*(\w+)\.?$")
_DAY_FIRST_RE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")  # 24.12.2026, 24/12/2026
_PAUSE_UNITS = {
    **dict.fromkeys(("d", "day", "days", "д", "дн", "день", "дня", "дней"), 1),
    **dict.fromkeys(("día", "días", "dia", "dias", "t", "tag", "tage", "tagen"), 1),
    **dict.fromkeys(("w", "week", "weeks", "нед", "неделя", "недели", "неделю", "недель"), 7),
    **dict.fromkeys(("sem", "semana", "semanas", "wo", "woche", "wochen"), 7),
}


def parse_pause(text: str, today: date) -> date | None:
    """'2026-12-24', '24.12.2026', '3 days', '2w', '3 Tage', '3 дня', '2 semanas' to the day
    check-ins come back; None when unreadable."""
    typed = text.strip().lower()
    try:
        day = date.fromisoformat(typed)
    except ValueError:
        if match := _DAY_FIRST_RE.match(typed):
            try:
                day = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            except ValueError:
                return None
        elif (match := _PAUSE_RE.match(typed)) and match.group(2) in _PAUSE_UNITS:
            day = today + timedelta(days=int(match.group(1)) * _PAUSE_UNITS[match.group(2)])
        else:
            return None
    return day if today < day <= today + timedelta(days=366) else None

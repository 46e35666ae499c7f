"""Every button's callback data, encoded and parsed in one place.

Button data is untrusted input: Telegram lets a client send any data, up to 64 bytes, or none.
`parse` turns it into one of the typed buttons below or None, and never raises. Ids are plain
ASCII digits up to MAX_ID (SQLite's INTEGER is 64-bit signed; "²" or "٣" are not digits here),
and the whole string must match: no trailing newline, no extra field. Handlers receive the
parsed value and never split or match data themselves.

The wire format is `v1:<tag>:<fields>`; buttons already sitting in chats keep working, so change
a format only with a new version prefix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

VERSION = "v1"
MAX_BYTES = 64  # Telegram's limit for callback_data
MAX_ID = 2**62  # larger ids are never ours, and could overflow the database
ZONE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_/+-")


def bounded_int(text: str, maximum: int = MAX_ID) -> int | None:
    """ASCII digits only (no sign, no spaces, no other scripts' digits), at most `maximum`."""
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= maximum else None


@dataclass(frozen=True)
class HistoryOlder:
    """/history's "show older": rounds older than this id."""

    before: int

    def encode(self) -> str:
        return f"{VERSION}:hist:{self.before}"


@dataclass(frozen=True)
class MoveAnswer:
    """ "It's for: …": file the answer given in one open round under another."""

    from_round: int
    to_round: int

    def encode(self) -> str:
        return f"{VERSION}:mv:{self.from_round}:{self.to_round}"


@dataclass(frozen=True)
class Unpair:
    couple_id: int
    confirm: bool

    def encode(self) -> str:
        return f"{VERSION}:unpair:{self.couple_id}:{'y' if self.confirm else 'n'}"


@dataclass(frozen=True)
class AcceptDefaultSchedule:
    couple_id: int

    def encode(self) -> str:
        return f"{VERSION}:sch:def:{self.couple_id}"


@dataclass(frozen=True)
class PickDays:
    """The schedule picker with these days chosen (bit 0 = Monday); the state is in the data."""

    days: int

    def encode(self) -> str:
        return f"{VERSION}:sch:d:{self.days}"


@dataclass(frozen=True)
class PickTime:
    days: int
    at: str  # "HHMM"

    def encode(self) -> str:
        return f"{VERSION}:sch:t:{self.days}:{self.at}"


@dataclass(frozen=True)
class OtherTime:
    days: int

    def encode(self) -> str:
        return f"{VERSION}:sch:o:{self.days}"


@dataclass(frozen=True)
class ScheduleOff:
    def encode(self) -> str:
        return f"{VERSION}:sch:off"


@dataclass(frozen=True)
class TimeZone:
    zone: str  # shaped like a zone name; whether it is one is for the handler to check

    def encode(self) -> str:
        return f"{VERSION}:tz:{self.zone}"


@dataclass(frozen=True)
class ConflictMenu:
    """/help's button: show the break lengths."""

    def encode(self) -> str:
        return f"{VERSION}:cf:menu"


@dataclass(frozen=True)
class BreakLength:
    length: str  # a short word; whether it is a length Steady offers is the domain's call

    def encode(self) -> str:
        return f"{VERSION}:cf:{self.length}"


@dataclass(frozen=True)
class Phrase:
    break_id: int
    index: int

    def encode(self) -> str:
        return f"{VERSION}:rp:{self.break_id}:{self.index}"


@dataclass(frozen=True)
class Ready:
    """The nudge's "ready to talk" (ready) or "a bit more time" (not ready)."""

    break_id: int
    ready: bool

    def encode(self) -> str:
        return f"{VERSION}:rr:{self.break_id}:{'y' if self.ready else 'm'}"


@dataclass(frozen=True)
class StartGuided:
    break_id: int

    def encode(self) -> str:
        return f"{VERSION}:gc:{self.break_id}:start"


@dataclass(frozen=True)
class StopGuided:
    round_id: int

    def encode(self) -> str:
        return f"{VERSION}:gc:{self.round_id}:stop"


@dataclass(frozen=True)
class Choose:
    """An option of a double-blind ask (bot.asks): its round and the option's place."""

    round_id: int
    option: int

    def encode(self) -> str:
        return f"{VERSION}:ask:{self.round_id}:{self.option}"


@dataclass(frozen=True)
class FirstSteps:
    """First steps: begin ("daily" | "ready"), "no" (not now), "stop", or after both said yes
    one of the three next steps ("schedule" | "promise" | "agree")."""

    ACTIONS = ("daily", "ready", "no", "stop", "schedule", "promise", "agree")
    journey_id: int
    action: str

    def encode(self) -> str:
        return f"{VERSION}:fs:{self.journey_id}:{self.action}"


@dataclass(frozen=True)
class FirstStepsMenu:
    """/help's button: what /firststeps shows."""

    def encode(self) -> str:
        return f"{VERSION}:fs:menu"


@dataclass(frozen=True)
class Erase:
    """/delete's confirmation: erase now (`delay` 0), erase and tell the partner a day later,
    or keep everything. `asked_at` dates the question: an old button no longer erases."""

    choice: str  # "now" | "later" | "keep"
    asked_at: int

    def encode(self) -> str:
        return f"{VERSION}:erase:{self.choice}:{self.asked_at}"


@dataclass(frozen=True)
class ChooseLanguage:
    """/language's buttons: a locale code, or AUTO (follow the Telegram app)."""

    AUTO = "auto"
    code: str  # shaped like a code; whether Steady speaks it is for the handler to check

    def encode(self) -> str:
        return f"{VERSION}:lang:{self.code}"


@dataclass(frozen=True)
class PromiseDue:
    """A draft promise's due moment: one of the common ones (bot.promises.CHOICES), or
    "other" (how to type one)."""

    promise_id: int
    choice: str  # a short word; whether it is offered now is the domain's call

    def encode(self) -> str:
        return f"{VERSION}:pr:d:{self.promise_id}:{self.choice}"


@dataclass(frozen=True)
class PromiseAction:
    """A promise's buttons: the partner's "seen it" (a), withdraw (x), again next week (r),
    weekly on (w) or off (o)."""

    promise_id: int
    action: str

    ACTIONS = frozenset("axrwo")

    def encode(self) -> str:
        return f"{VERSION}:pr:{self.action}:{self.promise_id}"


@dataclass(frozen=True)
class AgreeAnswer:
    """A wording waiting for the presser: accept (y), propose a change (c), decline (n)."""

    version_id: int
    choice: str

    def encode(self) -> str:
        return f"{VERSION}:ag:a:{self.version_id}:{self.choice}"


@dataclass(frozen=True)
class AgreeAction:
    """An agreement's buttons: propose a revision (v), ask to retire (r), confirm the other's
    retirement (y) or keep it (k)."""

    agreement_id: int
    action: str

    ACTIONS = frozenset("vryk")

    def encode(self) -> str:
        return f"{VERSION}:ag:{self.action}:{self.agreement_id}"


@dataclass(frozen=True)
class ReportPeriod:
    """/report's period: the last 4 or 12 weeks."""

    weeks: int

    def encode(self) -> str:
        return f"{VERSION}:rep:w:{self.weeks}"


@dataclass(frozen=True)
class ReportConsent:
    """A partner's private answer to a report request: "I agree" or "No, thanks"."""

    request_id: int
    agree: bool

    def encode(self) -> str:
        return f"{VERSION}:rep:{self.request_id}:{'y' if self.agree else 'n'}"


ButtonData = (
    Erase
    | ReportPeriod
    | ReportConsent
    | HistoryOlder
    | MoveAnswer
    | Unpair
    | AcceptDefaultSchedule
    | PickDays
    | PickTime
    | OtherTime
    | ScheduleOff
    | TimeZone
    | ConflictMenu
    | BreakLength
    | Phrase
    | Ready
    | StartGuided
    | StopGuided
    | FirstSteps
    | FirstStepsMenu
    | ChooseLanguage
    | Choose
    | PromiseDue
    | PromiseAction
    | AgreeAnswer
    | AgreeAction
)


def _hist(f: list[str]) -> ButtonData | None:
    if len(f) == 1 and (before := bounded_int(f[0])) is not None:
        return HistoryOlder(before)
    return None


def _move(f: list[str]) -> ButtonData | None:
    if len(f) != 2:
        return None
    from_round, to_round = bounded_int(f[0]), bounded_int(f[1])
    if from_round is None or to_round is None:
        return None
    return MoveAnswer(from_round, to_round)


def _unpair(f: list[str]) -> ButtonData | None:
    if len(f) == 2 and (couple := bounded_int(f[0])) is not None and f[1] in ("y", "n"):
        return Unpair(couple, f[1] == "y")
    return None


def _erase(f: list[str]) -> ButtonData | None:
    if len(f) == 2 and f[0] in ("now", "later", "keep") and (at := bounded_int(f[1])) is not None:
        return Erase(f[0], at)
    return None


def _days(text: str) -> int | None:
    return bounded_int(text, 127)  # seven day bits


def _schedule(f: list[str]) -> ButtonData | None:
    match f:
        case ["off"]:
            return ScheduleOff()
        case ["def", couple] if (couple_id := bounded_int(couple)) is not None:
            return AcceptDefaultSchedule(couple_id)
        case ["d", days] if (chosen := _days(days)) is not None:
            return PickDays(chosen)
        case ["o", days] if (chosen := _days(days)) is not None:
            return OtherTime(chosen)
        case ["t", days, at] if (chosen := _days(days)) is not None and len(at) == 4:
            return PickTime(chosen, at) if bounded_int(at) is not None else None
    return None


def _zone(f: list[str]) -> ButtonData | None:
    # A zone name has no ":"; more fields than one means it is not ours.
    if len(f) == 1 and 0 < len(f[0]) <= 50 and set(f[0]) <= ZONE_CHARS:
        return TimeZone(f[0])
    return None


def _conflict(f: list[str]) -> ButtonData | None:
    if f == ["menu"]:
        return ConflictMenu()
    if len(f) == 1 and 0 < len(f[0]) <= 10 and f[0].isascii() and f[0].isalnum():
        return BreakLength(f[0])
    return None


def _phrase(f: list[str]) -> ButtonData | None:
    if len(f) != 2:
        return None
    break_id, index = bounded_int(f[0]), bounded_int(f[1], 99)
    return Phrase(break_id, index) if break_id is not None and index is not None else None


def _ready(f: list[str]) -> ButtonData | None:
    if len(f) == 2 and (break_id := bounded_int(f[0])) is not None and f[1] in ("y", "m"):
        return Ready(break_id, f[1] == "y")
    return None


def _guided(f: list[str]) -> ButtonData | None:
    if len(f) == 2 and (ident := bounded_int(f[0])) is not None:
        if f[1] == "start":
            return StartGuided(ident)
        if f[1] == "stop":
            return StopGuided(ident)
    return None


def _choose(f: list[str]) -> ButtonData | None:
    if len(f) != 2:
        return None
    round_id, option = bounded_int(f[0]), bounded_int(f[1], 9)
    return Choose(round_id, option) if round_id is not None and option is not None else None


def _first_steps(f: list[str]) -> ButtonData | None:
    if f == ["menu"]:
        return FirstStepsMenu()
    if len(f) == 2 and (ident := bounded_int(f[0])) is not None and f[1] in FirstSteps.ACTIONS:
        return FirstSteps(ident, f[1])
    return None


def _language(f: list[str]) -> ButtonData | None:
    if len(f) == 1 and 2 <= len(f[0]) <= 8 and f[0].isascii() and f[0].isalpha():
        return ChooseLanguage(f[0])
    return None


def _promise(f: list[str]) -> ButtonData | None:
    match f:
        case ["d", ident, choice] if (
            0 < len(choice) <= 10 and choice.isascii() and choice.isalpha()
        ):
            promise_id = bounded_int(ident)
            return PromiseDue(promise_id, choice) if promise_id is not None else None
        case [action, ident] if action in PromiseAction.ACTIONS:
            promise_id = bounded_int(ident)
            return PromiseAction(promise_id, action) if promise_id is not None else None
    return None


def _agreement(f: list[str]) -> ButtonData | None:
    match f:
        case ["a", ident, choice] if choice in ("y", "c", "n"):
            version_id = bounded_int(ident)
            return AgreeAnswer(version_id, choice) if version_id is not None else None
        case [action, ident] if action in AgreeAction.ACTIONS:
            agreement_id = bounded_int(ident)
            return AgreeAction(agreement_id, action) if agreement_id is not None else None


def _report(f: list[str]) -> ButtonData | None:
    match f:
        case ["w", weeks] if (count := bounded_int(weeks, 99)) is not None:
            return ReportPeriod(count)
        case [request, answer] if (ident := bounded_int(request)) is not None and answer in (
            "y",
            "n",
        ):
            return ReportConsent(ident, answer == "y")
    return None


_PARSERS: dict[str, Callable[[list[str]], ButtonData | None]] = {
    "hist": _hist,
    "mv": _move,
    "unpair": _unpair,
    "erase": _erase,
    "sch": _schedule,
    "tz": _zone,
    "cf": _conflict,
    "rp": _phrase,
    "rr": _ready,
    "gc": _guided,
    "fs": _first_steps,
    "lang": _language,
    "rep": _report,
    "ask": _choose,
    "pr": _promise,
    "ag": _agreement,
}


def parse(data: object) -> ButtonData | None:
    """The button this data encodes, or None for anything else (missing, empty, foreign)."""
    if not isinstance(data, str) or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    version, _, rest = data.partition(":")
    tag, _, fields = rest.partition(":")
    if version != VERSION or tag not in _PARSERS or not fields:
        return None
    return _PARSERS[tag](fields.split(":"))

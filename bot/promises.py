"""Promises: a small, concrete promise with a due moment, and how it went, seen by both.

Trust comes back through actions repeated over time. One partner promises something in their
own words; the other is told kindly and may say they saw it. At the due moment (in the
promiser's zone) both are asked privately how it went, the partner at the same moment unless
it is night where they are (then at 08:00 their time). Both answers are revealed together once
both chose: the double-blind rule is bot.asks's (kind "promise", subject_id = the promise), and
nothing here decides a reveal. "Not this time" is met with warmth and an offer to talk; no
score, streak or percentage is ever shown.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import ask_kinds, asks, callbacks, holds
from bot.models import Button, Couple, Person, storable
from bot.schedule_rules import local_instant, parse_pause, parse_schedule, zone_or_none
from bot.storage.db import Database, in_batches
from bot.storage.promises import Promise
from bot.storage.rounds import Answer, Round
from bot.storage.unit import Unit
from bot.texts import local_time, plain, t
from bot.zones import zone_of

MAX_WORDS = 400  # characters: a promise is small, and its question must fit one message
RECENT = 5  # finished promises /promises shows
DUE_BATCH = 100
EVENING, LATE_EVENING = time(20, 0), time(21, 0)
NIGHT = (time(22, 0), time(8, 0))  # the partner's night: their ask waits for the morning
MORNING = time(8, 0)
WEEK = timedelta(days=7)
MAX_AHEAD = timedelta(days=366)
MOMENT_WORDS = 3  # the most words a moment parse_due reads has: "So 20 Uhr"
# The common due moments offered as buttons, in order (the "other" button explains typing).
CHOICES = ("tonight", "tomorrow", "sunday", "week")
OUTCOMES = ("kept", "partly", "not")  # the outcome ask's options, in button order


class Outcome(enum.Enum):
    DRAFTED = "drafted"  # words kept; the due moment comes next
    SET = "set"  # open: due at `due`, the partner told
    ACKNOWLEDGED = "acknowledged"
    WITHDRAWN = "withdrawn"
    RENEWED = "renewed"
    WEEKLY = "weekly"  # recurring turned on or off
    NOT_PAIRED = "not_paired"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NO_DRAFT = "no_draft"  # a due moment typed with no promise waiting for one
    BAD_TIME = "bad_time"  # unreadable, past, or more than a year ahead
    STALE = "stale"  # not theirs, not in that state any more, or forged


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    promise_id: int | None = None
    due: datetime | None = None  # in the promiser's zone
    choices: tuple[tuple[str, datetime], ...] = ()  # DRAFTED: (choice, local moment)
    weekly: bool = False


@dataclass(frozen=True)
class Entry:
    """One promise as /promises shows it to one reader."""

    id: int
    mine: bool  # the reader made it
    promiser: str
    text: str
    status: str
    due: datetime | None  # in the reader's zone
    weekly: bool
    acknowledged: bool
    outcomes: tuple[tuple[str, str], ...] = ()  # revealed: (name, option), promiser first


@dataclass(frozen=True)
class Listing:
    open: list[Entry]
    recent: list[Entry]


def due_choices(now: datetime) -> list[tuple[str, datetime]]:
    """The common due moments from `now` (aware, the promiser's zone): tonight 21:00 (while
    an hour is left), tomorrow 20:00, Sunday 20:00 (when that is neither), in a week 20:00."""
    zone = now.tzinfo
    assert isinstance(zone, ZoneInfo)
    today = now.date()

    def at(day: date, moment: time) -> datetime:
        return local_instant(day, moment, zone).astimezone(zone)

    found: list[tuple[str, datetime]] = []
    tonight = at(today, LATE_EVENING)
    if tonight - now >= timedelta(hours=1):
        found.append(("tonight", tonight))
    found.append(("tomorrow", at(today + timedelta(days=1), EVENING)))
    sunday = today + timedelta(days=(6 - today.weekday()) % 7)
    candidate = at(sunday, EVENING)
    if candidate - now < timedelta(hours=1):
        candidate = at(sunday + WEEK, EVENING)
    if all(candidate != moment for _, moment in found):
        found.append(("sunday", candidate))
    found.append(("week", at(today + WEEK, EVENING)))
    return found


def looks_like_moment(words: list[str]) -> bool:
    """Whether words after "when" are meant as a due moment (which parse_due may still refuse,
    and then the person hears so): one word at most, or a few with a time in digits, as every
    moment it reads has. More words without one are a promise that starts with "when"."""
    digits = any(c.isdigit() for word in words for c in word)
    return len(words) <= 1 or (len(words) <= MOMENT_WORDS and digits)


def parse_due(text: str, now: datetime) -> datetime | None:
    """A typed due moment in the promiser's zone: 'sun 20:00', 'friday 8pm', '21:30' (the
    next one), '2026-12-24 18:00', '24.12.2026 18:00', day words in the four languages
    ('вс 20:00', 'domingo 20:00', 'So 20 Uhr'). None when unreadable, not in the future, or
    more than a year ahead."""
    zone = now.tzinfo
    assert isinstance(zone, ZoneInfo)
    words = text.split()
    found: datetime | None = None
    if len(words) >= 2 and (day := parse_pause(words[0], now.date() - timedelta(days=1))):
        schedule = parse_schedule(" ".join(words[1:]))
        if schedule is not None and schedule.days == 0b1111111:
            found = local_instant(day, schedule.at, zone).astimezone(zone)
    else:
        schedule = parse_schedule(text)
        if schedule is not None and not schedule.off:
            for ahead in range(8):
                day = now.date() + timedelta(days=ahead)
                if schedule.on(day):
                    moment = local_instant(day, schedule.at, zone).astimezone(zone)
                    if moment > now:
                        found = moment
                        break
    if found is None or not now < found <= now + MAX_AHEAD:
        return None
    return found


async def _couple_and_zone(
    uow: Unit, user_id: int, default_zone: str
) -> tuple[Couple | None, ZoneInfo]:
    couple = await uow.couples.active_for(user_id, lock=True)
    return couple, await zone_of(uow, user_id, default_zone)


async def draft(db: Database, user_id: int, text: str, now: int, default_zone: str) -> Result:
    """`/promise <words>`: keep the words; the due moment comes next (buttons or typed)."""
    words = " ".join(storable(text).split())
    if not words:
        return Result(Outcome.EMPTY)
    if len(words) > MAX_WORDS:
        return Result(Outcome.TOO_LONG)
    async with db.unit() as uow:
        couple, zone = await _couple_and_zone(uow, user_id, default_zone)
        if couple is None:
            return Result(Outcome.NOT_PAIRED)
        promise_id = await uow.promises.create(couple.id, user_id, words, now, zone=zone.key)
    local = datetime.fromtimestamp(now, UTC).astimezone(zone)
    return Result(Outcome.DRAFTED, promise_id, choices=tuple(due_choices(local)))


async def choose_due(
    db: Database, user_id: int, promise_id: int, choice: str, now: int, default_zone: str
) -> Result:
    """A due-moment button of a draft: only the promiser's, only while it is a draft, and
    the moment its label named when it was offered (with the draft), while still ahead: "in
    a week, Thu 3 Dec" pressed on Saturday is Thu 3 Dec, not Sat 5 Dec."""
    async with db.unit() as uow:
        couple, zone = await _couple_and_zone(uow, user_id, default_zone)
        promise = await uow.promises.get(promise_id) if couple else None
        if couple is None or promise is None:
            return Result(Outcome.STALE)
        # In the zone they were offered in: a /timezone since would move "tomorrow".
        offered_in = zone_or_none(promise.zone or "") or zone
        offered = datetime.fromtimestamp(promise.created_at, UTC).astimezone(offered_in)
        moment = dict(due_choices(offered)).get(choice)
        if moment is None or moment.timestamp() <= now:
            return Result(Outcome.STALE)  # not offered, or passed (tonight, pressed at 23:00)
        return await _set_due(uow, couple, user_id, promise_id, moment, now, default_zone)


async def type_due(db: Database, user_id: int, text: str, now: int, default_zone: str) -> Result:
    """`/promise when <moment>`: the due moment of this person's newest draft, typed."""
    async with db.unit() as uow:
        couple, zone = await _couple_and_zone(uow, user_id, default_zone)
        if couple is None:
            return Result(Outcome.NOT_PAIRED)
        waiting = await uow.promises.latest_draft(couple.id, user_id)
        if waiting is None:
            return Result(Outcome.NO_DRAFT)
        due = parse_due(text, datetime.fromtimestamp(now, UTC).astimezone(zone))
        if due is None:
            return Result(Outcome.BAD_TIME, waiting.id)
        return await _set_due(uow, couple, user_id, waiting.id, due, now, default_zone)


async def _set_due(
    uow: Unit,
    couple: Couple,
    user_id: int,
    promise_id: int,
    due: datetime,
    now: int,
    default_zone: str,
) -> Result:
    promise = await uow.promises.get(promise_id, lock=True)
    if promise is None or promise.couple_id != couple.id or promise.promiser_id != user_id:
        return Result(Outcome.STALE)
    zone = due.tzinfo
    assert isinstance(zone, ZoneInfo)
    due_local = due.replace(tzinfo=None).isoformat(timespec="minutes")
    if not await uow.promises.set_due(
        promise.id, due_local, zone.key, int(due.timestamp()), promise.weekly
    ):
        return Result(Outcome.STALE)  # set already (a second press)
    await _tell_partner(uow, couple, user_id, promise, int(due.timestamp()), now, default_zone)
    return Result(Outcome.SET, promise.id, due, weekly=promise.weekly)


async def _tell_partner(
    uow: Unit,
    couple: Couple,
    user_id: int,
    promise: Promise,
    due_at: int,
    now: int,
    default_zone: str,
) -> None:
    """The partner hears of a promise kindly, in their own zone, and may say they saw it."""
    me, partner = couple.member(user_id), couple.partner_of(user_id)
    zone = await zone_of(uow, partner.id, default_zone)
    when = local_time(datetime.fromtimestamp(due_at, zone), "when", partner.language)
    text = t(
        "promise.partner_told", partner.language, partner=me.first_name, text=promise.text, due=when
    )
    ack = Button(
        t("promise.ack_button", partner.language), callbacks.PromiseAction(promise.id, "a").encode()
    )
    await uow.notify(
        partner, "promise", promise.id, partner.id, text=text, buttons=((ack,),), now=now
    )


async def acknowledge(db: Database, user_id: int, promise_id: int, now: int) -> Result:
    """The partner's "I saw it": the promiser hears it once."""
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        promise = await uow.promises.get(promise_id, lock=True) if couple else None
        if (
            couple is None
            or promise is None
            or promise.couple_id != couple.id
            or promise.promiser_id == user_id
            or not await uow.promises.acknowledge(promise.id, now)
        ):
            return Result(Outcome.STALE)
        promiser = couple.member(promise.promiser_id)
        text = t(
            "promise.acknowledged",
            promiser.language,
            partner=couple.member(user_id).first_name,
            text=promise.text,
        )
        await uow.notify(promiser, "promise-ack", promise.id, text=text, now=now)
    return Result(Outcome.ACKNOWLEDGED, promise_id)


async def withdraw(db: Database, user_id: int, promise_id: int, now: int) -> Result:
    """The promiser takes it back before it is due (the partner is told if they knew)."""
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        promise = await uow.promises.get(promise_id, lock=True) if couple else None
        if couple is None or promise is None or promise.couple_id != couple.id:
            return Result(Outcome.STALE)
        if promise.promiser_id != user_id or promise.status not in ("draft", "open"):
            return Result(Outcome.STALE)
        if promise.due_at is not None and promise.due_at <= now:
            # Due: its outcome is the partner's to give (its ask may wait out a break or a
            # pause), not the promiser's to take back.
            return Result(Outcome.STALE)
        if not await uow.promises.move(promise.id, promise.status, "withdrawn", now):
            return Result(Outcome.STALE)
        if promise.status == "open":
            partner = couple.partner_of(user_id)
            text = t(
                "promise.partner_withdrawn",
                partner.language,
                partner=couple.member(user_id).first_name,
                text=promise.text,
            )
            await uow.notify(partner, "promise-withdrawn", promise.id, text=text, now=now)
    return Result(Outcome.WITHDRAWN, promise_id)


async def set_weekly(db: Database, user_id: int, promise_id: int, on: bool, now: int) -> Result:
    """Make a promise recurring weekly (or not): the next one is made when this one is asked."""
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        promise = await uow.promises.get(promise_id, lock=True) if couple else None
        if couple is None or promise is None or promise.couple_id != couple.id:
            return Result(Outcome.STALE)
        if promise.promiser_id != user_id or promise.status not in ("draft", "open"):
            return Result(Outcome.STALE)
        await uow.promises.set_weekly(promise.id, on)
        zone = ZoneInfo(promise.zone) if promise.zone else None
        due = datetime.fromtimestamp(promise.due_at, zone) if promise.due_at and zone else None
    return Result(Outcome.WEEKLY, promise_id, due, weekly=on)


async def renew(db: Database, user_id: int, promise_id: int, now: int, default_zone: str) -> Result:
    """ "Again next week": the same words, due a week after the last due moment (the same
    local time), or the first such moment still ahead."""
    async with db.unit() as uow:
        couple, zone = await _couple_and_zone(uow, user_id, default_zone)
        promise = await uow.promises.get(promise_id) if couple else None
        if couple is None or promise is None or promise.couple_id != couple.id:
            return Result(Outcome.STALE)
        if promise.promiser_id != user_id or promise.status != "done":
            return Result(Outcome.STALE)
        if await uow.promises.renewal_of(promise.id) is not None:
            return Result(Outcome.STALE)  # renewed already (a second press)
        due = _week_after(promise, now, zone)
        new_id = await uow.promises.create(
            couple.id, user_id, promise.text, now, weekly=promise.weekly, renewed_from=promise.id
        )
        renewed = await uow.promises.get(new_id)
        assert renewed is not None
        result = await _set_due(uow, couple, user_id, new_id, due, now, default_zone)
    return Result(Outcome.RENEWED, new_id, result.due, weekly=renewed.weekly)


def _week_after(promise: Promise, now: int, zone: ZoneInfo) -> datetime:
    """The promise's local due time a week on, moved by whole weeks until it is ahead, in
    `zone`: the promiser's now (after a move, "every Sunday at 20:00" is 20:00 where they
    are, not where they were)."""
    local = datetime.fromisoformat(promise.due_local or "1970-01-01T20:00")
    day, at = local.date(), local.time()
    while True:
        day += WEEK
        moment = local_instant(day, at, zone)
        if moment.timestamp() > now:
            return moment.astimezone(zone)


async def listing(db: Database, user_id: int, default_zone: str) -> Listing | None:
    """Open promises (by due moment) and the latest finished ones with their revealed
    outcomes, for one reader; None when not paired."""
    async with db.read() as uow:
        couple = await uow.couples.active_for(user_id)
        if couple is None:
            return None
        zone = await zone_of(uow, user_id, default_zone)
        waiting, done = await uow.promises.listing(couple.id, user_id, RECENT)
        outcomes = {p.id: await _revealed(uow, p) for p in done}

    def entry(p: Promise) -> Entry:
        due = datetime.fromtimestamp(p.due_at, zone) if p.due_at is not None else None
        return Entry(
            p.id,
            p.promiser_id == user_id,
            couple.member(p.promiser_id).first_name,
            p.text,
            p.status,
            due,
            p.weekly,
            p.acknowledged_at is not None,
            tuple(
                (couple.member(uid).first_name, option)
                for uid, option in sorted(
                    outcomes.get(p.id, {}).items(), key=lambda item: item[0] != p.promiser_id
                )
                if couple.has(uid)
            ),
        )

    return Listing([entry(p) for p in waiting], [entry(p) for p in done])


async def run_due(db: Database, now: int, default_zone: str) -> int:
    """Open the outcome ask of each promise whose due moment came; held while the couple has
    paused check-ins or a break runs. A weekly promise gets its next one now."""

    async def act(uow: Unit, promise: Promise) -> int:
        couple = await uow.couples.get(promise.couple_id)
        active = couple is not None and await uow.couples.is_active(couple.id)
        if couple is None or not active or not couple.has(promise.promiser_id):
            await uow.promises.move(promise.id, "open", "cancelled", now)  # the pairing ended
            return 0
        if await holds.held(uow, couple.id, now):
            await uow.promises.hold(promise.id, now + holds.HOLD_RECHECK)
            return 0
        round_id = await _open_outcome(uow, couple, promise, now, default_zone)
        await uow.promises.asked(promise.id, round_id)
        if promise.weekly:
            await _next_week(uow, couple, promise, now, default_zone)
        return 1

    return await in_batches(db, DUE_BATCH, lambda uow, n: uow.promises.due(now, n), act)


async def _next_week(
    uow: Unit, couple: Couple, promise: Promise, now: int, default_zone: str
) -> None:
    due = _week_after(promise, now, await zone_of(uow, promise.promiser_id, default_zone))
    zone = due.tzinfo
    assert isinstance(zone, ZoneInfo)
    new_id = await uow.promises.create(
        couple.id, promise.promiser_id, promise.text, now, weekly=True, renewed_from=promise.id
    )
    due_local = due.replace(tzinfo=None).isoformat(timespec="minutes")
    await uow.promises.set_due(new_id, due_local, zone.key, int(due.timestamp()), True)


async def partner_moment(uow: Unit, partner: Person, due_at: int, default_zone: str) -> int:
    """When the partner is asked: at the due moment, unless it is night where they are
    (22:00-08:00 their time): then at the next 08:00 their time."""
    zone = await zone_of(uow, partner.id, default_zone)
    local = datetime.fromtimestamp(due_at, UTC).astimezone(zone)
    start, end = NIGHT
    if not (local.time() >= start or local.time() < end):
        return due_at
    day = local.date() + timedelta(days=1) if local.time() >= start else local.date()
    return int(local_instant(day, MORNING, zone).timestamp())


# -- the outcome ask: bot.asks does the asking, the keeping private and the reveal ---------------


async def _question(uow: Unit, current: Round, language: str, reader: int) -> str:
    """The promiser is asked "How did it go with your promise …?", the partner "Did you feel
    Ana's promise was kept …?". Words erased or past keeping: said so. Plain text: bot.asks
    escapes it where it fills it in."""
    promise = await uow.promises.get(current.subject_id) if current.subject_id else None
    couple = await uow.couples.get(current.couple_id)
    if promise is None or not promise.text or couple is None:
        return plain("promise.ask_removed", language)
    if reader == promise.promiser_id:
        return plain("promise.ask_mine", language, text=promise.text)
    name = couple.member(promise.promiser_id).first_name if couple.has(promise.promiser_id) else ""
    return plain("promise.ask", language, partner=name, text=promise.text)


async def _after_reveal(
    uow: Unit, couple: Couple, current: Round, answers: dict[int, Answer], now: int
) -> None:
    """Both chose (the caller's transaction): the promise is done. "Not this time" from
    either is met with warmth and an offer to talk, to both, never a judgement; the promiser
    may promise it again."""
    promise = await uow.promises.of_round(current.id)
    if promise is None or not await uow.promises.move(promise.id, "asked", "done", now):
        return
    if any(answer.choice == "not" for answer in answers.values()):
        for person in (couple.a, couple.b):
            text = t("promise.not_this_time", person.language)
            await uow.notify(person, "promise-not", promise.id, person.id, text=text, now=now)
    if promise.weekly or not couple.has(promise.promiser_id):
        return  # a weekly one comes again by itself
    promiser = couple.member(promise.promiser_id)
    again = Button(
        t("promise.renew_button", promiser.language),
        callbacks.PromiseAction(promise.id, "r").encode(),
    )
    text = t("promise.renew_offer", promiser.language, text=promise.text)
    await uow.notify(promiser, "promise-again", promise.id, text=text, buttons=((again,),), now=now)


KIND = ask_kinds.register(
    ask_kinds.Kind(
        "promise", _question, options=OUTCOMES, labels="promise.option", after_reveal=_after_reveal
    )
)


async def _open_outcome(
    uow: Unit, couple: Couple, promise: Promise, now: int, default_zone: str
) -> int:
    """Ask both how it went: the promiser at the due moment, the partner then too unless it
    is night where they are (then at 08:00 their time). An ask that was held comes now, to
    each unless it is night where they are. The ask's round."""
    due = promise.due_at if promise.due_at is not None else now
    moment = max(now, due)  # later than due: it was held (a pause, a break), or the bot was down
    promiser, partner = couple.member(promise.promiser_id), couple.partner_of(promise.promiser_id)
    when = {
        # The promiser chose the due moment; a later one may fall in their night too.
        promiser.id: due
        if moment == due
        else await partner_moment(uow, promiser, moment, default_zone),
        partner.id: await partner_moment(uow, partner, moment, default_zone),
    }
    return await asks.open_ask(uow, couple, KIND.name, when=when, now=now, subject_id=promise.id)


async def _revealed(uow: Unit, promise: Promise) -> dict[int, str]:
    """{person: the option they chose} of a promise's revealed outcome ask."""
    if promise.round_id is None:
        return {}
    current = await uow.rounds.get(promise.round_id)
    if current is None or current.status != "revealed":
        return {}
    answers = await uow.rounds.answers(current.id)
    return {uid: a.choice for uid, a in answers.items() if a.choice in OUTCOMES}

"""The weekly safety rating: "How safe did you feel with each other this week?" 1-5, asked
double-blind through the asks primitive (bot.asks, kind "rating"), revealed once both rated.
Ratings live in rounds and answers, so /export, /delete, retention and encryption cover them.

On while both partners opted in (/options rating on). Asked on the couple's weekday (Sunday
unless they chose another) at the couple's check-in time in each partner's own zone; held while
check-ins are paused or a conflict break runs, and asked once that is over. The ratings join
the /progress chart and the report as one line per partner (a registered source).
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta

from bot import ask_kinds, asks, holds, progress
from bot.models import Couple
from bot.schedule_rules import DEFAULT_TIME, Schedule, local_instant, next_slot, parse_schedule
from bot.storage.db import Database
from bot.storage.rounds import Round
from bot.storage.unit import Unit
from bot.texts import day_name, plain, t
from bot.zones import zone_of

KIND = "rating"
SUNDAY = 6
OPTIONS = ("1", "2", "3", "4", "5")
HOLD = holds.HOLD_RECHECK  # paused or in a break: look again then
OPEN_FOR = 6 * 24 * 3600  # a week's rating closes before the next is asked
DUE_BATCH = 200


async def _question(uow: Unit, current: Round, language: str, reader: int) -> str:
    """The same question for both partners; plain text (bot.asks escapes it where used)."""
    return plain("ratings.question", language)


RATING = ask_kinds.register(
    ask_kinds.Kind(name=KIND, question=_question, options=OPTIONS, labels="ratings.option")
)


class Outcome(enum.Enum):
    SAVED = "saved"
    NOT_PAIRED = "not_paired"
    INVALID = "invalid"


def weekday_of(word: str) -> int | None:
    """A single day word in any of the four languages ("fri", "пятница", "domingo"), 0-6."""
    found = parse_schedule(f"{word} 20:00")
    if found is None or found.days.bit_count() != 1:
        return None
    return found.days.bit_length() - 1


async def _check_in_time(uow: Unit, couple: Couple) -> time:
    row = await uow.schedules.get(couple.id)
    if row is None:
        return DEFAULT_TIME
    hours, minutes = row.local_time.split(":")
    return time(int(hours), int(minutes))


async def _next(
    uow: Unit, couple: Couple, weekday: int, after: int, default_zone: str, start: date | None
) -> tuple[date, int] | None:
    """The next slot (the local date, and the earlier partner's moment) after `after`."""
    zones = [await zone_of(uow, p.id, default_zone) for p in (couple.a, couple.b)]
    at = await _check_in_time(uow, couple)
    found = next_slot(Schedule(1 << weekday, at), zones, datetime.fromtimestamp(after, UTC), start)
    return None if found is None else (found[0], int(found[1].timestamp()))


async def plan(
    uow: Unit, couple: Couple, now: int, default_zone: str, weekday: int | None = None
) -> None:
    """(Re)plan the couple's next rating from now (both opted in, or the day changed)."""
    if weekday is None:
        weekday = await uow.progress.rating_weekday(couple.id)
    weekday = SUNDAY if weekday is None else weekday
    found = await _next(uow, couple, weekday, now, default_zone, None)
    slot, due = (found[0].isoformat(), found[1]) if found else (None, None)
    await uow.progress.plan_rating(couple.id, weekday, slot, due, now)


async def set_weekday(
    db: Database, user_id: int, weekday: int, now: int, default_zone: str
) -> Outcome:
    """Either partner moves the couple's rating day; the other is told."""
    if not 0 <= weekday <= 6:
        return Outcome.INVALID
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        if couple is None:
            return Outcome.NOT_PAIRED
        await plan(uow, couple, now, default_zone, weekday)
        me, partner = couple.member(user_id), couple.partner_of(user_id)
        text = t(
            "ratings.day_changed",
            partner.language,
            partner=me.first_name,
            day=day_name(weekday, partner.language),
        )
        await uow.notify(partner, "ratings-day", couple.id, partner.id, now, text=text, now=now)
    return Outcome.SAVED


async def follow_zones(uow: Unit, couple: Couple, now: int, default_zone: str) -> None:
    """A partner moved: the planned rating opens at the earlier of its two moments in the
    zones of now (each is asked at their own when it opens), not the moments of the zones it
    was planned in. Its slot stays: a rating asked already never comes twice."""
    planned = await uow.progress.rating_plan(couple.id)
    if planned is None:
        return
    weekday, slot, _ = planned
    moments = await _moments(uow, couple, date.fromisoformat(slot), default_zone)
    await uow.progress.plan_rating(couple.id, weekday, slot, max(now, min(moments.values())), now)


async def _moments(uow: Unit, couple: Couple, day: date, default_zone: str) -> dict[int, int]:
    """Each partner's moment for the rating of `day`: the check-in time, in their zone."""
    at = await _check_in_time(uow, couple)
    return {
        person.id: int(
            local_instant(day, at, await zone_of(uow, person.id, default_zone)).timestamp()
        )
        for person in (couple.a, couple.b)
    }


async def due(db: Database, now: int, default_zone: str) -> int:
    """Ask the ratings due by `now` (each partner at their own moment); how many were asked."""
    asked = 0
    async with db.unit() as uow:
        for couple_id, weekday, slot, due_at in await uow.progress.due_ratings(now, DUE_BATCH):
            couple = await uow.couples.get(couple_id)
            active = couple is not None and await uow.couples.is_active(couple_id)
            if not active or not await progress.both_chose(uow, couple, "rating"):  # type: ignore[arg-type]
                await uow.progress.drop_rating(couple_id)
                continue
            assert couple is not None
            if await holds.held(uow, couple.id, now):  # the rule every ask shares
                await uow.progress.hold_rating(couple_id, due_at, now + HOLD)
                continue
            day = date.fromisoformat(slot)
            moments = await _moments(uow, couple, day, default_zone)
            when = {person: max(now, moment) for person, moment in moments.items()}
            await asks.open_ask(uow, couple, KIND, when=when, now=now, closes_at=now + OPEN_FOR)
            asked += 1
            following = await _next(
                uow, couple, weekday, max(now, due_at), default_zone, day + timedelta(days=1)
            )
            await uow.progress.plan_rating(
                couple_id,
                weekday,
                following[0].isoformat() if following else None,
                following[1] if following else None,
                now,
            )
    return asked


@progress.source
async def _ratings(uow: Unit, couple: Couple, bounds: list[tuple[int, int]]) -> list:
    """One line per partner: how safe each felt, week by week (their own rating)."""
    found = await uow.progress.revealed_ratings(couple.id, bounds[0][0], bounds[-1][1])
    values: dict[int, list[float | None]] = {
        p.id: [None] * len(bounds) for p in (couple.a, couple.b)
    }
    for round_id, opened_at in found:
        week = next(i for i, (start, end) in enumerate(bounds) if start <= opened_at < end)
        for user_id, answer in (await uow.rounds.answers(round_id)).items():
            if user_id in values and answer.choice in OPTIONS:
                values[user_id][week] = float(answer.choice)
    return [
        progress.Series("safety", tuple(values[p.id]), "rating", p.first_name, always=False)
        for p in (couple.a, couple.b)
    ]

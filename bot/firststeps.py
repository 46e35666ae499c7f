"""First steps after a breach: acknowledge, take responsibility, decide together.

An offer, never a push: right after pairing (and from /help and /firststeps) both are offered
it; it begins when both said yes. Then, one stage at a time, each a double-blind ask (the
check-in rounds machinery through bot.asks, so nothing reaches the partner before both
answered): roles (optional), acknowledge, responsibility and impact, decide. What comes next is
a row with a due time (`first_steps.next_at`, `remind_at`): a restart changes nothing.

The daily check-in offer comes once first steps finish, stop or are declined.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta

from bot import ask_kinds, asks, promises, scheduling
from bot import firststeps_words as words
from bot.callbacks import FirstSteps
from bot.models import Button, Couple
from bot.schedule_rules import local_instant
from bot.storage import outbox
from bot.storage.db import Database, in_batches
from bot.storage.firststeps import Journey
from bot.storage.rounds import Answer, Round
from bot.storage.unit import Unit
from bot.texts import local_time, t
from bot.zones import zone_of

PACES = ("daily", "ready")
REMIND_AFTER = 2 * 24 * 3600  # one gentle reminder, two days after a step reached them
ASK_AGAIN_AFTER = 7 * 24 * 3600  # "not sure yet": asked again a week later
ROLES, ACKNOWLEDGE, RESPONSIBILITY, DECIDE = range(4)  # the stages
DUE_BATCH = 100
BREAK_RECHECK = 15 * 60  # after a break's nudge: until both are ready to talk
# Every notice of first steps is keyed "firststeps:<what>:…": one private kind for discreet mode.
KIND = "firststeps"


class Outcome(enum.Enum):
    OFFERED = "offered"  # /firststeps: here is the offer (buttons to begin or not)
    RUNNING = "running"  # /firststeps: under way (a button to stop)
    ASKED = "asked"  # the first yes: the partner is asked
    WAITING = "waiting"  # said yes already; the partner has not yet
    STARTED = "started"  # the second yes: it begins
    DECLINED = "declined"
    STOPPED = "stopped"
    TIME_SET = "time_set"
    NOT_PAIRED = "not_paired"
    STALE = "stale"


@dataclass(frozen=True)
class View:
    """What the person is shown: an outcome, and for /firststeps its text and buttons."""

    outcome: Outcome
    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    partner: str = ""


def offer_buttons(journey_id: int, language: str) -> tuple[tuple[Button, ...], ...]:
    def button(key: str, action: str) -> tuple[Button, ...]:
        return (Button(t(key, language), FirstSteps(journey_id, action).encode()),)

    return (
        button("firststeps.begin_daily", "daily"),
        button("firststeps.begin_ready", "ready"),
        button("firststeps.not_now", "no"),
    )


def _stop_buttons(journey_id: int, language: str) -> tuple[tuple[Button, ...], ...]:
    data = FirstSteps(journey_id, "stop").encode()
    return ((Button(t("firststeps.stop_button", language), data),),)


async def offer_after_pairing(uow: Unit, couple: Couple, now: int) -> None:
    """Right after pairing (caller's transaction): both are offered first steps."""
    journey_id = await uow.firststeps.create(couple.id, now, shared=True)
    for person in (couple.a, couple.b):
        text = t("firststeps.offer", person.language)
        buttons = offer_buttons(journey_id, person.language)
        await uow.notify(
            person, KIND, "offer", journey_id, person.id, text=text, buttons=buttons, now=now
        )


async def show(db: Database, user_id: int, now: int) -> View:
    """/firststeps: the offer (a new one when none is under way), or where the couple is."""
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        if couple is None:
            return View(Outcome.NOT_PAIRED)
        me = couple.member(user_id)
        journey = await uow.firststeps.live_for(couple.id)
        if journey is None:
            journey_id = await uow.firststeps.create(couple.id, now, shared=False)
            text = t("firststeps.offer", me.language)
            return View(Outcome.OFFERED, text, offer_buttons(journey_id, me.language))
        if journey.status == "offered":
            if journey.first_yes == user_id:
                partner = couple.partner_of(user_id).first_name
                return View(Outcome.WAITING, partner=partner)
            text = t("firststeps.offer", me.language)
            return View(Outcome.OFFERED, text, offer_buttons(journey.id, me.language))
        text = t(
            "firststeps.status",
            me.language,
            stage=journey.stage,
            pace=_pace_words(journey, me.language),
        )
        return View(Outcome.RUNNING, text, _stop_buttons(journey.id, me.language))


def _pace_words(journey: Journey, language: str) -> str:
    if journey.pace == "ready":
        return t("firststeps.pace_ready", language)
    at = local_time(_clock(journey.local_time), "clock", language)
    return t("firststeps.pace_daily", language, time=at)


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


async def _own(uow: Unit, user_id: int, journey_id: int) -> tuple[Couple, Journey] | None:
    """The journey, if it is this person's couple's (the couple held first)."""
    couple = await uow.couples.active_for(user_id, lock=True)
    journey = await uow.firststeps.get(journey_id)
    if couple is None or journey is None or journey.couple_id != couple.id:
        return None
    return couple, journey


async def say_yes(db: Database, user_id: int, journey_id: int, pace: str, now: int) -> View:
    """A "yes" with a pace. The first asks the partner; the second begins it, once."""
    if pace not in PACES:
        return View(Outcome.STALE)
    async with db.unit() as uow:
        found = await _own(uow, user_id, journey_id)
        if found is None or found[1].status != "offered":
            return View(Outcome.STALE)
        couple, journey = found
        me, partner = couple.member(user_id), couple.partner_of(user_id)
        if journey.first_yes == user_id:
            return View(Outcome.WAITING, partner=partner.first_name)
        if journey.first_yes is None:
            if not await uow.firststeps.first_yes(journey_id, user_id, pace):
                return View(Outcome.STALE)
            text = t(
                "firststeps.partner_asks",
                partner.language,
                partner=me.first_name,
                pace=_pace_words(_with_pace(journey, pace), partner.language),
            )
            await uow.notify(
                partner, KIND, "asked", journey_id, partner.id, text=text, now=now,
                buttons=offer_buttons(journey_id, partner.language),
            )  # fmt: skip
            return View(Outcome.ASKED, partner=partner.first_name)
        if not await uow.firststeps.begin(journey_id, user_id, pace, now):
            return View(Outcome.STALE)
        journey = _with_pace(journey, pace)
        for person in (couple.a, couple.b):
            text = t(
                "firststeps.begins", person.language, pace=_pace_words(journey, person.language)
            )
            await uow.notify(person, KIND, "begins", journey_id, person.id, text=text, now=now)
        await _stage_due(uow, couple, journey_id, ROLES, now, now)
    return View(Outcome.STARTED, partner=partner.first_name)


def _with_pace(journey: Journey, pace: str) -> Journey:
    return replace(journey, pace=pace)


async def decline(db: Database, user_id: int, journey_id: int, now: int) -> View:
    """ "Not now": nothing begins; the partner is told gently; check-ins are offered."""
    async with db.unit() as uow:
        found = await _own(uow, user_id, journey_id)
        if found is None:
            return View(Outcome.STALE)
        couple, journey = found
        if not await uow.firststeps.finish(journey_id, "declined", now, was="offered"):
            return View(Outcome.STALE)
        me, partner = couple.member(user_id), couple.partner_of(user_id)
        # Told only if they knew of it: offered both after pairing, or asked by a first yes.
        if journey.shared or journey.first_yes is not None:
            text = t("firststeps.partner_declined", partner.language, partner=me.first_name)
            await uow.notify(partner, KIND, "declined", journey_id, partner.id, text=text, now=now)
        await offer_checkins(uow, couple, now)
    return View(Outcome.DECLINED, partner=partner.first_name)


async def stop(db: Database, user_id: int, journey_id: int, now: int) -> View:
    """Stop first steps at any point: the open step's unrevealed answers are deleted unread,
    nothing more is due, the partner is told without blame, check-ins are offered."""
    async with db.unit() as uow:
        found = await _own(uow, user_id, journey_id)
        if found is None:
            return View(Outcome.STALE)
        couple, journey = found
        if not await uow.firststeps.finish(journey_id, "stopped", now, was="running"):
            return View(Outcome.STALE)
        if journey.round_id is not None:
            await _stop_round(uow, journey.round_id, now)
        me, partner = couple.member(user_id), couple.partner_of(user_id)
        text = t("firststeps.partner_stopped", partner.language, partner=me.first_name)
        await uow.notify(partner, KIND, "stopped", journey_id, partner.id, text=text, now=now)
        await offer_checkins(uow, couple, now)
    return View(Outcome.STOPPED, partner=partner.first_name)


async def set_time(db: Database, user_id: int, at: time, now: int) -> View:
    """`/firststeps 21:30`: the time of day the next steps come, each in their own zone."""
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        if couple is None:
            return View(Outcome.NOT_PAIRED)
        journey = await uow.firststeps.live_for(couple.id)
        private = journey is not None and not journey.shared and journey.first_yes is None
        if journey is None or private:
            # An offer one of them asked for and nobody said yes to is no one's yet: its time
            # is set after a "yes", and either way this says nothing about whether it exists.
            return View(Outcome.STALE)
        # From the next step on: one already planned keeps its moment.
        await uow.firststeps.set_time(journey.id, at.strftime("%H:%M"))
        me, partner = couple.member(user_id), couple.partner_of(user_id)
        clock = local_time(at, "clock", partner.language)
        text = t("firststeps.partner_time", partner.language, partner=me.first_name, time=clock)
        await uow.notify(partner, KIND, "time", journey.id, partner.id, now, text=text, now=now)
    return View(Outcome.TIME_SET, partner=partner.first_name)


async def offer_checkins(uow: Unit, couple: Couple, now: int) -> None:
    """First steps are over (finished, stopped, declined): now the daily check-in offer,
    unless the couple has a schedule already."""
    if await uow.schedules.get(couple.id) is None:
        await scheduling.offer_default(uow, couple, now)


async def _stage_due(
    uow: Unit, couple: Couple, journey_id: int, stage: int, at: int, now: int
) -> None:
    """`stage` comes next: at `at` exactly, opened now when that is now (roles; "when we're
    both ready")."""
    await uow.firststeps.set_next(journey_id, stage, at, plan="at")
    if at <= now:
        journey = await uow.firststeps.get(journey_id)
        assert journey is not None
        await _open_due(uow, couple, journey, now, {p.id: now for p in (couple.a, couple.b)})


async def _open_due(
    uow: Unit, couple: Couple, journey: Journey, now: int, when: dict[int, int]
) -> None:
    """Open the journey's due stage at each partner's moment, unless a conflict break is
    under way: then it waits until the break is over."""
    until = await _break_runs(uow, couple.id, now)
    if until is not None:  # then it comes to both at once, when the break is over
        await uow.firststeps.plan(journey.id, until, "at")
        return
    round_id = await open_stage(uow, couple, journey, when, now)
    await uow.firststeps.opened(journey.id, round_id, max(when.values()) + REMIND_AFTER)


async def _break_runs(uow: Unit, couple_id: int, now: int) -> int | None:
    """While a conflict break runs, when to look again; None when none runs. A break runs
    until both are ready to talk (and told so) or its 24 hours are over: while cooling, until
    its nudge; after the nudge, a quarter of an hour at a time."""
    pause = await uow.breaks.active_for(couple_id, now)
    if pause is None or pause.limit_at <= now:
        return None
    if pause.status == "cooling":
        return max(pause.ends_at, now + 60)
    return min(pause.limit_at, now + BREAK_RECHECK)


async def open_stage(
    uow: Unit, couple: Couple, journey: Journey, when: dict[int, int], now: int
) -> int:
    """Open the stage's double-blind ask; its round id. Steps never expire."""
    kind, step = {
        ROLES: (ROLES_KIND.name, None),
        ACKNOWLEDGE: (STEP_KIND.name, ACKNOWLEDGE),
        RESPONSIBILITY: (STEP_KIND.name, RESPONSIBILITY),
        DECIDE: (DECIDE_KIND.name, None),
    }[journey.stage]
    return await asks.open_ask(
        uow, couple, kind, when=when, now=now, subject_id=journey.id, step=step
    )


async def _stop_round(uow: Unit, round_id: int, now: int) -> None:
    """The open step ends unread, with the reminders still queued about it (first steps
    keep their own, keyed by the journey's kind, which asks.stop does not know)."""
    seen = await uow.rounds.participants(round_id)
    if await asks.stop(uow, round_id, now):
        await uow.outbox.cancel_pending(
            [outbox.dedupe_key(KIND, "remind", round_id, user_id) for user_id in seen]
        )


async def _journey_of(uow: Unit, current: Round) -> Journey | None:
    """The running journey a revealed stage belongs to (it may have been stopped meanwhile)."""
    if current.subject_id is None:
        return None
    journey = await uow.firststeps.get(current.subject_id)
    if journey is None or journey.status != "running" or journey.round_id != current.id:
        return None
    return journey


async def _advance(uow: Unit, couple: Couple, journey: Journey, stage: int, now: int) -> None:
    """The next stage: at once when both are ready for it, else at the next local time."""
    if journey.pace == "ready":
        await _stage_due(uow, couple, journey.id, stage, now, now)
    else:
        await uow.firststeps.set_next(journey.id, stage, now, plan="later")


async def _roles_revealed(
    uow: Unit, couple: Couple, current: Round, answers: dict[int, Answer], now: int
) -> None:
    journey = await _journey_of(uow, current)
    if journey is None:
        return
    roles, hurt_id = words.resolve({uid: _choice(a) for uid, a in answers.items()})
    await uow.firststeps.set_roles(journey.id, roles, hurt_id)
    for person in (couple.a, couple.b):
        if hurt_id is None:
            text = t("firststeps.roles_both", person.language)
        else:
            hurt, caused = couple.member(hurt_id), couple.partner_of(hurt_id)
            text = t(
                "firststeps.roles_split", person.language,
                hurt=hurt.first_name, caused=caused.first_name,
            )  # fmt: skip
        await uow.notify(person, KIND, "roles", current.id, person.id, text=text, now=now)
    await _advance(uow, couple, journey, ACKNOWLEDGE, now)


async def _step_revealed(
    uow: Unit, couple: Couple, current: Round, answers: dict[int, Answer], now: int
) -> None:
    journey = await _journey_of(uow, current)
    if journey is not None:
        await _advance(uow, couple, journey, journey.stage + 1, now)


async def _decided(
    uow: Unit, couple: Couple, current: Round, answers: dict[int, Answer], now: int
) -> None:
    """Both decided: both yes, a warm note and three next steps; any no, letting go; else
    (any "not sure") patience, and the same question again in a week."""
    journey = await _journey_of(uow, current)
    if journey is None:
        return
    decisions = {_choice(a) for a in answers.values()}
    if "no" in decisions:
        await uow.firststeps.finish(journey.id, "parted", now, was="running")
        if await uow.schedules.get(couple.id) is not None:
            await uow.schedules.set_pause(couple.id, scheduling.FOREVER)  # never ends by itself
        for person in (couple.a, couple.b):
            text = f"{t('firststeps.no', person.language)}\n\n" + t(
                "firststeps.letting_go", person.language
            )
            await uow.notify(person, KIND, "no", current.id, person.id, text=text, now=now)
    elif decisions == {"yes"}:
        await uow.firststeps.finish(journey.id, "done", now, was="running")
        for person in (couple.a, couple.b):
            await uow.notify(
                person, KIND, "yes", current.id, person.id, now=now,
                text=t("firststeps.both_yes", person.language),
                buttons=_next_buttons(journey.id, person.language),
            )  # fmt: skip
    else:
        await uow.firststeps.set_next(journey.id, DECIDE, now + ASK_AGAIN_AFTER, plan="at")
        for person in (couple.a, couple.b):
            text = t("firststeps.unsure", person.language)
            await uow.notify(person, KIND, "unsure", current.id, person.id, text=text, now=now)


def _next_buttons(journey_id: int, language: str) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        (Button(t(f"firststeps.next_{c}_button", language), FirstSteps(journey_id, c).encode()),)
        for c in ("schedule", "promise", "agree")
    )


def _choice(answer: Answer) -> str:
    """The option a person chose in a choice ask (both have, once it is revealed)."""
    return answer.choice or ""


ROLES_KIND = ask_kinds.register(
    ask_kinds.Kind(
        "fs-roles",
        words.roles_question,
        options=words.ROLE_CHOICES,
        labels="firststeps.role",
        after_reveal=_roles_revealed,
    )
)
STEP_KIND = ask_kinds.register(
    ask_kinds.Kind("firststep", words.step_question, after_reveal=_step_revealed)
)
DECIDE_KIND = ask_kinds.register(
    ask_kinds.Kind(
        "fs-decide",
        words.decide_question,
        options=words.DECISIONS,
        labels="firststeps.decide",
        after_reveal=_decided,
    )
)


async def _moments(
    uow: Unit, couple: Couple, journey: Journey, after: int, default_zone: str
) -> dict[int, int]:
    """Each partner's next `local_time`, in their own zone, after `after`."""
    at = _clock(journey.local_time)
    moments = {}
    for person in (couple.a, couple.b):
        zone = await zone_of(uow, person.id, default_zone)
        local = datetime.fromtimestamp(after, UTC).astimezone(zone)
        for days in range(3):
            instant = int(local_instant(local.date() + timedelta(days=days), at, zone).timestamp())
            if instant > after:
                break
        moments[person.id] = instant
    return moments


async def run_due(db: Database, now: int, default_zone: str) -> int:
    """Stages whose time has come (planned in each partner's zone first), and reminders."""

    async def next_stage(uow: Unit, journey: Journey) -> int:
        couple = await uow.couples.get(journey.couple_id)
        if couple is None or not await uow.couples.is_active(couple.id):
            await uow.firststeps.end_for_couple(journey.couple_id, now)
            return 0
        assert journey.next_at is not None
        if journey.plan == "later":  # one a day: the earlier of the two partners' moments
            moments = await _moments(uow, couple, journey, journey.next_at, default_zone)
            await uow.firststeps.plan(journey.id, min(moments.values()), "local")
            if min(moments.values()) > now:
                return 1
            journey = replace(journey, next_at=min(moments.values()), plan="local")  # come
        if journey.plan == "local":
            when = await _moments(uow, couple, journey, journey.next_at - 1, default_zone)
            when = {uid: max(now, at) for uid, at in when.items()}
        else:  # after a break, or a week on: at once, unless it is night where they are
            when = {
                p.id: await promises.partner_moment(uow, p, now, default_zone)
                for p in (couple.a, couple.b)
            }
        await _open_due(uow, couple, journey, now, when)
        return 1

    async def remind(uow: Unit, journey: Journey) -> int:
        couple = await uow.couples.get(journey.couple_id)
        if couple is None or journey.round_id is None:
            await uow.firststeps.clear_reminder(journey.id)
            return 0
        until = await _break_runs(uow, couple.id, now)
        if until is not None:
            await uow.firststeps.postpone_reminder(journey.id, until)
            return 0
        await uow.firststeps.clear_reminder(journey.id)
        current = await uow.rounds.get(journey.round_id)
        if current is None or current.status != "open":
            return 0
        answered = await uow.rounds.answers(journey.round_id)
        waiting = [p for p in (couple.a, couple.b) if p.id not in answered]
        for person in waiting:
            text = t("firststeps.reminder", person.language)
            await uow.notify(
                person, KIND, "remind", journey.round_id, person.id, text=text, now=now,
                round_id=journey.round_id,
            )  # fmt: skip
        return len(waiting)

    opened = await in_batches(
        db, DUE_BATCH, lambda uow, n: uow.firststeps.due_next(now, n), next_stage
    )
    reminded = await in_batches(
        db, DUE_BATCH, lambda uow, n: uow.firststeps.due_remind(now, n), remind
    )
    return opened + reminded


async def next_step(db: Database, user_id: int, journey_id: int, choice: str) -> View:
    """After both said yes: one of the three gentle next steps, for this person only."""
    async with db.read() as uow:
        couple = await uow.couples.active_for(user_id)
        journey = await uow.firststeps.get(journey_id)
    if couple is None or journey is None or journey.couple_id != couple.id:
        return View(Outcome.STALE)
    if journey.status != "done":
        return View(Outcome.STALE)
    language = couple.member(user_id).language
    if choice == "schedule":
        text = t("schedule.offer", language)
        return View(Outcome.OFFERED, text, scheduling.offer_buttons(couple.id, language))
    if choice in ("promise", "agree"):
        # /promise and /agree are their own features: pointed to by name.
        return View(Outcome.OFFERED, t(f"firststeps.next_{choice}", language))
    return View(Outcome.STALE)

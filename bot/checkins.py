"""Check-in rounds: one prompt for both partners, answers hidden until both replied.

The reveal rule lives here and only here: storing an answer and deciding the reveal happen in
one write transaction, and the round leaves 'open' exactly once, so two answers arriving
together, a retry, or a restart can give one reveal and never an early one.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Coroutine
from dataclasses import dataclass, replace
from typing import Any

from bot import ask_kinds, guided, prompts
from bot.long_text import escaped_blocks, paginate
from bot.models import Couple, Outgoing, Person, storable
from bot.schedule_rules import paused_at
from bot.storage import outbox, rounds
from bot.storage.db import Database, in_batches, in_one_trip
from bot.storage.schedules import ScheduleRow
from bot.storage.unit import Unit
from bot.texts import amount, plain, t

HISTORY_PAGE = 3
DUE_BATCH = 200
# Telegram clients split a text over 4096 characters into several messages: a message within
# JOIN_SECONDS of a part at least LONG_PART long continues it, and a reveal waits that long.
LONG_PART = 4000
JOIN_SECONDS = 3


class StartOutcome(enum.Enum):
    STARTED = "started"
    ALREADY_OPEN = "already_open"
    ON_ITS_WAY = "on_its_way"  # open, but this person's prompt has not reached them yet
    NOT_PAIRED = "not_paired"


class AnswerOutcome(enum.Enum):
    SAVED = "saved"  # kept private; the partner is told one is waiting
    REPLACED = "replaced"  # an earlier answer to the same round was replaced
    REVEALED = "revealed"  # the second answer: both now see both
    EMPTY = "empty"
    CLOSED = "closed"  # a reply to a round that is no longer open
    NO_ROUND = "no_round"
    NOT_PAIRED = "not_paired"
    IGNORED = "ignored"  # an edit of a message that is not an open answer
    DUPLICATE = "duplicate"  # the same Telegram update again (redelivered after a restart)
    STALE = "stale"  # a "file it under" button for a round or answer that is gone
    JOINED = "joined"  # the next part of a long answer, added to it
    HELD = "held"  # both answered; the reveal waits a few seconds for a long answer's next part
    # Not stored yet: a newer question is on its way to this person right now, and the message
    # may be about it. Asked with `in_flight_waits`; ask again once delivery has recorded it.
    IN_FLIGHT = "in_flight"


@dataclass(frozen=True)
class StartResult:
    outcome: StartOutcome
    prompt: str | None = None
    answered: bool = False  # ALREADY_OPEN: whether the asker has answered already
    partner: str = ""
    round_id: int | None = None  # ALREADY_OPEN: the round its reply quotes (see record_quote)


@dataclass(frozen=True)
class AnswerResult:
    outcome: AnswerOutcome
    partner: Person | None = None
    # SAVED / REPLACED: the round it was filed under and its question in the author's language,
    # and the other open rounds they have received, (id, question), to move it to instead.
    round_id: int | None = None
    question: str = ""
    others: tuple[tuple[int, str], ...] = ()
    reveal_at: int | None = None  # HELD: when the reveal is due
    # SAVED / REPLACED: words for an ask with options whose author has not chosen one yet:
    # kept, but it is the choice that answers it (the partner has not been told).
    choose_too: bool = False
    of_ask: bool = False  # CLOSED: the reply quotes an ask's question, not a check-in's


@dataclass(frozen=True)
class HistoryPage:
    pages: list[str]  # messages, each within Telegram's limit; empty when nothing was revealed
    older_than: int | None  # pass back for the next page; None when this is the last
    stale: bool = False  # an "older" button of another pairing's history: nothing to page


async def start_round(
    db: Database, user_id: int, now: int, rng: random.Random | None = None
) -> StartResult:
    """`/checkin`: open a round now unless one is open."""
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        if couple is None:
            return StartResult(StartOutcome.NOT_PAIRED)
        language = couple.member(user_id).language
        current = await uow.rounds.open_for(couple.id)
        if current is not None and current.closes_at <= now:
            # Its window ended and the tick has not closed it yet: close it as the tick would,
            # rather than offer a question nobody may answer any more.
            await close_round(uow, current, now)
            current = None
        if current is not None:
            partner = couple.partner_of(user_id).first_name
            seen = await uow.rounds.participants(current.id)
            if user_id in seen and seen[user_id][1] is None:
                # Its prompt waits for this person's local time (or a retry): not shown early.
                return StartResult(StartOutcome.ON_ITS_WAY, partner=partner)
            answered = user_id in await uow.rounds.answers(current.id)
            text = prompt_text(current, language)
            return StartResult(StartOutcome.ALREADY_OPEN, text, answered, partner, current.id)
        prompt = await open_round(uow, couple, now, rng)
        return StartResult(StartOutcome.STARTED, prompt.text(language))


async def open_round(
    uow: Unit,
    couple: Couple,
    now: int,
    rng: random.Random | None = None,
    *,
    deliver_at: dict[int, int] | None = None,
    slot: str | None = None,
) -> prompts.Prompt:
    """Create a round with the couple's next prompt and queue it for both (caller's transaction).

    `deliver_at` holds each partner's own moment (their local time); the window runs from the
    later of the two, so both get the whole window.
    """
    used, last, roles = await in_one_trip(
        uow.rounds.used_prompts(couple.id),
        uow.rounds.last_category(couple.id),
        uow.firststeps.roles_of(couple.id),
    )
    prompt, new_pass = prompts.choose(used, last, rng, roles)
    when = {p.id: max(now, (deliver_at or {}).get(p.id, now)) for p in (couple.a, couple.b)}
    closes_at, remind_at = await window_from(uow, couple, max(when.values()))
    round_id = await uow.rounds.create(
        couple.id, prompt.id, prompt.category, now, closes_at, remind_at, slot
    )
    await uow.rounds.add_participants(round_id, when)
    # Queued by id, rendered for each reader at send time (prompts.message).
    messages = [(round_id, p.id, when[p.id], prompt.id, couple.id) for p in (couple.a, couple.b)]
    await in_one_trip(
        *([uow.rounds.forget_prompts(couple.id)] if new_pass else []),
        uow.rounds.record_prompt(couple.id, prompt.id, now),
        uow.outbox.enqueue_prompts(messages, now),
    )
    return prompt


def waiting_notice(current: rounds.Round, language: str, answered_by: str) -> str:
    """ "Ana has answered" for the partner, in their language, named for the round's kind."""
    if ask_kinds.get(current.kind) is not None:
        key = "asks.partner_answered"
    elif current.kind == "repair":
        key = "guided.partner_waiting"
    else:
        key = "checkin.partner_waiting"
    return t(key, language, partner=answered_by)


async def window_from(uow: Unit, couple: Couple, latest: int) -> tuple[int, int | None]:
    """(closes_at, remind_at) of a check-in whose later prompt goes at `latest`: the couple's
    window from then, and its reminder before the round's real end (remind_moment)."""
    window, reminder_before = await uow.rounds.round_options(couple.id)
    closes_at = latest + window
    next_opens = _closing_slot(await uow.schedules.get(couple.id))
    return closes_at, remind_moment(closes_at, next_opens, reminder_before, latest)


def _closing_slot(schedule: ScheduleRow | None) -> int | None:
    """When the couple's next scheduled slot opens a round (and so closes the open one); None
    when it will not: none, paused past it, or skipped."""
    if schedule is None or schedule.next_due_at is None or schedule.skip_next:
        return None
    if paused_at(schedule.paused_until, schedule.next_due_at):
        return None
    return schedule.next_due_at


def remind_moment(
    closes_at: int, next_opens: int | None, reminder_before: int | None, latest: int
) -> int | None:
    """When to remind the one who has not answered: `reminder_before` the round's real end,
    which is its window's end or, sooner, its couple's next scheduled slot (which closes it:
    with partners six hours apart on a daily schedule, the reminder fell at that very moment,
    after the round had closed). None without a reminder, or when the window is shorter
    than its lead (after `latest`, the later partner's prompt)."""
    if not reminder_before:
        return None
    ends = closes_at if next_opens is None or next_opens <= latest else min(closes_at, next_opens)
    moment = ends - reminder_before
    return moment if moment > latest else None


class NoLongerOpen(Exception):
    """The round left 'open' under us (another process revealed or closed it): roll back."""


async def answer(
    db: Database,
    person: Person,
    text: str,
    message_id: int | None,
    now: int,
    *,
    reply_to: int | None = None,
    edited: bool = False,
    written_at: int | None = None,
    in_flight_waits: bool = False,
) -> AnswerResult:
    """Store a text answer (or an edit of one) and reveal when it is the second.

    `written_at`: when the person sent it (Telegram's date). A plain message answers only a
    question that had reached them by then, though it may be handled a moment later.
    `in_flight_waits`: store nothing (IN_FLIGHT) while a newer question than the one a plain
    message would go to is being sent to this person: it may be what they answer."""
    text = storable(text)
    written = now if written_at is None else written_at
    try:
        async with db.unit() as uow:
            couple, (candidates, already) = await in_one_trip(
                uow.couples.active_for(person.id, lock=True),
                uow.rounds.open_for_answer(person.id, message_id, written),
            )
            if couple is None:
                return AnswerResult(AnswerOutcome.NOT_PAIRED)
            partner = couple.partner_of(person.id)
            # A client sends only the first part of a split text as a reply: a reply (or an
            # edit, or a message seen before) says itself which answer it is, and never joins.
            plain = not edited and already is None and reply_to is None
            # A long answer's next part joins it even just past the window's end: the part
            # before was in time, and the reveal waits for this one (close_round reveals it).
            continued = _continued(candidates, person.id, written) if plain else None
            if continued is not None and text.strip():
                return await _add_part(
                    uow, couple, person, continued, candidates, text, message_id, now, written
                )
            candidates = [c for c in candidates if c.open]
            target = await _target_round(
                uow, person.id, candidates, already, message_id, reply_to, edited, written_at,
                in_flight_waits,
            )  # fmt: skip
            if isinstance(target, AnswerOutcome):
                closed = target is AnswerOutcome.CLOSED
                of_ask = closed and await _quotes_an_ask(uow, person.id, reply_to)
                return AnswerResult(target, partner, of_ask=of_ask)
            if not text.strip():
                return AnswerResult(AnswerOutcome.EMPTY, partner)
            current, answers = target
            others = _others(candidates, current.id)
            if edited and (whole := await _replace_part(uow, current, person.id, text, message_id)):
                mine = answers[person.id]
                return await _store(
                    uow, couple, person, current, answers, whole, mine.message_id, now, others,
                    last_part_len=mine.last_part_len, part_at=mine.part_written, keep_parts=True,
                )  # fmt: skip
            # An edit is no new part: a long answer edited keeps when its part was written.
            had = answers.get(person.id) if edited else None
            return await _store(
                uow, couple, person, current, answers, text, message_id, now, others,
                part_at=had.part_written if had else written,
            )  # fmt: skip
    except NoLongerOpen:
        return AnswerResult(AnswerOutcome.CLOSED)


async def move_answer(
    db: Database, person: Person, from_round: int, to_round: int, now: int
) -> AnswerResult:
    """File this person's answer under another open round they have received (a button on
    the acknowledgement), before either is revealed."""
    try:
        async with db.unit() as uow:
            couple, (candidates, _) = await in_one_trip(
                uow.couples.active_for(person.id, lock=True),
                uow.rounds.open_for_answer(person.id, None, now),
            )
            by_id = {c.round.id: c for c in candidates if c.received and c.open}
            source, target = by_id.get(from_round), by_id.get(to_round)
            if couple is None or source is None or target is None or source is target:
                return AnswerResult(AnswerOutcome.STALE)
            mine = source.answers.get(person.id)
            if mine is None or not mine.text:  # an ask's choice alone: no words to move
                return AnswerResult(AnswerOutcome.STALE)
            partner = couple.partner_of(person.id)
            parts = await uow.rounds.answer_parts(from_round, person.id)  # a long one's parts
            if mine.choice is None:
                await uow.rounds.delete_answer(from_round, person.id)
                # "Your partner answered" for the first round is withdrawn if not gone yet.
                waiting = outbox.dedupe_key("waiting", from_round, partner.id)
                await uow.outbox.cancel_pending([waiting])
            else:  # the word beside an ask's choice moves; the choice stays, and still counts
                await uow.rounds.set_answer_parts(from_round, person.id, [])
                await uow.rounds.save_answer(from_round, person.id, "", None, now)
            await uow.rounds.set_answer_parts(to_round, person.id, parts)
            others = _others(candidates, to_round)
            return await _store(
                uow, couple, person, target.round, target.answers, mine.text, mine.message_id,
                now, others, last_part_len=mine.last_part_len, part_at=mine.part_written,
                keep_parts=True,
            )  # fmt: skip
    except NoLongerOpen:
        return AnswerResult(AnswerOutcome.STALE)


def _others(candidates: list[rounds.Candidate], filed_under: int) -> list[rounds.Round]:
    """Other open rounds this person has received: where else an answer could go."""
    return [c.round for c in candidates if c.received and c.round.id != filed_under]


async def _store(
    uow: Unit,
    couple: Couple,
    person: Person,
    current: rounds.Round,
    answers: dict[int, rounds.Answer],
    text: str,
    message_id: int | None,
    now: int,
    others: list[rounds.Round],
    *,
    last_part_len: int | None = None,
    part_at: int | None = None,
    keep_parts: bool = False,
) -> AnswerResult:
    """Save the answer in `current` (caller's transaction); reveal when it is the second.

    `keep_parts`: `text` is the join of a long answer's parts (kept in answer_parts); otherwise
    it is one message, and replaces any earlier answer, parts and all."""
    partner = couple.partner_of(person.id)
    # An ask's choice alone has no words: the first word beside it replaces nothing.
    replaced = person.id in answers and bool(answers[person.id].text)
    part_len = len(text) if last_part_len is None else last_part_len
    part_at = now if part_at is None else part_at  # when its latest message was written
    if replaced and not keep_parts:
        await uow.rounds.set_answer_parts(current.id, person.id, [])
    save = uow.rounds.save_answer(current.id, person.id, text, message_id, now, part_len, part_at)
    had = answers.get(person.id)
    chosen = had.choice if had else None  # a word beside an ask's choice
    answers[person.id] = rounds.Answer(person.id, text, message_id, now, part_len, chosen, part_at)
    if both_answered(current, couple, answers):
        wait_until = wait_for_more(answers, now)
        if wait_until is not None:
            await save
            await uow.rounds.set_reveal_at(current.id, wait_until)
            return AnswerResult(AnswerOutcome.HELD, partner, reveal_at=wait_until)
        await reveal(uow, couple, current, answers, now, save)
        return AnswerResult(AnswerOutcome.REVEALED, partner)
    await save
    kind = ask_kinds.get(current.kind)
    if not replaced and not (kind and kind.options):  # an ask's choice tells the partner
        notice = waiting_notice(current, partner.language, person.first_name)
        # Never before the partner's own prompt: it may wait for their local time, and the
        # outbox keeps one chat's messages in order of when they are meant to go out.
        seen = await uow.rounds.participants(current.id)
        if partner.id not in await uow.rounds.withdrawn(current.id):  # paused: not news now
            their_prompt = seen[partner.id][0] if partner.id in seen else now
            await uow.notify(
                partner, "waiting", current.id, partner.id, text=notice, due_at=their_prompt,
                now=now,
            )  # fmt: skip
    outcome = AnswerOutcome.REPLACED if replaced else AnswerOutcome.SAVED
    return AnswerResult(
        outcome,
        partner,
        round_id=current.id,
        question=await question_of(uow, current, person.language, person.id),
        others=tuple(
            [(r.id, await question_of(uow, r, person.language, person.id)) for r in others]
        ),
        choose_too=bool(kind and kind.options) and chosen is None,
    )


def both_answered(current: rounds.Round, couple: Couple, answers: dict[int, rounds.Answer]) -> bool:
    """Whether a round may be revealed: both answered it, or, for an ask with options, both
    chose one (a word beside the choice is never waited for)."""
    kind = ask_kinds.get(current.kind)
    mine, theirs = answers.get(couple.a.id), answers.get(couple.b.id)
    if mine is None or theirs is None:
        return False
    if kind is None and current.kind not in ("checkin", "repair"):
        return False  # an ask this process cannot judge (its feature not loaded): never early
    return not (kind and kind.options) or bool(mine.choice and theirs.choice)


async def reveal(
    uow: Unit,
    couple: Couple,
    current: rounds.Round,
    answers: dict[int, rounds.Answer],
    now: int,
    save: Coroutine[Any, Any, None] | None = None,
    *,
    claim: bool = True,
) -> None:
    """Reveal `current` to both (caller's transaction). `claim`: what may go out at once is
    marked in flight, and sent straight after the commit (the unit's hand-off to delivery);
    the rest waits for the delivery loop. `save`: the answer's own write, sent along."""
    reveal = await _reveal_messages(uow, couple, current, answers)
    keys = [m.dedupe_key for m in reveal]
    # The round leaves 'open' exactly once, by this statement's own condition: whoever else
    # got there first (another process, another engine), this reveal does not happen.
    if not await uow.rounds.finish(current.id, "revealed", now):
        if save is not None:
            save.close()  # never run: the transaction rolls back
        raise NoLongerOpen
    trip = [*([save] if save is not None else []), uow.outbox.enqueue_all(reveal, now)]
    if claim:
        trip.append(uow.outbox.claim(keys, now))  # sent straight after the commit
    await in_one_trip(*trip)
    kind = ask_kinds.get(current.kind)
    if current.kind == "repair":
        await guided.after_reveal(uow, couple, current, now)
    elif kind is not None and kind.after_reveal is not None:
        await kind.after_reveal(uow, couple, current, answers, now)


def wait_for_more(answers: dict[int, rounds.Answer], now: int) -> int | None:
    """When a reveal may go, if an answer's latest part was long and recent (more may come)."""
    waits = [
        a.updated_at + JOIN_SECONDS
        for a in answers.values()
        if a.last_part_len >= LONG_PART and a.updated_at + JOIN_SECONDS > now
    ]
    return max(waits) if waits else None


def _continued(
    candidates: list[rounds.Candidate], user_id: int, written: int
) -> rounds.Candidate | None:
    """The open round whose answer by this person a new message (written at `written`)
    continues, if any: its latest part was long enough to be one of several that a client
    split, and written just before. By when both were written, not handled: a backlog after
    downtime is handled in one burst. A reveal held for the next part waits by handling time
    (wait_for_more); once it has gone, the round is no longer open, and nothing joins."""
    for candidate in candidates:
        mine = candidate.answers.get(user_id)
        recent = mine is not None and 0 <= written - mine.part_written < JOIN_SECONDS
        if recent and mine.last_part_len >= LONG_PART:
            return candidate
    return None


def _joined(parts: list[tuple[int | None, str]]) -> str:
    return "\n".join(text for _, text in parts)


async def _replace_part(
    uow: Unit, current: rounds.Round, user_id: int, text: str, message_id: int | None
) -> str | None:
    """An edit of one part of a long answer replaces that part only: the whole answer after
    it, or None when the edited message is not such a part."""
    parts = await uow.rounds.answer_parts(current.id, user_id)
    if not any(part_id == message_id for part_id, _ in parts):
        return None
    parts = [(pid, text if pid == message_id else old) for pid, old in parts]
    await uow.rounds.set_answer_parts(current.id, user_id, parts)
    return _joined(parts)


async def _add_part(
    uow: Unit,
    couple: Couple,
    person: Person,
    continued: rounds.Candidate,
    candidates: list[rounds.Candidate],
    text: str,
    message_id: int | None,
    now: int,
    written: int,
) -> AnswerResult:
    """The next part of a long answer (written at `written`): joined to it, never a new
    answer."""
    current = continued.round
    mine = continued.answers[person.id]
    parts = await uow.rounds.answer_parts(current.id, person.id) or [(mine.message_id, mine.text)]
    parts.append((message_id, text))
    await uow.rounds.set_answer_parts(current.id, person.id, parts)
    result = await _store(
        uow, couple, person, current, continued.answers, _joined(parts), message_id, now,
        _others([c for c in candidates if c.open], current.id), last_part_len=len(text),
        part_at=written, keep_parts=True,
    )  # fmt: skip
    if result.outcome is AnswerOutcome.REPLACED:
        return replace(result, outcome=AnswerOutcome.JOINED)
    return result


async def reveal_due(db: Database, now: int) -> int:
    """Rounds whose reveal waited for a long answer's next part: reveal them now."""

    async def reveal_one(uow: Unit, current: rounds.Round) -> int:
        couple = await uow.couples.get(current.couple_id)
        answers = await uow.rounds.answers(current.id)
        if couple is None or not both_answered(current, couple, answers):
            await uow.rounds.set_reveal_at(current.id, None)
            return 0
        wait_until = wait_for_more(answers, now)
        if wait_until is not None:
            await uow.rounds.set_reveal_at(current.id, wait_until)
            return 0
        await reveal(uow, couple, current, answers, now, claim=False)  # the loop sends it
        return 1

    try:
        return await in_batches(
            db, DUE_BATCH, lambda uow, n: uow.rounds.due_to_reveal(now, n), reveal_one
        )
    except NoLongerOpen:
        return 0


async def reveal_held(uow: Unit, couple: Couple, current: rounds.Round, now: int) -> bool:
    """Reveal an open round both have answered (a reveal held for a long answer's next part)
    before it is closed or its couple ends: both earned it. False when it was not such a round."""
    answers = await uow.rounds.answers(current.id)
    if not both_answered(current, couple, answers):
        return False
    await reveal(uow, couple, current, answers, now, claim=False)
    return True


async def _target_round(
    uow: Unit,
    user_id: int,
    candidates: list[rounds.Candidate],
    already: int | None,
    message_id: int | None,
    reply_to: int | None,
    edited: bool,
    written_at: int | None = None,
    in_flight_waits: bool = False,
) -> tuple[rounds.Round, dict[int, rounds.Answer]] | AnswerOutcome:
    """Which open round this message answers (with its answers so far), or why it answers none.

    Only rounds this person has received: Telegram accepted a message quoting the question
    to them. A reply answers the round of the message it replies to; a plain message the
    newest round received; an edit only the round that message answered.
    """
    if not candidates and message_id is not None:
        already = await uow.rounds.answered_message(user_id, message_id)
    if edited:
        # An edit counts only for the round that message answered, while it is open.
        return _with_answers(candidates, already) or AnswerOutcome.IGNORED
    if already is not None:
        return AnswerOutcome.DUPLICATE  # already stored: never let it answer a later round
    if reply_to is not None:
        round_id = await uow.rounds.round_of_message(user_id, reply_to)
        if round_id is not None:
            return _with_answers(candidates, round_id) or AnswerOutcome.CLOSED
    for candidate in candidates:  # newest first
        if in_flight_waits and candidate.in_flight:
            return AnswerOutcome.IN_FLIGHT
        seen_by_then = written_at is None or (candidate.received_at or 0) <= written_at
        if candidate.received and seen_by_then:
            return candidate.round, candidate.answers
    return AnswerOutcome.NO_ROUND


async def _quotes_an_ask(uow: Unit, user_id: int, reply_to: int | None) -> bool:
    """Whether a reply quotes the question of an ask (not a check-in or a guided step)."""
    round_id = None if reply_to is None else await uow.rounds.round_of_message(user_id, reply_to)
    current = None if round_id is None else await uow.rounds.get(round_id)
    return current is not None and current.kind not in ("checkin", "repair")


def _with_answers(
    candidates: list[rounds.Candidate], round_id: int | None
) -> tuple[rounds.Round, dict[int, rounds.Answer]] | None:
    """The open round `round_id` of this couple, if it is one."""
    for candidate in candidates:
        if candidate.round.id == round_id:
            return candidate.round, candidate.answers
    return None


async def _reveal_messages(
    uow: Unit, couple: Couple, current: rounds.Round, answers: dict[int, rounds.Answer]
) -> list[Outgoing]:
    """Both partners' copies of the reveal, each split to fit Telegram's limit. Always the
    couple's, even when queued as it ends (a held reveal both earned): erasing either partner
    withdraws it while it waits."""
    return [
        outbox.notice(person, "reveal", current.id, person.id, part, text=page, couple_id=couple.id)
        for person in (couple.a, couple.b)
        for part, page in enumerate(
            await round_pages(
                uow, current, couple, answers, person.language, "checkin.reveal_title", person.id
            )
        )
    ]


async def round_pages(
    uow: Unit,
    current: rounds.Round,
    couple: Couple,
    answers: dict[int, rounds.Answer],
    language: str,
    title_key: str,
    reader: int,
) -> list[str]:
    """A revealed round as its reader sees it: the question, then each answer (an ask's
    choice in the reader's words, and the word beside it)."""
    prompt = await question_of(uow, current, language, reader)
    kind = ask_kinds.get(current.kind)
    blocks = [t(title_key, language, prompt=prompt)]
    for member in (couple.a, couple.b):
        label = t("checkin.answer_label", language, name=member.first_name)
        answer = answers.get(member.id)  # gone: that partner erased their data
        if answer is None:
            blocks += escaped_blocks(label, t("history.removed_answer", language))
        elif kind is not None and kind.options and answer.choice in kind.options:
            chosen = t("asks.chosen", language, name=member.first_name,
                       choice=kind.label(answer.choice, language))  # fmt: skip
            blocks += escaped_blocks(chosen, answer.text) if answer.text.strip() else [chosen]
        else:
            blocks += escaped_blocks(label, answer.text)
    return paginate(blocks)


async def question_of(uow: Unit, current: rounds.Round, language: str, reader: int) -> str:
    """A round's question as `reader` reads it, whatever its kind (an ask's may read its
    subject, and be worded for who is asked)."""
    kind = ask_kinds.get(current.kind)
    if kind is not None:
        return await kind.question(uow, current, language, reader)
    if current.kind not in ("checkin", "repair"):  # its feature is not loaded in this process
        return plain("asks.a_question", language)
    return prompt_text(current, language)


def prompt_text(current: rounds.Round, language: str) -> str:
    """A check-in's question from the prompt library, or a guided repair step's text."""
    return question_text(current.kind, current.prompt_id, current.step, language)


def question_text(kind: str, prompt_id: str, step: int | None, language: str) -> str:
    if kind == "repair":
        return t(f"guided.step_{step}", language)
    return prompts.library()[prompt_id].text(language)


async def record_quote(
    db: Database, user_id: int, round_id: int, message_id: int, now: int
) -> None:
    """A direct reply quoting a round's question ("already open") reached this person."""
    async with db.unit() as uow:
        await uow.rounds.record_quote(round_id, user_id, message_id, now)


async def has_open_round(db: Database, user_id: int, now: int) -> bool:
    """Whether a question this person has received is open: one still on its way to them is
    not theirs to answer yet, and saying otherwise would tell them it is coming."""
    async with db.read() as uow:
        candidates, _ = await uow.rounds.open_for_answer(user_id, None, now)
        return any(candidate.received and candidate.open for candidate in candidates)


async def close_due(db: Database, now: int) -> int:
    """Close rounds whose window ended: unmatched answers are deleted unread."""

    async def close(uow: Unit, current: rounds.Round) -> int:
        await close_round(uow, current, now)
        return 1

    return await in_batches(db, DUE_BATCH, lambda uow, n: uow.rounds.due_to_close(now, n), close)


async def close_round(
    uow: Unit, current: rounds.Round, now: int, *, reveal_held_one: bool = True
) -> None:
    """Expire an open round (caller's transaction); tell both, kindly, if it was still open.

    A round both answered is not expired but revealed: its reveal was only waiting a few
    seconds for a long answer's next part. Unless `reveal_held_one` is False (a new break
    closes a guided step: nothing of it is revealed inside the quiet just asked for)."""
    couple = await uow.couples.get(current.couple_id)
    if reveal_held_one and couple is not None and await reveal_held(uow, couple, current, now):
        return
    if not await uow.rounds.finish(current.id, "expired", now):
        return
    await uow.rounds.delete_answers(current.id)
    if couple is None:
        return
    notice_key = {"repair": "guided.closed", "checkin": "checkin.closed"}.get(
        current.kind, "asks.closed"
    )
    # Someone who never received the round (their prompt waits for their local time, or for a
    # retry) is not told it closed: its prompt and "your partner answered" are withdrawn.
    seen = await uow.rounds.participants(current.id)
    never_saw = {uid for uid, (_, received_at) in seen.items() if received_at is None}
    await uow.outbox.cancel_round_news(current.id, never_saw)
    for person in (couple.a, couple.b):
        if person.id in never_saw:
            continue
        # An ask's notice names its question: several of one kind may be open at once.
        values: dict[str, str] = {}
        if notice_key == "asks.closed":
            values["question"] = await question_of(uow, current, person.language, person.id)
        text = t(notice_key, person.language, **values)
        await uow.notify(person, "closed", current.id, person.id, text=text, now=now)


async def withdraw_unreceived(uow: Unit, couple: Couple, now: int) -> None:
    """Check-ins paused or turned off (caller's transaction): the open check-in's question,
    still waiting for someone's local time, is withdrawn with the news and reminder queued
    about it, so no check-in arrives after "paused"; nothing more about it is news to them
    until check-ins are back on (restore_withdrawn). One nobody has received yet ends unread;
    one someone has keeps its window for them (unmatched, it closes unread as any)."""
    current = await uow.rounds.open_for(couple.id)
    if current is None:
        return
    seen = await uow.rounds.participants(current.id)
    never_saw = [uid for uid, (_, received_at) in seen.items() if received_at is None]
    await uow.outbox.cancel_round_news(current.id, never_saw)
    await uow.rounds.withdraw(current.id, never_saw, now)
    if (
        seen
        and len(never_saw) == len(seen)
        and await uow.rounds.finish(current.id, "cancelled", now)
    ):
        await uow.rounds.delete_answers(current.id)


async def restore_withdrawn(uow: Unit, couple: Couple, now: int) -> None:
    """Check-ins back on (caller's transaction): a check-in still open whose question a pause
    withdrew before it reached someone comes to them after all, at their moment or now, with
    the news that the partner answered meanwhile."""
    current = await uow.rounds.open_for(couple.id)
    if current is None or current.closes_at <= now:
        return
    withdrawn = await uow.rounds.withdrawn(current.id)
    if not withdrawn:
        return
    await uow.rounds.restore(current.id)
    seen = await uow.rounds.participants(current.id)
    answers = await uow.rounds.answers(current.id)
    for user_id in withdrawn:
        due = max(now, seen[user_id][0])
        await uow.outbox.restore_prompt(outbox.dedupe_key("prompt", current.id, user_id), due)
        person, partner = couple.member(user_id), couple.partner_of(user_id)
        if partner.id in answers:  # its news was withdrawn too, or never queued
            text = waiting_notice(current, person.language, partner.first_name)
            news = outbox.notice(person, "waiting", current.id, person.id, text=text, due_at=due)
            await uow.outbox.enqueue_again(news, now)


async def expire_rounds(uow: Unit, rounds_of: dict[int, Couple], now: int) -> None:
    """close_round for many open check-in rounds none of which both answered, in sets:
    {round: its couple}. Each partner who received it is told; for one who never did, its
    prompt and notices are withdrawn."""
    if not rounds_of:
        return
    done = await uow.rounds.expire_many(list(rounds_of), now)
    seen = await uow.rounds.participants_many(done)
    withdrawn: list[str] = []
    notices: list[tuple[Outgoing, int]] = []
    for round_id in done:
        couple = rounds_of[round_id]
        never_saw = {uid for uid, received_at in seen.get(round_id, {}).items() if not received_at}
        withdrawn += [
            outbox.dedupe_key(kind, round_id, uid)
            for uid in never_saw
            for kind in ("prompt", "waiting", "remind")
        ]
        for person in (couple.a, couple.b):
            if person.id not in never_saw:
                text = t("checkin.closed", person.language)
                message = outbox.notice(person, "closed", round_id, person.id, text=text)
                notices.append((message, couple.id))
    await uow.outbox.cancel_pending_many(withdrawn)
    await uow.outbox.enqueue_many(notices, now)


async def remind_due(db: Database, now: int) -> int:
    """One gentle reminder to each partner who has not answered an open round."""

    async def remind(uow: Unit, current: rounds.Round) -> int:
        await uow.rounds.clear_reminder(current.id)
        couple = await uow.couples.get(current.couple_id)
        if couple is None:
            return 0
        answered = await uow.rounds.answers(current.id)
        seen = await uow.rounds.participants(current.id)
        # Only someone the question reached: the reminder quotes it, and one withdrawn (a
        # pause) or still waiting for their local time is not theirs to be reminded of.
        waiting = [
            p
            for p in (couple.a, couple.b)
            if p.id not in answered and p.id in seen and seen[p.id][1] is not None
        ]
        for person in waiting:
            prompt = await question_of(uow, current, person.language, person.id)
            text = t("checkin.reminder", person.language, prompt=prompt)
            # Linked to its round: a reply to the reminder answers this round, no other.
            await uow.notify(
                person, "remind", current.id, person.id, text=text, round_id=current.id, now=now
            )
        return len(waiting)

    return await in_batches(db, DUE_BATCH, lambda uow, n: uow.rounds.due_to_remind(now, n), remind)


async def history(db: Database, user_id: int, older_than: int | None) -> HistoryPage | None:
    """A page of the couple's revealed rounds, newest first; None when not paired."""
    async with db.read() as uow:
        couple = await uow.couples.active_for(user_id)
        if couple is None:
            couple = await _last_couple(uow, user_id)  # an ended pairing's history stays theirs
        if couple is None:
            return None
        if older_than is not None:
            cursor = await uow.rounds.get(older_than)
            if cursor is not None and cursor.couple_id != couple.id:
                # An earlier pairing's button: not "nothing here", there may well be.
                return HistoryPage([], None, stale=True)
        page = await uow.rounds.revealed_page(couple.id, older_than, HISTORY_PAGE + 1)
        shown = page[:HISTORY_PAGE]
        language = couple.member(user_id).language
        pages = [
            page_text
            for current in shown
            for page_text in await round_pages(
                uow, current, couple, await uow.rounds.answers(current.id), language,
                "history.entry_title", user_id,
            )
        ]  # fmt: skip
    more = shown[-1].id if len(page) > HISTORY_PAGE else None
    return HistoryPage(pages, more)


async def _last_couple(uow: Unit, user_id: int) -> Couple | None:
    """The person's most recent pairing, after it ended. A partner who erased themselves is
    shown as removed: their answers are gone, and their name with them."""
    found = await uow.couples.last_for(user_id)
    if found is None:
        return None
    couple_id, members = found
    me = next((m for m in members if m.id == user_id), None)
    if me is None:
        return None
    others = [m for m in members if m.id != user_id]
    partner = others[0] if others else Person(0, t("history.removed_partner", me.language))
    return Couple(couple_id, me, partner)


MIN_WINDOW_HOURS, MAX_WINDOW_HOURS = 1, 72


class OptionsOutcome(enum.Enum):
    SAVED = "saved"
    INVALID = "invalid"
    NOT_PAIRED = "not_paired"


async def round_options(db: Database, user_id: int) -> tuple[int, int | None] | None:
    """(window hours, reminder hours before the close or None) for the user's couple."""
    async with db.read() as uow:
        couple = await uow.couples.active_for(user_id)
        if couple is None:
            return None
        window, reminder = await uow.rounds.round_options(couple.id)
    return window // 3600, reminder // 3600 if reminder else None


async def set_window(db: Database, user_id: int, hours: int, now: int) -> OptionsOutcome:
    """How long rounds stay open; a reminder that no longer fits inside is turned off."""
    if not MIN_WINDOW_HOURS <= hours <= MAX_WINDOW_HOURS:
        return OptionsOutcome.INVALID
    return await _save_options(db, user_id, now, window_hours=hours)


async def set_reminder(db: Database, user_id: int, hours: int | None, now: int) -> OptionsOutcome:
    """Hours before the close for the reminder, or None for no reminder."""
    return await _save_options(db, user_id, now, reminder_hours=hours, reminder_given=True)


async def _save_options(
    db: Database,
    user_id: int,
    now: int,
    *,
    window_hours: int | None = None,
    reminder_hours: int | None = None,
    reminder_given: bool = False,
) -> OptionsOutcome:
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        if couple is None:
            return OptionsOutcome.NOT_PAIRED
        window, reminder = await uow.rounds.round_options(couple.id)
        window_hours = window_hours or window // 3600
        if not reminder_given:
            reminder_hours = reminder // 3600 if reminder else None
            if reminder_hours is not None and reminder_hours >= window_hours:
                reminder_hours = None
        if reminder_hours is not None and not 1 <= reminder_hours < window_hours:
            return OptionsOutcome.INVALID
        reminder = reminder_hours * 3600 if reminder_hours else None
        await uow.rounds.set_round_options(couple.id, window_hours * 3600, reminder)
        me, partner = couple.member(user_id), couple.partner_of(user_id)
        text = t(
            "options.partner_changed",
            partner.language,
            partner=me.first_name,
            summary=options_summary(partner.language, window_hours, reminder_hours),
        )
        # One notice per change: the key carries the time and the new values.
        about = (couple.id, partner.id, now, window_hours, reminder_hours)
        await uow.notify(partner, "options", *about, text=text, now=now)
    return OptionsOutcome.SAVED


def options_summary(language: str, window_hours: int, reminder_hours: int | None) -> str:
    window = amount("hours", window_hours, language)
    if reminder_hours is None:
        return t("options.summary_no_reminder", language, window=window)
    reminder = amount("hours", reminder_hours, language)
    return t("options.summary", language, window=window, reminder=reminder)

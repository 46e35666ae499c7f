"""Agreements: boundaries and expectations both partners named, in the same words.

An agreement is active only once the partner accepted the very wording proposed: the storage
rule (`Agreements.accept`) takes a "yes" only for a wording still waiting and only from the
partner who did not propose it, and a new wording supersedes the one waiting, so a "yes" to a
replaced wording changes nothing. Either may propose a revision (the agreement stays as it was
until the other accepts) or ask to retire it (it stays active until the other confirms). Every
wording and every step is kept as its history.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from bot import callbacks
from bot.models import Button, Couple, Person, storable
from bot.storage.agreements import Agreement, Version
from bot.storage.db import Database
from bot.storage.unit import Unit
from bot.texts import local_time, t

MAX_WORDS = 600  # characters: an agreement is a sentence or two


class Outcome(enum.Enum):
    PROPOSED = "proposed"  # waiting for the partner
    ACCEPTED = "accepted"  # active now, in these words
    DECLINED = "declined"
    RETIRE_ASKED = "retire_asked"
    RETIRED = "retired"
    KEPT = "kept"  # the retirement was not confirmed: it stays
    NOT_PAIRED = "not_paired"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNKNOWN = "unknown"  # `/agree #n …` for no agreement of theirs
    STALE = "stale"  # not theirs, no longer waiting, or forged


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    agreement_id: int | None = None
    text: str = ""
    partner: str = ""


@dataclass(frozen=True)
class Entry:
    """One agreement as /agreements shows it."""

    id: int
    status: str
    text: str  # the accepted wording; for a proposal, the one waiting
    since: datetime | None
    pending: str | None  # a wording waiting for an answer
    pending_mine: bool
    retire_asked: bool
    retire_mine: bool
    changes: int  # wordings accepted after the first


def _words(text: str) -> tuple[str, Outcome | None]:
    words = " ".join(storable(text).split())
    if not words:
        return "", Outcome.EMPTY
    if len(words) > MAX_WORDS:
        return "", Outcome.TOO_LONG
    return words, None


def _answer_buttons(version_id: int, language: str) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(
                t("agreement.accept_button", language),
                callbacks.AgreeAnswer(version_id, "y").encode(),
            ),
        ),
        (
            Button(
                t("agreement.change_button", language),
                callbacks.AgreeAnswer(version_id, "c").encode(),
            ),
        ),
        (
            Button(
                t("agreement.decline_button", language),
                callbacks.AgreeAnswer(version_id, "n").encode(),
            ),
        ),
    )


async def _ask_partner(
    uow: Unit, couple: Couple, me: Person, agreement_id: int, version_id: int, text: str,
    key: str, now: int,
) -> None:  # fmt: skip
    partner = couple.partner_of(me.id)
    message = t(key, partner.language, partner=me.first_name, text=text, number=agreement_id)
    await uow.notify(
        partner,
        "agree",
        version_id,
        partner.id,
        text=message,
        now=now,
        buttons=_answer_buttons(version_id, partner.language),
    )


async def propose(db: Database, user_id: int, text: str, now: int) -> Result:
    """`/agree <words>`: a new agreement, waiting for the partner."""
    words, problem = _words(text)
    if problem is not None:
        return Result(problem)
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        if couple is None:
            return Result(Outcome.NOT_PAIRED)
        agreement_id = await uow.agreements.create(couple.id, now)
        version_id = await uow.agreements.propose(agreement_id, words, user_id, now)
        await uow.agreements.record(agreement_id, version_id, user_id, "proposed", now)
        me = couple.member(user_id)
        await _ask_partner(
            uow, couple, me, agreement_id, version_id, words, "agreement.partner_proposed", now
        )
        return Result(Outcome.PROPOSED, agreement_id, words, couple.partner_of(user_id).first_name)


async def _mine(uow: Unit, user_id: int, agreement_id: int) -> tuple[Couple, Agreement] | None:
    """The presser's couple and one of its agreements, both held for this unit."""
    couple = await uow.couples.active_for(user_id, lock=True)
    if couple is None:
        return None
    agreement = await uow.agreements.get(agreement_id, lock=True)
    if agreement is None or agreement.couple_id != couple.id:
        return None
    return couple, agreement


async def change(db: Database, user_id: int, agreement_id: int, text: str, now: int) -> Result:
    """`/agree #n <words>`: another wording for a proposal (a counter-proposal the first must
    accept) or for an active agreement (a revision; the old words hold until accepted)."""
    words, problem = _words(text)
    if problem is not None:
        return Result(problem)
    async with db.unit() as uow:
        found = await _mine(uow, user_id, agreement_id)
        if found is None:
            couple = await uow.couples.active_for(user_id)
            return Result(Outcome.NOT_PAIRED if couple is None else Outcome.UNKNOWN)
        couple, agreement = found
        if agreement.status not in ("proposed", "active"):
            return Result(Outcome.UNKNOWN)
        version_id = await uow.agreements.propose(agreement.id, words, user_id, now)
        what = "revised" if agreement.status == "active" else "changed"
        await uow.agreements.record(agreement.id, version_id, user_id, what, now)
        key = "agreement.partner_revised" if what == "revised" else "agreement.partner_changed"
        await _ask_partner(
            uow, couple, couple.member(user_id), agreement.id, version_id, words, key, now
        )
        return Result(Outcome.PROPOSED, agreement.id, words, couple.partner_of(user_id).first_name)


async def answer(db: Database, user_id: int, version_id: int, yes: bool, now: int) -> Result:
    """The partner's "accept" or gentle "decline" of a wording waiting for them."""
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        version = await uow.agreements.version(version_id) if couple else None
        if couple is None or version is None:
            return Result(Outcome.STALE)
        found = await _mine(uow, user_id, version.agreement_id)
        if found is None:
            return Result(Outcome.STALE)
        _, agreement = found
        if agreement.status not in ("proposed", "active"):
            return Result(Outcome.STALE)  # declined or retired: no wording brings it back
        if yes:
            if not await uow.agreements.accept(version.id, user_id, now):
                return Result(Outcome.STALE)
            await uow.agreements.activate(agreement.id, version.id, now)
            if agreement.status == "active":  # new words: a review asked about the old ones
                await _stop_review(uow, agreement.id, now)
            what, key, outcome = "accepted", "agreement.accepted_proposer", Outcome.ACCEPTED
        else:
            if not await uow.agreements.decline(version.id, user_id, now):
                return Result(Outcome.STALE)
            if agreement.status == "proposed":
                await uow.agreements.finish(agreement.id, "proposed", "declined", now)
            what, key, outcome = "declined", "agreement.declined_proposer", Outcome.DECLINED
        await uow.agreements.record(agreement.id, version.id, user_id, what, now)
        if version.proposed_by is not None and couple.has(version.proposed_by):
            proposer = couple.member(version.proposed_by)
            text = t(
                key, proposer.language, partner=couple.member(user_id).first_name, text=version.text
            )
            await uow.notify(proposer, f"agree-{what}", version.id, text=text, now=now)
        return Result(outcome, agreement.id, version.text, couple.partner_of(user_id).first_name)


async def ask_retire(db: Database, user_id: int, agreement_id: int, now: int) -> Result:
    """Ask to retire an active agreement: it stays active until the other confirms."""
    async with db.unit() as uow:
        found = await _mine(uow, user_id, agreement_id)
        if found is None or found[1].status != "active" or found[1].retire_asked_by is not None:
            return Result(Outcome.STALE)
        couple, agreement = found
        current = await _current(uow, agreement)
        await uow.agreements.ask_retire(agreement.id, user_id, now)
        step = await uow.agreements.record(
            agreement.id, agreement.active_version, user_id, "retire_asked", now
        )
        me, partner = couple.member(user_id), couple.partner_of(user_id)
        lang = partner.language
        buttons = (
            (
                Button(
                    t("agreement.retire_yes", lang),
                    callbacks.AgreeAction(agreement.id, "y").encode(),
                ),
            ),
            (
                Button(
                    t("agreement.retire_no", lang),
                    callbacks.AgreeAction(agreement.id, "k").encode(),
                ),
            ),
        )
        text = t("agreement.partner_retire", lang, partner=me.first_name, text=current)
        await uow.notify(partner, "agree-retire", step, text=text, buttons=buttons, now=now)
        return Result(Outcome.RETIRE_ASKED, agreement.id, current, partner.first_name)


async def confirm_retire(
    db: Database, user_id: int, agreement_id: int, yes: bool, now: int
) -> Result:
    """The other partner confirms the retirement (it ends) or keeps the agreement."""
    async with db.unit() as uow:
        found = await _mine(uow, user_id, agreement_id)
        if found is None:
            return Result(Outcome.STALE)
        couple, agreement = found
        asker = agreement.retire_asked_by
        if agreement.status != "active" or asker is None or asker == user_id:
            return Result(Outcome.STALE)
        current = await _current(uow, agreement)
        if yes:
            await uow.agreements.finish(agreement.id, "active", "retired", now)
            await uow.agreements.supersede_pending(agreement.id, now)
            what, key, outcome = "retired", "agreement.retired_asker", Outcome.RETIRED
            await _stop_review(uow, agreement.id, now)
        else:
            await uow.agreements.ask_retire(agreement.id, None, None)
            what, key, outcome = "retire_kept", "agreement.kept_asker", Outcome.KEPT
        step = await uow.agreements.record(
            agreement.id, agreement.active_version, user_id, what, now
        )
        if couple.has(asker):
            other = couple.member(asker)
            text = t(key, other.language, partner=couple.member(user_id).first_name, text=current)
            await uow.notify(other, f"agree-{what}", step, text=text, now=now)
        return Result(outcome, agreement.id, current, couple.partner_of(user_id).first_name)


async def waiting_for(db: Database, user_id: int, version_id: int) -> int | None:
    """The agreement whose wording `version_id` waits for this person's answer, if it does."""
    async with db.read() as uow:
        couple = await uow.couples.active_for(user_id)
        version = await uow.agreements.version(version_id) if couple else None
        if couple is None or version is None or version.status != "proposed":
            return None
        agreement = await uow.agreements.get(version.agreement_id)
        if agreement is None or agreement.couple_id != couple.id or version.proposed_by == user_id:
            return None
        return agreement.id


async def is_active(db: Database, user_id: int, agreement_id: int) -> bool:
    """An active agreement of this person's couple."""
    async with db.read() as uow:
        couple = await uow.couples.active_for(user_id)
        agreement = await uow.agreements.get(agreement_id) if couple else None
        return (
            couple is not None
            and agreement is not None
            and (agreement.couple_id == couple.id and agreement.status == "active")
        )


async def _current(uow: Unit, agreement: Agreement) -> str:
    if agreement.active_version is None:
        return ""
    version = await uow.agreements.version(agreement.active_version)
    return version.text if version else ""


async def listing(db: Database, user_id: int) -> list[Entry] | None:
    """Active agreements and proposals still waiting, oldest first; None when not paired."""
    async with db.read() as uow:
        couple = await uow.couples.active_for(user_id)
        if couple is None:
            return None
        found = await uow.agreements.of_couple(couple.id, ("proposed", "active"))
        entries = []
        for agreement in found:
            versions = await uow.agreements.versions(agreement.id)
            entries.append(_entry(agreement, versions, user_id))
    return entries


def _entry(agreement: Agreement, versions: list[Version], user_id: int) -> Entry:
    by_id = {v.id: v for v in versions}
    pending = next((v for v in versions if v.status == "proposed"), None)
    active = by_id.get(agreement.active_version) if agreement.active_version else None
    accepted = [v for v in versions if v.accepted_by is not None]
    since = (
        datetime.fromtimestamp(active.decided_at, UTC)
        if active is not None and active.decided_at
        else None
    )
    return Entry(
        agreement.id,
        agreement.status,
        active.text if active else (pending.text if pending else ""),
        since,
        pending.text if pending and active else None,
        pending is not None and pending.proposed_by == user_id,
        agreement.retire_asked_by is not None,
        agreement.retire_asked_by == user_id,
        max(0, len(accepted) - 1),
    )


def since_words(entry: Entry, language: str) -> str:
    return local_time(entry.since.date(), "date", language) if entry.since else ""


async def _stop_review(uow: Unit, agreement_id: int, now: int) -> None:
    """A retired or reworded agreement's open review ends, its answers deleted unread
    (bot.reviews): a verdict given about words no longer theirs is never shown beside the
    new ones. The next month's review asks about the words then."""
    from bot import reviews  # reviews builds on this module

    await reviews.stop_for(uow, agreement_id, now)

"""Pairing two partners through a one-time invite, and ending a pairing."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot import checkins, firststeps, invite_codes, privacy, progress, ratings
from bot.models import Couple, Person
from bot.storage import invites
from bot.storage.db import Database
from bot.storage.unit import Unit
from bot.texts import t

INVITE_TTL = 48 * 3600
FAILURE_WINDOW = 15 * 60
MAX_FAILURES = 5
# /pair at most this often a person: every invite is a row, and nobody needs dozens.
INVITE_LIMIT = 5
INVITE_LIMIT_WINDOW = 3600


class JoinOutcome(enum.Enum):
    PAIRED = "paired"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    REPLACED = "replaced"
    OWN_INVITE = "own_invite"
    ALREADY_PAIRED = "already_paired"
    COOL_OFF = "cool_off"
    NOT_A_CODE = "not_a_code"  # e.g. another link's /start payload: not a guess, not counted


@dataclass(frozen=True)
class InviteResult:
    code: str | None  # None when the user is already paired or asked too often
    expires_at: int
    couple: Couple | None = None
    retry_after: int = 0  # seconds until /pair works again, when asked too often


@dataclass(frozen=True)
class JoinResult:
    outcome: JoinOutcome
    couple: Couple | None = None


async def register(db: Database, person: Person, now: int) -> Couple | None:
    """Remember who this is (and that they can be reached); return their couple, if any."""
    async with db.unit() as uow:
        await uow.users.upsert(person, now)
        return await uow.couples.active_for(person.id, lock=True)


async def current_couple(db: Database, user_id: int) -> Couple | None:
    async with db.read() as uow:
        return await uow.couples.active_for(user_id)


async def create_invite(db: Database, person: Person, now: int, key: bytes) -> InviteResult:
    """A fresh one-time code for `person`, replacing any earlier one (a few an hour at most)."""
    code = invite_codes.new_code()
    async with db.unit() as uow:
        await uow.users.upsert(person, now)
        couple = await uow.couples.active_for(person.id, lock=True)
        if couple is not None:
            return InviteResult(None, 0, couple)
        made, oldest = await uow.invites.created_since(person.id, now - INVITE_LIMIT_WINDOW)
        if made >= INVITE_LIMIT and oldest is not None:
            # Nothing changes: the earlier invites stay as they are.
            return InviteResult(None, 0, retry_after=oldest + INVITE_LIMIT_WINDOW - now)
        await uow.invites.revoke_open(person.id, now)
        code_hash = invite_codes.digest(code, key)
        await uow.invites.insert(code_hash, person.id, now, now + INVITE_TTL)
    return InviteResult(code, now + INVITE_TTL)


async def join(
    db: Database, person: Person, typed_code: str, now: int, key: bytes, default_zone: str = "UTC"
) -> JoinResult:
    """Use an invite. Every refusal changes nothing but the wrong-code count.

    Only text shaped like a code counts toward the cool-off: anything else cannot guess one.
    """
    code = invite_codes.normalize(typed_code)
    if code is None:
        return JoinResult(JoinOutcome.NOT_A_CODE)
    code_hash = invite_codes.digest(code, key)
    async with db.unit() as uow:
        invite = await uow.invites.find(code_hash)
        # Both people, in one order, before either's couple is read: two who use each other's
        # codes at once (or someone using the code of an inviter who is joining elsewhere)
        # then pair one after the other, and the second is refused kindly, never a unique
        # violation or a deadlock.
        await uow.users.lock([person.id] + ([invite.inviter_id] if invite else []))
        await uow.users.upsert(person, now)
        if await uow.invites.failures_since(person.id, now - FAILURE_WINDOW) >= MAX_FAILURES:
            return JoinResult(JoinOutcome.COOL_OFF)
        if (couple := await uow.couples.active_for(person.id, lock=True)) is not None:
            return JoinResult(JoinOutcome.ALREADY_PAIRED, couple)

        refusal = _refusal(invite, person.id, now)
        if (
            refusal is None
            and invite is not None
            and await uow.couples.active_for(invite.inviter_id) is not None
        ):
            refusal = JoinOutcome.USED  # the inviter paired with someone else meanwhile
        if refusal is None and invite is not None:
            if (couple := await _use_invite(uow, invite, person, now, default_zone)) is not None:
                return JoinResult(JoinOutcome.PAIRED, couple)
            # Used or replaced between our read and our write: the statement said so.
            fresh = await uow.invites.find(code_hash)
            refusal = _refusal(fresh, person.id, now) or JoinOutcome.USED
        assert refusal is not None
        if refusal is not JoinOutcome.OWN_INVITE:
            await uow.invites.record_failure(person.id, now)
        return JoinResult(refusal)


async def _use_invite(
    uow: Unit, invite: invites.InviteRow, joiner: Person, now: int, default_zone: str
) -> Couple | None:
    """Pair `joiner` with the inviter (caller's transaction); None when the invite was no
    longer open at the moment of writing.

    Single use holds by the conditional UPDATE's row count, not by what was read before it:
    a second joiner of the same code, in another process or on a server database, writes
    nothing here and is refused.
    """
    if not await uow.invites.mark_used(invite.id, joiner.id, now):
        return None
    couple_id = await uow.couples.create(invite.inviter_id, joiner.id, now)
    await uow.invites.revoke_open(joiner.id, now)
    # A notice that an earlier pairing ended, waiting a day at an erased partner's request:
    # they know by now, and it would read as if this pairing had ended.
    await uow.outbox.cancel_kind_for([invite.inviter_id, joiner.id], privacy.ENDED_NOTICE)
    couple = await uow.couples.active_for(joiner.id)
    assert couple is not None
    inviter = couple.partner_of(joiner.id)
    text = t("pairing.paired_inviter", inviter.language, partner=joiner.first_name)
    await uow.notify(inviter, "paired", couple_id, inviter.id, text=text, now=now)
    # First steps are offered first; the check-in offer follows once they finish, stop or
    # are declined (bot.firststeps).
    await firststeps.offer_after_pairing(uow, couple, now)
    # Both chose the weekly rating before (with earlier partners): it is planned for them
    # now, as it is when the second of a couple chooses it.
    if await progress.both_chose(uow, couple, "rating"):
        await ratings.plan(uow, couple, now, default_zone)
    return couple


def _refusal(invite: invites.InviteRow | None, user_id: int, now: int) -> JoinOutcome | None:
    if invite is None:
        return JoinOutcome.WRONG
    if invite.inviter_id == user_id:
        return JoinOutcome.OWN_INVITE
    if invite.used_at is not None:
        return JoinOutcome.USED
    if invite.revoked_at is not None:
        return JoinOutcome.REPLACED
    if invite.expires_at <= now:
        return JoinOutcome.EXPIRED
    return None


async def unpair(db: Database, user_id: int, couple_id: int, now: int) -> Couple | None:
    """End the couple if `user_id` is still in it; None for a stale or foreign button."""
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        if couple is None or couple.id != couple_id:
            return None
        if not await uow.couples.end(couple_id, user_id, now):
            return None  # ended meanwhile (another press, another process): once is enough
        for current in await uow.rounds.open_rounds(couple_id):
            await checkins.reveal_held(uow, couple, current, now)  # both earned it
        await uow.rounds.cancel_open(couple_id, now)
        await uow.schedules.delete(couple_id)
        await uow.breaks.end_for_couple(couple_id, now)
        await uow.firststeps.end_for_couple(couple_id, now)
        await uow.promises.end_for_couple(couple_id, now)
        await uow.agreements.end_for_couple(couple_id, now)
        # Nothing more of this couple goes out (prompts, notices, options) but reveals both
        # had already earned, so neither sees a reveal the other never gets.
        await uow.outbox.cancel_for_couple(couple_id, keep_prefix="reveal:")
        me, partner = (couple.a, couple.b) if couple.a.id == user_id else (couple.b, couple.a)
        text = t("pairing.unpaired_partner", partner.language, partner=me.first_name)
        # It names them: still the couple's, so erasing them withdraws it while it waits.
        await uow.notify(
            partner, "unpaired", couple_id, partner.id, text=text, now=now, couple_id=couple_id
        )
        return couple

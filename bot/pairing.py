"""Pairing two partners through a one-time invite, and ending a pairing."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from aiosqlite import Connection

from bot import checkins, invite_codes, scheduling
from bot.models import Couple, Outgoing, Person
from bot.storage import breaks, couples, invites, outbox, rounds, schedules, users
from bot.storage.db import Database
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
    async with db.transaction() as conn:
        await users.upsert(conn, person, now)
        return await couples.active_for(conn, person.id)


async def current_couple(db: Database, user_id: int) -> Couple | None:
    async with db.read() as conn:
        return await couples.active_for(conn, user_id)


async def create_invite(db: Database, person: Person, now: int, key: bytes) -> InviteResult:
    """A fresh one-time code for `person`, replacing any earlier one (a few an hour at most)."""
    code = invite_codes.new_code()
    async with db.transaction() as conn:
        await users.upsert(conn, person, now)
        couple = await couples.active_for(conn, person.id)
        if couple is not None:
            return InviteResult(None, 0, couple)
        made, oldest = await invites.created_since(conn, person.id, now - INVITE_LIMIT_WINDOW)
        if made >= INVITE_LIMIT and oldest is not None:
            # Nothing changes: the earlier invites stay as they are.
            return InviteResult(None, 0, retry_after=oldest + INVITE_LIMIT_WINDOW - now)
        await invites.revoke_open(conn, person.id, now)
        code_hash = invite_codes.digest(code, key)
        await invites.insert(conn, code_hash, person.id, now, now + INVITE_TTL)
    return InviteResult(code, now + INVITE_TTL)


async def join(db: Database, person: Person, typed_code: str, now: int, key: bytes) -> JoinResult:
    """Use an invite. Every refusal changes nothing but the wrong-code count.

    Only text shaped like a code counts toward the cool-off: anything else cannot guess one.
    """
    code = invite_codes.normalize(typed_code)
    if code is None:
        return JoinResult(JoinOutcome.NOT_A_CODE)
    async with db.transaction() as conn:
        await users.upsert(conn, person, now)
        if await invites.failures_since(conn, person.id, now - FAILURE_WINDOW) >= MAX_FAILURES:
            return JoinResult(JoinOutcome.COOL_OFF)
        if (couple := await couples.active_for(conn, person.id)) is not None:
            return JoinResult(JoinOutcome.ALREADY_PAIRED, couple)

        code_hash = invite_codes.digest(code, key)
        invite = await invites.find(conn, code_hash)
        refusal = _refusal(invite, person.id, now)
        if (
            refusal is None
            and invite is not None
            and await couples.active_for(conn, invite.inviter_id) is not None
        ):
            refusal = JoinOutcome.USED  # the inviter paired with someone else meanwhile
        if refusal is None and invite is not None:
            if (couple := await _use_invite(conn, invite, person, now)) is not None:
                return JoinResult(JoinOutcome.PAIRED, couple)
            # Used or replaced between our read and our write: the statement said so.
            fresh = await invites.find(conn, code_hash)
            refusal = _refusal(fresh, person.id, now) or JoinOutcome.USED
        assert refusal is not None
        if refusal is not JoinOutcome.OWN_INVITE:
            await invites.record_failure(conn, person.id, now)
        return JoinResult(refusal)


async def _use_invite(
    conn: Connection, invite: invites.InviteRow, joiner: Person, now: int
) -> Couple | None:
    """Pair `joiner` with the inviter (caller's transaction); None when the invite was no
    longer open at the moment of writing.

    Single use holds by the conditional UPDATE's row count, not by what was read before it:
    a second joiner of the same code, in another process or on a server database, writes
    nothing here and is refused.
    """
    if not await invites.mark_used(conn, invite.id, joiner.id, now):
        return None
    couple_id = await couples.create(conn, invite.inviter_id, joiner.id, now)
    await invites.revoke_open(conn, joiner.id, now)
    couple = await couples.active_for(conn, joiner.id)
    assert couple is not None
    inviter = couple.partner_of(joiner.id)
    await outbox.enqueue(
        conn,
        Outgoing(
            chat_id=inviter.id,
            dedupe_key=f"paired:{couple_id}:{inviter.id}",
            text=t("pairing.paired_inviter", inviter.language, partner=joiner.first_name),
        ),
        now,
    )
    await scheduling.offer_default(conn, couple, now)
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
    async with db.transaction() as conn:
        couple = await couples.active_for(conn, user_id)
        if couple is None or couple.id != couple_id:
            return None
        if not await couples.end(conn, couple_id, user_id, now):
            return None  # ended meanwhile (another press, another process): once is enough
        for current in await rounds.open_rounds(conn, couple_id):
            await checkins.reveal_held(conn, couple, current, now)  # both earned it
        await rounds.cancel_open(conn, couple_id, now)
        await schedules.delete(conn, couple_id)
        await breaks.end_for_couple(conn, couple_id, now)
        # Nothing more of this couple goes out (prompts, notices, options) but reveals both
        # had already earned, so neither sees a reveal the other never gets.
        await outbox.cancel_for_couple(conn, couple_id, keep_prefix="reveal:")
        me, partner = (couple.a, couple.b) if couple.a.id == user_id else (couple.b, couple.a)
        await outbox.enqueue(
            conn,
            Outgoing(
                chat_id=partner.id,
                dedupe_key=f"unpaired:{couple_id}:{partner.id}",
                text=t("pairing.unpaired_partner", partner.language, partner=me.first_name),
            ),
            now,
        )
        return couple

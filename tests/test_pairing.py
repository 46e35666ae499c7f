"""Pairing rules, at the domain level (no Telegram, a real migrated database)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot import invite_codes, pairing
from bot.models import Person
from bot.pairing import INVITE_TTL, JoinOutcome
from bot.storage.db import Database
from testing.probes import count, cursor, pending
from testing.seeding import INVITE_KEY

ANA = Person(101, "Ana")
BEN = Person(202, "Ben")
CAL = Person(303, "Cal")
NOW = 1_800_000_000


async def invite(db: Database, who: Person = ANA, now: int = NOW) -> str:
    result = await pairing.create_invite(db, who, now, INVITE_KEY)
    assert result.code is not None
    return result.code


async def test_join_pairs_both_and_queues_one_notice_for_the_inviter(db: Database) -> None:
    code = await invite(db)
    result = await pairing.join(db, BEN, code, NOW + 60, INVITE_KEY)
    assert result.outcome is JoinOutcome.PAIRED
    assert result.couple is not None and {result.couple.a.id, result.couple.b.id} == {101, 202}
    assert await pairing.current_couple(db, ANA.id) == result.couple
    notices = await pending(db)
    to_ana = [text for chat, _, text in notices if chat == ANA.id]
    assert len(to_ana) == 2 and "Ben joined you" in to_ana[0]
    # Then first steps are offered to both (the check-in offer comes after them).
    assert all("First steps" in text for chat, _, text in notices if chat == BEN.id)
    assert "First steps" in to_ana[1]


async def test_codes_are_single_use(db: Database) -> None:
    code = await invite(db)
    await pairing.join(db, BEN, code, NOW, INVITE_KEY)
    assert (await pairing.join(db, CAL, code, NOW, INVITE_KEY)).outcome is JoinOutcome.USED
    assert await pairing.current_couple(db, CAL.id) is None


async def test_codes_expire_after_48_hours(db: Database) -> None:
    code = await invite(db)
    late = await pairing.join(db, BEN, code, NOW + INVITE_TTL, INVITE_KEY)
    assert late.outcome is JoinOutcome.EXPIRED
    result = await pairing.join(db, BEN, code, NOW + INVITE_TTL - 1, INVITE_KEY)
    assert result.outcome is JoinOutcome.PAIRED


async def test_a_new_invite_replaces_the_old_one(db: Database) -> None:
    old = await invite(db)
    new = await invite(db)
    assert (await pairing.join(db, BEN, old, NOW, INVITE_KEY)).outcome is JoinOutcome.REPLACED
    assert (await pairing.join(db, BEN, new, NOW, INVITE_KEY)).outcome is JoinOutcome.PAIRED


async def test_own_invite_and_already_paired_are_refused_without_change(db: Database) -> None:
    code = await invite(db)
    assert (await pairing.join(db, ANA, code, NOW, INVITE_KEY)).outcome is JoinOutcome.OWN_INVITE
    await pairing.join(db, BEN, code, NOW, INVITE_KEY)
    other = await invite(db, CAL)
    refused = await pairing.join(db, BEN, other, NOW, INVITE_KEY)
    assert refused.outcome is JoinOutcome.ALREADY_PAIRED
    assert (await pairing.current_couple(db, BEN.id)).partner_of(BEN.id) == ANA
    # Cal's invite is still usable by someone else.
    result = await pairing.join(db, Person(404, "Dee"), other, NOW, INVITE_KEY)
    assert result.outcome is JoinOutcome.PAIRED


async def test_a_paired_user_gets_no_invite(db: Database) -> None:
    await pairing.join(db, BEN, await invite(db), NOW, INVITE_KEY)
    result = await pairing.create_invite(db, ANA, NOW, INVITE_KEY)
    assert result.code is None and result.couple is not None


async def test_at_most_five_invites_an_hour_and_a_refusal_stores_nothing(db: Database) -> None:
    codes = [await invite(db, ANA, NOW + i) for i in range(pairing.INVITE_LIMIT)]
    refused = await pairing.create_invite(db, ANA, NOW + 600, INVITE_KEY)
    assert refused.code is None and refused.couple is None
    assert refused.retry_after == pairing.INVITE_LIMIT_WINDOW - 600  # when the first ages out
    assert await count(db, "invites") == pairing.INVITE_LIMIT
    # Nothing was revoked either: the latest invite still works.
    result = await pairing.join(db, BEN, codes[-1], NOW + 601, INVITE_KEY)
    assert result.outcome is JoinOutcome.PAIRED
    # Someone else is not affected by Ana's count.
    assert (await pairing.create_invite(db, CAL, NOW + 602, INVITE_KEY)).code is not None


async def test_the_invite_limit_is_a_sliding_hour(db: Database) -> None:
    for i in range(pairing.INVITE_LIMIT):
        await invite(db, ANA, NOW + 60 * i)
    assert (await pairing.create_invite(db, ANA, NOW + 3599, INVITE_KEY)).code is None
    assert (await pairing.create_invite(db, ANA, NOW + 3600, INVITE_KEY)).code is not None
    result = await pairing.create_invite(db, ANA, NOW + 3601, INVITE_KEY)
    assert result.code is None  # five in the hour
    assert (await pairing.create_invite(db, ANA, NOW + 3600 + 60, INVITE_KEY)).code is not None


async def test_an_inviter_who_paired_elsewhere_voids_their_other_codes(db: Database) -> None:
    code_from_ana = await invite(db, ANA)
    await pairing.join(db, ANA, await invite(db, CAL), NOW, INVITE_KEY)  # Ana joins Cal instead
    assert (await pairing.join(db, BEN, code_from_ana, NOW, INVITE_KEY)).outcome in {
        JoinOutcome.USED,
        JoinOutcome.REPLACED,
    }
    assert await pairing.current_couple(db, BEN.id) is None


async def test_more_than_five_wrong_codes_in_15_minutes_cool_off(db: Database) -> None:
    good = await invite(db)
    for i in range(5):
        result = await pairing.join(db, BEN, "WRONG-CODE0", NOW + i, INVITE_KEY)
        assert result.outcome is JoinOutcome.WRONG
    # Even the right code is refused during the cool-off: guessing gains nothing.
    assert (await pairing.join(db, BEN, good, NOW + 10, INVITE_KEY)).outcome is JoinOutcome.COOL_OFF
    assert await pairing.current_couple(db, BEN.id) is None
    after = await pairing.join(db, BEN, good, NOW + 15 * 60 + 5, INVITE_KEY)
    assert after.outcome is JoinOutcome.PAIRED


async def failures(db: Database, user_id: int) -> int:
    async with db.read() as uow:
        return await uow.invites.failures_since(user_id, 0)


async def test_text_not_shaped_like_a_code_is_no_guess(db: Database) -> None:
    """A /start payload from another link (`ref_campaign`) must not bring the cool-off."""
    good = await invite(db)
    for i in range(pairing.MAX_FAILURES + 3):
        for payload in ("ref_campaign", "abc", "ABCDE-1234U", ""):
            result = await pairing.join(db, BEN, payload, NOW + i, INVITE_KEY)
            assert result.outcome is JoinOutcome.NOT_A_CODE
    assert await failures(db, BEN.id) == 0
    assert (await pairing.join(db, BEN, good, NOW + 20, INVITE_KEY)).outcome is JoinOutcome.PAIRED


async def test_a_code_shaped_wrong_code_still_counts(db: Database) -> None:
    result = await pairing.join(db, BEN, "ZZZZZ-ZZZZZ", NOW, INVITE_KEY)
    assert result.outcome is JoinOutcome.WRONG
    assert await failures(db, BEN.id) == 1


async def test_unpair_ends_the_couple_for_both_and_allows_pairing_again(db: Database) -> None:
    result = await pairing.join(db, BEN, await invite(db), NOW, INVITE_KEY)
    couple_id = result.couple.id
    assert await pairing.unpair(db, CAL.id, couple_id, NOW) is None  # not theirs
    ended = await pairing.unpair(db, BEN.id, couple_id, NOW)
    assert ended is not None
    assert await pairing.current_couple(db, ANA.id) is None
    assert await pairing.current_couple(db, BEN.id) is None
    assert await pairing.unpair(db, BEN.id, couple_id, NOW) is None  # a second press is stale
    assert any(chat == ANA.id and "Ben" in text for chat, _, text in await pending(db))
    again = await pairing.join(db, ANA, await invite(db, BEN), NOW, INVITE_KEY)
    assert again.outcome is JoinOutcome.PAIRED


async def test_the_database_keeps_only_a_hash_of_the_code(db: Database) -> None:
    code = await invite(db)
    async with db.read() as uow, cursor(uow.conn, "SELECT * FROM invites") as cur:
        dump = repr([tuple(r) for r in await cur.fetchall()])
    assert code not in dump and invite_codes.digest(code, INVITE_KEY) in dump


def test_codes_have_50_bits_and_a_readable_form() -> None:
    codes = {invite_codes.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{10}", c) for c in codes)
    assert len(invite_codes.ALPHABET) ** invite_codes.LENGTH >= 2**50


@given(st.text(alphabet=invite_codes.ALPHABET, min_size=10, max_size=10), st.data())
def test_typed_codes_are_forgiving(code: str, data: st.DataObject) -> None:
    # Lower case, spaces, dashes and the look-alike letters O/I/L all read back as the code.
    typed = "".join(data.draw(st.sampled_from([ch, ch.lower(), f"{ch} ", f"-{ch}"])) for ch in code)
    typed = typed.replace("0", data.draw(st.sampled_from(["0", "o", "O"])))
    typed = typed.replace("1", data.draw(st.sampled_from(["1", "i", "l", "L"])))
    assert invite_codes.normalize(typed) == code
    assert invite_codes.normalize(invite_codes.display(code)) == code


def test_malformed_codes_normalize_to_nothing() -> None:
    for typed in ["", "ABC", "ABCDE-1234U", "ABCDE-123456", "<script>", "😀" * 10]:
        assert invite_codes.normalize(typed) is None

"""The words of first steps' asks: each stage's question, shaped by the roles the couple
revealed, and how two private role choices become the roles both see. Questions are plain
text: bot.asks fills them into its prompt (and /history, /export) and escapes them there."""

from __future__ import annotations

from bot.storage.rounds import Round
from bot.storage.unit import Unit
from bot.texts import plain

ROLE_CHOICES = ("hurt", "caused", "both", "private")  # firststeps.role.<choice>
DECISIONS = ("yes", "unsure", "no")  # firststeps.decide.<decision>


def resolve(choices: dict[int, str]) -> tuple[str, int | None]:
    """Two role choices, {person: choice}, as both will see them: ("split", the person mostly
    hurt) only when one said hurt and the other caused; every other pair is ("both", None)."""
    hurt = [uid for uid, choice in choices.items() if choice == "hurt"]
    caused = [uid for uid, choice in choices.items() if choice == "caused"]
    if len(choices) == 2 and len(hurt) == 1 and len(caused) == 1:
        return "split", hurt[0]
    return "both", None


async def roles_question(uow: Unit, current: Round, language: str, reader: int) -> str:
    return plain("firststeps.roles_question", language)


async def step_question(uow: Unit, current: Round, language: str, reader: int) -> str:
    """Step 1 (acknowledge) or step 2 (responsibility and impact, worded by the roles). One
    wording for both readers: it names who writes what, so each reads the other's part too
    (in the reveal, the answers sit under the question)."""
    if current.step != 2:
        return plain("firststeps.step_1", language)
    subject = current.subject_id
    journey = await uow.firststeps.get(subject) if subject is not None else None
    couple = await uow.couples.get(current.couple_id)
    if journey is None or couple is None or journey.roles != "split" or journey.hurt_id is None:
        return plain("firststeps.step_2_both", language)
    if not couple.has(journey.hurt_id):
        return plain("firststeps.step_2_both", language)  # a partner erased themselves
    hurt, caused = couple.member(journey.hurt_id), couple.partner_of(journey.hurt_id)
    return plain(
        "firststeps.step_2_split", language, hurt=hurt.first_name, caused=caused.first_name
    )


async def decide_question(uow: Unit, current: Round, language: str, reader: int) -> str:
    return plain("firststeps.step_3", language)

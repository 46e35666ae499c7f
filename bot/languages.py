"""Which language Steady speaks with a person: their Telegram app's, or one they chose."""

from __future__ import annotations

from bot.callbacks import ChooseLanguage
from bot.models import Person
from bot.storage.db import Database
from bot.texts import languages


async def choose(db: Database, person: Person, code: str, now: int) -> str | None:
    """Speak `code` with this person from now on, or follow their Telegram app's language
    again (`ChooseLanguage.AUTO`; `person.language` is the app's). The language now spoken,
    or None when Steady does not speak `code`."""
    if code == ChooseLanguage.AUTO:
        language, chosen = person.language, False
    elif code in languages():
        language, chosen = code, True
    else:
        return None
    async with db.unit() as uow:
        await uow.users.upsert(person, now)
        await uow.users.choose_language(person.id, language, chosen, now)
    return language


async def chosen(db: Database, user_id: int) -> str | None:
    """The language this person chose with /language, if they did."""
    async with db.read() as uow:
        return await uow.users.chosen_language(user_id)

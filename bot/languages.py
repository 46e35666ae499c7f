"""Which language Steady speaks with a person: their Telegram app's, or one they chose."""

from __future__ import annotations

from bot import asks
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
        await asks.in_new_language(uow, person.id)
    return language


async def chosen(db: Database, user_id: int) -> str | None:
    """The language this person chose with /language, if they did."""
    async with db.read() as uow:
        return await uow.users.chosen_language(user_id)


class ChosenLanguages:
    """People's chosen languages as last read, each kept for a while: every update needs its
    sender's (for direct replies), and a read per update cost ~0.2 ms of CPU on SQLite, about
    what handling a short update costs. A choice made here updates it at once; `keep` seconds
    bound how stale it can be when a choice was made in another process (one that polled
    Telegram before this one took over). Domain code never reads it: what is queued for
    someone uses the language stored in the database."""

    def __init__(self, keep: int = 60, most: int = 100_000) -> None:
        self._keep = keep
        self._most = most
        self._known: dict[int, tuple[str | None, int]] = {}

    async def of(self, db: Database, user_id: int, now: int) -> str | None:
        known = self._known.get(user_id)
        if known is not None and now < known[1]:
            return known[0]
        found = await chosen(db, user_id)
        self.remember(user_id, found, now)
        return found

    def forget(self, user_id: int) -> None:
        """They were erased: nothing of them stays here either."""
        self._known.pop(user_id, None)

    def remember(self, user_id: int, language: str | None, now: int) -> None:
        if len(self._known) >= self._most:
            self._known.clear()  # rare, and only costs a read per person
        self._known[user_id] = (language, now + self._keep)

"""Each person reads Steady in their own language: their Telegram app's, or one they chose."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage.db import Database
from bot.texts import t
from testing.offline import Offline, User

ANYA = User(1001, "Аня", "ru")
BEN = User(2002, "Ben", "es-419")
CARL = User(3003, "Carl", "de-AT")


def texts_of(calls: list) -> list[str]:
    return [c.text for c in calls if c.method == "sendMessage"]


async def test_replies_follow_the_telegram_language_code(tmp_path: Path) -> None:
    async with Offline(tmp_path) as bot:
        [ru] = texts_of(await bot.send(ANYA, "/help"))
        [es] = texts_of(await bot.send(BEN, "/help"))  # es-419: its base language
        [de] = texts_of(await bot.send(CARL, "/help"))
        [en] = texts_of(await bot.send(User(4004, "Dee", "pt-br"), "/help"))  # then English
        assert ru.startswith("<b>Что умеет Steady</b>")
        assert es.startswith("<b>Qué puede hacer Steady</b>")
        assert de.startswith("<b>Was Steady kann</b>")
        assert en.startswith("<b>What Steady can do</b>")


async def test_a_chosen_language_wins_over_the_app_and_stays(tmp_path: Path) -> None:
    async with Offline(tmp_path) as bot:
        [menu] = texts_of(await bot.send(ANYA, "/language"))
        assert menu == t("language.current", "ru", name="Русский")
        labels = [label for row in bot.sent(ANYA.id)[-1].buttons for label, _ in row]
        assert labels == ["English", "Deutsch", "Español", "Русский", "Как в моём Telegram"]

        calls = await bot.run(bot.updates.button(ANYA, "v1:lang:de"))
        assert texts_of(calls) == [t("language.saved", "de", name="Deutsch")]
        # Her app still says "ru" on every update; her choice wins, in replies and in what
        # the domain queues for her.
        [help_text] = texts_of(await bot.send(ANYA, "/help"))
        assert help_text.startswith("<b>Was Steady kann</b>")
        await bot.pair(BEN, ANYA)
        assert texts_of(bot.sent(ANYA.id))[-1] == t("pairing.paired_joiner", "de", partner="Ben")
        await bot.deliver()
        assert t("pairing.paired_inviter", "es", partner="Аня") in texts_of(bot.sent(BEN.id))

        # Back to her app's language.
        calls = await bot.run(bot.updates.button(ANYA, "v1:lang:auto"))
        assert texts_of(calls) == [t("language.saved_auto", "ru", name="Русский")]
        [help_text] = texts_of(await bot.send(ANYA, "/help"))
        assert help_text.startswith("<b>Что умеет Steady</b>")


async def test_a_language_steady_does_not_speak_changes_nothing(tmp_path: Path) -> None:
    async with Offline(tmp_path) as bot:
        await bot.send(ANYA, "/start")
        before = await bot.dump(ignore=("users.updated_at",))
        calls = await bot.run(bot.updates.button(ANYA, "v1:lang:fr"))
        assert [c.method for c in calls] == ["answerCallbackQuery"]
        assert calls[0].params["text"] == t("fallback.stale_button", "ru")
        assert await bot.dump(ignore=("users.updated_at",)) == before


async def test_each_partner_reads_the_reveal_in_their_own_language(tmp_path: Path) -> None:
    async with Offline(tmp_path) as bot:
        await bot.pair(ANYA, BEN)
        await bot.send(ANYA, "/checkin")
        await bot.deliver()
        await bot.send(ANYA, "Спокойно, <b>честно</b>")
        await bot.send(BEN, "Tranquilo & bien")
        await bot.deliver()
        reveal_ru = [x for x in texts_of(bot.sent(ANYA.id)) if "Оба ответа здесь" in x]
        reveal_es = [x for x in texts_of(bot.sent(BEN.id)) if "Ya están ambas respuestas" in x]
        assert len(reveal_ru) == 1 and len(reveal_es) == 1
        for text in (reveal_ru[0], reveal_es[0]):  # both answers, escaped, under each name
            assert "<b>Аня</b>" in text and "<b>Ben</b>" in text
            assert "Спокойно, &lt;b&gt;честно&lt;/b&gt;" in text and "Tranquilo &amp; bien" in text
        # The question itself in the reader's language.
        from bot import prompts

        [round_prompt] = [p for p in prompts.library().values() if p.text("ru") in reveal_ru[0]]
        assert round_prompt.text("es") in reveal_es[0]


async def test_a_refresh_from_the_app_never_overwrites_a_choice(tmp_path: Path) -> None:
    """Even an update handled without the choice (its read failed) keeps the stored one."""
    from bot import languages
    from bot.models import Person

    async with Offline(tmp_path) as bot:
        anya = Person(ANYA.id, "Аня", "ru")
        assert await languages.choose(bot.db, anya, "de", 1) == "de"
        async with bot.db.unit() as uow:
            await uow.users.upsert(anya, 2)  # as her app says, on some later update
        assert await languages.chosen(bot.db, ANYA.id) == "de"
        async with bot.db.read() as uow:
            assert (await uow.users.get(ANYA.id)).language == "de"  # what the domain reads
        assert await languages.choose(bot.db, anya, "auto", 3) == "ru"
        assert await languages.chosen(bot.db, ANYA.id) is None


async def test_options_read_their_words_in_each_language(tmp_path: Path) -> None:
    from bot import checkins

    async with Offline(tmp_path) as bot:
        await bot.pair(ANYA, CARL)
        [saved] = texts_of(await bot.send(ANYA, "/options окно 12"))
        assert saved.startswith("Готово. Чек-ин открыт 12 часов")
        [saved] = texts_of(await bot.send(CARL, "/options Erinnerung aus"))
        assert saved == t("options.saved", "de", summary=checkins.options_summary("de", 12, None))
        [saved] = texts_of(await bot.send(ANYA, "/options напоминание 1ч"))
        assert "мягкое напоминание — за 1 час до закрытия" in saved
        [saved] = texts_of(await bot.send(ANYA, "/options хранить всегда"))
        assert saved.startswith("Готово. Раскрытые ответы хранятся, пока ты их не удалишь.")
        [saved] = texts_of(await bot.send(CARL, "/options behalten 90"))
        assert saved.startswith("Erledigt. Deine aufgedeckten Antworten werden 90 Tage lang")


async def test_the_sender_s_choice_is_read_once_a_minute_at_most(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read per update cost as much as handling it; a choice made here is seen at once, one
    made by another process (that polled before this one) within a minute."""
    from datetime import timedelta

    from bot import languages
    from bot.models import Person
    from testing.clock import StoppedClock

    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        reads = 0
        real = languages.chosen

        async def counted(db: Database, user_id: int) -> str | None:
            nonlocal reads
            reads += 1
            return await real(db, user_id)

        monkeypatch.setattr(languages, "chosen", counted)
        for _ in range(3):
            [text] = texts_of(await bot.send(ANYA, "/help"))
            assert text.startswith("<b>Что умеет Steady</b>")
        assert reads == 1
        await bot.run(bot.updates.button(ANYA, "v1:lang:es"))  # here: seen at once
        [text] = texts_of(await bot.send(ANYA, "/help"))
        assert text.startswith("<b>Qué puede hacer Steady</b>")
        # Another process records German; this one sees it within a minute.
        await languages.choose(bot.db, Person(ANYA.id, "Аня", "ru"), "de", 2)
        [text] = texts_of(await bot.send(ANYA, "/help"))
        assert text.startswith("<b>Qué puede hacer Steady</b>")
        clock.at += timedelta(seconds=61)
        [text] = texts_of(await bot.send(ANYA, "/help"))
        assert text.startswith("<b>Was Steady kann</b>")
        assert reads == 2


async def test_an_erased_person_s_choice_is_forgotten_at_once(tmp_path: Path) -> None:
    async with Offline(tmp_path) as bot:
        await bot.run(bot.updates.button(ANYA, "v1:lang:de"))
        await bot.send(ANYA, "/delete")
        calls = await bot.run(bot.updates.button(ANYA, f"v1:erase:now:{bot.services.now()}"))
        assert any("Alles, was Steady über dich gespeichert hat" in c.text for c in calls)
        [text] = texts_of(await bot.send(ANYA, "/help"))  # their app's language again
        assert text.startswith("<b>Что умеет Steady</b>")

"""End to end in other languages: Russian speakers from /start to a revealed check-in, and a
couple who read Steady in two languages."""

from __future__ import annotations

import re

from testing.fake.users import SentMessage
from testing.fake_telegram import FakeTelegram
from testing.runner import BotRunner

# What may stay Latin in a Russian message: commands, the bot's name, links, invite codes, and
# examples to type (inside <code>), such as a time zone's name.
_NOT_WORDS = re.compile(
    r"<code>.*?</code>|/[a-z_]+|https?://\S+|Steady|[A-Z0-9]{5}-[A-Z0-9]{5}|UTC[+-]?\d*"
    r"|[A-Za-z_]+/[A-Za-z_]+|&[a-z]+;|</?[a-z-]+>",
    re.S,
)


def english_words(message: SentMessage) -> list[str]:
    """Latin words in a message's text and its buttons, beyond what may stay Latin."""
    shown = " ".join([message.text, *(label for label, _ in message.buttons)])
    return re.findall(r"[A-Za-z]{2,}", _NOT_WORDS.sub(" ", shown))


async def test_russian_speakers_from_start_to_a_revealed_checkin(
    fake: FakeTelegram, bot: BotRunner
) -> None:
    anya = fake.user(3001, "Аня", language_code="ru")
    boris = fake.user(3002, "Борис <3", language_code="ru")

    await anya.send("/start")
    welcome = await anya.wait_for("Привет, Аня! Я Steady.")
    assert "пока не придут <b>оба ответа</b>" in welcome.text
    assert "Чтобы начать, отправь /pair" in welcome.plain

    await anya.send("/pair")
    invite = await anya.wait_for("Перешли эту ссылку партнёру")
    code = invite.plain.split("/join ")[1].split()[0]
    await boris.send(f"/start {code.replace('-', '')}")  # through the invite link
    await boris.wait_for("Теперь вы пара: ты и Аня")
    await anya.wait_for("Борис <3 теперь с тобой в Steady")
    # First steps come first; "not now" brings the check-in offer.
    first = await anya.wait_for("Когда доверие нарушено")
    await boris.wait_for("Когда доверие нарушено")
    await anya.press(first, dict(first.buttons)["Не сейчас"])
    await anya.wait_for("Начать первые шаги можно в любой момент")
    await boris.wait_for("Аня пока не хочет начинать первые шаги")
    offer = await anya.wait_for("Хочешь чек-ин каждый день в 20:00?")
    assert [label for label, _ in offer.buttons] == [
        "Да, каждый день в 20:00",
        "Выбрать дни и время",
    ]
    await boris.wait_for("Хочешь чек-ин каждый день в 20:00?")

    await anya.send("/schedule пн ср пт 20:00")
    await anya.wait_for("Готово: теперь чек-ины приходят по дням: пн, ср, пт, в 20:00")
    await boris.wait_for("Аня меняет расписание ваших чек-инов")

    await anya.send("/checkin")
    prompt_anya = await anya.wait_for("Ответь сообщением, когда захочешь")
    prompt_boris = await boris.wait_for("Ответь сообщением, когда захочешь")
    assert prompt_anya.plain.startswith("Чек-ин\n")
    assert "Борис <3 увидит ответ" in prompt_anya.plain
    assert "Аня увидит ответ" in prompt_boris.plain

    await anya.send("Мне было <спокойно> & тепло")
    await anya.wait_for("Спасибо. Твой ответ на")
    waiting = await boris.wait_for("Аня: ответ на чек-ин готов")
    assert "спокойно" not in waiting.plain

    await boris.send("Благодарен за сегодня")
    for reader in (anya, boris):
        reveal = await reader.wait_for("Оба ответа здесь.")
        assert "Мне было <спокойно> & тепло" in reveal.plain
        assert "&lt;спокойно&gt; &amp; тепло" in reveal.text  # escaped, HTML mode
        assert "Благодарен за сегодня" in reveal.plain
        assert "<b>Аня</b>" in reveal.text and "<b>Борис &lt;3</b>" in reveal.text

    # Everything either of them received was in Russian.
    for reader in (anya, boris):
        for message in reader.inbox:
            assert english_words(message) == [], (message.plain, english_words(message))


async def test_partners_in_two_languages_each_read_their_own(
    fake: FakeTelegram, bot: BotRunner
) -> None:
    """Lucía reads Spanish, Jonas chooses German over his English app; each reveal frames
    both answers in its reader's language."""
    lucia = fake.user(4001, "Lucía", language_code="es")
    jonas = fake.user(4002, "Jonas", language_code="en")

    await jonas.send("/language")
    menu = await jonas.wait_for("Steady speaks English with you")
    await jonas.press(menu, dict(menu.buttons)["Deutsch"])
    await jonas.wait_for("Erledigt: Steady spricht jetzt Deutsch mit dir.")

    await lucia.send("/pair")
    invite = await lucia.wait_for("Aquí tienes tu invitación")
    code = invite.plain.split("/join ")[1].split()[0]
    await jonas.send(f"/join {code}")
    await jonas.wait_for("Du bist jetzt mit Lucía verbunden")
    await lucia.wait_for("Jonas se unió")

    await jonas.send("/checkin")
    await jonas.wait_for("Antworte mit einer Nachricht")
    await lucia.wait_for("Responde con un mensaje")
    await jonas.send("Ruhig")
    await lucia.send("Tranquila")
    reveal_de = await jonas.wait_for("Ihr habt beide geantwortet.")
    reveal_es = await lucia.wait_for("Ya están ambas respuestas.")
    for reveal in (reveal_de, reveal_es):
        assert "Ruhig" in reveal.plain and "Tranquila" in reveal.plain


async def test_time_zone_buttons_name_their_cities_in_the_readers_language(
    fake: FakeTelegram, bot: BotRunner
) -> None:
    anya = fake.user(3011, "Аня", language_code="ru")
    await anya.send("/timezone")
    offer = await anya.next_message()
    labels = dict(offer.buttons)
    assert {"Берлин", "Калькутта", "Сан-Паулу"} <= labels.keys()
    await anya.press(offer, labels["Берлин"])
    await anya.wait_for("Europe/Berlin")

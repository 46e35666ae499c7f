"""/language: the language Steady speaks with this person; and reading that choice first."""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Update
from telegram.ext import Application, CommandHandler, TypeHandler, filters

from bot import callbacks, languages
from bot.context import SteadyContext
from bot.models import Button
from bot.texts import language_of, t
from bot.texts import languages as shipped
from handlers.common import CHOSEN_LANGUAGE, ButtonHandler, keyboard, person, reply

log = logging.getLogger(__name__)


async def load_choice(update: Update, context: SteadyContext) -> None:
    """Before any handler: the language the sender chose, so direct replies use it too."""
    user = update.effective_user
    chosen = None
    if user is not None:
        try:
            services = context.services
            chosen = await services.chosen_languages.of(services.database, user.id, services.now())
        except Exception as exc:  # their app's language is a fine answer meanwhile
            log.warning("could not read a chosen language (%s)", type(exc).__name__)
    CHOSEN_LANGUAGE.set((user.id, chosen) if user is not None and chosen else None)


async def language(update: Update, context: SteadyContext) -> None:
    """Show the language Steady speaks with this person, with a button for each."""
    me = person(update.effective_user)
    name = t("language.name", me.language)
    auto = Button(
        t("language.auto", me.language),
        callbacks.ChooseLanguage(callbacks.ChooseLanguage.AUTO).encode(),
    )
    names = tuple(
        Button(t("language.name", code), callbacks.ChooseLanguage(code).encode())
        for code in shipped()
    )
    await reply(update, t("language.current", me.language, name=name), keyboard((names, (auto,))))


async def chose(update: Update, context: SteadyContext, button: callbacks.ChooseLanguage) -> None:
    """A language button: speak that language with the presser (or follow their app again)."""
    query = update.callback_query
    assert query is not None
    user = query.from_user
    app_language = replace(person(user), language=language_of(user.language_code))
    services = context.services
    spoken = await languages.choose(services.database, app_language, button.code, services.now())
    if spoken is None:
        await query.answer(t("fallback.stale_button", person(user).language))
        return
    await query.answer()
    is_auto = button.code == callbacks.ChooseLanguage.AUTO
    services.chosen_languages.remember(user.id, None if is_auto else spoken, services.now())
    CHOSEN_LANGUAGE.set(None if is_auto else (user.id, spoken))
    key = "language.saved_auto" if is_auto else "language.saved"
    await reply(update, t(key, spoken, name=t("language.name", spoken)))


def register_first(app: Application) -> None:
    # Group -1 runs before every other handler of the update (groups run in order).
    app.add_handler(TypeHandler(Update, load_choice), group=-1)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("language", language, filters=private))
    app.add_handler(ButtonHandler(callbacks.ChooseLanguage, chose))

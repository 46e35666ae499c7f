"""/start (with or without an invite deep link) and /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot import callbacks, pairing
from bot.context import SteadyContext
from bot.models import Button
from bot.texts import t
from handlers.common import keyboard, person, reply
from handlers.pairing import join_with_code


async def start(update: Update, context: SteadyContext) -> None:
    """Greet; with an invite's deep-link payload, join the partner who sent it."""
    # A payload from some other link (not shaped like a code) gets the ordinary welcome.
    if context.args:
        outcome = await join_with_code(update, context, context.args[0])
        if outcome is not pairing.JoinOutcome.NOT_A_CODE:
            return
    me = person(update.effective_user)
    services = context.services
    couple = await pairing.register(services.database, me, services.now())
    welcome = t("start.welcome", me.language, name=me.first_name)
    if couple is None:
        await reply(update, f"{welcome}\n{t('start.next_unpaired', me.language)}")
    else:
        partner = couple.partner_of(me.id).first_name
        await reply(update, f"{welcome}\n{t('start.next_paired', me.language, partner=partner)}")


HELP_SECTIONS = ("help.promises", "firststeps.help_line")


async def help_command(update: Update, context: SteadyContext) -> None:
    """List the commands, with a crisis line and a button for after a conflict."""
    language = person(update.effective_user).language
    crisis = context.services.settings.crisis_text or t("help.crisis_default", language)
    button = Button(t("help.conflict_button", language), callbacks.ConflictMenu().encode())
    first = Button(t("firststeps.help_button", language), callbacks.FirstStepsMenu().encode())
    # Each feature's own lines (bot/locales/<lang>/<feature>.ftl) follow the common list.
    sections = [
        t("help.text", language, crisis=crisis),
        *(t(key, language) for key in HELP_SECTIONS),
    ]
    await reply(update, "\n\n".join(sections), keyboard(((first,), (button,))))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", start, filters=private))
    app.add_handler(CommandHandler("help", help_command, filters=private))

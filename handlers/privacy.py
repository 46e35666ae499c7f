"""/export and /delete: a person's own data, taken or erased."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import Application, CommandHandler, filters

from bot import callbacks, privacy
from bot.context import SteadyContext
from bot.models import Button
from bot.texts import amount, t
from handlers.common import ButtonHandler, keyboard, person, reply, settle


async def export(update: Update, context: SteadyContext) -> None:
    """Send the person a JSON file of their own data, and a short readable summary. The file
    goes straight to their private chat, never through the outbox, from whichever worker took
    the command (with several, maybe not the sender: one message, outside its budget): nothing
    of it is stored."""
    me = person(update.effective_user)
    services = context.services
    data = await privacy.export(services.database, me.id, services.now())
    if data is None:
        await reply(update, t("privacy.export_nothing", me.language))
        return
    name, content = privacy.export_file(data)
    summary = t(
        "privacy.export_summary",
        me.language,
        answers=amount("answers", data.answers, me.language),
        revealed=amount("check_ins", data.revealed, me.language),
        pairings=amount("pairings", data.pairings, me.language),
    )
    await update.get_bot().send_document(me.id, InputFile(content, filename=name))
    await reply(update, summary)


async def delete(update: Update, context: SteadyContext) -> None:
    """Ask before erasing; the question says honestly what cannot be erased."""
    me = person(update.effective_user)
    services = context.services
    asked = services.now()
    crisis = services.settings.crisis_text or t("help.crisis_default", me.language)
    buttons = (
        (Button(t("privacy.delete_now", me.language), callbacks.Erase("now", asked).encode()),),
        (Button(t("privacy.delete_later", me.language), callbacks.Erase("later", asked).encode()),),
        (Button(t("privacy.delete_keep", me.language), callbacks.Erase("keep", asked).encode()),),
    )
    await reply(update, t("privacy.delete_confirm", me.language, crisis=crisis), keyboard(buttons))


async def delete_button(update: Update, context: SteadyContext, button: callbacks.Erase) -> None:
    """Erase, or keep; a stale or forged confirmation changes nothing (they can ask again)."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    now = services.now()
    if not await settle(query, not privacy.confirmation_valid(button.asked_at, now), me.language):
        return
    if button.choice == "keep":
        await query.edit_message_text(t("privacy.kept", me.language))
        return
    delay = privacy.NOTICE_DELAY if button.choice == "later" else 0
    outcome = await privacy.erase(services.database, me.id, now, delay)
    services.chosen_languages.forget(me.id)
    if outcome is privacy.EraseOutcome.UNKNOWN:
        await query.edit_message_text(t("privacy.nothing", me.language))
        return
    key = "privacy.deleted_later" if delay else "privacy.deleted"
    await query.edit_message_text(t(key, me.language))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("export", export, filters=private))
    app.add_handler(CommandHandler("delete", delete, filters=private))
    app.add_handler(ButtonHandler(callbacks.Erase, delete_button))

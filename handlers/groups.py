"""Group chats: Steady works only in private, so a command there gets a pointer to it, and a
button pressed there (forged, or under a forwarded message) does nothing but say so."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import SteadyContext
from bot.texts import t
from handlers.common import in_private_chat, person
from scheduler import direct


async def private_only(update: Update, context: SteadyContext) -> None:
    """Explain that pairing and answers happen in a private chat."""
    link = f"https://t.me/{context.bot.username}"
    text = t("fallback.group", person(update.effective_user).language, link=link)
    if update.effective_chat is not None:
        # A pointer only: nothing private. In the bot's one budget, as any message.
        await direct.send(context.bot, update.effective_chat.id, text)


async def button_outside_private(update: Update, context: SteadyContext) -> None:
    """A notice on the button, seen by the presser alone; nothing runs, nothing is posted."""
    query = update.callback_query
    await query.answer(t("fallback.group_button", person(query.from_user).language))


class _ButtonOutsidePrivate(CallbackQueryHandler):
    """Any callback query whose message is not in a private chat (or has no message at all,
    as under an inline-mode message), whatever its data."""

    def check_update(self, update: object) -> bool:
        query = update.callback_query if isinstance(update, Update) else None
        return query is not None and not in_private_chat(query)


def register(app: Application) -> None:
    # Only commands: Steady must not chatter at every message in a group it was added to.
    app.add_handler(MessageHandler(~filters.ChatType.PRIVATE & filters.COMMAND, private_only))
    app.add_handler(_ButtonOutsidePrivate(button_outside_private))

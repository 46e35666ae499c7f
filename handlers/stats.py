"""/stats: the owner's counts, for ADMIN_IDS only; anyone else gets the unknown-command reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot import stats
from bot.context import SteadyContext
from handlers import fallback
from handlers.common import person, reply


async def stats_command(update: Update, context: SteadyContext) -> None:
    """Counts for an owner; for anyone else exactly what an unknown command gets."""
    me = person(update.effective_user)
    services = context.services
    settings = services.settings
    if not stats.is_admin(me.id, settings.admin_ids):
        await fallback.unknown_command(update, context)
        return
    text = await stats.report(
        services.database, settings.heartbeat_path, services.now(), me.language
    )
    await reply(update, text)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("stats", stats_command, filters=filters.ChatType.PRIVATE))

"""/progress: the couple's last weeks as a chart, with the same in words beside it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot import (
    progress,
    trust_progress,  # noqa: F401 (registers the promise and agreement seams)
)
from bot.context import SteadyContext
from bot.models import Media
from bot.texts import t
from handlers.common import person, reply
from scheduler import direct


async def progress_command(update: Update, context: SteadyContext) -> None:
    """The chart, drawn off the event loop, as a direct reply to the person who asked."""
    me = person(update.effective_user)
    services = context.services
    chart = await progress.chart_for(
        services.database, me.id, services.now(), services.settings.default_timezone
    )
    if chart is None:
        await reply(update, t("progress.not_paired", me.language))
        return
    # The summary is the picture's caption: a screen reader reads it with the picture. Too
    # long for one (many series), it follows as a message of its own.
    fits = len(chart.summary) <= progress.CAPTION_MAX
    await direct.send(
        context.bot,
        me.id,
        chart.summary if fits else "",
        media=Media("photo", chart.png, "steady-weeks.png"),
    )
    if not fits:
        await reply(update, chart.summary)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("progress", progress_command, filters=filters.ChatType.PRIVATE))

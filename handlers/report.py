"""/report: choose a period, then each partner privately agrees (or not) to a PDF summary."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot import callbacks, pairing, report
from bot.context import SteadyContext
from bot.models import Button
from bot.texts import amount, t
from handlers.common import ButtonHandler, keyboard, person, reply, settle


async def report_command(update: Update, context: SteadyContext) -> None:
    """Offer the periods (or explain pairing first)."""
    me = person(update.effective_user)
    if await pairing.current_couple(context.services.database, me.id) is None:
        await reply(update, t("report.not_paired", me.language))
        return
    periods = tuple(
        Button(
            t("report.weeks", me.language, weeks=amount("weeks", weeks, me.language)),
            callbacks.ReportPeriod(weeks).encode(),
        )
        for weeks in report.PERIODS
    )
    await reply(update, t("report.choose", me.language), keyboard((periods,)))


async def period_button(
    update: Update, context: SteadyContext, button: callbacks.ReportPeriod
) -> None:
    """A period chosen: both partners are asked privately."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    outcome = await report.ask(services.database, me.id, button.weeks, services.now())
    if not await settle(query, outcome is report.Outcome.STALE, me.language):
        return
    key = {
        report.Outcome.ASKED: "report.asked",
        report.Outcome.PENDING: "report.pending",
        report.Outcome.NOT_PAIRED: "report.not_paired",
    }[outcome]
    await reply(update, t(key, me.language))


async def consent_button(
    update: Update, context: SteadyContext, button: callbacks.ReportConsent
) -> None:
    """ "I agree" or "No, thanks", from one partner, privately."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    db, now = services.database, services.now()
    outcome = await report.answer(db, me.id, button.request_id, button.agree, now)
    if not await settle(query, outcome is report.Outcome.STALE, me.language):
        return
    key = {
        report.Outcome.DECLINED: "report.declined",
        report.Outcome.BOTH: "report.both",
    }.get(outcome, "report.agreed")
    await reply(update, t(key, me.language))
    if outcome is report.Outcome.BOTH:
        # Made now rather than at the next tick (which would make it after a crash here).
        await report.make_due(db, now, services.settings.default_timezone)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("report", report_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(ButtonHandler(callbacks.ReportPeriod, period_button))
    app.add_handler(ButtonHandler(callbacks.ReportConsent, consent_button))

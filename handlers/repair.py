"""/conflict, the break-length buttons, and the repair nudge's buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot import callbacks, guided, pairing, repair
from bot.context import SteadyContext
from bot.models import Button
from bot.texts import amount, local_time, t
from handlers.common import ButtonHandler, keyboard, person, refuse_stale, reply, settle


def _lengths(language: str) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        (Button(t(f"repair.length_{key}", language), callbacks.BreakLength(key).encode()),)
        for key in repair.LENGTHS
    )


def _max_break(language: str) -> str:
    return amount("hours", repair.MAX_BREAK // 3600, language)


async def conflict(update: Update, context: SteadyContext) -> None:
    """Offer the break lengths (or explain pairing first)."""
    me = person(update.effective_user)
    if await pairing.current_couple(context.services.database, me.id) is None:
        await reply(update, t("repair.not_paired", me.language))
        return
    await reply(
        update,
        t("repair.choose", me.language, min=amount("minutes", repair.MIN_BREAK // 60, me.language)),
        keyboard(_lengths(me.language)),
    )


async def menu_button(update: Update, context: SteadyContext, _: callbacks.ConflictMenu) -> None:
    """The /help button asking for the break lengths."""
    await update.callback_query.answer()
    await conflict(update, context)


async def length_button(
    update: Update, context: SteadyContext, button: callbacks.BreakLength
) -> None:
    """A break length chosen."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    settings = services.settings
    result = await repair.start_break(
        services.database,
        me.id,
        button.length,
        services.now(),
        settings.default_timezone,
        settings.help_url,
    )
    if not await settle(query, result.outcome is repair.Outcome.STALE, me.language):
        return  # not a length we offer
    if result.outcome is repair.Outcome.NOT_PAIRED:
        await reply(update, t("repair.not_paired", me.language))
        return
    when = local_time(result.ends_at, "clock_day", me.language) if result.ends_at else ""
    key = "repair.replaced" if result.outcome is repair.Outcome.REPLACED else "repair.started"
    await reply(update, t(key, me.language, time=when, max=_max_break(me.language)))


async def phrase_button(update: Update, context: SteadyContext, button: callbacks.Phrase) -> None:
    """Send one repair phrase to the partner."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    outcome = await repair.send_phrase(
        services.database, me.id, button.break_id, button.index, services.now()
    )
    if outcome is repair.Outcome.STALE:
        await refuse_stale(query, me.language)
        return
    await query.answer(t("repair.phrase_sent", me.language))


async def ready_button(update: Update, context: SteadyContext, button: callbacks.Ready) -> None:
    """Ready to talk, or more time; the same acknowledgement whatever the partner did."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    break_id = button.break_id
    if button.ready:
        outcome = await repair.ready(services.database, me.id, break_id, services.now())
        if not await settle(query, outcome is repair.Outcome.STALE, me.language):
            return
        await reply(update, t("repair.ready_ack", me.language))
        return
    result = await repair.more_time(
        services.database, me.id, break_id, services.now(), services.settings.default_timezone
    )
    if not await settle(query, result.outcome is repair.Outcome.STALE, me.language):
        return
    if result.outcome is repair.Outcome.AT_LIMIT:
        await reply(update, t("repair.at_limit", me.language, max=_max_break(me.language)))
        return
    when = local_time(result.ends_at, "clock_day", me.language) if result.ends_at else ""
    await reply(update, t("repair.more_ack", me.language, time=when))


async def guided_button(
    update: Update, context: SteadyContext, button: callbacks.StartGuided | callbacks.StopGuided
) -> None:
    """Start the guided conversation (after both were ready), or stop it at a step."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    if isinstance(button, callbacks.StartGuided):
        outcome = await guided.start(services.database, me.id, button.break_id, services.now())
    else:
        outcome = await guided.stop(services.database, me.id, button.round_id, services.now())
    if not await settle(query, outcome is guided.Outcome.STALE, me.language):
        return
    key = {
        guided.Outcome.STARTED: "guided.started",
        guided.Outcome.ALREADY: "guided.already",
        guided.Outcome.STOPPED: "guided.stopped_me",
    }[outcome]
    await reply(update, t(key, me.language))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("conflict", conflict, filters=private))
    app.add_handler(ButtonHandler(callbacks.ConflictMenu, menu_button))
    app.add_handler(ButtonHandler(callbacks.BreakLength, length_button))
    app.add_handler(ButtonHandler(callbacks.Phrase, phrase_button))
    app.add_handler(ButtonHandler(callbacks.Ready, ready_button))
    app.add_handler(ButtonHandler(callbacks.StartGuided, guided_button))
    app.add_handler(ButtonHandler(callbacks.StopGuided, guided_button))

"""/firststeps and its buttons: the offer, both saying yes, not now, stop, what next."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot import callbacks, firststeps
from bot.context import SteadyContext
from bot.firststeps import Outcome, View
from bot.schedule_rules import parse_time
from bot.texts import t
from handlers.common import ButtonHandler, keyboard, person, reply, settle

# What the presser is told, by outcome (the partner hears through the outbox).
_REPLIES = {
    Outcome.ASKED: "firststeps.asked",
    Outcome.WAITING: "firststeps.waiting",
    Outcome.STARTED: "firststeps.started",
    Outcome.DECLINED: "firststeps.declined",
    Outcome.STOPPED: "firststeps.stopped",
    Outcome.TIME_SET: "firststeps.time_set",
    Outcome.NOT_PAIRED: "firststeps.not_paired",
}


async def first_steps(update: Update, context: SteadyContext) -> None:
    """Offer first steps, show where they are, or (`/firststeps 21:30`) set their time."""
    me = person(update.effective_user)
    services = context.services
    args = context.args or []
    if args:
        at = parse_time(args[0])
        if at is None:
            await reply(update, t("firststeps.time_usage", me.language))
            return
        view = await firststeps.set_time(services.database, me.id, at, services.now())
        if view.outcome is Outcome.STALE:
            await reply(update, t("firststeps.nothing_under_way", me.language))
            return
    else:
        view = await firststeps.show(services.database, me.id, services.now())
    await _render(update, view, me.language)


async def _render(update: Update, view: View, language: str) -> None:
    if view.text:
        await reply(update, view.text, keyboard(view.buttons) if view.buttons else None)
    elif view.outcome in _REPLIES:
        await reply(update, t(_REPLIES[view.outcome], language, partner=view.partner))


async def menu_button(
    update: Update, context: SteadyContext, button: callbacks.FirstStepsMenu
) -> None:
    """/help's "First steps" button: what /firststeps shows."""
    query = update.callback_query
    me = person(query.from_user)
    await query.answer()
    services = context.services
    await _render(
        update, await firststeps.show(services.database, me.id, services.now()), me.language
    )


async def button(update: Update, context: SteadyContext, pressed: callbacks.FirstSteps) -> None:
    """Begin (with a pace), not now, stop, or one of the next steps after both said yes."""
    query = update.callback_query
    me = person(query.from_user)
    db, now = context.services.database, context.services.now()
    action, journey_id = pressed.action, pressed.journey_id
    if action in firststeps.PACES:
        view = await firststeps.say_yes(db, me.id, journey_id, action, now)
    elif action == "no":
        view = await firststeps.decline(db, me.id, journey_id, now)
    elif action == "stop":
        view = await firststeps.stop(db, me.id, journey_id, now)
    else:
        view = await firststeps.next_step(db, me.id, journey_id, action)
    if not await settle(query, view.outcome is Outcome.STALE, me.language):
        return
    await _render(update, view, me.language)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("firststeps", first_steps, filters=private))
    app.add_handler(ButtonHandler(callbacks.FirstSteps, button))
    app.add_handler(ButtonHandler(callbacks.FirstStepsMenu, menu_button))

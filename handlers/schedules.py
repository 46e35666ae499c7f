"""/schedule (text or buttons), /timezone, /pause, /resume and /skip."""

from __future__ import annotations

from datetime import datetime

from telegram import Message, Update
from telegram.ext import Application, CommandHandler, filters

from bot import callbacks, scheduling
from bot.context import SteadyContext
from bot.models import Button
from bot.schedule_rules import (
    DAY_NAMES,
    EVERY_DAY,
    Schedule,
    parse_pause,
    parse_schedule,
    parse_time,
    resolve_zone,
    zone_or_none,
)
from bot.texts import day_name, local_time, t, zone_city
from handlers.common import ButtonHandler, keyboard, person, reply

TIMES = ("07:00", "08:00", "12:00", "18:00", "20:00", "21:00", "22:00")
COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
)


def _when(moment: datetime | None, language: str) -> str:
    return local_time(moment, "when", language) if moment else t("schedule.next_none", language)


def _picker(days: int, language: str) -> tuple[tuple[Button, ...], ...]:
    """Day toggles and time buttons; the choice so far lives in the buttons, not in memory."""
    day_buttons = tuple(
        Button(
            t("formats.chosen_day", language, day=day_name(i, language))
            if days >> i & 1
            else day_name(i, language),
            callbacks.PickDays(days ^ (1 << i)).encode(),
        )
        for i in range(len(DAY_NAMES))
    )
    times = tuple(
        Button(at, callbacks.PickTime(days, at.replace(":", "")).encode()) for at in TIMES
    )
    return (
        day_buttons[:4],
        day_buttons[4:],
        times[:4],
        times[4:],
        (
            Button(t("schedule.other", language), callbacks.OtherTime(days).encode()),
            Button(t("schedule.off_button", language), callbacks.ScheduleOff().encode()),
        ),
    )


async def _overview_text(context: SteadyContext, user_id: int, language: str) -> str | None:
    services = context.services
    view = await scheduling.overview(
        services.database, user_id, services.now(), services.settings.default_timezone
    )
    if view is None:
        return None
    if view.schedule is None:
        return t("schedule.none", language)
    text = t(
        "schedule.current",
        language,
        summary=scheduling.describe(view.schedule, language),
        zone=view.zone,
        next=t("schedule.next", language, when=_when(view.next_for_me, language)),
    )
    if view.paused_until is not None:
        text += "\n" + t("schedule.paused_note", language, until=_until(view, language))
    return text


def _until(view: scheduling.Overview, language: str) -> str:
    """Until when a pause holds: the date it was asked to end, the same for both partners
    (its moment is midnight in the pauser's zone), as the pauser was told."""
    if view.paused_until is None or view.paused_day is None:
        return t("pause.until_resumed", language)
    return t("pause.until_date", language, date=local_time(view.paused_day, "date", language))


async def schedule(update: Update, context: SteadyContext) -> None:
    """Show the schedule with a picker, or set it from text like `mon wed fri 8:30pm`."""
    me = person(update.effective_user)
    if context.args:
        parsed = parse_schedule(" ".join(context.args))
        if parsed is None:
            await reply(update, t("schedule.invalid", me.language))
            return
        await _save(update, context, parsed)
        return
    text = await _overview_text(context, me.id, me.language)
    if text is None:
        await reply(update, t("checkin.not_paired", me.language))
        return
    await reply(update, text, keyboard(_picker(EVERY_DAY, me.language)))


async def _save(update: Update, context: SteadyContext, chosen: Schedule) -> None:
    me = person(update.effective_user)
    services = context.services
    outcome = await scheduling.set_schedule(
        services.database, me.id, chosen, services.now(), services.settings.default_timezone
    )
    if outcome is scheduling.Outcome.NOT_PAIRED:
        await reply(update, t("checkin.not_paired", me.language))
        return
    await reply(update, await _saved_text(context, me.id, me.language, chosen))


async def _saved_text(context: SteadyContext, user_id: int, language: str, chosen: Schedule):
    if chosen.off:
        return t("schedule.saved_off", language)
    services = context.services
    view = await scheduling.overview(
        services.database, user_id, services.now(), services.settings.default_timezone
    )
    when = _when(view.next_for_me if view else None, language)
    summary = scheduling.describe(chosen, language)
    return t("schedule.saved", language, summary=summary, when=when)


async def pick_days(update: Update, context: SteadyContext, button: callbacks.PickDays) -> None:
    """A day toggled in the picker: the picker is redrawn (the choice lives in the buttons)."""
    query = update.callback_query
    await query.answer()
    if isinstance(query.message, Message):
        language = person(query.from_user).language
        await query.edit_message_text(
            t("schedule.pick_days", language),
            reply_markup=keyboard(_picker(button.days & EVERY_DAY, language)),
        )


async def other_time(update: Update, context: SteadyContext, _: callbacks.OtherTime) -> None:
    """ "Another time": how to type one."""
    await update.callback_query.answer()
    await reply(update, t("schedule.other_time", person(update.effective_user).language))


async def accept_default(
    update: Update, context: SteadyContext, button: callbacks.AcceptDefaultSchedule
) -> None:
    """The after-pairing offer; only for the presser's own couple, only while none is set."""
    query = update.callback_query
    await query.answer()
    me = person(query.from_user)
    services = context.services
    outcome = await scheduling.accept_default(
        services.database,
        me.id,
        button.couple_id,
        services.now(),
        services.settings.default_timezone,
    )
    if outcome is scheduling.Outcome.SAVED:
        text = await _saved_text(context, me.id, me.language, scheduling.DEFAULT_SCHEDULE)
        await reply(update, text)
    elif outcome is scheduling.Outcome.UNCHANGED:
        await reply(update, t("schedule.already_set", me.language))
    else:
        await reply(update, t("fallback.stale_button", me.language))


async def pick_time(
    update: Update, context: SteadyContext, button: callbacks.PickTime | callbacks.ScheduleOff
) -> None:
    """A time tapped (the days chosen so far come with it), or "no check-ins"."""
    await update.callback_query.answer()
    if isinstance(button, callbacks.ScheduleOff):
        await _save(update, context, Schedule(0, scheduling.DEFAULT_SCHEDULE.at))
        return
    at = parse_time(f"{button.at[:2]}:{button.at[2:]}")
    days = button.days & EVERY_DAY
    if at is None or days == 0:
        await reply(update, t("schedule.invalid", person(update.effective_user).language))
        return
    await _save(update, context, Schedule(days, at))


async def timezone(update: Update, context: SteadyContext) -> None:
    """Show or set the person's own time zone: a zone name, a city, or a UTC offset."""
    me = person(update.effective_user)
    services = context.services
    if context.args:
        zone = resolve_zone(" ".join(context.args))
        if zone is None:
            await reply(update, t("timezone.invalid", me.language))
            return
        await _set_zone(update, context, zone)
        return
    current = await scheduling.timezone_of(services.database, me.id)
    buttons = tuple(
        Button(zone_city(z, me.language), callbacks.TimeZone(z).encode()) for z in COMMON_ZONES
    )
    rows = tuple(buttons[i : i + 3] for i in range(0, len(buttons), 3))
    if current is None:
        text = t("timezone.unset", me.language, zone=services.settings.default_timezone)
    else:
        now = local_time(
            services.clock.now().astimezone(zone_or_none(current)), "clock", me.language
        )
        text = t("timezone.current", me.language, zone=current, now=now)
    await reply(update, text, keyboard(rows))


async def timezone_button(
    update: Update, context: SteadyContext, button: callbacks.TimeZone
) -> None:
    """A common zone tapped; anything not a real zone is refused."""
    query = update.callback_query
    await query.answer()
    zone = button.zone
    if zone_or_none(zone) is None:
        await reply(update, t("timezone.invalid", person(query.from_user).language))
        return
    await _set_zone(update, context, zone)


async def _set_zone(update: Update, context: SteadyContext, zone: str) -> None:
    me = person(update.effective_user)
    services = context.services
    await scheduling.set_timezone(
        services.database, me, zone, services.now(), services.settings.default_timezone
    )
    local_now = local_time(
        services.clock.now().astimezone(zone_or_none(zone)), "clock", me.language
    )
    await reply(update, t("timezone.saved", me.language, zone=zone, now=local_now))


async def pause(update: Update, context: SteadyContext) -> None:
    """`/pause` (until resumed), `/pause 2026-12-24`, `/pause 3 days`."""
    me = person(update.effective_user)
    services = context.services
    until = None
    if context.args:
        today = await scheduling.local_today(
            services.database, me.id, services.now(), services.settings.default_timezone
        )
        until = parse_pause(" ".join(context.args), today)
        if until is None:
            await reply(update, t("pause.invalid", me.language))
            return
    outcome = await scheduling.pause(
        services.database, me.id, until, services.now(), services.settings.default_timezone
    )
    if outcome is scheduling.PauseOutcome.PAUSED:
        when = (
            t("pause.until_date", me.language, date=local_time(until, "date", me.language))
            if until
            else t("pause.until_resumed", me.language)
        )
        await reply(update, t("pause.paused", me.language, until=when))
    else:
        await _pause_refusal(update, outcome, me.language)


async def resume(update: Update, context: SteadyContext) -> None:
    """End a pause (and an intended skip)."""
    me = person(update.effective_user)
    services = context.services
    outcome = await scheduling.resume(services.database, me.id, services.now())
    if outcome is scheduling.PauseOutcome.RESUMED:
        view = await scheduling.overview(
            services.database, me.id, services.now(), services.settings.default_timezone
        )
        when = _when(view.next_for_me if view else None, me.language)
        await reply(update, t("pause.resumed", me.language, when=when))
    else:
        await _pause_refusal(update, outcome, me.language)


async def skip(update: Update, context: SteadyContext) -> None:
    """Skip only the next scheduled check-in."""
    me = person(update.effective_user)
    services = context.services
    outcome = await scheduling.skip_next(services.database, me.id, services.now())
    if outcome is scheduling.PauseOutcome.SKIPPING:
        await reply(update, t("pause.skipping", me.language))
    else:
        await _pause_refusal(update, outcome, me.language)


async def _pause_refusal(update: Update, outcome: scheduling.PauseOutcome, language: str) -> None:
    key = {
        scheduling.PauseOutcome.NOT_PAIRED: "checkin.not_paired",
        scheduling.PauseOutcome.NO_SCHEDULE: "pause.no_schedule",
        scheduling.PauseOutcome.NOT_PAUSED: "pause.not_paused",
    }[outcome]
    await reply(update, t(key, language))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("schedule", schedule, filters=private))
    app.add_handler(CommandHandler("timezone", timezone, filters=private))
    app.add_handler(CommandHandler("pause", pause, filters=private))
    app.add_handler(CommandHandler("resume", resume, filters=private))
    app.add_handler(CommandHandler("skip", skip, filters=private))
    app.add_handler(ButtonHandler(callbacks.PickDays, pick_days))
    app.add_handler(ButtonHandler(callbacks.OtherTime, other_time))
    app.add_handler(ButtonHandler(callbacks.AcceptDefaultSchedule, accept_default))
    app.add_handler(ButtonHandler(callbacks.PickTime, pick_time))
    app.add_handler(ButtonHandler(callbacks.ScheduleOff, pick_time))
    app.add_handler(ButtonHandler(callbacks.TimeZone, timezone_button))

"""/schedule (text or buttons), /timezone, /pause, /resume and /skip."""

from __future__ import annotations

from datetime import datetime

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import scheduling
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
from bot.texts import local_time, t
from handlers.common import keyboard, person, reply

SCHEDULE_PATTERN = r"^v1:sch:(def:\d+|d:\d{1,3}|t:\d{1,3}:\d{4}|o:\d{1,3}|off)$"
TIMEZONE_PATTERN = r"^v1:tz:[A-Za-z_/+-]{1,50}$"
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
            t("formats.chosen_day", language, day=t(f"days.{name}", language))
            if days >> i & 1
            else t(f"days.{name}", language),
            f"v1:sch:d:{days ^ (1 << i)}",
        )
        for i, name in enumerate(DAY_NAMES)
    )
    times = tuple(Button(at, f"v1:sch:t:{days}:{at.replace(':', '')}") for at in TIMES)
    return (
        day_buttons[:4],
        day_buttons[4:],
        times[:4],
        times[4:],
        (
            Button(t("schedule.other", language), f"v1:sch:o:{days}"),
            Button(t("schedule.off_button", language), "v1:sch:off"),
        ),
    )


async def _overview_text(context: SteadyContext, user_id: int, language: str) -> str | None:
    services = context.services
    view = await scheduling.overview(services.database, user_id, services.settings.default_timezone)
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
    if view.paused_until is None or view.paused_until >= scheduling.FOREVER:
        return t("pause.until_resumed", language)
    day = local_time(
        datetime.fromtimestamp(view.paused_until, zone_or_none(view.zone)), "date", language
    )
    return t("pause.until_date", language, date=day)


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
    services.queued()
    await reply(update, await _saved_text(context, me.id, me.language, chosen))


async def _saved_text(context: SteadyContext, user_id: int, language: str, chosen: Schedule):
    if chosen.off:
        return t("schedule.saved_off", language)
    view = await scheduling.overview(
        context.services.database, user_id, context.services.settings.default_timezone
    )
    when = _when(view.next_for_me if view else None, language)
    summary = scheduling.describe(chosen, language)
    return t("schedule.saved", language, summary=summary, when=when)


async def schedule_button(update: Update, context: SteadyContext) -> None:
    """The picker and the after-pairing offer; every press is checked against the presser."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    parts = query.data.split(":")[2:]
    await query.answer()
    if parts[0] == "d":
        days = int(parts[1]) & EVERY_DAY
        if isinstance(query.message, Message):
            await query.edit_message_text(
                t("schedule.pick_days", me.language),
                reply_markup=keyboard(_picker(days, me.language)),
            )
        return
    if parts[0] == "o":
        await reply(update, t("schedule.other_time", me.language))
        return
    if parts[0] == "def":
        outcome = await scheduling.accept_default(
            services.database,
            me.id,
            int(parts[1]),
            services.now(),
            services.settings.default_timezone,
        )
        if outcome is scheduling.Outcome.SAVED:
            services.queued()
            text = await _saved_text(context, me.id, me.language, scheduling.DEFAULT_SCHEDULE)
            await reply(update, text)
        elif outcome is scheduling.Outcome.UNCHANGED:
            await reply(update, t("schedule.already_set", me.language))
        else:
            await reply(update, t("fallback.stale_button", me.language))
        return
    if parts[0] == "off":
        chosen = Schedule(0, scheduling.DEFAULT_SCHEDULE.at)
    else:
        at = parse_time(f"{parts[2][:2]}:{parts[2][2:]}")
        days = int(parts[1]) & EVERY_DAY
        if at is None or days == 0:
            await reply(update, t("schedule.invalid", me.language))
            return
        chosen = Schedule(days, at)
    await _save(update, context, chosen)


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
    buttons = tuple(Button(z.split("/")[-1].replace("_", " "), f"v1:tz:{z}") for z in COMMON_ZONES)
    rows = tuple(buttons[i : i + 3] for i in range(0, len(buttons), 3))
    if current is None:
        text = t("timezone.unset", me.language, zone=services.settings.default_timezone)
    else:
        now = local_time(
            services.clock.now().astimezone(zone_or_none(current)), "clock", me.language
        )
        text = t("timezone.current", me.language, zone=current, now=now)
    await reply(update, text, keyboard(rows))


async def timezone_button(update: Update, context: SteadyContext) -> None:
    """A common zone tapped; anything not a real zone is refused."""
    query = update.callback_query
    await query.answer()
    zone = query.data.split(":", 2)[2]
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
        services.queued()
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
        services.queued()
        view = await scheduling.overview(
            services.database, me.id, services.settings.default_timezone
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
        services.queued()
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
    app.add_handler(CallbackQueryHandler(schedule_button, pattern=SCHEDULE_PATTERN))
    app.add_handler(CallbackQueryHandler(timezone_button, pattern=TIMEZONE_PATTERN))

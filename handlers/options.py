"""/options: how long check-ins stay open and the reminder (the couple's), and a person's own
settings: how long revealed answers are kept, discreet mode and quiet hours."""

from __future__ import annotations

from datetime import time

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot import callbacks, checkins, privacy, progress, ratings, reviews, weekly
from bot.context import Services, SteadyContext
from bot.models import Person
from bot.schedule_rules import parse_time
from bot.texts import amount, day_name, t
from handlers.common import person, reply

_WINDOW_BOUNDS = {"min": checkins.MIN_WINDOW_HOURS, "max": checkins.MAX_WINDOW_HOURS}

# /options words in the four languages, accepted whatever language someone reads Steady in.
_OPTION_WORDS = {
    **dict.fromkeys(("окно", "ventana", "fenster"), "window"),
    **dict.fromkeys(("напоминание", "recordatorio", "erinnerung"), "reminder"),
    **dict.fromkeys(("хранить", "guardar", "behalten"), "keep"),
    **dict.fromkeys(("скрытно", "discreto", "diskret"), "discreet"),
    **dict.fromkeys(("тишина", "silencio", "ruhe"), "quiet"),
    **dict.fromkeys(("обзор", "revisión", "revision", "rückblick"), "review"),
    **dict.fromkeys(("итоги", "semanal", "wochenrückblick"), "weekly"),
    **dict.fromkeys(("безопасность", "seguridad", "sicherheit"), "rating"),
}
_ON = frozenset(("on", "yes", "вкл", "да", "sí", "si", "an", "ein", "ja"))
_NO_REMINDER = frozenset(("off", "none", "no", "выкл", "нет", "aus", "keine"))


async def options(update: Update, context: SteadyContext) -> None:
    """`/options`, `/options window 12`, `/options reminder 3|off`, `/options keep 90` (or
    `/options окно 12`, `/options recordatorio no`, `/options Erinnerung aus`)."""
    me = person(update.effective_user)
    services = context.services
    args = [a.lower() for a in context.args or []]
    if args:
        args[0] = _OPTION_WORDS.get(args[0], args[0])
    if args and args[0] == "keep":
        await _keep(update, services, me, args[1:])
        return
    if args and args[0] == "review":
        await _review(update, services, me, args[1:])
        return
    if args and args[0] in {"discreet", "quiet"}:
        await _phone(update, services, me, args[0], args[1:])
        return
    if args and args[0] in progress.OPT_INS:
        await _weekly(update, services, me, args[0], args[1:])
        return
    outcome = checkins.OptionsOutcome.SAVED
    if len(args) == 2 and args[0] in {"window", "reminder"}:
        value = args[1].removesuffix("h").removesuffix("ч")
        if args[0] == "reminder" and value in _NO_REMINDER:
            outcome = await checkins.set_reminder(services.database, me.id, None, services.now())
        elif (hours := callbacks.bounded_int(value, 10_000)) is not None:
            change = checkins.set_window if args[0] == "window" else checkins.set_reminder
            outcome = await change(services.database, me.id, hours, services.now())
        else:
            outcome = checkins.OptionsOutcome.INVALID
    elif args:
        outcome = checkins.OptionsOutcome.INVALID
    current = await checkins.round_options(services.database, me.id)
    if current is None or outcome is checkins.OptionsOutcome.NOT_PAIRED:
        text = t("checkin.not_paired", me.language)
        if not args:  # one's own settings hold paired or not: a shared phone may want to know
            keep, phone = await _own_settings(services, me)
            text += f"\n\n{keep}\n{phone}"
        await reply(update, text)
    elif outcome is checkins.OptionsOutcome.INVALID:
        longest = amount("hours", checkins.MAX_WINDOW_HOURS, me.language)
        bounds = {"min": checkins.MIN_WINDOW_HOURS, "max": longest}  # "1 to 72 hours"
        await reply(update, t("options.invalid", me.language, **bounds))
    else:
        summary = checkins.options_summary(me.language, *current)
        if args:
            await reply(update, t("options.saved", me.language, summary=summary))
        else:
            keep, phone = await _own_settings(services, me)
            text = t(
                "options.current",
                me.language,
                summary=summary,
                keep=keep,
                phone=phone,
                **_WINDOW_BOUNDS,
            )
            # Each feature's own option follows, in its own words (bot/locales/*/<feature>.ftl).
            review = await reviews.review_on(services.database, me.id)
            state = t("review.state_on" if review else "review.state_off", me.language)
            text += "\n" + t("review.option_line", me.language, state=state)
            await reply(update, f"{text}\n\n{await _weekly_line(services, me)}")


async def _own_settings(services: Services, me: Person) -> tuple[str, str]:
    """How long one's words are kept, and one's phone settings, in words."""
    keep = privacy.keep_words(
        await privacy.keep_choice(services.database, me.id),
        me.language,
        services.settings.retention_days,
    )
    phone = privacy.phone_words(await privacy.phone_settings(services.database, me.id), me.language)
    return keep, phone


_KEEP_WORDS = {
    **dict.fromkeys(("forever", "always", "всегда", "навсегда", "siempre", "immer"), None),
    **{str(d): d for d in privacy.KEEP_CHOICES},
}


async def _keep(update: Update, services: Services, me: Person, args: list[str]) -> None:
    """How long this person's revealed texts are kept; works paired or not."""
    choice = args[0].removesuffix("d") if len(args) == 1 else ""
    if choice not in _KEEP_WORDS:
        await reply(update, t("options.keep_invalid", me.language))
        return
    days = _KEEP_WORDS[choice]
    if not await privacy.set_keep(services.database, me, days, services.now()):
        await reply(update, t("privacy.export_nothing", me.language))
        return
    keep = privacy.keep_words(days, me.language, services.settings.retention_days)
    await reply(update, t("options.keep_saved", me.language, keep=keep))


async def _phone(
    update: Update, services: Services, me: Person, setting: str, args: list[str]
) -> None:
    """Discreet mode and quiet hours, for a phone others may see; paired or not."""
    word = " ".join(args)
    now = services.now()
    done: bool | None = None
    if setting == "discreet" and word in _ON | _NO_REMINDER:
        done = await privacy.set_discreet(services.database, me.id, word in _ON, now)
    elif setting == "quiet" and word in _NO_REMINDER:
        done = await privacy.set_quiet(services.database, me.id, None, now)
    elif setting == "quiet" and (hours := _hours(word)) is not None:
        done = await privacy.set_quiet(services.database, me.id, hours, now)
    if done is None:
        await reply(update, t("options.phone_invalid", me.language))
    elif not done:
        await reply(update, t("privacy.export_nothing", me.language))
    else:
        current = await privacy.phone_settings(services.database, me.id)
        setting_words = privacy.phone_words(current, me.language)
        await reply(update, t("options.phone_saved", me.language, setting=setting_words))


async def _review(update: Update, services: Services, me: Person, args: list[str]) -> None:
    """The monthly agreement review, on when both partners turn it on."""
    word = " ".join(args)
    if word not in _ON | _NO_REMINDER:
        await reply(update, t("review.invalid", me.language))
        return
    outcome, partner = await reviews.set_review(
        services.database, me.id, word in _ON, services.now()
    )
    key = {
        reviews.Outcome.NOT_PAIRED: "agreement.not_paired",
        reviews.Outcome.ON_WAITING: "review.on_waiting",
        reviews.Outcome.ON_BOTH: "review.on_both",
        reviews.Outcome.OFF: "review.off",
    }[outcome]
    await reply(update, t(key, me.language, partner=partner))


async def _weekly(
    update: Update, services: Services, me: Person, what: str, args: list[str]
) -> None:
    """The weekly summary or the weekly safety question, on or off for this person; each
    comes only while both partners want it."""
    word = " ".join(args)
    if what == "rating" and (day := ratings.weekday_of(word)) is not None:
        await _rating_day(update, services, me, day)
        return
    if word not in _ON | _NO_REMINDER:
        await reply(update, t("progress.choice_invalid", me.language))
        return
    on = word in _ON
    outcome = await weekly.choose(
        services.database, me.id, what, on, services.now(), services.settings.default_timezone
    )
    if outcome is weekly.Outcome.UNKNOWN:
        await reply(update, t("privacy.export_nothing", me.language))
        return
    state = "waiting" if outcome is weekly.Outcome.WAITING else ("on" if on else "off")
    await reply(update, t(f"progress.{what}_{state}", me.language))


async def _rating_day(update: Update, services: Services, me: Person, day: int) -> None:
    """The couple's day for the weekly safety question (either partner; the other is told)."""
    outcome = await ratings.set_weekday(
        services.database, me.id, day, services.now(), services.settings.default_timezone
    )
    if outcome is ratings.Outcome.NOT_PAIRED:
        await reply(update, t("checkin.not_paired", me.language))
        return
    await reply(update, t("ratings.day_saved", me.language, day=day_name(day, me.language)))


async def _weekly_line(services: Services, me: Person) -> str:
    chosen = await weekly.choices(services.database, me.id)

    def word(on: bool) -> str:
        return t("progress.on" if on else "progress.off", me.language)

    return t(
        "progress.options_line", me.language, weekly=word(chosen.weekly), rating=word(chosen.rating)
    )


def _hours(text: str) -> tuple[time, time] | None:
    """'22:00-08:00', '22-8' or '22:00 - 7:30' (a hyphen or an en dash): from, until, local."""
    parts = [p for p in text.replace("\u2013", "-").replace(" ", "").split("-") if p]
    if len(parts) != 2:
        return None
    start, end = (parse_time(part) for part in parts)
    if start is None or end is None or start == end:
        return None
    return start, end


def register(app: Application) -> None:
    app.add_handler(CommandHandler("options", options, filters=filters.ChatType.PRIVATE))

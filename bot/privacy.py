"""Privacy rights: a person takes their data (/export) or erases themselves (/delete).

Letting go is a respected path: erasing ends the pairing, and the partner learns only that it
ended (optionally a day later, for someone who needs time to be safe), never why."""

from __future__ import annotations

import enum
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from bot import ask_kinds, checkins, repair
from bot.models import Person
from bot.storage.db import Database
from bot.storage.unit import Unit
from bot.texts import amount, local_time, t

EXPORT_VERSION = 1
ZIP_OVER = 1_000_000  # bytes of JSON; larger exports are sent zipped (Telegram allows 50 MB)
NOTICE_DELAY = 24 * 3600  # the longest the partner's notice may wait, on request
CONFIRM_FOR = 3600  # a /delete confirmation button works this long
KEEP_CHOICES = (30, 90, 365)  # days a person may keep revealed texts; or for good (None)
EXPIRE_BATCH = 500
ENDED_NOTICE = "pairing_ended"  # the partner's notice; withdrawn if they pair again before it


@dataclass(frozen=True)
class Export:
    document: dict[str, Any]
    answers: int
    revealed: int
    pairings: int


def _when(moment: int | None) -> str | None:
    if moment is None:
        return None
    return datetime.fromtimestamp(moment, UTC).isoformat()


async def _question(uow: Unit, row: Any, language: str, reader: int) -> str:
    """The question of an exported round, as its reader would read it now."""
    kind = ask_kinds.get(row["kind"])
    try:
        if kind is not None:
            current = await uow.rounds.get(row["round_id"])
            return await kind.question(uow, current, language, reader) if current else ""
        return checkins.question_text(row["kind"], row["prompt_id"], row["step"], language)
    except KeyError:  # a prompt since removed from the library
        return ""


def _choice(row: Any, column: str, language: str) -> str | None:
    """An ask's chosen option in the reader's words (None where nothing was chosen)."""
    kind = ask_kinds.get(row["kind"])
    chosen = row[column]
    if kind is None or chosen not in kind.options:
        return None
    return kind.label(chosen, language)


async def export(db: Database, user_id: int, now: int) -> Export | None:
    """Everything Steady keeps about this person, as they may see it; None if it knows nothing.

    Their own answers (revealed or not), the rounds revealed to them with both answers, their
    pairings and settings, and breaks. Never a partner's answer that was not revealed."""
    async with db.read() as uow:
        profile = await uow.personal.profile(user_id)
        if profile is None:
            return None
        pairings = await uow.personal.pairings(user_id)
        answers = await uow.personal.own_answers(user_id)
        revealed = await uow.personal.revealed(user_id)
        breaks = await uow.personal.breaks(user_id)
        language = profile["language"]
        questions = {
            row["round_id"]: await _question(uow, row, language, user_id)
            for row in [*answers, *revealed]
        }
        promises = await uow.personal.promises(user_id)
        agreements, wordings, steps = await uow.personal.agreements(user_id)
        weekly, rating = await uow.progress.choices(user_id) or (False, False)
    document = {
        "steady_export": EXPORT_VERSION,
        "exported_at": _when(now),
        "profile": {
            "telegram_id": profile["id"],
            "first_name": profile["first_name"],
            "language": language,
            "time_zone": profile["timezone"],
            "since": _when(profile["created_at"]),
            # Opt-ins that count when both partners chose them (/options weekly, rating).
            "weekly_summary": weekly,
            "weekly_safety_rating": rating,
        },
        "pairings": [
            {
                "partner": p["partner_name"],  # None: the partner erased their data
                "paired_at": _when(p["joined_at"]),
                "ended_at": _when(p["ended_at"]),
                "ended_by": None
                if p["ended_by"] is None
                else ("you" if p["ended_by"] == user_id else "partner"),
                "check_in_days": p["days"],  # bit 0 = Monday … bit 6 = Sunday
                "check_in_time": p["local_time"],
                "paused_until": _when(p["paused_until"]),
                "answer_window_hours": p["round_window"] // 3600,
                "reminder_hours_before_close": None
                if p["reminder_before"] is None
                else p["reminder_before"] // 3600,
            }
            for p in pairings
        ],
        "my_answers": [
            {
                "question": questions[a["round_id"]],
                "kind": a["kind"],
                "choice": _choice(a, "choice", language),
                "round_status": a["status"],
                "asked_at": _when(a["opened_at"]),
                "answered_at": _when(a["answered_at"]),
                "last_changed_at": _when(a["updated_at"]),
                "text": a["text"],
            }
            for a in answers
        ],
        "revealed_to_me": [
            {
                "question": questions[r["round_id"]],
                "kind": r["kind"],
                "revealed_at": _when(r["finished_at"]),
                "mine": r["mine"],
                "partner": r["theirs"],  # None: the partner erased their data
                "my_choice": _choice(r, "my_choice", language),
                "partner_choice": _choice(r, "their_choice", language),
            }
            for r in revealed
        ],
        "breaks": [
            {
                "started_at": _when(b["started_at"]),
                "ran_until": _when(b["ends_at"]),
                "status": repair.status_as_seen(b["status"], b["finished_at"], now),
                "started_by": "you" if b["mine"] else "partner",
            }
            for b in breaks
        ],
        "promises": [
            {
                "by": "you" if p["mine"] else "partner",
                "words": p["text"],  # "" once past keeping
                "status": p["status"],
                "made_at": _when(p["created_at"]),
                "due_at": _when(p["due_at"]),
                "due_local": p["due_local"],
                "time_zone": p["zone"],
                "weekly": bool(p["weekly"]),
                "seen_by_partner_at": _when(p["acknowledged_at"]),
                "finished_at": _when(p["finished_at"]),
            }
            for p in promises
        ],
        "agreements": [_agreement(a, wordings, steps) for a in agreements],
    }
    return Export(document, len(answers), len(revealed), len(pairings))


def _agreement(row: Any, wordings: list[dict], steps: list[Any]) -> dict[str, Any]:
    """One agreement as its partners lived it: every wording and every step."""

    def who(mine: Any, gone: Any = False) -> str | None:
        return None if gone else ("you" if mine else "partner")

    return {
        "status": row["status"],
        "proposed_at": _when(row["created_at"]),
        "finished_at": _when(row["finished_at"]),
        "wordings": [
            {
                "words": w["text"],  # "" once past keeping
                "proposed_by": who(w["mine"], w["gone"]),  # None: the partner erased theirs
                "proposed_at": _when(w["proposed_at"]),
                "status": w["status"],
                "current": w["id"] == row["active_version"],
                "decided_at": _when(w["decided_at"]),
            }
            for w in wordings
            if w["agreement_id"] == row["id"]
        ],
        "history": [
            {"step": s["what"], "by": who(s["mine"]), "at": _when(s["at"])}
            for s in steps
            if s["agreement_id"] == row["id"]
        ],
    }


def export_file(data: Export, zip_over: int = ZIP_OVER) -> tuple[str, bytes]:
    """(file name, bytes) to send: JSON, zipped when large. Built in memory only: an export
    is never written to a file another user of the machine could read."""
    raw = json.dumps(data.document, ensure_ascii=False, indent=2).encode()
    if len(raw) <= zip_over:
        return "steady-export.json", raw
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("steady-export.json", raw)
    return "steady-export.zip", buffer.getvalue()


def confirmation_valid(asked_at: int, now: int) -> bool:
    """A /delete confirmation erases only within CONFIRM_FOR of being asked: an old button
    (or one dated in the future: forged) erases nothing."""
    return 0 <= now - asked_at <= CONFIRM_FOR


class EraseOutcome(enum.Enum):
    ERASED = "erased"
    UNKNOWN = "unknown"  # nothing was kept about this person


async def erase(db: Database, user_id: int, now: int, notice_delay: int = 0) -> EraseOutcome:
    """Erase this person. A pairing ends first: its open rounds close with their unmatched
    answers, and nothing of theirs still queued goes out, not even a reveal both had earned
    (it holds their words). The partner is told only that the pairing ended, after
    `notice_delay` seconds (at most a day)."""
    delay = max(0, min(notice_delay, NOTICE_DELAY))
    async with db.unit() as uow:
        await uow.users.lock([user_id])
        if await uow.personal.profile(user_id) is None:
            return EraseOutcome.UNKNOWN
        couple = await uow.couples.active_for(user_id, lock=True)
        if couple is not None:
            await uow.couples.end(couple.id, user_id, now)
            await uow.rounds.cancel_open(couple.id, now)
            await uow.schedules.delete(couple.id)
            await uow.breaks.end_for_couple(couple.id, now)
            await uow.promises.end_for_couple(couple.id, now)
            await uow.agreements.end_for_couple(couple.id, now)
        uow.handoff.withdrawn.extend(await uow.personal.erase(user_id))
        if couple is not None:
            partner = couple.partner_of(user_id)
            text = t("privacy.partner_notice", partner.language)
            await uow.notify(
                partner, ENDED_NOTICE, couple.id, partner.id, text=text, now=now,
                due_at=now + delay,
            )  # fmt: skip
    await db.forget()
    return EraseOutcome.ERASED


async def set_keep(db: Database, person: Person, days: int | None, now: int) -> bool:
    """Keep revealed texts `days` days (one of KEEP_CHOICES) or for good. The shorter of the
    two partners' choices applies, so the partner is told of a change. False: unknown."""
    if days is not None and days not in KEEP_CHOICES:
        raise ValueError(days)
    async with db.unit() as uow:
        await uow.users.lock([person.id])
        if not await uow.personal.set_keep_days(person.id, days, now):
            return False
        couple = await uow.couples.active_for(person.id, lock=True)
        if couple is not None:
            partner = couple.partner_of(person.id)
            text = t(
                "options.partner_keep",
                partner.language,
                partner=couple.member(person.id).first_name,
                keep=keep_words(days, partner.language),
            )
            await uow.notify(partner, "keep", couple.id, partner.id, now, days, text=text, now=now)
    return True


async def keep_choice(db: Database, user_id: int) -> int | None:
    async with db.read() as uow:
        return await uow.personal.keep_days(user_id)


def keep_words(days: int | None, language: str, most: int | None = None) -> str:
    """How long words are kept, as chosen and within the owner's maximum (RETENTION_DAYS,
    `most`): "forever" is not promised where the server deletes after 30 days."""
    if most is not None and (days is None or days > most):
        days = most
    if days is None:
        return t("options.keep_forever", language)
    return t("options.keep_days", language, days=amount("days", days, language))


async def expire_texts(db: Database, now: int, max_days: int | None) -> int:
    """Delete revealed texts kept longer than their couple chose, or than the owner allows
    (RETENTION_DAYS). The rounds stay: counts over time remain. The number of rounds."""
    owner_cutoff = now - max_days * 86400 if max_days else 0
    done = 0
    while True:
        async with db.unit() as uow:
            expired = await uow.personal.expired_rounds(now, owner_cutoff, EXPIRE_BATCH)
            if expired:
                await uow.personal.delete_texts(expired)
        done += len(expired)
        if len(expired) < EXPIRE_BATCH:
            break
    # Promises' and agreements' words go the same way; what happened stays.
    while True:
        async with db.unit() as uow:
            words = await uow.personal.expire_words(now, owner_cutoff, EXPIRE_BATCH)
        if words < EXPIRE_BATCH:
            return done


@dataclass(frozen=True)
class PhoneSettings:
    """How messages reach a person on a phone others may see."""

    discreet: bool = False
    quiet: tuple[time, time] | None = (time(22), time(8))  # local; None: no quiet hours


def _hhmm(moment: time) -> str:
    return moment.strftime("%H:%M")


async def phone_settings(db: Database, user_id: int) -> PhoneSettings | None:
    async with db.read() as uow:
        row = await uow.personal.phone_settings(user_id)
    if row is None:
        return None
    quiet = None
    if row["quiet_from"] and row["quiet_until"]:
        quiet = (time.fromisoformat(row["quiet_from"]), time.fromisoformat(row["quiet_until"]))
    return PhoneSettings(bool(row["discreet"]), quiet)


async def set_discreet(db: Database, user_id: int, on: bool, now: int) -> bool:
    """False: Steady knows nothing of this person yet."""
    async with db.unit() as uow:
        return await uow.personal.set_discreet(user_id, on, now)


async def set_quiet(db: Database, user_id: int, hours: tuple[time, time] | None, now: int) -> bool:
    """Quiet hours from..until in the person's zone (until may be the next morning), or
    None for none. False: Steady knows nothing of this person yet."""
    stored = (_hhmm(hours[0]), _hhmm(hours[1])) if hours else None
    async with db.unit() as uow:
        return await uow.personal.set_quiet(user_id, stored, now)


def in_quiet_hours(local: time, quiet: tuple[time, time] | None) -> bool:
    """Whether `local` falls in the quiet hours (from inclusive, until exclusive); hours
    that cross midnight (22:00-08:00) wrap. Equal ends mean none."""
    if quiet is None:
        return False
    start, end = quiet
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def phone_words(settings: PhoneSettings | None, language: str) -> str:
    """Discreet mode and quiet hours in words, for /options."""
    settings = settings or PhoneSettings()
    discreet = t("options.discreet_on" if settings.discreet else "options.discreet_off", language)
    if settings.quiet is None:
        return f"{discreet} {t('options.quiet_off', language)}"
    start, end = (local_time(moment, "clock", language) for moment in settings.quiet)
    return f"{discreet} {t('options.quiet', language, **{'from': start, 'until': end})}"

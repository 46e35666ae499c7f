"""/report: a PDF summary of the last 4 or 12 weeks, for the couple or a therapist.

It is made only when BOTH partners agreed, each privately ("I agree" under their own message).
Either may decline, and the other is then only told that it was not created. Each receives the
same content in their own language, through the outbox; the PDF exists only there until sent
(the outbox empties a file once Telegram has it), and the request is deleted once over.

Sections beyond check-ins, conflicts and the chart (promises and their outcomes, agreements
and their changes) join with `@report.section`, as series join the chart (bot.progress).
"""

from __future__ import annotations

import asyncio
import enum
import html
import io
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import callbacks, checkins, progress
from bot.logs import where
from bot.models import Button, Couple, Media, Person
from bot.storage.db import Database
from bot.storage.progress import Conflict, ReportRequest
from bot.storage.unit import Unit
from bot.texts import amount, local_time, plain, t
from bot.zones import zone_of

log = logging.getLogger(__name__)

PERIODS = (4, 12)  # weeks
LAPSE = 3 * 24 * 3600  # a request nobody finished answering is dropped after this
DUE_BATCH = 20


class Outcome(enum.Enum):
    ASKED = "asked"  # both were asked privately
    PENDING = "pending"  # a request of this couple is already waiting for answers
    NOT_PAIRED = "not_paired"
    WAITING = "waiting"  # "I agree" kept; the other has not agreed yet (or it is being made)
    BOTH = "both"  # this "I agree" was the second: the report is due now (make_due makes it)
    DECLINED = "declined"  # nothing is made; the other is told only that
    STALE = "stale"  # not theirs, over, or not a period we offer


@dataclass(frozen=True)
class Section:
    """A part of the report in one language: a heading and its lines (plain text)."""

    title: str
    lines: tuple[str, ...]


# (unit, couple, since, until, the report's zone) -> a renderer of its section in a language
# (None: nothing). Dates go by the report's zone, as its check-ins do.
SectionSource = Callable[
    [Unit, Couple, int, int, ZoneInfo], Awaitable[Callable[[str], Section | None]]
]
SECTIONS: list[SectionSource] = []


def section(fn: SectionSource) -> SectionSource:
    """Register a report section (at import time of its feature module)."""
    if fn not in SECTIONS:
        SECTIONS.append(fn)
    return fn


@dataclass(frozen=True)
class Entry:
    """A check-in both answered: when it was revealed, its question, both answers."""

    revealed_at: int
    kind: str
    prompt_id: str
    step: int | None
    answers: tuple[tuple[str, str], ...]  # (first name, words), the couple's order


@dataclass(frozen=True)
class Content:
    """Everything the report shows, read once for both partners' copies."""

    names: tuple[str, str]
    since: int
    until: int
    zone: ZoneInfo
    checkins: tuple[Entry, ...]
    conflicts: tuple[Conflict, ...]
    weeks: progress.Weeks
    sections: tuple[Callable[[str], Section | None], ...]


async def ask(db: Database, user_id: int, weeks: int, now: int) -> Outcome:
    """Ask both partners, privately, whether they agree to a report of the last `weeks`."""
    if weeks not in PERIODS:
        return Outcome.STALE
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        if couple is None:
            return Outcome.NOT_PAIRED
        request_id = await uow.progress.open_request(couple.id, user_id, weeks, now, now + LAPSE)
        if request_id is None:
            return Outcome.PENDING
        me = couple.member(user_id)
        for person in (couple.a, couple.b):
            own = person.id == me.id
            text = t(
                "report.consent_own" if own else "report.consent",
                person.language,
                partner=couple.partner_of(person.id).first_name,
                weeks=amount("weeks", weeks, person.language),
            )
            choices = (True, False)
            labels = (t("report.agree", person.language), t("report.decline", person.language))
            buttons = (
                tuple(
                    Button(label, callbacks.ReportConsent(request_id, agree).encode())
                    for label, agree in zip(labels, choices, strict=True)
                ),
            )
            await uow.notify(
                person, "report", "ask", request_id, person.id, text=text, buttons=buttons, now=now
            )
    return Outcome.ASKED


async def answer(db: Database, user_id: int, request_id: int, agree: bool, now: int) -> Outcome:
    """A partner's private answer. After the last "I agree" (BOTH) the report is due at once:
    the caller runs make_due (or the next tick does); a "No, thanks" ends the request, and the
    other only hears it was not made."""
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        request = await uow.progress.request(request_id, lock=True)
        if couple is None or request is None or request.couple_id != couple.id:
            return Outcome.STALE
        if request.status != "asking":
            return Outcome.WAITING if agree else Outcome.STALE  # being made: too late to stop
        if not agree:
            await uow.progress.finish(request_id)
            await _tell_not_made(uow, [couple.partner_of(user_id)], request_id, now)
            return Outcome.DECLINED
        agreed = await uow.progress.consent(request_id, user_id, now)
        both = {couple.a.id, couple.b.id} <= agreed
        if both and await uow.progress.mark_agreed(request_id, now):
            return Outcome.BOTH  # this consent decided it; another one at once did not
    return Outcome.WAITING


async def _tell_not_made(uow: Unit, people: list[Person], request_id: int, now: int) -> None:
    """ "The report was not created" to these people, once each (caller's transaction)."""
    for person in people:
        text = t("report.not_created", person.language)
        await uow.notify(person, "report", "none", request_id, person.id, text=text, now=now)


async def make_due(db: Database, now: int, default_zone: str) -> int:
    """Make the reports both agreed to, and drop requests that lapsed; how many were made.

    Read in one unit, written (PDFs drawn in a thread) outside any transaction, queued in a
    unit that first deletes the request: a crash in between makes it again at the next tick,
    and two processes making it queue it once (the deletion decides)."""
    jobs: list[tuple[ReportRequest, Couple, Content]] = []
    async with db.unit() as uow:
        for request in await uow.progress.due_requests(now, DUE_BATCH):
            couple = await uow.couples.get(request.couple_id)
            active = await uow.couples.is_active(request.couple_id)
            if couple is None or not active:
                await uow.progress.finish(request.id)  # unpaired meanwhile: nothing to make
            elif request.status == "asking":  # lapsed: neither heard a decline
                await uow.progress.finish(request.id)
                await _tell_not_made(uow, [couple.a, couple.b], request.id, now)
            else:
                jobs.append((request, couple, await _content(uow, couple, request, now,
                                                             default_zone)))  # fmt: skip
    made = 0
    for request, couple, content in jobs:
        files = {}
        try:
            for language in {couple.a.language, couple.b.language}:
                files[language] = await asyncio.to_thread(pdf, content, language)
        except Exception as error:
            # One couple's report that cannot be drawn holds up no other: both hear it was not
            # made (they may ask again), rather than it failing at every tick. Where, not what:
            # the message may quote their words (logs.where).
            log.error("a report could not be drawn (%s); both partners are told", where(error))
            async with db.unit() as uow:
                if await uow.progress.finish(request.id):
                    await _tell_not_made(uow, [couple.a, couple.b], request.id, now)
            continue
        async with db.unit() as uow:
            if not await uow.progress.finish(request.id):
                continue  # another process made it
            for person in (couple.a, couple.b):
                caption = t("report.caption", person.language, **_period(content, person.language))
                document = Media("document", files[person.language], "steady-report.pdf")
                await uow.notify(
                    person, "report", "pdf", request.id, person.id, text=caption,
                    media=document, now=now,
                )  # fmt: skip
        made += 1
    return made


async def _content(
    uow: Unit, couple: Couple, request: ReportRequest, now: int, default_zone: str
) -> Content:
    zone = await zone_of(uow, request.asked_by, default_zone)
    weeks = await progress.gather(uow, couple, now, zone, request.weeks)
    since = int(datetime.combine(weeks.starts[0], datetime.min.time(), zone).timestamp())
    entries = []
    for round_id, revealed_at in await uow.progress.revealed_checkins(couple.id, since, now + 1):
        current = await uow.rounds.get(round_id)
        answers = await uow.rounds.answers(round_id)
        if current is None:
            continue
        words = tuple(
            (p.first_name, answers[p.id].text) for p in (couple.a, couple.b) if p.id in answers
        )
        entries.append(Entry(revealed_at, current.kind, current.prompt_id, current.step, words))
    conflicts = await uow.progress.conflicts(couple.id, since, now + 1)
    sections = tuple([await source(uow, couple, since, now + 1, zone) for source in SECTIONS])
    return Content(
        (couple.a.first_name, couple.b.first_name),
        since,
        now,
        zone,
        tuple(entries),
        tuple(conflicts),
        weeks,
        sections,
    )


def _day(moment: int, zone: ZoneInfo, language: str) -> str:
    return local_time(datetime.fromtimestamp(moment, zone).date(), "date", language)


def _period(content: Content, language: str) -> dict[str, str]:
    return {
        "start": _day(content.since, content.zone, language),
        "end": _day(content.until, content.zone, language),
    }


def sections(content: Content, language: str) -> list[Section]:
    """The report's text in a language, section by section (what the PDF lays out): plain
    text, never HTML entities (a name like "Ben <3" prints as written)."""
    found = [
        Section(
            plain("report.pdf_title", language, a=content.names[0], b=content.names[1]),
            (
                plain("report.pdf_period", language, **_period(content, language)),
                plain("report.pdf_consent", language),
            ),
        )
    ]
    lines: list[str] = []
    for entry in content.checkins:
        question = html.unescape(
            checkins.question_text(entry.kind, entry.prompt_id, entry.step, language)
        )
        lines.append(f"{_day(entry.revealed_at, content.zone, language)}: {question}")
        lines.extend(f"    {name}: {words}" for name, words in entry.answers)
    found.append(
        Section(
            plain("report.pdf_checkins", language),
            tuple(lines) or (plain("report.pdf_no_checkins", language),),
        )
    )
    lines = []
    for conflict in content.conflicts:
        day = _day(conflict.started_at, content.zone, language)
        key = "report.pdf_conflict_repaired" if conflict.repaired_at else "report.pdf_conflict"
        lines.append(t(key, language, date=day))
    found.append(
        Section(
            plain("report.pdf_conflicts", language),
            tuple(lines) or (plain("report.pdf_no_conflicts", language),),
        )
    )
    for render in content.sections:
        extra = render(language)
        if extra is not None:
            found.append(extra)
    found.append(
        Section(
            plain("report.pdf_chart", language),
            (html.unescape(progress.summary(content.weeks, language)),),
        )
    )
    return found


_WRITING = threading.Lock()  # fpdf2 and matplotlib share font state: one report at a time


def _fonts() -> tuple[Path, Path]:
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def pdf(content: Content, language: str) -> bytes:
    """The report as PDF bytes in `language`. Blocking: call it in a thread."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    chart = progress.draw(content.weeks, language)
    regular, bold = _fonts()
    with _WRITING:
        doc = FPDF(format="A4")
        doc.set_title("Steady")
        doc.set_creator("Steady")
        doc.add_font("DejaVu", "", str(regular))
        doc.add_font("DejaVu", "B", str(bold))
        doc.set_auto_page_break(auto=True, margin=15)
        doc.add_page()
        parts = sections(content, language)
        for index, part in enumerate(parts):
            doc.set_font("DejaVu", "B", 16 if index == 0 else 13)
            doc.multi_cell(0, 8, _printable(doc, part.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            doc.set_font("DejaVu", "", 10.5)
            for line in part.lines:
                doc.multi_cell(0, 6, _printable(doc, line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if index == len(parts) - 1:
                doc.image(io.BytesIO(chart), w=doc.epw)
            doc.ln(4)
        doc.set_font("DejaVu", "", 9)
        footer = plain("report.pdf_footer", language)
        doc.multi_cell(0, 5, footer, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return bytes(doc.output())


def _printable(doc: object, text: str) -> str:
    """Characters the font has no glyph for (most emoji) become a plain mark: the PDF library
    would otherwise warn with the missing characters, and what people wrote is never logged."""
    font = doc.current_font  # type: ignore[attr-defined]
    cmap = getattr(font, "cmap", None)
    if not cmap:
        return text
    return "".join(c if ord(c) in cmap or c in "\n\t" else "\u25a1" for c in text)

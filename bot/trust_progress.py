"""Promises and agreements in /progress and /report, through their seams (bot.progress.source,
bot.report.section): promises kept as each partner saw it, week by week; in the report, each
promise revealed in the period with both partners' view of how it went, and each agreement's
steps (proposed, changed, accepted, retired…). Counts and words as they were, never a score."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import progress, report
from bot import promises as promise_asks
from bot.models import Couple
from bot.report import Section
from bot.storage.unit import Unit
from bot.texts import local_time, plain

STEPS = ("proposed", "changed", "accepted", "declined", "revised", "retire_asked", "retire_kept",
         "retired")  # fmt: skip


@progress.source
async def _promises_kept(
    uow: Unit, couple: Couple, bounds: list[tuple[int, int]]
) -> list[progress.Series]:
    """Per partner: promises they saw as kept, by the week the outcome was revealed."""
    found = await uow.progress.revealed_asks(couple.id, "promise", bounds[0][0], bounds[-1][1])
    counts = {p.id: [0.0] * len(bounds) for p in (couple.a, couple.b)}
    for round_id, revealed_at in found:
        week = next(i for i, (start, end) in enumerate(bounds) if start <= revealed_at < end)
        for user_id, answer in (await uow.rounds.answers(round_id)).items():
            if user_id in counts and answer.choice == "kept":
                counts[user_id][week] += 1
    return [
        progress.Series("promises_kept", tuple(counts[p.id]), "count", p.first_name, always=False)
        for p in (couple.a, couple.b)
    ]


def _name(couple: Couple, user_id: int | None) -> str:
    return couple.member(user_id).first_name if user_id and couple.has(user_id) else "—"


def _day(moment: int, zone: ZoneInfo, language: str) -> str:
    """A moment's date where the report is read (its zone), as the report's check-ins have it."""
    return local_time(datetime.fromtimestamp(moment, zone).date(), "date", language)


@report.section
async def _promises(
    uow: Unit, couple: Couple, since: int, until: int, zone: ZoneInfo
) -> Callable[[str], Section | None]:
    """Each promise whose outcome was revealed in the period, and how each partner saw it."""
    rows = []
    for round_id, revealed_at in await uow.progress.revealed_asks(
        couple.id, "promise", since, until
    ):
        promise = await uow.promises.of_round(round_id)
        if promise is None:
            continue
        answers = await uow.rounds.answers(round_id)
        seen = [
            (p.first_name, answers[p.id].choice) for p in (couple.a, couple.b) if p.id in answers
        ]
        rows.append((revealed_at, _name(couple, promise.promiser_id), promise.text, seen))

    def render(language: str) -> Section | None:
        if not rows:
            return None
        lines: list[str] = []
        for revealed_at, who, text, seen in rows:
            words = text or plain("report.pdf_words_gone", language)
            lines.append(
                plain(
                    "report.pdf_promise",
                    language,
                    date=_day(revealed_at, zone, language),
                    person=who,
                    text=words,
                )
            )
            for name, choice in seen:
                outcome = promise_asks.KIND.label(choice, language) if choice else "—"
                line = plain("report.pdf_promise_seen", language, person=name, outcome=outcome)
                lines.append(f"    {line}")
        return Section(plain("report.pdf_promises", language), tuple(lines))

    return render


@report.section
async def _agreements(
    uow: Unit, couple: Couple, since: int, until: int, zone: ZoneInfo
) -> Callable[[str], Section | None]:
    """Each agreement that changed in the period: its words now, and its steps."""
    steps = await uow.progress.agreement_steps(couple.id, since, until)
    agreements: dict[int, tuple[str, list[tuple[str, str, int]]]] = {}
    for agreement_id, what, by, at in steps:
        if agreement_id not in agreements:
            agreement = await uow.agreements.get(agreement_id)
            versions = await uow.agreements.versions(agreement_id)
            current = next(
                (v for v in versions if agreement and v.id == agreement.active_version),
                versions[-1] if versions else None,
            )
            agreements[agreement_id] = (current.text if current else "", [])
        agreements[agreement_id][1].append((what, _name(couple, by), at))

    def render(language: str) -> Section | None:
        if not agreements:
            return None
        lines: list[str] = []
        for text, history in agreements.values():
            words = text or plain("report.pdf_words_gone", language)
            lines.append(plain("report.pdf_agreement", language, text=words))
            for what, who, at in history:
                step = plain(f"report.pdf_step_{what}", language) if what in STEPS else what
                day = _day(at, zone, language)
                line = plain("report.pdf_agreement_step", language, date=day, step=step, person=who)
                lines.append(f"    {line}")
        return Section(plain("report.pdf_agreements", language), tuple(lines))

    return render

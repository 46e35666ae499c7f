"""/report: the PDF's content (read back out of the PDF), each partner's language, and the
consent rule: no PDF unless both agreed, and a decline tells the other only that it was not
made."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import pairing, report
from bot.crypto import Cipher
from bot.models import Person
from bot.storage.db import Database
from bot.storage.outbox import open_media
from bot.texts import t
from testing.engines import migrated, scratch
from testing.probes import deliver
from testing.seeding import paired_couple, seed_history

ANA, BEN = Person(1, "Ana", "en"), Person(2, "Бен", "ru")
NOW = int(datetime(2026, 11, 25, 12, 0, tzinfo=UTC).timestamp())


def at(day: date, hour: int = 20) -> int:
    return int(datetime(day.year, day.month, day.day, hour, tzinfo=UTC).timestamp())


async def seeded(db: Database) -> int:
    couple_id = await paired_couple(db, ANA, BEN, at(date(2026, 8, 1)))
    await seed_history(
        db,
        couple_id,
        (ANA, BEN),
        revealed=[
            (at(date(2026, 9, 20)), "eleven weeks ago, in the long report", "длинный отчёт"),
            (at(date(2026, 11, 10)), "we walked by the river", "мы гуляли у реки"),
            (at(date(2026, 11, 24)), "I felt heard 😀", "Я чувствовал, что меня слышат"),
        ],
        breaks=[(at(date(2026, 11, 12)), True)],
    )
    return couple_id


async def queued(db: Database, kind: str) -> dict[int, tuple[str, bytes | None]]:
    """(text, file) of the pending outbox rows of this report kind, by reader."""
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT chat_id, text, media FROM outbox WHERE dedupe_key LIKE ? "
            "AND status = 'pending'",
            (f"report:{kind}:%",),
        )
    return {
        r["chat_id"]: (
            db.cipher.open(r["text"], "outbox"),
            open_media(r["media"], db.cipher) if r["media"] else None,
        )
        for r in rows
    }


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


async def request_id(db: Database) -> int:
    async with db.read() as uow:
        return int(await uow.conn.fetch_value("SELECT id FROM report_requests"))


async def test_both_agree_and_each_gets_the_same_report_in_their_language(db: Database) -> None:
    db.cipher = Cipher(b"s" * 32)  # the PDF waits sealed like any queued message
    await seeded(db)
    assert await report.ask(db, ANA.id, 4, NOW) is report.Outcome.ASKED
    asks = await queued(db, "ask")
    assert set(asks) == {ANA.id, BEN.id}
    rid = await request_id(db)
    assert await report.answer(db, ANA.id, rid, True, NOW + 60) is report.Outcome.WAITING
    assert await report.make_due(db, NOW + 60, "UTC") == 0
    assert await queued(db, "pdf") == {}  # one consent makes nothing
    assert await report.answer(db, BEN.id, rid, True, NOW + 120) is report.Outcome.BOTH
    assert await report.answer(db, BEN.id, rid, True, NOW + 121) is report.Outcome.WAITING
    assert await report.make_due(db, NOW + 120, "UTC") == 1
    made = await queued(db, "pdf")
    assert set(made) == {ANA.id, BEN.id}
    english, russian = (pdf_text(made[p.id][1] or b"") for p in (ANA, BEN))
    for text in (english, russian):
        # The last four weeks' revealed check-ins, both answers, and nothing older.
        assert "we walked by the river" in text and "мы гуляли у реки" in text
        assert "I felt heard" in text and "Я чувствовал, что меня слышат" in text
        assert "eleven weeks ago" not in text and "длинный отчёт" not in text
        assert "%" not in text
    assert "Steady: a summary for Ana and Бен" in english
    assert "Hard moments and repairs" in english and "you both came back ready" in english
    assert "Check-ins you both answered: 2" in english  # the chart's words for those weeks
    assert "Steady: сводка для Ana и Бен" in russian
    assert "Трудные моменты и примирения" in russian
    assert made[ANA.id][0].startswith("Your Steady summary")
    async with db.read() as uow:  # the request is over: nothing of it is kept
        assert await uow.conn.fetch_value("SELECT COUNT(*) FROM report_requests") == 0
        stored = await uow.conn.fetch_all("SELECT media FROM outbox WHERE media IS NOT NULL")
    assert stored and all(r[0].startswith("g1:") for r in stored)
    await deliver(db, NOW + 200)
    async with db.read() as uow:
        assert await uow.conn.fetch_value(
            "SELECT COUNT(*) FROM outbox WHERE media IS NOT NULL"
        ) == 0  # fmt: skip


async def test_a_decline_makes_nothing_and_the_other_only_hears_it_was_not_made(
    db: Database,
) -> None:
    await seeded(db)
    await report.ask(db, ANA.id, 12, NOW)
    rid = await request_id(db)
    await report.answer(db, ANA.id, rid, True, NOW + 1)
    assert await report.answer(db, BEN.id, rid, False, NOW + 2) is report.Outcome.DECLINED
    assert await queued(db, "pdf") == {}
    told = await queued(db, "none")
    assert told == {ANA.id: ("The report was not created.", None)}
    # A late press on either button changes nothing.
    assert await report.answer(db, BEN.id, rid, True, NOW + 3) is report.Outcome.STALE
    assert await report.make_due(db, NOW + 10**6, "UTC") == 0
    assert await queued(db, "pdf") == {}


async def test_a_request_nobody_finished_lapses_and_both_hear_it_was_not_made(
    db: Database,
) -> None:
    await seeded(db)
    await report.ask(db, BEN.id, 4, NOW)
    assert await report.ask(db, ANA.id, 4, NOW + 1) is report.Outcome.PENDING
    rid = await request_id(db)
    await report.answer(db, ANA.id, rid, True, NOW + 2)
    assert await report.make_due(db, NOW + report.LAPSE - 1, "UTC") == 0
    assert await queued(db, "none") == {}
    await report.make_due(db, NOW + report.LAPSE, "UTC")
    told = await queued(db, "none")
    assert set(told) == {ANA.id, BEN.id}
    assert told[BEN.id][0] == "Сводка не была создана."
    assert await report.answer(db, BEN.id, rid, True, NOW + report.LAPSE) is (report.Outcome.STALE)
    assert await queued(db, "pdf") == {}


async def test_someone_outside_the_couple_cannot_answer(db: Database) -> None:
    await seeded(db)
    await paired_couple(db, Person(3, "Cy"), Person(4, "Di"), NOW)
    await report.ask(db, ANA.id, 4, NOW)
    rid = await request_id(db)
    for stranger in (3, 4, 99):
        assert await report.answer(db, stranger, rid, True, NOW) is report.Outcome.STALE
        assert await report.answer(db, stranger, rid, False, NOW) is report.Outcome.STALE
    assert await report.ask(db, ANA.id, 5, NOW) is report.Outcome.STALE  # not a period we offer


# -- the consent property ------------------------------------------------------------------------

steps = st.lists(
    st.one_of(
        st.tuples(st.just("agree"), st.sampled_from([ANA.id, BEN.id])),
        st.tuples(st.just("decline"), st.sampled_from([ANA.id, BEN.id])),
        st.tuples(st.just("ask"), st.sampled_from([ANA.id, BEN.id])),
        st.tuples(st.just("wait"), st.sampled_from([3600, report.LAPSE])),
    ),
    max_size=12,
)


async def consent_scenario(ops: list[tuple[str, int]], folder: Path) -> None:
    db = await Database.open(migrated(folder / "steady.db"))
    await db.migrate()
    try:
        now = NOW
        await paired_couple(db, ANA, BEN, now)
        # The model: per request, who agreed, and whether it ended without a report.
        agreed: dict[int, set[int]] = {}
        ended: set[int] = set()
        opened_at: dict[int, int] = {}
        for op, value in ops:
            if op == "ask":
                await report.ask(db, value, 4, now)
                async with db.read() as uow:
                    found = await uow.conn.fetch_value("SELECT id FROM report_requests")
                if found is not None and found not in agreed:
                    agreed[found], opened_at[found] = set(), now
            elif op == "wait":
                now += value
                await report.make_due(db, now, "UTC")
                for rid, when in opened_at.items():
                    if now >= when + report.LAPSE and agreed[rid] != {ANA.id, BEN.id}:
                        ended.add(rid)
            else:
                for rid in agreed:  # presses on old requests' buttons too
                    if await report.answer(db, value, rid, op == "agree", now) is (
                        report.Outcome.BOTH
                    ):
                        await report.make_due(db, now, "UTC")
                    if rid in ended or agreed[rid] == {ANA.id, BEN.id}:
                        continue  # over: a late press changes nothing
                    if op == "agree":
                        agreed[rid].add(value)
                    else:
                        ended.add(rid)
        async with db.read() as uow:
            made = {
                int(r[0].split(":")[2]): r[1]
                for r in await uow.conn.fetch_all(
                    "SELECT dedupe_key, chat_id FROM outbox WHERE dedupe_key LIKE 'report:pdf:%'"
                )
            }
            keys = [
                r[0]
                for r in await uow.conn.fetch_all(
                    "SELECT dedupe_key FROM outbox WHERE dedupe_key LIKE 'report:pdf:%'"
                )
            ]
        for rid in agreed:
            both = agreed[rid] == {ANA.id, BEN.id} and rid not in ended
            # A PDF exactly when both agreed before any decline or lapse; then one for each.
            assert (rid in made) is both, (rid, agreed[rid], rid in ended)
            if both:
                assert sorted(k for k in keys if k.startswith(f"report:pdf:{rid}:")) == [
                    f"report:pdf:{rid}:{ANA.id}",
                    f"report:pdf:{rid}:{BEN.id}",
                ]
    finally:
        await db.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_no_pdf_unless_both_agreed(ops: list[tuple[str, int]]) -> None:
    with scratch() as folder, pytest.MonkeyPatch.context() as patch:
        # The rule is about consent: a stand-in PDF keeps each example fast.
        patch.setattr(report, "pdf", lambda content, language: b"%PDF-1.4 stand-in")
        asyncio.run(consent_scenario(ops, folder))


async def test_an_old_requests_button_never_counts_for_a_new_one(db: Database) -> None:
    """Requests are deleted once over; their ids are never reused, so a new request is asked
    afresh (its messages' keys are new) and the old "I agree" stays stale."""
    await seeded(db)
    await report.ask(db, ANA.id, 4, NOW)
    old = await request_id(db)
    await report.answer(db, BEN.id, old, False, NOW + 1)
    await report.ask(db, ANA.id, 4, NOW + 2)
    new = await request_id(db)
    assert new != old
    assert await report.answer(db, ANA.id, old, True, NOW + 3) is report.Outcome.STALE
    assert set(await queued(db, "ask")) == {ANA.id, BEN.id}  # the new request's, unsent
    async with db.read() as uow:
        keys = [r[0] for r in await uow.conn.fetch_all("SELECT dedupe_key FROM outbox")]
    assert f"report:ask:{new}:{BEN.id}" in keys


async def test_promises_and_agreements_join_the_chart_and_the_report(db: Database) -> None:
    """Through their seams: a promise whose outcome both revealed, an accepted agreement."""
    from zoneinfo import ZoneInfo

    from bot import agreements, asks, progress, promises, trust_progress
    from bot.storage.outbox import open_media

    assert trust_progress.STEPS
    await seeded(db)
    drafted = await promises.draft(db, ANA.id, "I'll text you if I'm running late", NOW, "UTC")
    assert drafted.promise_id is not None
    await promises.choose_due(db, ANA.id, drafted.promise_id, "tomorrow", NOW, "UTC")
    due = NOW + 32 * 3600  # Thursday 20:00 UTC
    assert await promises.run_due(db, due, "UTC") == 1
    await deliver(db, due)
    async with db.read() as uow:
        promise = await uow.promises.get(drafted.promise_id)
    assert promise is not None and promise.round_id is not None
    await asks.choose(db, ANA.id, promise.round_id, 0, due + 60)  # kept
    assert (
        await asks.choose(db, BEN.id, promise.round_id, 1, due + 120) is asks.Outcome.REVEALED
    )  # partly, as Ben saw it
    proposed = await agreements.propose(db, BEN.id, "We tell each other when plans change", NOW)
    assert proposed.agreement_id is not None
    async with db.read() as uow:
        version = await uow.conn.fetch_value("SELECT id FROM agreement_versions")
    await agreements.answer(db, ANA.id, int(version), True, NOW + 60)

    later = NOW + 2 * 86400
    async with db.read() as uow:
        couple = await uow.couples.active_for(ANA.id)
        assert couple is not None
        weeks = await progress.gather(uow, couple, later, ZoneInfo("UTC"))
    kept = {s.person: s.values for s in weeks.series if s.label == "promises_kept"}
    assert kept["Ana"][-1] == 1.0 and kept["Бен"][-1] == 0.0  # each as they saw it
    assert "Promises kept, as Ana saw it: 1" in progress.summary(weeks, "en")

    await report.ask(db, ANA.id, 4, later)
    rid = await request_id(db)
    await report.answer(db, ANA.id, rid, True, later)
    assert await report.answer(db, BEN.id, rid, True, later) is report.Outcome.BOTH
    assert await report.make_due(db, later, "UTC") == 1
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT chat_id, media FROM outbox WHERE dedupe_key LIKE 'report:pdf:%'"
        )
    texts = {r[0]: pdf_text(open_media(r[1], db.cipher)) for r in rows}
    english, russian = texts[ANA.id], texts[BEN.id]
    assert "Promises and how they went" in english
    assert "Ana promised: “I'll text you if I'm running late”" in english
    assert "Ana: Kept" in english and "Бен: Partly" in english
    assert "Agreements and their changes" in english
    assert "“We tell each other when plans change”" in english
    assert "accepted (Ana)" in english and "proposed (Бен)" in english
    assert "Обещания и как они выполнены" in russian and "Договорённости" in russian


async def test_a_report_both_agreed_to_is_not_made_once_they_unpaired(db: Database) -> None:
    """Both said "I agree", then one ended the pairing before the report was made: nothing of
    the ended couple goes out, not a summary of their answers either."""
    couple_id = await seeded(db)
    await report.ask(db, ANA.id, 4, NOW)
    rid = await request_id(db)
    await report.answer(db, ANA.id, rid, True, NOW + 60)
    assert await report.answer(db, BEN.id, rid, True, NOW + 60) is report.Outcome.BOTH
    assert await pairing.unpair(db, BEN.id, couple_id, NOW + 61) is not None
    assert await report.make_due(db, NOW + 62, "UTC") == 0
    assert await queued(db, "pdf") == {}
    async with db.read() as uow:  # and the request is over
        assert await uow.conn.fetch_value("SELECT COUNT(*) FROM report_requests") == 0


async def _kept_promise(db: Database, promiser: Person, partner: Person) -> int:
    """A promise of `promiser` both saw as kept; the moment after its reveal."""
    from bot import (
        asks,
        promises,
        trust_progress,  # noqa: F401  (promises join the chart and report on import)
    )

    drafted = await promises.draft(db, promiser.id, "I'll call at lunch", NOW, "UTC")
    assert drafted.promise_id is not None
    await promises.choose_due(db, promiser.id, drafted.promise_id, "tomorrow", NOW, "UTC")
    due = NOW + 32 * 3600
    assert await promises.run_due(db, due, "UTC") == 1
    await deliver(db, due)
    async with db.read() as uow:
        promise = await uow.promises.get(drafted.promise_id)
    assert promise is not None and promise.round_id is not None
    await asks.choose(db, promiser.id, promise.round_id, 0, due + 60)
    outcome = await asks.choose(db, partner.id, promise.round_id, 0, due + 120)
    assert outcome is asks.Outcome.REVEALED
    return due + 180


async def both_agree(db: Database, asker: Person, other: Person, now: int) -> None:
    await report.ask(db, asker.id, 4, now)
    async with db.read() as uow:
        rid = await uow.conn.fetch_value(
            "SELECT id FROM report_requests WHERE asked_by = ? AND status = 'asking'", (asker.id,)
        )
    await report.answer(db, other.id, int(rid), True, now)
    assert await report.answer(db, asker.id, int(rid), True, now) is report.Outcome.BOTH


async def test_a_first_name_with_dollars_is_drawn_as_written(db: Database) -> None:
    """Names are in the chart's legend ("Promises kept, as Ana $_$ saw it"), and matplotlib
    reads text between two "$" as maths: such a name failed /progress for both, for good,
    and the report at every tick."""
    from bot import progress

    cheer = Person(1, "Ana $_$ $\\frac$", "en")
    await paired_couple(db, cheer, BEN, at(date(2026, 8, 1)))
    later = await _kept_promise(db, cheer, BEN)
    chart = await progress.chart_for(db, BEN.id, later, "UTC")
    assert chart is not None and chart.png.startswith(b"\x89PNG")
    await both_agree(db, BEN, cheer, later)
    assert await report.make_due(db, later, "UTC") == 1


async def test_a_report_that_cannot_be_drawn_holds_up_no_other(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Reports are drawn one after another; the first that raised ended the call, so every
    couple after it waited for ever, and it failed again at every tick. Now its couple hears
    it was not made (they may ask again), and the others get theirs."""
    cy, di = Person(3, "Cy", "en"), Person(4, "Di", "en")
    await paired_couple(db, ANA, BEN, at(date(2026, 8, 1)))
    await paired_couple(db, cy, di, at(date(2026, 8, 1)))
    await both_agree(db, ANA, BEN, NOW)
    await both_agree(db, cy, di, NOW)
    drawn = report.pdf
    calls: list[str] = []

    def first_fails(content: report.Content, language: str) -> bytes:
        calls.append(language)
        if len(calls) == 1:
            raise ValueError("cannot draw this one")
        return drawn(content, language)

    monkeypatch.setattr(report, "pdf", first_fails)
    assert await report.make_due(db, NOW, "UTC") == 1
    assert set(await queued(db, "pdf")) == {cy.id, di.id}
    told = await queued(db, "none")
    assert set(told) == {ANA.id, BEN.id}
    assert told[ANA.id][0] == t("report.not_created", "en")
    assert told[BEN.id][0] == t("report.not_created", "ru")
    assert await report.make_due(db, NOW + 60, "UTC") == 0  # not tried again at every tick
    assert "ValueError at" in caplog.text and "cannot draw" not in caplog.text  # may quote words

"""What /progress and /report read (counts and moments, never judged), the weekly summary's due
rows, and /report's consents."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.engine import Conn, from_row


@dataclass(frozen=True)
class Conflict:
    started_at: int
    repaired_at: int | None  # the break ended in both ready (when they were told), or None


@dataclass(frozen=True)
class ReportRequest:
    id: int
    couple_id: int
    asked_by: int
    weeks: int
    status: str  # asking | agreed
    created_at: int
    due_at: int  # asking: when it lapses; agreed: when it is made


class Progress:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def checkins_revealed(self, couple_id: int, since: int, until: int) -> list[int]:
        """When each check-in both answered was revealed, in [since, until)."""
        rows = await self.conn.fetch_all(
            "SELECT finished_at FROM rounds WHERE couple_id = ? AND kind = 'checkin' "
            "AND status = 'revealed' AND finished_at >= ? AND finished_at < ? ORDER BY id",
            (couple_id, since, until),
        )
        return [int(r[0]) for r in rows]

    async def revealed_checkins(
        self, couple_id: int, since: int, until: int
    ) -> list[tuple[int, int]]:
        """(round, revealed at) of check-ins revealed in [since, until) whose words are still
        kept, oldest first."""
        rows = await self.conn.fetch_all(
            "SELECT id, finished_at FROM rounds WHERE couple_id = ? AND kind = 'checkin' "
            "AND status = 'revealed' AND finished_at >= ? AND finished_at < ? "
            "AND EXISTS (SELECT 1 FROM answers a WHERE a.round_id = rounds.id) ORDER BY id",
            (couple_id, since, until),
        )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def conflicts(self, couple_id: int, since: int, until: int) -> list[Conflict]:
        """Breaks started in [since, until); repaired when both said ready (and were told)."""
        rows = await self.conn.fetch_all(
            "SELECT started_at, CASE WHEN status = 'ready' AND finished_at <= ? "
            "THEN finished_at END AS repaired_at FROM breaks "
            "WHERE couple_id = ? AND started_at >= ? AND started_at < ? ORDER BY id",
            (until, couple_id, since, until),
        )
        return [from_row(Conflict, r) for r in rows]

    # -- opt-ins and the weekly summary's due rows ------------------------------------------------

    async def choices(self, user_id: int) -> tuple[bool, bool] | None:
        """(weekly summary, safety rating) this person opted in to; None if unknown."""
        row = await self.conn.fetch_one(
            "SELECT weekly_summary, safety_rating FROM users WHERE id = ?", (user_id,)
        )
        return None if row is None else (bool(row[0]), bool(row[1]))

    async def set_choice(self, user_id: int, what: str, on: bool, now: int) -> bool:
        column = {"weekly": "weekly_summary", "rating": "safety_rating"}[what]
        changed = await self.conn.execute(
            f"UPDATE users SET {column} = ?, updated_at = ? WHERE id = ?", (int(on), now, user_id)
        )
        return changed > 0

    async def summary_due(self, user_id: int) -> int | None:
        """When the person's next weekly summary is due, if one is planned."""
        return await self.conn.fetch_value(
            "SELECT due_at FROM weekly_summaries WHERE user_id = ?", (user_id,)
        )

    async def rating_plan(self, couple_id: int) -> tuple[int, str, int] | None:
        """(weekday, slot, due) of the couple's next rating, if one is planned."""
        row = await self.conn.fetch_one(
            "SELECT weekday, next_slot, next_due_at FROM rating_schedules WHERE couple_id = ?",
            (couple_id,),
        )
        if row is None or row[1] is None or row[2] is None:
            return None
        return int(row[0]), str(row[1]), int(row[2])

    async def schedule_summary(self, user_id: int, due_at: int | None) -> None:
        """The person's next weekly summary (None: none)."""
        await self.conn.execute("DELETE FROM weekly_summaries WHERE user_id = ?", (user_id,))
        if due_at is not None:
            await self.conn.execute(
                "INSERT INTO weekly_summaries (user_id, due_at) VALUES (?, ?)", (user_id, due_at)
            )

    async def due_summaries(self, now: int, limit: int) -> list[tuple[int, int]]:
        """(person, due_at) of summaries due by `now`, held so another process skips them."""
        rows = await self.conn.fetch_all(
            "SELECT user_id, due_at FROM weekly_summaries WHERE due_at <= ? "
            "ORDER BY due_at LIMIT ?" + self.conn.for_update("weekly_summaries", skip_locked=True),
            (now, limit),
        )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def advance_summary(self, user_id: int, was: int, due_at: int) -> bool:
        """Move a due summary on, if no one did meanwhile (one summary per week)."""
        changed = await self.conn.execute(
            "UPDATE weekly_summaries SET due_at = ? WHERE user_id = ? AND due_at = ?",
            (due_at, user_id, was),
        )
        return changed > 0

    # -- the weekly safety rating's due rows -----------------------------------------------------

    async def rating_weekday(self, couple_id: int) -> int | None:
        return await self.conn.fetch_value(
            "SELECT weekday FROM rating_schedules WHERE couple_id = ?", (couple_id,)
        )

    async def plan_rating(
        self, couple_id: int, weekday: int, slot: str | None, due_at: int | None, now: int
    ) -> None:
        await self.conn.execute(
            "INSERT INTO rating_schedules (couple_id, weekday, next_slot, next_due_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (couple_id) DO UPDATE SET"
            " weekday = excluded.weekday, next_slot = excluded.next_slot,"
            " next_due_at = excluded.next_due_at, updated_at = excluded.updated_at",
            (couple_id, weekday, slot, due_at, now),
        )

    async def drop_rating(self, couple_id: int) -> None:
        await self.conn.execute("DELETE FROM rating_schedules WHERE couple_id = ?", (couple_id,))

    async def due_ratings(self, now: int, limit: int) -> list[tuple[int, int, str, int]]:
        """(couple, weekday, slot, due_at) of ratings due by `now`, held for this unit."""
        rows = await self.conn.fetch_all(
            "SELECT couple_id, weekday, next_slot, next_due_at FROM rating_schedules"
            " WHERE next_due_at <= ? ORDER BY next_due_at LIMIT ?"
            + self.conn.for_update("rating_schedules", skip_locked=True),
            (now, limit),
        )
        return [(int(r[0]), int(r[1]), str(r[2]), int(r[3])) for r in rows]

    async def hold_rating(self, couple_id: int, was: int, until: int) -> bool:
        """Not now (paused, or a break runs): look again at `until`, same slot."""
        changed = await self.conn.execute(
            "UPDATE rating_schedules SET next_due_at = ? WHERE couple_id = ? AND next_due_at = ?",
            (until, couple_id, was),
        )
        return changed > 0

    async def revealed_ratings(
        self, couple_id: int, since: int, until: int
    ) -> list[tuple[int, int]]:
        """(round, opened at) of the couple's revealed safety ratings opened in [since, until)."""
        rows = await self.conn.fetch_all(
            "SELECT id, opened_at FROM rounds WHERE couple_id = ? AND kind = 'rating'"
            " AND status = 'revealed' AND opened_at >= ? AND opened_at < ? ORDER BY id",
            (couple_id, since, until),
        )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def revealed_asks(
        self, couple_id: int, kind: str, since: int, until: int
    ) -> list[tuple[int, int]]:
        """(round, revealed at) of the couple's asks of `kind` revealed in [since, until)."""
        rows = await self.conn.fetch_all(
            "SELECT id, finished_at FROM rounds WHERE couple_id = ? AND kind = ?"
            " AND status = 'revealed' AND finished_at >= ? AND finished_at < ? ORDER BY id",
            (couple_id, kind, since, until),
        )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def agreement_steps(
        self, couple_id: int, since: int, until: int
    ) -> list[tuple[int, str, int | None, int]]:
        """(agreement, what, by whom, when) of the couple's agreement steps in [since, until)."""
        rows = await self.conn.fetch_all(
            "SELECT e.agreement_id, e.what, e.user_id, e.at FROM agreement_events e"
            " JOIN agreements a ON a.id = e.agreement_id"
            " WHERE a.couple_id = ? AND e.at >= ? AND e.at < ? ORDER BY e.id",
            (couple_id, since, until),
        )
        return [(int(r[0]), str(r[1]), r[2], int(r[3])) for r in rows]

    # -- /report's consents -----------------------------------------------------------------------

    async def open_request(
        self, couple_id: int, asked_by: int, weeks: int, now: int, lapses_at: int
    ) -> int | None:
        """A new request; None while the couple has one already."""
        row = await self.conn.fetch_one(
            "INSERT INTO report_requests (couple_id, asked_by, weeks, created_at, due_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            (couple_id, asked_by, weeks, now, lapses_at),
        )
        return None if row is None else int(row[0])

    async def request(self, request_id: int, *, lock: bool = False) -> ReportRequest | None:
        row = await self.conn.fetch_one(
            "SELECT id, couple_id, asked_by, weeks, status, created_at, due_at "
            "FROM report_requests WHERE id = ?"
            + (self.conn.for_update("report_requests") if lock else ""),
            (request_id,),
        )
        return None if row is None else from_row(ReportRequest, row)

    async def request_for(self, couple_id: int) -> ReportRequest | None:
        row = await self.conn.fetch_one(
            "SELECT id FROM report_requests WHERE couple_id = ?", (couple_id,)
        )
        return None if row is None else await self.request(int(row[0]))

    async def consent(self, request_id: int, user_id: int, now: int) -> set[int]:
        """Record this person's "I agree" (again: no change); everyone who agreed so far."""
        await self.conn.execute(
            "INSERT INTO report_consents (request_id, user_id, agreed_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (request_id, user_id, now),
        )
        rows = await self.conn.fetch_all(
            "SELECT user_id FROM report_consents WHERE request_id = ?", (request_id,)
        )
        return {int(r[0]) for r in rows}

    async def mark_agreed(self, request_id: int, now: int) -> bool:
        """asking -> agreed, decided by this statement alone (two last consents at once give
        one report); the report is due now."""
        changed = await self.conn.execute(
            "UPDATE report_requests SET status = 'agreed', due_at = ? "
            "WHERE id = ? AND status = 'asking'",
            (now, request_id),
        )
        return changed > 0

    async def finish(self, request_id: int) -> bool:
        """The request is over (made, declined, lapsed): nothing of it is kept."""
        changed = await self.conn.execute("DELETE FROM report_requests WHERE id = ?", (request_id,))
        return changed > 0

    async def due_requests(self, now: int, limit: int) -> list[ReportRequest]:
        rows = await self.conn.fetch_all(
            "SELECT id, couple_id, asked_by, weeks, status, created_at, due_at "
            "FROM report_requests WHERE due_at <= ? ORDER BY due_at LIMIT ?"
            + self.conn.for_update("report_requests", skip_locked=True),
            (now, limit),
        )
        return [from_row(ReportRequest, r) for r in rows]

    async def forget_person(self, user_id: int) -> None:
        """An erasure: their summary, and their couples' requests (consents go with them)."""
        await self.conn.execute("DELETE FROM weekly_summaries WHERE user_id = ?", (user_id,))
        await self.conn.execute(
            "DELETE FROM report_requests WHERE asked_by = ? OR couple_id IN "
            "(SELECT couple_id FROM couple_members WHERE user_id = ?)",
            (user_id, user_id),
        )
        await self.conn.execute("DELETE FROM report_consents WHERE user_id = ?", (user_id,))

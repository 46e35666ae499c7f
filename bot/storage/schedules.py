"""Couples' schedules, skipped slots, and people's time zones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from bot.storage import bulk
from bot.storage.engine import Conn, from_row


@dataclass(frozen=True)
class ScheduleRow:
    couple_id: int
    days: int
    local_time: str
    paused_until: int | None
    skip_next: bool
    next_slot: str | None
    next_due_at: int | None
    paused_day: str | None = None  # a dated pause's end as asked ("2026-01-12")


_COLUMNS = "couple_id, days, local_time, paused_until, skip_next, next_slot, next_due_at"


# Due work reads these for thousands of couples a batch: tuples, as a frozen dataclass takes
# several times as long to build (its __init__ sets each field through object.__setattr__).
class Member(NamedTuple):
    id: int
    first_name: str
    language: str
    reachable: bool
    timezone: str | None


class DueSlot(NamedTuple):
    """A couple whose slot has come (its schedule's columns), with everything opening its
    round needs."""

    couple_id: int
    days: int
    local_time: str
    paused_until: int | None
    skip_next: bool
    next_slot: str
    next_due_at: int
    active: bool  # the couple has not ended
    members: tuple[Member, ...]  # by joined_at, then id (the Couple's a, b)
    round_window: int
    reminder_before: int | None
    taken: bool  # a round was opened for this slot, or it was recorded as skipped
    open_round: int | None  # the couple's open check-in round
    open_answers: int  # answers given to it
    last_category: str | None  # of the couple's latest check-in round


# The batch: the due index in order, and on PostgreSQL its rows locked (rows another process
# holds are left to it, so two processes never open the same slots). Each fact about its
# couples is then one statement over the batch's ids, so a batch costs the same however many
# rounds and couples the database holds (a join would let the planner hash whole tables).
# The batch holds each schedule and its couple (PostgreSQL): a couple a person is changing
# right now (unpair, /checkin, a new schedule) is left for the next tick, and what they do next
# waits for this batch's commit, then sees its round. Two ticks take different couples.
# The couple's own facts come with it: its row is held by this statement (PostgreSQL reads
# the latest version of a row it locks), so they are as fresh as a statement after it.
_DUE_BATCH = f"""
    SELECT {", ".join(f"s.{c.strip()}" for c in _COLUMNS.split(","))},
        CASE WHEN c.ended_at IS NULL THEN 1 ELSE 0 END AS active, c.round_window,
        c.reminder_before
    FROM schedules s JOIN couples c ON c.id = s.couple_id
    WHERE s.next_due_at IS NOT NULL AND s.next_due_at <= ?
    ORDER BY s.next_due_at LIMIT ?{{lock}}
"""
_FACTS = (
    # In the primary key's order; put in Couple order (joined_at, id) in Python, which is
    # cheaper than a sort in the database.
    (
        "members",
        "SELECT m.couple_id, u.id, u.first_name, u.language, u.reachable, u.timezone,"
        " m.joined_at FROM couple_members m JOIN users u ON u.id = m.user_id"
        " WHERE m.couple_id IN ({ids})",
    ),
    (
        "taken",
        "SELECT s.couple_id FROM schedules s WHERE s.couple_id IN ({ids}) AND ("
        " EXISTS (SELECT 1 FROM rounds t WHERE t.couple_id = s.couple_id AND t.slot = s.next_slot)"
        " OR EXISTS (SELECT 1 FROM skipped_slots k WHERE k.couple_id = s.couple_id"
        " AND k.slot = s.next_slot))",
    ),
    # The couple's newest check-in round: its category comes next in rotation, and it is the
    # open one if any is (a check-in round opens only when none is, and never reopens).
    (
        "last",
        "SELECT l.couple_id, l.category, l.id, l.status,"
        " (SELECT COUNT(*) FROM answers a WHERE a.round_id = l.id)"
        " FROM rounds l WHERE l.id IN ("
        " SELECT MAX(r.id) FROM rounds r WHERE r.couple_id IN ({ids}) AND r.kind = 'checkin'"
        " GROUP BY r.couple_id)",
    ),
)


def _in_order(members: list[tuple[int, Member]]) -> tuple[Member, ...]:
    """(joined_at, member) pairs in Couple order: by joined_at, then id."""
    if len(members) == 2:
        (first_at, first), (second_at, second) = members
        if (second_at, second.id) < (first_at, first.id):
            return second, first
        return first, second
    return tuple(m for _, m in sorted(members, key=lambda pair: (pair[0], pair[1].id)))


class Schedules:
    """Check-in schedules, slots and time zones."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def get(self, couple_id: int) -> ScheduleRow | None:
        row = await self.conn.fetch_one(
            f"SELECT {_COLUMNS}, paused_day FROM schedules WHERE couple_id = ?", (couple_id,)
        )
        return from_row(ScheduleRow, row, skip_next=bool(row["skip_next"])) if row else None

    async def save(self, couple_id: int, days: int, local_time: str, now: int) -> None:
        await self.conn.execute(
            """
            INSERT INTO schedules (couple_id, days, local_time, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (couple_id) DO UPDATE SET
                days = excluded.days, local_time = excluded.local_time,
                updated_at = excluded.updated_at
            """,
            (couple_id, days, local_time, now),
        )

    async def set_next(self, couple_id: int, slot: str | None, due_at: int | None) -> None:
        await self.conn.execute(
            "UPDATE schedules SET next_slot = ?, next_due_at = ? WHERE couple_id = ?",
            (slot, due_at, couple_id),
        )

    async def set_pause(self, couple_id: int, until: int | None, day: str | None = None) -> None:
        """Paused until the moment `until` (None: not paused); `day`: a dated pause's end date
        as asked, shown to both partners."""
        await self.conn.execute(
            "UPDATE schedules SET paused_until = ?, paused_day = ? WHERE couple_id = ?",
            (until, day, couple_id),
        )

    async def set_skip_next(self, couple_id: int, skip: bool) -> None:
        await self.conn.execute(
            "UPDATE schedules SET skip_next = ? WHERE couple_id = ?", (int(skip), couple_id)
        )

    async def due(self, now: int, limit: int) -> list[ScheduleRow]:
        """Schedules whose slot has come, claimed for this unit with their couples.

        A couple a person's use case holds (/checkin, unpairing, a schedule change) is left for
        the next tick; two ticks take different couples; a row is returned as it is now, so a
        slot another tick just moved on is not returned."""
        columns = ", ".join(f"s.{name}" for name in _COLUMNS.split(", "))
        rows = await self.conn.fetch_all(
            f"""
            SELECT {columns}, s.paused_day FROM schedules s JOIN couples c ON c.id = s.couple_id
            WHERE s.next_due_at IS NOT NULL AND s.next_due_at <= ?
            ORDER BY s.next_due_at, s.couple_id LIMIT ?
            """
            + self.conn.for_update("s", "c", skip_locked=True),
            (now, limit),
        )
        return [from_row(ScheduleRow, r, skip_next=bool(r["skip_next"])) for r in rows]

    async def due_slots(self, now: int, limit: int) -> list[DueSlot]:
        """Up to `limit` couples whose slot has come, earliest first, with both members."""
        lock = self.conn.for_update("s", "c", skip_locked=True)
        rows = await self.conn.fetch_all(_DUE_BATCH.replace("{lock}", lock), (now, limit))
        if not rows:
            return []
        ids = [r["couple_id"] for r in rows]
        facts = {name: await bulk.where_in(self.conn, sql, ids, fetch=True) for name, sql in _FACTS}
        # Unpacked by position, in the order of the SELECTs above: a row read by name costs a
        # Python call a column on PostgreSQL, and a batch reads ten thousand columns.
        people: dict[int, list[tuple[int, Member]]] = {}
        for couple_id, user_id, name, language, reachable, zone, joined_at in facts["members"]:
            member = Member(user_id, name, language, bool(reachable), zone)
            people.setdefault(couple_id, []).append((joined_at, member))
        taken = {r[0] for r in facts["taken"]}
        last: dict[int, str] = {}
        open_rounds: dict[int, tuple[int, int]] = {}
        for couple_id, category, round_id, status, answers in facts["last"]:
            last[couple_id] = category
            if status == "open":
                open_rounds[couple_id] = (round_id, answers)
        found = []
        for (
            couple_id,
            days,
            local_time,
            paused_until,
            skip_next,
            next_slot,
            next_due_at,
            active,
            window,
            reminder,
        ) in rows:
            open_round, answers = open_rounds.get(couple_id, (None, 0))
            found.append(
                DueSlot(
                    couple_id,
                    days,
                    local_time,
                    paused_until,
                    bool(skip_next),
                    next_slot,
                    next_due_at,
                    bool(active),
                    _in_order(people.get(couple_id, [])),
                    window,
                    reminder,
                    couple_id in taken,
                    open_round,
                    answers,
                    last.get(couple_id),
                )
            )
        return found

    async def set_next_many(self, moves: list[tuple[int, str | None, int | None]]) -> None:
        """(couple, next slot, when it opens) for many couples in one statement."""
        await bulk.run(
            self.conn,
            "UPDATE schedules SET next_slot = v.column2, next_due_at = v.column3 FROM {rows}"
            " WHERE schedules.couple_id = v.column1 AND schedules.couple_id IN ({keys})",
            moves,
            ("bigint", "text", "bigint"),
        )

    async def end_pauses(self, couple_ids: list[int]) -> None:
        await bulk.where_in(
            self.conn,
            "UPDATE schedules SET paused_until = NULL, paused_day = NULL"
            " WHERE couple_id IN ({ids})",
            couple_ids,
        )

    async def clear_skip_next(self, couple_ids: list[int]) -> None:
        await bulk.where_in(
            self.conn, "UPDATE schedules SET skip_next = 0 WHERE couple_id IN ({ids})", couple_ids
        )

    async def record_skips(self, skips: list[tuple[int, str, str]], now: int) -> None:
        """(couple, slot, reason) rows; a slot recorded before stays as it was."""
        await bulk.run(
            self.conn,
            "INSERT INTO skipped_slots (couple_id, slot, reason, recorded_at)"
            " SELECT * FROM {rows} WHERE true ON CONFLICT (couple_id, slot) DO NOTHING",
            [(*skip, now) for skip in skips],
            ("bigint", "text", "text", "bigint"),
        )

    async def record_skip(self, couple_id: int, slot: str, reason: str, now: int) -> None:
        await self.conn.execute(
            """
            INSERT INTO skipped_slots (couple_id, slot, reason, recorded_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (couple_id, slot) DO NOTHING
            """,
            (couple_id, slot, reason, now),
        )

    async def slot_taken(self, couple_id: int, slot: str) -> bool:
        """A round was opened for this slot, or it was recorded as skipped."""
        row = await self.conn.fetch_one(
            """
            SELECT 1 FROM rounds WHERE couple_id = ? AND slot = ?
            UNION ALL SELECT 1 FROM skipped_slots WHERE couple_id = ? AND slot = ?
            """,
            (couple_id, slot, couple_id, slot),
        )
        return row is not None

    async def timezone_of(self, user_id: int) -> tuple[str | None, bool]:
        """(IANA zone or None, whether Steady has asked for it)."""
        row = await self.conn.fetch_one(
            "SELECT timezone, timezone_asked FROM users WHERE id = ?", (user_id,)
        )
        return (row[0], bool(row[1])) if row else (None, False)

    async def set_timezone(self, user_id: int, zone: str, now: int) -> None:
        await self.conn.execute(
            "UPDATE users SET timezone = ?, updated_at = ? WHERE id = ?", (zone, now, user_id)
        )

    async def mark_timezone_asked(self, user_id: int) -> bool:
        """True the first time only: Steady asks once."""
        changed = await self.conn.execute(
            "UPDATE users SET timezone_asked = 1 WHERE id = ? AND timezone_asked = 0", (user_id,)
        )
        return changed > 0

    async def delete(self, couple_id: int) -> None:
        """The couple ended: no more check-ins for it."""
        await self.conn.execute("DELETE FROM schedules WHERE couple_id = ?", (couple_id,))

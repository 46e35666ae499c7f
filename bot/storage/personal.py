"""One person's own data: read for /export, erased for /delete.

What a person may take is what they wrote or were shown; what is erased is every row that holds
their words or their identity. A partner's words stay the partner's: their answers, their
breaks and their own notices remain, with this person's half gone."""

from __future__ import annotations

from bot.crypto import Cipher, Unreadable
from bot.storage.engine import Conn, Row
from bot.storage.progress import Progress

# Messages to this person, and everything queued for their couples: reveals of their words and
# notices naming them.
_THEIR_OUTBOX = (
    "chat_id = ? OR couple_id IN (SELECT couple_id FROM couple_members WHERE user_id = ?)"
)


class PersonalData:
    """The rows of one person, across every table that holds them."""

    def __init__(self, conn: Conn, cipher: Cipher) -> None:
        self.conn = conn
        self.cipher = cipher

    async def profile(self, user_id: int) -> Row | None:
        return await self.conn.fetch_one(
            "SELECT id, first_name, language, timezone, created_at FROM users WHERE id = ?",
            (user_id,),
        )

    async def pairings(self, user_id: int) -> list[Row]:
        """Every couple this person was in, oldest first, with the partner's name (None when
        the partner erased themselves) and who ended it."""
        return await self.conn.fetch_all(
            """
            SELECT c.id, mine.joined_at, mine.left_at, c.ended_at, c.ended_by,
                partner.first_name AS partner_name, s.days, s.local_time, s.paused_until,
                c.round_window, c.reminder_before
            FROM couple_members mine
            JOIN couples c ON c.id = mine.couple_id
            LEFT JOIN couple_members other
                ON other.couple_id = c.id AND other.user_id <> mine.user_id
            LEFT JOIN users partner ON partner.id = other.user_id
            LEFT JOIN schedules s ON s.couple_id = c.id
            WHERE mine.user_id = ?
            ORDER BY mine.joined_at, c.id
            """,
            (user_id,),
        )

    async def own_answers(self, user_id: int) -> list[dict]:
        """This person's answers, whatever became of their rounds."""
        rows = await self.conn.fetch_all(
            """
            SELECT r.id AS round_id, r.kind, r.prompt_id, r.step, r.subject_id, r.status,
                r.opened_at, a.text, a.choice, a.answered_at, a.updated_at
            FROM answers a JOIN rounds r ON r.id = a.round_id
            WHERE a.user_id = ?
            ORDER BY r.id
            """,
            (user_id,),
        )
        return [self._opened(row, "text", choices=("choice",)) for row in rows]

    async def revealed(self, user_id: int) -> list[dict]:
        """Revealed rounds of this person's couples, as they were shown to them: their answer
        and the partner's (None when the partner erased theirs). Only revealed rounds: an
        unmatched answer of a partner's never leaves this query."""
        rows = await self.conn.fetch_all(
            """
            SELECT r.id AS round_id, r.kind, r.prompt_id, r.step, r.subject_id, r.finished_at,
                mine.text AS mine, theirs.text AS theirs,
                mine.choice AS my_choice, theirs.choice AS their_choice
            FROM couple_members m
            JOIN rounds r ON r.couple_id = m.couple_id AND r.status = 'revealed'
            LEFT JOIN answers mine ON mine.round_id = r.id AND mine.user_id = m.user_id
            LEFT JOIN answers theirs ON theirs.round_id = r.id AND theirs.user_id <> m.user_id
            WHERE m.user_id = ?
            ORDER BY r.id
            """,
            (user_id,),
        )
        return [
            self._opened(row, "mine", "theirs", choices=("my_choice", "their_choice"))
            for row in rows
        ]

    def _opened(
        self, row: Row, *texts: str, choices: tuple[str, ...] = (), what: str = "answers"
    ) -> dict:
        opened = {name: row[name] for name in row.keys()}  # noqa: SIM118
        for name, context in [(n, what) for n in texts] + [(n, "answers.choice") for n in choices]:
            if opened[name] is not None:
                try:
                    opened[name] = self.cipher.open(opened[name], context)
                except Unreadable:  # a damaged row: the rest of the export still goes out
                    opened[name] = None
        return opened

    async def breaks(self, user_id: int) -> list[Row]:
        return await self.conn.fetch_all(
            """
            SELECT b.started_at, b.ends_at, b.status, b.finished_at,
                b.started_by = m.user_id AS mine
            FROM couple_members m JOIN breaks b ON b.couple_id = m.couple_id
            WHERE m.user_id = ?
            ORDER BY b.id
            """,
            (user_id,),
        )

    async def erase(self, user_id: int) -> list[int]:
        """Delete every row that holds this person's words or identity; the ids of deleted
        outbox rows that were in flight (see Handoff.withdrawn). Their couples must have ended
        first (see privacy.erase): nothing of theirs may be queued afterwards."""
        p = (user_id,)
        # Everything queued for their couples (reveals of their words, notices naming them)
        # and every message to them; the partner's notice that it ended is queued after. In
        # flight as deleted: a delivery pass that marked a row and had not committed when this
        # read it is waited for, and its row is withdrawn too.
        gone = await self.conn.fetch_all(
            f"DELETE FROM outbox WHERE {_THEIR_OUTBOX} RETURNING id, inflight", p * 2
        )
        await Progress(self.conn).forget_person(user_id)
        for sql in (
            "DELETE FROM answer_parts WHERE user_id = ?",
            "DELETE FROM answers WHERE user_id = ?",
            "DELETE FROM round_participants WHERE user_id = ?",
            "DELETE FROM round_messages WHERE chat_id = ?",
            "DELETE FROM break_ready WHERE user_id = ? OR break_id IN "
            "(SELECT id FROM breaks WHERE started_by = ?)",
            "UPDATE rounds SET break_id = NULL WHERE break_id IN "
            "(SELECT id FROM breaks WHERE started_by = ?)",
            "DELETE FROM breaks WHERE started_by = ?",
            # Their promises and the wordings they proposed are their words; a partner's
            # stay the partner's, with this person's "yes" and their steps gone.
            "DELETE FROM promises WHERE promiser_id = ?",
            "DELETE FROM agreement_events WHERE user_id = ?",
            "UPDATE agreements SET active_version = NULL WHERE active_version IN "
            "(SELECT id FROM agreement_versions WHERE proposed_by = ?)",
            "DELETE FROM agreement_versions WHERE proposed_by = ?",
            "UPDATE agreement_versions SET accepted_by = NULL WHERE accepted_by = ?",
            "UPDATE agreements SET retire_asked_by = NULL WHERE retire_asked_by = ?",
            "DELETE FROM invites WHERE inviter_id = ?",
            "UPDATE invites SET used_by = NULL WHERE used_by = ?",
            "UPDATE couples SET ended_by = NULL WHERE ended_by = ?",
            # Their couples' first-steps journeys name them (who said yes, who was hurt).
            "DELETE FROM first_steps WHERE couple_id IN "
            "(SELECT couple_id FROM couple_members WHERE user_id = ?)",
            "DELETE FROM couple_members WHERE user_id = ?",
            "DELETE FROM join_failures WHERE user_id = ?",
            "DELETE FROM update_log WHERE person_id = ?",
            "DELETE FROM person_updates WHERE person_id = ?",
            "DELETE FROM users WHERE id = ?",
        ):
            await self.conn.execute(sql, p * sql.count("?"))
        return [row["id"] for row in gone if row["inflight"]]

    async def promises(self, user_id: int) -> list[dict]:
        """Promises in this person's couples: made by them, or made to them (told: it had a
        due moment; a partner's draft they never heard of is not theirs)."""
        rows = await self.conn.fetch_all(
            """
            SELECT p.id, p.promiser_id = m.user_id AS mine, p.text, p.status, p.created_at,
                p.due_at, p.due_local, p.zone, p.weekly, p.acknowledged_at, p.round_id,
                p.finished_at
            FROM couple_members m JOIN promises p ON p.couple_id = m.couple_id
            WHERE m.user_id = ? AND (p.due_at IS NOT NULL OR p.promiser_id = ?)
            ORDER BY p.id
            """,
            (user_id, user_id),
        )
        return [self._opened(row, "text", what="promises") for row in rows]

    async def agreements(self, user_id: int) -> tuple[list[Row], list[dict], list[Row]]:
        """Agreements of this person's couples, every wording proposed in them, and every
        step taken (each marked as this person's or not)."""
        found = await self.conn.fetch_all(
            """
            SELECT a.id, a.status, a.created_at, a.active_version, a.finished_at
            FROM couple_members m JOIN agreements a ON a.couple_id = m.couple_id
            WHERE m.user_id = ? ORDER BY a.id
            """,
            (user_id,),
        )
        ids = [r["id"] for r in found] or [0]
        marks = ", ".join("?" * len(ids))
        versions = await self.conn.fetch_all(
            f"""
            SELECT id, agreement_id, text, proposed_by = ? AS mine, proposed_by IS NULL AS gone,
                proposed_at, status, decided_at
            FROM agreement_versions WHERE agreement_id IN ({marks}) ORDER BY id
            """,
            (user_id, *ids),
        )
        events = await self.conn.fetch_all(
            f"""
            SELECT agreement_id, version_id, user_id = ? AS mine, what, at
            FROM agreement_events WHERE agreement_id IN ({marks}) ORDER BY id
            """,
            (user_id, *ids),
        )
        opened = [self._opened(v, "text", what="agreement_versions") for v in versions]
        return found, opened, events

    async def keep_days(self, user_id: int) -> int | None:
        return await self.conn.fetch_value("SELECT keep_days FROM users WHERE id = ?", (user_id,))

    async def set_keep_days(self, user_id: int, days: int | None, now: int) -> bool:
        """False when Steady knows nothing of this person yet."""
        changed = await self.conn.execute(
            "UPDATE users SET keep_days = ?, updated_at = ? WHERE id = ?", (days, now, user_id)
        )
        return changed > 0

    async def expired_rounds(self, now: int, owner_cutoff: int, limit: int) -> list[int]:
        """Revealed rounds whose texts are past keeping: revealed before the owner's cutoff, or
        longer ago than the shortest choice of the couple's members (ended couples too)."""
        rows = await self.conn.fetch_all(
            """
            SELECT r.id FROM rounds r
            WHERE r.status = 'revealed'
              AND EXISTS (SELECT 1 FROM answers a WHERE a.round_id = r.id
                          AND (a.choice IS NULL OR a.text <> ''))  -- words still kept
              AND (r.finished_at < ? OR r.finished_at < ? - 86400 * (
                    SELECT MIN(u.keep_days) FROM couple_members m
                    JOIN users u ON u.id = m.user_id
                    WHERE m.couple_id = r.couple_id))
            ORDER BY r.id LIMIT ?
            """,
            (owner_cutoff, now, limit),
        )
        return [row["id"] for row in rows]

    async def delete_texts(self, round_ids: list[int]) -> None:
        """The words of these rounds go; the rounds stay, so counts over time remain, and so
        does an ask's choice (a fact, like a promise kept), its word emptied."""
        marks = ", ".join("?" * len(round_ids))
        await self.conn.execute(f"DELETE FROM answer_parts WHERE round_id IN ({marks})", round_ids)
        await self.conn.execute(
            f"DELETE FROM answers WHERE round_id IN ({marks}) AND choice IS NULL", round_ids
        )
        await self.conn.execute(
            f"UPDATE answers SET text = '' WHERE round_id IN ({marks})", round_ids
        )

    # The couple's shortest keeping choice, in days: NULL when both keep for good.
    _KEEP = """(SELECT MIN(u.keep_days) FROM couple_members m JOIN users u ON u.id = m.user_id
                WHERE m.couple_id = {alias}.couple_id)"""

    async def expire_words(self, now: int, owner_cutoff: int, limit: int) -> int:
        """Promises and agreement wordings past keeping lose their words (the facts stay: a
        promise was made and how it went; an agreement existed and changed): finished
        promises, and wordings no longer the words of an active agreement, decided before the
        owner's cutoff or longer ago than the couple's shortest choice; and every promise and
        wording of a couple that ended that long ago, whatever became of it (a couple that
        ended before its promises and agreements ended with it kept them otherwise). How
        many, at most `limit` of each kind."""
        keep = self._KEEP.format(alias="p")
        promises = await self.conn.fetch_all(
            f"""
            SELECT p.id FROM promises p JOIN couples c ON c.id = p.couple_id
            WHERE p.text <> '' AND (
              (p.status IN ('done', 'withdrawn', 'cancelled')
               AND (p.finished_at < ? OR p.finished_at < ? - 86400 * {keep}))
              OR (c.ended_at IS NOT NULL
                  AND (c.ended_at < ? OR c.ended_at < ? - 86400 * {keep})))
            ORDER BY p.id LIMIT ?
            """,
            (owner_cutoff, now, owner_cutoff, now, limit),
        )
        keep = self._KEEP.format(alias="a")
        versions = await self.conn.fetch_all(
            f"""
            SELECT v.id FROM agreement_versions v JOIN agreements a ON a.id = v.agreement_id
            JOIN couples c ON c.id = a.couple_id
            WHERE v.text <> '' AND (
              (v.decided_at IS NOT NULL
               AND NOT (a.status = 'active' AND a.active_version = v.id)
               AND (COALESCE(a.finished_at, v.decided_at) < ?
                    OR COALESCE(a.finished_at, v.decided_at) < ? - 86400 * {keep}))
              OR (c.ended_at IS NOT NULL
                  AND (c.ended_at < ? OR c.ended_at < ? - 86400 * {keep})))
            ORDER BY v.id LIMIT ?
            """,
            (owner_cutoff, now, owner_cutoff, now, limit),
        )
        for table, rows in (("promises", promises), ("agreement_versions", versions)):
            ids = [r[0] for r in rows]
            if ids:
                marks = ", ".join("?" * len(ids))
                await self.conn.execute(f"UPDATE {table} SET text = '' WHERE id IN ({marks})", ids)
        return max(len(promises), len(versions))

    async def phone_settings(self, user_id: int) -> Row | None:
        """(discreet, quiet_from, quiet_until) of this person, if Steady knows them."""
        return await self.conn.fetch_one(
            "SELECT discreet, quiet_from, quiet_until FROM users WHERE id = ?", (user_id,)
        )

    async def set_discreet(self, user_id: int, on: bool, now: int) -> bool:
        changed = await self.conn.execute(
            "UPDATE users SET discreet = ?, updated_at = ? WHERE id = ?", (int(on), now, user_id)
        )
        return changed > 0

    async def set_quiet(self, user_id: int, hours: tuple[str, str] | None, now: int) -> bool:
        start, end = hours or (None, None)
        changed = await self.conn.execute(
            "UPDATE users SET quiet_from = ?, quiet_until = ?, updated_at = ? WHERE id = ?",
            (start, end, now, user_id),
        )
        return changed > 0

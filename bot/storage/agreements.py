"""Agreements, each wording proposed for them, and every step either partner took."""

from __future__ import annotations

from dataclasses import dataclass

from bot.crypto import Cipher
from bot.storage.engine import Conn, Row, from_row

SEALED = "agreement_versions"  # the cipher's context for an agreement's words


@dataclass(frozen=True)
class Agreement:
    id: int
    couple_id: int
    status: str  # proposed | active | declined | withdrawn | retired | ended (the couple did)
    created_at: int
    active_version: int | None
    retire_asked_by: int | None
    retire_asked_at: int | None
    finished_at: int | None


@dataclass(frozen=True)
class Version:
    id: int
    agreement_id: int
    text: str
    proposed_by: int | None
    proposed_at: int
    status: str  # proposed | accepted | declined | superseded
    accepted_by: int | None
    decided_at: int | None


@dataclass(frozen=True)
class Event:
    agreement_id: int
    version_id: int | None
    user_id: int | None
    what: str
    at: int


_A = (
    "id, couple_id, status, created_at, active_version, retire_asked_by, retire_asked_at, "
    "finished_at"
)
_V = "id, agreement_id, text, proposed_by, proposed_at, status, accepted_by, decided_at"


class Agreements:
    """Agreements and their history. Words are stored sealed."""

    def __init__(self, conn: Conn, cipher: Cipher) -> None:
        self.conn = conn
        self.cipher = cipher

    def _version(self, row: Row) -> Version:
        return from_row(Version, row, text=self.cipher.open(row["text"], SEALED))

    async def create(self, couple_id: int, now: int) -> int:
        return await self.conn.fetch_value(
            "INSERT INTO agreements (couple_id, created_at) VALUES (?, ?) RETURNING id",
            (couple_id, now),
        )

    async def get(self, agreement_id: int, *, lock: bool = False) -> Agreement | None:
        """`lock`: held until the transaction ends (take the couple's lock first)."""
        if lock and not await self.conn.lock("agreements", agreement_id):
            return None
        row = await self.conn.fetch_one(
            f"SELECT {_A} FROM agreements WHERE id = ?", (agreement_id,)
        )
        return from_row(Agreement, row) if row else None

    async def propose(self, agreement_id: int, text: str, by: int, now: int) -> int:
        """A new wording waiting for the other's answer; one waiting before is superseded."""
        await self.conn.execute(
            "UPDATE agreement_versions SET status = 'superseded', decided_at = ? "
            "WHERE agreement_id = ? AND status = 'proposed'",
            (now, agreement_id),
        )
        return await self.conn.fetch_value(
            "INSERT INTO agreement_versions (agreement_id, text, proposed_by, proposed_at) "
            "VALUES (?, ?, ?, ?) RETURNING id",
            (agreement_id, self.cipher.seal(text, SEALED), by, now),
        )

    async def supersede_pending(self, agreement_id: int, now: int) -> None:
        """A wording still waiting is answered by nobody any more (the agreement ended)."""
        await self.conn.execute(
            "UPDATE agreement_versions SET status = 'superseded', decided_at = ? "
            "WHERE agreement_id = ? AND status = 'proposed'",
            (now, agreement_id),
        )

    async def version(self, version_id: int) -> Version | None:
        row = await self.conn.fetch_one(
            f"SELECT {_V} FROM agreement_versions WHERE id = ?", (version_id,)
        )
        return self._version(row) if row else None

    async def pending(self, agreement_id: int) -> Version | None:
        """The wording waiting for an answer, if any."""
        row = await self.conn.fetch_one(
            f"SELECT {_V} FROM agreement_versions WHERE agreement_id = ? AND status = 'proposed'",
            (agreement_id,),
        )
        return self._version(row) if row else None

    async def accept(self, version_id: int, by: int, now: int) -> bool:
        """`by` accepts this wording: only while it waits, and never its own proposer's
        "yes" (row count: a second press, or one for a replaced wording, changes nothing)."""
        changed = await self.conn.execute(
            "UPDATE agreement_versions SET status = 'accepted', accepted_by = ?, decided_at = ? "
            "WHERE id = ? AND status = 'proposed' AND proposed_by IS NOT NULL AND proposed_by <> ?",
            (by, now, version_id, by),
        )
        return changed > 0

    async def decline(self, version_id: int, by: int, now: int) -> bool:
        changed = await self.conn.execute(
            "UPDATE agreement_versions SET status = 'declined', decided_at = ? "
            "WHERE id = ? AND status = 'proposed' AND proposed_by <> ?",
            (now, version_id, by),
        )
        return changed > 0

    async def activate(self, agreement_id: int, version_id: int, now: int) -> None:
        """The accepted wording is the agreement's; an earlier accepted one is superseded."""
        await self.conn.execute(
            "UPDATE agreement_versions SET status = 'superseded' WHERE agreement_id = ? "
            "AND status = 'accepted' AND id <> ?",
            (agreement_id, version_id),
        )
        await self.conn.execute(
            "UPDATE agreements SET status = 'active', active_version = ? WHERE id = ?",
            (version_id, agreement_id),
        )

    async def finish(self, agreement_id: int, old: str, new: str, now: int) -> bool:
        changed = await self.conn.execute(
            "UPDATE agreements SET status = ?, finished_at = ?, retire_asked_by = NULL, "
            "retire_asked_at = NULL WHERE id = ? AND status = ?",
            (new, now, agreement_id, old),
        )
        return changed > 0

    async def ask_retire(self, agreement_id: int, by: int | None, now: int | None) -> None:
        """Someone asked to retire it (None: the request is withdrawn or declined)."""
        await self.conn.execute(
            "UPDATE agreements SET retire_asked_by = ?, retire_asked_at = ? WHERE id = ?",
            (by, now, agreement_id),
        )

    async def record(
        self, agreement_id: int, version_id: int | None, by: int | None, what: str, now: int
    ) -> int:
        """One step in the agreement's history; its id (a notice about it is keyed by it)."""
        return await self.conn.fetch_value(
            "INSERT INTO agreement_events (agreement_id, version_id, user_id, what, at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            (agreement_id, version_id, by, what, now),
        )

    async def end_for_couple(self, couple_id: int, now: int) -> None:
        """The couple ended: its agreements end with it (and a wording still waiting for an
        answer is decided), so their words expire after the keeping time like any others."""
        await self.conn.execute(
            "UPDATE agreement_versions SET status = 'superseded', decided_at = ? "
            "WHERE status = 'proposed' AND agreement_id IN "
            "(SELECT id FROM agreements WHERE couple_id = ?)",
            (now, couple_id),
        )
        await self.conn.execute(
            "UPDATE agreements SET status = 'ended', finished_at = ?, retire_asked_by = NULL,"
            " retire_asked_at = NULL WHERE couple_id = ? AND status IN ('proposed', 'active')",
            (now, couple_id),
        )

    async def of_couple(self, couple_id: int, statuses: tuple[str, ...]) -> list[Agreement]:
        marks = ", ".join("?" * len(statuses))
        rows = await self.conn.fetch_all(
            f"SELECT {_A} FROM agreements WHERE couple_id = ? AND status IN ({marks}) ORDER BY id",
            (couple_id, *statuses),
        )
        return [from_row(Agreement, r) for r in rows]

    async def versions(self, agreement_id: int) -> list[Version]:
        rows = await self.conn.fetch_all(
            f"SELECT {_V} FROM agreement_versions WHERE agreement_id = ? ORDER BY id",
            (agreement_id,),
        )
        return [self._version(r) for r in rows]

    async def events(self, agreement_id: int) -> list[Event]:
        rows = await self.conn.fetch_all(
            "SELECT agreement_id, version_id, user_id, what, at FROM agreement_events "
            "WHERE agreement_id = ? ORDER BY id",
            (agreement_id,),
        )
        return [from_row(Event, r) for r in rows]

    async def set_review(self, couple_id: int, user_id: int, on: bool) -> None:
        await self.conn.execute(
            "UPDATE couple_members SET agreement_review = ? WHERE couple_id = ? AND user_id = ?",
            (int(on), couple_id, user_id),
        )

    async def review_choices(self, couple_id: int) -> dict[int, bool]:
        rows = await self.conn.fetch_all(
            "SELECT user_id, agreement_review FROM couple_members "
            "WHERE couple_id = ? AND left_at IS NULL",
            (couple_id,),
        )
        return {r[0]: bool(r[1]) for r in rows}

    async def review_at(self, couple_id: int) -> int | None:
        return await self.conn.fetch_value(
            "SELECT review_at FROM couples WHERE id = ?", (couple_id,)
        )

    async def set_review_at(self, couple_id: int, at: int | None) -> None:
        await self.conn.execute("UPDATE couples SET review_at = ? WHERE id = ?", (at, couple_id))

    async def due_reviews(self, now: int, limit: int) -> list[int]:
        """Couples whose monthly review is due, claimed for this unit."""
        rows = await self.conn.fetch_all(
            "SELECT c.id FROM couples c WHERE c.review_at IS NOT NULL AND c.review_at <= ? "
            "ORDER BY c.review_at, c.id LIMIT ?" + self.conn.for_update("c", skip_locked=True),
            (now, limit),
        )
        return [r[0] for r in rows]

    async def open_review(self, agreement_id: int) -> int | None:
        """The agreement's review ask still open, if any (bot.reviews)."""
        return await self.conn.fetch_value(
            "SELECT id FROM rounds WHERE kind = 'review' AND subject_id = ? AND status = 'open'",
            (agreement_id,),
        )

    async def seal_stored(self, cipher: Cipher) -> int:
        """Seal wordings stored in the clear (see Rounds.seal_stored). How many."""
        rows = await self.conn.fetch_all("SELECT id, text FROM agreement_versions WHERE text <> ''")
        await self.conn.execute_many(
            "UPDATE agreement_versions SET text = ? WHERE id = ?",
            [(cipher.seal(r["text"], SEALED), r["id"]) for r in rows],
        )
        return len(rows)

"""Promises: one partner's small promise with a due moment, and its outcome ask."""

from __future__ import annotations

from dataclasses import dataclass

from bot.crypto import Cipher
from bot.storage.engine import Conn, from_row

SEALED = "promises"  # the cipher's context for a promise's words


@dataclass(frozen=True)
class Promise:
    id: int
    couple_id: int
    promiser_id: int
    text: str
    status: str  # draft | open | asked | done | withdrawn | cancelled
    created_at: int
    due_local: str | None
    zone: str | None
    due_at: int | None
    ask_at: int | None
    weekly: bool
    acknowledged_at: int | None
    round_id: int | None
    renewed_from: int | None
    finished_at: int | None


_COLUMNS = (
    "id, couple_id, promiser_id, text, status, created_at, due_local, zone, due_at, ask_at, "
    "weekly, acknowledged_at, round_id, renewed_from, finished_at"
)
_P_COLUMNS = ", ".join(f"p.{name.strip()}" for name in _COLUMNS.split(","))


class Promises:
    """Promises and their due rows. Words are stored sealed."""

    def __init__(self, conn: Conn, cipher: Cipher) -> None:
        self.conn = conn
        self.cipher = cipher

    def _promise(self, row: object) -> Promise:
        return from_row(
            Promise,
            row,  # type: ignore[arg-type]
            text=self.cipher.open(row["text"], SEALED),  # type: ignore[index]
            weekly=bool(row["weekly"]),  # type: ignore[index]
        )

    async def create(
        self,
        couple_id: int,
        promiser_id: int,
        text: str,
        now: int,
        *,
        weekly: bool = False,
        renewed_from: int | None = None,
        zone: str | None = None,
    ) -> int:
        """A draft: the words, waiting for their due moment; `zone`: the one its due moments
        were offered in (set_due replaces it with the due moment's)."""
        return await self.conn.fetch_value(
            "INSERT INTO promises (couple_id, promiser_id, text, created_at, weekly, renewed_from,"
            " zone) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                couple_id,
                promiser_id,
                self.cipher.seal(text, SEALED),
                now,
                int(weekly),
                renewed_from,
                zone,
            ),
        )

    async def get(self, promise_id: int, *, lock: bool = False) -> Promise | None:
        """`lock`: held until the transaction ends (take the couple's lock first)."""
        if lock and not await self.conn.lock("promises", promise_id):
            return None
        row = await self.conn.fetch_one(
            f"SELECT {_COLUMNS} FROM promises WHERE id = ?", (promise_id,)
        )
        return self._promise(row) if row else None

    async def latest_draft(self, couple_id: int, promiser_id: int) -> Promise | None:
        row = await self.conn.fetch_one(
            f"SELECT {_COLUMNS} FROM promises WHERE couple_id = ? AND promiser_id = ? "
            "AND status = 'draft' ORDER BY id DESC LIMIT 1",
            (couple_id, promiser_id),
        )
        return self._promise(row) if row else None

    async def set_due(
        self, promise_id: int, due_local: str, zone: str, due_at: int, weekly: bool
    ) -> bool:
        """A draft gets its due moment and is open; False when it was no longer a draft."""
        changed = await self.conn.execute(
            "UPDATE promises SET status = 'open', due_local = ?, zone = ?, due_at = ?, "
            "ask_at = ?, weekly = ? WHERE id = ? AND status = 'draft'",
            (due_local, zone, due_at, due_at, int(weekly), promise_id),
        )
        return changed > 0

    async def move(self, promise_id: int, old: str, new: str, now: int) -> bool:
        """From status `old` to `new`, ending its due row; False when it was not `old`."""
        finished = new in ("done", "withdrawn", "cancelled")
        changed = await self.conn.execute(
            "UPDATE promises SET status = ?, ask_at = NULL, "
            "finished_at = CASE WHEN ? THEN ? ELSE finished_at END WHERE id = ? AND status = ?",
            (new, finished, now, promise_id, old),
        )
        return changed > 0

    async def asked(self, promise_id: int, round_id: int) -> bool:
        """The outcome ask opened: the promise waits for both answers."""
        changed = await self.conn.execute(
            "UPDATE promises SET status = 'asked', ask_at = NULL, round_id = ? "
            "WHERE id = ? AND status = 'open'",
            (round_id, promise_id),
        )
        return changed > 0

    async def set_weekly(self, promise_id: int, on: bool) -> None:
        await self.conn.execute(
            "UPDATE promises SET weekly = ? WHERE id = ?", (int(on), promise_id)
        )

    async def renewal_of(self, promise_id: int) -> int | None:
        """The promise made again from this one, if any."""
        return await self.conn.fetch_value(
            "SELECT id FROM promises WHERE renewed_from = ? ORDER BY id LIMIT 1", (promise_id,)
        )

    async def hold(self, promise_id: int, until: int) -> None:
        await self.conn.execute("UPDATE promises SET ask_at = ? WHERE id = ?", (until, promise_id))

    async def acknowledge(self, promise_id: int, now: int) -> bool:
        """The partner's "seen it"; False when said before (or the promise is not open)."""
        changed = await self.conn.execute(
            "UPDATE promises SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL "
            "AND status IN ('open', 'asked')",
            (now, promise_id),
        )
        return changed > 0

    async def of_round(self, round_id: int) -> Promise | None:
        row = await self.conn.fetch_one(
            f"SELECT {_COLUMNS} FROM promises WHERE round_id = ?", (round_id,)
        )
        return self._promise(row) if row else None

    async def end_for_couple(self, couple_id: int, now: int) -> None:
        """The couple ended: its promises not yet done (drafts, waiting, being asked) are
        cancelled, so their words expire after the keeping time like any others."""
        await self.conn.execute(
            "UPDATE promises SET status = 'cancelled', finished_at = ?, ask_at = NULL "
            "WHERE couple_id = ? AND status IN ('draft', 'open', 'asked')",
            (now, couple_id),
        )

    async def listing(
        self, couple_id: int, reader: int, recent: int
    ) -> tuple[list[Promise], list[Promise]]:
        """(open ones: the reader's own drafts, waiting and being asked, by due moment; the
        `recent` latest finished ones with an outcome, newest first). A partner's draft is not
        the reader's: nobody has told them of it, and it may never be made."""
        rows = await self.conn.fetch_all(
            f"SELECT {_COLUMNS} FROM promises WHERE couple_id = ? "
            "AND (status IN ('open', 'asked') OR (status = 'draft' AND promiser_id = ?)) "
            "ORDER BY due_at IS NULL, due_at, id",
            (couple_id, reader),
        )
        done = await self.conn.fetch_all(
            f"SELECT {_COLUMNS} FROM promises WHERE couple_id = ? AND status = 'done' "
            "ORDER BY finished_at DESC, id DESC LIMIT ?",
            (couple_id, recent),
        )
        return [self._promise(r) for r in rows], [self._promise(r) for r in done]

    async def due(self, now: int, limit: int) -> list[Promise]:
        """Open promises whose outcome ask is due, claimed for this unit (two ticks take
        different ones; one a person's use case holds is left for the next tick)."""
        rows = await self.conn.fetch_all(
            f"SELECT {_P_COLUMNS} FROM promises p JOIN couples c ON c.id = p.couple_id "
            "WHERE p.ask_at IS NOT NULL AND p.ask_at <= ? ORDER BY p.ask_at, p.id LIMIT ?"
            + self.conn.for_update("p", "c", skip_locked=True),
            (now, limit),
        )
        return [self._promise(r) for r in rows]

    async def seal_stored(self, cipher: Cipher) -> int:
        """Seal promises stored in the clear (see Rounds.seal_stored). How many."""
        rows = await self.conn.fetch_all("SELECT id, text FROM promises WHERE text <> ''")
        await self.conn.execute_many(
            "UPDATE promises SET text = ? WHERE id = ?",
            [(cipher.seal(r["text"], SEALED), r["id"]) for r in rows],
        )
        return len(rows)

"""The ledger of webhook updates: each handled once, one person's in order, across workers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.storage.engine import Conn


class Turn(Enum):
    FRESH = "fresh"  # not seen before, and nothing later of this person's supersedes it
    LATE = "late"  # not seen before, but a later update of theirs took effect already
    DUPLICATE = "duplicate"  # handled already (Telegram retried it, maybe to another worker)
    SUPERSEDED = "superseded"  # an older form of a message whose newer edit took effect


@dataclass(frozen=True)
class Message:
    """Which message an update carries, and its edit date (0: as first sent)."""

    chat_id: int
    message_id: int
    edit_date: int


class Updates:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def take_turn(self, person: int, update_id: int, message: Message | None) -> Turn:
        """Hold this person's row until the unit ends (other workers' updates of theirs wait
        here) and say what this update is to them."""
        await self.conn.execute(
            "INSERT INTO person_updates (person_id) VALUES (?) ON CONFLICT (person_id) DO NOTHING",
            (person,),
        )
        row = await self.conn.fetch_one(
            "SELECT last_update_id FROM person_updates p WHERE person_id = ?"
            + self.conn.for_update("p"),
            (person,),
        )
        assert row is not None
        if await self.seen(update_id):
            return Turn.DUPLICATE
        if message is not None:
            # A newer edit of this very message took effect: this older form of it must not
            # overwrite it (the message as first sent counts as older than any edit). Edit
            # dates are whole seconds: of two edits in one second, the later update is newer.
            newer = await self.conn.fetch_value(
                "SELECT 1 FROM update_log WHERE person_id = ? AND chat_id = ?"
                " AND message_id = ? AND (edit_date > ? OR (edit_date = ? AND update_id > ?))"
                " LIMIT 1",
                (
                    person,
                    message.chat_id,
                    message.message_id,
                    message.edit_date,
                    message.edit_date,
                    update_id,
                ),
            )
            if newer:
                return Turn.SUPERSEDED
        return Turn.FRESH if update_id > row["last_update_id"] else Turn.LATE

    async def seen(self, update_id: int) -> bool:
        return bool(
            await self.conn.fetch_value(
                "SELECT 1 FROM update_log WHERE update_id = ?", (update_id,)
            )
        )

    async def applied(self, person: int, update_id: int, message: Message | None, now: int) -> None:
        """It took effect: remembered by id (and its message), and as this person's latest."""
        await self.conn.execute(
            "UPDATE person_updates SET applied = applied + 1,"
            " last_update_id = CASE WHEN last_update_id > ? THEN last_update_id ELSE ? END"
            " WHERE person_id = ?",
            (update_id, update_id, person),
        )
        where = (
            (None, None, None)
            if message is None
            else (message.chat_id, message.message_id, message.edit_date)
        )
        await self.conn.execute(
            "INSERT INTO update_log"
            " (update_id, person_id, seq, applied_at, chat_id, message_id, edit_date)"
            " SELECT ?, ?, applied, ?, ?, ?, ? FROM person_updates WHERE person_id = ?"
            " ON CONFLICT (update_id) DO NOTHING",
            (update_id, person, now, *where, person),
        )

    async def purge(self, before: int) -> int:
        """Forget updates applied before `before`: Telegram stops retrying long before."""
        return await self.conn.execute("DELETE FROM update_log WHERE applied_at < ?", (before,))

"""One-time invites (stored as code hashes) and the wrong-code log."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.engine import Conn, from_row


@dataclass(frozen=True)
class InviteRow:
    id: int
    inviter_id: int
    expires_at: int
    used_at: int | None
    revoked_at: int | None


class Invites:
    """One-time invites and the join cool-off."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def revoke_open(self, inviter_id: int, now: int) -> None:
        """A new /pair replaces the inviter's earlier invites."""
        await self.conn.execute(
            """
            UPDATE invites SET revoked_at = ?
            WHERE inviter_id = ? AND used_at IS NULL AND revoked_at IS NULL
            """,
            (now, inviter_id),
        )

    async def insert(self, code_hash: str, inviter_id: int, now: int, expires_at: int) -> None:
        await self.conn.execute(
            "INSERT INTO invites (code_hash, inviter_id, created_at, expires_at) "
            "VALUES (?, ?, ?, ?)",
            (code_hash, inviter_id, now, expires_at),
        )

    async def created_since(self, inviter_id: int, since: int) -> tuple[int, int | None]:
        """How many invites `inviter_id` made after `since`, and when the oldest was made."""
        row = await self.conn.fetch_one(
            "SELECT COUNT(*), MIN(created_at) FROM invites WHERE inviter_id = ? AND created_at > ?",
            (inviter_id, since),
        )
        return (int(row[0]), row[1]) if row else (0, None)

    async def find(self, code_hash: str) -> InviteRow | None:
        row = await self.conn.fetch_one(
            "SELECT id, inviter_id, expires_at, used_at, revoked_at FROM invites "
            "WHERE code_hash = ?",
            (code_hash,),
        )
        return from_row(InviteRow, row) if row else None

    async def mark_used(self, invite_id: int, user_id: int, now: int) -> bool:
        """Use an open invite; False when it was used, replaced or expired meanwhile.

        The WHERE clause is the single-use rule: whatever the caller read before, only one
        joiner's UPDATE can match.
        """
        changed = await self.conn.execute(
            """
            UPDATE invites SET used_at = ?, used_by = ?
            WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?
            """,
            (now, user_id, invite_id, now),
        )
        return changed > 0

    async def record_failure(self, user_id: int, now: int) -> None:
        await self.conn.execute(
            "INSERT INTO join_failures (user_id, failed_at) VALUES (?, ?)", (user_id, now)
        )

    async def failures_since(self, user_id: int, since: int) -> int:
        row = await self.conn.fetch_one(
            "SELECT COUNT(*) FROM join_failures WHERE user_id = ? AND failed_at >= ?",
            (user_id, since),
        )
        return int(row[0]) if row else 0

    async def purge(self, invites_before: int, failures_before: int) -> None:
        """Housekeeping: forget long-expired invites and old wrong-code records."""
        await self.conn.execute("DELETE FROM invites WHERE expires_at < ?", (invites_before,))
        await self.conn.execute("DELETE FROM join_failures WHERE failed_at < ?", (failures_before,))

"""A unit of work: one transaction's typed repositories, handed to domain code."""

from __future__ import annotations

from bot.crypto import Cipher
from bot.models import Button, Media, Person
from bot.storage.agreements import Agreements
from bot.storage.breaks import Breaks
from bot.storage.couples import Couples
from bot.storage.engine import Conn
from bot.storage.firststeps import Journeys
from bot.storage.invites import Invites
from bot.storage.meta import Meta
from bot.storage.outbox import Handoff, Lease, Outbox, notice
from bot.storage.personal import PersonalData
from bot.storage.progress import Progress
from bot.storage.promises import Promises
from bot.storage.rounds import Rounds
from bot.storage.schedules import Schedules
from bot.storage.updates import Updates
from bot.storage.users import Users


class Unit:
    """Everything one use case may read and write, inside one transaction.

    The domain sees repositories, never a driver; the engine behind `conn` is SQLite or
    PostgreSQL. What it queues for delivery is `handoff`, handed over when it commits."""

    def __init__(
        self, conn: Conn, cipher: Cipher | None = None, lease: Lease | None = None
    ) -> None:
        self.conn = conn
        cipher = cipher or Cipher.plain()
        self.handoff = Handoff()
        self.users = Users(conn)
        self.couples = Couples(conn)
        self.invites = Invites(conn)
        self.outbox = Outbox(conn, self.handoff, cipher, lease)
        self.rounds = Rounds(conn, cipher)
        self.schedules = Schedules(conn)
        self.breaks = Breaks(conn)
        self.firststeps = Journeys(conn)
        self.personal = PersonalData(conn, cipher)
        self.meta = Meta(conn)
        self.promises = Promises(conn, cipher)
        self.agreements = Agreements(conn, cipher)
        self.progress = Progress(conn)  # /progress, the weekly summary, /report consents
        self.updates = Updates(conn)

    async def notify(
        self,
        to: Person | int,
        kind: str,
        *about: object,
        text: str,
        now: int,
        buttons: tuple[tuple[Button, ...], ...] = (),
        round_id: int | None = None,
        due_at: int | None = None,
        couple_id: int | None = None,
        media: Media | None = None,
    ) -> bool:
        """Queue one message to `to` (see outbox.notice for its key); it goes out after the
        commit. False when the same message was queued before (nothing is added)."""
        message = notice(
            to, kind, *about, text=text, buttons=buttons, round_id=round_id, due_at=due_at,
            couple_id=couple_id, media=media,
        )  # fmt: skip
        return await self.outbox.enqueue(message, now)

"""Plain values the domain passes around; nothing here knows Telegram."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    id: int
    first_name: str
    language: str = "en"
    reachable: bool = True


@dataclass(frozen=True)
class Couple:
    id: int
    a: Person
    b: Person

    def partner_of(self, user_id: int) -> Person:
        if user_id == self.a.id:
            return self.b
        if user_id == self.b.id:
            return self.a
        raise ValueError("not a member of this couple")

    def member(self, user_id: int) -> Person:
        return self.partner_of(self.partner_of(user_id).id)

    def has(self, user_id: int) -> bool:
        return user_id in (self.a.id, self.b.id)


@dataclass(frozen=True)
class Button:
    """An inline button: a label key's rendered text and its callback data."""

    text: str
    data: str


@dataclass(frozen=True)
class Media:
    """A file a message carries (its text is then the caption): a picture or a document."""

    kind: str  # "photo" or "document"
    content: bytes
    filename: str

    def __post_init__(self) -> None:
        if self.kind not in ("photo", "document"):
            raise ValueError("a message carries a photo or a document")


@dataclass(frozen=True)
class Outgoing:
    """A message for the outbox: who gets it, its rendered HTML text, its buttons."""

    chat_id: int
    dedupe_key: str
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    round_id: int | None = None  # set on check-in prompts, so a reply finds its round
    due_at: int | None = None  # send no earlier than this (a prompt at its reader's local time)
    # The couple it is about, where its reader has left it (a notice that it ended): erasing
    # either partner withdraws it with the couple's queue. Otherwise the reader's couple.
    couple_id: int | None = None
    media: Media | None = None  # a picture or document; `text` is its caption (1024 at most)


def storable(text: str) -> str:
    """Text as both engines can keep it: PostgreSQL's text cannot hold NUL, which no one types
    on purpose; it becomes U+FFFD (the replacement character) on either engine."""
    return text.replace("\x00", "\ufffd")

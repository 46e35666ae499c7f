"""The kinds of double-blind ask beyond check-ins, each registered by the feature that owns it.

A kind says how its question reads (it may read its subject, a promise's words, through the
unit), which options its buttons offer, and what follows its reveal. The rules themselves (one
reveal, routing by what a person received) stay in bot.checkins and bot.asks, the same for all.
Kept apart from both so either can look a kind up without importing the other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.models import Couple
from bot.storage.rounds import Answer, Round
from bot.storage.unit import Unit
from bot.texts import plain

Question = Callable[[Unit, Round, str, int], Awaitable[str]]
AfterReveal = Callable[[Unit, Couple, Round, dict[int, Answer], int], Awaitable[None]]


@dataclass(frozen=True)
class Kind:
    name: str  # the rounds.kind value
    # The question as one reader reads it (their language, and who they are: a promiser and
    # their partner are asked differently), for the prompt, a reminder, the reveal, /history
    # and /export. Plain text. Called for old rounds too: it must cope with a gone subject.
    question: Question
    options: tuple[str, ...] = ()  # choice keys in button order; () = answered in words
    labels: str = ""  # locale key prefix of the options' words: f"{labels}.{option}"
    after_reveal: AfterReveal | None = None  # caller's transaction

    def label(self, option: str, language: str) -> str:
        """An option's words, plain (escaped where they are filled in): a button, a reveal."""
        return plain(f"{self.labels}.{option}", language)


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """At import time of the feature module that owns the kind."""
    if kind.name in ("checkin", "repair") or _KINDS.get(kind.name, kind) != kind:
        raise ValueError(f"ask kind {kind.name!r} is taken")
    if kind.options and not kind.labels:
        raise ValueError(f"ask kind {kind.name!r} has options and no words for them")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind | None:
    return _KINDS.get(name)

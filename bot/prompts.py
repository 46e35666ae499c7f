"""The prompt library (bot/data/prompts.toml) and how a couple's next prompt is chosen."""

from __future__ import annotations

import random
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from bot.texts import t

LIBRARY = files("bot") / "data" / "prompts.toml"  # package data, wherever bot is installed

# The order categories rotate in: acknowledge and open up first, look forward last.
CATEGORIES = (
    "open_communication",
    "responsibility",
    "consistency",
    "emotional_safety",
    "boundaries",
    "appreciation",
    "looking_forward",
)


# Roles a couple revealed in first steps (bot.firststeps): one mostly hurt and one mostly
# caused it ("split"), or it goes both ways ("both"). A prompt tagged with roles is for couples
# with those roles only; a couple with none gets the untagged rotation.
ROLES = ("split", "both")


@dataclass(frozen=True)
class Prompt:
    id: str
    category: str
    texts: dict[str, str]
    roles: frozenset[str] = frozenset()  # empty: for every couple

    def text(self, language: str) -> str:
        return self.texts.get(language) or self.texts["en"]


@cache
def library(path: Traversable = LIBRARY) -> dict[str, Prompt]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)["prompt"]
    prompts: dict[str, Prompt] = {}
    for entry in raw:
        texts = {k: v for k, v in entry.items() if k not in {"id", "category", "roles"}}
        roles = frozenset(entry.get("roles", ()))
        prompt = Prompt(entry["id"], entry["category"], texts, roles)
        if (
            prompt.id in prompts
            or prompt.category not in CATEGORIES
            or "en" not in texts
            or not roles <= set(ROLES)
        ):
            raise ValueError(f"bad prompt entry {prompt.id!r} in {path}")
        prompts[prompt.id] = prompt
    return prompts


@cache
def eligible(roles: str | None = None, path: Traversable = LIBRARY) -> dict[str, Prompt]:
    """The prompts a couple with these roles (None: no roles) draws from: every untagged
    prompt, and those tagged with their roles."""
    return {i: p for i, p in library(path).items() if not p.roles or roles in p.roles}


@cache
def _by_category(
    roles: str | None = None, path: Traversable = LIBRARY
) -> dict[str, tuple[Prompt, ...]]:
    """Each category's prompts for these roles, sorted by id: what `choose` draws from."""
    found: dict[str, list[Prompt]] = {}
    for prompt in eligible(roles, path).values():
        found.setdefault(prompt.category, []).append(prompt)
    return {c: tuple(sorted(ps, key=lambda p: p.id)) for c, ps in found.items()}


def choose(
    used: Collection[str],
    last_category: str | None,
    rng: random.Random | None = None,
    roles: str | None = None,
) -> tuple[Prompt, bool]:
    """The next prompt, and whether a new pass through the library starts with it.

    No prompt repeats until all the couple's prompts were used; categories take turns in
    CATEGORIES order. A couple with roles gets, in each category, the prompts fitting their
    roles before the others. Cheap for a couple with nothing used yet: due work chooses for
    thousands at a time.
    """
    pool, new_pass = _pool(frozenset(used), last_category, roles)
    return (rng or random).choice(pool), new_pass


@lru_cache(maxsize=4096)
def _pool(
    used: frozenset[str], last_category: str | None, roles: str | None
) -> tuple[tuple[Prompt, ...], bool]:
    """What `choose` draws from, and whether a new pass starts: worked out once for the many
    couples of a due batch that have used the same prompts (the draw stays each couple's own)."""
    prompts = eligible(roles)
    new_pass = len(used) >= len(prompts) and all(p in used for p in prompts)
    by_category = _by_category(roles)
    start = CATEGORIES.index(last_category) + 1 if last_category in CATEGORIES else 0
    for step in range(len(CATEGORIES)):
        category = CATEGORIES[(start + step) % len(CATEGORIES)]
        pool = by_category.get(category, ())
        if used and not new_pass:
            pool = tuple(p for p in pool if p.id not in used)
        fitting = tuple(p for p in pool if roles in p.roles) if roles else ()
        pool = fitting or pool
        if pool:
            return pool, new_pass
    raise RuntimeError("the prompt library is empty")


def message(prompt_id: str, language: str, partner: str) -> str:
    """A check-in prompt as its reader gets it: in their language, naming their partner.
    Rendered when delivery reads the row (prompts are queued by id, see Outbox.enqueue_prompts),
    so due work queues thousands of them without a text each."""
    prompt = library()[prompt_id]
    return t("checkin.prompt", language, prompt=prompt.text(language), partner=partner)

"""The prompt library (bot/data/prompts.toml) and how a couple's next prompt is chosen."""

from __future__ import annotations

import random
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
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


@dataclass(frozen=True)
class Prompt:
    id: str
    category: str
    texts: dict[str, str]

    def text(self, language: str) -> str:
        return self.texts.get(language) or self.texts["en"]


@cache
def library(path: Traversable = LIBRARY) -> dict[str, Prompt]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)["prompt"]
    prompts: dict[str, Prompt] = {}
    for entry in raw:
        texts = {k: v for k, v in entry.items() if k not in {"id", "category"}}
        prompt = Prompt(entry["id"], entry["category"], texts)
        if prompt.id in prompts or prompt.category not in CATEGORIES or "en" not in texts:
            raise ValueError(f"bad prompt entry {prompt.id!r} in {path}")
        prompts[prompt.id] = prompt
    return prompts


@cache
def _by_category(path: Traversable = LIBRARY) -> dict[str, tuple[Prompt, ...]]:
    """Each category's prompts sorted by id: what `choose` draws from, built once."""
    found: dict[str, list[Prompt]] = {}
    for prompt in library(path).values():
        found.setdefault(prompt.category, []).append(prompt)
    return {c: tuple(sorted(ps, key=lambda p: p.id)) for c, ps in found.items()}


def choose(
    used: Collection[str], last_category: str | None, rng: random.Random | None = None
) -> tuple[Prompt, bool]:
    """The next prompt, and whether a new pass through the library starts with it.

    No prompt repeats until all were used; categories take turns in CATEGORIES order.
    Cheap for a couple with nothing used yet: due work chooses for thousands at a time.
    """
    prompts = library()
    new_pass = len(used) >= len(prompts) and all(p in used for p in prompts)
    by_category = _by_category()
    start = CATEGORIES.index(last_category) + 1 if last_category in CATEGORIES else 0
    for step in range(len(CATEGORIES)):
        category = CATEGORIES[(start + step) % len(CATEGORIES)]
        pool = by_category.get(category, ())
        if used and not new_pass:
            pool = tuple(p for p in pool if p.id not in used)
        if pool:
            return (rng or random).choice(pool), new_pass
    raise RuntimeError("the prompt library is empty")


def message(prompt_id: str, language: str, partner: str) -> str:
    """A check-in prompt as its reader gets it: in their language, naming their partner.
    Rendered when delivery reads the row (prompts are queued by id, see Outbox.enqueue_prompts),
    so due work queues thousands of them without a text each."""
    prompt = library()[prompt_id]
    return t("checkin.prompt", language, prompt=prompt.text(language), partner=partner)

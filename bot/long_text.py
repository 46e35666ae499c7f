"""Fitting long texts into Telegram messages (4096 visible characters each)."""

from __future__ import annotations

import html
import re

# Telegram counts characters after entity parsing; keep a margin for safety.
LIMIT = 4000
_TAG = re.compile(r"<[^>]+>")


def units(text: str) -> int:
    """Telegram measures length in UTF-16 code units (an emoji can count as two)."""
    return len(text.encode("utf-16-le")) // 2


def visible_len(fragment: str) -> int:
    """What Telegram counts for an HTML fragment: the text without tags and entities."""
    return units(html.unescape(_TAG.sub("", fragment)))


def _hard_cut(raw: str, size: int) -> list[str]:
    pieces, current = [], ""
    for ch in raw:
        if units(current) + units(ch) > size:
            pieces.append(current)
            current = ""
        current += ch
    return [*pieces, current]


def chunks(raw: str, size: int) -> list[str]:
    """Cut plain text into pieces of at most `size`, at paragraphs, then lines, then words."""
    if units(raw) <= size:
        return [raw]
    for separator in ("\n\n", "\n", " "):
        parts = raw.split(separator)
        if len(parts) > 1:
            pieces: list[str] = []
            current = ""
            for part in parts:
                candidate = f"{current}{separator}{part}" if current else part
                if units(candidate) <= size:
                    current = candidate
                    continue
                if current:
                    pieces.append(current)
                current = part
            pieces.append(current)
            return [p for piece in pieces for p in chunks(piece, size)]
    return _hard_cut(raw, size)


def escaped_blocks(label: str, raw: str, size: int = LIMIT // 2) -> list[str]:
    """`label` (HTML) above the escaped `raw` text, as blocks that each fit in a message."""
    pieces = chunks(raw, size)
    blocks = [f"{label}\n{html.escape(pieces[0], quote=False)}"]
    blocks += [html.escape(p, quote=False) for p in pieces[1:]]
    return blocks


def paginate(blocks: list[str], limit: int = LIMIT) -> list[str]:
    """Join blocks with blank lines into as few messages as fit; a block is never cut."""
    pages: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current else block
        if current and visible_len(candidate) > limit:
            pages.append(current)
            current = block
        else:
            current = candidate
    if current:
        pages.append(current)
    return pages

"""Showing people's text exactly as typed: as data, never markup, never terminal control.

Every piece of user text on screen goes through `shown` (it may have come from a file edited
by hand, or another tool), and lines are built as Textual `Content` from plain strings and
(text, style) pairs, never parsed as markup, so brackets are only ever brackets.

`shown` also takes out what terminals disagree on the width of (the joiners inside family
emoji, skin-tone modifiers, variation selectors; flags show as their two letters), so a
border never moves out of line: the emoji shows as its parts, the stored text keeps it whole.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from textual.content import Content
from textual.visual import Visual

from facilitator.domain.actions import ActionStatus
from facilitator.domain.text import strip_hidden

_WIDTH_DISPUTED = {
    "\u200d",  # zero-width joiner
    "\ufe0e",  # text presentation selector
    "\ufe0f",  # emoji presentation selector
    *(chr(c) for c in range(0x1F3FB, 0x1F400)),  # skin-tone modifiers
    *(chr(c) for c in range(0xE0020, 0xE0080)),  # tags (subdivision flags)
}


Drawn = TypeVar("Drawn", bound=Visual)

_FLAG_LETTERS = {chr(0x1F1E6 + n): chr(ord("A") + n) for n in range(26)}
"""Regional indicators (flags): terminals draw them 2, 4 or 1 cells wide; shown as letters."""


@lru_cache(maxsize=4096)
def shown(text: str) -> str:
    """`text` made safe to draw: one line, no control or invisible characters."""
    cleaned = strip_hidden(text)
    if any(ch in _WIDTH_DISPUTED or ch in _FLAG_LETTERS for ch in cleaned):
        cleaned = "".join(_FLAG_LETTERS.get(ch, ch) for ch in cleaned if ch not in _WIDTH_DISPUTED)
    return unicodedata.normalize("NFC", cleaned)


def styled(text: str, style: str = "") -> Content:
    """User text as Content, in a style (never parsed as markup)."""
    return Content.styled(shown(text), style) if style else Content(shown(text))


Part = str | tuple[str, str] | Content


def line(*parts: Part) -> Content:
    """A line from our own strings, (text, style) pairs and Content. User text must already
    have gone through `shown` or `styled`."""
    return Content.assemble(*parts)


def lines(rows: list[Content]) -> Content:
    return Content("\n").join(rows)


UNSHOWABLE = "(this record can't be shown here; it is kept in the file as it is)"

# How a reviewed action's fate is shown on every screen: in words and a symbol, never colour
# alone. Each screen adds its own word for an action still open ("to review", "open").
REVIEWED_MARKS = {
    ActionStatus.DONE: ("✓ done", "bold $text-success"),
    ActionStatus.PARTLY: ("~ partly done", "bold $text-warning"),
    ActionStatus.NOT_DONE: ("✗ not done", "bold $text-warning"),
    ActionStatus.DROPPED: ("⊘ dropped", "$text-muted"),
}


def guarded(build: Callable[..., Drawn], *args: object) -> Drawn | Content:
    """Draw one record; a record that can't be drawn shows a note instead of stopping the
    screen (the rest of the meeting stays usable, and nothing is changed in the file)."""
    try:
        return build(*args)
    except Exception:
        return Content.styled(UNSHOWABLE, "italic $text-warning")

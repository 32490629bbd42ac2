"""Printing for the command line: aligned tables on a terminal, tab-separated text when piped,
JSON on request. No Rich: plain text, and on a terminal a little ANSI emphasis (never the only
sign of anything: a word always says it). Everything people typed passes through `shown`,
so no stored control character reaches the terminal."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from facilitator.domain.record import record
from facilitator.domain.text import strip_hidden

BOLD = "\x1b[1m"
RESET = "\x1b[0m"
ELLIPSIS = "…"


def shown(text: str) -> str:
    """Someone's text, safe to print: hidden and control characters gone, on one line."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # as stored text almost always is: a long listing asks a thousand times
    return " ".join(strip_hidden(text).split())


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def emphasis_allowed(stream: TextIO) -> bool:
    """Bold on a terminal, unless NO_COLOR is set or the terminal is dumb."""
    return (
        is_terminal(stream)
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM", "") != "dumb"
    )


def cells(text: str) -> int:
    """How many terminal columns `text` takes (wide East Asian characters and emoji: two)."""
    if text.isascii():  # one column a character: most text, and a long table asks often
        return len(text)
    # Mostly ASCII still (a name with an accent, a dash): only the others are looked up.
    others = re.findall(NON_ASCII, text)
    return len(text) - len(others) + sum(map(_char_cells, others))


NON_ASCII = r"[^\x00-\x7f]"
_CHAR_CELLS: dict[str, int] = {}


def _char_cells(ch: str) -> int:
    """A character's columns: 0 for a combining or format character, 2 for a wide one."""
    size = _CHAR_CELLS.get(ch)
    if size is None:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            size = 0
        else:
            size = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        _CHAR_CELLS[ch] = size
    return size


def fit(text: str, width: int) -> str:
    """`text` cut to `width` columns, with an ellipsis when cut."""
    if cells(text) <= width:
        return text
    if text.isascii():
        return text[: max(width - 1, 0)] + ELLIPSIS
    kept, used = [], 0
    for ch in text:
        size = 1 if ch.isascii() else _char_cells(ch)
        if used + size > width - 1:
            break
        kept.append(ch)
        used += size
    return "".join(kept) + ELLIPSIS


@record
class Column:
    title: str
    right: bool = False
    """Numbers line up on the right."""
    flexible: bool = False
    """The column that is cut to fit the terminal's width (the last one that holds text)."""


@dataclass
class Table:
    """Rows under column titles. On a terminal: aligned, the flexible column cut to fit the
    width, titles in bold; piped: tab-separated, one row a line, nothing cut."""

    columns: Sequence[Column]
    rows: list[list[str]]
    bold_cells: set[tuple[int, int]] | None = None
    """(row, column) of cells to show in bold on a terminal."""

    def write(self, stream: TextIO) -> None:
        if not is_terminal(stream):
            lines = ["\t".join(c.title.lower() for c in self.columns)]
            lines += ["\t".join(row) for row in self.rows]
            stream.write("\n".join(lines) + "\n")
            return
        stream.write("\n".join(self.lines(terminal_width(), emphasis_allowed(stream))) + "\n")

    def lines(self, width: int, emphasis: bool) -> list[str]:
        titles = [c.title for c in self.columns]
        # Each cell's columns counted once: a listing of a thousand actions has 4,000 cells.
        sizes = [[cells(text) for text in row] for row in [titles, *self.rows]]
        widths = [max(row[i] for row in sizes) for i in range(len(self.columns))]
        gap = 2
        flexible = next((i for i, c in enumerate(self.columns) if c.flexible), None)
        if flexible is not None:
            others = sum(w for i, w in enumerate(widths) if i != flexible)
            room = width - others - gap * (len(widths) - 1)
            widths[flexible] = max(min(widths[flexible], room), min(widths[flexible], 10))
        bold = self.bold_cells or set()
        last = len(self.columns) - 1

        def render(texts: Sequence[str], size: list[int], row: int | None) -> str:
            parts = []
            for i, (column, text) in enumerate(zip(self.columns, texts, strict=True)):
                if size[i] > widths[i]:
                    text = fit(text, widths[i])
                    used = cells(text)
                else:
                    used = size[i]
                space = " " * (widths[i] - used) if i != last or column.right else ""
                if emphasis and text and (row is None or (row, i) in bold):
                    text = f"{BOLD}{text}{RESET}"
                parts.append(space + text if column.right else text + space)
            return (" " * gap).join(parts).rstrip()

        return [render(titles, sizes[0], None)] + [
            render(row, size, number)
            for number, (row, size) in enumerate(zip(self.rows, sizes[1:], strict=True))
        ]


def terminal_width() -> int:
    import shutil  # only on a terminal: piped output is never cut to a width

    return max(shutil.get_terminal_size((100, 24)).columns, 40)


def heading(stream: TextIO, text: str) -> None:
    """A line above a table, on a terminal only (piped output stays one row per line)."""
    if is_terminal(stream):
        text = fit(text, terminal_width())
        styled = f"{BOLD}{text}{RESET}" if emphasis_allowed(stream) else text
        stream.write(styled + "\n")


def write_json(stream: TextIO, value: Any) -> None:
    stream.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")

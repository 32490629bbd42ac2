"""Rows of text that wrap under their own text, not back at the left edge.

Textual wraps a Content's long line back to the left edge, so in a narrow card an action's
text continues under its "▸", and in a list under the pointer:

    ▸ Action 1 agreed in week 1:        ▸ Action 1 agreed in week 1:
    draft, review and send it             draft, review and send it
      ! due Wed 24 Dec 2025, 334            ! due Wed 24 Dec 2025, 334
    days overdue                              days overdue

A row here is a prefix (a marker, a pointer, an indent) and a body; the body is wrapped to
the width left beside the prefix, and its later lines are indented as far as the prefix is.
`HangingRows` is a Visual: Textual gives it the width it is drawn at, and asks its height at
that width. Home's cards use it, and every RowList's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import cast

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

NEWLINE = Content("\n")
AS_LAID_OUT = {"text_wrap": "nowrap", "text_overflow": "clip"}
"""Drawing lines that already fit: one line each, as they are."""
NARROWEST = 8
"""Beside its prefix, a body gets at least this many cells, or the row is left to Textual."""


def hang(prefix: Content, body: Content, width: int) -> list[Content]:
    """The row's lines at `width`: the prefix, then the body wrapped beside it, its later
    lines indented by the prefix's width. One wrap of the body; a row that fits is as is."""
    indent = prefix.cell_length
    room = width - indent
    fits = indent + body.cell_length <= width and "\n" not in body.plain
    if fits or room < NARROWEST:
        return [prefix + body]
    first, *rest = body.wrap(room)
    pad = Content(" " * indent)
    return [prefix + first, *(pad + line for line in rest)]


class HangingRows(Visual):
    def __init__(self, rows: Sequence[tuple[Content, Content]]) -> None:
        """`rows`: each row's prefix and body."""
        self.rows = tuple(rows)
        self._laid_out: tuple[int, Content, int | None] | None = None

    @property
    def plain(self) -> str:
        return "\n".join(prefix.plain + body.plain for prefix, body in self.rows)

    def __str__(self) -> str:
        return self.plain

    def at_width(self, width: int) -> Content:
        """Every row wrapped to `width`, one Content of lines (kept for the last width)."""
        return self._lay_out(width)[0]

    def _lay_out(self, width: int) -> tuple[Content, int | None]:
        """The lines at `width`, and how many there are when every one fits (None when a row
        was left to Textual to wrap). Lines that fit need no wrapping again: Textual's
        wrapping, for the height and again for the drawing, was most of a card's cost."""
        if self._laid_out is None or self._laid_out[0] != width:
            lines = [line for prefix, body in self.rows for line in hang(prefix, body, width)]
            fit = all(line.cell_length <= width for line in lines)
            self._laid_out = (width, NEWLINE.join(lines), len(lines) if fit else None)
        return self._laid_out[1], self._laid_out[2]

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        content, fitted = self._lay_out(width)
        if fitted is not None:
            rules = cast(RulesMap, {**options.rules, **AS_LAID_OUT})
            options = replace(options, rules=rules)
        return content.render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        unwrapped = NEWLINE.join([prefix + body for prefix, body in self.rows])
        return unwrapped.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        content, fitted = self._lay_out(width)
        if fitted is not None and not rules.get("line_pad", 0):
            return fitted
        return content.get_height(rules, width)

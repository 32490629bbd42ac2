"""Rows of text that wrap under their own first line, not at the left edge.

Textual wraps a Content's long line back to the left edge, so in a narrow card an action's
text continues under its "▸" and an overdue note under its indent:

    ▸ Action 1 agreed in week 1:        ▸ Action 1 agreed in week 1:
    draft, review and send it             draft, review and send it
      ! due Wed 24 Dec 2025, 334            ! due Wed 24 Dec 2025, 334
    days overdue                              days overdue

`HangingRows` is a Visual: Textual gives it the width it is drawn at (and asks its height at
that width), and it wraps each row with its later lines indented by the row's hanging indent.
Home's cards use it, and every RowList's rows (under the text, past the pointer).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

NEWLINE = Content("\n")


def hang(row: Content, indent: int, width: int) -> list[Content]:
    """`row` wrapped to `width`: the first line as Textual wraps it, the rest indented by
    `indent` cells. A row that fits, or a width too small to indent in, is left to Textual."""
    if row.cell_length <= width or width <= indent + 8:
        return [row]
    first = row.wrap(width)[0]
    taken = len(first.plain)
    taken += len(row.plain[taken:]) - len(row.plain[taken:].lstrip(" "))
    rest = row[taken:]
    if not rest.plain:
        return [first]
    pad = Content(" " * indent)
    return [first, *(pad + line for line in rest.wrap(width - indent))]


def hang_lines(row: Content, indent: int, width: int) -> list[Content]:
    """`hang` for a row of several lines: each wrapped on its own, a later line's continuation
    indented at least as far as that line itself is."""
    lines: list[Content] = []
    for number, part in enumerate(row.split("\n", allow_blank=True)):
        own = len(part.plain) - len(part.plain.lstrip(" "))
        lines.extend(hang(part, indent if number == 0 else max(indent, own), width))
    return lines


class HangingRows(Visual):
    def __init__(self, rows: Sequence[tuple[Content, int]]) -> None:
        """`rows`: each row's text, and how far its later lines are indented (in cells)."""
        self.rows = tuple(rows)
        self._laid_out: tuple[int, Content] | None = None

    @property
    def plain(self) -> str:
        return "\n".join(row.plain for row, _ in self.rows)

    def __str__(self) -> str:
        return self.plain

    def at_width(self, width: int) -> Content:
        """Every row wrapped to `width`, one Content of lines (kept for the last width)."""
        if self._laid_out is None or self._laid_out[0] != width:
            lines = [line for row, indent in self.rows for line in hang_lines(row, indent, width)]
            self._laid_out = (width, NEWLINE.join(lines))
        return self._laid_out[1]

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.at_width(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        unwrapped = NEWLINE.join([row for row, _ in self.rows])
        return unwrapped.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.at_width(width).get_height(rules, width)

"""A list of records that redraws only the rows that changed, and marks the highlighted row
with a symbol as well as a colour (read through a video call, or without colour)."""

from __future__ import annotations

from contextlib import suppress

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

POINTER = "▸ "
NO_POINTER = "  "


def _drawn(content: Content) -> tuple[object, ...]:
    """What a line looks like: its text and its styles (Content's == compares text only)."""
    return (content.plain, tuple(content.spans))


class RowList(OptionList):
    """An OptionList kept in step with a list of (id, line) rows: an unchanged list costs
    nothing, a changed line is replaced in place, and the highlight stays on its record."""

    DEFAULT_CSS = """
    RowList { height: auto; max-height: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self._rows: list[tuple[str, Content]] = []

    def on_mount(self) -> None:
        self.display = bool(self._rows)

    @property
    def row_ids(self) -> list[str]:
        return [row_id for row_id, _ in self._rows]

    def _prompt(self, index: int) -> Content:
        pointer = POINTER if index == self.highlighted else NO_POINTER
        return Content(pointer) + self._rows[index][1]

    def show_rows(self, rows: list[tuple[str, Content]]) -> None:
        self.display = bool(rows)
        if [(r, _drawn(c)) for r, c in rows] == [(r, _drawn(c)) for r, c in self._rows]:
            return
        if [r for r, _ in rows] == self.row_ids:
            old_rows, self._rows = self._rows, list(rows)
            for index, ((row_id, line), (_, old)) in enumerate(zip(rows, old_rows, strict=True)):
                if _drawn(line) != _drawn(old):
                    self.replace_option_prompt(row_id, self._prompt(index))
            return
        keep = self.highlighted_id
        self._rows = list(rows)
        self.clear_options()
        self.add_options(Option(Content(NO_POINTER) + line, id=row_id) for row_id, line in rows)
        if keep is not None and rows:
            with suppress(OptionDoesNotExist):
                self.highlighted = self.get_option_index(keep)
        if self.highlighted is None and rows:
            self.highlighted = 0

    _pointed: int | None = None

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        earlier, self._pointed = self._pointed, highlighted
        for index in (earlier, highlighted):
            if index is not None and 0 <= index < len(self._rows) and index < self.option_count:
                self.replace_option_prompt_at_index(index, self._prompt(index))

    @property
    def highlighted_id(self) -> str | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self._rows):
            return None
        return self._rows[index][0]

    def highlight(self, row_id: str) -> None:
        with suppress(OptionDoesNotExist):
            self.highlighted = self.get_option_index(row_id)

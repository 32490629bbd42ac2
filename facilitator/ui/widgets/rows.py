"""A list of records that redraws only the rows that changed, and marks the highlighted row
with a symbol as well as a colour (read through a video call, or without colour).

A long list shows its first `PAGE` rows and a last row saying how many more there are; moving
down onto that row (or clicking it) shows the next `PAGE`, so the cursor just goes on. A
partner with 50,000 open actions gets a list of 50 to start with, not 50,000 options built at
once, and each change to it costs what the rows on show cost, not what the whole list does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import TypeVar, cast

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from facilitator.ui.widgets.hanging import HangingRows

POINTER = "▸ "
NO_POINTER = "  "
PAGE = 50
"""Rows shown at first, and how many more each step down past the end shows: several screens'
worth even in a tall window, and every one of them is wrapped to the list's width when the
list is first drawn (200 made opening a review turn of 1,000 open actions 1.7x slower)."""
MORE_ID = "\x00more"
"""The id of the "… and N more" row (no record's id starts with a NUL)."""

K = TypeVar("K")


def _drawn(content: Content) -> tuple[object, ...]:
    """What a line looks like: its text and its styles (Content's == compares text only)."""
    return (content.plain, tuple(content.spans))


def pointed(pointer: str, line: Content) -> HangingRows:
    """A row as shown: the pointer (or room for it), then the line, its later lines wrapped
    under its text."""
    return HangingRows([(Content(pointer), line)])


def _same_line(old: object, new: object) -> bool:
    assert isinstance(old, Content) and isinstance(new, Content)
    return old is new or _drawn(old) == _drawn(new)


def _same_key(old: object, new: object) -> bool:
    return old is new or old == new


class RowList(OptionList):
    """An OptionList kept in step with a list of rows, each an id and its line: an unchanged
    list costs nothing, a changed line is replaced in place, and the highlight stays on its
    record. Give the lines (`show_rows`), or for long lists what each line is drawn from and
    how to draw it (`show_records`): then only the rows on show are drawn."""

    DEFAULT_CSS = """
    RowList { height: auto; max-height: 1fr; }
    """

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, page: int = PAGE
    ) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self._page = max(1, page)
        self._ids: list[str] = []
        self._keys: list[object] = []
        """What each row's line was drawn from (its line itself, given to `show_rows`)."""
        self._same: Callable[[object, object], bool] = _same_line
        self._line_at: Callable[[int], Content] = lambda index: Content("")
        self._shown_lines: list[Content] = []
        """The lines of the rows on show (the first rows; the rest are counted)."""
        self._pointed: int | None = None

    def on_mount(self) -> None:
        self.display = bool(self._ids)

    # What is shown ------------------------------------------------------------------------------

    @property
    def row_ids(self) -> list[str]:
        """Every row's id, those not on show yet too."""
        return list(self._ids)

    @property
    def shown_count(self) -> int:
        """How many rows are on show (the rest are counted on the last row)."""
        return len(self._shown_lines)

    def show_rows(self, rows: Sequence[tuple[str, Content]]) -> None:
        """Show these rows, each (id, line)."""
        lines = [line for _, line in rows]
        self._show(
            [row_id for row_id, _ in rows],
            cast(list[object], lines),
            lambda index: lines[index],
            _same_line,
        )

    def show_records(self, rows: Sequence[tuple[str, K]], draw: Callable[[K], Content]) -> None:
        """Show a row for each (id, key): `draw(key)` is its line. A line is drawn only when
        its row is on show and its key is new or changed (by ==), so the key should hold all
        the line depends on (the record, today's date, ...) and be cheap to make."""
        keys = [key for _, key in rows]
        self._show(
            [row_id for row_id, _ in rows],
            cast(list[object], keys),
            lambda index: draw(keys[index]),
            _same_key,
        )

    def _show(
        self,
        ids: list[str],
        keys: list[object],
        line_at: Callable[[int], Content],
        same: Callable[[object, object], bool],
    ) -> None:
        self.display = bool(ids)
        old_keys, old_same = self._keys, self._same
        keep = self.highlighted_id
        self._keys, self._same, self._line_at = keys, same, line_at
        if ids == self._ids and same is old_same:
            for index in range(len(self._shown_lines)):  # only the rows on show are compared
                if not same(old_keys[index], keys[index]):
                    self._shown_lines[index] = line_at(index)
                    self.replace_option_prompt_at_index(index, self._prompt(index))
            return
        self._ids = ids
        target, shown = 0, self._page
        if keep is not None and keep in ids:
            # The same record stays highlighted, and as many rows on show as before.
            target = ids.index(keep)
            shown = max(len(self._shown_lines), self._page_end(target))
        self._shown_lines = [line_at(index) for index in range(min(shown, len(ids)))]
        self._rebuild(target)

    def _page_end(self, index: int) -> int:
        """How many rows to show for row `index` to be on show."""
        return (index // self._page + 1) * self._page

    def _rebuild(self, highlight: int) -> None:
        """Replace the options with the rows on show (and the count of the rest)."""
        self._pointed = None
        options = [
            Option(pointed(NO_POINTER, line), id=row_id)
            for row_id, line in zip(self._ids, self._shown_lines, strict=False)
        ]
        if len(self._ids) > len(self._shown_lines):
            options.append(Option(self._more(NO_POINTER), id=MORE_ID))
        self.clear_options()
        self.add_options(options)
        if self._shown_lines:
            self.highlighted = min(highlight, len(self._shown_lines) - 1)
            # Once laid out again: the new options may not be counted in the scroll range yet.
            self.call_after_refresh(self.scroll_to_highlight)

    def _more(self, pointer: str) -> HangingRows:
        left = len(self._ids) - len(self._shown_lines)
        step = min(left, self._page)
        more = "it" if left == 1 else "them" if step == left else f"the next {step:,}"
        return pointed(
            pointer,
            Content.styled(f"… and {left:,} more: go down to show {more}", "italic $text-muted"),
        )

    def _show_more(self, upto: int | None = None) -> None:
        """Show the next page of rows (or as many as row `upto` needs), highlighting the
        first newly shown one (or `upto`)."""
        first = len(self._shown_lines)
        end = min(len(self._ids), max(first + self._page, self._page_end(upto or 0)))
        self._shown_lines.extend(self._line_at(index) for index in range(first, end))
        self._rebuild(first if upto is None else upto)

    # The highlight ------------------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        """Up, stopping at the first row: a list that wraps round sends a fast hand (marking
        row after row, the pointer moving on by itself) back to the top unseen."""
        if self.highlighted != 0:
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        """Down, stopping at the last row."""
        if self.highlighted is None or self.highlighted < self.option_count - 1:
            super().action_cursor_down()

    def _prompt(self, index: int) -> HangingRows:
        pointer = POINTER if index == self.highlighted else NO_POINTER
        if index >= len(self._shown_lines):
            return self._more(pointer)
        return pointed(pointer, self._shown_lines[index])

    def watch_highlighted(self, highlighted: int | None) -> None:
        if highlighted is not None and highlighted == len(self._shown_lines) < len(self._ids):
            self._show_more()  # onto "… and N more": the list goes on
            return
        super().watch_highlighted(highlighted)
        earlier, self._pointed = self._pointed, highlighted
        for index in (earlier, highlighted):
            if index is not None and 0 <= index < self.option_count:
                self.replace_option_prompt_at_index(index, self._prompt(index))

    @property
    def highlighted_id(self) -> str | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self._shown_lines):
            return None
        return self._ids[index]

    def highlight(self, row_id: str) -> None:
        """Highlight the row of this record, showing more rows if it isn't on show yet."""
        with suppress(OptionDoesNotExist):
            self.highlighted = self.get_option_index(row_id)
            return
        with suppress(ValueError):
            self._show_more(upto=self._ids.index(row_id))

"""Tick boxes and choices whose state shows in the symbol, not only in its colour: a ticked
box has an X and an unticked one is empty (through video compression, for a colour-blind
partner, or with NO_COLOR)."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList


class MarkedRadioButton(RadioButton):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "●" if self.value else " "


class MarkedCheckbox(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "X" if self.value else " "


class MarkedSelectionList(SelectionList[str]):
    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        _, scroll_y = self.scroll_offset
        index = scroll_y + y
        if len(segments) < 3 or not 0 <= index < self.option_count:
            return strip
        selected = self.get_option_at_index(index).value in self.selected
        if not selected and segments[1].text == "X":
            segments[1] = Segment(" ", segments[1].style)
            return Strip(segments, strip.cell_length)
        return strip

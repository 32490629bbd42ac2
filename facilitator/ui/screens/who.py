"""Which partner are you? Asked before a partner's own view (their preparation)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static

from facilitator.meeting import Meeting
from facilitator.ui.screens.base import DialogScreen
from facilitator.ui.text import styled
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.rows import RowList


class WhoScreen(DialogScreen[str | None]):
    """The chosen partner's id, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, meeting: Meeting, question: str) -> None:
        super().__init__()
        self.meeting = meeting
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self._question), classes="question", markup=False)
            yield RowList(id="who")
        yield KeyBar(palette=False)

    def on_mount(self) -> None:
        rows = self.query_one("#who", RowList)
        rows.show_rows([(p.id, styled(p.name)) for p in self.meeting.the_partnership.partners])
        self.set_focus(rows)

    @on(OptionList.OptionSelected, "#who")
    def chosen(self) -> None:
        self.dismiss(self.query_one("#who", RowList).highlighted_id)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""Who is here? The partners present get turns; anyone away keeps their actions for next time."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, SelectionList, Static

from facilitator.meeting import Meeting
from facilitator.ui.screens.base import DialogScreen, OpensFocused
from facilitator.ui.text import shown
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.toggles import MarkedSelectionList


class AttendanceScreen(OpensFocused, DialogScreen[list[str] | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "start", "Start", id="start"),
    ]
    OPENS_FOCUSED = "#present"

    def __init__(self, meeting: Meeting) -> None:
        super().__init__()
        self.meeting = meeting

    def compose(self) -> ComposeResult:
        partnership = self.meeting.the_partnership
        with Vertical(classes="dialog"):
            yield Static(Content("Who is here today?"), classes="question", markup=False)
            yield Static(
                Content(
                    "Space ticks or unticks a name; Ctrl+S starts. Anyone away keeps their "
                    "actions for next time."
                ),
                classes="detail",
                markup=False,
            )
            yield MarkedSelectionList(
                *[(Content(shown(p.name)), p.id, True) for p in partnership.partners],
                id="present",
            )
            yield Static("", classes="error", id="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Start the session", id="start", variant="primary")
        yield KeyBar(palette=False)

    @on(SelectionList.SelectedChanged)
    def clear_error(self) -> None:
        self.query_one("#error", Static).update("")

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        present = list(self.query_one("#present", SelectionList).selected)
        if not present:
            self.query_one("#error", Static).update(
                Content("Tick at least one partner who is here.")
            )
            return
        self.dismiss(present)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

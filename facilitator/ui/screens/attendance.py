"""Who is here? The partners present get turns; anyone away keeps their actions for next time."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, SelectionList, Static

if TYPE_CHECKING:
    from facilitator.ui.app import FacilitatorApp


class AttendanceScreen(ModalScreen[list[str] | None]):
    CSS_PATH = "modal.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "start", "Start", id="start"),
    ]

    def compose(self) -> ComposeResult:
        partnership = cast("FacilitatorApp", self.app).meeting.the_partnership
        with Vertical(classes="dialog"):
            yield Static("Who is here today?", classes="question")
            yield Static(
                "Space ticks or unticks a name; Ctrl+S starts. Anyone away keeps their actions "
                "for next time.",
                classes="detail",
            )
            yield SelectionList[str](
                *[(p.name, p.id, True) for p in partnership.partners], id="present"
            )
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Start the session", id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#present", SelectionList).focus()

    @on(SelectionList.SelectedChanged)
    def clear_error(self) -> None:
        self.query_one("#error", Static).update("")

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        present = list(self.query_one("#present", SelectionList).selected)
        if not present:
            self.query_one("#error", Static).update("Tick at least one partner who is here.")
            return
        self.dismiss(present)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

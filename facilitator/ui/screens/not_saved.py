"""Quitting while changes can't be saved: say so, and let the person choose."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from facilitator.ui.screens.base import DialogScreen, OpensFocused
from facilitator.ui.widgets.keybar import KeyBar


class NotSavedScreen(OpensFocused, DialogScreen[bool]):
    """True: quit without the unsaved changes; False: stay and keep trying."""

    BINDINGS = [Binding("escape", "stay", "Stay", id="stay")]
    OPENS_FOCUSED = "#stay"

    def __init__(self, count: int, problem: str) -> None:
        super().__init__()
        self._count = count
        self._problem = problem

    def compose(self) -> ComposeResult:
        changes = "1 change is" if self._count == 1 else f"{self._count} changes are"
        with Vertical(classes="dialog"):
            yield Static(Content(f"{changes} not saved yet"), classes="question", markup=False)
            yield Static(
                Content(
                    f"{self._problem}\n\nfacilitator keeps trying. If you quit now, what was "
                    "entered since the problem began is lost; everything saved before it is safe."
                ),
                classes="detail",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button("Quit without them", id="quit", variant="error")
                yield Button("Stay and keep trying", id="stay", variant="primary")
        yield KeyBar(palette=False)  # this dialog's keys, not the screen's below

    @on(Button.Pressed, "#quit")
    def quit(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#stay")
    def action_stay(self) -> None:
        self.dismiss(False)

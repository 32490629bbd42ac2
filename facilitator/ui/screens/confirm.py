"""A yes/no question, answered with a button or a key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from facilitator.ui.screens.base import DialogScreen, OpensFocused
from facilitator.ui.widgets.keybar import KeyBar


class ConfirmScreen(OpensFocused, DialogScreen[bool]):
    BINDINGS = [Binding("escape", "no", "Cancel", id="no")]
    OPENS_FOCUSED = "#yes"

    def __init__(
        self, question: str | Content, detail: str | Content, yes: str, no: str = "Cancel"
    ) -> None:
        super().__init__()
        self._question, self._detail, self._yes, self._no = question, detail, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Content(self._question) if isinstance(self._question, str) else self._question,
                classes="question",
                markup=False,
            )
            yield Static(
                Content(self._detail) if isinstance(self._detail, str) else self._detail,
                classes="detail",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button(self._no, id="no")
                yield Button(self._yes, id="yes", variant="primary")
        yield KeyBar(palette=False)  # this dialog's keys, not the screen's below

    @on(Button.Pressed, "#yes")
    def yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)


def leave_unsaved(
    screen: Screen[Any], question: str, detail: str, leave: Callable[[], object]
) -> None:
    """Ask before a form with unsaved changes is left; `leave` only if the person says so."""

    def answered(yes: bool | None) -> None:
        if yes:
            leave()

    screen.app.push_screen(
        ConfirmScreen(question, detail, yes="Leave without saving", no="Keep editing"), answered
    )

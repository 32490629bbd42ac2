"""Where to write an export (the minutes, the invitation): a path, checked where it is typed."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from facilitator.ui.screens.base import DialogScreen
from facilitator.ui.screens.forms import FORM_BINDINGS, FormKeys
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.keybar import KeyBar


class ExportFileScreen(FormKeys, DialogScreen[Path | None]):
    """The chosen file's path (with ~ expanded), or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel"), *FORM_BINDINGS]

    def __init__(self, question: str, detail: str, default: Path) -> None:
        super().__init__()
        self._question = question
        self._detail = detail
        self._default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self._question), classes="question", markup=False)
            yield Static(Content(self._detail), classes="detail", markup=False)
            yield Field("Write to", value=str(self._default), compact=True, id="path")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Write it", id="write", variant="primary")
        yield KeyBar(palette=False)  # this dialog's keys, not the screen's below

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#path", Field).input)

    def form_entered(self, field: Input) -> None:
        self.write()

    @on(Button.Pressed, "#write")
    def write(self) -> None:
        field = self.query_one("#path", Field)
        text = field.value.strip()
        if not text:
            field.show_error("Give a file to write to.")
            return
        self.dismiss(Path(text).expanduser())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

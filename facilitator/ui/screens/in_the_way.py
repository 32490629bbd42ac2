"""Partly done or not done: what got in the way, and whether to carry it forward."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Static

from facilitator.domain.actions import NOTE_LENGTH, Action, ActionStatus
from facilitator.domain.text import InvalidText, clean_text
from facilitator.ui.screens.base import DialogScreen, OpensFocused
from facilitator.ui.screens.forms import DIALOG_FORM_BINDINGS, FormKeys
from facilitator.ui.text import line, styled
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.toggles import MarkedCheckbox


class InTheWayScreen(OpensFocused, FormKeys, DialogScreen[tuple[str, bool] | None]):
    BINDINGS = [*DIALOG_FORM_BINDINGS]
    OPENS_FOCUSED = "#note Input"
    OPENS_ON_TEXT = True

    def __init__(
        self,
        action: Action,
        status: ActionStatus,
        *,
        note: str | None = None,
        ask_carry: bool = True,
    ) -> None:
        super().__init__()
        self._action = action
        self._status = status
        self._note = action.in_the_way if note is None else note
        self._ask_carry = ask_carry

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                line(styled(self._action.text), ": ", (self._status.label, "bold")),
                classes="question",
                markup=False,
            )
            yield Field(
                "What got in the way? (optional)",
                value=self._note,
                placeholder="Honestly, no judgement",
                compact=True,
                id="note",
            )
            carry = MarkedCheckbox("Carry it forward into this session's actions", True, id="carry")
            carry.display = self._ask_carry
            yield carry
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")
        yield KeyBar(palette=False)  # this dialog's keys, not the screen's below

    def form_entered(self, field: Input) -> None:
        self.save()

    @on(Button.Pressed, "#save")
    def save(self) -> None:
        field = self.query_one("#note", Field)
        try:
            note = clean_text(
                field.value, what="The answer", max_length=NOTE_LENGTH, required=False
            )
        except InvalidText as error:
            field.show_error(str(error))
            return
        self.dismiss((note, self.query_one("#carry", Checkbox).value))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

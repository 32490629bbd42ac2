"""A dialog asking for one line (a name, a phase's minutes): what can't be used is explained
under the box, and the dialog stays until it can be used or is cancelled. What is typed is
kept as a draft, as in every form, and is back in the box if the dialog is opened again for
the same thing after a crash or a dropped connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from facilitator.domain.text import InvalidText
from facilitator.meeting import Meeting
from facilitator.ui.screens.base import DialogScreen, OpensFocused
from facilitator.ui.screens.forms import DIALOG_FORM_BINDINGS, FormKeys, KeepsTyping
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.keybar import KeyBar

T = TypeVar("T")


class OneLineDialog(OpensFocused, KeepsTyping, FormKeys, DialogScreen[T | None], Generic[T]):
    """Ask `question`; `read` turns what is typed into the answer, or raises InvalidText
    saying why it can't be used. Dismissed with the answer, or None when cancelled.
    `kept_as` names what is asked ("partner-name:ID"), for the draft of what is typed."""

    BINDINGS = [*DIALOG_FORM_BINDINGS]
    OPENS_FOCUSED = "Field Input"
    OPENS_ON_TEXT = True

    def __init__(
        self,
        meeting: Meeting,
        kept_as: str,
        question: Content,
        label: str,
        value: str,
        read: Callable[[str], T],
        *,
        yes: str = "Save",
        field_id: str = "name",
    ) -> None:
        super().__init__()
        self.meeting = meeting
        self._kept_as = kept_as
        self._question = question
        self._label = label
        self._value = value
        self._read = read
        self._yes = yes
        self._field_id = field_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._question, classes="question", markup=False)
            yield Field(self._label, value=self._value, compact=True, id=self._field_id)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self._yes, id="save", variant="primary")
        yield KeyBar(palette=False)  # this dialog's keys, not the screen's below

    @property
    def typing_kept_as(self) -> str:
        return self._kept_as

    def on_mount(self) -> None:
        self.bring_back_typing()
        box = self.query_one(Field).input
        box.cursor_position = len(box.value)  # OpensFocused focuses it

    def form_entered(self, field: Input) -> None:
        self.save()

    @on(Button.Pressed, "#save")
    def save(self) -> None:
        field = self.query_one(Field)
        try:
            answer = self._read(field.value)
        except InvalidText as error:
            field.show_error(str(error))
            return
        self.forget_typing()
        self.dismiss(answer)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.forget_typing()
        self.dismiss(None)

"""A text box with its label, a hint, and a line for the message when what was typed can't be
used: the message shows right under the box, where it was typed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from facilitator.domain.text import strip_hidden
from facilitator.ui.text import shown
from facilitator.ui.widgets.inputs import CleanInput, EntryInput


class Field(Vertical):
    DEFAULT_CSS = """
    Field { height: auto; }
    Field > .field--label { color: $text-muted; padding: 0 1; }
    Field > .field--error { color: $text-error; padding: 0 1; height: auto; display: none; }
    Field.-invalid > .field--error { display: block; }
    Field.-invalid > Input { border: tall $error; }
    Field.-invalid > Input.-textual-compact { border: none; background: $error 25%; }
    Field > Input.-textual-compact { margin: 0 1; }
    Field > .field--hint { color: $text-muted; padding: 0 1; height: auto; }
    Field > .field--hint.-problem { color: $text-warning; }
    """

    def __init__(
        self,
        label: str,
        *,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        input_id: str | None = None,
        compact: bool = False,
        entry: bool = False,
        max_length: int = 0,
        select_on_focus: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._label = label
        self._value = value
        self._placeholder = placeholder
        self._hint = hint
        self._input_id = input_id
        self._compact = compact
        self._entry = entry
        self._max_length = max_length
        self._select_on_focus = select_on_focus

    def compose(self) -> ComposeResult:
        if self._label:
            yield Label(Content(self._label), classes="field--label")
        kind = EntryInput if self._entry else CleanInput
        yield kind(
            value=strip_hidden(self._value),
            placeholder=self._placeholder,
            id=self._input_id,
            compact=self._compact,
            max_length=self._max_length,
            select_on_focus=self._select_on_focus,
        )
        yield Static("", classes="field--error", markup=False)
        if self._hint:
            yield Static(Content(self._hint), classes="field--hint", markup=False)

    @property
    def input(self) -> CleanInput:
        return self.query_one(CleanInput)

    @property
    def value(self) -> str:
        return self.input.value

    def show_error(self, message: str) -> None:
        self.query_one(".field--error", Static).update(Content(shown(message)))
        self.add_class("-invalid")

    def clear_error(self) -> None:
        self.remove_class("-invalid")

    def set_hint(self, text: str, *, problem: bool = False) -> None:
        hint = self.query_one(".field--hint", Static)
        hint.update(Content(shown(text)))
        hint.set_class(problem, "-problem")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.clear_error()

"""An input with its label and a line for the message when what was typed can't be used."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static


class Field(Vertical):
    """A labelled Input whose error message shows right under it, where it was typed."""

    DEFAULT_CSS = """
    Field { height: auto; }
    Field > .field--label { color: $text-muted; padding: 0 1; }
    Field > .field--error { color: $error; padding: 0 1; height: auto; display: none; }
    Field.-invalid > .field--error { display: block; }
    Field.-invalid > Input { border: tall $error; }
    Field.-invalid > Input.-textual-compact { border: none; background: $error 25%; }
    Field > Input.-textual-compact { margin: 0 1; }
    Field > .field--hint { color: $text-muted; padding: 0 1; height: auto; }
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

    def compose(self) -> ComposeResult:
        if self._label:
            yield Label(self._label, classes="field--label")
        yield Input(
            value=self._value,
            placeholder=self._placeholder,
            id=self._input_id,
            compact=self._compact,
        )
        yield Static("", classes="field--error")
        if self._hint:
            yield Static(self._hint, classes="field--hint")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    def show_error(self, message: str) -> None:
        self.query_one(".field--error", Static).update(message)
        self.add_class("-invalid")

    def clear_error(self) -> None:
        self.remove_class("-invalid")

    def set_hint(self, text: str) -> None:
        self.query_one(".field--hint", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.clear_error()

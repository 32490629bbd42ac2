"""Add or edit an action: what, whose, and by when (ISO dates or "fri", "in 2 weeks"...)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from facilitator.domain.actions import ACTION_LENGTH, Action
from facilitator.domain.dates import EXAMPLES, format_day, parse_due
from facilitator.domain.text import InvalidText, clean_text
from facilitator.ui.widgets.field import Field

if TYPE_CHECKING:
    from facilitator.ui.app import FacilitatorApp


@dataclass(frozen=True)
class ActionFormResult:
    text: str
    owner_id: str
    due_on: date


class ActionForm(ModalScreen[ActionFormResult | None]):
    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, action: Action | None, owner_id: str) -> None:
        super().__init__()
        self._action = action
        self._owner_id = owner_id

    def compose(self) -> ComposeResult:
        meeting = cast("FacilitatorApp", self.app).meeting
        self._default_due = self._action.due_on if self._action else meeting.next_session_date()
        today = meeting.today()
        with Vertical(classes="dialog"):
            yield Static("Edit the action" if self._action else "A new action", classes="question")
            yield Field(
                "What will be done?",
                value=self._action.text if self._action else "",
                placeholder="Specific, so you'll both know when it's done",
                compact=True,
                id="text",
            )
            yield Label("Whose action?", classes="field-label")
            yield Select(
                [(p.name, p.id) for p in meeting.the_partnership.partners],
                value=self._owner_id,
                allow_blank=False,
                compact=True,
                id="owner",
            )
            yield Field(
                "Due",
                placeholder=f"{format_day(self._default_due, today)} (next session): or type "
                "a date",
                hint=f"Due {format_day(self._default_due, today)}",
                compact=True,
                id="due",
            )
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#text", Field).input.focus()
        self._warm_up()

    @work(thread=True, exclusive=True, group="warm-up")
    def _warm_up(self) -> None:
        from facilitator.domain.dates import warm_up_parser

        warm_up_parser()

    def _due(self) -> date:
        meeting = cast("FacilitatorApp", self.app).meeting
        return parse_due(self.query_one("#due", Field).value, meeting.today(), self._default_due)

    @on(Input.Changed, "#due Input")
    def preview_due(self) -> None:
        field = self.query_one("#due", Field)
        today = cast("FacilitatorApp", self.app).meeting.today()
        try:
            field.set_hint(f"Due {format_day(self._due(), today)}")
        except InvalidText:
            field.set_hint(f"Not a date yet: {EXAMPLES}.")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        text_field = self.query_one("#text", Field)
        due_field = self.query_one("#due", Field)
        problems = False
        try:
            text = clean_text(text_field.value, what="The action", max_length=ACTION_LENGTH)
        except InvalidText as error:
            text_field.show_error(str(error))
            problems = True
        try:
            due = self._due()
        except InvalidText as error:
            due_field.set_hint("")
            due_field.show_error(str(error))
            problems = True
        if problems:
            return
        owner = self.query_one("#owner", Select).value
        self.dismiss(ActionFormResult(text=text, owner_id=str(owner), due_on=due))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

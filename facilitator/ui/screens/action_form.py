"""Add or edit an action: what, whose, and by when (ISO dates or "fri", "in 2 weeks"...)."""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from facilitator.domain.actions import ACTION_LENGTH, Action
from facilitator.domain.dates import (
    describe_understood,
    format_day,
    locale_day_first,
    parse_due,
)
from facilitator.domain.record import record
from facilitator.domain.text import InvalidText, clean_text
from facilitator.meeting import Meeting
from facilitator.ui.screens.base import DialogScreen, OpensFocused
from facilitator.ui.screens.forms import DIALOG_FORM_BINDINGS, FormKeys
from facilitator.ui.text import shown
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.inputs import CleanInput
from facilitator.ui.widgets.keybar import KeyBar

DRAFT_BOX = "action"
NO_GOAL = "-"


@record
class ActionFormResult:
    text: str
    owner_id: str
    due_on: date
    goal_id: str | None = None
    """The goal this action serves (None: no goal)."""


class ActionForm(OpensFocused, FormKeys, DialogScreen[ActionFormResult | None]):
    BINDINGS = [*DIALOG_FORM_BINDINGS]
    OPENS_FOCUSED = "#text Input"
    OPENS_ON_TEXT = True

    def __init__(self, meeting: Meeting, action: Action | None, owner_id: str) -> None:
        super().__init__()
        self.meeting = meeting
        self._action = action
        self._owner_id = owner_id
        self._day_first = locale_day_first()
        self._default_due = action.due_on if action else meeting.next_session_date()
        self._goals_owner = owner_id

    def compose(self) -> ComposeResult:
        meeting = self.meeting
        today = meeting.today()
        text = self._action.text if self._action else meeting.draft(DRAFT_BOX, self._owner_id)
        with Vertical(classes="dialog"):
            yield Static(
                Content("Edit the action" if self._action else "A new action"),
                classes="question",
                markup=False,
            )
            yield Field(
                "What will be done?",
                value=text,
                placeholder="Specific, so you'll both know when it's done",
                compact=True,
                id="text",
            )
            yield Label(Content("Whose action?"), classes="field-label")
            yield Select(
                [(Content(shown(p.name)), p.id) for p in meeting.the_partnership.partners],
                value=self._owner_id,
                allow_blank=False,
                compact=True,
                id="owner",
            )
            yield Label(Content("For which goal? (optional)"), classes="field-label")
            yield Select(
                self._goal_choices(self._owner_id),
                value=self._action.goal_id if self._action and self._action.goal_id else NO_GOAL,
                allow_blank=False,
                compact=True,
                id="goal",
            )
            default = format_day(self._default_due, today)
            yield Field(
                "Due",
                placeholder=f"{default}{' (next session)' if not self._action else ''}: "
                "or type a date",
                hint=f"Due {default}",
                compact=True,
                id="due",
            )
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")
        yield KeyBar(palette=False)  # this dialog's keys, not the screen's below

    def on_mount(self) -> None:
        self._warm_up()

    def _goal_choices(self, owner_id: str) -> list[tuple[Content, str]]:
        """The owner's active goals (and the one already linked, even if closed since)."""
        goals = self.meeting.goals_of(owner_id, active_only=True)
        linked = self._action.goal_id if self._action else None
        if linked and linked not in {g.id for g in goals}:
            goal = self.meeting.state.goals.get(linked)
            if goal is not None and goal.owner_id == owner_id:
                goals.append(goal)
        return [(Content("No goal"), NO_GOAL)] + [(Content(shown(g.what)), g.id) for g in goals]

    @on(Select.Changed, "#owner")
    def _owner_changed(self, event: Select.Changed) -> None:
        """Another owner: their goals to choose from (a goal is its owner's own)."""
        owner = str(event.value)
        if owner == self._goals_owner:
            return  # the owner set when the form opened: keep the goal chosen
        self._goals_owner = owner
        goal = self.query_one("#goal", Select)
        goal.set_options(self._goal_choices(owner))
        goal.value = NO_GOAL

    @work(thread=True, exclusive=True, group="warm-up")
    def _warm_up(self) -> None:
        from facilitator.domain.dates import warm_up_parser

        warm_up_parser()

    def _due(self) -> date:
        raw = self.query_one("#due", Field).value
        return parse_due(raw, self.meeting.today(), self._default_due, day_first=self._day_first)

    @on(Input.Changed, "#due Input")
    def preview_due(self) -> None:
        field = self.query_one("#due", Field)
        hint = describe_understood(
            field.value, self.meeting.today(), self._default_due, day_first=self._day_first
        )
        field.set_hint(hint, problem=not hint.startswith("Due "))

    @on(CleanInput.Idle, "#text Input")
    def keep_draft(self, event: CleanInput.Idle) -> None:
        if self._action is None:
            self.meeting.save_draft(DRAFT_BOX, self._owner_id, event.value)

    def form_entered(self, field: Input) -> None:
        self.save()

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
        goal = self.query_one("#goal", Select).value
        self.dismiss(
            ActionFormResult(
                text=text,
                owner_id=str(owner),
                due_on=due,
                goal_id=None if goal in (NO_GOAL, Select.BLANK) else str(goal),
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self._action is None:
            self.meeting.save_draft(DRAFT_BOX, self._owner_id, "")
        self.dismiss(None)

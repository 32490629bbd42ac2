"""Record where a goal stands today: a value (a number goal), done or not yet (a milestone),
and a short note. Shows the target, the latest value and the verdict, so the number is typed
with the goal in view."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Static

from facilitator.domain.goals import (
    MILESTONE_DONE,
    Goal,
    MeasureKind,
    validate_amount,
    validate_note,
)
from facilitator.domain.text import InvalidText
from facilitator.meeting import Meeting
from facilitator.ui.screens.base import DialogScreen, OpensFocused
from facilitator.ui.screens.forms import DIALOG_FORM_BINDINGS, FormKeys, KeepsTyping
from facilitator.ui.text import line, lines, styled
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.goal_lines import (
    deadline_text,
    latest_text,
    measure_text,
    verdict_mark,
)
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.toggles import MarkedCheckbox

Recorded = tuple[float | None, str]
"""The value (None: a note alone) and the note."""


class ProgressForm(OpensFocused, KeepsTyping, FormKeys, DialogScreen[Recorded | None]):
    DEFAULT_CSS = """
    ProgressForm #done { margin: 0 1 1 1; }
    """
    BINDINGS = [*DIALOG_FORM_BINDINGS]

    def __init__(self, meeting: Meeting, goal: Goal) -> None:
        super().__init__()
        self.meeting = meeting
        self._goal = goal
        # It opens where the person types first: the number, the tick box, or else the note.
        if goal.kind is MeasureKind.MILESTONE:
            self.OPENS_FOCUSED = "#done"
        else:
            self.OPENS_FOCUSED = (
                "#value Input" if goal.kind is MeasureKind.NUMBER else "#note Input"
            )
            self.OPENS_ON_TEXT = True

    def compose(self) -> ComposeResult:
        goal = self._goal
        today = self.meeting.today()
        with Vertical(classes="dialog"):
            yield Static(
                line("Progress on ", styled(goal.what, "bold")), classes="question", markup=False
            )
            yield Static(
                lines(
                    [
                        line(
                            "Target: ",
                            measure_text(goal),
                            " · ",
                            deadline_text(goal.deadline, today),
                        ),
                        line("Now: ", latest_text(goal, today), " · ", verdict_mark(goal, today)),
                    ]
                ),
                classes="detail",
                markup=False,
            )
            if goal.kind is MeasureKind.MILESTONE:
                yield MarkedCheckbox("Done?", False, id="done")
            elif goal.kind is MeasureKind.NUMBER:
                unit = f" ({goal.unit})" if goal.unit else ""
                yield Field(
                    f"Where does it stand today?{unit}",
                    placeholder="A number, e.g. 12 or 3.5",
                    compact=True,
                    id="value",
                )
            yield Field(
                "A short note (optional)",
                placeholder="What moved it, or what's in the way",
                compact=True,
                id="note",
            )
            yield Static("", classes="error", id="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Record", id="save", variant="primary")
        yield KeyBar(palette=False)  # this dialog's keys, not the screen's below

    @property
    def typing_kept_as(self) -> str:
        return f"progress:{self._goal.id}"

    def on_mount(self) -> None:
        self.bring_back_typing()

    def form_entered(self, field: Input) -> None:
        self.save()

    @on(Checkbox.Changed)
    @on(Input.Changed)
    def _clear_error(self) -> None:
        self.query_one("#error", Static).update("")

    @on(Button.Pressed, "#save")
    def save(self) -> None:
        goal = self._goal
        value: float | None = None
        problems = False
        if goal.kind is MeasureKind.NUMBER:
            field = self.query_one("#value", Field)
            try:
                value = validate_amount(field.value, "Where it stands")
            except InvalidText as error:
                field.show_error(str(error))
                problems = True
        elif goal.kind is MeasureKind.MILESTONE:
            value = MILESTONE_DONE if self.query_one("#done", Checkbox).value else None
        note_field = self.query_one("#note", Field)
        try:
            note = validate_note(note_field.value)
        except InvalidText as error:
            note_field.show_error(str(error))
            problems = True
        else:
            if value is None and not note and not problems:
                nothing = (
                    "Tick done, or write a note about where it stands."
                    if goal.kind is MeasureKind.MILESTONE
                    else "Write a note about where it stands."
                )
                self.query_one("#error", Static).update(Content(nothing))
                problems = True
        if problems:
            return
        self.forget_typing()
        self.dismiss((value, note))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.forget_typing()
        self.dismiss(None)

"""Set or redefine a goal: what, how you'll know (a number and unit, a yes/no milestone, or not
yet), by when, and why it matters. A vague goal may be saved; the form says, as you type,
what would make it specific. A changed target or deadline keeps the earlier one in the
goal's history, with the reason if one is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, RadioSet, Static

from facilitator.domain.dates import (
    describe_due,
    describe_understood,
    format_day,
    locale_day_first,
    parse_due,
)
from facilitator.domain.goals import (
    WHY_LENGTH,
    Goal,
    MeasureKind,
    number,
    redefines,
    vagueness,
    validate_amount,
    validate_deadline,
    validate_target,
    validate_unit,
    validate_what,
    validate_why,
)
from facilitator.domain.record import record
from facilitator.domain.text import InvalidText, clean_text
from facilitator.meeting import Meeting
from facilitator.ui.screens.base import DialogScreen, OpensFocused
from facilitator.ui.screens.forms import DIALOG_FORM_BINDINGS, FormKeys, KeepsTyping
from facilitator.ui.text import line, styled
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.toggles import MarkedRadioButton

NO_MEASURE = "none"
KIND_CHOICES = (
    (MeasureKind.NUMBER.value, "A number"),
    (MeasureKind.MILESTONE.value, "A yes/no milestone"),
    (NO_MEASURE, "Not yet"),
)
SPECIFIC = "✓ Specific, measurable and time-bound."
T = TypeVar("T")
RESERVED = 13
"""Rows of a screen the form's fields leave for the margin, border, title, hint and buttons."""
INTRO = "A goal to be accountable to says what, how you'll know, and by when."


@record
class SavedGoal:
    """What the form gives back: the goal to save, and why it was redefined (if it was)."""

    goal: Goal
    reason: str = ""


class GoalForm(OpensFocused, KeepsTyping, FormKeys, DialogScreen[SavedGoal | None]):
    DEFAULT_CSS = """
    GoalForm .dialog { width: 76; }
    GoalForm #goal-body { height: auto; max-height: 1fr; }
    GoalForm #kind { layout: horizontal; height: auto; width: 100%; border: none;
                     padding: 0 1; margin: 0 0 1 0; background: transparent; }
    GoalForm #kind RadioButton { width: auto; margin: 0 2 0 0; }
    GoalForm #numbers { height: auto; }
    GoalForm #numbers Field { width: 1fr; }
    GoalForm #vague { height: auto; max-height: 5; padding: 0 1 1 1; color: $text-muted; }
    GoalForm #vague.-vague { color: $text-warning; }
    GoalForm #vague.-specific { color: $text-success; }
    """
    BINDINGS = [*DIALOG_FORM_BINDINGS]
    OPENS_FOCUSED = "#what Input"
    OPENS_ON_TEXT = True

    def __init__(self, meeting: Meeting, goal: Goal | None, owner_id: str) -> None:
        super().__init__()
        self.meeting = meeting
        self._goal = goal
        self._owner_id = goal.owner_id if goal else owner_id
        self._day_first = locale_day_first()
        self._today = meeting.today()
        self._deadline_as_given = goal.deadline.isoformat() if goal and goal.deadline else ""
        self._read_deadline: tuple[str, date | str | None] | None = None
        """The deadline's text as last read, and what it gave: a date, none, or why not."""

    # Drawing ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        goal = self._goal
        name = self.meeting.partner_name(self._owner_id)
        kind = (goal.kind.value if goal.kind else NO_MEASURE) if goal else MeasureKind.NUMBER
        title = (
            line("Change ", styled(name), "'s goal")
            if goal
            else line("A new goal for ", styled(name))
        )
        with Vertical(classes="dialog"):
            yield Static(title, classes="question", markup=False)
            with VerticalScroll(id="goal-body"):
                yield Field(
                    "What do you want to achieve?",
                    value=goal.what if goal else "",
                    placeholder="e.g. run the Manchester Marathon",
                    compact=True,
                    id="what",
                )
                yield Label(Content("How will you know it's done?"), classes="field-label")
                with RadioSet(id="kind"):
                    for value, label in KIND_CHOICES:
                        yield MarkedRadioButton(label, value=value == kind, name=value)
                with Horizontal(id="numbers"):
                    yield Field(
                        "Target",
                        value=number(goal.target) if goal and goal.target is not None else "",
                        placeholder="e.g. 42",
                        compact=True,
                        id="target",
                    )
                    yield Field(
                        "Unit",
                        value=goal.unit if goal else "",
                        placeholder="e.g. km",
                        compact=True,
                        id="unit",
                    )
                    yield Field(
                        "Starting from",
                        value=number(goal.start) if goal and goal.start is not None else "",
                        placeholder="0",
                        compact=True,
                        id="start",
                    )
                yield Field(
                    "Deadline",
                    value=self._deadline_as_given,
                    placeholder="e.g. 2027-04-12, 12 april, in 3 months (empty: none yet)",
                    hint=" ",
                    compact=True,
                    id="deadline",
                )
                yield Field(
                    "Why the change? (optional; the earlier version is kept)",
                    placeholder="e.g. an injury: a later race",
                    compact=True,
                    id="reason",
                )
                yield Field(
                    "Why it matters (optional)",
                    value=goal.why if goal else "",
                    placeholder="What reaching it would mean to you",
                    compact=True,
                    id="why",
                )
            yield Static(id="vague", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Save", id="save", variant="primary", compact=True)
        yield KeyBar(palette=False)  # this dialog's keys, not the screen's below

    def on_resize(self) -> None:
        """Keep the buttons and the vague hint in view on a small terminal: the fields scroll."""
        self.query_one("#goal-body").styles.max_height = max(5, self.size.height - RESERVED)

    @property
    def typing_kept_as(self) -> str:
        return f"goal:{self._goal.id}" if self._goal else f"new-goal:{self._owner_id}"

    def on_mount(self) -> None:
        self.on_resize()
        self._show_kind()
        self._preview_deadline()
        self._review()
        self._warm_up()
        self.bring_back_typing()

    @work(thread=True, exclusive=True, group="warm-up")
    def _warm_up(self) -> None:
        from facilitator.domain.dates import warm_up_parser

        warm_up_parser()

    # Reading the form -------------------------------------------------------------------------

    def _field(self, name: str) -> Field:
        return self.query_one(f"#{name}", Field)

    def _kind(self) -> MeasureKind | None:
        pressed = self.query_one("#kind", RadioSet).pressed_button
        value = pressed.name if pressed is not None else NO_MEASURE
        return None if value in (None, NO_MEASURE) else MeasureKind(value)

    def _deadline(self) -> date | None:
        """The deadline typed: empty is none yet; the goal's own deadline stands as it was,
        even once passed; a new one must be today or later. Read once per text: the live
        hints ask for it on every key in every box, and reading a date in words is slow."""
        raw = self._field("deadline").value
        if self._read_deadline is None or self._read_deadline[0] != raw:
            try:
                found: date | str | None = self._deadline_of(raw)
            except InvalidText as error:
                # Its message, not the error itself: raised again on every key, one error
                # would gather every key's frames in its traceback.
                found = str(error)
            self._read_deadline = (raw, found)
        found = self._read_deadline[1]
        if isinstance(found, str):
            raise InvalidText(found)
        return found

    def _deadline_of(self, raw: str) -> date | None:
        if not raw.strip():
            return None
        if self._goal is not None and raw.strip() == self._deadline_as_given:
            return self._goal.deadline
        day = parse_due(raw, self._today, self._today, day_first=self._day_first)
        return validate_deadline(day, self._today)

    def _tentative(self) -> Goal:
        """The goal as typed so far, leniently (for the live hints, never saved)."""
        kind = self._kind()
        target: float | None = None
        if kind is MeasureKind.NUMBER:
            try:
                target = validate_amount(self._field("target").value, "The target")
            except InvalidText:
                target = None
        try:
            deadline = self._deadline()
        except InvalidText:
            deadline = None
        base = self._goal or Goal(
            owner_id=self._owner_id, what="", created_on=self._today, id="tentative"
        )
        unit = " ".join(self._field("unit").value.split()) if kind is MeasureKind.NUMBER else ""
        return replace(
            base,
            what=" ".join(self._field("what").value.split()),
            kind=kind,
            target=target,
            unit=unit,
            deadline=deadline,
        )

    # Live hints ---------------------------------------------------------------------------

    @on(RadioSet.Changed, "#kind")
    def _kind_changed(self) -> None:
        self._show_kind()
        self._review()

    def _show_kind(self) -> None:
        self.query_one("#numbers").display = self._kind() is MeasureKind.NUMBER

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.parent is self._field("deadline"):
            self._preview_deadline()
        self._review()

    def _preview_deadline(self) -> None:
        field = self._field("deadline")
        raw = field.value
        if not raw.strip():
            field.set_hint("No deadline yet: a goal needs one to be accountable to.")
            return
        if self._goal is not None and raw.strip() == self._deadline_as_given:
            day = self._goal.deadline
            assert day is not None
            field.set_hint(
                f"By {format_day(day, self._today)} ({describe_due(day, self._today)})",
                problem=day < self._today,
            )
            return
        hint = describe_understood(raw, self._today, self._today, day_first=self._day_first)
        understood = hint.startswith("Due ")
        field.set_hint(f"By {hint[4:]}" if understood else hint, problem=not understood)

    def _review(self) -> None:
        """Say whether the goal is specific yet, and ask why when it is being redefined."""
        goal = self._tentative()
        hint = self.query_one("#vague", Static)
        problem = vagueness(goal) if goal.what else None
        if not goal.what:
            hint.update(Content(INTRO))
        elif problem:
            hint.update(line(("? Vague: ", "bold"), problem))
        else:
            hint.update(Content(SPECIFIC))
        hint.set_class(bool(goal.what) and problem is not None, "-vague")
        hint.set_class(bool(goal.what) and problem is None, "-specific")
        self._field("reason").display = self._goal is not None and redefines(self._goal, goal)

    # Saving -------------------------------------------------------------------------------

    def form_entered(self, field: Input) -> None:
        self.save()

    @on(Button.Pressed, "#save")
    def save(self) -> None:
        problems: list[Field] = []

        def check(name: str, read: Callable[[], T]) -> T | None:
            """Read one field; a problem is shown under it, where it was typed."""
            try:
                return read()
            except InvalidText as error:
                field = self._field(name)
                if name == "deadline":
                    field.set_hint("")
                field.show_error(str(error))
                problems.append(field)
                return None

        def value(name: str) -> str:
            return self._field(name).value

        what = check("what", lambda: validate_what(value("what")))
        kind = self._kind()
        target: float | None = None
        start: float | None = None
        unit: str | None = ""
        if kind is MeasureKind.NUMBER:
            start = check(
                "start",
                lambda: validate_amount(value("start"), "The starting value", required=False),
            )
            target = check(
                "target", lambda: validate_amount(value("target"), "The target", required=False)
            )
            if target is not None:
                chosen, begun = target, start
                target = check("target", lambda: validate_target(chosen, begun))
            unit = check("unit", lambda: validate_unit(value("unit")))
        deadline = check("deadline", self._deadline)
        why = check("why", lambda: validate_why(value("why")))
        reason = check(
            "reason",
            lambda: clean_text(
                value("reason"), what="The reason", max_length=WHY_LENGTH, required=False
            ),
        )
        if problems or what is None:
            self.set_focus(problems[0].input if problems else self._field("what").input)
            return
        if self._goal is None:
            goal = Goal(owner_id=self._owner_id, what=what, created_on=self._today)
        else:
            goal = self._goal
        goal = replace(
            goal,
            what=what,
            kind=kind,
            target=target,
            unit=unit or "",
            start=start,
            deadline=deadline,
            why=why or "",
        )
        changed = self._goal is not None and redefines(self._goal, goal)
        self.forget_typing()
        self.dismiss(SavedGoal(goal, (reason or "") if changed else ""))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.forget_typing()
        self.dismiss(None)

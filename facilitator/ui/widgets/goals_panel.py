"""Goal check: the turn's partner's goals, each with where it stands; record progress, set,
redefine, mark achieved (celebrated) or drop (after a yes)."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static

from facilitator.domain.goals import Goal, GoalStatus, vagueness
from facilitator.domain.state import MeetingState
from facilitator.ui.text import guarded, line, styled
from facilitator.ui.widgets.goal_lines import goal_line, progress_line
from facilitator.ui.widgets.phase_panel import PhasePanel, heading
from facilitator.ui.widgets.rows import RowList

GOAL_KEYS = ("progress", "edit", "achieved", "drop")


def goals_in_turn(state: MeetingState, partner_id: str, today: date) -> list[Goal]:
    """The partner's active goals, and any achieved today (so the celebration stays in view)."""
    return [
        g
        for g in state.goals_of(partner_id)
        if g.is_active or (g.status is GoalStatus.ACHIEVED and g.closed_on == today)
    ]


def goal_note(goal: Goal, today: date) -> Content:
    """One more line about the highlighted goal: how to sharpen it, or its latest note."""
    vague = vagueness(goal) if goal.is_active else None
    if vague:
        return line(("? Vague. ", "bold $text-warning"), vague)
    latest = goal.latest
    if latest is not None:
        return line(("Latest: ", "bold"), progress_line(goal, latest, today))
    if goal.why:
        return line(("Why it matters: ", "bold"), styled(goal.why, "italic"))
    return Content("")


class GoalsPanel(PhasePanel):
    DEFAULT_CSS = """
    GoalsPanel #goal-note { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
    GoalsPanel #goals-empty { padding: 1 0; color: $text-muted; }
    """
    BOX = ""
    BINDINGS = [
        Binding("v", "progress", "Progress", id="goal_progress"),
        Binding("n", "new_goal", "New goal", id="goal_new"),
        Binding("e", "edit", "Edit goal", id="goal_edit"),
        Binding("a", "achieved", "Achieved", id="goal_achieved"),
        Binding("x", "drop", "Drop goal", id="goal_drop"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="goals-heading", classes="panel-heading", markup=False)
        yield RowList(id="goal-rows")
        yield Static(id="goals-empty", markup=False)
        yield Static(id="goal-note", markup=False)

    def redraw(self, state: MeetingState) -> None:
        if self.partner_id is None:
            return
        today = state.today(self.meeting.now())
        name = state.partner_name(self.partner_id)
        goals = goals_in_turn(state, self.partner_id, today)
        active = sum(g.is_active for g in goals)
        self.query_one("#goals-heading", Static).update(
            heading(f"{name}'s goals", f" · {active} active · v records where one stands")
        )
        self.query_one("#goal-rows", RowList).show_rows(
            [(g.id, guarded(goal_line, g, today)) for g in goals]
        )
        empty = self.query_one("#goals-empty", Static)
        empty.display = not goals
        empty.update(
            line(
                styled(name),
                " has no goals yet. Press ",
                ("n", "bold"),
                " to set one: what, how you'll know, and by when.",
            )
        )
        self._draw_note()

    def _draw_note(self) -> None:
        goal = self._selected()
        note = self.query_one("#goal-note", Static)
        text = guarded(goal_note, goal, self.meeting.today()) if goal else Content("")
        note.display = bool(text.plain)
        note.update(text)

    @on(OptionList.OptionHighlighted, "#goal-rows")
    def _highlighted(self) -> None:
        self._draw_note()
        self.screen.refresh_bindings()

    def current_item(self) -> Content | None:
        goal = self._selected()
        return guarded(goal_line, goal, self.meeting.today()) if goal else None

    # Keys -------------------------------------------------------------------------------------

    def _selected(self) -> Goal | None:
        row = self.query_one("#goal-rows", RowList).highlighted_id
        return self.meeting.state.goals.get(row) if row else None

    def _show(self, goal: Goal) -> None:
        self.redraw(self.meeting.state)
        rows = self.query_one("#goal-rows", RowList)
        rows.highlight(goal.id)
        self.screen.set_focus(rows)

    def action_new_goal(self) -> None:
        from facilitator.ui.screens.goals import open_goal_form

        if self.partner_id is not None:
            open_goal_form(self, self.meeting, None, self.partner_id, self._show)

    def action_edit(self) -> None:
        from facilitator.ui.screens.goals import open_goal_form

        goal = self._selected()
        if goal is not None and goal.is_active:
            open_goal_form(self, self.meeting, goal, goal.owner_id, self._show)

    def action_progress(self) -> None:
        from facilitator.ui.screens.goals import open_progress_form

        goal = self._selected()
        if goal is not None and goal.is_active:
            open_progress_form(self, self.meeting, goal)

    def action_achieved(self) -> None:
        from facilitator.ui.screens.goals import mark_achieved

        goal = self._selected()
        if goal is not None and goal.is_active:
            mark_achieved(self, self.meeting, goal)

    def action_drop(self) -> None:
        from facilitator.ui.screens.goals import ask_to_drop

        goal = self._selected()
        if goal is not None and goal.is_active:
            ask_to_drop(self, self.meeting, goal)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed:
            return allowed
        if action in GOAL_KEYS:
            goal = self._selected()
            return goal is not None and goal.is_active
        return True

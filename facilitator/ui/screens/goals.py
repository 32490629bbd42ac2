"""Every partner's goals: where each stands, and for the highlighted one, why it matters, its
progress, its earlier versions and the actions that serve it. Set a goal, redefine it, record
progress, mark it achieved (celebrated) or drop it (after a yes; it can be reopened)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList, Static

from facilitator.domain.goals import Goal, GoalStatus, MeasureKind, Verdict, redefines, verdict
from facilitator.domain.state import MeetingState
from facilitator.meeting import Meeting, Update
from facilitator.ui.screens.base import DialogScreen, MeetingScreen
from facilitator.ui.text import guarded, line, styled
from facilitator.ui.widgets.goal_lines import goal_detail, goal_line, linked_actions
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.rows import RowList
from facilitator.ui.widgets.status import SaveStatus

PARTNER_ROW = "partner:"
"""Rows that head each partner's goals have ids starting with this."""
STATUS_ORDER = {GoalStatus.ACTIVE: 0, GoalStatus.ACHIEVED: 1, GoalStatus.DROPPED: 2}


def ordered(goals: list[Goal]) -> list[Goal]:
    """Active goals first (soonest deadline first), then achieved, then dropped."""
    return sorted(
        goals,
        key=lambda g: (STATUS_ORDER[g.status], g.deadline or date.max, g.created_on, g.what),
    )


def partner_heading(name: str, goals: list[Goal]) -> Content:
    if not goals:
        return line(styled(name, "bold"), (" · no goals yet: press n to set one", "italic"))
    counts = [
        f"{count} {status.value}"
        for status in GoalStatus
        if (count := sum(g.status is status for g in goals))
    ]
    return line(styled(name, "bold underline"), f" · {', '.join(counts)}")


# Common actions on one goal, for the goals screen and the session's panels ------------------


def open_goal_form(
    host: Widget,
    meeting: Meeting,
    goal: Goal | None,
    owner_id: str,
    done: Callable[[Goal], None] | None = None,
) -> None:
    """Open the goal form (from a screen or a panel); save what it gives back through the
    meeting, and say what happened."""
    from facilitator.ui.screens.goal_form import GoalForm, SavedGoal

    def saved(result: SavedGoal | None) -> None:
        if result is None:
            return
        meeting.save_goal(result.goal, reason=result.reason)
        if goal is None:
            host.notify(result.goal.what, title="Goal set", markup=False)
        elif redefines(goal, result.goal):
            host.notify("The earlier version is kept in its history.", title="Goal changed")
        if done is not None:
            done(result.goal)

    host.app.push_screen(GoalForm(meeting, goal, owner_id), saved)


def open_progress_form(host: Widget, meeting: Meeting, goal: Goal) -> None:
    """Ask where a goal stands today and record it; say what it comes to."""
    from facilitator.ui.screens.progress_form import ProgressForm, Recorded

    def recorded(result: Recorded | None) -> None:
        if result is None:
            return
        value, note = result
        meeting.record_progress(goal.id, value, note)
        now = meeting.state.goals.get(goal.id)
        if now is None:
            return
        words = verdict(now, meeting.today())
        if words is Verdict.REACHED:
            reached = "It's done" if now.kind is MeasureKind.MILESTONE else "Target reached"
            host.notify(
                f"{reached}: press a to mark it achieved.", title="🎉 Well done!", markup=False
            )
        else:
            host.notify(f"Recorded. Now: {words.value}.", markup=False, timeout=4)

    host.app.push_screen(ProgressForm(meeting, goal), recorded)


def mark_achieved(host: Widget, meeting: Meeting, goal: Goal) -> None:
    meeting.close_goal(goal.id, GoalStatus.ACHIEVED)
    host.notify(goal.what, title="🎉 Achieved: well done!", markup=False, timeout=8)


def ask_to_drop(host: Widget, meeting: Meeting, goal: Goal) -> None:
    """Drop a goal after a yes (it stays in the list, and o reopens it)."""
    from facilitator.ui.screens.confirm import ConfirmScreen

    def answered(drop: bool | None) -> None:
        if drop:
            meeting.close_goal(goal.id, GoalStatus.DROPPED)
            host.notify("Dropped. It stays in the list; o reopens it.", timeout=5)

    host.app.push_screen(
        ConfirmScreen(
            line("Drop ", styled(goal.what, "bold"), "?"),
            "Letting go of a goal is part of the practice. It stays in the list, with its "
            "progress, and can be reopened.",
            yes="Drop it",
            no="Keep it",
        ),
        answered,
    )


# Whose goal? ----------------------------------------------------------------------------------


class PartnerChoice(DialogScreen[str | None]):
    """A small choice of partner: whose goal is this?"""

    DEFAULT_CSS = """
    PartnerChoice .dialog { width: 40; }
    PartnerChoice RowList { height: auto; max-height: 8; margin: 0 0 1 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, meeting: Meeting, default: str) -> None:
        super().__init__()
        self.meeting = meeting
        self._default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content("Whose goal?"), classes="question", markup=False)
            yield RowList(id="whose")
            yield Static(
                Content("↑ ↓ choose, Enter to go on, Esc to cancel."),
                classes="detail",
                markup=False,
            )
        yield KeyBar(palette=False)  # this dialog's keys, not the screen's below

    def on_mount(self) -> None:
        rows = self.query_one("#whose", RowList)
        rows.show_rows([(p.id, styled(p.name)) for p in self.meeting.the_partnership.partners])
        rows.highlight(self._default)
        self.set_focus(rows)

    @on(OptionList.OptionSelected, "#whose")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


# The screen -----------------------------------------------------------------------------------


class GoalsScreen(MeetingScreen):
    DEFAULT_CSS = """
    GoalsScreen #goals-bar { height: 1; background: $panel; }
    GoalsScreen #goals-title { width: 1fr; padding: 0 1; color: $text; }
    GoalsScreen #goals-main { height: 1fr; }
    GoalsScreen.-wide #goals-main { layout: horizontal; }
    GoalsScreen #goal-list {
        height: 1fr; max-height: 100%; border: round $primary; padding: 0 1;
    }
    GoalsScreen #goal-list:focus { border: round $accent; }
    GoalsScreen #goal-detail {
        height: 1fr; border: round $secondary; padding: 0 1;
        border-title-color: $text; border-title-style: bold;
    }
    GoalsScreen.-wide #goal-list { width: 1fr; }
    GoalsScreen.-wide #goal-detail { width: 1fr; }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding("n", "new", "New goal", id="new_goal"),
        Binding("v", "progress", "Progress", id="record_progress"),
        Binding("e", "edit", "Edit", id="edit_goal"),
        Binding("a", "achieved", "Achieved", id="goal_achieved"),
        Binding("x", "drop", "Drop", id="drop_goal"),
        Binding("o", "reopen", "Reopen", id="reopen_goal"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, meeting: Meeting) -> None:
        super().__init__(meeting)
        self._detail_key: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="goals-bar"):
            yield Static(id="goals-title", markup=False)
            yield SaveStatus(id="save-status")
        with Vertical(id="goals-main"):
            yield RowList(id="goal-list")
            with VerticalScroll(id="goal-detail"):
                yield Static(id="goal-detail-text", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#goal-list").border_title = Content("Goals")
        self.refresh_view()
        self.set_focus(self.query_one("#goal-list", RowList))

    # Drawing ----------------------------------------------------------------------------------

    def meeting_changed(self, update: Update) -> None:
        if self.is_current:
            for note in update.activity:
                if note.to == self.meeting.author.client:
                    self.notify(f"{note.label} {note.text}.", severity="warning", markup=False)
            for notice in update.notices:
                self.notify(notice, severity="warning", markup=False, timeout=8)
        self.refresh_view()
        self.refresh_bindings()

    def grouped(self, state: MeetingState) -> list[tuple[str, list[Goal]]]:
        """Each partner's goals, partners in the partnership's order; goals of anyone who has
        left come after, under their name."""
        partnership = state.partnership
        owners = [p.id for p in partnership.partners] if partnership else []
        owners += sorted({g.owner_id for g in state.goals.values()} - set(owners))
        return [(owner, ordered(state.goals_of(owner))) for owner in owners]

    def refresh_view(self) -> None:
        meeting = self.meeting
        state = meeting.state
        if state.partnership is None:
            return
        today = meeting.today()
        self.query_one("#goals-title", Static).update(
            line(styled(state.partnership.name, "bold"), " · goals")
        )
        self.query_one(SaveStatus).show(meeting)
        rows: list[tuple[str, Content]] = []
        for owner, goals in self.grouped(state):
            name = state.partner_name(owner)
            rows.append((PARTNER_ROW + owner, guarded(partner_heading, name, goals)))
            rows += [(g.id, guarded(goal_line, g, today)) for g in goals]
        self.query_one("#goal-list", RowList).show_rows(rows)
        self._draw_detail()

    def _draw_detail(self) -> None:
        state = self.meeting.state
        today = self.meeting.today()
        goal = self.selected()
        box = self.query_one("#goal-detail", VerticalScroll)
        if goal is None:
            owner = self.highlighted_partner()
            name = state.partner_name(owner) if owner else ""
            key: tuple[object, ...] = ("partner", name, today)
            if key == self._detail_key:
                return
            text = line(
                styled(name, "bold"),
                "'s goals. Press ",
                ("n", "bold"),
                " to set a new one: what, how you'll know, and by when.",
            )
            box.border_title = Content("About goals")
        else:
            actions = linked_actions(state.actions.values(), goal.id)
            key = ("goal", goal, tuple(actions), today)
            if key == self._detail_key:
                return
            text = guarded(goal_detail, goal, today, actions, state.partner_name(goal.owner_id))
            box.border_title = Content("The highlighted goal")
        self._detail_key = key
        self.query_one("#goal-detail-text", Static).update(text)
        box.scroll_home(animate=False)

    @on(OptionList.OptionHighlighted, "#goal-list")
    def _highlighted(self) -> None:
        self._draw_detail()
        self.refresh_bindings()

    # What is highlighted ----------------------------------------------------------------------

    def selected(self) -> Goal | None:
        row = self.query_one("#goal-list", RowList).highlighted_id
        if row is None or row.startswith(PARTNER_ROW):
            return None
        return self.meeting.state.goals.get(row)

    def highlighted_partner(self) -> str | None:
        row = self.query_one("#goal-list", RowList).highlighted_id
        if row is None:
            return None
        if row.startswith(PARTNER_ROW):
            return row[len(PARTNER_ROW) :]
        goal = self.meeting.state.goals.get(row)
        return goal.owner_id if goal else None

    def show_goal(self, goal: Goal) -> None:
        self.refresh_view()
        self.query_one("#goal-list", RowList).highlight(goal.id)

    # Keys -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new":
            return self.meeting.partnership is not None
        if action in ("progress", "edit", "achieved", "drop"):
            goal = self.selected()
            return goal is not None and goal.is_active
        if action == "reopen":
            goal = self.selected()
            return goal is not None and not goal.is_active
        return True

    def action_new(self) -> None:
        partnership = self.meeting.partnership
        if partnership is None:
            return
        current = [p.id for p in partnership.partners]
        default = self.highlighted_partner()
        if default not in current:
            default = current[0]
        if len(current) == 1:
            open_goal_form(self, self.meeting, None, default, self.show_goal)
            return

        def chosen(owner: str | None) -> None:
            if owner is not None:
                open_goal_form(self, self.meeting, None, owner, self.show_goal)

        self.app.push_screen(PartnerChoice(self.meeting, default), chosen)

    def action_edit(self) -> None:
        goal = self.selected()
        if goal is not None and goal.is_active:
            open_goal_form(self, self.meeting, goal, goal.owner_id, self.show_goal)

    def action_progress(self) -> None:
        goal = self.selected()
        if goal is not None and goal.is_active:
            open_progress_form(self, self.meeting, goal)

    def action_achieved(self) -> None:
        goal = self.selected()
        if goal is not None and goal.is_active:
            mark_achieved(self, self.meeting, goal)

    def action_drop(self) -> None:
        goal = self.selected()
        if goal is not None and goal.is_active:
            ask_to_drop(self, self.meeting, goal)

    def action_reopen(self) -> None:
        goal = self.selected()
        if goal is not None and not goal.is_active:
            self.meeting.close_goal(goal.id, GoalStatus.ACTIVE)
            self.notify(goal.what, title="Reopened", markup=False, timeout=4)

    def action_back(self) -> None:
        self.dismiss()

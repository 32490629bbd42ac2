"""Vision and goals (the first session): each partner says where they are and what they'd like
to achieve, and turns it into goals; the vague check helps make each one specific."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static

from facilitator.domain.actions import EntryKind
from facilitator.domain.goals import Goal
from facilitator.domain.state import MeetingState
from facilitator.ui.text import guarded, line, lines, styled
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.goal_lines import goal_line
from facilitator.ui.widgets.phase_panel import PhasePanel, heading
from facilitator.ui.widgets.rows import RowList


class VisionPanel(PhasePanel):
    DEFAULT_CSS = """
    VisionPanel #vision-said {
        height: auto; max-height: 8; min-height: 3; border: round $accent; padding: 0 1;
        border-title-color: $text; border-title-style: bold; color: $text;
    }
    VisionPanel #vision-goals-heading { padding: 1 0 0 0; }
    """
    BOX = "vision"
    BINDINGS = [
        Binding("n", "new_goal", "Set a goal", id="vision_new_goal"),
        Binding("e", "edit_goal", "Edit goal", id="vision_edit_goal"),
        Binding("w", "write", "Write", id="vision_write"),
        # Priority: Escape then keys typed right behind it go where the person meant.
        Binding("escape", "stop_typing", "Done typing", priority=True, id="stop_typing"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="vision-heading", classes="panel-heading", markup=False)
        with VerticalScroll(id="vision-said"):
            yield Static(id="vision-lines", markup=False)
        yield Field(
            "",
            placeholder="Where are you now? What would you like to achieve? Type, press Enter",
            entry=True,
            id="vision-entry",
        )
        yield Static(id="vision-goals-heading", classes="panel-heading", markup=False)
        yield RowList(id="vision-goals")

    def redraw(self, state: MeetingState) -> None:
        if self.partner_id is None:
            return
        today = state.today(self.meeting.now())
        name = state.partner_name(self.partner_id)
        self.query_one("#vision-heading", Static).update(
            heading(name, ": where you are now, and what you'd like to achieve")
        )
        said = state.entries_for(self.partner_id, EntryKind.VISION)
        box = self.query_one("#vision-said", VerticalScroll)
        box.border_title = line("What ", styled(name), f" said ({len(said)})")
        text = (
            lines([line("✦ ", styled(e.text)) for e in said])
            if said
            else Content.styled("What is said shows here, for turning into goals.", "italic")
        )
        self.query_one("#vision-lines", Static).update(text)
        if said:
            box.scroll_end(animate=False)
        goals = state.goals_of(self.partner_id, active_only=True)
        hint = " · n sets one: what, how you'll know, and by when"
        self.query_one("#vision-goals-heading", Static).update(
            heading(f"{name}'s goals ({len(goals)})", hint)
        )
        self.query_one("#vision-goals", RowList).show_rows(
            [(g.id, guarded(goal_line, g, today)) for g in goals]
        )

    def focus_default(self) -> None:
        self.screen.set_focus(self.query_one("#vision-entry", Field).input)

    def entry_kind(self) -> EntryKind:
        return EntryKind.VISION

    def current_item(self) -> Content | None:
        goal = self._selected()
        if goal is not None and self.screen.focused is self.query_one("#vision-goals"):
            return guarded(goal_line, goal, self.meeting.today())
        said = self.meeting.entries_for(self.partner_id or "", EntryKind.VISION)
        return line("✦ ", styled(said[-1].text)) if said else None

    @on(OptionList.OptionHighlighted, "#vision-goals")
    def _highlighted(self) -> None:
        self.screen.refresh_bindings()

    # Keys -------------------------------------------------------------------------------------

    def _selected(self) -> Goal | None:
        row = self.query_one("#vision-goals", RowList).highlighted_id
        return self.meeting.state.goals.get(row) if row else None

    def _show(self, goal: Goal) -> None:
        self.redraw(self.meeting.state)
        rows = self.query_one("#vision-goals", RowList)
        rows.highlight(goal.id)
        self.screen.set_focus(rows)

    def action_new_goal(self) -> None:
        from facilitator.ui.screens.goals import open_goal_form

        if self.partner_id is not None:
            open_goal_form(self, self.meeting, None, self.partner_id, self._show)

    def action_edit_goal(self) -> None:
        from facilitator.ui.screens.goals import open_goal_form

        goal = self._selected()
        if goal is not None and goal.is_active:
            open_goal_form(self, self.meeting, goal, goal.owner_id, self._show)

    def action_write(self) -> None:
        self.focus_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed or action == "stop_typing":
            return allowed
        if action == "edit_goal":
            return self._selected() is not None
        return True

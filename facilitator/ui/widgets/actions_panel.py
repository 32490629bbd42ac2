"""Agree actions: new actions with owner and due date; carried ones confirmed, edited or dropped."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static

from facilitator.domain.actions import Action
from facilitator.domain.dates import format_day
from facilitator.domain.state import MeetingState
from facilitator.ui.text import guarded, line, styled
from facilitator.ui.widgets.phase_panel import PhasePanel, heading
from facilitator.ui.widgets.rows import RowList


def action_line(action: Action, today: date, owner: str = "") -> Content:
    parts: list[Content | tuple[str, str] | str] = []
    if action.carried_from and not action.confirmed:
        parts += [("carried, to confirm", "bold $text-warning"), "  "]
    elif action.carried_from:
        parts += [("carried", "$text-muted"), "  "]
    if owner:
        parts += [styled(owner, "bold"), ": "]
    parts += [styled(action.text), "  ", (f"due {format_day(action.due_on, today)}", "$text-muted")]
    return line(*parts)


class ActionsPanel(PhasePanel):
    BOX = ""
    BINDINGS = [
        Binding("a", "add", "Add", id="add_action"),
        Binding("e", "edit", "Edit", id="edit_action"),
        Binding("c", "confirm", "Confirm", id="confirm_action"),
        Binding("x,delete", "drop", "Drop", key_display="x", id="drop_action"),
        Binding("u", "undo", "Undo", id="undo_drop"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._dropped: Action | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="actions-heading", classes="panel-heading", markup=False)
        yield RowList(id="agreed")
        yield Static(id="actions-empty", markup=False)
        yield Static(id="actions-away-heading", classes="panel-heading", markup=False)
        yield RowList(id="agreed-away")

    def redraw(self, state: MeetingState) -> None:
        if self.partner_id is None:
            return
        today = state.today(self.meeting.now())
        name = state.partner_name(self.partner_id)
        self.query_one("#actions-heading", Static).update(
            heading(f"{name}'s actions until next time", "")
        )
        actions = state.agreed(self.partner_id)
        self.query_one("#agreed", RowList).show_rows(
            [(a.id, guarded(action_line, a, today)) for a in actions]
        )
        empty = self.query_one("#actions-empty", Static)
        empty.display = not actions
        empty.update(
            line(
                "No actions for ",
                styled(name),
                " yet. Press ",
                ("a", "bold"),
                " to add one: what will you do, by when?",
            )
        )
        # Actions agreed for someone away today: shown, so they are seen and can be changed.
        away = state.agreed_for_others(self.partner_id)
        away_heading = self.query_one("#actions-away-heading", Static)
        away_heading.display = bool(away)
        away_heading.update(Content.styled("For partners away today", "bold"))
        self.query_one("#agreed-away", RowList).show_rows(
            [(a.id, guarded(action_line, a, today, state.partner_name(a.owner_id))) for a in away]
        )

    def current_item(self) -> Content | None:
        actions = self.meeting.agreed(self.partner_id or "")
        return guarded(action_line, actions[-1], self.meeting.today()) if actions else None

    def _selected(self) -> Action | None:
        focused = self.screen.focused
        rows = focused if isinstance(focused, RowList) else self.query_one("#agreed", RowList)
        return self.meeting.state.action(rows.highlighted_id)

    def action_add(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        action = self._selected()
        if action is not None:
            self._open_form(action)

    def _open_form(self, action: Action | None) -> None:
        from facilitator.ui.screens.action_form import ActionForm, ActionFormResult

        meeting = self.meeting
        owner = action.owner_id if action else (self.partner_id or "")

        def saved(result: ActionFormResult | None) -> None:
            if result is None:
                return
            if action is None:
                meeting.add_action(
                    result.text,
                    result.owner_id,
                    result.due_on,
                    box="action",
                    goal_id=result.goal_id,
                )
            else:
                # Against the action as it was when the form opened: fields left alone keep
                # any change another screen made meanwhile.
                meeting.edit_action(
                    action, result.text, result.owner_id, result.due_on, goal_id=result.goal_id
                )
            if result.owner_id != self.partner_id:
                where = meeting.partner_name(result.owner_id)
                self.notify(f"Saved with {where}'s actions, listed below.", markup=False)
            self.screen.set_focus(self.query_one("#agreed", RowList))

        self.app.push_screen(ActionForm(meeting, action, owner), saved)

    @on(OptionList.OptionSelected)
    def edit_selected(self) -> None:
        """Enter on an action opens it for editing (the list takes Enter before any binding)."""
        self.action_edit()

    def action_confirm(self) -> None:
        action = self._selected()
        if action is not None:
            self.meeting.confirm_action(action)

    def action_drop(self) -> None:
        action = self._selected()
        if action is not None:
            self.meeting.drop_new_action(action)
            self._dropped = action
            self.notify(f"Dropped: {action.text} · press u to undo", markup=False, timeout=5)
            self.refresh_bindings()

    def action_undo(self) -> None:
        if self._dropped is not None:
            self.meeting.restore_action(self._dropped)
            self.notify(f"Put back: {self._dropped.text}", markup=False, timeout=3)
            self._dropped = None
            self.refresh_bindings()

    def show_turn(self, partner_id: str | None) -> None:
        self._dropped = None
        super().show_turn(partner_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed:
            return allowed
        if action in ("edit", "drop"):
            return self._selected() is not None
        if action == "confirm":
            selected = self._selected()
            return selected is not None and not selected.confirmed
        if action == "undo":
            return self._dropped is not None
        return True

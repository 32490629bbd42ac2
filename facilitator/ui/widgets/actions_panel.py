"""Agree actions: new actions with owner and due date; carried ones confirmed, edited or dropped."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator.domain.actions import Action
from facilitator.domain.dates import format_day
from facilitator.ui.widgets.phase_panel import PhasePanel


class ActionsPanel(PhasePanel):
    BINDINGS = [
        Binding("a", "add", "Add", id="add_action"),
        Binding("e", "edit", "Edit", show=False, id="edit_action"),
        Binding("c", "confirm", "Confirm", show=False, id="confirm_action"),
        Binding("x,delete", "drop", "Drop", show=False, id="drop_action"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="actions-heading", classes="panel-heading")
        yield OptionList(id="agreed")
        yield Static(id="actions-empty")

    def redraw(self) -> None:
        assert self.partner_id is not None
        meeting = self.meeting
        name = escape(meeting.partner_name(self.partner_id))
        self.query_one("#actions-heading", Static).update(
            f"[b]{name}'s actions until next time[/b] · a add, e edit, c confirm, x drop"
        )
        actions = meeting.agreed(self.partner_id)
        self.fill_list(self.query_one("#agreed", OptionList), [self._option(a) for a in actions])
        empty = self.query_one("#actions-empty", Static)
        empty.display = not actions
        empty.update(
            f"No actions for {name} yet. Press [b]a[/b] to add one: what will you do, by when?"
        )

    def _option(self, action: Action) -> Option:
        today = self.meeting.today()
        line = f"{escape(action.text)}  [$text-muted]due {format_day(action.due_on, today)}[/]"
        if action.carried_from and not action.confirmed:
            line = f"[b $warning]carried, to confirm[/]  {line}"
        elif action.carried_from:
            line = f"[$text-muted]carried[/]  {line}"
        return Option(line, id=action.id)

    def _selected(self) -> Action | None:
        action_id = self.highlighted_id()
        return next((a for a in self.meeting.actions if a.id == action_id), None)

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
                meeting.add_action(result.text, result.owner_id, result.due_on)
            else:
                meeting.edit_action(action, result.text, result.owner_id, result.due_on)
            if result.owner_id != self.partner_id:
                self.notify(f"Saved with {meeting.partner_name(result.owner_id)}'s actions.")
            self.redraw()
            self.query_one("#agreed", OptionList).focus()

        self.app.push_screen(ActionForm(action, owner), saved)

    @on(OptionList.OptionSelected, "#agreed")
    def edit_selected(self) -> None:
        """Enter on an action opens it for editing (the list takes Enter before any binding)."""
        self.action_edit()

    def action_confirm(self) -> None:
        action = self._selected()
        if action is not None:
            self.meeting.confirm_action(action)
            self.redraw()

    def action_drop(self) -> None:
        action = self._selected()
        if action is not None:
            self.meeting.drop_new_action(action)
            self.notify(f"Dropped: {action.text}")
            self.redraw()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "confirm", "drop"):
            return self._selected() is not None
        return True

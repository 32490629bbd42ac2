"""Review and celebrate: mark last time's actions, and celebrate wins."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.domain.actions import Action, ActionStatus, EntryKind
from facilitator.domain.dates import format_day
from facilitator.domain.text import InvalidText
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.phase_panel import PhasePanel

MARKS = {
    ActionStatus.OPEN: "[$text-muted]○ to review[/]",
    ActionStatus.DONE: "[b $success]✔ done[/]",
    ActionStatus.PARTLY: "[b $warning]◐ partly done[/]",
    ActionStatus.NOT_DONE: "[b $warning]○ not done[/]",
    ActionStatus.DROPPED: "[$text-muted]✕ dropped[/]",
}


class ReviewPanel(PhasePanel):
    BINDINGS = [
        Binding("d", "mark('done')", "Done", show=False, id="mark_done"),
        Binding("p", "mark('partly')", "Partly", show=False, id="mark_partly"),
        Binding("n", "mark('not_done')", "Not done", show=False, id="mark_not_done"),
        Binding("x", "mark('dropped')", "Dropped", show=False, id="mark_dropped"),
        Binding("u", "unmark", "Undo", show=False, id="unmark"),
        Binding("w", "add_win", "Win", id="add_win"),
        Binding("escape", "stop_typing", "Done typing", id="stop_typing"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="review-heading", classes="panel-heading")
        yield OptionList(id="review-list")
        yield Static(id="celebrate")
        yield Field("", placeholder="A win to celebrate: type it, press Enter", id="win")

    def redraw(self) -> None:
        assert self.partner_id is not None
        meeting = self.meeting
        name = escape(meeting.partner_name(self.partner_id))
        actions = meeting.to_review(self.partner_id)
        open_count = sum(a.is_open for a in actions)
        heading = self.query_one("#review-heading", Static)
        if actions:
            heading.update(
                f"[b]{name}'s actions from last time[/b] · {open_count} of {len(actions)} "
                "to review · d done, p partly, n not done, x dropped, u undo"
            )
        else:
            heading.update(
                f"[b]{name} has no open actions from earlier sessions.[/b] "
                "Start with what went well."
            )
        self.fill_list(
            self.query_one("#review-list", OptionList), [self._option(a) for a in actions]
        )
        self._draw_celebrations(actions)

    def _option(self, action: Action) -> Option:
        today = self.meeting.today()
        due = format_day(action.due_on, today)
        line = f"{MARKS[action.status]}  {escape(action.text)}  [$text-muted]due {due}[/]"
        if action.in_the_way:
            line += f"\n    [i]in the way: {escape(action.in_the_way)}[/i]"
        return Option(line, id=action.id)

    def _draw_celebrations(self, actions: list[Action]) -> None:
        assert self.partner_id is not None
        done = [a for a in actions if a.status is ActionStatus.DONE]
        wins = self.meeting.entries_for(self.partner_id, EntryKind.WIN)
        lines = [f"✔ {escape(a.text)}" for a in done] + [f"★ {escape(w.text)}" for w in wins]
        celebrate = self.query_one("#celebrate", Static)
        celebrate.border_title = "🎉 Celebrating" if lines else "Celebrating"
        celebrate.update("\n".join(lines) if lines else "[i]Wins and done actions show here.[/i]")
        celebrate.set_class(bool(lines), "-some")

    def _selected(self) -> Action | None:
        action_id = self.highlighted_id()
        return next((a for a in self.meeting.actions if a.id == action_id), None)

    def action_mark(self, status_value: str) -> None:
        action = self._selected()
        if action is None:
            self.notify("There's nothing to mark in this turn.", severity="warning")
            return
        status = ActionStatus(status_value)
        if status.may_carry:
            from facilitator.ui.screens.in_the_way import InTheWayScreen

            def answered(result: tuple[str, bool] | None) -> None:
                if result is not None:
                    note, carry = result
                    self.meeting.mark(action, status, in_the_way=note, carry=carry)
                    if carry:
                        self.notify("Carried into this session's actions, to confirm later.")
                    self.redraw()

            self.app.push_screen(InTheWayScreen(action, status), answered)
            return
        self.meeting.mark(action, status)
        if status is ActionStatus.DONE:
            self.notify(f"Done: {action.text}", title="🎉 Well done!")
        self.redraw()
        self._next_to_review()

    def _next_to_review(self) -> None:
        option_list = self.query_one("#review-list", OptionList)
        actions = self.meeting.to_review(self.partner_id or "")
        for index, action in enumerate(actions):
            if action.is_open:
                option_list.highlighted = index
                return

    def action_unmark(self) -> None:
        action = self._selected()
        if action is None or action.is_open:
            return
        self.meeting.unmark(action)
        self.redraw()

    def save_unsent(self) -> None:
        self.save_typed(self.query_one("#win", Field), EntryKind.WIN)

    def action_add_win(self) -> None:
        self.query_one("#win", Field).input.focus()

    @on(Input.Submitted, "#win Input")
    def add_win(self, event: Input.Submitted) -> None:
        event.stop()
        field = self.query_one("#win", Field)
        try:
            win = self.meeting.add_entry(event.value, EntryKind.WIN, self.partner_id or "")
        except InvalidText as error:
            field.show_error(str(error))
            return
        event.input.clear()
        self.notify(win.text, title="🎉 Celebrated!")
        self._draw_celebrations(self.meeting.to_review(self.partner_id or ""))

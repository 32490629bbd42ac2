"""Review and celebrate: mark last time's actions, and celebrate wins."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from facilitator.domain.actions import Action, ActionStatus, EntryKind
from facilitator.domain.dates import format_day
from facilitator.domain.prep import Prep, PreparedStatus
from facilitator.domain.state import MeetingState
from facilitator.ui.text import REVIEWED_MARKS, guarded, line, lines, styled
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.phase_panel import PhasePanel, heading
from facilitator.ui.widgets.rows import RowList

MARKS = {ActionStatus.OPEN: ("- to review", "$text-muted"), **REVIEWED_MARKS}


def review_line_with_prep(action: Action, today: date, prepared: PreparedStatus | None) -> Content:
    """A review row; while the action is still to review, what its owner prepared for it."""
    base = review_line(action, today)
    if prepared is None or not action.is_open:
        return base
    mark, style = MARKS[prepared.status]
    parts: list[Content | str | tuple[str, str]] = [
        base,
        "\n    ",
        ("prepared: ", "italic"),
        (mark, style),
    ]
    if prepared.in_the_way:
        parts += [" · ", styled(prepared.in_the_way, "italic")]
    parts.append((" · y accepts", "$text-muted"))
    return line(*parts)


def prepared_update(name: str, prep: Prep) -> Content:
    rows = [line(styled(name, "bold"), ("'s written update", "bold"))]
    for label, text in (
        ("Progress: ", prep.progressed),
        ("Focus until next time: ", prep.focus),
        ("Help wanted: ", prep.help),
    ):
        if text:
            rows.append(line("  ", (label, "italic"), styled(text)))
    return lines(rows)


def review_line(action: Action, today: date) -> Content:
    mark, style = MARKS[action.status]
    due = format_day(action.due_on, today)
    parts: list[Content | tuple[str, str] | str] = [(mark, style), "  ", styled(action.text), "  "]
    if action.is_overdue(today):
        parts.append((f"! overdue, due {due}", "bold $text-error"))
    else:
        parts.append((f"due {due}", "$text-muted"))
    if action.in_the_way:
        parts += ["\n    ", ("in the way: ", "italic"), styled(action.in_the_way, "italic")]
    return line(*parts)


class ReviewPanel(PhasePanel):
    BOX = "win"
    BINDINGS = [
        Binding("d", "mark('done')", "Done", id="mark_done"),
        Binding("p", "mark('partly')", "Partly", id="mark_partly"),
        Binding("n", "mark('not_done')", "Not done", id="mark_not_done"),
        Binding("x", "mark('dropped')", "Dropped", id="mark_dropped"),
        Binding("y", "accept_prepared", "Accept prepared", id="accept_prepared"),
        Binding("u", "unmark", "Undo", id="unmark"),
        Binding("w", "add_win", "Win", id="add_win"),
        # Priority: Escape then keys typed right behind it go where the person meant.
        Binding("escape", "stop_typing", "Done typing", priority=True, id="stop_typing"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="review-heading", classes="panel-heading", markup=False)
        yield Static(id="prepared-update", markup=False)
        yield RowList(id="review-list")
        with VerticalScroll(id="celebrate"):
            yield Static(id="celebrate-lines", markup=False)
        yield Field(
            "", placeholder="A win to celebrate: type it, press Enter", entry=True, id="win"
        )

    def redraw(self, state: MeetingState) -> None:
        if self.partner_id is None:
            return
        today = state.today(self.meeting.now())
        name = state.partner_name(self.partner_id)
        actions = state.to_review(self.partner_id)
        open_count = sum(a.is_open for a in actions)
        session = state.live
        if actions:
            head = heading(
                f"{name}'s actions from last time",
                f" · {open_count} of {len(actions)} to review",
            )
        elif session is not None and session.first:
            head = heading(
                name,
                " · nothing to review in a first session: share where you are and what "
                "you'd like to achieve, then a recent win below.",
            )
        else:
            head = heading(
                name, " has no open actions from earlier sessions: start with what went well."
            )
        self.query_one("#review-heading", Static).update(head)
        prep = state.preps.get(self.partner_id)
        prepared = {s.action_id: s for s in prep.statuses} if prep else {}
        self.query_one("#review-list", RowList).show_records(
            [(a.id, (a, today, prepared.get(a.id))) for a in actions],
            lambda key: guarded(review_line_with_prep, *key),
        )
        update = self.query_one("#prepared-update", Static)
        written = prep is not None and any((prep.progressed, prep.focus, prep.help))
        update.display = written
        if written and prep is not None:
            update.update(guarded(prepared_update, name, prep))
        self._draw_celebrations(state, actions)

    def _draw_celebrations(self, state: MeetingState, actions: list[Action]) -> None:
        assert self.partner_id is not None
        done = [a for a in actions if a.status is ActionStatus.DONE]
        wins = state.entries_for(self.partner_id, EntryKind.WIN)
        rows = [line(("✓ ", "bold"), styled(a.text)) for a in done]
        rows += [line(("✦ ", "bold"), styled(w.text)) for w in wins]
        box = self.query_one("#celebrate", VerticalScroll)
        box.border_title = f"🎉 Celebrating ({len(rows)})" if rows else "Celebrating"
        box.set_class(bool(rows), "-some")
        text = lines(rows) if rows else Content.styled("Wins and done actions show here.", "italic")
        self.query_one("#celebrate-lines", Static).update(text)
        if rows:
            box.scroll_end(animate=False)

    def current_item(self) -> Content | None:
        action = self._selected()
        if action is not None:
            return guarded(review_line, action, self.meeting.today())
        wins = self.meeting.entries_for(self.partner_id or "", EntryKind.WIN)
        return line(("✦ ", "bold"), styled(wins[-1].text)) if wins else None

    def focus_default(self) -> None:
        """Marks first while there's something to review; then the win box."""
        if any(a.is_open for a in self.meeting.state.to_review(self.partner_id or "")):
            self.screen.set_focus(self.query_one("#review-list", RowList))
        else:
            self.screen.set_focus(self.query_one("#win", Field).input)

    def entry_kind(self) -> EntryKind:
        return EntryKind.WIN

    def entry_added(self, text: str) -> None:
        self.notify(text, title="🎉 Celebrated!", markup=False)

    def _selected(self) -> Action | None:
        return self.meeting.state.action(self.query_one("#review-list", RowList).highlighted_id)

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
                    self._after_mark()

            self.app.push_screen(InTheWayScreen(action, status), answered)
            return
        self.meeting.mark(action, status)
        if status is ActionStatus.DONE:
            self.notify(action.text, title="🎉 Done: well done!", markup=False)
        elif status is ActionStatus.DROPPED:
            self.notify("Let go. Press u to take that back.", timeout=4)
        self._after_mark()

    def _after_mark(self) -> None:
        """On to the next action to review (the list keeps focus, so u can take a mark back;
        w goes to the win box)."""
        actions = self.meeting.state.to_review(self.partner_id or "")
        remaining = [a for a in actions if a.is_open]
        if remaining:
            self.query_one("#review-list", RowList).highlight(remaining[0].id)

    def action_accept_prepared(self) -> None:
        """Take what the owner prepared for this action, as the pair agrees now."""
        action = self._selected()
        prep = self.meeting.state.preps.get(self.partner_id or "")
        prepared = prep.status_of(action.id) if prep and action else None
        if action is None or prepared is None or not action.is_open:
            return
        status = prepared.status
        self.meeting.mark(action, status, in_the_way=prepared.in_the_way, carry=status.may_carry)
        if status is ActionStatus.DONE:
            self.notify(action.text, title="🎉 Done: well done!")
        self._after_mark()

    def action_unmark(self) -> None:
        action = self._selected()
        if action is None or action.is_open:
            return
        self.meeting.unmark(action)

    def action_add_win(self) -> None:
        self.screen.set_focus(self.query_one("#win", Field).input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed or action == "stop_typing":
            return allowed
        if action in ("mark", "unmark", "accept_prepared"):
            selected = self._selected()
            if selected is None:
                return False  # hidden: nothing to mark
            if action == "unmark":
                return not selected.is_open
            if action == "accept_prepared":
                prep = self.meeting.state.preps.get(self.partner_id or "")
                return selected.is_open and prep is not None and bool(prep.status_of(selected.id))
        return True

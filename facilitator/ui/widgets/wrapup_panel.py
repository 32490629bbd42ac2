"""Wrap-up: the whole story of the session, per partner, and the next session's date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from facilitator.domain.actions import Action, ActionStatus, PartnerSummary
from facilitator.domain.dates import format_day
from facilitator.domain.state import MeetingState
from facilitator.ui.text import guarded, line, lines, styled
from facilitator.ui.widgets.obstacles_panel import entry_line
from facilitator.ui.widgets.phase_panel import PhasePanel


def _due(action: Action, today: date) -> Content:
    if action.is_overdue(today):
        return line(
            ("  ! overdue, due ", "bold $text-error"),
            (format_day(action.due_on, today), "bold $text-error"),
        )
    return Content.styled(f"  due {format_day(action.due_on, today)}", "$text-muted")


def _listed(
    title: str, actions: list[Action], today: date, *, due: bool = False, why: bool = False
) -> list[Content]:
    if not actions:
        return []
    rows = [Content.styled(f"  {title}", "bold")]
    for action in actions:
        parts: list[Content | str | tuple[str, str]] = ["    ▸ ", styled(action.text)]
        if why and action.status is not ActionStatus.DONE:
            parts += ["  ", (f"({action.status.label})", "$text-muted")]
        if due:
            parts.append(_due(action, today))
        rows.append(line(*parts))
        if why and action.in_the_way:
            rows.append(
                line("      ", ("in the way: ", "italic"), styled(action.in_the_way, "italic"))
            )
    return rows


def summary_lines(summary: PartnerSummary, name: str, today: date) -> list[Content]:
    rows = [line(styled(name, "bold $text-primary"), "" if summary.present else " (away today)")]
    rows += _listed("🎉 Done", summary.done, today)
    if summary.wins:
        rows.append(Content.styled("  ✦ Wins", "bold"))
        rows += [line("    ▸ ", styled(w.text)) for w in summary.wins]
    rows += _listed("Carried forward", summary.carried, today, why=True)
    rows += _listed("Let go", summary.let_go, today, why=True)
    if summary.notes:
        rows.append(Content.styled("  Shared and noted", "bold"))
        rows += [line("    ▸ ", styled(e.text)) for e in summary.notes]
    if summary.obstacles:
        rows.append(Content.styled("  Obstacles, ideas and help asked for", "bold"))
        rows += [line("    ", entry_line(e)) for e in summary.obstacles]
    rows += _listed("Actions until next time", summary.new_actions, today, due=True)
    rows += _listed("Still open from before", summary.still_open, today, due=True)
    if summary.is_empty:
        rows.append(Content.styled("  Nothing recorded this time.", "italic"))
    return rows


class WrapUpPanel(PhasePanel):
    BINDINGS = [
        Binding("m", "minutes", "Minutes", id="write_minutes"),
        Binding("i", "invitation", "Invitation", id="send_invitation"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="wrapup-heading", classes="panel-heading", markup=False)
        with VerticalScroll(id="summary-scroll"):
            yield Static(id="summary", markup=False)

    def current_item(self) -> Content | None:
        today = self.meeting.today()
        return line("Next session: ", (format_day(self.meeting.next_session_date(), today), "bold"))

    def focus_default(self) -> None:
        self.screen.set_focus(self.query_one("#summary-scroll"))

    def redraw(self, state: MeetingState) -> None:
        partnership = state.partnership
        if partnership is None:
            return
        today = state.today(self.meeting.now())
        next_date = state.next_session_date(self.meeting.now())
        self.query_one("#wrapup-heading", Static).update(
            line(
                "Press ",
                ("f", "bold"),
                " to finish · ",
                ("m", "bold"),
                " minutes · ",
                ("i", "bold"),
                " invitation · next session ",
                (format_day(next_date, today), "bold"),
                f" ({partnership.cadence_label})",
            )
        )
        rows: list[Content] = []
        for summary in state.summary():
            name = state.partner_name(summary.partner_id) if summary.partner_id else "Together"
            rows.append(guarded(lambda s=summary, n=name: lines(summary_lines(s, n, today))))
            rows.append(Content(""))
        self.query_one("#summary", Static).update(lines(rows))

    # Exports: the minutes and the invitation, written where the person says --------------

    def action_minutes(self) -> None:
        """The session's minutes as Markdown; asks first if the agreement keeps things
        between the partners."""
        from facilitator.export.minutes import sharing_warning

        partnership = self.meeting.the_partnership
        warning = sharing_warning(partnership.agreement)
        if warning is None:
            self._ask_where("minutes", ".md")
            return
        from facilitator.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._ask_where("minutes", ".md")

        self.app.push_screen(
            ConfirmScreen("Write the minutes anyway?", warning, yes="Write them"), answered
        )

    def action_invitation(self) -> None:
        """The next session as a calendar invitation (a repeating event on your rhythm)."""
        self._ask_where("invitation", ".ics")

    def _ask_where(self, what: str, suffix: str) -> None:
        from facilitator.export.files import suggested_name
        from facilitator.ui.screens.export_file import ExportFileScreen

        meeting = self.meeting
        name = suggested_name(meeting.the_partnership.name, meeting.session_date(), what, suffix)
        default = Path.home() / name
        detail = (
            "Markdown, for your notes: who came, what got done and why not, obstacles, ideas, "
            "help asked for, the new actions and the next session."
            if what == "minutes"
            else "An iCalendar file for the next session, repeating on your rhythm: open it "
            "with your calendar and send it to your partner."
        )
        dialog = ExportFileScreen(f"Write the {what}", detail, default)

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._write(what, path)

        self.app.push_screen(dialog, chosen)

    def _write(self, what: str, path: Path) -> None:
        from facilitator.export.files import ExportError, write_export

        meeting = self.meeting
        state = meeting.state
        try:
            if what == "minutes":
                from facilitator.export.minutes import minutes_markdown

                assert state.partnership is not None and state.session is not None
                data = minutes_markdown(
                    state.partnership,
                    state.session,
                    state.actions.values(),
                    state.entries.values(),
                    next_session=state.next_session_date(meeting.now()),
                ).encode("utf-8")
            else:
                from facilitator.export.calendar import calendar_for_state

                data = calendar_for_state(state, meeting.now())
            written = write_export(path, data, not_over=meeting.repository.files())
        except ExportError as error:
            self.notify(str(error), title="Not written", severity="error", timeout=10)
            return
        self.notify(f"Written to {written}", title=what.capitalize())

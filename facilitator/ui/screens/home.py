"""Home: the partnership, when the next session is due, and everyone's open actions."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Static

from facilitator.domain.actions import Action
from facilitator.domain.dates import describe_due, format_day

if TYPE_CHECKING:
    from facilitator.ui.app import FacilitatorApp


class HomeScreen(Screen[None]):
    CSS_PATH = "home.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding("s", "start", "Start session", id="start"),
        Binding("r", "resume", "Resume session", id="resume"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    @property
    def facilitator(self) -> FacilitatorApp:
        return cast("FacilitatorApp", self.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="home"):
            yield Static(id="title")
            yield Static(id="about")
            yield Static(id="due")
            yield Static(id="unfinished")
            yield Grid(id="partners")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.refresh_view()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        has_session = self.facilitator.meeting.session is not None
        if action == "resume":
            return has_session
        if action == "start":
            return not has_session
        return True

    def refresh_view(self) -> None:
        meeting = self.facilitator.meeting
        partnership = meeting.the_partnership
        today = meeting.today()
        self.query_one("#title", Static).update(escape(partnership.name))
        names = ", ".join(p.name for p in partnership.partners)
        self.query_one("#about", Static).update(
            f"{escape(names)} · {partnership.cadence.label.lower()} · "
            f"{partnership.session_minutes}-minute sessions"
        )
        self.query_one("#due", Static).update(self._due_text())
        unfinished = self.query_one("#unfinished", Static)
        if meeting.session is not None:
            turn = meeting.session.current_turn
            unfinished.update(
                f"A session from {format_day(meeting.session_date(), today)} is unfinished "
                f"({turn.phase.title}, {escape(meeting.partner_name(turn.partner_id))}). "
                "Press r to resume it."
            )
            unfinished.display = True
        else:
            unfinished.display = False
        grid = self.query_one("#partners", Grid)
        grid.remove_children()
        by_owner = meeting.open_actions_by_owner()
        grid.mount_all(
            self._partner_card(partner.name, by_owner.get(partner.id, []), today)
            for partner in partnership.partners
        )

    def _due_text(self) -> str:
        meeting = self.facilitator.meeting
        partnership = meeting.the_partnership
        today = meeting.today()
        if partnership.last_session_on is None:
            return (
                "[b]No sessions yet.[/b] Your first session is for sharing goals; "
                "start it when you're ready."
            )
        due = partnership.next_session_due()
        last = f"Last session: {format_day(partnership.last_session_on, today)}"
        days = (due - today).days
        if days < 0:
            plural = "s" if days < -1 else ""
            when = f"[b $error]{format_day(due, today)}, overdue by {-days} day{plural}[/]"
        elif days == 0:
            when = f"[b]today, {format_day(due, today)}[/b]"
        else:
            when = f"[b]{format_day(due, today)}[/b] ({describe_due(due, today)})"
        return f"{last}   Next session due: {when}"

    def _partner_card(self, name: str, actions: list[Action], today: date) -> Vertical:
        lines = [] if actions else ["[i]No open actions.[/i]"]
        for action in actions:
            due = f"due {format_day(action.due_on, today)}"
            if action.is_overdue(today):
                due = f"[b $error]{due}, {describe_due(action.due_on, today)}[/]"
            else:
                due = f"[$text-muted]{due}[/]"
            lines.append(f"• {escape(action.text)}\n  {due}")
        card = Vertical(Static("\n".join(lines), classes="actions"), classes="card")
        card.border_title = f"{escape(name)}'s open actions ({len(actions)})"
        return card

    def action_start(self) -> None:
        from facilitator.ui.screens.attendance import AttendanceScreen

        meeting = self.facilitator.meeting
        if meeting.session is not None:
            self.notify("There is an unfinished session: press r to resume it.")
            return

        def chosen(present: list[str] | None) -> None:
            if present:
                meeting.begin_session(present)
                self.facilitator.open_session(resume=False)

        self.app.push_screen(AttendanceScreen(), chosen)

    def action_resume(self) -> None:
        if self.facilitator.meeting.session is None:
            self.notify("There's no unfinished session to resume.")
            return
        self.facilitator.open_session(resume=True)

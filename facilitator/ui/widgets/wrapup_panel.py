"""Wrap-up: what got done, what was carried, the new actions, and the next session's date."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Static

from facilitator.domain.actions import Action
from facilitator.domain.dates import format_day
from facilitator.ui.widgets.phase_panel import PhasePanel


class WrapUpPanel(PhasePanel):
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary-scroll"):
            yield Static(id="summary")

    def focus_default(self) -> None:
        self.query_one("#summary-scroll").focus()

    def redraw(self) -> None:
        meeting = self.meeting
        today = meeting.today()

        def listed(title: str, actions: list[Action], with_due: bool = False) -> list[str]:
            if not actions:
                return []
            lines = [f"  [b]{title}[/b]"]
            for a in actions:
                due = f"  [$text-muted]due {format_day(a.due_on, today)}[/]" if with_due else ""
                lines.append(f"    • {escape(a.text)}{due}")
            return lines

        lines = []
        for summary in meeting.summary():
            lines.append(f"[b $primary]{escape(meeting.partner_name(summary.partner_id))}[/]")
            lines += listed("🎉 Done", summary.done)
            if summary.wins:
                lines.append("  [b]★ Wins[/b]")
                lines += [f"    • {escape(w.text)}" for w in summary.wins]
            lines += listed("Carried forward", summary.carried)
            lines += listed("Let go", summary.let_go)
            lines += listed("Actions until next time", summary.new_actions, with_due=True)
            lines += listed("Still open from before", summary.still_open, with_due=True)
            if lines[-1].startswith("[b $primary]"):
                lines.append("  [i]Nothing recorded this time.[/i]")
            lines.append("")
        next_date = meeting.next_session_date()
        lines.append(
            f"[b]Next session:[/b] {format_day(next_date, today)} "
            f"({meeting.the_partnership.cadence.label.lower()}). Press [b]f[/b] to finish."
        )
        self.query_one("#summary", Static).update("\n".join(lines))

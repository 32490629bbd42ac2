"""The term review outside a session: each partner's term, one at a time, with the same keys
to recalibrate as in a session's review phase. A look back: the review is recorded as held
(and the next one planned from it) only when it is a phase of a finished session."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from facilitator.meeting import Meeting, Update
from facilitator.ui.screens.base import MeetingScreen
from facilitator.ui.text import line, styled
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.term_review_panel import TermReviewPanel


class TermReviewScreen(MeetingScreen):
    """The term review outside a session: each partner's term, ← → to move between them.
    A look back and a recalibration; the review is recorded as held only in a session."""

    DEFAULT_CSS = """
    TermReviewScreen #term-review-bar { height: 1; background: $panel; padding: 0 1; }
    TermReviewScreen TermReviewPanel { height: 1fr; padding: 0 1; }
    TermReviewScreen TermReviewPanel RowList { min-height: 3; }
    """

    BINDINGS = [
        Binding("left", "partner(-1)", "Prev partner", priority=True, id="term_previous_partner"),
        Binding("right", "partner(1)", "Next partner", priority=True, id="term_next_partner"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, meeting: Meeting, partner_id: str | None = None) -> None:
        super().__init__(meeting)
        self._partner_id = partner_id

    def compose(self) -> ComposeResult:
        yield Static(id="term-review-bar", markup=False)
        yield TermReviewPanel(self.meeting, id="term-review")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show()

    def _partners(self) -> list[str]:
        partnership = self.meeting.partnership
        if partnership is None:
            return []
        supporters = partnership.agreement.supporters()
        ids = [p.id for p in partnership.partners]
        return [p for p in ids if p not in supporters] or ids

    def _show(self) -> None:
        partners = self._partners()
        if not partners:
            return
        if self._partner_id not in partners:
            self._partner_id = partners[0]
        index = partners.index(self._partner_id)
        name = self.meeting.partner_name(self._partner_id)
        self.query_one("#term-review-bar", Static).update(
            line(
                ("Term review", "bold"),
                " · ",
                styled(name),
                f" ({index + 1} of {len(partners)})",
            )
        )
        panel = self.query_one(TermReviewPanel)
        panel.show_turn(self._partner_id)
        panel.focus_default()
        self.refresh_bindings()

    def meeting_changed(self, update: Update) -> None:
        for notice in update.notices:
            self.notify(notice, severity="warning", markup=False, timeout=8)
        if update.after.partnership is None:
            return
        self.query_one(TermReviewPanel).redraw(update.after)
        self.refresh_bindings()

    def action_partner(self, step: int) -> None:
        partners = self._partners()
        if len(partners) < 2 or self._partner_id is None:
            return
        index = (partners.index(self._partner_id) + step) % len(partners)
        self._partner_id = partners[index]
        self._show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "partner":
            return len(self._partners()) > 1
        return True

    def action_back(self) -> None:
        self.dismiss()

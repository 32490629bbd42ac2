"""The check-in at the start of a session: short and skippable. The confidentiality agreement
in one line, and how each partner present likes to hear feedback, so everyone remembers how
to talk to each other today."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from facilitator.domain.agreement import Agreement, Direction
from facilitator.domain.state import MeetingState
from facilitator.ui.text import Part, guarded, line, lines, styled
from facilitator.ui.widgets.phase_panel import PhasePanel

SKIP_HINT = "Short and skippable: → moves on when you're ready."


def partner_line(agreement: Agreement, partner_id: str, name: str) -> Content:
    """One partner's preferences: feedback in their words, and how they update."""
    terms = agreement.terms_for(partner_id)
    parts: list[Part] = ["▸ ", styled(name, "bold")]
    if terms.supporter and agreement.direction is Direction.ONE_WAY:
        parts.append((" (supports)", "$text-muted"))
    if terms.feedback.strip():
        parts += [" likes feedback: ", styled(terms.feedback, "italic")]
    else:
        parts.append((": no feedback preference written yet", "$text-muted"))
    parts.append((f" · updates {terms.update_style.label[0].lower()}", "$text-muted"))
    parts.append((terms.update_style.label[1:], "$text-muted"))
    return line(*parts)


class CheckInPanel(PhasePanel):
    """The phase kind "checkin", taken together."""

    DEFAULT_CSS = """
    CheckInPanel #checkin-confidentiality {
        padding: 1 1 0 1; text-style: bold; color: $text-primary;
    }
    CheckInPanel #checkin-partners { padding: 1 1 0 1; }
    CheckInPanel #checkin-skip { padding: 1 1 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="checkin-heading", classes="panel-heading", markup=False)
        yield Static(id="checkin-confidentiality", markup=False)
        yield Static(id="checkin-partners", markup=False)
        yield Static(Content(SKIP_HINT), id="checkin-skip", markup=False)

    def redraw(self, state: MeetingState) -> None:
        partnership = state.partnership
        session = state.live
        if partnership is None:
            return
        agreement = partnership.agreement
        self.query_one("#checkin-heading", Static).update(
            Content.styled("Our agreement, in brief", "bold")
        )
        self.query_one("#checkin-confidentiality", Static).update(
            styled(agreement.confidentiality_line(), "bold")
        )
        present = session.present if session is not None else ()
        rows = [guarded(partner_line, agreement, pid, state.partner_name(pid)) for pid in present]
        self.query_one("#checkin-partners", Static).update(lines(rows))

    def current_item(self) -> Content | None:
        partnership = self.meeting.partnership
        if partnership is None:
            return None
        return styled(partnership.agreement.confidentiality_line())

    def focus_default(self) -> None:
        self.screen.set_focus(self)

"""The agreement's history: every version, when it was agreed, who recorded it and what changed,
with the highlighted version's terms in full."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static

from facilitator.domain.agreement import Agreement, AgreementVersion
from facilitator.domain.dates import format_day
from facilitator.domain.partnership import Cadence, cadence_words
from facilitator.domain.state import MeetingState
from facilitator.meeting import Update
from facilitator.ui.screens.base import MeetingScreen
from facilitator.ui.text import Part, guarded, line, lines, styled
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.rows import RowList
from facilitator.ui.widgets.status import SaveStatus

NOW = "now"
"""The row for the terms as they are, when no version has been recorded yet."""


def terms_lines(
    agreement: Agreement,
    cadence: Cadence,
    every_days: int | None,
    session_minutes: int,
    name_of: Callable[[str], str],
) -> list[Content]:
    """The terms in full, one line each, for reading back."""
    label = "$text-muted"
    meeting: list[Part] = [
        ("Meeting: ", label),
        f"{cadence_words(cadence, every_days)} · {session_minutes}-minute sessions",
    ]
    if agreement.usual_time():
        meeting += [" · usually ", styled(agreement.usual_time())]
    medium: list[Part] = [("Medium: ", label), agreement.medium.label]
    if agreement.link:
        medium += [" · ", styled(agreement.link)]
    initiator = (
        styled(name_of(agreement.initiator_id))
        if agreement.initiator_id
        else Content("we agree each time")
    )
    review_unit = agreement.review_unit.value
    rows = [
        line(("Confidentiality: ", label), styled(agreement.confidentiality_line())),
        line(*meeting),
        line(*medium),
        line(("Invitations sent by: ", label), initiator),
        line(("Whose goals: ", label), agreement.direction.label),
    ]
    supporters = agreement.supporters()
    for terms in agreement.terms:
        parts: list[Part] = ["  ", styled(name_of(terms.partner_id), "bold"), ": "]
        if terms.partner_id in supporters:
            parts.append("supports only · ")
        parts.append(terms.update_style.label.lower())
        if terms.feedback:
            parts += [" · feedback: ", styled(terms.feedback, "italic")]
        rows.append(line(*parts))
    rows.append(line(("Longer review: ", label), f"every {agreement.review_every} {review_unit}"))
    if agreement.agenda:
        phases = Content(" · ").join(
            [line(styled(p.title), f" {p.minutes} min") for p in agreement.agenda]
        )
        rows.append(line(("Agenda: ", label), phases))
    else:
        rows.append(line(("Agenda: ", label), "the standard agenda"))
    return rows


def version_line(version: AgreementVersion, today: date, current: bool) -> Content:
    return line(
        (format_day(version.agreed_on, today), "bold"),
        " · ",
        styled(version.by or "someone"),
        " · ",
        styled(version.changes),
        ("  (current)" if current else "", "$text-success"),
    )


class AgreementHistoryScreen(MeetingScreen):
    """Every version of the agreement, newest first."""

    DEFAULT_CSS = """
    AgreementHistoryScreen #history-bar { height: 1; background: $panel; }
    AgreementHistoryScreen #history-title { width: 1fr; padding: 0 1; color: $text; }
    AgreementHistoryScreen #history-intro { color: $text-muted; padding: 1 2 0 2; }
    AgreementHistoryScreen #versions { margin: 1 2 0 2; max-height: 12; }
    AgreementHistoryScreen #details-scroll { margin: 1 2; height: 1fr; border: round $primary; }
    AgreementHistoryScreen #details { padding: 0 1; }
    """

    BINDINGS = [Binding("escape", "back", "Back", id="back")]

    def compose(self) -> ComposeResult:
        with Horizontal(id="history-bar"):
            yield Static(id="history-title", markup=False)
            yield SaveStatus(id="save-status")
        yield Static(id="history-intro", markup=False)
        yield RowList(id="versions")
        with VerticalScroll(id="details-scroll"):
            yield Static(id="details", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._draw(self.meeting.state)
        versions = self.query_one("#versions", RowList)
        if versions.row_ids:
            self.set_focus(versions)

    def meeting_changed(self, update: Update) -> None:
        self._draw(update.after)

    def _draw(self, state: MeetingState) -> None:
        partnership = state.partnership
        if partnership is None:
            return
        today = self.meeting.today()
        self.query_one("#history-title", Static).update(
            line(("The agreement's history · ", "bold"), styled(partnership.name, "bold"))
        )
        self.query_one(SaveStatus).show(self.meeting)
        versions = list(reversed(state.agreements))
        intro = (
            "Every change keeps the earlier version with its date. ↑ ↓ choose a version; "
            "its terms are shown below."
            if versions
            else "No changes recorded yet: the agreement is as it was first set up."
        )
        self.query_one("#history-intro", Static).update(Content(intro))
        rows = [
            (v.id, guarded(version_line, v, today, index == 0)) for index, v in enumerate(versions)
        ]
        self.query_one("#versions", RowList).show_rows(rows)
        self._draw_details()

    def _version(self) -> AgreementVersion | None:
        chosen = self.query_one("#versions", RowList).highlighted_id
        return next((v for v in self.meeting.state.agreements if v.id == chosen), None)

    @on(OptionList.OptionHighlighted, "#versions")
    def _draw_details(self) -> None:
        state = self.meeting.state
        partnership = state.partnership
        if partnership is None:
            return
        version = self._version()
        if version is None:
            heading = Content.styled("As it is now", "bold")
            body = guarded(
                lambda: lines(
                    terms_lines(
                        partnership.agreement,
                        partnership.cadence,
                        partnership.every_days,
                        partnership.session_minutes,
                        state.partner_name,
                    )
                )
            )
        else:
            today = self.meeting.today()
            recorded = version.recorded_at.astimezone(partnership.zone)
            heading = line(
                ("Agreed ", "bold"),
                (format_day(version.agreed_on, today), "bold"),
                (f" · recorded at {recorded:%H:%M} by ", "$text-muted"),
                styled(version.by or "someone", "$text-muted"),
            )
            body = guarded(
                lambda: lines(
                    [
                        styled(version.changes, "italic"),
                        Content(""),
                        *terms_lines(
                            version.agreement,
                            Cadence(version.cadence),
                            version.every_days,
                            version.session_minutes,
                            state.partner_name,
                        ),
                    ]
                )
            )
        self.query_one("#details", Static).update(lines([heading, Content(""), body]))

    def action_back(self) -> None:
        self.dismiss()

"""On start-up with an unfinished session: offer to pick it up where it stopped."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from facilitator.domain.dates import format_day

if TYPE_CHECKING:
    from facilitator.ui.app import FacilitatorApp


class ResumeScreen(ModalScreen[bool]):
    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "later", "Not now", id="later")]

    def compose(self) -> ComposeResult:
        meeting = cast("FacilitatorApp", self.app).meeting
        turn = meeting.live.current_turn
        when = format_day(meeting.session_date(), meeting.today())
        with Vertical(classes="dialog"):
            yield Static("Pick up where you left off?", classes="question")
            yield Static(
                f"The session from {when} is unfinished: {turn.phase.title}, "
                f"{escape(meeting.partner_name(turn.partner_id))}'s turn. "
                "It resumes with its timer paused; everything entered so far is kept.",
                classes="detail",
            )
            with Horizontal(classes="buttons"):
                yield Button("Not now", id="later")
                yield Button("Resume the session", id="resume", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    @on(Button.Pressed, "#resume")
    def resume(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#later")
    def action_later(self) -> None:
        self.dismiss(False)

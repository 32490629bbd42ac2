"""On start-up with an unfinished session: offer to pick it up where it stopped."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from facilitator.domain.dates import format_day
from facilitator.meeting import Meeting
from facilitator.ui.screens.base import DialogScreen, OpensFocused
from facilitator.ui.text import line, styled
from facilitator.ui.widgets.keybar import KeyBar


class ResumeScreen(OpensFocused, DialogScreen[bool]):
    BINDINGS = [
        Binding("r", "resume", "Resume", id="resume"),
        Binding("escape", "later", "Not now", id="later"),
    ]
    OPENS_FOCUSED = "#resume"

    def __init__(self, meeting: Meeting) -> None:
        super().__init__()
        self.meeting = meeting

    def compose(self) -> ComposeResult:
        meeting = self.meeting
        turn = meeting.live.current_turn
        when = format_day(meeting.session_date(), meeting.today())
        running_elsewhere = bool(meeting.others) and meeting.live.timer.running
        if running_elsewhere:
            how = " It is running on another screen now: you'll join it as it is."
        else:
            how = " It resumes with its timer paused; everything entered so far is kept."
        with Vertical(classes="dialog"):
            yield Static(Content("Pick up where you left off?"), classes="question", markup=False)
            yield Static(
                line(
                    f"The session from {when} is unfinished: {turn.phase.title}, ",
                    styled(meeting.partner_name(turn.partner_id)),
                    "'s turn.",
                    how,
                ),
                classes="detail",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button("Not now", id="later")
                yield Button("Resume the session", id="resume", variant="primary")
        yield KeyBar(palette=False)

    @on(Button.Pressed, "#resume")
    def action_resume(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#later")
    def action_later(self) -> None:
        self.dismiss(False)

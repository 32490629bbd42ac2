"""The live session: the countdown, whose turn it is, and the phase being worked through."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Input, Static

from facilitator.ui.widgets.actions_panel import ActionsPanel
from facilitator.ui.widgets.countdown import Countdown
from facilitator.ui.widgets.obstacles_panel import ObstaclesPanel
from facilitator.ui.widgets.phase_panel import PhasePanel
from facilitator.ui.widgets.review_panel import ReviewPanel
from facilitator.ui.widgets.wrapup_panel import WrapUpPanel

if TYPE_CHECKING:
    from facilitator.meeting import Meeting
    from facilitator.ui.app import FacilitatorApp

TURN = Binding.Group("Turn", compact=True)
PHASE = Binding.Group("Phase", compact=True)
TICK_SECONDS = 0.25
HEARTBEAT_SECONDS = 15.0
# The session's own keys are plain letters and arrows: while a box has focus they type instead.
OFF_WHILE_TYPING = {
    "toggle_pause",
    "add_minute",
    "next_turn",
    "previous_turn",
    "next_phase",
    "previous_phase",
    "home",
    "quit",
    "finish",
}


class SessionScreen(Screen[None]):
    CSS_PATH = "session.tcss"
    BINDINGS = [
        Binding("space", "toggle_pause", "Pause", id="toggle_pause"),
        Binding("plus,equals_sign", "add_minute", "1 min", key_display="+", id="add_minute"),
        # Priority, so lists don't take the arrows for scrolling; while typing, check_action
        # turns them off and they move the cursor in the text instead.
        Binding(
            "left", "previous_turn", "Prev turn", group=TURN, priority=True, id="previous_turn"
        ),
        Binding("right", "next_turn", "Next turn", group=TURN, priority=True, id="next_turn"),
        Binding(
            "shift+left",
            "previous_phase",
            "Prev phase",
            key_display="⇧←",
            group=PHASE,
            priority=True,
            id="previous_phase",
        ),
        Binding(
            "shift+right",
            "next_phase",
            "Next phase",
            key_display="⇧→",
            group=PHASE,
            priority=True,
            id="next_phase",
        ),
        Binding("f", "finish", "Finish", id="finish"),
        Binding("escape", "home", "Home", id="home"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    @property
    def meeting(self) -> Meeting:
        return cast("FacilitatorApp", self.app).meeting

    def compose(self) -> ComposeResult:
        yield Static(id="session-title")
        yield Countdown(id="countdown")
        yield Static(id="prompt")
        with ContentSwitcher(id="phases", initial="review"):
            yield ReviewPanel(id="review")
            yield ObstaclesPanel(id="obstacles")
            yield ActionsPanel(id="actions")
            yield WrapUpPanel(id="wrapup")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self._shown_turn: int | None = None
        self.show_turn()
        self.set_interval(TICK_SECONDS, self.refresh_timer)
        self.set_interval(HEARTBEAT_SECONDS, self.heartbeat)

    def on_screen_resume(self) -> None:
        if self.meeting.session is not None:
            self.refresh_timer()

    # Drawing -------------------------------------------------------------------------------------

    def show_turn(self) -> None:
        """Draw the current turn: title, prompt, and the phase's panel for its partner."""
        meeting = self.meeting
        session = meeting.live
        turn = session.current_turn
        phase_count = len(session.agenda)
        self.query_one("#session-title", Static).update(
            f"[b]{escape(meeting.the_partnership.name)}[/b] · session of "
            f"{meeting.session_date():%a %d %b} · phase {turn.phase_index + 1} of {phase_count}"
        )
        self.query_one("#prompt", Static).update(f"[i]{turn.phase.prompt}[/i]")
        switcher = self.query_one("#phases", ContentSwitcher)
        switcher.current = turn.phase.key  # each panel's id is its phase's key
        panel = self.current_panel()
        panel.show_turn(turn.partner_id)
        if self._shown_turn != turn.index:
            panel.focus_default()
        self._shown_turn = turn.index
        self.refresh_timer()
        self.refresh_bindings()

    def refresh_timer(self) -> None:
        meeting = self.meeting
        if meeting.session is None:
            return
        session = meeting.live
        turn = session.current_turn
        if turn.partner_id is None:
            whose = "Everyone together"
        else:
            whose = f"{escape(meeting.partner_name(turn.partner_id))}'s turn"
            if turn.of > 1:
                whose += f" ({turn.number} of {turn.of})"
        minutes = turn.phase.seconds // 60
        self.query_one(Countdown).show(
            session.reading(meeting.clock()),
            turn.index,
            f"[b]{whose}[/b]",
            f"{turn.phase.title} · {minutes} min for the phase",
        )

    def heartbeat(self) -> None:
        """While the clock runs, store it now and then: a crash loses at most these seconds."""
        session = self.meeting.session
        if session is not None and session.timer.running:
            self.meeting.touch()

    @on(Countdown.Expired)
    def times_up(self) -> None:
        self.app.bell()

    # Keys ----------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in OFF_WHILE_TYPING and isinstance(self.focused, Input):
            return False  # while typing, keys type; Escape leaves the box first
        if action == "finish":
            return self.meeting.session is not None and self.meeting.live.is_last_turn
        return True

    def current_panel(self) -> PhasePanel:
        return self.query_one(f"#{self.meeting.turn.phase.key}", PhasePanel)

    def save_unsent(self) -> None:
        """Keep anything typed but not yet entered before leaving this turn."""
        if self.meeting.session is not None:
            self.current_panel().save_unsent()

    def _move(self, step: str) -> None:
        self.save_unsent()
        getattr(self.meeting, step)()
        self.show_turn()

    def action_toggle_pause(self) -> None:
        self.meeting.toggle_pause()
        self.refresh_timer()

    def action_add_minute(self) -> None:
        self.meeting.add_minute()
        self.refresh_timer()
        self.notify("One more minute for this turn.", timeout=2)

    def action_next_turn(self) -> None:
        self._move("next_turn")

    def action_previous_turn(self) -> None:
        self._move("previous_turn")

    def action_next_phase(self) -> None:
        self._move("next_phase")

    def action_previous_phase(self) -> None:
        self._move("previous_phase")

    def action_home(self) -> None:
        """Back to home; the session waits, paused, to be resumed."""
        self.save_unsent()
        self.meeting.pause_for_quit()
        self.dismiss()

    def action_finish(self) -> None:
        from facilitator.ui.screens.confirm import ConfirmScreen

        def answered(finish: bool | None) -> None:
            if finish:
                next_date = self.meeting.finish_session()
                self.dismiss()
                self.notify(
                    f"Session saved. Next session: {next_date:%a %d %b}.", title="Well done, both"
                )

        self.app.push_screen(
            ConfirmScreen(
                "Finish the session?",
                "It is stored as finished; its actions come back at the start of the next one.",
                yes="Finish",
            ),
            answered,
        )

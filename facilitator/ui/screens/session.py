"""The live session: the countdown, whose turn it is, and the phase being worked through."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input, Static

from facilitator.domain.agenda import PhaseKind
from facilitator.domain.dates import format_day
from facilitator.domain.session import Session
from facilitator.meeting import Meeting, Update
from facilitator.ui.screens.base import MeetingScreen
from facilitator.ui.settings import Preferences
from facilitator.ui.text import line, shown, styled
from facilitator.ui.widgets.actions_panel import ActionsPanel
from facilitator.ui.widgets.checkin_panel import CheckInPanel
from facilitator.ui.widgets.countdown import Countdown
from facilitator.ui.widgets.discussion_panel import DiscussionPanel
from facilitator.ui.widgets.goals_panel import GoalsPanel
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.obstacles_panel import ObstaclesPanel
from facilitator.ui.widgets.phase_panel import PhasePanel
from facilitator.ui.widgets.review_panel import ReviewPanel
from facilitator.ui.widgets.status import SaveStatus
from facilitator.ui.widgets.term_review_panel import TermReviewPanel
from facilitator.ui.widgets.vision_panel import VisionPanel
from facilitator.ui.widgets.wrapup_panel import WrapUpPanel

TURN = Binding.Group("Turn", compact=True)
PHASE = Binding.Group("Phase", compact=True)
HEARTBEAT_SECONDS = 15.0
PANELS: dict[PhaseKind, type[PhasePanel]] = {
    PhaseKind.CHECKIN: CheckInPanel,
    PhaseKind.DISCUSSION: DiscussionPanel,
    PhaseKind.VISION: VisionPanel,
    PhaseKind.GOALS: GoalsPanel,
    PhaseKind.TERM_REVIEW: TermReviewPanel,
    PhaseKind.REVIEW: ReviewPanel,
    PhaseKind.OBSTACLES: ObstaclesPanel,
    PhaseKind.ACTIONS: ActionsPanel,
    PhaseKind.WRAPUP: WrapUpPanel,
}
# The session's own keys are plain letters and arrows: while a box has focus they type instead.
OFF_WHILE_TYPING = {
    "pause",
    "resume",
    "add_minute",
    "next_turn",
    "previous_turn",
    "next_phase",
    "previous_phase",
    "home",
    "finish",
}


SESSION_KEYS_IN_FOCUS = {
    "pause",
    "resume",
    "add_minute",
    "next_turn",
    "previous_turn",
    "next_phase",
    "previous_phase",
    "focus_mode",
    "finish",
}


def group_word(count: int) -> str:
    return "both" if count == 2 else "everyone" if count > 2 else "you"


class SessionScreen(MeetingScreen):
    STYLE_FILE = "screens/session.tcss"
    BINDINGS = [
        # One key, two bindings: the footer says what space does now (only one is enabled).
        Binding("space", "pause", "Pause", id="pause"),
        Binding("space", "resume", "Resume", id="resume"),
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
        Binding("z", "focus_mode", "Focus", id="focus_mode"),
        Binding("escape", "home", "Home", id="home"),
    ]

    def __init__(self, meeting: Meeting, preferences: Preferences) -> None:
        super().__init__(meeting)
        self.preferences = preferences
        self.focus_mode = preferences.settings.focus_mode
        self._session_id = meeting.live.id
        self._shown_turn: int | None = None
        self._tick: Timer | None = None
        self._tick_key: tuple[object, ...] | None = None
        self._words: tuple[tuple[object, ...], tuple[Content, Content, str]] | None = None
        self._finishing_here = False
        self._left = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="session-bar"):
            yield Static(id="session-title", markup=False)
            yield SaveStatus(id="save-status")
        yield Static(id="activity", markup=False)
        yield Countdown(id="countdown")
        yield Static(id="prompt", markup=False)
        yield Static(id="current-item", markup=False)
        with ContentSwitcher(id="phases"):
            # A panel for each kind of phase on this session's agenda, and no others.
            for kind in dict.fromkeys(phase.kind for phase in self.meeting.live.agenda):
                yield PANELS[kind](self.meeting, id=kind.value)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#activity", Static).display = False
        self.set_class(self.focus_mode, "-focus")
        self._fit()
        self.show_turn()
        self.set_interval(HEARTBEAT_SECONDS, self.meeting.heartbeat)

    # Drawing ----------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        size = self.app.size
        self.query_one(Countdown).fit(size.width, size.height, focus=self.focus_mode)

    def action_focus_mode(self) -> None:
        """Only what the other partner needs, large; the same key brings the rest back.
        Remembered for this person."""
        self.focus_mode = not self.focus_mode
        self.set_class(self.focus_mode, "-focus")
        self._fit()
        self._draw_current_item()
        if self.focus_mode:
            self.set_focus(None)
        else:
            self.current_panel().focus_default()
        problem = self.preferences.change(focus_mode=self.focus_mode)
        if problem:
            self.notify(problem, severity="warning", markup=False)
        self.refresh_bindings()

    def _draw_current_item(self) -> None:
        if not self.focus_mode or self.session is None:
            return
        item = self.current_panel().current_item()
        box = self.query_one("#current-item", Static)
        box.update(item if item is not None else Content(""))

    @property
    def session(self) -> Session | None:
        session = self.meeting.session
        return session if session is not None and session.id == self._session_id else None

    def current_panel(self) -> PhasePanel:
        session = self.meeting.live
        return self.query_one(f"#{session.current_turn.phase.kind.value}", PhasePanel)

    def show_turn(self) -> None:
        """Draw the current turn: title, prompt, and the phase's panel for its partner."""
        session = self.meeting.live
        turn = session.current_turn
        self._draw_title()
        self.query_one("#prompt", Static).update(Content.styled(turn.phase.prompt, "italic"))
        switcher = self.query_one("#phases", ContentSwitcher)
        switcher.current = turn.phase.kind.value
        panel = self.current_panel()
        panel.show_turn(turn.partner_id)
        if self._shown_turn != turn.index and not self.focus_mode:
            panel.focus_default()
        self._shown_turn = turn.index
        self.refresh_timer()
        self._draw_current_item()
        self.refresh_bindings()

    def _draw_title(self) -> None:
        meeting = self.meeting
        session = meeting.live
        turn = session.current_turn
        day = format_day(meeting.session_date(), meeting.today())
        self.query_one("#session-title", Static).update(
            line(
                styled(meeting.the_partnership.name, "bold"),
                f" · session of {day} · phase {turn.phase_index + 1} of {len(session.agenda)}",
            )
        )
        self.query_one(SaveStatus).show(meeting)

    def _turn_words(self, session: Session) -> tuple[Content, Content, str]:
        """Whose turn and the phase, in words (made once per turn, not every second)."""
        turn = session.current_turn
        key = (turn.index, session.present, self.meeting.partner_name(turn.partner_id))
        if self._words is not None and self._words[0] == key:
            return self._words[1]
        meeting = self.meeting
        if turn.partner_id is None:
            whose = Content.styled(
                f"{group_word(len(session.present)).capitalize()} together", "bold"
            )
        else:
            whose = line(styled(meeting.partner_name(turn.partner_id), "bold"), ("'s turn", "bold"))
            if turn.of > 1:
                whose = line(whose, f" ({turn.number} of {turn.of})")
        minutes = turn.phase.seconds // 60
        phase = Content(f"{turn.phase.title} · {minutes} min for the phase")
        name = shown(meeting.partner_name(turn.partner_id)) if turn.partner_id else "Together"
        self._words = (key, (whose, phase, name))
        return whose, phase, name

    def refresh_timer(self) -> None:
        """Draw the countdown now. While the clock runs, one timer wakes as each second on
        show goes by (set again only when the clock is paused, moved or extended); a paused
        clock costs nothing."""
        session = self.session
        if session is None:
            return
        whose, phase, name = self._turn_words(session)
        turn = session.current_turn
        reading = session.reading(self.meeting.now())
        self.query_one(Countdown).show(reading, turn.index, whose, phase, name=name)
        timer = session.timer
        key = (turn.index, timer.running_since, timer.extra[turn.index], timer.elapsed[turn.index])
        if not reading.running:
            self._stop_ticking()
        elif key != self._tick_key:
            self._stop_ticking()
            self._tick_key = key
            fraction = reading.left % 1.0
            self._tick = self.set_timer(
                (fraction if fraction > 0.02 else 1.0) + 0.01, self._every_second
            )

    def _every_second(self) -> None:
        footing = self._tick_key
        self.refresh_timer()
        if self._tick_key is not None and self._tick_key == footing:
            # Still running on the same footing (had it changed, refresh_timer has set a
            # new first tick already): one tick a second from here.
            self._tick = self.set_interval(1.0, self.refresh_timer)

    def _stop_ticking(self) -> None:
        if self._tick is not None:
            self._tick.stop()
        self._tick = None
        self._tick_key = None

    @on(Countdown.Expired)
    def times_up(self) -> None:
        self.app.bell()

    # What the meeting says ----------------------------------------------------------------

    def meeting_changed(self, update: Update) -> None:
        if self._left:
            return
        for notice in update.notices:
            self.notify(notice, severity="warning", markup=False, timeout=8)
        for note in update.activity:
            if note.to and note.to == self.meeting.author.client:
                self.notify(f"{note.label} {note.text}.", severity="warning", markup=False)
            self._show_activity(note.label, note.text)
        if self.session is None:
            self._session_ended(update)
            return
        turn = self.meeting.live.current_turn
        if turn.index != self._shown_turn:
            if self._shown_turn is not None:
                self.query_one(f"#{self._shown_kind()}", PhasePanel).leave_turn()
            self.show_turn()
            return
        panel = self.current_panel()
        panel.redraw(update.after)
        self._draw_current_item()
        focused = self.focused
        if self.focus_mode:
            pass  # nothing to type in focus mode; keys are the session's own
        elif focused is None or not focused.display:
            self.set_focus(panel)  # the list it was on emptied: its keys (u) still work
        self._draw_title()
        self.refresh_timer()
        self.refresh_bindings()

    def _shown_kind(self) -> str:
        return str(self.query_one("#phases", ContentSwitcher).current)

    def _show_activity(self, label: str, text: str) -> None:
        activity = self.query_one("#activity", Static)
        activity.update(line(styled(label, "bold"), ": ", styled(text)))
        activity.display = True

    def _session_ended(self, update: Update) -> None:
        """Finished here, or on another screen: either way, back home with nothing lost."""
        self._left = True
        self._stop_ticking()
        if not self._finishing_here:
            panel = self.query_one(f"#{self._shown_kind()}", PhasePanel)
            panel.keep_draft()
            self.notify(
                "The session was finished on another screen. Anything you had typed is kept "
                "in its box for next time.",
                title="Session finished",
                markup=False,
                timeout=10,
            )
        self.dismiss()

    # Keys -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in OFF_WHILE_TYPING and isinstance(self.focused, Input):
            return False  # while typing, keys type; Escape leaves the box first
        session = self.session
        if session is None:
            return False
        if action == "finish":
            return session.is_last_turn
        if action in ("pause", "resume") and session.timer.running != (action == "pause"):
            return False
        return not self.focus_mode or action in SESSION_KEYS_IN_FOCUS

    def keep_drafts(self) -> None:
        """Keep anything typed in this turn's box as a draft (quitting, hanging up)."""
        if self.session is not None and not self._left:
            self.current_panel().keep_draft()

    def _move(self, step: str) -> None:
        self.current_panel().leave_turn()
        getattr(self.meeting, step)()

    def action_pause(self) -> None:
        self.meeting.pause()

    def action_resume(self) -> None:
        self.meeting.resume()

    def action_add_minute(self) -> None:
        self.meeting.add_minute()
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
        """Back to home, after a yes (Escape also leaves a text box, so a second Escape
        would otherwise leave the meeting by surprise); the session waits, paused."""
        from facilitator.ui.screens.confirm import ConfirmScreen

        def answered(leave: bool | None) -> None:
            if leave and self.session is not None:
                self.keep_drafts()
                self.meeting.pause_for_quit()
                self._left = True
                self.dismiss()

        self.app.push_screen(
            ConfirmScreen(
                "Leave the session for now?",
                "It waits, with its clock paused, until you resume it from home (r).",
                yes="Leave for home",
                no="Stay",
            ),
            answered,
        )

    def action_finish(self) -> None:
        from facilitator.ui.screens.confirm import ConfirmScreen

        def answered(finish: bool | None) -> None:
            if not finish or self.session is None:
                return
            self._finishing_here = True
            count = len(self.meeting.live.present)
            next_date = self.meeting.finish_session()
            self.notify(
                f"Session saved. Next session: {format_day(next_date, self.meeting.today())}.",
                title=f"Well done, {group_word(count)}!",
                markup=False,
            )

        self.app.push_screen(
            ConfirmScreen(
                "Finish the session?",
                "It is stored as finished; its actions come back at the start of the next one.",
                yes="Finish",
            ),
            answered,
        )

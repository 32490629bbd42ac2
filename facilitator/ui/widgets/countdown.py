"""The big countdown for the current turn, with whose turn it is and how the session runs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Digits, Static

from facilitator.domain.timer import TimerReading

ON_PLAN_SECONDS = 30


def clock_face(seconds: float) -> str:
    """MM:SS (or H:MM:SS) for the Digits widget."""
    whole = int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def time_left(reading: TimerReading) -> float:
    # Round up so the face shows 00:01 until the last second is gone, then 00:00 and time's up.
    return float(int(reading.left) + (1 if reading.left % 1 else 0)) if reading.left > 0 else 0.0


def plan_words(delta: float) -> str:
    if abs(delta) < ON_PLAN_SECONDS:
        return "On plan"
    minutes = max(1, round(abs(delta) / 60))
    return f"{minutes} min {'behind' if delta > 0 else 'ahead of'} plan"


class Countdown(Horizontal):
    """Reports, never decides: it posts `Expired` when the turn's time runs out."""

    DEFAULT_CSS = """
    Countdown { height: auto; }
    Countdown > Digits { width: auto; min-width: 20; padding: 0 2; }
    Countdown > .countdown--about { width: 1fr; height: auto; padding: 0 1; }
    """

    class Expired(Message):
        """The current turn's time just ran out."""

        def __init__(self, turn_index: int) -> None:
            super().__init__()
            self.turn_index = turn_index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._last: tuple[int, float] | None = None

    def compose(self) -> ComposeResult:
        yield Digits("00:00")
        with Vertical(classes="countdown--about"):
            yield Static(id="countdown-turn")
            yield Static(id="countdown-phase")
            yield Static(id="countdown-status")

    def show(self, reading: TimerReading, turn_index: int, turn: str, phase: str) -> None:
        """Draw a timer reading; post `Expired` if this reading crossed zero."""
        overtime = reading.times_up
        face = f"+{clock_face(reading.overtime)}" if overtime else clock_face(time_left(reading))
        self.query_one(Digits).update(face)
        self.query_one("#countdown-turn", Static).update(turn)
        self.query_one("#countdown-phase", Static).update(phase)
        if overtime:
            status = f"Time's up · {clock_face(reading.overtime)} over"
        elif not reading.running:
            status = "Paused"
        else:
            status = f"{clock_face(time_left(reading))} left in this turn"
        status += f" · {plan_words(reading.plan_delta)}"
        self.query_one("#countdown-status", Static).update(status)
        self.set_class(reading.warning, "-warning")
        self.set_class(overtime, "-overtime")
        self.set_class(not reading.running, "-paused")
        last = self._last
        self._last = (turn_index, reading.left)
        # Ring once, when the time is seen running out: not again on every tick after, and
        # not when a turn already over time is opened again.
        if overtime and last is not None and last[0] == turn_index and last[1] > 0:
            self.post_message(self.Expired(turn_index))

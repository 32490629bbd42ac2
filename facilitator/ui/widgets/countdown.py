"""The big countdown for the current turn, with whose turn it is and how the session runs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
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


def face_and_status(reading: TimerReading) -> tuple[str, str]:
    """What the digits show, and the words beside them: the state in words, not only colour."""
    if reading.times_up:
        over = clock_face(reading.overtime)
        face, status = f"+{over}", f"Time's up · {over} over"
    else:
        left = clock_face(time_left(reading))
        face = left
        if not reading.running:
            status = f"Paused · {left} left"
        elif reading.warning:
            status = f"Under 1 min left · {left}"
        else:
            status = f"{left} left in this turn"
    return face, f"{status} · {plan_words(reading.plan_delta)}"


class Countdown(Horizontal):
    """Reports, never decides: it posts `Expired` when the turn's time runs out. Draws only
    what changed since the last reading."""

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
        self._drawn: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        yield Digits("00:00")
        with Vertical(classes="countdown--about"):
            yield Static(id="countdown-turn", markup=False)
            yield Static(id="countdown-phase", markup=False)
            yield Static(id="countdown-status", markup=False)

    def _draw(self, key: str, value: object, apply: object) -> None:
        if self._drawn.get(key) != value:
            self._drawn[key] = value
            apply()  # type: ignore[operator]

    def show(self, reading: TimerReading, turn_index: int, turn: Content, phase: Content) -> None:
        """Draw a timer reading; post `Expired` if this reading crossed zero."""
        face, status = face_and_status(reading)
        self._draw("face", face, lambda: self.query_one(Digits).update(face))
        self._draw("turn", turn, lambda: self.query_one("#countdown-turn", Static).update(turn))
        self._draw("phase", phase, lambda: self.query_one("#countdown-phase", Static).update(phase))
        self._draw(
            "status",
            status,
            lambda: self.query_one("#countdown-status", Static).update(Content(status)),
        )
        state = (reading.warning, reading.times_up, not reading.running)
        self._draw("state", state, lambda: self._set_state(*state))
        last = self._last
        self._last = (turn_index, reading.left)
        # Ring once, when the time is seen running out: not again on every tick after, and
        # not when a turn already over time is opened again.
        if reading.times_up and last is not None and last[0] == turn_index and last[1] > 0:
            self.post_message(self.Expired(turn_index))

    def _set_state(self, warning: bool, overtime: bool, paused: bool) -> None:
        self.set_class(warning, "-warning")
        self.set_class(overtime, "-overtime")
        self.set_class(paused, "-paused")

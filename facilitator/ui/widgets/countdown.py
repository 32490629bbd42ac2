"""The countdown for the current turn, with whose turn it is and how the session runs.

At 80x24 it is Textual's three-row Digits beside three lines of text. In a larger window
(and in focus mode) the digits are drawn in block type scaled to the space, and the name of
whoever has the turn in block letters too, so both read from across the room through a
video call. Every state (paused, under a minute, time's up) is said in words and shown by
the border's style, not by colour alone.
"""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Digits, Static

from facilitator.domain.timer import TimerReading
from facilitator.ui.bigtext import CRISP_HEIGHTS, big_digits, big_words, digits_width

ON_PLAN_SECONDS = 30
BIG_FROM = (110, 34)
"""The smallest window (columns, rows) that gets block type."""


def clock_face(seconds: float) -> str:
    """MM:SS (or H:MM:SS) for the digits."""
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
    # The words change by the minute (the digits carry the seconds), so a running clock
    # redraws one small widget a second, not the line of words beside it.
    if reading.times_up:
        over = clock_face(reading.overtime)
        minutes_over = int(reading.overtime // 60)
        face = f"+{over}"
        status = "Time's up" + (f" · {minutes_over} min over" if minutes_over else "")
    else:
        face = clock_face(time_left(reading))
        minutes = math.ceil(reading.left / 60)
        if not reading.running:
            status = f"Paused · {face} left"
        elif reading.warning:
            status = "Under 1 min left"
        else:
            status = f"{minutes} min left in this turn"
    return face, f"{status} · {plan_words(reading.plan_delta)}"


def digit_height(width: int, height: int, *, focus: bool) -> int:
    """Rows for block digits in a window this size; 0 for Textual's three-row Digits."""
    if focus:
        rows = height - 14  # the name, the words, the prompt and borders below
    elif width < BIG_FROM[0] or height < BIG_FROM[1]:
        return 0
    else:
        rows = height // 5
    share = 0.9 if focus else 0.5  # of the width, leaving room for the name beside
    for crisp in CRISP_HEIGHTS:
        if crisp <= rows and digits_width("00:00", crisp) <= width * share:
            return crisp
    return 0


class Countdown(Horizontal):
    """Reports, never decides: it posts `Expired` when the turn's time runs out. Draws only
    what changed since the last reading."""

    DEFAULT_CSS = """
    Countdown { height: auto; }
    Countdown > Digits { width: auto; min-width: 20; padding: 0 2; }
    Countdown > #big-digits { width: auto; height: auto; padding: 0 2; display: none; }
    Countdown > .countdown--about { width: 1fr; height: auto; padding: 0 1; }
    Countdown #countdown-turn, Countdown #countdown-phase, Countdown #countdown-status {
        height: 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    Countdown #big-name { height: auto; display: none; text-style: bold; }
    Countdown.-big > Digits { display: none; }
    Countdown.-big > #big-digits { display: block; }
    Countdown.-big #big-name.-fits { display: block; }
    Countdown.-big #countdown-turn { text-style: bold; }
    Countdown.-stacked { layout: vertical; }
    Countdown.-stacked > #big-digits { width: 100%; content-align: center middle; }
    Countdown.-stacked > .countdown--about { width: 100%; }
    Countdown.-stacked #big-name, Countdown.-stacked Static { width: 100%; text-align: center; }
    """

    class Expired(Message):
        """The current turn's time just ran out."""

        def __init__(self, turn_index: int) -> None:
            super().__init__()
            self.turn_index = turn_index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._last_reading: tuple[int, float] | None = None
        self._drawn_parts: dict[str, object] = {}
        self._digit_rows = 0
        self._is_stacked = False
        self._turn_name: str = ""
        self._shown_face: str = "00:00"

    def compose(self) -> ComposeResult:
        yield Digits("00:00")
        yield Static(id="big-digits", markup=False)
        with Vertical(classes="countdown--about"):
            yield Static(id="big-name", markup=False)
            yield Static(id="countdown-turn", markup=False)
            yield Static(id="countdown-phase", markup=False)
            yield Static(id="countdown-status", markup=False)

    def fit(self, width: int, height: int, *, focus: bool) -> None:
        """Choose the size of type for a window of this size (and focus mode or not)."""
        rows = digit_height(width, height, focus=focus)
        stacked = focus and rows > 0
        if rows == self._digit_rows and stacked == self._is_stacked:
            return
        self._digit_rows, self._is_stacked = rows, stacked
        self.set_class(rows > 0, "-big")
        self.set_class(stacked, "-stacked")
        self._drawn_parts.pop("face", None)
        self._drawn_parts.pop("name", None)
        self._draw_face(self._shown_face)
        self._draw_name(self._turn_name)

    def on_resize(self) -> None:
        self._drawn_parts.pop("name", None)  # block letters may fit now, or no longer
        self._draw_name(self._turn_name)

    def _draw(self, key: str, value: object, apply: object) -> None:
        if self._drawn_parts.get(key) != value:
            self._drawn_parts[key] = value
            apply()  # type: ignore[operator]

    def _draw_face(self, face: str) -> None:
        self._shown_face = face
        if self._digit_rows:
            rows = big_digits(face, self._digit_rows)
            self._draw(
                "face",
                (face, self._digit_rows),
                lambda: self.query_one("#big-digits", Static).update(Content("\n".join(rows))),
            )
        else:
            self._draw("face", (face, 0), lambda: self.query_one(Digits).update(face))

    def _draw_name(self, name: str) -> None:
        """The name of whoever has the turn, in block letters when there is room."""
        self._turn_name = name
        box = self.query_one("#big-name", Static)
        width = self.size.width or 80
        room = width - (0 if self._is_stacked else digits_width("00:00", self._digit_rows) + 8)
        rows = big_words(name, room) if self._digit_rows and name else None
        key = (name, self._digit_rows, rows is not None, width)
        if self._drawn_parts.get("name") == key:
            return
        self._drawn_parts["name"] = key
        box.set_class(rows is not None, "-fits")
        box.update(Content("\n".join(rows)) if rows else Content(""))

    def show(
        self,
        reading: TimerReading,
        turn_index: int,
        turn: Content,
        phase: Content,
        *,
        name: str = "",
    ) -> None:
        """Draw a timer reading; post `Expired` if this reading crossed zero. `name` is the
        plain name of whoever has the turn, for block letters."""
        face, status = face_and_status(reading)
        self._draw_face(face)
        self._draw_name(name)
        # One line each, fixed height: new words never change the layout, so it isn't
        # worked out again every second.
        for key, value, widget_id in (
            ("turn", turn, "#countdown-turn"),
            ("phase", phase, "#countdown-phase"),
            ("status", Content(status), "#countdown-status"),
        ):
            self._draw(
                key,
                value,
                lambda w=widget_id, v=value: self.query_one(w, Static).update(v, layout=False),
            )
        state = (reading.warning, reading.times_up, not reading.running)
        self._draw("state", state, lambda: self._set_state(*state))
        last = self._last_reading
        self._last_reading = (turn_index, reading.left)
        # Ring once, when the time is seen running out: not again on every tick after, and
        # not when a turn already over time is opened again.
        if reading.times_up and last is not None and last[0] == turn_index and last[1] > 0:
            self.post_message(self.Expired(turn_index))

    def _set_state(self, warning: bool, overtime: bool, paused: bool) -> None:
        self.set_class(warning, "-warning")
        self.set_class(overtime, "-overtime")
        self.set_class(paused, "-paused")

"""Timer maths for a session's turns, computed from stored timestamps, never from ticks.

The state is what was stored: the seconds already spent in each turn, when the running turn
was (re)started, and any minutes added. Any process, at any time, computes the same time left.
A timer is a value: every change returns a new timer, so a shared snapshot never changes.
"""

from __future__ import annotations

from dataclasses import field, replace
from datetime import datetime

from facilitator.domain.record import record

WARNING_SECONDS = 60
EXTENSION_SECONDS = 60


@record
class TimerReading:
    left: float
    """Seconds left in the current turn; negative once the turn is over time."""
    running: bool
    plan_delta: float
    """Seconds the whole session is behind plan (positive) or ahead of it (negative)."""
    warn_from: float = WARNING_SECONDS
    """Seconds left at which the warning starts (sooner in a short turn, see `reading`)."""

    @property
    def times_up(self) -> bool:
        return self.left <= 0

    @property
    def warning(self) -> bool:
        return 0 < self.left <= self.warn_from

    @property
    def overtime(self) -> float:
        return max(0.0, -self.left)


@record
class TurnTimer:
    allotted: tuple[int, ...]
    """Planned seconds for each turn, in agenda order."""
    current: int = 0
    elapsed: tuple[float, ...] = field(default_factory=tuple)
    """Seconds spent in each turn before the current run began."""
    extra: tuple[int, ...] = field(default_factory=tuple)
    """Seconds added to each turn ("add a minute")."""
    running_since: datetime | None = None

    def __post_init__(self) -> None:
        if not self.allotted:
            raise ValueError("a timer needs at least one turn")
        count = len(self.allotted)
        object.__setattr__(self, "allotted", tuple(self.allotted))
        object.__setattr__(self, "elapsed", (tuple(self.elapsed) + (0.0,) * count)[:count])
        object.__setattr__(self, "extra", (tuple(self.extra) + (0,) * count)[:count])
        object.__setattr__(self, "current", min(max(self.current, 0), count - 1))

    @property
    def running(self) -> bool:
        return self.running_since is not None

    def spent(self, turn: int, now: datetime) -> float:
        """Seconds spent in `turn` so far, including the current run."""
        seconds = self.elapsed[turn]
        if turn == self.current and self.running_since is not None:
            seconds += max(0.0, (now - self.running_since).total_seconds())
        return seconds

    def left(self, now: datetime) -> float:
        turn = self.current
        return self.allotted[turn] + self.extra[turn] - self.spent(turn, now)

    def plan_delta(self, now: datetime) -> float:
        """How far behind (+) or ahead (-) of the planned agenda the session is.

        Finished turns count what they over- or under-ran; the current turn and any turn
        visited after it count only once they run over, since their time isn't used up yet.
        """
        delta = 0.0
        for turn, planned in enumerate(self.allotted):
            spent = self.spent(turn, now)
            if turn < self.current:
                delta += spent - planned
            else:
                delta += max(0.0, spent - planned)
        return delta

    def reading(self, now: datetime) -> TimerReading:
        # The last minute is a warning, but a turn only a minute or two long (a check-in)
        # isn't in warning from its start: there it is the last quarter.
        turn = self.current
        length = self.allotted[turn] + self.extra[turn]
        return TimerReading(
            left=self.left(now),
            running=self.running,
            plan_delta=self.plan_delta(now),
            warn_from=min(WARNING_SECONDS, length / 4),
        )

    def start(self, now: datetime) -> TurnTimer:
        if self.running_since is not None:
            return self
        return replace(self, running_since=now)

    def pause(self, now: datetime) -> TurnTimer:
        if self.running_since is None:
            return self
        elapsed = list(self.elapsed)
        elapsed[self.current] = self.spent(self.current, now)
        return replace(self, elapsed=tuple(elapsed), running_since=None)

    def toggle(self, now: datetime) -> TurnTimer:
        return self.pause(now) if self.running else self.start(now)

    def extend(self, seconds: int = EXTENSION_SECONDS) -> TurnTimer:
        extra = list(self.extra)
        extra[self.current] += seconds
        return replace(self, extra=tuple(extra))

    def go_to(self, turn: int, now: datetime) -> TurnTimer:
        """Move to another turn; the clock keeps running if it was."""
        turn = min(max(turn, 0), len(self.allotted) - 1)
        if turn == self.current:
            return self
        paused = self.pause(now)
        moved = replace(paused, current=turn)
        return moved.start(now) if self.running else moved

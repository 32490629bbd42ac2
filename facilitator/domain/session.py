"""A live session: who is here, the agenda's turns, the timer, and moving through them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from facilitator.domain.agenda import Phase, default_agenda
from facilitator.domain.ids import new_id
from facilitator.domain.partnership import Partnership
from facilitator.domain.timer import TimerReading, TurnTimer


@dataclass(frozen=True)
class Turn:
    index: int
    phase_index: int
    phase: Phase
    partner_id: str | None
    """Whose turn it is; None for a phase the group takes together."""
    number: int
    """1-based position of this turn within its phase."""
    of: int


def plan_turns(agenda: list[Phase], present: list[str]) -> list[Turn]:
    """Split each phase into turns: one per partner present, or one for the group."""
    turns: list[Turn] = []
    for phase_index, phase in enumerate(agenda):
        owners: list[str | None] = list(present) if phase.per_partner else [None]
        for number, partner_id in enumerate(owners, start=1):
            turns.append(Turn(len(turns), phase_index, phase, partner_id, number, len(owners)))
    return turns


def turn_allotments(agenda: list[Phase], present: list[str]) -> list[int]:
    """Each turn's share of its phase's timebox, in whole seconds."""
    return [turn.phase.seconds // turn.of for turn in plan_turns(agenda, present)]


@dataclass
class Session:
    partnership_id: str
    started_at: datetime
    present: list[str]
    agenda: list[Phase]
    timer: TurnTimer
    finished_at: datetime | None = None
    seen_at: datetime | None = None
    """The last moment this session was stored while in use."""
    id: str = field(default_factory=new_id)

    @classmethod
    def begin(cls, partnership: Partnership, present: list[str], now: datetime) -> Session:
        """Start a session with the partners present, its clock running."""
        order = [p.id for p in partnership.partners if p.id in present]
        if not order:
            raise ValueError("a session needs at least one partner present")
        agenda = default_agenda(partnership.session_minutes)
        timer = TurnTimer(allotted=turn_allotments(agenda, order))
        timer.start(now)
        return cls(
            partnership_id=partnership.id,
            started_at=now,
            present=order,
            agenda=agenda,
            timer=timer,
        )

    @property
    def turns(self) -> list[Turn]:
        return plan_turns(self.agenda, self.present)

    @property
    def current_turn(self) -> Turn:
        return self.turns[self.timer.current]

    @property
    def is_last_turn(self) -> bool:
        return self.timer.current == len(self.timer.allotted) - 1

    def reading(self, now: datetime) -> TimerReading:
        return self.timer.reading(now)

    def next_turn(self, now: datetime) -> None:
        self.timer.go_to(self.timer.current + 1, now)

    def previous_turn(self, now: datetime) -> None:
        self.timer.go_to(self.timer.current - 1, now)

    def next_phase(self, now: datetime) -> None:
        """To the first turn of the next phase (the last phase stays put)."""
        phase = self.current_turn.phase_index
        for turn in self.turns:
            if turn.phase_index > phase:
                self.timer.go_to(turn.index, now)
                return

    def previous_phase(self, now: datetime) -> None:
        """To the first turn of the previous phase (or of the first phase)."""
        target = max(self.current_turn.phase_index - 1, 0)
        first = next(turn for turn in self.turns if turn.phase_index == target)
        self.timer.go_to(first.index, now)

    def resume_after_interruption(self) -> None:
        """A session picked up after a quit or crash waits, paused, where it stopped.

        The clock is stopped at the last moment the session was known to be in use
        (`seen_at`), so time nobody spent in the meeting is not counted.
        """
        since = self.timer.running_since
        if since is not None:
            self.timer.pause(max(since, self.seen_at or since))

    def finish(self, now: datetime) -> None:
        self.timer.pause(now)
        self.finished_at = now

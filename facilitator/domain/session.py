"""A live session: who is here, the agenda's turns, the timer, and moving through them.

A session is a value: moving on, pausing or finishing returns a new session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field, replace
from datetime import datetime
from functools import cached_property

from facilitator.domain.agenda import Phase, default_agenda
from facilitator.domain.ids import new_id
from facilitator.domain.partnership import Partnership
from facilitator.domain.record import record
from facilitator.domain.timer import TimerReading, TurnTimer


@record
class Turn:
    index: int
    phase_index: int
    phase: Phase
    partner_id: str | None
    """Whose turn it is; None for a phase the group takes together."""
    number: int
    """1-based position of this turn within its phase."""
    of: int


def plan_turns(
    agenda: Sequence[Phase], present: Sequence[str], supporters: Sequence[str] = ()
) -> list[Turn]:
    """Split each phase into turns: one per partner present who brings goals (supporters of a
    one-way partnership get none of their own), or one for the group."""
    takers = [p for p in present if p not in supporters] or list(present)
    turns: list[Turn] = []
    for phase_index, phase in enumerate(agenda):
        owners: list[str | None] = list(takers) if phase.per_partner else [None]
        for number, partner_id in enumerate(owners, start=1):
            turns.append(Turn(len(turns), phase_index, phase, partner_id, number, len(owners)))
    return turns


def turn_allotments(
    agenda: Sequence[Phase], present: Sequence[str], supporters: Sequence[str] = ()
) -> list[int]:
    """Each turn's share of its phase's timebox, in whole seconds."""
    return [turn.phase.seconds // turn.of for turn in plan_turns(agenda, present, supporters)]


@record
class Session:
    partnership_id: str
    started_at: datetime
    present: tuple[str, ...]
    agenda: tuple[Phase, ...]
    timer: TurnTimer
    finished_at: datetime | None = None
    seen_at: datetime | None = None
    """The last moment this session was stored while in use."""
    first: bool = False
    """The partnership's first session: goals are shared, there is nothing to review yet."""
    abandoned: bool = False
    """Set aside unfinished (from home, after a yes): kept in history as it stood."""
    supporters: tuple[str, ...] = ()
    """Partners present who support only (a one-way partnership): no turns of their own."""
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        object.__setattr__(self, "present", tuple(self.present))
        object.__setattr__(self, "agenda", tuple(self.agenda))
        object.__setattr__(self, "supporters", tuple(self.supporters))
        if not self.present:
            raise ValueError("a session needs at least one partner present")
        if not self.agenda:
            raise ValueError("a session needs at least one phase")
        if len(self.timer.allotted) != len(self.turns):
            raise ValueError("the timer's turns don't match the agenda and who is present")

    @classmethod
    def begin(
        cls,
        partnership: Partnership,
        present: Sequence[str],
        now: datetime,
        *,
        agenda: Sequence[Phase] | None = None,
        session_id: str | None = None,
    ) -> Session:
        """Start a session with the partners present, its clock running."""
        order = tuple(p.id for p in partnership.partners if p.id in present)
        if not order:
            raise ValueError("a session needs at least one partner present")
        first = partnership.last_session_on is None
        phases = tuple(
            agenda
            if agenda is not None
            else default_agenda(partnership.session_minutes, first_session=first)
        )
        supporters = tuple(s for s in partnership.agreement.supporters() if s in order)
        timer = TurnTimer(allotted=tuple(turn_allotments(phases, order, supporters))).start(now)
        return cls(
            partnership_id=partnership.id,
            started_at=now,
            present=order,
            agenda=phases,
            timer=timer,
            seen_at=now,
            first=first,
            supporters=supporters,
            id=session_id or new_id(),
        )

    @cached_property
    def turns(self) -> list[Turn]:
        return plan_turns(self.agenda, self.present, self.supporters)

    @property
    def current_turn(self) -> Turn:
        return self.turns[self.timer.current]

    @property
    def is_last_turn(self) -> bool:
        return self.timer.current == len(self.timer.allotted) - 1

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    def reading(self, now: datetime) -> TimerReading:
        return self.timer.reading(now)

    def with_timer(self, timer: TurnTimer) -> Session:
        return self if timer is self.timer else replace(self, timer=timer)

    def go_to(self, turn: int, now: datetime) -> Session:
        return self.with_timer(self.timer.go_to(turn, now))

    def next_turn(self, now: datetime) -> Session:
        return self.go_to(self.timer.current + 1, now)

    def previous_turn(self, now: datetime) -> Session:
        return self.go_to(self.timer.current - 1, now)

    def next_phase_turn(self) -> int:
        """The first turn of the next phase (the last phase stays put)."""
        phase = self.current_turn.phase_index
        for turn in self.turns:
            if turn.phase_index > phase:
                return turn.index
        return self.timer.current

    def previous_phase_turn(self) -> int:
        """The first turn of the previous phase (or of the first phase)."""
        target = max(self.current_turn.phase_index - 1, 0)
        return next(turn.index for turn in self.turns if turn.phase_index == target)

    def next_phase(self, now: datetime) -> Session:
        return self.go_to(self.next_phase_turn(), now)

    def previous_phase(self, now: datetime) -> Session:
        return self.go_to(self.previous_phase_turn(), now)

    def seen(self, now: datetime) -> Session:
        return replace(self, seen_at=now)

    def resume_after_interruption(self) -> Session:
        """A session picked up after a quit or crash waits, paused, where it stopped.

        The clock is stopped at the last moment the session was known to be in use
        (`seen_at`), so time nobody spent in the meeting is not counted.
        """
        since = self.timer.running_since
        if since is None:
            return self
        return self.with_timer(self.timer.pause(max(since, self.seen_at or since)))

    def finish(self, now: datetime, *, abandoned: bool = False) -> Session:
        return replace(
            self, timer=self.timer.pause(now), finished_at=now, seen_at=now, abandoned=abandoned
        )

    def phase_seconds(self) -> dict[str, float]:
        """Seconds actually spent in each phase (by its key), for learning timeboxes."""
        spent: dict[str, float] = {}
        for turn in self.turns:
            seconds = self.timer.elapsed[turn.index]
            spent[turn.phase.key] = spent.get(turn.phase.key, 0.0) + seconds
        return spent

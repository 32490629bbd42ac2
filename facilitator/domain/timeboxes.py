"""Timeboxes learned from the pair's own sessions: when a phase regularly runs over, offer the
time it actually takes (a robust middle value, so one unusual session doesn't move it).

Only finished sessions count (one set aside unfinished says nothing about how long a phase
takes), and a session that skipped a phase says nothing about that phase either.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from facilitator.domain.agreement import MAX_PHASE_MINUTES, PhasePlan
from facilitator.domain.goals import robust_middle
from facilitator.domain.record import record
from facilitator.domain.session import Session

RECENT_SESSIONS = 6
"""How many recent sessions the learned value is taken from."""
WINDOW = 5
"""How many recent sessions are looked at for overruns."""
MIN_OVERRUNS = 3
"""Overruns among the last WINDOW sessions that make it a habit, not a one-off."""
OVERRUN = 1.2
"""Running over by more than this share of the timebox counts as an overrun."""
SKIPPED_SECONDS = 10.0
"""Less time than this in a phase: it was skipped, and tells nothing about its length."""


@record
class TimeboxSuggestion:
    key: str
    """The phase's key in the agenda."""
    minutes: int
    """The timebox it has now."""
    suggested: int
    """The time it usually takes, in whole minutes."""
    overran: int
    """In how many of the `looked_at` recent sessions it ran over."""
    looked_at: int


def _recent(sessions: Sequence[Session]) -> list[Session]:
    finished = [s for s in sessions if s.finished and not s.abandoned]
    return sorted(finished, key=lambda s: s.started_at)


def timebox_suggestions(
    sessions: Sequence[Session], plans: Sequence[PhasePlan]
) -> list[TimeboxSuggestion]:
    """A longer timebox for each planned phase the pair ran over in most recent sessions (at
    least MIN_OVERRUNS of the last WINDOW, by more than 20%), in agenda order."""
    recent = _recent(sessions)
    spent = [s.phase_seconds() for s in recent]
    found: list[TimeboxSuggestion] = []
    for plan in plans:
        durations = [
            seconds[plan.key] for seconds in spent if seconds.get(plan.key, 0.0) >= SKIPPED_SECONDS
        ]
        window = durations[-WINDOW:]
        limit = plan.minutes * 60 * OVERRUN
        overran = sum(1 for seconds in window if seconds > limit)
        if overran < MIN_OVERRUNS:
            continue
        middle = robust_middle(durations[-RECENT_SESSIONS:])
        if middle is None:
            continue
        suggested = min(MAX_PHASE_MINUTES, math.floor(middle / 60 + 0.5))
        if suggested <= plan.minutes:
            continue
        found.append(
            TimeboxSuggestion(
                key=plan.key,
                minutes=plan.minutes,
                suggested=suggested,
                overran=overran,
                looked_at=len(window),
            )
        )
    return found


def suggest_timeboxes(sessions: Sequence[Session], plans: Sequence[PhasePlan]) -> dict[str, int]:
    """The learned timebox, in minutes, by phase key, for phases the pair regularly overruns."""
    return {s.key: s.suggested for s in timebox_suggestions(sessions, plans)}

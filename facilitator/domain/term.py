"""The periodic review: a term (since the last review), and what it came to for each partner.

For each partner: how the actions reviewed in the term's sessions were followed through, what
got in the way of the ones missed (so a reason that keeps coming back stands out), and each
goal's progress over the term against its target and deadline, with a plain verdict. Built
from the term's history (the finished sessions and the actions closed in them) and what is
live now (the session under way, open actions, the goals).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from facilitator.domain.actions import Action, ActionStatus
from facilitator.domain.agreement import ReviewUnit
from facilitator.domain.goals import (
    FollowThrough,
    Goal,
    GoalStatus,
    MeasureKind,
    Verdict,
    common_reasons,
    expected_value,
    verdict,
)
from facilitator.domain.partnership import Partnership
from facilitator.domain.record import record
from facilitator.domain.session import Session

MISSED = (ActionStatus.PARTLY, ActionStatus.NOT_DONE, ActionStatus.DROPPED)


@record
class Term:
    """The days a periodic review looks back on, both ends included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a term ends on or after the day it starts")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def weeks(self) -> int:
        """Whole weeks, rounded (at least one)."""
        return max(1, round(self.days / 7))

    @property
    def years(self) -> list[int]:
        """The calendar years the term touches (the history files it needs)."""
        return list(range(self.start.year, self.end.year + 1))


def rhythm_days(partnership: Partnership, today: date) -> int:
    """How long the agreed review rhythm is, in days: N weeks, or N sessions on the cadence."""
    agreement = partnership.agreement
    every = max(1, agreement.review_every)
    if agreement.review_unit is ReviewUnit.WEEKS:
        return every * 7
    day, total = today, 0
    for _ in range(every):
        following = partnership.next_after(day)
        total += max(1, (following - day).days)
        day = following
    return total


def term_for(partnership: Partnership, today: date) -> Term:
    """The term a review held today looks back on: the days since the last review (the day
    after it), or the rhythm's length back when there has been none (never before the
    partnership began)."""
    last = partnership.last_review_on
    if last is not None and last < today:
        return Term(last + timedelta(days=1), today)
    start = today - timedelta(days=rhythm_days(partnership, today) - 1)
    if last is None and partnership.created_on <= today:
        start = max(start, partnership.created_on)
    return Term(start, today)


# Goals over the term ---------------------------------------------------------------------------


@record
class GoalTrack:
    """One goal across the term: its progress, where it should be, and the verdict."""

    goal: Goal
    series: tuple[float, ...]
    """The measure day by day across the term (from the first day a value is known to the
    term's end or the goal's close), for a chart; empty with nothing recorded."""
    readings: int
    """How many values were recorded within the term."""
    at_start: float | None
    """The value when the term began (or the goal was set, if later)."""
    latest: float | None
    expected_now: float | None
    """Where a steady pace from the start to the target would be today."""
    verdict: Verdict
    days_left: int | None
    """Days from today to the deadline (negative once past)."""

    @property
    def share_of_target(self) -> float | None:
        """How far from the start to the target the latest value is (0 to 1, or beyond)."""
        goal = self.goal
        if goal.kind is not MeasureKind.NUMBER or goal.target is None or self.latest is None:
            return None
        start = goal.start if goal.start is not None else 0.0
        if goal.target == start:
            return 1.0
        return (self.latest - start) / (goal.target - start)


def track_goal(goal: Goal, term: Term, today: date) -> GoalTrack:
    end = min(term.end, today)
    if goal.closed_on is not None:
        end = min(end, max(goal.closed_on, term.start))
    # Stable: two values on one day keep the order they were recorded in.
    values = sorted((p for p in goal.progress if p.value is not None), key=lambda p: p.on)
    before = [p for p in values if p.on < term.start]
    within = [p for p in values if term.start <= p.on <= end]
    first_day = max(term.start, goal.created_on)
    known: float | None
    if before:
        known = before[-1].value
    elif goal.start is not None and goal.created_on <= end:
        known = goal.start
    else:
        known = None
    at_start = known
    series: list[float] = []
    by_day: dict[date, float] = {}
    for progress in within:
        assert progress.value is not None
        by_day[progress.on] = progress.value
    day = first_day
    while day <= end:
        if day in by_day:
            known = by_day[day]
        if known is not None:
            series.append(known)
        day += timedelta(days=1)
    latest_values = [p.value for p in values if p.on <= end]
    latest = latest_values[-1] if latest_values else goal.start
    return GoalTrack(
        goal=goal,
        series=tuple(series),
        readings=len(within),
        at_start=at_start,
        latest=latest,
        expected_now=expected_value(goal, today),
        verdict=verdict(goal, today),
        days_left=(goal.deadline - today).days if goal.deadline is not None else None,
    )


def goals_in_term(goals: Iterable[Goal], partner_id: str, term: Term) -> list[Goal]:
    """The partner's goals the term is about: active ones, and those achieved or dropped
    during it (set before it ended)."""
    chosen = []
    for goal in goals:
        if goal.owner_id != partner_id or goal.created_on > term.end:
            continue
        if goal.status is GoalStatus.ACTIVE or (
            goal.closed_on is not None and goal.closed_on >= term.start
        ):
            chosen.append(goal)
    return sorted(
        chosen,
        key=lambda g: (not g.is_active, g.deadline or date.max, g.created_on, g.what, g.id),
    )


# The term for one partner ----------------------------------------------------------------------


@record
class TermSummary:
    partner_id: str
    term: Term
    sessions: int
    """Sessions held in the term (set-aside ones not counted)."""
    attended: int
    """Of those, the ones this partner was at."""
    follow_through: FollowThrough
    misses: tuple[Action, ...]
    """Actions partly done, not done or dropped in the term, the latest first."""
    reasons: tuple[tuple[str, int], ...]
    """Words that recur in what got in the way, most frequent first."""
    goals: tuple[GoalTrack, ...]
    still_open: int
    """The partner's actions open now."""

    @property
    def reasons_given(self) -> list[str]:
        return [a.in_the_way for a in self.misses if a.in_the_way]


def summarise_term(
    partnership: Partnership,
    term: Term,
    partner_id: str,
    *,
    sessions: Iterable[Session],
    actions: Iterable[Action],
    goals: Iterable[Goal],
    today: date,
) -> TermSummary:
    """What the term came to for one partner.

    `sessions`: the term's finished sessions and the live one, if any (others are ignored);
    `actions`: the actions closed in them (from history) followed by the live ones (open, or
    reviewed in the live session), a later record of an action replacing an earlier one;
    `goals`: every goal (the partner's are picked out)."""
    in_term = [s for s in sessions if partnership.local_date(s.started_at) in term]
    held = [s for s in in_term if not s.abandoned]
    when = {s.id: s.started_at for s in in_term}
    latest: dict[str, Action] = {}
    for action in actions:
        latest[action.id] = action
    mine = [a for a in latest.values() if a.owner_id == partner_id]
    reviewed = [a for a in mine if not a.is_open and a.reviewed_in in when]
    counts = {status: 0 for status in ActionStatus}
    for action in reviewed:
        counts[action.status] += 1
    follow_through = FollowThrough(
        done=counts[ActionStatus.DONE],
        partly=counts[ActionStatus.PARTLY],
        not_done=counts[ActionStatus.NOT_DONE],
        dropped=counts[ActionStatus.DROPPED],
    )
    misses = sorted(
        (a for a in reviewed if a.status in MISSED),
        key=lambda a: (when[a.reviewed_in or ""], a.created_at),
        reverse=True,
    )
    reasons = common_reasons(a.in_the_way for a in misses if a.in_the_way)
    tracks = tuple(track_goal(g, term, today) for g in goals_in_term(goals, partner_id, term))
    return TermSummary(
        partner_id=partner_id,
        term=term,
        sessions=len(held),
        attended=sum(partner_id in s.present for s in held),
        follow_through=follow_through,
        misses=tuple(misses),
        reasons=tuple(reasons),
        goals=tracks,
        still_open=sum(a.is_open for a in mine),
    )

"""Goals: specific, measurable and time-bound, with progress recorded over time.

A goal has what, a measure (a target number and unit, or a yes/no milestone) and a deadline;
a goal missing either may be saved, but is flagged as vague with a concrete suggestion. It can
be achieved (and celebrated), dropped, or redefined: the earlier target and deadline stay in
its history.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import field, replace
from datetime import date
from enum import StrEnum

from facilitator.domain.ids import new_id
from facilitator.domain.record import record
from facilitator.domain.text import InvalidText, clean_text

GOAL_LENGTH = 160
WHY_LENGTH = 300
UNIT_LENGTH = 20
NOTE_LENGTH = 200
MAX_TARGET = 1e9

# Patterns are compiled by `re` the first time they are used (and kept): starting the app or
# a command checks no goal.
VAGUE_WORDS = (
    r"(?i)\b(more|less|better|fitter|healthier|improve|improving|get into|try|some|a bit|lots|"
    r"regularly|often|eventually|someday|one day)\b"
)
SHARPENING_EXAMPLE = "“be fitter” becomes “run the Manchester Marathon on 12 April 2027”"


class GoalStatus(StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class MeasureKind(StrEnum):
    NUMBER = "number"
    """A target number and unit: 10 km, 4 chapters, 2,000 euros."""
    MILESTONE = "milestone"
    """A clear yes/no: the marathon run, the book submitted."""


MILESTONE_DONE = 1.0
"""A milestone's progress value when it is done (a note alone has no value)."""


@record
class Progress:
    on: date
    value: float | None
    """The measure's value that day (None for a milestone's note)."""
    note: str = ""
    id: str = field(default_factory=new_id)


@record
class GoalVersion:
    """What a goal was before it was redefined."""

    changed_on: date
    what: str
    kind: MeasureKind | None
    target: float | None
    unit: str
    deadline: date | None
    reason: str = ""


@record
class Goal:
    owner_id: str
    what: str
    created_on: date
    kind: MeasureKind | None = None
    target: float | None = None
    unit: str = ""
    start: float | None = None
    """Where the measure stood when the goal was set (for an on-track line)."""
    deadline: date | None = None
    why: str = ""
    status: GoalStatus = GoalStatus.ACTIVE
    closed_on: date | None = None
    progress: tuple[Progress, ...] = ()
    history: tuple[GoalVersion, ...] = ()
    id: str = field(default_factory=new_id)

    @property
    def is_active(self) -> bool:
        return self.status is GoalStatus.ACTIVE

    @property
    def latest(self) -> Progress | None:
        """The latest entry: the last day, and on that day the last one recorded."""
        if not self.progress:
            return None
        return max(enumerate(self.progress), key=lambda item: (item[1].on, item[0]))[1]

    @property
    def latest_value(self) -> Progress | None:
        """The latest entry that has a value (a note alone doesn't move the measure)."""
        valued = [(i, p) for i, p in enumerate(self.progress) if p.value is not None]
        return max(valued, key=lambda item: (item[1].on, item[0]))[1] if valued else None

    @property
    def rising(self) -> bool:
        """Whether the target is above where the goal started (weight to lose: falling)."""
        return self.target is None or self.target >= (self.start or 0.0)

    def describe_measure(self) -> str:
        if self.kind is MeasureKind.NUMBER and self.target is not None:
            return f"{number(self.target)} {self.unit}".strip()
        if self.kind is MeasureKind.MILESTONE:
            return "a yes/no milestone"
        return "no measure yet"

    def recorded(self, progress: Progress) -> Goal:
        return replace(self, progress=tuple(sorted((*self.progress, progress), key=lambda p: p.on)))

    def redefined(
        self,
        on: date,
        *,
        what: str,
        kind: MeasureKind | None,
        target: float | None,
        unit: str,
        deadline: date | None,
        reason: str = "",
    ) -> Goal:
        earlier = GoalVersion(
            changed_on=on,
            what=self.what,
            kind=self.kind,
            target=self.target,
            unit=self.unit,
            deadline=self.deadline,
            reason=reason,
        )
        return replace(
            self,
            what=what,
            kind=kind,
            target=target,
            unit=unit,
            deadline=deadline,
            history=(*self.history, earlier),
        )

    def closed(self, status: GoalStatus, on: date) -> Goal:
        return replace(
            self, status=status, closed_on=on if status is not GoalStatus.ACTIVE else None
        )


def number(value: float) -> str:
    """A value as people write it: 10, 2.5, 1,500,000 (never 1e+06)."""
    if abs(value) >= 1e6:
        return f"{value:,.0f}"
    return f"{value:,.3f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"


def redefines(current: Goal, wanted: Goal) -> bool:
    """Whether saving `wanted` over `current` changes what the goal is (what, measure or
    deadline): the earlier version then goes to the goal's history."""
    return (current.what, current.kind, current.target, current.unit, current.deadline) != (
        wanted.what,
        wanted.kind,
        wanted.target,
        wanted.unit,
        wanted.deadline,
    )


# Vague or specific ---------------------------------------------------------------------------


def vagueness(goal: Goal) -> str | None:
    """What would make the goal specific, measurable and time-bound; None when it is."""
    missing = []
    if goal.kind is None or (goal.kind is MeasureKind.NUMBER and goal.target is None):
        missing.append("a measure (a number and unit, or a yes/no milestone)")
    if goal.deadline is None:
        missing.append("a deadline")
    if not missing:
        return None
    words = re.findall(VAGUE_WORDS, goal.what)
    hint = f" “{words[0]}” is hard to be accountable to." if words else ""
    return f"It needs {' and '.join(missing)}.{hint} For example, {SHARPENING_EXAMPLE}."


# On track or behind ---------------------------------------------------------------------------


class Verdict(StrEnum):
    ACHIEVED = "achieved"
    REACHED = "target reached"
    """The latest value meets the target (or the milestone is done): time to celebrate."""
    ON_TRACK = "on track"
    BEHIND = "behind"
    NO_DATA = "no progress yet"
    VAGUE = "vague"
    """No measure or no deadline: nothing to be on track or behind against."""
    NO_MEASURE = "vague"  # the earlier name, kept for callers
    OVERDUE = "past its deadline"
    DROPPED = "dropped"


def expected_value(goal: Goal, on: date) -> float | None:
    """Where a number goal would be on `on`, going steadily from its start to its target."""
    if goal.kind is not MeasureKind.NUMBER or goal.target is None or goal.deadline is None:
        return None
    start = goal.start if goal.start is not None else 0.0
    span = (goal.deadline - goal.created_on).days
    if span <= 0:
        return goal.target
    share = min(1.0, max(0.0, (on - goal.created_on).days / span))
    return start + (goal.target - start) * share


def verdict(goal: Goal, today: date) -> Verdict:
    """A plain word on where a goal stands: its latest value against a steady line from where
    it started (on the day it was set) to its target (on its deadline); falling targets (weight
    to lose) count down. A milestone is on track once something is recorded before its
    deadline."""
    if goal.status is GoalStatus.ACHIEVED:
        return Verdict.ACHIEVED
    if goal.status is GoalStatus.DROPPED:
        return Verdict.DROPPED
    latest = goal.latest_value
    if goal.kind is MeasureKind.MILESTONE:
        if latest is not None and latest.value is not None and latest.value >= MILESTONE_DONE:
            return Verdict.REACHED
    elif latest is not None and latest.value is not None and reached(goal, latest.value):
        return Verdict.REACHED
    if vagueness(goal) is not None or goal.deadline is None:
        return Verdict.VAGUE
    if today > goal.deadline:
        return Verdict.OVERDUE
    if goal.kind is MeasureKind.MILESTONE:
        return Verdict.ON_TRACK if goal.progress else Verdict.NO_DATA
    if latest is None or latest.value is None:
        return Verdict.NO_DATA
    expected = expected_value(goal, latest.on)
    assert expected is not None
    ahead = latest.value >= expected if goal.rising else latest.value <= expected
    return Verdict.ON_TRACK if ahead else Verdict.BEHIND


def reached(goal: Goal, value: float) -> bool:
    if goal.kind is not MeasureKind.NUMBER or goal.target is None:
        return False
    return value >= goal.target if goal.rising else value <= goal.target


# Checking what people type --------------------------------------------------------------------


def validate_what(raw: str) -> str:
    return clean_text(raw, what="The goal", max_length=GOAL_LENGTH)


def validate_why(raw: str) -> str:
    return clean_text(raw, what="Why it matters", max_length=WHY_LENGTH, required=False)


def validate_unit(raw: str) -> str:
    return clean_text(raw, what="The unit", max_length=UNIT_LENGTH, required=False)


def validate_note(raw: str) -> str:
    return clean_text(raw, what="The note", max_length=NOTE_LENGTH, required=False)


_GROUPED = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_DECIMAL_COMMA = r"\d+,\d+"
_NUMBER_AND_WORD = r"[+-]?\d[\d.,]*\s*[^\W\d_].*"


def validate_amount(raw: str, what: str, *, required: bool = True) -> float | None:
    """A number people type: "10", "2,000", "3.5", "3,5"; never negative, never absurd."""
    text = raw.strip().replace("_", "").replace(" ", "")
    if not raw.strip():
        if required:
            raise InvalidText(f"{what} can't be empty.")
        return None
    if re.fullmatch(_GROUPED, text):
        text = text.replace(",", "")  # 2,000 or 1,500.5
    elif re.fullmatch(_DECIMAL_COMMA, text):
        text = text.replace(",", ".")  # 3,5 written the continental way
    if re.fullmatch(_NUMBER_AND_WORD, raw.strip()):
        raise InvalidText(f"{what} must be a number alone; the unit has a box of its own.")
    try:
        value = float(text)
    except ValueError:
        raise InvalidText(f"{what} must be a number, for example 10 or 2.5.") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidText(f"{what} must be a number, for example 10 or 2.5.")
    if value < 0:
        raise InvalidText(f"{what} can't be negative.")
    if value > MAX_TARGET:
        raise InvalidText(f"{what} is too large to be a real target.")
    return value


def validate_target(target: float, start: float | None) -> float:
    """A target must differ from where the goal starts, or there is nothing to do."""
    if target == (start or 0.0):
        raise InvalidText(
            f"The target is where you start from ({number(target)}); "
            "set the starting value too, or a different target."
        )
    return target


def validate_deadline(day: date | None, today: date) -> date | None:
    if day is not None and day < today:
        raise InvalidText("The deadline has passed; pick today or a later date.")
    return day


# Across a term --------------------------------------------------------------------------------


@record
class FollowThrough:
    done: int = 0
    partly: int = 0
    not_done: int = 0
    dropped: int = 0

    @property
    def total(self) -> int:
        return self.done + self.partly + self.not_done + self.dropped

    @property
    def rate(self) -> float | None:
        """Done, with partly done counting half; None with nothing reviewed."""
        if not self.total:
            return None
        return (self.done + self.partly / 2) / self.total


def common_reasons(reasons: Iterable[str], *, at_least: int = 2) -> list[tuple[str, int]]:
    """Words that recur in "what got in the way", most frequent first, so patterns stand out."""
    counts: dict[str, int] = {}
    for reason in reasons:
        for word in {w for w in re.findall(r"[^\W\d_]{4,}", reason.casefold())}:
            if word not in _COMMON_WORDS:
                counts[word] = counts.get(word, 0) + 1
    found = [(word, count) for word, count in counts.items() if count >= at_least]
    return sorted(found, key=lambda item: (-item[1], item[0]))


_COMMON_WORDS = {
    "that", "this", "with", "have", "from", "there", "their", "were", "been", "just", "didn",
    "about", "into", "then", "than", "when", "what", "some", "more", "much", "very", "also",
    "because", "week", "time", "they", "them", "would", "could", "should", "wasn", "couldn",
    "doesn", "only", "still", "again", "really", "being", "other", "which", "after", "before",
    "over", "like", "will", "your", "mine", "weeks", "days",
}  # fmt: skip


def robust_middle(values: Sequence[float]) -> float | None:
    """The median, after setting aside values far from it (one unusual session doesn't move
    it)."""
    if not values:
        return None
    ordered = sorted(values)
    middle = (
        ordered[len(ordered) // 2]
        if len(ordered) % 2
        else ((ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2)
    )
    spread = sorted(abs(v - middle) for v in ordered)
    mad = spread[len(spread) // 2]
    if mad == 0:
        # Most values agree exactly: measure the spread by the average distance instead
        # (a fixed fallback would depend on the unit).
        mad = sum(spread) / len(spread)
        if mad == 0:
            return middle
    kept = [v for v in ordered if abs(v - middle) <= 3 * mad]
    kept.sort()
    if len(kept) % 2:
        return kept[len(kept) // 2]
    return (kept[len(kept) // 2 - 1] + kept[len(kept) // 2]) / 2

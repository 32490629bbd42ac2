"""The agenda as data: phases with a kind, a timebox, and whether each is split into turns.

A phase's kind says what happens in it (each kind has its panel on the session screen); any
phases of any kinds in any order make an agenda. The standard agenda follows the practice's
three questions; the first session of a partnership has a kick-off agenda; when the periodic
review is due, a term-review phase joins the session.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from facilitator.domain.record import record


class PhaseKind(StrEnum):
    """What happens in a phase; each kind has its own panel on the session screen."""

    CHECKIN = "checkin"
    REVIEW = "review"
    OBSTACLES = "obstacles"
    ACTIONS = "actions"
    WRAPUP = "wrapup"
    DISCUSSION = "discussion"
    GOALS = "goals"
    TERM_REVIEW = "term_review"
    VISION = "vision"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    PhaseKind.CHECKIN: "Check-in",
    PhaseKind.REVIEW: "Review and celebrate",
    PhaseKind.OBSTACLES: "Brainstorm obstacles",
    PhaseKind.ACTIONS: "Agree actions",
    PhaseKind.WRAPUP: "Wrap-up",
    PhaseKind.DISCUSSION: "Free discussion",
    PhaseKind.GOALS: "Goal check",
    PhaseKind.TERM_REVIEW: "Term review",
    PhaseKind.VISION: "Vision and goals",
}

PROMPTS = {
    PhaseKind.CHECKIN: "How are we talking to each other today?",
    PhaseKind.REVIEW: "How have you progressed since our last meeting?",
    PhaseKind.OBSTACLES: "Do you need help with anything?",
    PhaseKind.ACTIONS: "What is your focus or target until next time?",
    PhaseKind.WRAPUP: "What got done, what's carried, and when we meet next.",
    PhaseKind.DISCUSSION: "Anything else to talk through?",
    PhaseKind.GOALS: "Where is each goal now?",
    PhaseKind.TERM_REVIEW: "Step back: what did this term achieve, and what needs to change?",
    PhaseKind.VISION: "Where are you now, and what would you like to achieve?",
}

GROUP_KINDS = {PhaseKind.CHECKIN, PhaseKind.WRAPUP, PhaseKind.DISCUSSION}
"""Kinds the group takes together by default; the others give each partner a turn."""


@record
class Phase:
    key: str
    """Unique within the agenda (two phases may share a kind)."""
    title: str
    prompt: str
    seconds: int
    per_partner: bool = True
    """A per-partner phase gives each partner present a turn; otherwise the group has one."""
    kind: PhaseKind = PhaseKind.REVIEW


FIRST_SESSION_PROMPTS = {
    PhaseKind.REVIEW: PROMPTS[PhaseKind.VISION],
}
"""The first session has no "last meeting" to ask about."""

# (kind, weight): 6/4/4/1 splits 30 minutes as 12/8/8/2.
_STANDARD = (
    (PhaseKind.REVIEW, 6),
    (PhaseKind.OBSTACLES, 4),
    (PhaseKind.ACTIONS, 4),
    (PhaseKind.WRAPUP, 1),
)
# The first session: share visions and set goals, then first actions.
_KICKOFF = ((PhaseKind.VISION, 9), (PhaseKind.ACTIONS, 5), (PhaseKind.WRAPUP, 1))


def _split(total_minutes: int, weights: Sequence[tuple[PhaseKind, int]]) -> list[int]:
    total_weight = sum(weight for _, weight in weights)
    minutes = [max(1, round(total_minutes * weight / total_weight)) for _, weight in weights]
    minutes[0] += total_minutes - sum(minutes)  # rounding leftovers go to the first phase
    return minutes


def phase(
    kind: PhaseKind,
    minutes: int,
    *,
    key: str | None = None,
    title: str | None = None,
    per_partner: bool | None = None,
    first_session: bool = False,
) -> Phase:
    prompt = FIRST_SESSION_PROMPTS.get(kind, PROMPTS[kind]) if first_session else PROMPTS[kind]
    return Phase(
        key=key or kind.value,
        title=title or kind.label,
        prompt=prompt,
        seconds=minutes * 60,
        per_partner=(kind not in GROUP_KINDS) if per_partner is None else per_partner,
        kind=kind,
    )


def default_agenda(total_minutes: int, *, first_session: bool = False) -> list[Phase]:
    """The standard agenda, its timeboxes in whole minutes adding up to `total_minutes`."""
    minutes = _split(total_minutes, _STANDARD)
    return [
        phase(kind, mins, first_session=first_session)
        for (kind, _), mins in zip(_STANDARD, minutes, strict=True)
    ]


def kickoff_agenda(total_minutes: int) -> list[Phase]:
    """The partnership's first session: each partner shares their vision and sets goals, the
    pair confirms the agreement, and agrees first actions."""
    minutes = _split(total_minutes, _KICKOFF)
    return [phase(kind, mins) for (kind, _), mins in zip(_KICKOFF, minutes, strict=True)]


def checkin_phase() -> Phase:
    """A short check-in at the start: the confidentiality agreement and how each partner
    likes feedback, so both remember how to talk to each other today (skippable)."""
    return phase(PhaseKind.CHECKIN, 1)


def term_review_phase(minutes: int = 10) -> Phase:
    return phase(PhaseKind.TERM_REVIEW, minutes)

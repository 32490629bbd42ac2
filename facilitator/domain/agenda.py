"""The agenda as data: phases with a kind, a timebox, and whether each is split into turns."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PhaseKind(StrEnum):
    """What happens in a phase; each kind has its own panel on the session screen."""

    REVIEW = "review"
    OBSTACLES = "obstacles"
    ACTIONS = "actions"
    WRAPUP = "wrapup"


@dataclass(frozen=True)
class Phase:
    key: str
    """Unique within the agenda (two phases may share a kind)."""
    title: str
    prompt: str
    seconds: int
    per_partner: bool = True
    """A per-partner phase gives each partner present a turn; otherwise the group has one."""
    kind: PhaseKind = PhaseKind.REVIEW


# (kind, title, prompt, per_partner, weight): 6/4/4/1 splits 30 minutes as 12/8/8/2.
_DEFAULT_PHASES = (
    (
        PhaseKind.REVIEW,
        "Review and celebrate",
        "How have you progressed since our last meeting?",
        True,
        6,
    ),
    (PhaseKind.OBSTACLES, "Brainstorm obstacles", "Do you need help with anything?", True, 4),
    (
        PhaseKind.ACTIONS,
        "Agree actions",
        "What is your focus or target until next time?",
        True,
        4,
    ),
    (
        PhaseKind.WRAPUP,
        "Wrap-up",
        "What got done, what's carried, and when we meet next.",
        False,
        1,
    ),
)

FIRST_SESSION_PROMPTS = {
    PhaseKind.REVIEW: "Where are you now, and what would you like to achieve?",
}
"""The first session has no "last meeting" to ask about."""


def default_agenda(total_minutes: int, *, first_session: bool = False) -> list[Phase]:
    """The standard agenda, its timeboxes in whole minutes adding up to `total_minutes`."""
    total_weight = sum(weight for *_, weight in _DEFAULT_PHASES)
    minutes = [
        max(1, round(total_minutes * weight / total_weight)) for *_, weight in _DEFAULT_PHASES
    ]
    minutes[0] += total_minutes - sum(minutes)  # rounding leftovers go to the review
    phases = []
    for (kind, title, prompt, per_partner, _), mins in zip(_DEFAULT_PHASES, minutes, strict=True):
        if first_session:
            prompt = FIRST_SESSION_PROMPTS.get(kind, prompt)
        phases.append(
            Phase(
                key=kind.value,
                title=title,
                prompt=prompt,
                seconds=mins * 60,
                per_partner=per_partner,
                kind=kind,
            )
        )
    return phases

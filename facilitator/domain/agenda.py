"""The agenda as data: phases with timeboxes, and whether each is split into turns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phase:
    key: str
    title: str
    prompt: str
    seconds: int
    per_partner: bool = True
    """A per-partner phase gives each partner present a turn; otherwise the group has one."""


# (key, title, prompt, per_partner, weight): 6/4/4/1 splits 30 minutes as 12/8/8/2.
_DEFAULT_PHASES = (
    ("review", "Review and celebrate", "How have you progressed since our last meeting?", True, 6),
    ("obstacles", "Brainstorm obstacles", "Do you need help with anything?", True, 4),
    ("actions", "Agree actions", "What is your focus or target until next time?", True, 4),
    ("wrapup", "Wrap-up", "What got done, what's carried, and when we meet next.", False, 1),
)


def default_agenda(total_minutes: int) -> list[Phase]:
    """The standard agenda, its timeboxes in whole minutes adding up to `total_minutes`."""
    total_weight = sum(weight for *_, weight in _DEFAULT_PHASES)
    minutes = [
        max(1, round(total_minutes * weight / total_weight)) for *_, weight in _DEFAULT_PHASES
    ]
    minutes[0] += total_minutes - sum(minutes)  # rounding leftovers go to the review
    return [
        Phase(key=key, title=title, prompt=prompt, seconds=mins * 60, per_partner=per_partner)
        for (key, title, prompt, per_partner, _), mins in zip(_DEFAULT_PHASES, minutes, strict=True)
    ]

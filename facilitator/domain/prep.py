"""Solo preparation before a session: a partner's own statuses for their open actions and a
written update answering the three questions, kept as a draft for the next session.

Nothing prepared is applied by itself: in the session's review the pair sees it and
confirms or changes each status together.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from facilitator.domain.actions import NOTE_LENGTH, ActionStatus
from facilitator.domain.record import record
from facilitator.domain.text import clean_text

UPDATE_LENGTH = 1000


@record
class PreparedStatus:
    action_id: str
    status: ActionStatus
    in_the_way: str = ""


@record
class Prep:
    partner_id: str
    updated_at: datetime
    statuses: tuple[PreparedStatus, ...] = ()
    progressed: str = ""
    """How have you progressed since our last meeting?"""
    focus: str = ""
    """What is your focus or target until next time?"""
    help: str = ""
    """Do you need help with anything?"""

    def status_of(self, action_id: str) -> PreparedStatus | None:
        return next((s for s in self.statuses if s.action_id == action_id), None)

    def with_status(self, status: PreparedStatus | None, action_id: str, at: datetime) -> Prep:
        kept = tuple(s for s in self.statuses if s.action_id != action_id)
        return replace(self, statuses=(*kept, status) if status else kept, updated_at=at)

    @property
    def is_empty(self) -> bool:
        return not (self.statuses or self.progressed or self.focus or self.help)


def clean_update(raw: str, what: str) -> str:
    return clean_text(raw, what=what, max_length=UPDATE_LENGTH, required=False)


def clean_note(raw: str) -> str:
    return clean_text(raw, what="The answer", max_length=NOTE_LENGTH, required=False)

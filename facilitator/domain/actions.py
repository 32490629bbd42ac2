"""Actions agreed in a session, how they are reviewed next time, and what each session records."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import field, replace
from datetime import date, datetime
from enum import StrEnum

from facilitator.domain.ids import new_id
from facilitator.domain.record import record
from facilitator.domain.text import clean_text

ACTION_LENGTH = 200
ENTRY_LENGTH = 280
NOTE_LENGTH = 200


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    PARTLY = "partly"
    NOT_DONE = "not_done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def may_carry(self) -> bool:
        """Partly done and not done actions may be carried into the new session's actions."""
        return self in (ActionStatus.PARTLY, ActionStatus.NOT_DONE)


_STATUS_LABELS = {
    ActionStatus.OPEN: "open",
    ActionStatus.DONE: "done",
    ActionStatus.PARTLY: "partly done",
    ActionStatus.NOT_DONE: "not done",
    ActionStatus.DROPPED: "dropped",
}


@record
class Action:
    text: str
    owner_id: str
    due_on: date
    created_in: str | None
    """The session the action was agreed in."""
    created_at: datetime
    status: ActionStatus = ActionStatus.OPEN
    reviewed_in: str | None = None
    """The session in which it was marked done, partly done, not done or dropped."""
    in_the_way: str = ""
    """The owner's answer to "what got in the way?"."""
    carried_from: str | None = None
    """The action this one carries forward, when it came from a review."""
    confirmed: bool = True
    """False for a carried action not yet confirmed in "Agree actions"."""
    goal_id: str | None = None
    """The goal this action serves, if any."""
    id: str = field(default_factory=new_id)

    @property
    def is_open(self) -> bool:
        return self.status is ActionStatus.OPEN

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on < today


def new_action(
    raw_text: str,
    owner_id: str,
    due_on: date,
    session_id: str | None,
    now: datetime,
    *,
    action_id: str | None = None,
    goal_id: str | None = None,
) -> Action:
    text = clean_text(raw_text, what="The action", max_length=ACTION_LENGTH)
    return Action(
        text=text,
        owner_id=owner_id,
        due_on=due_on,
        created_in=session_id,
        created_at=now,
        goal_id=goal_id,
        id=action_id or new_id(),
    )


def mark(
    action: Action,
    status: ActionStatus,
    session_id: str,
    *,
    in_the_way: str = "",
    carry_due_on: date | None = None,
    now: datetime,
    carry_id: str | None = None,
) -> tuple[Action, Action | None]:
    """Record a review of `action` in this session: the marked action, and the carried copy
    if one was asked for."""
    if status is ActionStatus.OPEN:
        raise ValueError("use unmark() to reopen an action")
    note = (
        clean_text(in_the_way, what="The answer", max_length=NOTE_LENGTH, required=False)
        if status.may_carry
        else ""
    )
    marked = replace(action, status=status, reviewed_in=session_id, in_the_way=note)
    if carry_due_on is None or not status.may_carry:
        return marked, None
    carried = Action(
        text=action.text,
        owner_id=action.owner_id,
        due_on=carry_due_on,
        created_in=session_id,
        created_at=now,
        carried_from=action.id,
        confirmed=False,
        goal_id=action.goal_id,
        id=carry_id or new_id(),
    )
    return marked, carried


def unmark(action: Action) -> Action:
    """Take back a review mark: the action is open again."""
    return replace(action, status=ActionStatus.OPEN, reviewed_in=None, in_the_way="")


def to_review(actions: Iterable[Action], owner_id: str, session_id: str) -> list[Action]:
    """The owner's actions from earlier sessions that are open, or were reviewed in this one."""
    chosen = [
        a
        for a in actions
        if a.owner_id == owner_id
        and a.created_in != session_id
        and (a.is_open or a.reviewed_in == session_id)
    ]
    return sorted(chosen, key=lambda a: (a.due_on, a.created_at))


def agreed_in(actions: Iterable[Action], owner_id: str, session_id: str) -> list[Action]:
    """The owner's actions agreed (or carried forward) in this session."""
    chosen = [a for a in actions if a.owner_id == owner_id and a.created_in == session_id]
    return sorted(chosen, key=lambda a: a.created_at)


def open_by_owner(actions: Iterable[Action], owner_ids: list[str]) -> dict[str, list[Action]]:
    """Open actions per owner, soonest due first."""
    grouped: dict[str, list[Action]] = {owner: [] for owner in owner_ids}
    for action in actions:
        if action.is_open:
            grouped.setdefault(action.owner_id, []).append(action)
    for owned in grouped.values():
        owned.sort(key=_soonest_due)
    return grouped


def open_heads_by_owner(
    actions: Iterable[Action], owner_ids: list[str], limit: int
) -> dict[str, tuple[list[Action], int]]:
    """Each owner's first `limit` open actions, soonest due first, and how many are open: what
    a card shows, without sorting every open action (a partner may have thousands)."""
    grouped: dict[str, list[Action]] = {owner: [] for owner in owner_ids}
    for action in actions:
        if action.is_open:
            grouped.setdefault(action.owner_id, []).append(action)
    return {
        owner: (heapq.nsmallest(limit, owned, key=_soonest_due), len(owned))
        for owner, owned in grouped.items()
    }


def _soonest_due(action: Action) -> tuple[date, datetime]:
    return (action.due_on, action.created_at)


class EntryKind(StrEnum):
    WIN = "win"
    OBSTACLE = "obstacle"
    IDEA = "idea"
    HELP = "help"
    VISION = "vision"
    """Where a partner is, and what they'd like to achieve (the kick-off)."""
    NOTE = "note"
    """A note from a free discussion."""

    @property
    def label(self) -> str:
        return {
            "win": "Win",
            "obstacle": "Obstacle",
            "idea": "Idea",
            "help": "Help asked",
            "vision": "Vision",
            "note": "Note",
        }[self.value]


@record
class Entry:
    """A short free-text entry made in a session: a win, an obstacle, an idea, help asked for."""

    session_id: str
    partner_id: str
    kind: EntryKind
    text: str
    created_at: datetime
    id: str = field(default_factory=new_id)


def new_entry(
    raw_text: str,
    kind: EntryKind,
    partner_id: str,
    session_id: str,
    now: datetime,
    *,
    entry_id: str | None = None,
) -> Entry:
    text = clean_text(raw_text, what=f"The {kind.label.lower()}", max_length=ENTRY_LENGTH)
    return Entry(
        session_id=session_id,
        partner_id=partner_id,
        kind=kind,
        text=text,
        created_at=now,
        id=entry_id or new_id(),
    )


OBSTACLE_KINDS = (EntryKind.OBSTACLE, EntryKind.IDEA, EntryKind.HELP)


@record
class PartnerSummary:
    """What one partner's session came to, for the wrap-up."""

    partner_id: str
    present: bool
    done: list[Action]
    carried: list[Action]
    """Partly done or not done, and carried forward (each with what got in the way)."""
    let_go: list[Action]
    """Dropped, or partly/not done and not carried (each with what got in the way)."""
    wins: list[Entry]
    obstacles: list[Entry]
    """Obstacles, ideas and help asked for, in the order they were entered."""
    notes: list[Entry]
    """Vision shared and discussion notes; the group's notes are under partner id ""."""
    new_actions: list[Action]
    """Agreed in this session, carried ones included."""
    still_open: list[Action]
    """From earlier sessions, not reviewed this time."""

    @property
    def is_empty(self) -> bool:
        return not (
            self.done
            or self.notes
            or self.carried
            or self.let_go
            or self.wins
            or self.obstacles
            or self.new_actions
            or self.still_open
        )


def summarise(
    session_id: str,
    partner_ids: Iterable[str],
    present: Iterable[str],
    actions: Iterable[Action],
    entries: Iterable[Entry],
) -> list[PartnerSummary]:
    """Each partner present, anyone away who was given an action in this session, and the
    group's own notes (partner id "") when there are any."""
    actions = list(actions)
    entries = sorted(entries, key=lambda e: e.created_at)
    here = set(present)
    carried_ids = {a.carried_from for a in actions if a.created_in == session_id and a.carried_from}
    summaries = []
    together = [e for e in entries if e.partner_id == ""]
    for partner_id in [*partner_ids, *([""] if together else [])]:
        new_actions = agreed_in(actions, partner_id, session_id)
        if partner_id not in here and not new_actions and partner_id != "":
            continue
        owned = to_review(actions, partner_id, session_id)
        reviewed = [a for a in owned if a.reviewed_in == session_id]
        mine = [e for e in entries if e.partner_id == partner_id]
        summaries.append(
            PartnerSummary(
                partner_id=partner_id,
                present=partner_id in here or partner_id == "",
                done=[a for a in reviewed if a.status is ActionStatus.DONE],
                carried=[a for a in reviewed if a.id in carried_ids],
                let_go=[
                    a
                    for a in reviewed
                    if a.status is not ActionStatus.DONE and a.id not in carried_ids
                ],
                wins=[e for e in mine if e.kind is EntryKind.WIN],
                obstacles=[e for e in mine if e.kind in OBSTACLE_KINDS],
                notes=[e for e in mine if e.kind in (EntryKind.VISION, EntryKind.NOTE)],
                new_actions=new_actions,
                still_open=[a for a in owned if a.is_open],
            )
        )
    return summaries

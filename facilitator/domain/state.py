"""What a meeting holds at one moment: a snapshot that is never changed, only replaced.

Every process builds its snapshot from the data file; a change is applied to the latest
stored snapshot and gives a new one. Records are values, so a snapshot handed from the
storage thread to the screen can be read by both without locks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import TypeVar

from facilitator.domain import actions as act
from facilitator.domain.actions import Action, Entry, EntryKind
from facilitator.domain.agreement import AgreementVersion
from facilitator.domain.goals import Goal
from facilitator.domain.ids import new_id
from facilitator.domain.partnership import Partnership
from facilitator.domain.prep import Prep
from facilitator.domain.record import record
from facilitator.domain.session import Session

LOG_LENGTH = 60
"""How many recent changes the shared log keeps, so every open screen can say who did what."""


V = TypeVar("V")


def frozen_map(items: Mapping[str, V] | None = None) -> Mapping[str, V]:
    """A read-only mapping: a snapshot's records can't be changed in place."""
    return MappingProxyType(dict(items or {}))


@record
class Author:
    """Who made a change: one open screen (a terminal, a browser tab, the command line)."""

    client: str
    """A random id per running app, so each screen recognises its own changes."""
    label: str
    """What the others see, e.g. "ana's terminal (pts/3)"."""


NOBODY = Author(client="", label="")


@record
class Note:
    """One line in the shared log of changes: what was done, by which screen."""

    at: datetime
    client: str
    label: str
    text: str
    record: str = ""
    """The record the change was about, if any."""
    to: str = ""
    """The screen whose change this one replaced: it is told."""
    id: str = field(default_factory=new_id)


@record
class Draft:
    """Text typed in a box but not entered yet, kept for the partner who typed it."""

    box: str
    """Which box, e.g. "win", "obstacle-entry", "action-new"."""
    partner_id: str
    text: str
    updated_at: datetime

    @property
    def key(self) -> str:
        return draft_key(self.box, self.partner_id)


def draft_key(box: str, partner_id: str) -> str:
    return f"{box}:{partner_id}"


@record
class SetupDraft:
    """The set-up form as typed so far, before the partnership exists."""

    name: str = ""
    partners: tuple[str, ...] = ()
    cadence: str = "weekly"
    minutes: str = ""


@record
class MeetingState:
    partnership: Partnership | None = None
    actions: Mapping[str, Action] = field(default_factory=frozen_map)
    """Open actions, and the ones reviewed or agreed in the live session."""
    session: Session | None = None
    """The live session, or one just finished whose move to history is under way."""
    entries: Mapping[str, Entry] = field(default_factory=frozen_map)
    """The live session's wins, obstacles, ideas and help asked for."""
    drafts: Mapping[str, Draft] = field(default_factory=frozen_map)
    setup: SetupDraft | None = None
    log: tuple[Note, ...] = ()
    goals: Mapping[str, Goal] = field(default_factory=frozen_map)
    agreements: tuple[AgreementVersion, ...] = ()
    """Every version of the agreement, oldest first (the last is the current one)."""
    preps: Mapping[str, Prep] = field(default_factory=frozen_map)
    """Each partner's preparation for the next session, by partner."""

    # Derived views ----------------------------------------------------------------------------

    @property
    def live(self) -> Session | None:
        """The session in progress; None when there is none, or it has just finished."""
        session = self.session
        return session if session is not None and not session.finished else None

    def action(self, action_id: str | None) -> Action | None:
        return self.actions.get(action_id) if action_id else None

    def entry(self, entry_id: str | None) -> Entry | None:
        return self.entries.get(entry_id) if entry_id else None

    def draft(self, box: str, partner_id: str) -> str:
        found = self.drafts.get(draft_key(box, partner_id))
        return found.text if found is not None else ""

    def today(self, now: datetime) -> date:
        if self.partnership is None:
            return now.date()
        return self.partnership.local_date(now)

    def session_date(self) -> date | None:
        session = self.session
        if session is None or self.partnership is None:
            return None
        return self.partnership.local_date(session.started_at)

    def next_session_date(self, now: datetime) -> date:
        """The next meeting: one cadence after the live session, or after today outside one."""
        if self.partnership is None:
            return self.today(now)
        base = self.session_date() or self.today(now)
        return self.partnership.next_after(base)

    def open_actions_by_owner(self) -> dict[str, list[Action]]:
        if self.partnership is None:
            return {}
        owners = [p.id for p in self.partnership.partners]
        return act.open_by_owner(self.actions.values(), owners)

    def open_action_heads(self, limit: int) -> dict[str, tuple[list[Action], int]]:
        """Each partner's first `limit` open actions, soonest due first, and how many are open."""
        if self.partnership is None:
            return {}
        owners = [p.id for p in self.partnership.partners]
        return act.open_heads_by_owner(self.actions.values(), owners, limit)

    def to_review(self, partner_id: str) -> list[Action]:
        session = self.live
        if session is None:
            return []
        return act.to_review(self.actions.values(), partner_id, session.id)

    def agreed(self, partner_id: str) -> list[Action]:
        session = self.live
        if session is None:
            return []
        return act.agreed_in(self.actions.values(), partner_id, session.id)

    def agreed_for_others(self, partner_id: str) -> list[Action]:
        """Actions agreed in this session for partners who are away: shown on every turn."""
        session = self.live
        if session is None or self.partnership is None:
            return []
        away = [p.id for p in self.partnership.partners if p.id not in session.present]
        return [
            a for owner in away for a in act.agreed_in(self.actions.values(), owner, session.id)
        ]

    def entries_for(self, partner_id: str, *kinds: EntryKind) -> list[Entry]:
        found = [e for e in self.entries.values() if e.partner_id == partner_id and e.kind in kinds]
        return sorted(found, key=lambda e: e.created_at)

    def carried_copy(self, action_id: str) -> Action | None:
        session = self.live
        if session is None:
            return None
        return next(
            (
                a
                for a in self.actions.values()
                if a.carried_from == action_id and a.created_in == session.id
            ),
            None,
        )

    def summary(self) -> list[act.PartnerSummary]:
        session = self.session
        if session is None or self.partnership is None:
            return []
        return act.summarise(
            session.id,
            [p.id for p in self.partnership.partners],
            session.present,
            self.actions.values(),
            self.entries.values(),
        )

    def partner_name(self, partner_id: str | None) -> str:
        if partner_id is None:
            return "Everyone"
        if self.partnership is None:
            return "someone"
        return self.partnership.partner_name(partner_id)

    # Building new snapshots -------------------------------------------------------------------

    def with_actions(
        self, saves: Iterable[Action] = (), deletes: Iterable[str] = ()
    ) -> MeetingState:
        actions = dict(self.actions)
        for action in saves:
            actions[action.id] = action
        for action_id in deletes:
            actions.pop(action_id, None)
        return replace(self, actions=frozen_map(actions))

    def with_entries(
        self, saves: Iterable[Entry] = (), deletes: Iterable[str] = ()
    ) -> MeetingState:
        entries = dict(self.entries)
        for entry in saves:
            entries[entry.id] = entry
        for entry_id in deletes:
            entries.pop(entry_id, None)
        return replace(self, entries=frozen_map(entries))

    def with_drafts(self, saves: Iterable[Draft] = (), deletes: Iterable[str] = ()) -> MeetingState:
        drafts = dict(self.drafts)
        for draft in saves:
            drafts[draft.key] = draft
        for key in deletes:
            drafts.pop(key, None)
        return replace(self, drafts=frozen_map(drafts))

    def with_goals(self, saves: Iterable[Goal] = (), deletes: Iterable[str] = ()) -> MeetingState:
        goals = dict(self.goals)
        for goal in saves:
            goals[goal.id] = goal
        for goal_id in deletes:
            goals.pop(goal_id, None)
        return replace(self, goals=frozen_map(goals))

    def with_preps(self, saves: Iterable[Prep] = (), deletes: Iterable[str] = ()) -> MeetingState:
        preps = dict(self.preps)
        for prep in saves:
            preps[prep.partner_id] = prep
        for partner_id in deletes:
            preps.pop(partner_id, None)
        return replace(self, preps=frozen_map(preps))

    def goals_of(self, partner_id: str, *, active_only: bool = False) -> list[Goal]:
        found = [g for g in self.goals.values() if g.owner_id == partner_id]
        if active_only:
            found = [g for g in found if g.is_active]
        return sorted(found, key=lambda g: (g.deadline or date.max, g.created_on, g.what))

    def with_note(self, note: Note) -> MeetingState:
        return replace(self, log=(*self.log, note)[-LOG_LENGTH:])


def looks_the_same(before: MeetingState, after: MeetingState) -> bool:
    """Whether two snapshots show the same: they differ at most in when the live session was
    last seen in use (a heartbeat), which no screen draws."""
    if before is after:
        return True
    same_records = all(
        getattr(before, name) is getattr(after, name)
        or getattr(before, name) == getattr(after, name)
        for name in (
            "partnership",
            "actions",
            "entries",
            "drafts",
            "setup",
            "log",
            "goals",
            "agreements",
            "preps",
        )
    )
    if not same_records:
        return False
    a, b = before.session, after.session
    if a is None or b is None:
        return a is b
    return replace(a, seen_at=None) == replace(b, seen_at=None)

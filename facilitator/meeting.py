"""The meeting as one screen holds it: what is stored, with its own changes not yet stored.

A `Meeting` is the one path by which every screen learns of a change. Each change a person
makes is applied at once to what the screen shows (so the screen answers immediately) and
handed to the store, which applies the same change to what is stored now. When the store
reports back, with this change written or with another process's change read, the shown
snapshot is rebuilt as "stored, plus my changes still on their way", and every listener is
told what the snapshot was and what it is now. It knows nothing of Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from facilitator.domain import actions as act
from facilitator.domain.actions import Action, ActionStatus, Entry, EntryKind
from facilitator.domain.clock import Clock, local_date, zone_named
from facilitator.domain.goals import Goal, GoalStatus, Progress
from facilitator.domain.ids import new_id
from facilitator.domain.partnership import Cadence, Partner, Partnership
from facilitator.domain.planning import plan_agenda
from facilitator.domain.prep import Prep
from facilitator.domain.record import record
from facilitator.domain.session import Session, Turn
from facilitator.domain.state import (
    NOBODY,
    Author,
    MeetingState,
    Note,
    SetupDraft,
    looks_the_same,
)
from facilitator.store.repository import Apply, Repository

if TYPE_CHECKING:
    from facilitator.domain import changes as ch
    from facilitator.domain.changes import Change, Outcome
    from facilitator.store.presence import Screen
else:

    class _Changes:
        """facilitator.domain.changes, imported when the first change is made: its thirty
        record types take a noticeable part of start-up, and home needs none of them."""

        def __getattr__(self, name: str) -> Any:
            from facilitator.domain import changes

            return getattr(changes, name)

    ch = _Changes()

Submit = Callable[[int, Apply], None]


@record
class Update:
    """What a listener is told: the snapshot before and after, and anything to say."""

    before: MeetingState
    after: MeetingState
    notices: tuple[str, ...] = ()
    """About this screen's own changes: the data had moved on (a conflict, a record gone)."""
    activity: tuple[Note, ...] = ()
    """Other screens' changes, as logged by them."""
    stored: bool = True
    """False while this screen's own change is shown but not yet written."""


Listener = Callable[[Update], None]


class Meeting:
    def __init__(
        self,
        repository: Repository,
        clock: Clock,
        *,
        author: Author = NOBODY,
        state: MeetingState | None = None,
    ) -> None:
        self.repository = repository
        self.clock = clock
        self.author = author
        self._submit: Submit = self._write_now
        self._seq = 0
        self._pending: list[tuple[int, Change]] = []
        self._quiet: set[int] = set()
        """Changes no one needs to see happen (the session's heartbeat)."""
        self._told_stored = True
        self.stored: MeetingState = state if state is not None else repository.read()
        self.state: MeetingState = self.stored
        self._listeners: list[Listener] = []
        self._seen_notes = {note.id for note in self.stored.log}
        self.others: tuple[Screen, ...] = ()
        self.problem: str | None = None
        """Why changes can't be saved right now (None when all is well)."""

    # Wiring -----------------------------------------------------------------------------------

    def use_store_thread(self, submit: Submit) -> None:
        """Hand changes to a store thread instead of writing them on the caller's thread."""
        self._submit = submit

    def listen(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return partial(self._unlisten, listener)

    def _unlisten(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    @property
    def unsaved(self) -> int:
        """This screen's changes shown but not yet stored (heartbeats aside)."""
        return sum(1 for seq, _ in self._pending if seq not in self._quiet)

    def _write_now(self, seq: int, apply: Apply) -> None:
        """Without a store thread (tests, the command line): write at once on this thread."""
        self.stored_change(seq, self.repository.update(apply))

    # Making changes ---------------------------------------------------------------------------

    def do(self, change: Change, *, quiet: bool = False) -> Outcome:
        """Show a change at once and send it to the store. A quiet change shows nothing
        (nothing on screen depends on it) and doesn't count as unsaved."""
        self._seq += 1
        seq = self._seq
        before = self.state
        outcome = change.run(before, self.author)
        self.state = outcome.state
        self._pending.append((seq, change))
        if quiet:
            self._quiet.add(seq)
        else:
            self._tell(Update(before, self.state, stored=False))
        self._submit(seq, partial(change.run, author=self.author))
        return outcome

    # What the store reports -------------------------------------------------------------------

    def stored_change(self, seq: int, outcome: Outcome) -> None:
        """The store wrote change `seq`; `outcome` is what it came to on the stored data."""
        self._pending = [(s, c) for s, c in self._pending if s > seq]
        self._quiet = {s for s in self._quiet if s > seq}
        self._rebase(outcome.state, outcome.notices)

    def seen(self, state: MeetingState) -> None:
        """Another process changed the data."""
        self._rebase(state, ())

    def others_changed(self, screens: tuple[Screen, ...]) -> None:
        self.others = screens
        self._tell(Update(self.state, self.state, stored=not self.unsaved))

    def save_problem(self, problem: str | None) -> None:
        """The store can't save (a message for the person), or can again (None)."""
        self.problem = problem
        self._tell(Update(self.state, self.state, stored=not self.unsaved))

    def _rebase(self, stored: MeetingState, notices: tuple[str, ...]) -> None:
        before = self.state
        self.stored = stored
        state = stored
        for _, change in self._pending:
            state = change.run(state, self.author).state
        self.state = state
        fresh = [n for n in stored.log if n.id not in self._seen_notes]
        self._seen_notes.update(n.id for n in fresh)
        activity = tuple(n for n in fresh if n.client != self.author.client)
        stored_all = not self.unsaved
        if (
            not notices
            and not activity
            and stored_all == self._told_stored
            and looks_the_same(before, state)
        ):
            return  # a heartbeat, here or on another screen: nothing on any screen changed
        self._tell(Update(before, state, notices, activity, stored=stored_all))

    def _tell(self, update: Update) -> None:
        self._told_stored = update.stored
        for listener in list(self._listeners):
            listener(update)

    # Reading ----------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.state.today(self.clock())

    @property
    def partnership(self) -> Partnership | None:
        return self.state.partnership

    @property
    def the_partnership(self) -> Partnership:
        if self.state.partnership is None:
            raise RuntimeError("no partnership yet")
        return self.state.partnership

    @property
    def session(self) -> Session | None:
        """The live session (None once finished, even while its move to history is under way)."""
        return self.state.live

    @property
    def live(self) -> Session:
        session = self.state.live
        if session is None:
            raise RuntimeError("no session in progress")
        return session

    @property
    def turn(self) -> Turn:
        return self.live.current_turn

    def partner_name(self, partner_id: str | None) -> str:
        return self.state.partner_name(partner_id)

    def session_date(self) -> date:
        day = self.state.session_date()
        return day if day is not None else self.today()

    def next_session_date(self) -> date:
        return self.state.next_session_date(self.clock())

    def open_actions_by_owner(self) -> dict[str, list[Action]]:
        return self.state.open_actions_by_owner()

    def to_review(self, partner_id: str) -> list[Action]:
        return self.state.to_review(partner_id)

    def agreed(self, partner_id: str) -> list[Action]:
        return self.state.agreed(partner_id)

    def entries_for(self, partner_id: str, *kinds: EntryKind) -> list[Entry]:
        return self.state.entries_for(partner_id, *kinds)

    def summary(self) -> list[act.PartnerSummary]:
        return self.state.summary()

    # The partnership --------------------------------------------------------------------------

    def create_partnership(
        self,
        name: str,
        partner_names: list[str],
        cadence: Cadence,
        session_minutes: int,
        time_zone: str,
    ) -> Partnership:
        now = self.clock()
        partnership = Partnership(
            name=name,
            partners=tuple(Partner(name=n) for n in partner_names),
            cadence=cadence,
            session_minutes=session_minutes,
            created_on=local_date(now, zone_named(time_zone)),
            time_zone=time_zone,
        )
        self.do(ch.CreatePartnership(at=now, partnership=partnership))
        return self.the_partnership

    def save_setup_draft(self, draft: SetupDraft) -> None:
        if self.state.setup != draft and self.state.partnership is None:
            self.do(ch.SaveSetupDraft(at=self.clock(), draft=draft))

    # The session ------------------------------------------------------------------------------

    def begin_session(self, present: list[str], *, with_review: bool | None = None) -> Session:
        """Start a session: the kick-off agenda the first time, then the agreed agenda with a
        check-in, and the term review when it is due (or asked for)."""
        partnership = self.the_partnership
        agenda = plan_agenda(partnership, self.today(), with_review=with_review)
        session = Session.begin(partnership, present, self.clock(), agenda=agenda)
        self.do(ch.BeginSession(at=self.clock(), session=session))
        return self.live

    def set_aside_session(self) -> None:
        """Discard the unfinished session: kept in history as abandoned, with its entries."""
        self._session_change(lambda at, sid: ch.SetAsideSession(at=at, session_id=sid))

    def recover_interrupted(self) -> None:
        """A session found running when no screen is on it (a quit or crash): its clock stops
        at the moment it was last stored in use."""
        session = self.state.live
        if session is not None and session.timer.running:
            self.do(ch.ResumeAfterInterruption(at=self.clock(), session_id=session.id))

    def _session_change(self, make: Callable[[datetime, str], Change]) -> None:
        session = self.state.live
        if session is not None:
            self.do(make(self.clock(), session.id))

    def heartbeat(self) -> None:
        session = self.state.live
        if session is not None and session.timer.running:
            self.do(ch.Heartbeat(at=self.clock(), session_id=session.id), quiet=True)

    def pause(self) -> None:
        self._set_clock_running(False)

    def resume(self) -> None:
        self._set_clock_running(True)

    def _set_clock_running(self, running: bool) -> None:
        """Pause or start the clock, if it isn't already: saying "pause" twice, as two
        screens may at once, never starts it again."""
        session = self.state.live
        if session is not None and session.timer.running != running:
            self._session_change(
                lambda at, sid: ch.SetClockRunning(at=at, session_id=sid, running=running)
            )

    def add_minute(self) -> None:
        turn = self.live.timer.current
        self._session_change(lambda at, sid: ch.AddMinute(at=at, session_id=sid, turn=turn))

    def _move(self, target: int) -> None:
        current = self.live.timer.current
        self._session_change(
            lambda at, sid: ch.MoveTurn(at=at, session_id=sid, from_turn=current, to_turn=target)
        )

    def next_turn(self) -> None:
        self._move(self.live.timer.current + 1)

    def previous_turn(self) -> None:
        self._move(self.live.timer.current - 1)

    def next_phase(self) -> None:
        self._move(self.live.next_phase_turn())

    def previous_phase(self) -> None:
        self._move(self.live.previous_phase_turn())

    def pause_for_quit(self) -> None:
        """Leaving stops the clock, so the session resumes where it stopped; unless another
        screen is still on it, in which case the meeting goes on there."""
        if not self.others:
            self.pause()

    def finish_session(self) -> date:
        """End the session; it moves to history. Returns the next session's date."""
        next_date = self.next_session_date()
        self._session_change(lambda at, sid: ch.FinishSession(at=at, session_id=sid))
        return next_date

    # Review -----------------------------------------------------------------------------------

    def mark(
        self, action: Action, status: ActionStatus, *, in_the_way: str = "", carry: bool = False
    ) -> None:
        act.mark(action, status, "", in_the_way=in_the_way, now=self.clock())  # validates
        self.do(
            ch.MarkAction(
                at=self.clock(),
                session_id=self.live.id,
                action_id=action.id,
                status=status,
                seen_status=action.status,
                in_the_way=in_the_way,
                carry=carry,
                carry_id=new_id(),
            )
        )

    def unmark(self, action: Action) -> None:
        self.do(ch.UnmarkAction(at=self.clock(), session_id=self.live.id, action_id=action.id))

    # Entries ----------------------------------------------------------------------------------

    def add_entry(self, raw_text: str, kind: EntryKind, partner_id: str, box: str = "") -> Entry:
        """Validate and add an entry (raises InvalidText with a message for the person)."""
        entry = act.new_entry(raw_text, kind, partner_id, self.live.id, self.clock())
        self.do(ch.AddEntry(at=self.clock(), entry=entry, box=box))
        return entry

    def remove_entry(self, entry: Entry) -> None:
        self.do(ch.RemoveEntry(at=self.clock(), entry_id=entry.id))

    def restore_entry(self, entry: Entry) -> None:
        self.do(ch.AddEntry(at=self.clock(), entry=entry))

    def save_draft(self, box: str, partner_id: str, text: str) -> None:
        if self.state.draft(box, partner_id) != text:
            self.do(ch.SaveDraft(at=self.clock(), box=box, partner_id=partner_id, text=text))

    def draft(self, box: str, partner_id: str) -> str:
        return self.state.draft(box, partner_id)

    # Agreeing actions -------------------------------------------------------------------------

    def add_action(
        self,
        raw_text: str,
        owner_id: str,
        due_on: date,
        box: str = "",
        *,
        goal_id: str | None = None,
    ) -> Action:
        action = act.new_action(
            raw_text, owner_id, due_on, self.live.id, self.clock(), goal_id=goal_id
        )
        self.do(ch.AddAction(at=self.clock(), action=action, box=box))
        return action

    def edit_action(
        self,
        action: Action,
        raw_text: str,
        owner_id: str,
        due_on: date,
        *,
        goal_id: str | None = None,
    ) -> None:
        edited = act.new_action(
            raw_text, owner_id, due_on, action.created_in, action.created_at, goal_id=goal_id
        )
        self.do(
            ch.EditAction(
                at=self.clock(),
                action_id=action.id,
                seen=ch.ActionFields.of(action),
                wanted=ch.ActionFields.of(edited),
            )
        )

    def confirm_action(self, action: Action) -> None:
        self.do(ch.ConfirmAction(at=self.clock(), action_id=action.id))

    def drop_new_action(self, action: Action) -> None:
        self.do(ch.DropAction(at=self.clock(), action_id=action.id))

    def restore_action(self, action: Action) -> None:
        self.do(ch.RestoreAction(at=self.clock(), action=action))

    # The partnership's terms, partners and agreement ---------------------------------------

    def change_terms(self, seen: ch.PartnershipTerms, wanted: ch.PartnershipTerms) -> None:
        """Change the name, partners' names, rhythm, length or agreement, as seen on a form
        opened with `seen`; a dated version of the agreement is kept."""
        self.do(ch.ChangeTerms(at=self.clock(), seen=seen, wanted=wanted, agreed_on=self.today()))

    def add_partner(self, name: str) -> None:
        self.do(ch.AddPartner(at=self.clock(), partner=Partner(name=name)))

    def remove_partner(self, partner_id: str, reassign_to: str | None) -> None:
        self.do(ch.RemovePartner(at=self.clock(), partner_id=partner_id, reassign_to=reassign_to))

    # Goals ----------------------------------------------------------------------------------

    def goals_of(self, partner_id: str, *, active_only: bool = False) -> list[Goal]:
        return self.state.goals_of(partner_id, active_only=active_only)

    def save_goal(self, goal: Goal, *, reason: str = "") -> None:
        self.do(ch.SaveGoal(at=self.clock(), goal=goal, reason=reason))

    def record_progress(
        self, goal_id: str, value: float | None, note: str = "", on: date | None = None
    ) -> None:
        progress = Progress(on=on or self.today(), value=value, note=note)
        self.do(ch.RecordProgress(at=self.clock(), goal_id=goal_id, progress=progress))

    def close_goal(self, goal_id: str, status: GoalStatus) -> None:
        self.do(ch.CloseGoal(at=self.clock(), goal_id=goal_id, status=status))

    # Preparation ----------------------------------------------------------------------------

    def prep_of(self, partner_id: str) -> Prep:
        return self.state.preps.get(partner_id) or Prep(
            partner_id=partner_id, updated_at=self.clock()
        )

    def save_prep(self, prep: Prep) -> None:
        self.do(ch.SavePrep(at=self.clock(), prep=prep))

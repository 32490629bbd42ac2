"""The meeting as the app holds it: the live data in memory, every change saved as it is made.

Screens read from and act through a `Meeting`; it applies each change to the domain objects,
then hands the converted documents to `submit`, which writes them (in the app, on a
background thread, in order). It knows nothing of Textual, so tests can drive it directly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from facilitator.domain import actions as act
from facilitator.domain.actions import Action, ActionStatus, Entry, EntryKind, PartnerSummary
from facilitator.domain.clock import Clock, local_date
from facilitator.domain.partnership import Cadence, Partner, Partnership
from facilitator.domain.session import Session, Turn
from facilitator.store.repository import Record, Repository

Submit = Callable[[Callable[[], None]], None]


def write_now(job: Callable[[], None]) -> None:
    """Run a save at once, on this thread (tests, benchmarks, the command line)."""
    job()


class Meeting:
    def __init__(self, repository: Repository, clock: Clock, submit: Submit = write_now) -> None:
        self.repository = repository
        self.clock = clock
        self._submit = submit
        live = repository.load_live()
        self.partnership: Partnership | None = live.partnership
        self.actions: list[Action] = live.actions
        self.session: Session | None = live.session
        self.entries: list[Entry] = live.entries
        if self.session is not None:
            # Found mid-session (after a quit or crash): its clock stopped when it was last
            # in use, whatever happens next, so the time away is never counted.
            self.session.resume_after_interruption()

    # Saving ------------------------------------------------------------------------------------

    def _save(self, *records: Record, deletes: tuple[Record, ...] = ()) -> None:
        change = self.repository.changes(saves=records, deletes=deletes)
        self._submit(partial(self.repository.apply, change))

    def save_draft(self, draft: dict[str, object]) -> None:
        self._submit(partial(self.repository.save_draft, dict(draft)))

    # Time ----------------------------------------------------------------------------------------

    def today(self) -> date:
        return local_date(self.clock())

    # The partnership -----------------------------------------------------------------------------

    def create_partnership(
        self, name: str, partner_names: list[str], cadence: Cadence, session_minutes: int
    ) -> Partnership:
        partnership = Partnership(
            name=name,
            partners=[Partner(name=n) for n in partner_names],
            cadence=cadence,
            session_minutes=session_minutes,
            created_on=self.today(),
        )
        self.partnership = partnership
        self._submit(partial(self.repository.create_partnership, partnership))
        return partnership

    @property
    def the_partnership(self) -> Partnership:
        if self.partnership is None:
            raise RuntimeError("no partnership yet")
        return self.partnership

    def partner_name(self, partner_id: str | None) -> str:
        if partner_id is None:
            return "Everyone"
        return self.the_partnership.partner_name(partner_id)

    def open_actions_by_owner(self) -> dict[str, list[Action]]:
        owners = [p.id for p in self.the_partnership.partners]
        return act.open_by_owner(self.actions, owners)

    # The session ---------------------------------------------------------------------------------

    @property
    def live(self) -> Session:
        if self.session is None:
            raise RuntimeError("no session in progress")
        return self.session

    def begin_session(self, present: list[str]) -> Session:
        self.session = Session.begin(self.the_partnership, present, self.clock())
        self.entries = []
        self.touch()
        return self.session

    def resume_session(self) -> Session:
        session = self.live
        session.resume_after_interruption()
        self.touch()
        return session

    def touch(self) -> None:
        """Store the session's timer state, stamped as in use now."""
        session = self.live
        session.seen_at = self.clock()
        self._save(session)

    def session_date(self) -> date:
        return local_date(self.live.started_at)

    def next_session_date(self) -> date:
        """The next meeting, one cadence after this session (or after today outside one)."""
        base = self.session_date() if self.session else self.today()
        return self.the_partnership.cadence.after(base)

    def toggle_pause(self) -> None:
        self.live.timer.toggle(self.clock())
        self.touch()

    def add_minute(self) -> None:
        self.live.timer.extend()
        self.touch()

    def next_turn(self) -> None:
        self.live.next_turn(self.clock())
        self.touch()

    def previous_turn(self) -> None:
        self.live.previous_turn(self.clock())
        self.touch()

    def next_phase(self) -> None:
        self.live.next_phase(self.clock())
        self.touch()

    def previous_phase(self) -> None:
        self.live.previous_phase(self.clock())
        self.touch()

    def pause_for_quit(self) -> None:
        """Quitting mid-session stops its clock, so it resumes exactly where it stopped."""
        if self.session is not None:
            self.session.timer.pause(self.clock())
            self.touch()

    @property
    def turn(self) -> Turn:
        return self.live.current_turn

    # Review --------------------------------------------------------------------------------------

    def to_review(self, partner_id: str) -> list[Action]:
        return act.to_review(self.actions, partner_id, self.live.id)

    def mark(
        self, action: Action, status: ActionStatus, *, in_the_way: str = "", carry: bool = False
    ) -> Action | None:
        """Mark an action reviewed; a carried copy joins this session's actions."""
        previous_copy = self._carried_copy(action)
        carried = act.mark(
            action,
            status,
            self.live.id,
            in_the_way=in_the_way,
            carry_due_on=self.next_session_date() if carry else None,
            now=self.clock(),
        )
        saves: list[Record] = [action]
        deletes: tuple[Record, ...] = ()
        if carried is not None and previous_copy is not None:
            carried = previous_copy  # marked again: keep the copy already carried (and edited)
        elif carried is not None:
            self.actions.append(carried)
        elif previous_copy is not None:
            self.actions.remove(previous_copy)
            deletes = (previous_copy,)
        if carried is not None:
            saves.append(carried)
        self._save(*saves, deletes=deletes)
        return carried

    def unmark(self, action: Action) -> None:
        act.unmark(action)
        copy = self._carried_copy(action)
        if copy is not None:
            self.actions.remove(copy)
            self._save(action, deletes=(copy,))
        else:
            self._save(action)

    def _carried_copy(self, action: Action) -> Action | None:
        session_id = self.live.id
        return next(
            (a for a in self.actions if a.carried_from == action.id and a.created_in == session_id),
            None,
        )

    # Entries: wins, obstacles, ideas, help asked --------------------------------------------

    def add_entry(self, raw_text: str, kind: EntryKind, partner_id: str) -> Entry:
        entry = act.new_entry(raw_text, kind, partner_id, self.live.id, self.clock())
        self.entries.append(entry)
        self._save(entry)
        return entry

    def remove_entry(self, entry: Entry) -> None:
        self.entries.remove(entry)
        self._save(deletes=(entry,))

    def entries_for(self, partner_id: str, *kinds: EntryKind) -> list[Entry]:
        return [e for e in self.entries if e.partner_id == partner_id and e.kind in kinds]

    # Agreeing actions ----------------------------------------------------------------------------

    def agreed(self, partner_id: str) -> list[Action]:
        return act.agreed_in(self.actions, partner_id, self.live.id)

    def add_action(self, raw_text: str, owner_id: str, due_on: date) -> Action:
        action = act.new_action(raw_text, owner_id, due_on, self.live.id, self.clock())
        self.actions.append(action)
        self._save(action)
        return action

    def edit_action(self, action: Action, raw_text: str, owner_id: str, due_on: date) -> None:
        edited = act.new_action(raw_text, owner_id, due_on, action.created_in, action.created_at)
        action.text, action.owner_id, action.due_on = edited.text, edited.owner_id, edited.due_on
        action.confirmed = True
        self._save(action)

    def confirm_action(self, action: Action) -> None:
        action.confirmed = True
        self._save(action)

    def drop_new_action(self, action: Action) -> None:
        """Remove an action agreed in this session (a carried one goes back to not carried)."""
        self.actions.remove(action)
        self._save(deletes=(action,))

    # Wrap-up -------------------------------------------------------------------------------------

    def summary(self) -> list[PartnerSummary]:
        return act.summarise(self.live.id, self.live.present, self.actions, self.entries)

    def finish_session(self) -> date:
        """End the session: store it as finished, and return the next session's date."""
        session = self.live
        partnership = self.the_partnership
        next_date = self.next_session_date()
        session.finish(self.clock())
        partnership.last_session_on = self.session_date()
        self._submit(partial(self.repository.finish_session, session, partnership))
        self.actions = [a for a in self.actions if a.is_open]
        self.entries = []
        self.session = None
        return next_date

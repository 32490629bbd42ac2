"""Changes to a meeting, applied to the latest stored snapshot, never to a screen's copy.

Each change says what the person meant, in terms that still make sense if another screen
changed the data in the meantime: "pause the clock I saw running", "go from turn 3 to
turn 4", "set this action's due date, which I saw as Friday". Applied to a snapshot, it
gives the new snapshot and what to tell the person when the data had moved on: a change
that no longer applies is never silently lost, and a conflict is decided and said.

Ids of new records are chosen when the change is made, so applying a change twice (once
on the screen straight away, once on the file) gives the same records.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import ClassVar

from facilitator.domain import actions as act
from facilitator.domain.actions import Action, ActionStatus, Entry
from facilitator.domain.partnership import Partnership
from facilitator.domain.session import Session
from facilitator.domain.state import (
    Author,
    Draft,
    MeetingState,
    Note,
    SetupDraft,
    draft_key,
    frozen_map,
)


def quoted(text: str, limit: int = 40) -> str:
    """A short quotation of someone's text for a message."""
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


@dataclass(frozen=True)
class Outcome:
    state: MeetingState
    notices: tuple[str, ...] = ()
    """What to tell the person who made the change (the data had moved on)."""


@dataclass(frozen=True)
class Change:
    """A change someone made at `at`; `apply` gives the new snapshot."""

    at: datetime
    logged: ClassVar[bool] = True
    """Whether other screens are told of it in the shared log."""

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        raise NotImplementedError

    def describe(self, state: MeetingState) -> str:
        """What was done, for the other screens' activity line ("" says nothing)."""
        return ""

    def record_id(self) -> str:
        return ""

    def run(self, state: MeetingState, author: Author) -> Outcome:
        """Apply the change, and log it for the other screens."""
        outcome = self.apply(state, author)
        text = self.describe(state) if self.logged else ""
        if not text or outcome.state is state:
            return outcome
        note = Note(
            at=self.at,
            client=author.client,
            label=author.label,
            text=text,
            record=self.record_id(),
        )
        return replace(outcome, state=outcome.state.with_note(note))


def _unchanged(state: MeetingState, *notices: str) -> Outcome:
    return Outcome(state, tuple(notices))


def _last_editor(state: MeetingState, record_id: str, author: Author) -> Note | None:
    """The latest logged change to a record by another screen, if any."""
    for note in reversed(state.log):
        if note.record == record_id and note.client != author.client:
            return note
    return None


NO_SESSION = "The session was finished on another screen."


# The partnership --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreatePartnership(Change):
    partnership: Partnership

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        if state.partnership is not None:
            return _unchanged(
                state,
                f"{quoted(state.partnership.name)} was set up on another screen meanwhile, "
                "so that is the partnership you'll use.",
            )
        return Outcome(replace(state, partnership=self.partnership, setup=None))

    def describe(self, state: MeetingState) -> str:
        return f"set up {quoted(self.partnership.name)}"


@dataclass(frozen=True)
class SaveSetupDraft(Change):
    draft: SetupDraft
    logged: ClassVar[bool] = False

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        if state.partnership is not None or state.setup == self.draft:
            return _unchanged(state)
        return Outcome(replace(state, setup=self.draft))


# Starting, moving through and finishing a session ------------------------------------------------


@dataclass(frozen=True)
class BeginSession(Change):
    session: Session

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        if state.live is not None:
            if state.live.id == self.session.id:
                return _unchanged(state)
            return _unchanged(
                state, "Another screen had already started a session: you've joined it."
            )
        return Outcome(replace(state, session=self.session, entries=frozen_map()))

    def describe(self, state: MeetingState) -> str:
        return "started the session"


@dataclass(frozen=True)
class SessionChange(Change):
    """A change to the live session's clock or position, as seen in session `session_id`."""

    session_id: str

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        session = state.live
        if session is None or session.id != self.session_id:
            return _unchanged(state, NO_SESSION)
        changed, notice = self.change(session)
        if changed is session:
            return _unchanged(state, *([notice] if notice else []))
        return Outcome(replace(state, session=changed), (notice,) if notice else ())

    def change(self, session: Session) -> tuple[Session, str]:
        raise NotImplementedError


@dataclass(frozen=True)
class SetClockRunning(SessionChange):
    """Pause the clock seen running, or start the clock seen paused."""

    running: bool

    def change(self, session: Session) -> tuple[Session, str]:
        if session.timer.running == self.running:
            return session, ""  # the other screen did the same a moment ago: nothing to do
        timer = session.timer.start(self.at) if self.running else session.timer.pause(self.at)
        return session.with_timer(timer).seen(self.at), ""

    def describe(self, state: MeetingState) -> str:
        return "started the clock" if self.running else "paused the clock"


@dataclass(frozen=True)
class AddMinute(SessionChange):
    turn: int

    def change(self, session: Session) -> tuple[Session, str]:
        if not 0 <= self.turn < len(session.timer.allotted):
            return session, ""
        extra = list(session.timer.extra)
        extra[self.turn] += 60
        return session.with_timer(replace(session.timer, extra=tuple(extra))), ""

    def describe(self, state: MeetingState) -> str:
        return "added a minute to this turn"


@dataclass(frozen=True)
class MoveTurn(SessionChange):
    """Go from the turn the person saw to another; if the session already moved, stay."""

    from_turn: int
    to_turn: int

    def change(self, session: Session) -> tuple[Session, str]:
        if session.timer.current != self.from_turn:
            return session, ""  # another screen moved on at the same moment: keep theirs
        return session.go_to(self.to_turn, self.at).seen(self.at), ""

    def describe(self, state: MeetingState) -> str:
        session = state.live
        if session is None or not 0 <= self.to_turn < len(session.turns):
            return ""
        turn = session.turns[self.to_turn]
        whose = state.partner_name(turn.partner_id)
        return f"moved to {turn.phase.title} · {whose}"


@dataclass(frozen=True)
class Heartbeat(SessionChange):
    """The session is still in use: a crash now loses at most the time since."""

    logged: ClassVar[bool] = False

    def change(self, session: Session) -> tuple[Session, str]:
        return session.seen(self.at), ""


@dataclass(frozen=True)
class ResumeAfterInterruption(SessionChange):
    """Picked up after a quit or crash, with no other screen on it: paused where it stopped."""

    logged: ClassVar[bool] = False

    def change(self, session: Session) -> tuple[Session, str]:
        return session.resume_after_interruption(), ""


@dataclass(frozen=True)
class FinishSession(SessionChange):
    def apply(self, state: MeetingState, author: Author) -> Outcome:
        session = state.live
        if session is None or session.id != self.session_id:
            return _unchanged(state, "The session had already been finished on another screen.")
        if state.partnership is None:
            return _unchanged(state)
        finished = session.finish(self.at)
        partnership = state.partnership.with_last_session(
            state.partnership.local_date(session.started_at)
        )
        return Outcome(replace(state, session=finished, partnership=partnership))

    def describe(self, state: MeetingState) -> str:
        return "finished the session"


# Reviewing last time's actions ------------------------------------------------------------------


@dataclass(frozen=True)
class MarkAction(Change):
    session_id: str
    action_id: str
    status: ActionStatus
    seen_status: ActionStatus
    """The mark the person saw before marking: another screen's different mark is replaced."""
    in_the_way: str = ""
    carry: bool = False
    carry_id: str = ""
    """The id of the carried copy, chosen when the change was made."""

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        session = state.live
        action = state.action(self.action_id)
        if session is None or session.id != self.session_id:
            return _unchanged(state, NO_SESSION)
        if action is None:
            return _unchanged(state, "That action was removed on another screen.")
        notices = []
        if action.status is not self.seen_status and action.status is not self.status:
            notices.append(
                f"{quoted(action.text)} had just been marked {action.status.label} on another "
                f"screen; your mark ({self.status.label}) is the one kept."
            )
        previous_copy = state.carried_copy(action.id)
        carry_due = state.next_session_date(self.at) if self.carry else None
        marked, carried = act.mark(
            action,
            self.status,
            session.id,
            in_the_way=self.in_the_way,
            carry_due_on=carry_due,
            now=self.at,
            carry_id=self.carry_id or None,
        )
        saves: list[Action] = [marked]
        deletes: list[str] = []
        if carried is not None:
            # Marked again: keep the copy already carried (and perhaps edited).
            saves.append(previous_copy or carried)
        elif previous_copy is not None:
            deletes.append(previous_copy.id)
        return Outcome(state.with_actions(saves, deletes), tuple(notices))

    def record_id(self) -> str:
        return self.action_id

    def describe(self, state: MeetingState) -> str:
        action = state.action(self.action_id)
        return f"marked {quoted(action.text)} {self.status.label}" if action else ""


@dataclass(frozen=True)
class UnmarkAction(Change):
    session_id: str
    action_id: str

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        session = state.live
        action = state.action(self.action_id)
        if session is None or session.id != self.session_id:
            return _unchanged(state, NO_SESSION)
        if action is None or action.is_open:
            return _unchanged(state)
        copy = state.carried_copy(action.id)
        return Outcome(state.with_actions([act.unmark(action)], [copy.id] if copy else []))

    def record_id(self) -> str:
        return self.action_id

    def describe(self, state: MeetingState) -> str:
        action = state.action(self.action_id)
        return f"took back the mark on {quoted(action.text)}" if action else ""


# Entries: wins, obstacles, ideas, help asked for -------------------------------------------------


@dataclass(frozen=True)
class AddEntry(Change):
    """A new entry; if its session was finished meanwhile, the text is kept as a draft."""

    entry: Entry
    box: str = ""
    """The box it was typed in: its draft is cleared."""

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        entry = self.entry
        drafts_gone = [draft_key(self.box, entry.partner_id)] if self.box else []
        session = state.live
        if session is None or session.id != entry.session_id:
            box = self.box or entry.kind.value
            kept = _keep_as_draft(state, box, entry.partner_id, entry.text, self.at)
            return Outcome(
                state.with_drafts([kept]),
                (
                    f"{NO_SESSION} Your {entry.kind.label.lower()} {quoted(entry.text)} is kept "
                    "in its box for the next session.",
                ),
            )
        if entry.id in state.entries:
            return _unchanged(state)
        return Outcome(state.with_entries([entry]).with_drafts(deletes=drafts_gone))

    def record_id(self) -> str:
        return self.entry.id

    def describe(self, state: MeetingState) -> str:
        session = state.live
        if session is None or session.id != self.entry.session_id:
            return ""  # kept as a draft: nothing for the others to see
        kind = self.entry.kind
        article = "an" if kind.label[0] in "AEIOU" else "a"
        return f"added {article} {kind.label.lower()}: {quoted(self.entry.text)}"


def _keep_as_draft(
    state: MeetingState, box: str, partner_id: str, text: str, at: datetime
) -> Draft:
    """Keep text whose session is gone in its box, after anything already waiting there."""
    earlier = state.draft(box, partner_id)
    joined = text if not earlier or earlier == text else f"{earlier} {text}"
    return Draft(box=box, partner_id=partner_id, text=joined, updated_at=at)


@dataclass(frozen=True)
class RemoveEntry(Change):
    entry_id: str

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        if self.entry_id not in state.entries:
            return _unchanged(state)
        return Outcome(state.with_entries(deletes=[self.entry_id]))

    def record_id(self) -> str:
        return self.entry_id

    def describe(self, state: MeetingState) -> str:
        entry = state.entry(self.entry_id)
        return f"removed {quoted(entry.text)}" if entry else ""


# Drafts: text typed but not entered yet ---------------------------------------------------------


@dataclass(frozen=True)
class SaveDraft(Change):
    box: str
    partner_id: str
    text: str
    logged: ClassVar[bool] = False

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        key = draft_key(self.box, self.partner_id)
        current = state.drafts.get(key)
        if not self.text.strip():
            if current is None:
                return _unchanged(state)
            return Outcome(state.with_drafts(deletes=[key]))
        if current is not None and current.text == self.text:
            return _unchanged(state)
        draft = Draft(box=self.box, partner_id=self.partner_id, text=self.text, updated_at=self.at)
        return Outcome(state.with_drafts([draft]))


# Agreeing actions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddAction(Change):
    action: Action
    box: str = ""

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        action = self.action
        if action.id in state.actions:
            return _unchanged(state)
        drafts_gone = [draft_key(self.box, action.owner_id)] if self.box else []
        notices: tuple[str, ...] = ()
        session = state.live
        if session is None or session.id != action.created_in:
            notices = (
                f"{NO_SESSION} Your action {quoted(action.text)} is saved all the same, and "
                "comes up for review next time.",
            )
        return Outcome(state.with_actions([action]).with_drafts(deletes=drafts_gone), notices)

    def record_id(self) -> str:
        return self.action.id

    def describe(self, state: MeetingState) -> str:
        name = state.partner_name(self.action.owner_id)
        return f"agreed an action for {name}: {quoted(self.action.text)}"


@dataclass(frozen=True)
class ActionFields:
    text: str
    owner_id: str
    due_on: date

    @classmethod
    def of(cls, action: Action) -> ActionFields:
        return cls(text=action.text, owner_id=action.owner_id, due_on=action.due_on)


_FIELD_WORDS = {"text": "wording", "owner_id": "owner", "due_on": "due date"}


@dataclass(frozen=True)
class EditAction(Change):
    """Set what the person changed; fields they left alone keep any other screen's change."""

    action_id: str
    seen: ActionFields
    wanted: ActionFields

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        action = state.action(self.action_id)
        if action is None:
            session = state.live
            if session is None:
                return _unchanged(state, NO_SESSION)
            revived = Action(
                text=self.wanted.text,
                owner_id=self.wanted.owner_id,
                due_on=self.wanted.due_on,
                created_in=session.id,
                created_at=self.at,
                id=self.action_id,
            )
            return Outcome(
                state.with_actions([revived]),
                (
                    f"{quoted(self.wanted.text)} had been dropped on another screen while you "
                    "edited it; your version is kept as a new action.",
                ),
            )
        current = ActionFields.of(action)
        updates: dict[str, object] = {}
        clashes = []
        for name in ("text", "owner_id", "due_on"):
            seen, wanted, now = (getattr(x, name) for x in (self.seen, self.wanted, current))
            if wanted == seen:
                continue  # not changed here: keep whatever is stored, another screen's included
            if now != seen and now != wanted:
                clashes.append(_FIELD_WORDS[name])
            updates[name] = wanted
        if not updates and action.confirmed:
            return _unchanged(state)
        edited = replace(action, confirmed=True, **updates)  # type: ignore[arg-type]
        notices: tuple[str, ...] = ()
        if clashes:
            notices = (
                f"The {' and '.join(clashes)} of {quoted(self.wanted.text)} had just been "
                "changed on another screen too; yours is kept.",
            )
        return Outcome(state.with_actions([edited]), notices)

    def run(self, state: MeetingState, author: Author) -> Outcome:
        outcome = super().run(state, author)
        if not outcome.notices or "changed on another screen" not in outcome.notices[0]:
            return outcome
        # Tell the screen whose change was just replaced.
        other = _last_editor(state, self.action_id, author)
        if other is None:
            return outcome
        note = Note(
            at=self.at,
            client=author.client,
            label=author.label,
            text=f"changed {quoted(self.wanted.text)} at the same moment as you; theirs is kept",
            record=self.action_id,
            to=other.client,
        )
        return replace(outcome, state=outcome.state.with_note(note))

    def record_id(self) -> str:
        return self.action_id

    def describe(self, state: MeetingState) -> str:
        return f"edited the action {quoted(self.wanted.text)}"


@dataclass(frozen=True)
class ConfirmAction(Change):
    action_id: str

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        action = state.action(self.action_id)
        if action is None:
            return _unchanged(state, "That action was dropped on another screen.")
        if action.confirmed:
            return _unchanged(state)
        return Outcome(state.with_actions([replace(action, confirmed=True)]))

    def record_id(self) -> str:
        return self.action_id

    def describe(self, state: MeetingState) -> str:
        action = state.action(self.action_id)
        return f"confirmed {quoted(action.text)}" if action else ""


@dataclass(frozen=True)
class DropAction(Change):
    """Remove an action agreed in this session (undone by adding it back)."""

    action_id: str

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        if self.action_id not in state.actions:
            return _unchanged(state)
        return Outcome(state.with_actions(deletes=[self.action_id]))

    def record_id(self) -> str:
        return self.action_id

    def describe(self, state: MeetingState) -> str:
        action = state.action(self.action_id)
        return f"dropped {quoted(action.text)}" if action else ""


@dataclass(frozen=True)
class RestoreAction(Change):
    """Put back an action dropped a moment ago (undo)."""

    action: Action

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        if self.action.id in state.actions:
            return _unchanged(state)
        return Outcome(state.with_actions([self.action]))

    def record_id(self) -> str:
        return self.action.id

    def describe(self, state: MeetingState) -> str:
        return f"put back {quoted(self.action.text)}"

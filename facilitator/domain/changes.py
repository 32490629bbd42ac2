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

from dataclasses import fields, replace
from datetime import date, datetime
from typing import ClassVar

from facilitator.domain import actions as act
from facilitator.domain.actions import Action, ActionStatus, Entry
from facilitator.domain.agenda import PhaseKind
from facilitator.domain.agreement import Agreement, AgreementVersion
from facilitator.domain.goals import Goal, GoalStatus, Progress
from facilitator.domain.partnership import (
    MAX_PARTNERS,
    MIN_PARTNERS,
    Cadence,
    Partner,
    Partnership,
)
from facilitator.domain.prep import Prep
from facilitator.domain.record import record
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


@record
class Outcome:
    state: MeetingState
    notices: tuple[str, ...] = ()
    """What to tell the person who made the change (the data had moved on)."""


@record
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


@record
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


@record
class SaveSetupDraft(Change):
    draft: SetupDraft
    logged: ClassVar[bool] = False

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        if state.partnership is not None or state.setup == self.draft:
            return _unchanged(state)
        return Outcome(replace(state, setup=self.draft))


# Starting, moving through and finishing a session ------------------------------------------------


@record
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


@record
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


@record
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


@record
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


@record
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


@record
class Heartbeat(SessionChange):
    """The session is still in use: a crash now loses at most the time since."""

    logged: ClassVar[bool] = False

    def change(self, session: Session) -> tuple[Session, str]:
        return session.seen(self.at), ""


@record
class ResumeAfterInterruption(SessionChange):
    """Picked up after a quit or crash, with no other screen on it: paused where it stopped."""

    logged: ClassVar[bool] = False

    def change(self, session: Session) -> tuple[Session, str]:
        return session.resume_after_interruption(), ""


@record
class FinishSession(SessionChange):
    def apply(self, state: MeetingState, author: Author) -> Outcome:
        session = state.live
        if session is None or session.id != self.session_id:
            return _unchanged(state, "The session had already been finished on another screen.")
        if state.partnership is None:
            return _unchanged(state)
        finished = session.finish(self.at)
        reviewed = any(p.kind is PhaseKind.TERM_REVIEW for p in session.agenda)
        partnership = state.partnership.with_last_session(
            state.partnership.local_date(session.started_at), reviewed=reviewed
        )
        # What those present prepared was looked at together: it has served its turn.
        done_with = state.with_preps(deletes=session.present)
        return Outcome(replace(done_with, session=finished, partnership=partnership))

    def describe(self, state: MeetingState) -> str:
        return "finished the session"


# Reviewing last time's actions ------------------------------------------------------------------


@record
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


@record
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


@record
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


@record
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


@record
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


@record
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


@record
class ActionFields:
    text: str
    owner_id: str
    due_on: date
    goal_id: str | None = None

    @classmethod
    def of(cls, action: Action) -> ActionFields:
        return cls(
            text=action.text,
            owner_id=action.owner_id,
            due_on=action.due_on,
            goal_id=action.goal_id,
        )


_FIELD_WORDS = {"text": "wording", "owner_id": "owner", "due_on": "due date", "goal_id": "goal"}


@record
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
                goal_id=self.wanted.goal_id,
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
        for name in ("text", "owner_id", "due_on", "goal_id"):
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


@record
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


@record
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


@record
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


# The partnership itself: its name, partners, rhythm and agreement ------------------------------


@record
class PartnershipTerms:
    """The parts of the partnership people change together: a snapshot to compare with."""

    name: str
    partner_names: tuple[tuple[str, str], ...]
    """(id, name) for each partner."""
    cadence: Cadence
    every_days: int | None
    session_minutes: int
    agreement: Agreement

    @classmethod
    def of(cls, p: Partnership) -> PartnershipTerms:
        return cls(
            name=p.name,
            partner_names=tuple((x.id, x.name) for x in p.partners),
            cadence=p.cadence,
            every_days=p.every_days,
            session_minutes=p.session_minutes,
            agreement=p.agreement,
        )


_TERM_WORDS = {
    "name": "the partnership's name",
    "cadence": "how often you meet",
    "every_days": "how often you meet",
    "session_minutes": "the length of a session",
    "may_share": "confidentiality",
    "share_with": "confidentiality",
    "meeting_day": "the usual day",
    "meeting_time": "the usual time",
    "medium": "the medium",
    "link": "the link",
    "initiator_id": "who sends the invitations",
    "direction": "whose goals the partnership serves",
    "terms": "how each partner updates and hears feedback",
    "review_every": "the review rhythm",
    "review_unit": "the review rhythm",
    "agenda": "the agenda",
}


@record
class ChangeTerms(Change):
    """Change the partnership's name, partners' names, rhythm, length or agreement. Fields the
    person left alone keep another screen's change; every change keeps a dated version."""

    seen: PartnershipTerms
    wanted: PartnershipTerms
    agreed_on: date

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        partnership = state.partnership
        if partnership is None:
            return _unchanged(state)
        current = PartnershipTerms.of(partnership)
        changed: list[str] = []
        clashes: list[str] = []
        values: dict[str, object] = {}
        for name in ("name", "cadence", "every_days", "session_minutes"):
            seen, wanted, now = (getattr(x, name) for x in (self.seen, self.wanted, current))
            if wanted != seen:
                values[name] = wanted
                changed.append(_TERM_WORDS[name])
                if now not in (seen, wanted):
                    clashes.append(_TERM_WORDS[name])
        agreement_changes: dict[str, object] = {}
        for item in fields(Agreement):
            name = item.name
            seen, wanted, now = (
                getattr(x.agreement, name) for x in (self.seen, self.wanted, current)
            )
            if wanted != seen:
                agreement_changes[name] = wanted
                changed.append(_TERM_WORDS[name])
                if now not in (seen, wanted):
                    clashes.append(_TERM_WORDS[name])
        renamed = dict(self.wanted.partner_names)
        partners = tuple(
            replace(p, name=renamed[p.id])
            if p.id in renamed and renamed[p.id] != dict(self.seen.partner_names).get(p.id)
            else p
            for p in partnership.partners
        )
        if partners != partnership.partners:
            changed.append("a partner's name")
        if not changed:
            return _unchanged(state)
        if values.get("cadence", partnership.cadence) is not partnership.cadence:
            values["month_day"] = None  # a new rhythm keeps to the day of its first meeting
        updated = replace(
            partnership,
            partners=partners,
            agreement=replace(partnership.agreement, **agreement_changes),  # type: ignore[arg-type]
            **values,  # type: ignore[arg-type]
        )
        words = ", ".join(dict.fromkeys(changed))
        version = AgreementVersion(
            agreed_on=self.agreed_on,
            recorded_at=self.at,
            by=author.label,
            changes=f"Changed {words}.",
            agreement=updated.agreement,
            cadence=updated.cadence.value,
            every_days=updated.every_days,
            session_minutes=updated.session_minutes,
        )
        new_state = replace(state, partnership=updated, agreements=(*state.agreements, version))
        notices: tuple[str, ...] = ()
        if clashes:
            notices = (
                f"{', '.join(dict.fromkeys(clashes)).capitalize()} had just been changed on "
                "another screen too; yours is kept.",
            )
        return Outcome(new_state, notices)

    def describe(self, state: MeetingState) -> str:
        return "changed the partnership's terms"


@record
class AddPartner(Change):
    partner: Partner

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        partnership = state.partnership
        if partnership is None or any(p.id == self.partner.id for p in partnership.partners):
            return _unchanged(state)
        if len(partnership.partners) >= MAX_PARTNERS:
            return _unchanged(state, f"A peer group has at most {MAX_PARTNERS} partners.")
        if any(p.name.casefold() == self.partner.name.casefold() for p in partnership.partners):
            return _unchanged(
                state, f"There is already a partner called {quoted(self.partner.name)}."
            )
        updated = replace(partnership, partners=(*partnership.partners, self.partner))
        return Outcome(replace(state, partnership=updated))

    def describe(self, state: MeetingState) -> str:
        return f"added {quoted(self.partner.name)} to the partnership"


@record
class RemovePartner(Change):
    """A partner leaves: their open actions go to another partner, or are let go; their
    history stays (their name is kept for it)."""

    partner_id: str
    reassign_to: str | None

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        partnership = state.partnership
        if partnership is None:
            return _unchanged(state)
        leaving = next((p for p in partnership.partners if p.id == self.partner_id), None)
        if leaving is None:
            return _unchanged(state)
        if len(partnership.partners) <= MIN_PARTNERS:
            return _unchanged(state, f"A partnership needs at least {MIN_PARTNERS} partners.")
        if state.live is not None and self.partner_id in state.live.present:
            return _unchanged(state, "Finish the session before a partner who is in it leaves.")
        stays = tuple(p for p in partnership.partners if p.id != self.partner_id)
        updated = replace(partnership, partners=stays, former=(*partnership.former, leaving))
        theirs = [a for a in state.actions.values() if a.owner_id == self.partner_id and a.is_open]
        if self.reassign_to and any(p.id == self.reassign_to for p in stays):
            new_state = state.with_actions([replace(a, owner_id=self.reassign_to) for a in theirs])
        else:
            new_state = state.with_actions(deletes=[a.id for a in theirs])
        return Outcome(replace(new_state, partnership=updated))

    def describe(self, state: MeetingState) -> str:
        return f"removed {quoted(state.partner_name(self.partner_id))} from the partnership"


@record
class SetAsideSession(SessionChange):
    """Discard an unfinished session: it goes to history as abandoned, with what was entered."""

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        session = state.live
        if session is None or session.id != self.session_id:
            return _unchanged(state, "That session was already finished or set aside.")
        return Outcome(replace(state, session=session.finish(self.at, abandoned=True)))

    def describe(self, state: MeetingState) -> str:
        return "set the unfinished session aside"


# Goals ------------------------------------------------------------------------------------------


@record
class SaveGoal(Change):
    """A new goal, or a goal changed: a changed target or deadline is kept in its history."""

    goal: Goal
    reason: str = ""

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        current = state.goals.get(self.goal.id)
        goal = self.goal
        if current is not None and (
            (current.kind, current.target, current.unit, current.deadline, current.what)
            != (goal.kind, goal.target, goal.unit, goal.deadline, goal.what)
        ):
            goal = replace(
                current.redefined(
                    state.today(self.at),
                    what=goal.what,
                    kind=goal.kind,
                    target=goal.target,
                    unit=goal.unit,
                    deadline=goal.deadline,
                    reason=self.reason,
                ),
                why=goal.why,
                start=goal.start,
            )
        elif current is not None:
            goal = replace(current, why=goal.why, start=goal.start)
        if current == goal:
            return _unchanged(state)
        return Outcome(state.with_goals([goal]))

    def record_id(self) -> str:
        return self.goal.id

    def describe(self, state: MeetingState) -> str:
        verb = "changed" if self.goal.id in state.goals else "set"
        return f"{verb} the goal {quoted(self.goal.what)}"


@record
class RecordProgress(Change):
    goal_id: str
    progress: Progress

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        goal = state.goals.get(self.goal_id)
        if goal is None:
            return _unchanged(state, "That goal was removed on another screen.")
        if any(p.id == self.progress.id for p in goal.progress):
            return _unchanged(state)
        return Outcome(state.with_goals([goal.recorded(self.progress)]))

    def record_id(self) -> str:
        return self.goal_id

    def describe(self, state: MeetingState) -> str:
        goal = state.goals.get(self.goal_id)
        return f"recorded progress on {quoted(goal.what)}" if goal else ""


@record
class CloseGoal(Change):
    goal_id: str
    status: GoalStatus

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        goal = state.goals.get(self.goal_id)
        if goal is None or goal.status is self.status:
            return _unchanged(state)
        return Outcome(state.with_goals([goal.closed(self.status, state.today(self.at))]))

    def record_id(self) -> str:
        return self.goal_id

    def describe(self, state: MeetingState) -> str:
        goal = state.goals.get(self.goal_id)
        words = {
            GoalStatus.ACHIEVED: "achieved",
            GoalStatus.DROPPED: "dropped",
            GoalStatus.ACTIVE: "reopened",
        }
        return f"marked {quoted(goal.what)} {words[self.status]}" if goal else ""


# Preparation before a session -------------------------------------------------------------------


@record
class SavePrep(Change):
    """A partner's preparation, kept whole (it is theirs alone until the session)."""

    prep: Prep
    logged: ClassVar[bool] = False

    def apply(self, state: MeetingState, author: Author) -> Outcome:
        current = state.preps.get(self.prep.partner_id)
        if current == self.prep:
            return _unchanged(state)
        if self.prep.is_empty:
            return Outcome(state.with_preps(deletes=[self.prep.partner_id]))
        return Outcome(state.with_preps([self.prep]))

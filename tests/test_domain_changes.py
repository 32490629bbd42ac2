"""Changes applied to the latest stored snapshot, as two screens on one meeting would make them.

Each test builds a snapshot by hand, runs a change as one screen (an `Author`), and checks the
new snapshot, what the person is told, and the shared log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from facilitator.domain.actions import (
    Action,
    ActionStatus,
    Entry,
    EntryKind,
    mark,
    new_action,
    new_entry,
)
from facilitator.domain.changes import (
    NO_SESSION,
    ActionFields,
    AddAction,
    AddEntry,
    AddMinute,
    BeginSession,
    Change,
    ConfirmAction,
    CreatePartnership,
    DropAction,
    EditAction,
    FinishSession,
    Heartbeat,
    MarkAction,
    MoveTurn,
    Outcome,
    RemoveEntry,
    RestoreAction,
    ResumeAfterInterruption,
    SaveDraft,
    SaveSetupDraft,
    SetClockRunning,
    UnmarkAction,
)
from facilitator.domain.partnership import Cadence, Partner, Partnership
from facilitator.domain.session import Session
from facilitator.domain.state import (
    LOG_LENGTH,
    Author,
    Draft,
    MeetingState,
    Note,
    SetupDraft,
    draft_key,
)

T0 = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
"""When the live session started (a Monday evening, UTC)."""
SESSION = "s-now"
LAST_WEEK = "s-last"
FRIDAY = date(2026, 11, 27)
NEXT_WEEK = date(2026, 11, 30)
"""The next session's date: one week after this one."""

ANA_SCREEN = Author(client="screen-a", label="Ana's terminal")
BEN_SCREEN = Author(client="screen-b", label="Ben's laptop")


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def partnership(time_zone: str = "UTC") -> Partnership:
    return Partnership(
        name="Thursday club",
        partners=(Partner("Ana", "ana"), Partner("Ben", "ben"), Partner("Cleo", "cleo")),
        cadence=Cadence.WEEKLY,
        session_minutes=30,
        created_on=date(2026, 11, 1),
        time_zone=time_zone,
        last_session_on=date(2026, 11, 16),
        id="p-1",
    )


def live(started: datetime = T0, session_id: str = SESSION, time_zone: str = "UTC") -> MeetingState:
    """A snapshot with Ana and Ben in a session that has just started (Cleo is away)."""
    p = partnership(time_zone)
    session = Session.begin(p, ["ana", "ben"], started, session_id=session_id)
    return MeetingState(partnership=p, session=session)


def finished(state: MeetingState, when: datetime = T0) -> MeetingState:
    assert state.session is not None
    return replace(state, session=state.session.finish(when))


def last_weeks(text: str = "Write the intro", owner: str = "ana", action_id: str = "a-1") -> Action:
    """An open action agreed last week, up for review in this session."""
    return new_action(text, owner, FRIDAY, LAST_WEEK, T0 - timedelta(days=7), action_id=action_id)


def agreed_now(text: str = "Book the venue", owner: str = "ana", action_id: str = "n-1") -> Action:
    return new_action(text, owner, NEXT_WEEK, SESSION, at(60), action_id=action_id)


def win(text: str = "Ran 5k", partner: str = "ana", entry_id: str = "e-1") -> Entry:
    return new_entry(text, EntryKind.WIN, partner, SESSION, at(30), entry_id=entry_id)


def draft(box: str, partner_id: str, text: str) -> Draft:
    return Draft(box=box, partner_id=partner_id, text=text, updated_at=T0)


def contents(state: MeetingState) -> tuple[object, ...]:
    """Everything a snapshot holds, copied out, to check it is never changed in place."""
    return (
        repr(state),
        state.partnership,
        dict(state.actions),
        state.session,
        dict(state.entries),
        dict(state.drafts),
        state.setup,
        state.log,
    )


def run(change: Change, state: MeetingState, author: Author = ANA_SCREEN) -> Outcome:
    """Run `change` as `author`, checking that the snapshot it was given is left as it was."""
    before = contents(state)
    outcome = change.run(state, author)
    assert contents(state) == before, "the change altered the snapshot it was applied to"
    return outcome


def new_notes(before: MeetingState, after: MeetingState) -> tuple[Note, ...]:
    assert after.log[: len(before.log)] == before.log
    return after.log[len(before.log) :]


def session_of(state: MeetingState) -> Session:
    assert state.session is not None
    return state.session


# --- every change: the log, and the snapshot it was applied to ------------------------------------


@dataclass(frozen=True)
class Case:
    """A change that applies to its snapshot, and whether the other screens are told of it."""

    state: Callable[[], MeetingState]
    change: Change
    logged: bool


def with_reviewed() -> MeetingState:
    reviewed, _ = mark(last_weeks(), ActionStatus.DONE, SESSION, now=T0)
    return live().with_actions([reviewed])


def with_unconfirmed_copy() -> MeetingState:
    _, copy = mark(
        last_weeks(), ActionStatus.PARTLY, SESSION, carry_due_on=NEXT_WEEK, now=T0, carry_id="c-1"
    )
    assert copy is not None
    return live().with_actions([copy])


SEEN = ActionFields.of(last_weeks())

CASES: dict[str, Case] = {
    "create partnership": Case(
        lambda: MeetingState(setup=SetupDraft(name="Thursday club")),
        CreatePartnership(at=T0, partnership=partnership()),
        logged=True,
    ),
    "save setup draft": Case(
        MeetingState, SaveSetupDraft(at=T0, draft=SetupDraft(name="Thu")), logged=False
    ),
    "begin session": Case(
        lambda: MeetingState(partnership=partnership()),
        BeginSession(at=T0, session=session_of(live())),
        logged=True,
    ),
    "pause the clock": Case(
        live, SetClockRunning(at=at(10), session_id=SESSION, running=False), logged=True
    ),
    "add a minute": Case(live, AddMinute(at=at(10), session_id=SESSION, turn=0), logged=True),
    "move turn": Case(
        live, MoveTurn(at=at(10), session_id=SESSION, from_turn=0, to_turn=1), logged=True
    ),
    "heartbeat": Case(live, Heartbeat(at=at(10), session_id=SESSION), logged=False),
    "resume after interruption": Case(
        live, ResumeAfterInterruption(at=at(10), session_id=SESSION), logged=False
    ),
    "finish session": Case(live, FinishSession(at=at(10), session_id=SESSION), logged=True),
    "mark action": Case(
        lambda: live().with_actions([last_weeks()]),
        MarkAction(
            at=at(10),
            session_id=SESSION,
            action_id="a-1",
            status=ActionStatus.PARTLY,
            seen_status=ActionStatus.OPEN,
            carry=True,
            carry_id="c-1",
        ),
        logged=True,
    ),
    "unmark action": Case(
        with_reviewed, UnmarkAction(at=at(10), session_id=SESSION, action_id="a-1"), logged=True
    ),
    "add entry": Case(live, AddEntry(at=at(10), entry=win(), box="win"), logged=True),
    "remove entry": Case(
        lambda: live().with_entries([win()]), RemoveEntry(at=at(10), entry_id="e-1"), logged=True
    ),
    "save draft": Case(
        live, SaveDraft(at=at(10), box="win", partner_id="ana", text="Ran"), logged=False
    ),
    "add action": Case(live, AddAction(at=at(10), action=agreed_now()), logged=True),
    "edit action": Case(
        lambda: live().with_actions([last_weeks()]),
        EditAction(at=at(10), action_id="a-1", seen=SEEN, wanted=replace(SEEN, due_on=NEXT_WEEK)),
        logged=True,
    ),
    "confirm action": Case(
        with_unconfirmed_copy, ConfirmAction(at=at(10), action_id="c-1"), logged=True
    ),
    "drop action": Case(
        lambda: live().with_actions([agreed_now()]),
        DropAction(at=at(10), action_id="n-1"),
        logged=True,
    ),
    "restore action": Case(live, RestoreAction(at=at(10), action=agreed_now()), logged=True),
}

LOGGED = [name for name, case in CASES.items() if case.logged]
UNLOGGED = [name for name, case in CASES.items() if not case.logged]


@pytest.mark.parametrize("name", LOGGED)
def test_a_logged_change_appends_one_note_from_its_screen(name: str) -> None:
    case = CASES[name]
    state = case.state()
    after = run(case.change, state, BEN_SCREEN).state
    assert after is not state
    (note,) = new_notes(state, after)
    assert (note.client, note.label, note.at) == ("screen-b", "Ben's laptop", case.change.at)
    assert note.text
    assert note.to == ""


@pytest.mark.parametrize("name", UNLOGGED)
def test_an_unlogged_change_adds_no_note(name: str) -> None:
    case = CASES[name]
    state = case.state()
    after = run(case.change, state, BEN_SCREEN).state
    assert after is not state
    assert after.log == state.log


@pytest.mark.parametrize("name", list(CASES))
def test_a_change_never_alters_the_snapshot_it_is_applied_to(name: str) -> None:
    case = CASES[name]
    state = case.state()
    before = contents(state)
    case.change.run(state, ANA_SCREEN)
    assert contents(state) == before


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("begin session", "started the session"),
        ("pause the clock", "paused the clock"),
        ("move turn", "moved to Review and celebrate · Ben"),
        ("finish session", "finished the session"),
        ("mark action", "marked “Write the intro” partly done"),
        ("add entry", "added a win: “Ran 5k”"),
        ("add action", "agreed an action for Ana: “Book the venue”"),
        ("drop action", "dropped “Book the venue”"),
    ],
)
def test_the_note_says_what_was_done(name: str, text: str) -> None:
    case = CASES[name]
    state = case.state()
    assert new_notes(state, run(case.change, state).state)[0].text == text


def test_a_snapshot_cannot_be_changed_in_place() -> None:
    """Fields: a type error (the `type: ignore` is needed: see facilitator.domain.record).
    The maps of records: read-only at run time too."""
    state = live().with_actions([agreed_now()]).with_entries([win()])
    if TYPE_CHECKING:  # checked, never run
        state.session = None  # type: ignore[misc]
    with pytest.raises(TypeError):
        state.actions["n-2"] = agreed_now()  # type: ignore[index]
    with pytest.raises(TypeError):
        state.entries["e-2"] = win()  # type: ignore[index]
    assert list(state.actions) == ["n-1"]
    assert list(state.entries) == ["e-1"]


def test_a_change_that_changes_nothing_logs_nothing() -> None:
    state = live()
    outcome = run(SetClockRunning(at=at(5), session_id=SESSION, running=True), state)
    assert outcome.state is state
    assert outcome.notices == ()


def test_the_log_keeps_only_the_latest_log_length_notes() -> None:
    full = tuple(
        Note(at=T0, client="old", label="old", text=f"change {i}") for i in range(LOG_LENGTH)
    )
    state = replace(live(), log=full)
    after = run(AddEntry(at=at(10), entry=win()), state).state
    assert len(after.log) == LOG_LENGTH
    assert after.log[:-1] == full[1:]  # the oldest note is dropped
    assert after.log[-1].text == "added a win: “Ran 5k”"


# --- the partnership ----------------------------------------------------------------------------


def test_create_partnership_sets_it_up_and_clears_the_setup_draft() -> None:
    state = MeetingState(setup=SetupDraft(name="Thursday", partners=("Ana",)))
    after = run(CreatePartnership(at=T0, partnership=partnership()), state).state
    assert after.partnership == partnership()
    assert after.setup is None


def test_create_partnership_when_one_exists_keeps_it_and_says_so() -> None:
    state = MeetingState(partnership=partnership())
    other = replace(partnership(), name="Friday club", id="p-2")
    outcome = run(CreatePartnership(at=T0, partnership=other), state, BEN_SCREEN)
    assert outcome.state is state
    assert outcome.notices == (
        "“Thursday club” was set up on another screen meanwhile, "
        "so that is the partnership you'll use.",
    )


def test_save_setup_draft_once_the_partnership_exists_does_nothing() -> None:
    state = MeetingState(partnership=partnership())
    assert run(SaveSetupDraft(at=T0, draft=SetupDraft(name="x")), state).state is state


def test_save_setup_draft_twice_with_the_same_text_does_nothing() -> None:
    state = MeetingState(setup=SetupDraft(name="Thu"))
    assert run(SaveSetupDraft(at=T0, draft=SetupDraft(name="Thu")), state).state is state


# --- beginning a session ------------------------------------------------------------------------


def test_begin_session_starts_it_with_no_entries_from_before() -> None:
    old = finished(live(session_id=LAST_WEEK)).with_entries(
        [new_entry("old win", EntryKind.WIN, "ana", LAST_WEEK, T0)]
    )
    session = session_of(live(started=at(3600)))
    outcome = run(BeginSession(at=at(3600), session=session), old)
    assert outcome.state.live == session
    assert dict(outcome.state.entries) == {}
    assert outcome.notices == ()


def test_begin_session_leaves_the_entries_read_only() -> None:
    state = MeetingState(partnership=partnership())
    after = run(BeginSession(at=T0, session=session_of(live())), state).state
    with pytest.raises(TypeError):
        after.entries["e-x"] = win()  # type: ignore[index]


def test_begin_session_when_another_is_live_joins_it_and_says_so() -> None:
    state = live()
    theirs = session_of(live(started=at(5), session_id="s-mine"))
    outcome = run(BeginSession(at=at(5), session=theirs), state, BEN_SCREEN)
    assert outcome.state is state
    assert outcome.notices == ("Another screen had already started a session: you've joined it.",)


def test_begin_session_again_with_the_same_id_does_nothing() -> None:
    state = live()
    outcome = run(BeginSession(at=T0, session=session_of(state)), state)
    assert outcome.state is state
    assert outcome.notices == ()


# --- the clock and moving through turns ---------------------------------------------------------


def test_pausing_from_two_screens_pauses_once_at_the_first_press() -> None:
    state = live()
    first = run(SetClockRunning(at=at(100), session_id=SESSION, running=False), state)
    second = run(
        SetClockRunning(at=at(103), session_id=SESSION, running=False), first.state, BEN_SCREEN
    )
    assert second.state is first.state
    assert second.notices == ()
    timer = session_of(second.state).timer
    assert not timer.running
    assert timer.elapsed[0] == 100
    assert timer.left(at(1000)) == 360 - 100
    assert len(second.state.log) == 1


def test_starting_a_paused_clock_runs_it_from_the_press() -> None:
    state = run(SetClockRunning(at=at(100), session_id=SESSION, running=False), live()).state
    after = run(SetClockRunning(at=at(400), session_id=SESSION, running=True), state).state
    session = session_of(after)
    assert session.timer.running_since == at(400)
    assert session.seen_at == at(400)
    assert session.timer.left(at(410)) == 360 - 110


def test_a_clock_change_for_a_finished_session_says_it_was_finished() -> None:
    state = finished(live())
    outcome = run(SetClockRunning(at=at(5), session_id=SESSION, running=False), state)
    assert outcome.state is state
    assert outcome.notices == (NO_SESSION,)


def test_a_clock_change_for_another_session_says_it_was_finished() -> None:
    state = live(session_id="s-other")
    outcome = run(SetClockRunning(at=at(5), session_id=SESSION, running=False), state)
    assert outcome.state is state
    assert outcome.notices == (NO_SESSION,)


def test_add_minute_goes_to_the_turn_seen_even_after_the_session_moved_on() -> None:
    moved = run(MoveTurn(at=at(200), session_id=SESSION, from_turn=0, to_turn=1), live()).state
    after = run(AddMinute(at=at(201), session_id=SESSION, turn=0), moved, BEN_SCREEN).state
    timer = session_of(after).timer
    assert timer.extra == (60, 0, 0, 0, 0, 0, 0)
    assert timer.current == 1
    assert timer.left(at(201)) == 360 - 1  # Ben's turn is not lengthened


def test_add_minute_to_a_turn_that_does_not_exist_does_nothing() -> None:
    state = live()
    assert run(AddMinute(at=at(1), session_id=SESSION, turn=7), state).state is state


def test_two_screens_pressing_next_at_once_move_one_turn_not_two() -> None:
    state = live()
    press = MoveTurn(at=at(300), session_id=SESSION, from_turn=0, to_turn=1)
    first = run(press, state, ANA_SCREEN)
    second = run(replace(press, at=at(301)), first.state, BEN_SCREEN)
    assert second.state is first.state
    assert second.notices == ()
    assert session_of(second.state).timer.current == 1
    assert [n.client for n in second.state.log] == ["screen-a"]


def test_move_turn_records_the_session_as_seen() -> None:
    after = run(MoveTurn(at=at(300), session_id=SESSION, from_turn=0, to_turn=2), live()).state
    session = session_of(after)
    assert session.timer.current == 2
    assert session.seen_at == at(300)
    assert session.timer.elapsed[0] == 300


def test_heartbeat_records_the_session_as_seen_without_a_note() -> None:
    state = live()
    after = run(Heartbeat(at=at(90), session_id=SESSION), state).state
    assert session_of(after).seen_at == at(90)
    assert after.log == ()


def test_resume_after_interruption_stops_the_clock_when_last_seen() -> None:
    state = run(Heartbeat(at=at(100), session_id=SESSION), live()).state
    after = run(ResumeAfterInterruption(at=at(5000), session_id=SESSION), state).state
    timer = session_of(after).timer
    assert not timer.running
    assert timer.elapsed[0] == 100


# --- finishing ----------------------------------------------------------------------------------


def test_finish_session_stops_the_clock_and_records_the_day() -> None:
    after = run(FinishSession(at=at(1800), session_id=SESSION), live()).state
    session = session_of(after)
    assert session.finished_at == at(1800)
    assert not session.timer.running
    assert after.live is None
    assert after.partnership is not None
    assert after.partnership.last_session_on == date(2026, 11, 23)


def test_finish_session_records_the_day_in_the_partnerships_time_zone() -> None:
    # 05:00 UTC on Tuesday 24 November is 19:00 on Monday 23 November in Honolulu.
    started = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    state = live(started=started, time_zone="Pacific/Honolulu")
    after = run(FinishSession(at=started + timedelta(minutes=30), session_id=SESSION), state).state
    assert after.partnership is not None
    assert after.partnership.last_session_on == date(2026, 11, 23)


def test_finishing_twice_says_it_was_already_finished() -> None:
    once = run(FinishSession(at=at(1800), session_id=SESSION), live()).state
    twice = run(FinishSession(at=at(1801), session_id=SESSION), once, BEN_SCREEN)
    assert twice.state is once
    assert twice.notices == ("The session had already been finished on another screen.",)
    assert session_of(twice.state).finished_at == at(1800)


# --- reviewing last week's actions --------------------------------------------------------------


def marking(
    status: ActionStatus,
    seen: ActionStatus = ActionStatus.OPEN,
    *,
    carry: bool = False,
    carry_id: str = "",
    in_the_way: str = "",
) -> MarkAction:
    return MarkAction(
        at=at(120),
        session_id=SESSION,
        action_id="a-1",
        status=status,
        seen_status=seen,
        in_the_way=in_the_way,
        carry=carry,
        carry_id=carry_id,
    )


def copies_of(state: MeetingState, action_id: str = "a-1") -> list[Action]:
    return [a for a in state.actions.values() if a.carried_from == action_id]


def test_mark_an_action_removed_on_another_screen_says_so() -> None:
    state = live()
    outcome = run(marking(ActionStatus.DONE), state)
    assert outcome.state is state
    assert outcome.notices == ("That action was removed on another screen.",)


def test_mark_with_carry_makes_one_unconfirmed_copy_with_the_chosen_id() -> None:
    state = live().with_actions([last_weeks()])
    after = run(
        marking(ActionStatus.PARTLY, carry=True, carry_id="c-1", in_the_way="ill"), state
    ).state
    reviewed = after.actions["a-1"]
    assert (reviewed.status, reviewed.reviewed_in, reviewed.in_the_way) == (
        ActionStatus.PARTLY,
        SESSION,
        "ill",
    )
    (copy,) = copies_of(after)
    assert copy.id == "c-1"
    assert copy.due_on == NEXT_WEEK
    assert copy.created_in == SESSION
    assert not copy.confirmed
    assert after.carried_copy("a-1") == copy


def test_marking_again_keeps_the_copy_already_carried() -> None:
    state = live().with_actions([last_weeks()])
    once = run(marking(ActionStatus.PARTLY, carry=True, carry_id="c-1"), state).state
    again = run(
        marking(ActionStatus.NOT_DONE, ActionStatus.PARTLY, carry=True, carry_id="c-2"), once
    ).state
    assert again.actions["a-1"].status is ActionStatus.NOT_DONE
    assert [a.id for a in copies_of(again)] == ["c-1"]


def test_changing_a_carried_mark_to_done_deletes_the_copy() -> None:
    state = live().with_actions([last_weeks()])
    carried = run(marking(ActionStatus.PARTLY, carry=True, carry_id="c-1"), state).state
    done = run(marking(ActionStatus.DONE, ActionStatus.PARTLY), carried).state
    assert done.actions["a-1"].status is ActionStatus.DONE
    assert copies_of(done) == []
    assert "c-1" not in done.actions


def test_a_different_mark_made_meanwhile_is_replaced_and_the_person_told() -> None:
    state = live().with_actions([last_weeks()])
    ben = run(marking(ActionStatus.DONE), state, BEN_SCREEN)
    ana = run(marking(ActionStatus.PARTLY), ben.state, ANA_SCREEN)
    assert ana.state.actions["a-1"].status is ActionStatus.PARTLY
    assert ana.notices == (
        "“Write the intro” had just been marked done on another screen; "
        "your mark (partly done) is the one kept.",
    )


def test_the_same_mark_made_meanwhile_is_not_a_conflict() -> None:
    state = live().with_actions([last_weeks()])
    ben = run(marking(ActionStatus.DONE), state, BEN_SCREEN)
    ana = run(marking(ActionStatus.DONE), ben.state, ANA_SCREEN)
    assert ana.notices == ()
    assert ana.state.actions["a-1"].status is ActionStatus.DONE


def test_mark_in_a_finished_session_says_it_was_finished() -> None:
    state = finished(live()).with_actions([last_weeks()])
    outcome = run(marking(ActionStatus.DONE), state)
    assert outcome.state is state
    assert outcome.notices == (NO_SESSION,)


def test_unmark_reopens_the_action_and_removes_its_copy() -> None:
    state = live().with_actions([last_weeks()])
    carried = run(marking(ActionStatus.PARTLY, carry=True, carry_id="c-1"), state).state
    after = run(UnmarkAction(at=at(130), session_id=SESSION, action_id="a-1"), carried).state
    assert after.actions["a-1"] == last_weeks()
    assert "c-1" not in after.actions


def test_unmark_an_open_action_does_nothing() -> None:
    state = live().with_actions([last_weeks()])
    outcome = run(UnmarkAction(at=at(130), session_id=SESSION, action_id="a-1"), state)
    assert outcome.state is state
    assert outcome.notices == ()


# --- entries and drafts ---------------------------------------------------------------------------


def test_add_entry_adds_it_and_clears_the_draft_of_its_box_only() -> None:
    state = live().with_drafts(
        [draft("win", "ana", "Ran"), draft("win", "ben", "Slept"), draft("idea", "ana", "Ask")]
    )
    after = run(AddEntry(at=at(30), entry=win(), box="win"), state).state
    assert after.entries == {"e-1": win()}
    assert set(after.drafts) == {draft_key("win", "ben"), draft_key("idea", "ana")}


def test_add_entry_twice_adds_it_once() -> None:
    once = run(AddEntry(at=at(30), entry=win()), live()).state
    twice = run(AddEntry(at=at(30), entry=win()), once)
    assert twice.state is once
    assert len(twice.state.log) == 1


def test_add_entry_into_a_finished_session_keeps_the_text_as_a_draft() -> None:
    state = finished(live())
    outcome = run(AddEntry(at=at(30), entry=win(), box="win-box"), state)
    assert dict(outcome.state.entries) == {}
    assert outcome.state.draft("win-box", "ana") == "Ran 5k"
    assert outcome.notices == (
        f"{NO_SESSION} Your win “Ran 5k” is kept in its box for the next session.",
    )


def test_add_entry_into_another_session_keeps_the_text_in_the_box_of_its_kind() -> None:
    state = live(session_id="s-other")
    outcome = run(AddEntry(at=at(30), entry=win()), state)
    assert dict(outcome.state.entries) == {}
    assert outcome.state.draft("win", "ana") == "Ran 5k"
    assert len(outcome.notices) == 1


def test_add_entry_kept_as_a_draft_goes_after_what_is_waiting_in_the_box() -> None:
    state = finished(live()).with_drafts([draft("win", "ana", "Slept well.")])
    after = run(AddEntry(at=at(30), entry=win(), box="win"), state).state
    assert after.draft("win", "ana") == "Slept well. Ran 5k"


def test_add_entry_kept_as_a_draft_is_not_lost_in_a_longer_draft() -> None:
    state = finished(live()).with_drafts([draft("win", "ana", "Ran 5k twice")])
    after = run(AddEntry(at=at(30), entry=win(), box="win"), state).state
    assert after.draft("win", "ana") == "Ran 5k twice Ran 5k"


def test_remove_entry_removes_it() -> None:
    state = live().with_entries([win(), win("Slept", entry_id="e-2")])
    after = run(RemoveEntry(at=at(40), entry_id="e-1"), state).state
    assert list(after.entries) == ["e-2"]
    assert after.log[-1].text == "removed “Ran 5k”"


def test_remove_a_missing_entry_does_nothing() -> None:
    state = live()
    outcome = run(RemoveEntry(at=at(40), entry_id="e-1"), state)
    assert outcome.state is state
    assert outcome.notices == ()


@pytest.mark.parametrize(
    ("waiting", "typed", "kept"),
    [
        (None, "Ran", "Ran"),  # set
        ("Ran", "Ran 5k", "Ran 5k"),  # replace
        ("Ran 5k", "", None),  # clear
        ("Ran 5k", "   ", None),  # clear: only spaces
    ],
)
def test_save_draft(waiting: str | None, typed: str, kept: str | None) -> None:
    state = live()
    if waiting is not None:
        state = state.with_drafts([draft("win", "ana", waiting)])
    after = run(SaveDraft(at=at(5), box="win", partner_id="ana", text=typed), state).state
    found = after.drafts.get(draft_key("win", "ana"))
    assert (found.text if found else None) == kept
    if found is not None:
        assert found.updated_at == at(5)


@pytest.mark.parametrize(("waiting", "typed"), [(None, ""), (None, "  "), ("Ran", "Ran")])
def test_save_draft_that_changes_nothing_does_nothing(waiting: str | None, typed: str) -> None:
    state = live()
    if waiting is not None:
        state = state.with_drafts([draft("win", "ana", waiting)])
    outcome = run(SaveDraft(at=at(5), box="win", partner_id="ana", text=typed), state)
    assert outcome.state is state


# --- agreeing actions ---------------------------------------------------------------------------


def test_add_action_adds_it_and_clears_the_draft_of_its_box() -> None:
    state = live().with_drafts([draft("action-new", "ana", "Book")])
    after = run(AddAction(at=at(60), action=agreed_now(), box="action-new"), state)
    assert after.state.actions == {"n-1": agreed_now()}
    assert after.state.drafts == {}
    assert after.notices == ()


def test_add_action_twice_adds_it_once() -> None:
    once = run(AddAction(at=at(60), action=agreed_now()), live()).state
    assert run(AddAction(at=at(60), action=agreed_now()), once).state is once


def test_add_action_into_a_finished_session_keeps_it_and_says_so() -> None:
    state = finished(live())
    outcome = run(AddAction(at=at(60), action=agreed_now()), state)
    assert outcome.state.actions == {"n-1": agreed_now()}
    assert outcome.notices == (
        f"{NO_SESSION} Your action “Book the venue” is saved all the same, and comes up for "
        "review next time.",
    )


def edit(seen: ActionFields, **wanted: object) -> EditAction:
    return EditAction(
        at=at(200),
        action_id="a-1",
        seen=seen,
        wanted=replace(seen, **wanted),  # type: ignore[arg-type]
    )


def test_edits_of_different_fields_from_two_screens_are_both_kept() -> None:
    state = live().with_actions([last_weeks()])
    ben = run(edit(SEEN, due_on=NEXT_WEEK), state, BEN_SCREEN)
    ana = run(edit(SEEN, text="Write the whole intro"), ben.state, ANA_SCREEN)
    action = ana.state.actions["a-1"]
    assert (action.text, action.due_on) == ("Write the whole intro", NEXT_WEEK)
    assert ana.notices == ()
    assert all(note.to == "" for note in ana.state.log)


def test_edits_of_the_same_field_keep_the_later_and_tell_both_screens() -> None:
    state = live().with_actions([last_weeks()])
    ben = run(edit(SEEN, due_on=NEXT_WEEK), state, BEN_SCREEN)
    ana = run(edit(SEEN, due_on=date(2026, 12, 1)), ben.state, ANA_SCREEN)
    assert ana.state.actions["a-1"].due_on == date(2026, 12, 1)
    assert ana.notices == (
        "The due date of “Write the intro” had just been changed on another screen too; "
        "yours is kept.",
    )
    edited, told = new_notes(ben.state, ana.state)
    assert (edited.client, edited.to) == ("screen-a", "")
    assert (told.client, told.label, told.to, told.record) == (
        "screen-a",
        "Ana's terminal",
        "screen-b",
        "a-1",
    )
    assert told.text == "changed “Write the intro” at the same moment as you; theirs is kept"


def test_an_edit_clashing_with_an_unlogged_change_tells_no_other_screen() -> None:
    changed_meanwhile = replace(last_weeks(), due_on=NEXT_WEEK)  # e.g. by an older app
    state = live().with_actions([changed_meanwhile])
    outcome = run(edit(SEEN, due_on=date(2026, 12, 1)), state)
    assert len(outcome.notices) == 1
    (note,) = new_notes(state, outcome.state)
    assert note.to == ""


def test_the_screen_whose_change_was_replaced_is_told_after_an_unrelated_own_edit() -> None:
    state = live().with_actions([last_weeks()])
    ben = run(edit(SEEN, due_on=NEXT_WEEK), state, BEN_SCREEN).state
    ana_text = run(edit(SEEN, text="Write the whole intro"), ben, ANA_SCREEN).state
    # Ana's screen still shows Friday: she changes the due date Ben had changed.
    seen = replace(SEEN, text="Write the whole intro")
    ana_due = run(edit(seen, due_on=date(2026, 12, 1)), ana_text, ANA_SCREEN)
    assert len(ana_due.notices) == 1
    assert [n.to for n in new_notes(ana_text, ana_due.state)] == ["", "screen-b"]


def test_an_edit_that_changes_no_field_does_nothing() -> None:
    state = live().with_actions([last_weeks()])
    assert run(edit(SEEN), state).state is state


def test_editing_an_unconfirmed_copy_confirms_it() -> None:
    state = with_unconfirmed_copy()
    copy = state.actions["c-1"]
    seen = ActionFields.of(copy)
    after = run(EditAction(at=at(200), action_id="c-1", seen=seen, wanted=seen), state).state
    assert after.actions["c-1"].confirmed


def test_editing_an_action_dropped_meanwhile_brings_it_back_as_a_new_action() -> None:
    state = live()  # "a-1" was dropped on another screen
    outcome = run(edit(SEEN, text="Write the whole intro"), state)
    revived = outcome.state.actions["a-1"]
    assert (revived.text, revived.owner_id, revived.due_on) == (
        "Write the whole intro",
        "ana",
        FRIDAY,
    )
    assert revived.created_in == SESSION
    assert revived.is_open
    assert revived.confirmed
    assert outcome.notices == (
        "“Write the whole intro” had been dropped on another screen while you edited it; "
        "your version is kept as a new action.",
    )


def test_editing_a_dropped_action_after_the_session_finished_says_so() -> None:
    state = finished(live())
    outcome = run(edit(SEEN, text="Write the whole intro"), state)
    assert outcome.state is state
    assert outcome.notices == (NO_SESSION,)


def test_confirm_action_confirms_a_carried_copy() -> None:
    after = run(ConfirmAction(at=at(200), action_id="c-1"), with_unconfirmed_copy()).state
    assert after.actions["c-1"].confirmed


def test_confirm_an_action_already_confirmed_does_nothing() -> None:
    state = live().with_actions([agreed_now()])
    outcome = run(ConfirmAction(at=at(200), action_id="n-1"), state)
    assert outcome.state is state
    assert outcome.notices == ()


def test_confirm_an_action_dropped_meanwhile_says_so() -> None:
    state = live()
    outcome = run(ConfirmAction(at=at(200), action_id="c-1"), state)
    assert outcome.state is state
    assert outcome.notices == ("That action was dropped on another screen.",)


def test_drop_then_restore_gives_the_action_back() -> None:
    state = live().with_actions([agreed_now()])
    dropped = run(DropAction(at=at(200), action_id="n-1"), state).state
    assert "n-1" not in dropped.actions
    restored = run(RestoreAction(at=at(201), action=agreed_now()), dropped).state
    assert restored.actions == state.actions


def test_drop_an_action_already_dropped_does_nothing() -> None:
    state = live()
    outcome = run(DropAction(at=at(200), action_id="n-1"), state)
    assert outcome.state is state
    assert outcome.notices == ()


def test_restore_an_action_that_is_still_there_does_nothing() -> None:
    state = live().with_actions([agreed_now()])
    edited = replace(agreed_now(), text="Book a bigger venue")
    outcome = run(RestoreAction(at=at(200), action=edited), state)
    assert outcome.state is state
    assert outcome.state.actions["n-1"].text == "Book the venue"

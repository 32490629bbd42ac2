"""Sessions (who is here, their turns, moving through them) and the partnership rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from facilitator.domain.agenda import FIRST_SESSION_PROMPTS, PhaseKind, default_agenda
from facilitator.domain.clock import FakeClock
from facilitator.domain.partnership import (
    DEFAULT_SESSION_MINUTES,
    MAX_PARTNERS,
    MAX_SESSION_MINUTES,
    MIN_PARTNERS,
    MIN_SESSION_MINUTES,
    NAME_LENGTH,
    Cadence,
    Partner,
    Partnership,
    validate_partner_names,
    validate_partnership_name,
    validate_session_minutes,
)
from facilitator.domain.session import Session, plan_turns, turn_allotments
from facilitator.domain.text import InvalidText
from facilitator.domain.timer import TurnTimer

START = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def partnership(
    *names: str,
    minutes: int = 30,
    cadence: Cadence = Cadence.WEEKLY,
    time_zone: str = "UTC",
) -> Partnership:
    return Partnership(
        name="Thursday club",
        partners=tuple(Partner(name=name, id=name.lower()) for name in names),
        cadence=cadence,
        session_minutes=minutes,
        created_on=date(2026, 11, 1),
        time_zone=time_zone,
    )


def begin(*present: str, minutes: int = 30) -> tuple[Session, FakeClock]:
    c = FakeClock(START)
    p = partnership("Ana", "Ben", "Cleo", minutes=minutes)
    return Session.begin(p, list(present), c()), c


# --- planning turns -----------------------------------------------------------------------


def test_plan_turns_gives_each_present_partner_a_turn_and_the_group_one_wrapup() -> None:
    turns = plan_turns(default_agenda(30), ["ana", "ben"])
    assert [(t.phase.key, t.partner_id, t.number, t.of) for t in turns] == [
        ("review", "ana", 1, 2),
        ("review", "ben", 2, 2),
        ("obstacles", "ana", 1, 2),
        ("obstacles", "ben", 2, 2),
        ("actions", "ana", 1, 2),
        ("actions", "ben", 2, 2),
        ("wrapup", None, 1, 1),
    ]
    assert [t.index for t in turns] == list(range(7))
    assert [t.phase_index for t in turns] == [0, 0, 1, 1, 2, 2, 3]


# --- beginning a session ------------------------------------------------------------------


def test_begin_orders_present_partners_as_in_the_partnership() -> None:
    session, _ = begin("cleo", "ana", "ben")
    assert session.present == ("ana", "ben", "cleo")
    assert [t.partner_id for t in session.turns if t.phase.key == "review"] == [
        "ana",
        "ben",
        "cleo",
    ]


def test_only_present_partners_get_turns() -> None:
    session, _ = begin("cleo", "ana")
    assert session.present == ("ana", "cleo")
    owners = {t.partner_id for t in session.turns}
    assert owners == {"ana", "cleo", None}
    assert "ben" not in owners
    # 2 partners x 3 per-partner phases + 1 wrap-up
    assert len(session.turns) == 7
    assert len(session.timer.allotted) == 7


def test_wrapup_is_one_group_turn() -> None:
    session, _ = begin("ana", "ben", "cleo")
    wrapups = [t for t in session.turns if t.phase.key == "wrapup"]
    assert len(wrapups) == 1
    assert wrapups[0].partner_id is None
    assert (wrapups[0].number, wrapups[0].of) == (1, 1)
    assert session.turns[-1] == wrapups[0]


def test_duplicate_ids_in_present_give_one_turn_each() -> None:
    session, _ = begin("ana", "ana", "ben")
    assert session.present == ("ana", "ben")


def test_begin_with_no_one_present_raises() -> None:
    with pytest.raises(ValueError):
        begin()


def test_begin_with_only_strangers_present_raises() -> None:
    with pytest.raises(ValueError):
        begin("someone-else")


def test_begin_starts_the_clock_on_the_first_turn() -> None:
    session, c = begin("ana", "ben")
    assert session.started_at == START
    assert session.finished_at is None
    assert session.timer.current == 0
    assert session.current_turn.phase.key == "review"
    assert session.current_turn.partner_id == "ana"
    r = session.reading(c())
    assert r.running
    assert r.left == 360
    c.advance(60)
    assert session.reading(c()).left == 300


def test_begin_uses_the_partnerships_session_length() -> None:
    session, _ = begin("ana", "ben", minutes=60)
    assert [p.seconds for p in session.agenda] == [p.seconds for p in default_agenda(60)]
    assert sum(session.timer.allotted) == 60 * 60
    assert session.timer.allotted[0] == 12 * 60


def test_begin_three_partners_splits_the_review_in_three() -> None:
    session, _ = begin("ana", "ben", "cleo")
    assert session.timer.allotted[:3] == (240, 240, 240)
    assert sum(session.timer.allotted) == 30 * 60


def test_begin_records_the_partnership_and_a_fresh_id() -> None:
    p = partnership("Ana", "Ben")
    first = Session.begin(p, ["ana", "ben"], START)
    second = Session.begin(p, ["ana", "ben"], START)
    assert first.partnership_id == p.id
    assert first.id != second.id


def test_begin_uses_a_given_session_id() -> None:
    session = Session.begin(partnership("Ana", "Ben"), ["ana"], START, session_id="s-42")
    assert session.id == "s-42"


def test_begin_marks_the_session_seen_when_it_starts() -> None:
    session, _ = begin("ana", "ben")
    assert session.seen_at == START


def test_the_first_session_asks_where_you_are_instead_of_how_you_progressed() -> None:
    p = partnership("Ana", "Ben")
    assert p.last_session_on is None
    session = Session.begin(p, ["ana", "ben"], START)
    assert session.first
    review = session.agenda[0]
    assert review.kind is PhaseKind.REVIEW
    assert review.prompt == FIRST_SESSION_PROMPTS[PhaseKind.REVIEW]
    usual = default_agenda(30)
    assert [ph.prompt for ph in session.agenda[1:]] == [ph.prompt for ph in usual[1:]]


def test_later_sessions_ask_how_you_progressed_since_last_time() -> None:
    p = partnership("Ana", "Ben").with_last_session(date(2026, 11, 16))
    session = Session.begin(p, ["ana", "ben"], START)
    assert not session.first
    assert session.agenda[0].prompt == default_agenda(30)[0].prompt
    assert session.agenda[0].prompt != FIRST_SESSION_PROMPTS[PhaseKind.REVIEW]


def test_begin_with_a_given_agenda_plans_its_turns() -> None:
    agenda = default_agenda(20)[2:]  # actions and wrap-up only
    session = Session.begin(partnership("Ana", "Ben"), ["ana", "ben"], START, agenda=agenda)
    assert session.agenda == tuple(agenda)
    assert [t.phase.kind for t in session.turns] == [
        PhaseKind.ACTIONS,
        PhaseKind.ACTIONS,
        PhaseKind.WRAPUP,
    ]
    assert session.timer.allotted == tuple(turn_allotments(agenda, ["ana", "ben"]))


def test_default_agenda_phases_have_their_kinds() -> None:
    session, _ = begin("ana", "ben")
    assert [ph.kind for ph in session.agenda] == [
        PhaseKind.REVIEW,
        PhaseKind.OBSTACLES,
        PhaseKind.ACTIONS,
        PhaseKind.WRAPUP,
    ]


# --- a session is a value --------------------------------------------------------------------


def test_a_session_cannot_be_changed_in_place() -> None:
    """Records are values (`facilitator.domain.record`). The type checker refuses an assignment
    to a field: the `type: ignore`s below are needed, and mypy, run with warn_unused_ignores
    (`.ci/check`), fails the day one is not. A changed session is a new one, equal to another
    with the same fields, and usable as a key."""
    session, c = begin("ana", "ben")
    if TYPE_CHECKING:  # checked, never run
        session.seen_at = c()  # type: ignore[misc]
        session.finished_at = c()  # type: ignore[misc]
    finished = replace(session, finished_at=c())
    assert session.finished_at is None and finished.finished_at == c()
    assert finished == replace(session, finished_at=c()) and finished != session
    assert {session: "before", finished: "after"}[replace(session)] == "before"


def test_moving_on_leaves_the_original_session_where_it_was() -> None:
    session, c = begin("ana", "ben")
    c.advance(30)
    moved = session.next_turn(c())
    finished = moved.finish(c())
    assert moved.timer.current == 1
    assert session.timer.current == 0
    assert session.timer.running
    assert session.reading(c()).left == 330
    assert not moved.finished
    assert finished.finished


def test_a_session_needs_a_timer_with_one_turn_per_planned_turn() -> None:
    session, _ = begin("ana", "ben")
    with pytest.raises(ValueError, match="timer's turns"):
        replace(session, timer=TurnTimer(allotted=(60, 60)))
    with pytest.raises(ValueError, match="timer's turns"):
        replace(session, present=("ana",))  # 4 turns for one partner, the timer has 7


def test_a_session_needs_someone_present_and_a_phase() -> None:
    session, _ = begin("ana", "ben")
    with pytest.raises(ValueError, match="partner present"):
        replace(session, present=())
    with pytest.raises(ValueError, match="phase"):
        replace(session, agenda=())


# --- time zones and clock changes ------------------------------------------------------------


def test_a_session_across_the_end_of_summer_time_keeps_its_length() -> None:
    london = "Europe/London"
    # 00:45 UTC is 01:45 BST; at 01:00 UTC on 25 Oct 2026 the clocks go back an hour.
    started = datetime(2026, 10, 25, 0, 45, tzinfo=UTC)
    c = FakeClock(started)
    p = partnership("Ana", "Ben", minutes=30, time_zone=london)
    session = Session.begin(p, ["ana"], c())
    c.advance(30 * 60)
    # Local wall-clock time went from 01:45 BST back to 01:15 GMT ...
    assert started.astimezone(p.zone).strftime("%H:%M %Z") == "01:45 BST"
    assert c().astimezone(p.zone).strftime("%H:%M %Z") == "01:15 GMT"
    # ... but the session counts the 30 minutes that really passed.
    assert session.timer.spent(0, c()) == 30 * 60
    assert session.reading(c()).left == 12 * 60 - 30 * 60
    assert sum(session.timer.allotted) == 30 * 60
    session = session.finish(c())
    assert session.timer.elapsed[0] == 30 * 60
    assert p.local_date(session.started_at) == date(2026, 10, 25)


@pytest.mark.parametrize(
    ("zone", "moment", "expected"),
    [
        # Honolulu is UTC-10 all year.
        ("Pacific/Honolulu", datetime(2026, 11, 24, 9, 59, tzinfo=UTC), date(2026, 11, 23)),
        ("Pacific/Honolulu", datetime(2026, 11, 24, 10, 0, tzinfo=UTC), date(2026, 11, 24)),
        # Kolkata is UTC+5:30.
        ("Asia/Kolkata", datetime(2026, 11, 23, 18, 29, tzinfo=UTC), date(2026, 11, 23)),
        ("Asia/Kolkata", datetime(2026, 11, 23, 18, 30, tzinfo=UTC), date(2026, 11, 24)),
        ("UTC", datetime(2026, 11, 23, 23, 59, tzinfo=UTC), date(2026, 11, 23)),
    ],
)
def test_partnership_local_date_either_side_of_local_midnight(
    zone: str, moment: datetime, expected: date
) -> None:
    assert partnership("Ana", "Ben", time_zone=zone).local_date(moment) == expected


def test_a_partnership_cannot_be_changed_in_place() -> None:
    p = partnership("Ana", "Ben")
    if TYPE_CHECKING:  # a type error (see test_a_session_cannot_be_changed_in_place)
        p.last_session_on = date(2026, 11, 23)  # type: ignore[misc]
    later = p.with_last_session(date(2026, 11, 23))
    assert later.last_session_on == date(2026, 11, 23)
    assert p.last_session_on is None
    assert later.partners == p.partners
    assert later.id == p.id


# --- moving through turns and phases ---------------------------------------------------------


def test_next_turn_and_previous_turn() -> None:
    session, c = begin("ana", "ben")
    session = session.next_turn(c())
    assert (session.current_turn.phase.key, session.current_turn.partner_id) == ("review", "ben")
    session = session.next_turn(c())
    assert (session.current_turn.phase.key, session.current_turn.partner_id) == (
        "obstacles",
        "ana",
    )
    session = session.previous_turn(c())
    assert session.timer.current == 1


def test_no_moving_before_the_first_turn() -> None:
    session, c = begin("ana", "ben")
    session = session.previous_turn(c())
    assert session.timer.current == 0
    session = session.previous_phase(c())
    assert session.timer.current == 0


def test_no_moving_past_the_last_turn() -> None:
    session, c = begin("ana", "ben")
    for _ in range(6):
        session = session.next_turn(c())
    assert session.is_last_turn
    assert session.current_turn.phase.key == "wrapup"
    session = session.next_turn(c())
    assert session.timer.current == 6
    session = session.next_phase(c())
    assert session.timer.current == 6
    assert session.is_last_turn


def test_is_last_turn_only_on_the_wrapup() -> None:
    session, c = begin("ana", "ben")
    flags = []
    for _ in range(7):
        flags.append(session.is_last_turn)
        session = session.next_turn(c())
    assert flags == [False] * 6 + [True]


def test_next_phase_goes_to_the_first_turn_of_the_next_phase() -> None:
    session, c = begin("ana", "ben", "cleo")
    session = session.next_turn(c())  # review, ben
    session = session.next_phase(c())
    assert session.current_turn.phase.key == "obstacles"
    assert session.current_turn.partner_id == "ana"
    session = session.next_phase(c())
    assert session.current_turn.phase.key == "actions"
    session = session.next_phase(c())
    assert session.current_turn.phase.key == "wrapup"
    session = session.next_phase(c())
    assert session.current_turn.phase.key == "wrapup"


def test_previous_phase_goes_to_the_first_turn_of_the_previous_phase() -> None:
    session, c = begin("ana", "ben", "cleo")
    session = session.next_phase(c())
    session = session.next_phase(c())
    session = session.next_turn(c())  # actions, ben
    session = session.previous_phase(c())
    assert session.current_turn.phase.key == "obstacles"
    assert session.current_turn.partner_id == "ana"
    session = session.previous_phase(c())
    assert session.current_turn.phase.key == "review"
    assert session.timer.current == 0


def test_previous_phase_in_the_first_phase_goes_to_its_first_turn() -> None:
    session, c = begin("ana", "ben", "cleo")
    session = session.next_turn(c())
    session = session.next_turn(c())  # review, cleo
    session = session.previous_phase(c())
    assert session.timer.current == 0


def test_the_clock_keeps_running_across_a_move() -> None:
    session, c = begin("ana", "ben")
    c.advance(100)
    session = session.next_turn(c())
    assert session.reading(c()).running
    c.advance(30)
    assert session.reading(c()).left == 330
    session = session.next_phase(c())
    assert session.reading(c()).running
    session = session.previous_phase(c())
    assert session.reading(c()).running
    session = session.previous_turn(c())
    assert session.reading(c()).running


def test_a_paused_clock_stays_paused_across_a_move() -> None:
    session, c = begin("ana", "ben")
    c.advance(100)
    session = session.with_timer(session.timer.pause(c()))
    for move in (
        Session.next_turn,
        Session.next_phase,
        Session.previous_turn,
        Session.previous_phase,
    ):
        session = move(session, c())
        c.advance(50)
        assert not session.reading(c()).running
    assert session.timer.elapsed[0] == 100
    assert sum(session.timer.elapsed) == 100


def test_time_spent_in_a_turn_is_kept_when_you_come_back_to_it() -> None:
    session, c = begin("ana", "ben")
    c.advance(100)
    session = session.next_phase(c())
    c.advance(200)
    session = session.previous_phase(c())
    assert session.reading(c()).left == 260
    session = session.next_phase(c())
    assert session.reading(c()).left == 40


def test_session_plan_delta_after_an_early_finish() -> None:
    session, c = begin("ana", "ben")
    c.advance(300)  # Ana's 6-minute review took 5
    session = session.next_turn(c())
    assert session.reading(c()).plan_delta == -60


# --- picking a session up again --------------------------------------------------------------


def test_resume_after_interruption_pauses_at_seen_at() -> None:
    session, c = begin("ana", "ben")
    c.advance(100)
    session = session.seen(c())
    c.advance(3 * 3600)  # the app crashed; hours pass
    session = session.resume_after_interruption()
    r = session.reading(c())
    assert not r.running
    assert r.left == 260  # only the 100 s before seen_at counted
    assert r.plan_delta == 0
    session = session.with_timer(session.timer.start(c()))
    c.advance(10)
    assert session.reading(c()).left == 250


def test_resume_after_interruption_without_seen_at_pauses_at_running_since() -> None:
    session, c = begin("ana", "ben")
    c.advance(50)
    session = session.next_turn(c())  # Ben's turn started at START + 50
    session = replace(session, seen_at=None)  # stored before seen_at was recorded
    c.advance(3600)
    session = session.resume_after_interruption()
    assert not session.timer.running
    assert session.reading(c()).left == 360  # none of Ben's hour counted
    assert session.timer.elapsed[:2] == (50, 0)


def test_resume_after_interruption_ignores_a_seen_at_older_than_the_run() -> None:
    session, c = begin("ana", "ben")
    session = session.seen(START - timedelta(minutes=5))
    c.advance(3600)
    session = session.resume_after_interruption()
    assert not session.timer.running
    assert session.reading(c()).left == 360


def test_resume_after_interruption_leaves_a_paused_session_alone() -> None:
    session, c = begin("ana", "ben")
    c.advance(100)
    session = session.with_timer(session.timer.pause(c())).seen(c() + timedelta(seconds=500))
    assert session.resume_after_interruption() is session
    assert not session.timer.running
    assert session.reading(c()).left == 260


def test_finish_stops_the_clock_and_records_when() -> None:
    session, c = begin("ana", "ben")
    c.advance(120)
    session = session.finish(c())
    assert session.finished_at == c()
    assert not session.timer.running
    c.advance(600)
    assert session.reading(c()).left == 240


# --- partnership: names ----------------------------------------------------------------------


def test_partner_names_two_to_six_are_cleaned() -> None:
    assert MIN_PARTNERS == 2
    assert MAX_PARTNERS == 6
    assert validate_partner_names(["  Ana ", "Ben\tB"]) == ["Ana", "Ben B"]
    six = ["A", "B", "C", "D", "E", "F"]
    assert validate_partner_names(six) == six


def test_blank_partner_names_are_skipped() -> None:
    assert validate_partner_names(["Ana", "", "   ", "Ben", "\t"]) == ["Ana", "Ben"]


@pytest.mark.parametrize("names", [[], ["Ana"], ["Ana", "", "  "]])
def test_fewer_than_two_partners_rejected(names: list[str]) -> None:
    with pytest.raises(InvalidText, match="at least 2"):
        validate_partner_names(names)


def test_more_than_six_partners_rejected() -> None:
    with pytest.raises(InvalidText, match="at most 6"):
        validate_partner_names(["A", "B", "C", "D", "E", "F", "G"])


@pytest.mark.parametrize("names", [["Ana", "ana"], ["Ana", "Ben", "ANA"], ["Ana", " Ana  "]])
def test_partner_names_must_differ_ignoring_case(names: list[str]) -> None:
    with pytest.raises(InvalidText, match="Two partners"):
        validate_partner_names(names)


def test_partner_name_too_long_names_the_partner() -> None:
    with pytest.raises(InvalidText, match=f"Partner 2's name .* {NAME_LENGTH}"):
        validate_partner_names(["Ana", "x" * (NAME_LENGTH + 1)])


def test_partnership_name_is_cleaned_and_required() -> None:
    assert validate_partnership_name("  Thursday\nclub ") == "Thursday club"
    with pytest.raises(InvalidText, match="can't be empty"):
        validate_partnership_name(" \n ")


def test_partner_lookup_by_id() -> None:
    p = partnership("Ana", "Ben")
    assert p.partner("ben").name == "Ben"
    assert p.partner_name("ana") == "Ana"
    with pytest.raises(KeyError):
        p.partner("zed")
    assert p.partner_name("zed") == "someone no longer in the partnership"


# --- partnership: session length ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "minutes"),
    [
        ("", DEFAULT_SESSION_MINUTES),
        ("   ", 30),
        ("45", 45),
        ("45 min", 45),
        ("45min", 45),
        ("45 minutes", 45),
        (" 60 ", 60),
        (str(MIN_SESSION_MINUTES), 10),
        (str(MAX_SESSION_MINUTES), 240),
    ],
)
def test_session_minutes_accepted(raw: str, minutes: int) -> None:
    assert validate_session_minutes(raw) == minutes


def test_a_blank_session_length_gives_the_default_30_minute_agenda_split_12_8_8_2() -> None:
    minutes = validate_session_minutes("")
    assert minutes == DEFAULT_SESSION_MINUTES
    agenda = default_agenda(minutes)
    assert [p.seconds // 60 for p in agenda] == [12, 8, 8, 2]


@pytest.mark.parametrize("raw", ["abc", "4.5", "half an hour", "thirty"])
def test_session_minutes_not_a_number_rejected(raw: str) -> None:
    with pytest.raises(InvalidText, match="whole minutes"):
        validate_session_minutes(raw)


@pytest.mark.parametrize("raw", ["5", "9", "241", "1000", "-3", "0"])
def test_session_minutes_out_of_range_rejected(raw: str) -> None:
    with pytest.raises(InvalidText, match="between 10 and 240"):
        validate_session_minutes(raw)


# --- partnership: cadence -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "day", "expected"),
    [
        (Cadence.WEEKLY, date(2026, 11, 23), date(2026, 11, 30)),
        (Cadence.WEEKLY, date(2026, 12, 29), date(2027, 1, 5)),
        (Cadence.FORTNIGHTLY, date(2026, 11, 23), date(2026, 12, 7)),
        (Cadence.FORTNIGHTLY, date(2028, 2, 20), date(2028, 3, 5)),
        (Cadence.MONTHLY, date(2026, 11, 23), date(2026, 12, 23)),
        (Cadence.MONTHLY, date(2026, 12, 15), date(2027, 1, 15)),
        (Cadence.MONTHLY, date(2027, 1, 31), date(2027, 2, 28)),
        (Cadence.MONTHLY, date(2028, 1, 31), date(2028, 2, 29)),
        (Cadence.MONTHLY, date(2027, 3, 31), date(2027, 4, 30)),
    ],
)
def test_cadence_after(cadence: Cadence, day: date, expected: date) -> None:
    result = cadence.after(day)
    assert result == expected
    assert type(result) is date  # a plain date, not a pendulum.Date


def test_cadence_labels() -> None:
    assert Cadence.WEEKLY.label == "Weekly"
    assert Cadence.FORTNIGHTLY.label == "Every two weeks"
    assert Cadence.MONTHLY.label == "Monthly"
    assert Cadence("fortnightly") is Cadence.FORTNIGHTLY


def test_first_session_is_due_on_the_day_the_partnership_was_made() -> None:
    p = partnership("Ana", "Ben")
    assert p.last_session_on is None
    assert p.next_session_due() == date(2026, 11, 1)


@pytest.mark.parametrize(
    ("cadence", "expected"),
    [
        (Cadence.WEEKLY, date(2026, 11, 30)),
        (Cadence.FORTNIGHTLY, date(2026, 12, 7)),
        (Cadence.MONTHLY, date(2026, 12, 23)),
    ],
)
def test_next_session_is_one_interval_after_the_last(cadence: Cadence, expected: date) -> None:
    p = partnership("Ana", "Ben", cadence=cadence).with_last_session(date(2026, 11, 23))
    assert p.last_session_on == date(2026, 11, 23)
    assert p.next_session_due() == expected

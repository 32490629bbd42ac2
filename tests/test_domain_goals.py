"""Goals: vague or specific, on track or behind, redefined with history, and the term's
patterns (recurring reasons, a robust middle); what people type, with clear messages."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from facilitator.domain.changes import CloseGoal, RecordProgress, SaveGoal
from facilitator.domain.goals import (
    GOAL_LENGTH,
    MILESTONE_DONE,
    Goal,
    GoalStatus,
    MeasureKind,
    Progress,
    Verdict,
    common_reasons,
    expected_value,
    number,
    redefines,
    robust_middle,
    vagueness,
    validate_amount,
    validate_deadline,
    validate_note,
    validate_target,
    validate_unit,
    validate_what,
    validate_why,
    verdict,
)
from facilitator.domain.state import NOBODY, MeetingState
from facilitator.domain.text import InvalidText

TODAY = date(2026, 11, 23)
SET_ON = date(2026, 10, 1)
DEADLINE = date(2027, 4, 12)  # 193 days after SET_ON
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def marathon(**changes: object) -> Goal:
    goal = Goal(
        owner_id="ana",
        what="Run the Manchester Marathon",
        created_on=SET_ON,
        kind=MeasureKind.NUMBER,
        target=42.0,
        unit="km",
        deadline=DEADLINE,
    )
    return replace(goal, **changes)  # type: ignore[arg-type]


def with_progress(goal: Goal, *entries: tuple[date, float | None]) -> Goal:
    for on, value in entries:
        goal = goal.recorded(Progress(on=on, value=value))
    return goal


# --- vague or specific ---------------------------------------------------------------------


def test_a_goal_with_a_measure_and_a_deadline_is_specific() -> None:
    assert vagueness(marathon()) is None
    assert vagueness(marathon(kind=MeasureKind.MILESTONE, target=None, unit="")) is None


def test_a_goal_without_a_measure_or_deadline_is_vague_with_a_concrete_suggestion() -> None:
    fitter = Goal(owner_id="ana", what="be fitter", created_on=TODAY)
    said = vagueness(fitter)
    assert said is not None
    assert "a measure" in said and "a deadline" in said
    assert "“fitter” is hard to be accountable to" in said
    assert "run the Manchester Marathon on 12 April 2027" in said


def test_what_is_missing_is_named_alone() -> None:
    no_date = vagueness(marathon(deadline=None))
    assert no_date is not None and "a deadline" in no_date and "a measure" not in no_date
    no_target = vagueness(marathon(target=None))
    assert no_target is not None and "a measure" in no_target and "a deadline" not in no_target


def test_redefines_is_about_what_measure_and_deadline_only() -> None:
    goal = marathon()
    assert not redefines(goal, replace(goal, why="to prove I can", start=3.0))
    assert redefines(goal, replace(goal, target=50.0))
    assert redefines(goal, replace(goal, deadline=date(2027, 10, 10)))
    assert redefines(goal, replace(goal, what="Run the Berlin Marathon"))


# --- on track or behind --------------------------------------------------------------------


def test_expected_value_follows_a_steady_line() -> None:
    goal = marathon()
    assert expected_value(goal, SET_ON) == 0
    assert expected_value(goal, DEADLINE) == 42
    assert expected_value(goal, date(2030, 1, 1)) == 42  # never past the target
    assert expected_value(marathon(start=10.0), SET_ON) == 10
    assert expected_value(marathon(deadline=None), TODAY) is None


def test_a_rising_target_is_on_track_or_behind_against_the_line() -> None:
    # On 23 Nov (53 of 193 days), the line is at 42 * 53/193 ≈ 11.5 km.
    assert verdict(marathon(), TODAY) is Verdict.NO_DATA
    assert verdict(with_progress(marathon(), (TODAY, 5.0)), TODAY) is Verdict.BEHIND
    assert verdict(with_progress(marathon(), (TODAY, 12.0)), TODAY) is Verdict.ON_TRACK
    assert verdict(with_progress(marathon(), (TODAY, 42.0)), TODAY) is Verdict.REACHED


def test_a_falling_target_counts_down() -> None:
    # 90 kg to 80 kg: on 23 Nov the line is at 90 - 10 * 53/193 ≈ 87.3 kg.
    weight = marathon(what="Weigh 80 kg", target=80.0, unit="kg", start=90.0)
    assert verdict(with_progress(weight, (TODAY, 88.0)), TODAY) is Verdict.BEHIND
    assert verdict(with_progress(weight, (TODAY, 86.5)), TODAY) is Verdict.ON_TRACK
    assert verdict(with_progress(weight, (TODAY, 79.5)), TODAY) is Verdict.REACHED


def test_the_latest_value_decides_even_recorded_the_same_day() -> None:
    goal = with_progress(marathon(), (TODAY, 20.0), (TODAY, 5.0))
    assert goal.latest is not None and goal.latest.value == 5.0
    assert verdict(goal, TODAY) is Verdict.BEHIND
    # An earlier day entered later doesn't count as the latest.
    goal = with_progress(marathon(), (TODAY, 20.0), (date(2026, 11, 1), 5.0))
    assert goal.latest is not None and goal.latest.value == 20.0


def test_a_note_alone_does_not_move_the_measure() -> None:
    goal = with_progress(marathon(), (date(2026, 11, 1), 12.0), (TODAY, None))
    assert goal.latest is not None and goal.latest.value is None
    assert goal.latest_value is not None and goal.latest_value.value == 12.0
    assert verdict(goal, TODAY) is Verdict.ON_TRACK  # 12 km on 1 Nov is ahead of the line


def test_past_its_deadline() -> None:
    later = date(2027, 4, 13)
    assert verdict(marathon(), later) is Verdict.OVERDUE
    assert verdict(with_progress(marathon(), (later, 30.0)), later) is Verdict.OVERDUE
    assert verdict(with_progress(marathon(), (later, 42.0)), later) is Verdict.REACHED


def test_a_milestone() -> None:
    novel = marathon(what="Submit the novel", kind=MeasureKind.MILESTONE, target=None, unit="")
    assert verdict(novel, TODAY) is Verdict.NO_DATA
    noted = novel.recorded(Progress(on=TODAY, value=None, note="chapter 3 drafted"))
    assert verdict(noted, TODAY) is Verdict.ON_TRACK
    done = noted.recorded(Progress(on=TODAY, value=MILESTONE_DONE))
    assert verdict(done, TODAY) is Verdict.REACHED
    assert verdict(noted, date(2027, 5, 1)) is Verdict.OVERDUE


def test_vague_achieved_and_dropped() -> None:
    assert verdict(Goal(owner_id="ana", what="be fitter", created_on=TODAY), TODAY) is Verdict.VAGUE
    assert verdict(marathon(deadline=None), TODAY) is Verdict.VAGUE
    assert Verdict.NO_MEASURE is Verdict.VAGUE  # the earlier name still works
    assert verdict(marathon().closed(GoalStatus.ACHIEVED, TODAY), TODAY) is Verdict.ACHIEVED
    dropped = marathon().closed(GoalStatus.DROPPED, TODAY)
    assert verdict(dropped, TODAY) is Verdict.DROPPED
    assert dropped.closed_on == TODAY
    assert dropped.closed(GoalStatus.ACTIVE, TODAY).closed_on is None


# --- changes: set, redefined with history, progress, closed --------------------------------


def test_redefinition_keeps_the_earlier_version_in_history() -> None:
    goal = marathon()
    state = SaveGoal(at=NOW, goal=goal).apply(MeetingState(), NOBODY).state
    state = (
        RecordProgress(at=NOW, goal_id=goal.id, progress=Progress(on=TODAY, value=12.0))
        .apply(state, NOBODY)
        .state
    )
    later = date(2027, 10, 10)
    wanted = replace(goal, target=50.0, deadline=later, why="to prove I can")
    state = SaveGoal(at=NOW, goal=wanted, reason="an injury").apply(state, NOBODY).state
    saved = state.goals[goal.id]
    assert (saved.target, saved.deadline, saved.why) == (50.0, later, "to prove I can")
    assert len(saved.progress) == 1  # progress recorded meanwhile is kept
    (earlier,) = saved.history
    assert (earlier.target, earlier.deadline, earlier.reason) == (42.0, DEADLINE, "an injury")
    assert earlier.changed_on == TODAY
    # Changing only why it matters is no redefinition.
    state = SaveGoal(at=NOW, goal=replace(saved, why="for Dad")).apply(state, NOBODY).state
    assert len(state.goals[goal.id].history) == 1


def test_closing_and_reopening() -> None:
    goal = marathon()
    state = SaveGoal(at=NOW, goal=goal).apply(MeetingState(), NOBODY).state
    state = (
        CloseGoal(at=NOW, goal_id=goal.id, status=GoalStatus.ACHIEVED).apply(state, NOBODY).state
    )
    assert state.goals[goal.id].status is GoalStatus.ACHIEVED
    state = CloseGoal(at=NOW, goal_id=goal.id, status=GoalStatus.ACTIVE).apply(state, NOBODY).state
    assert state.goals[goal.id].is_active


# --- across a term -------------------------------------------------------------------------


def test_robust_middle_sets_unusual_values_aside() -> None:
    assert robust_middle([]) is None
    assert robust_middle([30.0]) == 30.0
    assert robust_middle([28.0, 30.0, 32.0]) == 30.0
    assert robust_middle([28.0, 30.0, 32.0, 34.0]) == 31.0
    assert robust_middle([30.0, 31.0, 29.0, 30.0, 240.0]) == 30.0
    assert robust_middle([30.0, 30.0, 30.0, 31.0, 240.0]) == 30.0
    assert robust_middle([1000.0, 1000.0, 1000.0, 1010.0]) == 1000.0
    assert robust_middle([5.0, 5.0, 5.0]) == 5.0


def test_common_reasons_finds_what_recurs() -> None:
    reasons = [
        "Work was busy with the launch",
        "The kids were ill, and work again",
        "work travel",
        "Travel delays, just no energy",
        "I didn't have the energy this week",
    ]
    found = common_reasons(reasons)
    assert found[0] == ("work", 3)
    assert ("energy", 2) in found and ("travel", 2) in found
    assert all(word not in {"this", "week", "just", "didn"} for word, _ in found)
    assert common_reasons(reasons, at_least=4) == []
    assert common_reasons(["Work work WORK"]) == []  # once per reason


# --- what people type ----------------------------------------------------------------------


def test_validators_say_what_is_wrong() -> None:
    with pytest.raises(InvalidText, match="The goal can't be empty"):
        validate_what("   ")
    with pytest.raises(InvalidText, match=f"keep it to {GOAL_LENGTH}"):
        validate_what("x" * (GOAL_LENGTH + 1))
    assert validate_what("  Run   the  marathon ") == "Run the marathon"
    assert validate_why("") == ""
    with pytest.raises(InvalidText, match="Why it matters is"):
        validate_why("x" * 301)
    with pytest.raises(InvalidText, match="The unit is"):
        validate_unit("kilometres" * 3)
    with pytest.raises(InvalidText, match="The note is"):
        validate_note("x" * 201)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("10", 10.0), ("2.5", 2.5), ("2,000", 2000.0), ("1,500.5", 1500.5), ("3,5", 3.5),
     (" 7 ", 7.0), ("0", 0.0), ("1 000", 1000.0)],
)  # fmt: skip
def test_amounts_as_people_type_them(typed: str, value: float) -> None:
    assert validate_amount(typed, "The target") == value


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "The target can't be empty."),
        ("-5", "The target can't be negative."),
        ("lots", "The target must be a number, for example 10 or 2.5."),
        ("nan", "The target must be a number"),
        ("inf", "The target must be a number"),
        ("1,2,3", "The target must be a number"),
        ("10 km", "The target must be a number alone; the unit has a box of its own."),
        ("20000000000", "The target is too large to be a real target."),
    ],
)
def test_amounts_refused_with_a_clear_message(typed: str, message: str) -> None:
    with pytest.raises(InvalidText) as raised:
        validate_amount(typed, "The target")
    assert str(raised.value).startswith(message)


def test_an_optional_amount_may_be_empty() -> None:
    assert validate_amount("  ", "The starting value", required=False) is None


def test_a_target_must_differ_from_the_start() -> None:
    assert validate_target(10.0, None) == 10.0
    assert validate_target(80.0, 90.0) == 80.0
    with pytest.raises(InvalidText, match="The target is where you start from"):
        validate_target(0.0, None)
    with pytest.raises(InvalidText, match=r"where you start from \(90\)"):
        validate_target(90.0, 90.0)


def test_a_deadline_in_the_past_is_refused() -> None:
    assert validate_deadline(None, TODAY) is None
    assert validate_deadline(TODAY, TODAY) == TODAY
    with pytest.raises(InvalidText, match="The deadline has passed"):
        validate_deadline(date(2026, 11, 22), TODAY)


def test_numbers_read_as_people_write_them() -> None:
    assert number(42.0) == "42"
    assert number(2.5) == "2.5"
    assert number(1234.0) == "1,234"
    assert number(0.125) == "0.125"
    assert number(2_000_000.0) == "2,000,000"
    assert marathon().describe_measure() == "42 km"
    assert marathon(kind=MeasureKind.MILESTONE).describe_measure() == "a yes/no milestone"
    assert marathon(kind=None).describe_measure() == "no measure yet"

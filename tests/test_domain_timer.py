"""The agenda's timeboxes and the turn timer's maths, driven by a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from facilitator.domain.agenda import default_agenda
from facilitator.domain.clock import FakeClock
from facilitator.domain.session import turn_allotments
from facilitator.domain.timer import (
    EXTENSION_SECONDS,
    WARNING_SECONDS,
    TimerReading,
    TurnTimer,
)

START = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def clock() -> FakeClock:
    return FakeClock(START)


def running_timer(allotted: tuple[int, ...], c: FakeClock) -> TurnTimer:
    return TurnTimer(allotted=allotted).start(c())


def reading(left: float) -> TimerReading:
    return TimerReading(left=left, running=True, plan_delta=0.0)


# --- the fake clock itself -------------------------------------------------------------


def test_fake_clock_only_moves_when_told() -> None:
    c = clock()
    assert c() == START
    assert c() == START
    c.advance(90)
    assert c() == START + timedelta(seconds=90)
    c.advance(days=1)
    assert c() == START + timedelta(days=1, seconds=90)


def test_fake_clock_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        FakeClock(datetime(2026, 11, 23, 18, 0))


# --- agenda ---------------------------------------------------------------------------


def test_default_agenda_for_30_minutes_is_12_8_8_2() -> None:
    agenda = default_agenda(30)
    assert [p.key for p in agenda] == ["review", "obstacles", "actions", "wrapup"]
    assert [p.seconds for p in agenda] == [12 * 60, 8 * 60, 8 * 60, 2 * 60]


def test_default_agenda_only_wrapup_is_a_group_phase() -> None:
    agenda = default_agenda(30)
    assert [p.per_partner for p in agenda] == [True, True, True, False]
    assert all(p.title and p.prompt for p in agenda)


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (10, [3, 3, 3, 1]),
        (45, [18, 12, 12, 3]),
        (60, [24, 16, 16, 4]),
        (240, [96, 64, 64, 16]),
    ],
)
def test_default_agenda_other_lengths(total: int, expected: list[int]) -> None:
    minutes = [p.seconds // 60 for p in default_agenda(total)]
    assert minutes == expected


@pytest.mark.parametrize("total", [10, 11, 13, 17, 29, 30, 31, 45, 59, 60, 99, 121, 239, 240])
def test_default_agenda_sums_exactly_and_every_phase_gets_a_minute(total: int) -> None:
    agenda = default_agenda(total)
    assert sum(p.seconds for p in agenda) == total * 60
    assert all(p.seconds >= 60 for p in agenda)
    assert all(p.seconds % 60 == 0 for p in agenda)


def test_default_agenda_sums_exactly_for_every_allowed_length() -> None:
    for total in range(10, 241):
        agenda = default_agenda(total)
        assert sum(p.seconds for p in agenda) == total * 60, total
        assert min(p.seconds for p in agenda) >= 60, total


# --- splitting phases into turns --------------------------------------------------------


def test_twelve_minute_review_between_two_partners_is_six_minutes_each() -> None:
    allotted = turn_allotments(default_agenda(30), ["a", "b"])
    # review 6+6, obstacles 4+4, actions 4+4, wrap-up 2 for the group
    assert allotted == [360, 360, 240, 240, 240, 240, 120]
    assert sum(allotted) == 30 * 60


def test_twelve_minute_review_between_three_partners_is_four_minutes_each() -> None:
    allotted = turn_allotments(default_agenda(30), ["a", "b", "c"])
    assert allotted[:3] == [240, 240, 240]
    assert allotted[3:9] == [160] * 6
    assert allotted[9:] == [120]
    assert sum(allotted) == 30 * 60


def test_one_partner_present_gets_each_whole_phase() -> None:
    assert turn_allotments(default_agenda(30), ["a"]) == [720, 480, 480, 120]


# --- counting down ----------------------------------------------------------------------


def test_countdown_decreases_with_the_clock() -> None:
    c = clock()
    timer = running_timer((360, 360), c)
    assert timer.running
    assert timer.left(c()) == 360
    c.advance(100)
    assert timer.left(c()) == 260
    c.advance(0.5)
    assert timer.left(c()) == pytest.approx(259.5)
    r = timer.reading(c())
    assert r.running
    assert r.left == pytest.approx(259.5)
    assert not r.times_up
    assert not r.warning


def test_a_timer_not_started_does_not_count() -> None:
    c = clock()
    timer = TurnTimer(allotted=(300,))
    assert not timer.running
    c.advance(1000)
    assert timer.left(c()) == 300
    assert not timer.reading(c()).running


def test_a_clock_going_backwards_never_adds_time() -> None:
    c = clock()
    timer = running_timer((300,), c)
    assert timer.left(START - timedelta(seconds=30)) == 300


@pytest.mark.parametrize(
    ("left", "warning"),
    [
        (61, False),
        (60.5, False),
        (60, True),
        (30, True),
        (1, True),
        (0.001, True),
        (0, False),
        (-1, False),
    ],
)
def test_one_minute_warning_boundaries(left: float, warning: bool) -> None:
    assert reading(left).warning is warning


def test_warning_starts_exactly_warning_seconds_before_the_end_of_a_running_turn() -> None:
    c = clock()
    timer = running_timer((300,), c)
    c.advance(300 - WARNING_SECONDS - 1)  # one second before the warning
    assert not timer.reading(c()).warning
    c.advance(1)  # WARNING_SECONDS left
    assert timer.left(c()) == WARNING_SECONDS
    assert timer.reading(c()).warning
    c.advance(WARNING_SECONDS - 1)  # 1 s left
    assert timer.reading(c()).warning
    assert not timer.reading(c()).times_up
    c.advance(1)  # 0 s left
    r = timer.reading(c())
    assert not r.warning
    assert r.times_up


@pytest.mark.parametrize(
    ("left", "times_up", "overtime"),
    [(10, False, 0.0), (0.5, False, 0.0), (0, True, 0.0), (-0.5, True, 0.5), (-95, True, 95.0)],
)
def test_times_up_and_overtime(left: float, times_up: bool, overtime: float) -> None:
    r = reading(left)
    assert r.times_up is times_up
    assert r.overtime == overtime


def test_overtime_keeps_counting_past_zero() -> None:
    c = clock()
    timer = running_timer((120,), c)
    c.advance(120)
    r = timer.reading(c())
    assert r.left == 0
    assert r.times_up
    assert r.overtime == 0
    c.advance(45)
    r = timer.reading(c())
    assert r.left == -45
    assert r.times_up
    assert r.overtime == 45
    assert r.running
    c.advance(600)
    assert timer.reading(c()).overtime == 645


# --- pause, resume, toggle --------------------------------------------------------------


def test_pause_stops_the_clock_and_resume_continues() -> None:
    c = clock()
    timer = running_timer((360,), c)
    c.advance(100)
    timer = timer.pause(c())
    assert not timer.running
    assert timer.running_since is None
    assert timer.elapsed[0] == 100
    c.advance(500)
    assert timer.left(c()) == 260
    assert not timer.reading(c()).running

    timer = timer.start(c())
    assert timer.running
    assert timer.left(c()) == 260
    c.advance(10)
    assert timer.left(c()) == 250


def test_pause_when_paused_and_start_when_running_change_nothing() -> None:
    c = clock()
    timer = running_timer((360,), c)
    c.advance(30)
    timer = timer.start(c())  # already running: must not restart the run and lose 30 s
    assert timer.running_since == START
    assert timer.left(c()) == 330
    timer = timer.pause(c())
    c.advance(30)
    timer = timer.pause(c())  # already paused: must not count the 30 s
    assert timer.elapsed[0] == 30
    assert timer.left(c()) == 330


def test_toggle_pauses_and_resumes() -> None:
    c = clock()
    timer = TurnTimer(allotted=(300,))
    timer = timer.toggle(c())
    assert timer.running
    c.advance(20)
    timer = timer.toggle(c())
    assert not timer.running
    c.advance(100)
    assert timer.left(c()) == 280
    timer = timer.toggle(c())
    assert timer.running
    c.advance(5)
    assert timer.left(c()) == 275


def test_repeated_pauses_add_up() -> None:
    c = clock()
    timer = TurnTimer(allotted=(300,))
    for _ in range(5):
        timer = timer.start(c())
        c.advance(10)
        timer = timer.pause(c())
        c.advance(1000)
    assert timer.elapsed[0] == 50
    assert timer.left(c()) == 250


# --- add a minute ------------------------------------------------------------------------


def test_extend_adds_a_minute_to_the_current_turn_only() -> None:
    c = clock()
    timer = running_timer((300, 300, 300), c)
    c.advance(280)
    timer = timer.extend()
    assert timer.extra == (EXTENSION_SECONDS, 0, 0) == (60, 0, 0)
    assert timer.left(c()) == 80
    timer = timer.go_to(1, c())
    assert timer.left(c()) == 300  # the next turn is unchanged
    timer = timer.go_to(0, c())
    assert timer.left(c()) == 80  # the extension stays with its turn


def test_extend_twice_and_by_a_chosen_amount() -> None:
    c = clock()
    timer = running_timer((300,), c)
    timer = timer.extend()
    timer = timer.extend()
    timer = timer.extend(30)
    assert timer.extra == (150,)
    assert timer.left(c()) == 450


def test_extend_during_overtime_brings_time_back() -> None:
    c = clock()
    timer = running_timer((60,), c)
    c.advance(90)
    assert timer.reading(c()).times_up
    timer = timer.extend()
    r = timer.reading(c())
    assert r.left == 30
    assert not r.times_up
    assert r.warning


# --- moving between turns -----------------------------------------------------------------


def test_go_to_keeps_the_clock_running_if_it_was() -> None:
    c = clock()
    timer = running_timer((300, 300), c)
    c.advance(50)
    timer = timer.go_to(1, c())
    assert timer.current == 1
    assert timer.running
    assert timer.elapsed == (50, 0)
    c.advance(20)
    assert timer.left(c()) == 280


def test_go_to_stays_paused_if_paused() -> None:
    c = clock()
    timer = running_timer((300, 300), c)
    c.advance(50)
    timer = timer.pause(c())
    timer = timer.go_to(1, c())
    assert timer.current == 1
    assert not timer.running
    c.advance(20)
    assert timer.left(c()) == 300


def test_time_spent_in_a_turn_is_kept_when_you_come_back() -> None:
    c = clock()
    timer = running_timer((300, 300), c)
    c.advance(100)
    timer = timer.go_to(1, c())
    c.advance(40)
    timer = timer.go_to(0, c())
    assert timer.left(c()) == 200
    assert timer.spent(1, c()) == 40
    c.advance(10)
    assert timer.left(c()) == 190
    timer = timer.go_to(1, c())
    assert timer.left(c()) == 260
    assert timer.elapsed == (110, 40)


@pytest.mark.parametrize(("target", "expected"), [(-5, 0), (-1, 0), (2, 2), (3, 2), (99, 2)])
def test_go_to_clamps_to_the_turns_that_exist(target: int, expected: int) -> None:
    c = clock()
    timer = running_timer((100, 100, 100), c)
    timer = timer.go_to(1, c())
    timer = timer.go_to(target, c())
    assert timer.current == expected


def test_go_to_the_current_turn_does_not_restart_the_run() -> None:
    c = clock()
    timer = running_timer((300, 300), c)
    c.advance(30)
    timer = timer.go_to(0, c())
    assert timer.running_since == START
    assert timer.left(c()) == 270


# --- ahead of or behind the plan ----------------------------------------------------------


def test_on_plan_at_the_start() -> None:
    c = clock()
    timer = running_timer((360, 360, 120), c)
    assert timer.plan_delta(c()) == 0


def test_finishing_a_turn_early_puts_the_session_ahead_by_the_unused_time() -> None:
    c = clock()
    timer = running_timer((360, 360, 120), c)
    c.advance(300)
    timer = timer.go_to(1, c())
    assert timer.plan_delta(c()) == -60
    assert timer.reading(c()).plan_delta == -60


def test_running_over_puts_the_session_behind() -> None:
    c = clock()
    timer = running_timer((360, 360, 120), c)
    c.advance(400)
    timer = timer.go_to(1, c())
    assert timer.plan_delta(c()) == 40


def test_the_current_turn_counts_only_its_overrun() -> None:
    c = clock()
    timer = running_timer((360, 360, 120), c)
    c.advance(100)
    assert timer.plan_delta(c()) == 0  # 260 s left, but not yet used: not ahead
    c.advance(260)
    assert timer.plan_delta(c()) == 0  # exactly on time
    c.advance(25)
    assert timer.plan_delta(c()) == 25  # running over counts at once


def test_ahead_and_behind_add_up_across_turns() -> None:
    c = clock()
    timer = running_timer((360, 360, 120), c)
    c.advance(300)  # 60 s early
    timer = timer.go_to(1, c())
    c.advance(400)  # 40 s over
    timer = timer.go_to(2, c())
    assert timer.plan_delta(c()) == -20
    c.advance(150)  # current turn 30 s over
    assert timer.plan_delta(c()) == 10


def test_skipping_a_turn_puts_the_session_ahead_by_all_of_it() -> None:
    c = clock()
    timer = running_timer((360, 360, 120), c)
    timer = timer.go_to(2, c())
    assert timer.plan_delta(c()) == -720


def test_going_back_counts_later_visited_turns_only_when_they_ran_over() -> None:
    c = clock()
    timer = running_timer((360, 360, 360), c)
    c.advance(300)
    timer = timer.go_to(1, c())
    c.advance(100)  # turn 1 has 260 s unused
    timer = timer.go_to(2, c())
    c.advance(400)  # turn 2 40 s over
    timer = timer.go_to(0, c())
    # turn 0 is current again (60 s unused, not counted); turn 1's unused time isn't
    # counted since it may yet be used; turn 2's overrun is.
    assert timer.plan_delta(c()) == 40


def test_added_minutes_are_not_part_of_the_plan() -> None:
    c = clock()
    timer = running_timer((300, 300), c)
    timer = timer.extend()
    c.advance(340)
    assert timer.left(c()) == 20
    assert timer.plan_delta(c()) == 40


def test_plan_delta_while_paused_does_not_move() -> None:
    c = clock()
    timer = running_timer((300, 300), c)
    c.advance(350)
    timer = timer.pause(c())
    c.advance(1000)
    assert timer.plan_delta(c()) == 50


# --- state restored from storage ---------------------------------------------------------


def test_empty_timer_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one turn"):
        TurnTimer(allotted=())


def test_stored_lists_are_padded_or_trimmed_to_the_turns() -> None:
    timer = TurnTimer(allotted=(100, 100, 100), elapsed=(5.0,), extra=(60, 0, 0, 0, 9))
    assert timer.elapsed == (5.0, 0.0, 0.0)
    assert timer.extra == (60, 0, 0)


@pytest.mark.parametrize(("current", "expected"), [(-3, 0), (1, 1), (7, 2)])
def test_stored_current_turn_is_clamped(current: int, expected: int) -> None:
    assert TurnTimer(allotted=(100, 100, 100), current=current).current == expected


def test_two_timers_from_the_same_stored_state_read_the_same() -> None:
    c = clock()
    c.advance(75)

    def restore() -> TurnTimer:
        return TurnTimer(
            allotted=(360, 360),
            current=1,
            elapsed=(400.0, 20.0),
            extra=(0, 60),
            running_since=START,
        )

    first, second = restore(), restore()
    assert first.reading(c()) == second.reading(c())
    assert first.left(c()) == 360 + 60 - 20 - 75
    assert first.plan_delta(c()) == 40


def test_stored_lists_become_tuples_not_shared_with_the_caller() -> None:
    allotted, elapsed, extra = [100, 100], [10.0, 0.0], [0, 0]
    timer = TurnTimer(allotted=allotted, elapsed=elapsed, extra=extra)  # type: ignore[arg-type]
    allotted[0], elapsed[0], extra[0] = 999, 999.0, 999
    assert (timer.allotted, timer.elapsed, timer.extra) == ((100, 100), (10.0, 0.0), (0, 0))
    assert isinstance(timer.elapsed, tuple)
    timer = timer.start(START).pause(START + timedelta(seconds=5))
    assert timer.elapsed == (15.0, 0.0)


# --- a timer is a value -----------------------------------------------------------------


def test_a_timer_cannot_be_changed_in_place() -> None:
    """A type error (the `type: ignore`s are needed: see facilitator.domain.record)."""
    timer = TurnTimer(allotted=(300, 300))
    if TYPE_CHECKING:  # checked, never run
        timer.current = 1  # type: ignore[misc]
        timer.running_since = START  # type: ignore[misc]
    assert timer.current == 0
    assert timer.running_since is None


def test_pause_leaves_the_original_timer_running() -> None:
    c = clock()
    running = running_timer((300, 300), c)
    c.advance(100)
    paused = running.pause(c())
    assert not paused.running
    assert paused.elapsed == (100, 0)
    assert running.running
    assert running.running_since == START
    assert running.elapsed == (0, 0)
    c.advance(50)
    assert running.left(c()) == 150
    assert paused.left(c()) == 200


def test_go_to_leaves_the_original_timer_on_its_turn() -> None:
    c = clock()
    original = running_timer((300, 300), c)
    c.advance(40)
    moved = original.go_to(1, c())
    assert moved.current == 1
    assert original.current == 0
    assert original.elapsed == (0, 0)
    assert original.running_since == START
    assert original.left(c()) == 260


def test_extend_leaves_the_original_timer_alone() -> None:
    original = TurnTimer(allotted=(300,))
    extended = original.extend()
    assert extended.extra == (60,)
    assert original.extra == (0,)


def test_start_when_running_and_go_to_the_same_turn_return_the_same_timer() -> None:
    c = clock()
    timer = running_timer((300, 300), c)
    assert timer.start(c()) is timer
    assert timer.go_to(0, c()) is timer
    paused = timer.pause(c())
    assert paused.pause(c()) is paused

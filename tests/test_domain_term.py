"""The periodic review's term and what it came to, from hand-built records on fixed dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from facilitator.domain.actions import Action, ActionStatus
from facilitator.domain.agenda import default_agenda
from facilitator.domain.agreement import Agreement, ReviewUnit
from facilitator.domain.goals import Goal, GoalStatus, MeasureKind, Progress, Verdict
from facilitator.domain.partnership import Cadence, Partner, Partnership
from facilitator.domain.session import Session
from facilitator.domain.term import Term, rhythm_days, summarise_term, term_for, track_goal

ANA, BEN = Partner(name="Ana"), Partner(name="Ben")
TODAY = date(2026, 2, 22)  # a Sunday
# Auckland is 13 hours ahead in summer: noon UTC on New Year's Eve is already New Year's Day.
ZONE = "Pacific/Auckland"


def partnership(**changes: object) -> Partnership:
    made = Partnership(
        name="Pair",
        partners=(ANA, BEN),
        cadence=Cadence.WEEKLY,
        session_minutes=30,
        created_on=date(2025, 6, 1),
        time_zone=ZONE,
        last_session_on=date(2026, 2, 15),
    )
    return replace(made, **changes)  # type: ignore[arg-type]


def session(
    at: datetime, *, present: tuple[Partner, ...] = (ANA, BEN), **changes: object
) -> Session:
    made = Session.begin(partnership(), [p.id for p in present], at, agenda=default_agenda(30))
    return replace(made.finish(at + timedelta(minutes=30)), **changes)  # type: ignore[arg-type]


def reviewed(
    text: str, in_session: Session, status: ActionStatus, *, owner: Partner = ANA, why: str = ""
) -> Action:
    return Action(
        text=text,
        owner_id=owner.id,
        due_on=in_session.started_at.date(),
        created_in=None,
        created_at=in_session.started_at - timedelta(days=7),
        status=status,
        reviewed_in=in_session.id,
        in_the_way=why,
    )


# The term ---------------------------------------------------------------------------------------


def test_a_term_since_the_last_review_starts_the_day_after_it() -> None:
    term = term_for(partnership(last_review_on=date(2025, 11, 30)), TODAY)
    assert term == Term(date(2025, 12, 1), TODAY)
    assert term.weeks == 12
    assert term.years == [2025, 2026]
    assert date(2025, 12, 31) in term and date(2026, 1, 1) in term
    assert date(2025, 11, 30) not in term and TODAY + timedelta(days=1) not in term


def test_with_no_review_yet_a_term_is_the_rhythm_back_but_not_before_the_partnership() -> None:
    six_weeks = term_for(partnership(), TODAY)
    assert six_weeks == Term(TODAY - timedelta(days=41), TODAY)
    assert six_weeks.days == 42
    young = term_for(partnership(created_on=date(2026, 2, 1)), TODAY)
    assert young.start == date(2026, 2, 1)


def test_a_rhythm_counted_in_sessions_goes_back_that_many_meetings() -> None:
    every_four = Agreement(review_every=4, review_unit=ReviewUnit.SESSIONS)
    fortnightly = partnership(cadence=Cadence.FORTNIGHTLY, agreement=every_four)
    assert rhythm_days(fortnightly, TODAY) == 56
    assert term_for(fortnightly, TODAY).start == TODAY - timedelta(days=55)


def test_a_review_held_earlier_today_looks_back_a_whole_rhythm() -> None:
    term = term_for(partnership(last_review_on=TODAY), TODAY)
    assert term == Term(TODAY - timedelta(days=41), TODAY)


def test_a_term_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Term(TODAY, TODAY - timedelta(days=1))


# Follow-through and what got in the way ---------------------------------------------------------


def test_a_term_across_new_year_counts_the_sessions_in_the_partnerships_calendar() -> None:
    pair = partnership(last_review_on=date(2025, 12, 31))
    term = term_for(pair, TODAY)
    assert term.start == date(2026, 1, 1)
    before = session(datetime(2025, 12, 30, 12, 0, tzinfo=UTC))  # 31 Dec in Auckland: before
    new_year = session(datetime(2025, 12, 31, 12, 0, tzinfo=UTC))  # 1 Jan in Auckland: in
    week_two = session(datetime(2026, 1, 7, 12, 0, tzinfo=UTC), present=(BEN,))
    set_aside = session(datetime(2026, 1, 14, 12, 0, tzinfo=UTC), abandoned=True)
    week_four = session(datetime(2026, 1, 21, 12, 0, tzinfo=UTC))
    actions = [
        reviewed("Old one", before, ActionStatus.NOT_DONE, why="travel"),
        reviewed("Run 5 km", new_year, ActionStatus.DONE),
        reviewed("Write 500 words", new_year, ActionStatus.NOT_DONE, why="Travel for work"),
        reviewed("Call the bank", week_two, ActionStatus.PARTLY, why="Sick kids"),
        reviewed("Tidy the shed", set_aside, ActionStatus.DROPPED),
        reviewed("Draft chapter 2", week_four, ActionStatus.NOT_DONE, why="more travel, then sick"),
        reviewed("Ben's", week_four, ActionStatus.NOT_DONE, owner=BEN, why="travel travel"),
    ]
    still_open = Action(
        text="Book the venue",
        owner_id=ANA.id,
        due_on=TODAY,
        created_in=week_four.id,
        created_at=week_four.started_at,
    )
    summary = summarise_term(
        pair,
        term,
        ANA.id,
        sessions=[before, new_year, week_two, set_aside, week_four],
        actions=[*actions, still_open],
        goals=[],
        today=TODAY,
    )
    counts = summary.follow_through
    assert (counts.done, counts.partly, counts.not_done, counts.dropped) == (1, 1, 2, 1)
    assert counts.rate == pytest.approx(1.5 / 5)
    assert summary.sessions == 3  # the one set aside isn't counted as held
    assert summary.attended == 2  # Ana was away on 8 January
    assert summary.still_open == 1
    # The latest first; each reason as given.
    assert [a.text for a in summary.misses] == [
        "Draft chapter 2",
        "Tidy the shed",
        "Call the bank",
        "Write 500 words",
    ]
    assert summary.reasons_given == ["more travel, then sick", "Sick kids", "Travel for work"]
    # "travel" and "sick" each come up in two reasons: they stand out.
    assert summary.reasons == (("sick", 2), ("travel", 2))


def test_a_mark_made_in_the_live_session_replaces_the_record_from_before() -> None:
    pair = partnership()
    term = term_for(pair, TODAY)
    live = Session.begin(pair, [ANA.id, BEN.id], datetime(2026, 2, 21, 9, 0, tzinfo=UTC))
    action = Action(
        text="Run 5 km",
        owner_id=ANA.id,
        due_on=TODAY,
        created_in=None,
        created_at=datetime(2026, 2, 14, 9, 0, tzinfo=UTC),
    )
    marked = replace(action, status=ActionStatus.DONE, reviewed_in=live.id)
    summary = summarise_term(
        pair, term, ANA.id, sessions=[live], actions=[action, marked], goals=[], today=TODAY
    )
    assert summary.follow_through.done == 1
    assert summary.still_open == 0
    assert summary.misses == ()
    assert summary.reasons == ()


# Goals over the term ---------------------------------------------------------------------------


def run_goal(**changes: object) -> Goal:
    goal = Goal(
        owner_id=ANA.id,
        what="Run 100 km",
        created_on=date(2025, 11, 1),
        kind=MeasureKind.NUMBER,
        target=100,
        unit="km",
        start=0,
        deadline=date(2026, 5, 1),
        progress=(
            Progress(on=date(2025, 11, 20), value=10),
            Progress(on=date(2025, 12, 30), value=20),
            Progress(on=date(2026, 1, 2), value=25),
            Progress(on=date(2026, 1, 2), value=26),  # corrected the same day: the later one
            Progress(on=date(2026, 1, 5), value=None, note="knee sore"),
            Progress(on=date(2026, 1, 4), value=30),
        ),
    )
    return replace(goal, **changes)  # type: ignore[arg-type]


def test_a_goals_progress_across_new_year_day_by_day() -> None:
    term = Term(date(2026, 1, 1), date(2026, 1, 6))
    track = track_goal(run_goal(), term, date(2026, 1, 6))
    # Where it stood when the term began (30 Dec), then each day's latest value.
    assert track.series == (20, 26, 26, 30, 30, 30)
    assert track.at_start == 20
    assert track.readings == 3
    assert track.latest == 30
    assert track.share_of_target == pytest.approx(0.30)
    assert track.expected_now == pytest.approx(100 * 66 / 181)
    assert track.verdict is Verdict.BEHIND
    assert track.days_left == (date(2026, 5, 1) - date(2026, 1, 6)).days


def test_a_goal_set_during_the_term_starts_its_chart_on_the_day_it_was_set() -> None:
    term = Term(date(2026, 1, 1), date(2026, 1, 10))
    goal = run_goal(created_on=date(2026, 1, 8), progress=(Progress(date(2026, 1, 9), 5),))
    track = track_goal(goal, term, date(2026, 1, 10))
    assert track.series == (0, 5, 5)
    unmeasured = track_goal(run_goal(start=None, progress=()), term, date(2026, 1, 10))
    assert unmeasured.series == ()
    assert unmeasured.latest is None
    assert unmeasured.verdict is Verdict.NO_DATA


def test_the_goals_a_term_looks_at() -> None:
    pair = partnership(last_review_on=date(2025, 11, 30))
    term = term_for(pair, TODAY)
    active = run_goal()
    achieved = run_goal(what="Submit", status=GoalStatus.ACHIEVED, closed_on=date(2026, 1, 10))
    dropped_before = run_goal(what="Old", status=GoalStatus.DROPPED, closed_on=date(2025, 10, 1))
    later = run_goal(what="Next term's", created_on=TODAY + timedelta(days=1))
    bens = run_goal(what="Ben's", owner_id=BEN.id)
    summary = summarise_term(
        pair,
        term,
        ANA.id,
        sessions=[],
        actions=[],
        goals=[achieved, dropped_before, later, bens, active],
        today=TODAY,
    )
    assert [t.goal.what for t in summary.goals] == ["Run 100 km", "Submit"]
    assert summary.goals[1].verdict is Verdict.ACHIEVED
    # Its chart stops on the day it was achieved.
    assert len(summary.goals[1].series) == (date(2026, 1, 10) - term.start).days + 1

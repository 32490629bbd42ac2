"""The agreement as plain Python: what people type is checked with a clear message, every
change keeps a dated version, two screens changing different terms keep both, the agenda is
shaped by small pure steps, and timeboxes are learned from the pair's own sessions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from facilitator.domain.agenda import PhaseKind, phase
from facilitator.domain.agreement import (
    Agreement,
    Direction,
    Medium,
    PartnerTerms,
    PhasePlan,
    ReviewUnit,
    add_plan,
    move_plan,
    new_plan,
    removes_core,
    validate_agenda,
    validate_phase_minutes,
    validate_review_every,
    validate_supporters,
    validate_time,
)
from facilitator.domain.changes import ChangeTerms, PartnershipTerms
from facilitator.domain.partnership import (
    Cadence,
    Partner,
    Partnership,
    validate_every_days,
    validate_partnership_name,
)
from facilitator.domain.session import Session
from facilitator.domain.state import Author, MeetingState
from facilitator.domain.text import InvalidText
from facilitator.domain.timeboxes import suggest_timeboxes, timebox_suggestions

T0 = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
ANA_SCREEN = Author(client="screen-a", label="Ana's terminal")
BEN_SCREEN = Author(client="screen-b", label="Ben's laptop")


def partnership() -> Partnership:
    return Partnership(
        name="Tuesday check-in",
        partners=(Partner("Ana", "ana"), Partner("Ben", "ben")),
        cadence=Cadence.WEEKLY,
        session_minutes=30,
        created_on=date(2026, 9, 1),
    )


# What people type ------------------------------------------------------------------------------


def problem(check: Callable[..., object], *args: object) -> str:
    """The message `check` gives for what was typed."""
    with pytest.raises(InvalidText) as raised:
        check(*args)
    return str(raised.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("18:30", "18:30"), ("6:30pm", "18:30"), ("12am", "00:00"), (" 7.05 ", "07:05"), ("", "")],
)
def test_a_usual_time_is_read_as_people_write_it(raw: str, expected: str) -> None:
    assert validate_time(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("25:00", "That isn't a time of day; give it as 18:30 or 6:30pm."),
        ("13pm", "With am or pm, the hour is 1 to 12."),
        ("soon", "Give the time as 18:30 or 6:30pm."),
    ],
)
def test_a_time_that_cant_be_used_says_why(raw: str, message: str) -> None:
    assert message in problem(validate_time, raw)


def test_a_cadence_of_zero_days_is_explained() -> None:
    assert "Meet every 1 to 90 days." in problem(validate_every_days, "0")
    assert "number of days between meetings" in problem(validate_every_days, "often")
    assert validate_every_days("10 days") == 10


def test_an_empty_name_is_explained() -> None:
    assert "The partnership's name can't be empty." in problem(validate_partnership_name, "   ")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0", "A timebox of 0 minutes leaves no time: give 1 to 120 minutes."),
        ("500", "500 minutes is longer than a session should be"),
        ("five", "Give the timebox in whole minutes, for example 5."),
    ],
)
def test_a_zero_or_absurd_timebox_is_explained(raw: str, message: str) -> None:
    assert message in problem(validate_phase_minutes, raw)


def test_timeboxes_and_review_rhythm_accept_their_units() -> None:
    assert validate_phase_minutes("5 min") == 5
    assert validate_review_every("6 weeks", ReviewUnit.WEEKS) == 6
    assert "Step back every 1 to 52 sessions." in problem(
        validate_review_every, "0", ReviewUnit.SESSIONS
    )


def test_one_way_needs_a_supporter_and_someone_whose_goals_they_are() -> None:
    validate_supporters(Direction.TWO_WAY, [False, False])
    validate_supporters(Direction.ONE_WAY, [False, True])
    validate_supporters(Direction.ONE_WAY, [False, True, True])  # a group: several support
    assert "tick who supports only" in problem(
        validate_supporters, Direction.ONE_WAY, [False, False]
    )
    assert "Leave at least one partner unticked" in problem(
        validate_supporters, Direction.ONE_WAY, [True, True]
    )


def test_a_partnership_made_two_way_again_gives_everyone_turns() -> None:
    """Ben supported only while it was one-way; his tick stays in the terms when the partners
    go back to two-way, and must count for nothing: he brings goals and takes turns again."""
    ben_supports = (PartnerTerms("ana"), PartnerTerms("ben", supporter=True))
    one_way = Agreement(direction=Direction.ONE_WAY, terms=ben_supports)
    two_way = replace(one_way, direction=Direction.TWO_WAY)
    assert one_way.supporters() == {"ben"}
    assert two_way.supporters() == set()

    session = Session.begin(replace(partnership(), agreement=two_way), ["ana", "ben"], T0)
    assert session.supporters == ()
    assert {turn.partner_id for turn in session.turns} >= {"ana", "ben"}


# Versions --------------------------------------------------------------------------------------


def change(
    state: MeetingState, seen: PartnershipTerms, wanted: PartnershipTerms, author: Author
) -> tuple[MeetingState, tuple[str, ...]]:
    outcome = ChangeTerms(at=T0, seen=seen, wanted=wanted, agreed_on=TODAY).run(state, author)
    return outcome.state, outcome.notices


def test_every_change_keeps_a_dated_version() -> None:
    state = MeetingState(partnership=partnership())
    seen = PartnershipTerms.of(state.partnership)  # type: ignore[arg-type]
    wanted = replace(
        seen, agreement=replace(seen.agreement, medium=Medium.PHONE, link="+44 20 7946 0000")
    )
    state, notices = change(state, seen, wanted, ANA_SCREEN)
    assert notices == ()
    assert state.partnership is not None
    assert state.partnership.agreement.medium is Medium.PHONE
    [version] = state.agreements
    assert version.agreed_on == TODAY
    assert version.by == "Ana's terminal"
    assert version.changes == "Changed the medium, the link."
    assert version.agreement == state.partnership.agreement

    again = PartnershipTerms.of(state.partnership)
    state, _ = change(
        state, again, replace(again, cadence=Cadence.EVERY_N_DAYS, every_days=10), ANA_SCREEN
    )
    assert [v.agreement.medium for v in state.agreements] == [Medium.PHONE, Medium.PHONE]
    assert state.agreements[-1].cadence == "every_n_days"
    assert state.agreements[-1].every_days == 10
    # The next session follows the new rhythm.
    assert state.partnership is not None
    assert state.partnership.next_after(TODAY) == TODAY + timedelta(days=10)


def test_nothing_changed_records_no_version() -> None:
    state = MeetingState(partnership=partnership())
    seen = PartnershipTerms.of(state.partnership)  # type: ignore[arg-type]
    after, _ = change(state, seen, seen, ANA_SCREEN)
    assert after is state


def test_two_screens_changing_different_terms_keep_both() -> None:
    state = MeetingState(partnership=partnership())
    opened = PartnershipTerms.of(state.partnership)  # type: ignore[arg-type]
    ana_wants = replace(opened, agreement=replace(opened.agreement, meeting_time="18:30"))
    ben_wants = replace(
        opened,
        session_minutes=45,
        agreement=replace(opened.agreement, may_share=True, share_with="our coach"),
    )
    state, ana_notices = change(state, opened, ana_wants, ANA_SCREEN)
    state, ben_notices = change(state, opened, ben_wants, BEN_SCREEN)
    assert ana_notices == ben_notices == ()
    assert state.partnership is not None
    agreement = state.partnership.agreement
    assert agreement.meeting_time == "18:30"
    assert agreement.may_share and agreement.share_with == "our coach"
    assert state.partnership.session_minutes == 45
    assert len(state.agreements) == 2


def test_the_same_term_changed_on_two_screens_keeps_the_later_and_says_so() -> None:
    state = MeetingState(partnership=partnership())
    opened = PartnershipTerms.of(state.partnership)  # type: ignore[arg-type]
    state, _ = change(
        state, opened, replace(opened, agreement=replace(opened.agreement, link="a")), ANA_SCREEN
    )
    state, notices = change(
        state, opened, replace(opened, agreement=replace(opened.agreement, link="b")), BEN_SCREEN
    )
    assert state.partnership is not None
    assert state.partnership.agreement.link == "b"
    assert notices and "the link had just been changed on another screen" in notices[0].lower()


# Shaping the agenda ----------------------------------------------------------------------------


def standard() -> tuple[PhasePlan, ...]:
    return tuple(
        PhasePlan(kind=k, title=k.label, minutes=m, per_partner=k is not PhaseKind.WRAPUP, key=k)
        for k, m in (
            (PhaseKind.REVIEW, 12),
            (PhaseKind.OBSTACLES, 8),
            (PhaseKind.ACTIONS, 8),
            (PhaseKind.WRAPUP, 2),
        )
    )


def test_a_check_in_goes_first_and_nothing_after_the_wrap_up() -> None:
    plans = standard()
    checkin = new_plan(PhaseKind.CHECKIN)
    assert (checkin.minutes, checkin.per_partner, checkin.title) == (2, False, "Check-in")
    with_checkin, at = add_plan(plans, checkin, after=2)
    assert at == 0 and with_checkin[0] is checkin
    goals = new_plan(PhaseKind.GOALS, title="Goal check")
    with_goals, at = add_plan(plans, goals, after=3)  # after the wrap-up: goes before it
    assert at == 3
    assert [p.kind for p in with_goals][-2:] == [PhaseKind.GOALS, PhaseKind.WRAPUP]


def test_moving_a_phase_stays_within_the_agenda() -> None:
    plans = standard()
    moved, at = move_plan(plans, 1, -1)
    assert [p.kind for p in moved][:2] == [PhaseKind.OBSTACLES, PhaseKind.REVIEW]
    assert at == 0
    same, at = move_plan(moved, 0, -1)
    assert same == moved and at == 0


def test_removing_a_core_phase_is_noticed_and_a_wrap_up_is_kept() -> None:
    plans = standard()
    without_actions = tuple(p for p in plans if p.kind is not PhaseKind.ACTIONS)
    assert removes_core(plans, without_actions) == [PhaseKind.ACTIONS]
    assert removes_core(plans, plans) == []
    assert "Keep a wrap-up" in problem(
        validate_agenda, tuple(p for p in plans if p.kind is not PhaseKind.WRAPUP)
    )


# Learned timeboxes ---------------------------------------------------------------------------

AGENDA = [
    phase(PhaseKind.REVIEW, 10, per_partner=False),
    phase(PhaseKind.OBSTACLES, 8, per_partner=False),
    phase(PhaseKind.WRAPUP, 2),
]
PLANS = tuple(
    PhasePlan(kind=p.kind, title=p.title, minutes=p.seconds // 60, per_partner=False, key=p.key)
    for p in AGENDA
)


def held(week: int, review_minutes: float, *, abandoned: bool = False) -> Session:
    """A finished session `week` weeks in, its review taking `review_minutes`."""
    start = T0 + timedelta(weeks=week)
    session = Session.begin(partnership(), ["ana", "ben"], start, agenda=AGENDA)
    spent = (review_minutes * 60, 8 * 60, 2 * 60)
    timer = replace(session.timer, elapsed=spent, running_since=None)
    return replace(
        session, timer=timer, finished_at=start + timedelta(hours=1), abandoned=abandoned
    )


def test_a_phase_regularly_overrun_gets_its_usual_time_ignoring_an_outlier() -> None:
    # Oldest first: the review took about 15 minutes, and once (a hard week) 60.
    sessions = [held(w, m) for w, m in enumerate([15, 16, 14, 60, 15, 16])]
    [suggestion] = timebox_suggestions(list(reversed(sessions)), PLANS)  # any order
    assert suggestion.key == "review"
    assert suggestion.minutes == 10
    assert suggestion.suggested == 15  # the hour-long review doesn't move it
    assert (suggestion.overran, suggestion.looked_at) == (5, 5)
    assert suggest_timeboxes(sessions, PLANS) == {"review": 15}


def test_an_occasional_overrun_suggests_nothing() -> None:
    sessions = [held(w, m) for w, m in enumerate([15, 10, 9, 16, 10])]  # 2 of 5
    assert suggest_timeboxes(sessions, PLANS) == {}


def test_running_over_by_a_fifth_or_less_is_within_the_timebox() -> None:
    sessions = [held(w, 12) for w in range(5)]  # 12 of 10 minutes: 20% over, not more
    assert suggest_timeboxes(sessions, PLANS) == {}


def test_only_recent_sessions_count() -> None:
    # Long reviews months ago, on time lately: 2 overruns among the last 5.
    sessions = [held(w, m) for w, m in enumerate([20, 20, 20, 20, 20, 10, 10, 10])]
    assert suggest_timeboxes(sessions, PLANS) == {}


def test_sessions_set_aside_and_skipped_phases_say_nothing() -> None:
    sessions = [held(w, 15) for w in range(2)]
    sessions += [held(w, 30, abandoned=True) for w in range(2, 6)]
    sessions += [held(w, 0) for w in range(6, 9)]  # the review skipped
    assert suggest_timeboxes(sessions, PLANS) == {}
    sessions.append(held(9, 15))
    assert suggest_timeboxes(sessions, PLANS) == {"review": 15}


def test_agreement_defaults_share_nothing() -> None:
    assert Agreement().confidentiality_line() == "What is said here stays between us."
    assert Agreement(may_share=True, share_with="our coach").confidentiality_line() == (
        "We may share what is said, with: our coach."
    )

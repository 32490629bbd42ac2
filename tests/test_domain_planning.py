"""Which agenda a session gets: the kick-off first, then the agreed agenda with a check-in,
and the term review when the review rhythm comes due."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from facilitator.domain.agenda import PhaseKind
from facilitator.domain.agreement import Agreement, PhasePlan, ReviewUnit
from facilitator.domain.partnership import Cadence, Partner, Partnership
from facilitator.domain.planning import next_review_on, plan_agenda, review_due

TODAY = date(2026, 11, 23)


def partnership(**changes: object) -> Partnership:
    base = Partnership(
        name="Pair",
        partners=(Partner("Ana", id="a"), Partner("Ben", id="b")),
        cadence=Cadence.WEEKLY,
        session_minutes=30,
        created_on=TODAY - timedelta(weeks=3),
        last_session_on=TODAY - timedelta(weeks=1),
        time_zone="Europe/London",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def kinds(p: Partnership, today: date = TODAY, **options: object) -> list[PhaseKind]:
    return [phase.kind for phase in plan_agenda(p, today, **options)]  # type: ignore[arg-type]


def test_the_first_session_is_the_kick_off() -> None:
    first = partnership(last_session_on=None)
    assert kinds(first) == [
        PhaseKind.CHECKIN,
        PhaseKind.VISION,
        PhaseKind.ACTIONS,
        PhaseKind.WRAPUP,
    ]


def test_a_regular_session_has_a_check_in_and_keeps_its_length() -> None:
    phases = plan_agenda(partnership(), TODAY)
    assert [p.kind for p in phases] == [
        PhaseKind.CHECKIN,
        PhaseKind.REVIEW,
        PhaseKind.OBSTACLES,
        PhaseKind.ACTIONS,
        PhaseKind.WRAPUP,
    ]
    assert sum(p.seconds for p in phases) == 30 * 60


def test_the_agreed_agenda_is_used() -> None:
    agenda = (
        PhasePlan(PhaseKind.CHECKIN, "Icebreaker", 3, per_partner=False, key="ice"),
        PhasePlan(PhaseKind.REVIEW, "Review", 20, key="rev"),
        PhasePlan(PhaseKind.WRAPUP, "Wrap-up", 5, per_partner=False, key="wrap"),
    )
    p = partnership(agreement=Agreement(agenda=agenda))
    phases = plan_agenda(p, TODAY)
    assert [(x.key, x.title, x.seconds) for x in phases] == [
        ("ice", "Icebreaker", 180),
        ("rev", "Review", 1200),
        ("wrap", "Wrap-up", 300),
    ]


def test_the_term_review_joins_when_due_before_the_wrap_up() -> None:
    due = partnership(created_on=TODAY - timedelta(weeks=6))
    assert review_due(due, TODAY)
    assert kinds(due)[-2:] == [PhaseKind.TERM_REVIEW, PhaseKind.WRAPUP]
    assert not review_due(due, TODAY - timedelta(days=1))
    assert PhaseKind.TERM_REVIEW not in kinds(due, with_review=False)
    assert PhaseKind.TERM_REVIEW in kinds(partnership(), with_review=True)


def test_the_review_rhythm_counts_weeks_since_the_last_review_or_sessions() -> None:
    reviewed = partnership(last_review_on=TODAY - timedelta(weeks=2))
    assert not review_due(reviewed, TODAY)
    assert next_review_on(reviewed) == TODAY + timedelta(weeks=4)
    by_sessions = partnership(
        agreement=Agreement(review_every=3, review_unit=ReviewUnit.SESSIONS),
        sessions_since_review=3,
    )
    assert review_due(by_sessions, TODAY)
    assert next_review_on(by_sessions) is None
    assert not review_due(replace(by_sessions, sessions_since_review=2), TODAY)


def test_finishing_a_session_with_a_term_review_resets_the_rhythm() -> None:
    held = partnership().with_last_session(TODAY, reviewed=True)
    assert held.last_review_on == TODAY and held.sessions_since_review == 0
    after = held.with_last_session(TODAY + timedelta(weeks=1))
    assert after.sessions_since_review == 1


def test_monthly_meetings_keep_to_one_day_of_the_month() -> None:
    monthly = partnership(cadence=Cadence.MONTHLY).with_last_session(date(2027, 1, 31))
    dates = [date(2027, 1, 31)]
    for _ in range(4):
        dates.append(monthly.next_after(dates[-1]))
    assert dates == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),
    ]

"""The term review phase through the real session screen and keys: charts of each goal's
progress with a verdict in words, follow-through, recurring reasons, and recalibration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import ZONE, AppMaker, settle, stored
from textual.pilot import Pilot
from textual.widgets import Input, Sparkline, Static

import facilitator.ui.screens.session as session_screen
from facilitator.domain import dates
from facilitator.domain.actions import ActionStatus, EntryKind
from facilitator.domain.agenda import PhaseKind, phase
from facilitator.domain.clock import FakeClock
from facilitator.domain.goals import Goal, GoalStatus, MeasureKind
from facilitator.domain.partnership import Cadence
from facilitator.domain.session import Session
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository
from facilitator.ui.app import FacilitatorApp
from facilitator.ui.screens.confirm import ConfirmScreen
from facilitator.ui.screens.goal_form import GoalForm
from facilitator.ui.screens.session import SessionScreen
from facilitator.ui.screens.term_review import TermReviewScreen
from facilitator.ui.widgets.rows import RowList
from facilitator.ui.widgets.term_review_panel import TermReviewPanel

SIZE = (100, 32)
WEEKS = 3
REASONS = ("", "Read pages [3 then travel again", "fixed [/b] bug 🎉, travel")
"""What got in the way, week by week (the first week has nothing to review)."""


@dataclass(frozen=True)
class Built:
    ana: str
    ben: str
    run: Goal
    book: Goal


def build_term(
    path: Path, clock: FakeClock, *, live: bool = True, per_partner: bool = True
) -> Built:
    """Weekly sessions for three weeks up to the clock's time, each reviewing last week's
    actions (Ana misses one each week, saying why), goals with progress; then, with `live`,
    a session whose agenda is the term review, as the app begins it when the review is due."""
    end = clock.now
    clock.now = end - timedelta(weeks=WEEKS)
    meeting = Meeting(Repository.open(path), clock)
    partnership = meeting.create_partnership("Pair", ["Ana", "Ben"], Cadence.WEEKLY, 30, ZONE)
    ana, ben = (p.id for p in partnership.partners)
    today = meeting.today()
    run = Goal(
        owner_id=ana,
        what="Run 100 km [3",
        created_on=today,
        kind=MeasureKind.NUMBER,
        target=100,
        unit="km",
        start=0,
        deadline=today + timedelta(weeks=10),
    )
    book = Goal(
        owner_id=ana,
        what="Submit the book",
        created_on=today,
        kind=MeasureKind.MILESTONE,
        deadline=today + timedelta(weeks=20),
    )
    meeting.save_goal(run)
    meeting.save_goal(book)
    for week in range(WEEKS):
        meeting.begin_session([ana, ben])
        for owner in (ana, ben):
            for index, action in enumerate(meeting.to_review(owner)):
                if owner == ana and index == 0:
                    meeting.mark(action, ActionStatus.NOT_DONE, in_the_way=REASONS[week])
                else:
                    meeting.mark(action, ActionStatus.DONE)
            meeting.add_entry(f"Week {week} win", EntryKind.WIN, owner)
            for number in range(2):
                meeting.add_action(f"Step {week}.{number}", owner, today + timedelta(weeks=1))
        meeting.record_progress(run.id, 4.0 * (week + 1))
        meeting.finish_session()
        clock.advance(days=7)
    clock.now = end
    if live:
        session = Session.begin(
            meeting.the_partnership,
            [ana, ben],
            clock(),
            agenda=[
                phase(PhaseKind.TERM_REVIEW, 10, per_partner=per_partner),
                phase(PhaseKind.WRAPUP, 1),
            ],
        )
        meeting.repository.put(session)
    return Built(ana, ben, run, book)


@pytest.fixture
def with_panel(monkeypatch: pytest.MonkeyPatch) -> None:
    """The session screen shows the term review phase with this panel (the lead registers it
    in PANELS). The goal form's warm-up of the date parser (a second's work on a thread, for
    dates typed in words) is skipped: these tests type none."""
    monkeypatch.setitem(session_screen.PANELS, PhaseKind.TERM_REVIEW, TermReviewPanel)
    monkeypatch.setattr(dates, "warm_up_parser", lambda: None)


async def loaded(pilot: Pilot[None]) -> TermReviewPanel:
    """The panel once the term's history has been read on its thread and drawn."""
    app = pilot.app
    for worker in list(app.workers):
        if worker.group == "term-history":
            await worker.wait()
    await pilot.pause()
    panel = app.screen.query_one(TermReviewPanel)
    assert panel.loaded
    return panel


def text_of(app: FacilitatorApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def goal_rows(app: FacilitatorApp) -> list[str]:
    rows = app.screen.query_one("#term-goals", RowList)
    return [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]


@pytest.mark.usefixtures("with_panel")
async def test_the_term_review_shows_progress_follow_through_and_reasons_then_drops_a_goal(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    built = build_term(data_path, clock)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")  # resume the session waiting in the file
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await loaded(pilot)
        heading = text_of(app, "#term-heading")
        # No review yet: the rhythm (six weeks) back, but not before the partnership began.
        assert "Ana's term: Mon 2 Nov to Mon 23 Nov (3 weeks)" in heading
        # Each goal with its verdict in words (and a symbol), the goal set earliest first.
        rows = goal_rows(app)
        # 12 km two weeks into ten: a steady pace would be at 20.
        assert "↓ behind" in rows[0] and "Run 100 km [3" in rows[0] and "12 of 100 km" in rows[0]
        assert "Submit the book" in rows[1]
        # The highlighted goal's chart: its value each day of the term, from the day it was set.
        chart = app.screen.query_one("#term-chart", Sparkline)
        assert chart.display
        assert chart.data == [4.0] * 7 + [8.0] * 7 + [12.0] * 8
        assert "▁ 4 km to █ 12 km · 3 readings this term" in text_of(app, "#term-chart-scale")
        detail = text_of(app, "#term-chart-detail")
        assert "Now 12 km of 100 km (12% of the way)" in detail
        assert "Deadline Mon 11 Jan 2027: 7 weeks left." in detail
        assert "A steady pace would be at 30 km now" in detail
        # Follow-through: week one had nothing to review; then 2 actions a week, 1 missed.
        # (This session is one of the term's, its marks counted as they are made.)
        follow = text_of(app, "#term-follow")
        assert "4 reviewed in 4 sessions" in follow
        assert "✓ done           2" in follow and "✗ not done       2" in follow
        assert "Followed through: 50%" in follow
        # The reason that keeps coming back stands out, with the reasons as typed.
        reasons = text_of(app, "#term-reasons")
        assert "Comes up again and again: travel ×2" in reasons
        assert (
            "fixed [/b] bug 🎉, travel" in reasons and "Read pages [3 then travel again" in reasons
        )

        # A milestone has no chart; its words say where it stands.
        await pilot.press("down")
        assert not chart.display
        assert "A yes/no milestone: not done yet." in text_of(app, "#term-chart-detail")

        # Drop it, after a yes.
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        assert app.meeting.state.goals[built.book.id].status is GoalStatus.DROPPED
        assert "⊘ dropped" in goal_rows(app)[1]

        # Ben's turn: his term, his (clean) record.
        await pilot.press("right")
        await loaded(pilot)
        assert "Ben's term" in text_of(app, "#term-heading")
        assert "No goals to look back on: press n to set one." in text_of(app, "#term-no-goals")
        assert "Nothing missed this term." in text_of(app, "#term-reasons")
        await settle(pilot)
    assert stored(data_path).read().goals[built.book.id].status is GoalStatus.DROPPED


@pytest.mark.usefixtures("with_panel")
async def test_recalibrating_in_the_term_review_keeps_the_earlier_target_and_why(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    built = build_term(data_path, clock)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await loaded(pilot)
        # Move the running goal's target, saying why: the earlier one is kept.
        await pilot.press("e")
        assert isinstance(app.screen, GoalForm)
        app.screen.query_one("#target Input", Input).value = "80"
        app.screen.query_one("#reason Input", Input).value = "knee [sore]"
        await pilot.press("enter")
        assert isinstance(app.screen, SessionScreen)
        assert "12 of 80 km" in goal_rows(app)[0]

        await settle(pilot)

    run = stored(data_path).read().goals[built.run.id]
    assert run.target == 80
    assert [(v.target, v.reason) for v in run.history] == [(100, "knee [sore]")]


async def test_the_term_review_opens_outside_a_session_and_moves_between_partners(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    built = build_term(data_path, clock, live=False)
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(TermReviewScreen(app.meeting))
        await pilot.pause()
        await loaded(pilot)
        assert "Ana (1 of 2)" in text_of(app, "#term-review-bar")
        assert "4 reviewed in 3 sessions" in text_of(app, "#term-follow")
        await pilot.press("right")
        await loaded(pilot)
        assert "Ben (2 of 2)" in text_of(app, "#term-review-bar")
        assert "Ben's term" in text_of(app, "#term-heading")

        # A new goal for Ben, set in the review.
        await pilot.press("n")
        assert isinstance(app.screen, GoalForm)
        app.screen.query_one("#what Input", Input).value = "Swim 10 km 🏊"
        app.screen.query_one("#target Input", Input).value = "10"
        app.screen.query_one("#unit Input", Input).value = "km"
        await pilot.press("enter")
        assert isinstance(app.screen, TermReviewScreen)
        assert "Swim 10 km 🏊" in goal_rows(app)[0]
        await pilot.press("escape")
        assert not isinstance(app.screen, TermReviewScreen)
        await settle(pilot)
    goals = stored(data_path).read().goals.values()
    assert [(g.owner_id, g.what) for g in goals if g.what.startswith("Swim")] == [
        (built.ben, "Swim 10 km 🏊")
    ]


@pytest.mark.usefixtures("with_panel")
async def test_a_term_review_taken_together_moves_between_partners_with_p(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    build_term(data_path, clock, per_partner=False)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await loaded(pilot)
        assert "Ana's term" in text_of(app, "#term-heading")
        await pilot.press("p")
        assert "Ben's term" in text_of(app, "#term-heading")
        await pilot.press("p")
        assert "Ana's term" in text_of(app, "#term-heading")

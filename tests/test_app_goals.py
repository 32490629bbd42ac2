"""Pilot tests of goals through the real screens and keys: setting a goal (a vague one too),
bad input refused where it was typed, progress and its verdict, redefining with history,
achieving (celebrated) and dropping (after a yes); and the session's goal panels."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import AppMaker, crash, met_before, settle, stored
from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, Static

from facilitator.domain.actions import Action, EntryKind
from facilitator.domain.agenda import PhaseKind, phase
from facilitator.domain.clock import FakeClock
from facilitator.domain.goals import Goal, GoalStatus, MeasureKind, Progress
from facilitator.domain.partnership import Cadence
from facilitator.domain.session import Session
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository
from facilitator.ui.app import FacilitatorApp
from facilitator.ui.screens import session as session_screen
from facilitator.ui.screens.confirm import ConfirmScreen
from facilitator.ui.screens.goal_form import GoalForm
from facilitator.ui.screens.goals import GoalsScreen, PartnerChoice
from facilitator.ui.screens.progress_form import ProgressForm
from facilitator.ui.screens.session import SessionScreen
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.goal_lines import goal_detail, goal_line, linked_actions
from facilitator.ui.widgets.goals_panel import GoalsPanel
from facilitator.ui.widgets.inputs import CleanInput
from facilitator.ui.widgets.rows import RowList
from facilitator.ui.widgets.vision_panel import VisionPanel

SIZE = (100, 32)


def seed(path: Path, clock: FakeClock, *goals: Goal) -> tuple[str, str]:
    """A partnership of Ana and Ben on the data file, with goals (given as Ana's); their ids."""
    meeting = Meeting(Repository.open(path), clock)
    partnership = meeting.create_partnership(
        "Tuesday check-in", ["Ana", "Ben"], Cadence.WEEKLY, 30, "Europe/London"
    )
    ana, ben = (p.id for p in partnership.partners)
    for goal in goals:
        meeting.save_goal(replace(goal, owner_id=ana))
    met_before(meeting.repository)  # the kick-off was last week: sessions are regular ones
    return ana, ben


def marathon() -> Goal:
    return Goal(
        owner_id="",
        what="Run the Manchester Marathon",
        created_on=date(2026, 10, 1),
        kind=MeasureKind.NUMBER,
        target=42.0,
        unit="km",
        deadline=date(2027, 4, 12),
        id="marathon",
    )


def fill(app: FacilitatorApp, selector: str, text: str) -> None:
    app.screen.query_one(f"{selector} Input", Input).value = text


def error(app: FacilitatorApp, selector: str) -> str:
    field = app.screen.query_one(selector, Field)
    assert field.has_class("-invalid"), f"{selector} should show a problem"
    return str(field.query_one(".field--error", Static).render())


def texts(app: FacilitatorApp, selector: str = "#goal-list") -> list[str]:
    rows = app.screen.query_one(selector, RowList)
    return [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]


def row_of(app: FacilitatorApp, goal_id: str, selector: str = "#goal-list") -> str:
    rows = app.screen.query_one(selector, RowList)
    return str(rows.get_option(goal_id).prompt)


async def open_goals(pilot: Pilot[None]) -> GoalsScreen:
    app = pilot.app
    assert isinstance(app, FacilitatorApp)
    app.push_screen(GoalsScreen(app.meeting))
    await pilot.pause()
    assert isinstance(app.screen, GoalsScreen)
    return app.screen


def choose_kind(app: FacilitatorApp, value: str) -> None:
    for button in app.screen.query("#kind RadioButton").results(RadioButton):
        if button.name == value:
            button.value = True


async def test_set_goals_through_the_form(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    seed(data_path, clock)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_goals(pilot)
        # A vague goal: saved, and flagged with a way to sharpen it.
        await pilot.press("n")
        assert isinstance(app.screen, PartnerChoice)
        await pilot.press("enter")  # Ana, the highlighted partner
        assert isinstance(app.screen, GoalForm)
        fill(app, "#what", "be fitter")
        choose_kind(app, "none")
        await pilot.pause()
        hint = str(app.screen.query_one("#vague", Static).render())
        assert "Vague" in hint and "run the Manchester Marathon on 12 April 2027" in hint
        await pilot.press("enter")
        assert isinstance(app.screen, GoalsScreen)
        vague_row = next(t for t in texts(app) if "be fitter" in t)
        assert "? vague" in vague_row
        # A specific goal, after bad input refused where it was typed.
        await pilot.press("n", "enter")
        fill(app, "#what", "Run the Manchester Marathon")
        fill(app, "#target", "-5")
        fill(app, "#unit", "km")
        fill(app, "#deadline", "2026-11-01")
        await pilot.pause()
        assert "has passed" in str(app.screen.query_one("#deadline .field--hint").render())
        app.screen.query_one("#what Input").focus()
        await pilot.press("enter")
        assert isinstance(app.screen, GoalForm)
        assert error(app, "#target") == "The target can't be negative."
        assert "has passed; pick today or a later date" in error(app, "#deadline")
        assert app.screen.focused is app.screen.query_one("#target Input")
        fill(app, "#target", "42")
        fill(app, "#deadline", "12 April 2027")
        await pilot.pause()
        hint = str(app.screen.query_one("#deadline .field--hint").render())
        assert hint.startswith("By Mon 12 Apr 2027")
        assert "Specific" in str(app.screen.query_one("#vague", Static).render())
        await pilot.press("enter")
        assert isinstance(app.screen, GoalsScreen)
        assert "42 km · by Mon 12 Apr 2027" in row_of(app, app.screen.selected().id)  # type: ignore[union-attr]
        await settle(pilot)
    # Stored, and shown by a new app on the same file.
    goals = sorted(stored(data_path).read().goals.values(), key=lambda g: g.what)
    assert [(g.what, g.kind, g.target, g.deadline) for g in goals] == [
        ("Run the Manchester Marathon", MeasureKind.NUMBER, 42.0, date(2027, 4, 12)),
        ("be fitter", None, None, None),
    ]
    again = new_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("escape")  # nothing to resume; home
        await open_goals(pilot)
        shown = "\n".join(texts(again))
        assert "Run the Manchester Marathon" in shown and "be fitter" in shown


async def test_progress_redefine_achieve_and_drop(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    seed(data_path, clock, marathon())
    app = new_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_goals(pilot)
        await pilot.press("down")  # from Ana's heading to her goal
        # Today (23 Nov) the steady line to 42 km is at about 11.5 km.
        await pilot.press("v")
        assert isinstance(app.screen, ProgressForm)
        fill(app, "#value", "5")
        fill(app, "#note", "Read pages [3, fixed [/b] bug 🎉")
        await pilot.press("enter")
        assert "↓ behind" in row_of(app, "marathon")
        await pilot.press("v")
        fill(app, "#value", "lots")
        await pilot.press("enter")
        assert isinstance(app.screen, ProgressForm)
        assert "must be a number" in error(app, "#value")
        fill(app, "#value", "20")
        await pilot.press("enter")
        assert "✓ on track" in row_of(app, "marathon")
        assert "latest 20 km" in row_of(app, "marathon")
        detail = str(app.screen.query_one("#goal-detail-text", Static).render())
        assert "Read pages [3, fixed [/b] bug" in detail
        # Redefine: a new target, and why; the old one stays in its history.
        await pilot.press("e")
        assert isinstance(app.screen, GoalForm)
        assert not app.screen.query_one("#reason").display
        fill(app, "#target", "50")
        await pilot.pause()
        assert app.screen.query_one("#reason").display
        fill(app, "#reason", "feeling strong")
        await pilot.press("enter")
        assert isinstance(app.screen, GoalsScreen)
        detail = str(app.screen.query_one("#goal-detail-text", Static).render())
        assert "Earlier versions (1)" in detail and "feeling strong" in detail
        # Dropping asks first (Escape keeps it).
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert app.meeting.state.goals["marathon"].is_active
        # Achieved, and celebrated; it can be reopened.
        await pilot.press("a")
        assert "★ achieved" in row_of(app, "marathon")
        assert any("Achieved" in n.title for n in app._notifications)
        await settle(pilot)
        assert stored(data_path).read().goals["marathon"].status is GoalStatus.ACHIEVED
        await pilot.press("o")
        assert "★ achieved" not in row_of(app, "marathon")
        await settle(pilot)
    goal = stored(data_path).read().goals["marathon"]
    assert goal.status is GoalStatus.ACTIVE
    assert [p.value for p in goal.progress] == [5.0, 20.0]
    assert goal.target == 50.0
    assert [(v.target, v.reason) for v in goal.history] == [(42.0, "feeling strong")]


@pytest.fixture
def goal_panels(monkeypatch: pytest.MonkeyPatch) -> None:
    """The session screen shows the goal panels (until the lead registers them)."""
    monkeypatch.setitem(session_screen.PANELS, PhaseKind.VISION, VisionPanel)
    monkeypatch.setitem(session_screen.PANELS, PhaseKind.GOALS, GoalsPanel)


@pytest.mark.usefixtures("goal_panels")
async def test_the_session_goal_panels(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    ana, ben = seed(data_path, clock, marathon())
    repo = Repository.open(data_path)
    agenda = [phase(PhaseKind.VISION, 4), phase(PhaseKind.GOALS, 4), phase(PhaseKind.WRAPUP, 1)]
    partnership = repo.read().partnership
    assert partnership is not None
    repo.put(Session.begin(partnership, [ana, ben], clock(), agenda=agenda))
    app = new_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, SessionScreen)
        # Vision: the box has focus; what is said is kept as the partner's vision.
        box = app.screen.query_one("#vision-entry Input", Input)
        assert app.screen.focused is box
        box.value = "I'd like to be fitter [3"
        await pilot.press("enter")
        assert [e.text for e in app.meeting.entries_for(ana, EntryKind.VISION)] == [
            "I'd like to be fitter [3"
        ]
        await pilot.press("escape", "n")
        assert isinstance(app.screen, GoalForm)
        fill(app, "#what", "Swim 20 lengths")
        fill(app, "#target", "20")
        fill(app, "#deadline", "in 3 months")
        await pilot.press("enter")
        assert isinstance(app.screen, SessionScreen)
        assert any("Swim 20 lengths" in t for t in texts(app, "#vision-goals"))
        # Goal check: the turn's partner's goals; progress and drop from the panel.
        await pilot.press("shift+right")
        assert app.meeting.live.current_turn.phase.kind is PhaseKind.GOALS
        assert len(texts(app, "#goal-rows")) == 2
        app.screen.query_one("#goal-rows", RowList).highlight("marathon")
        await pilot.press("v")
        assert isinstance(app.screen, ProgressForm)
        fill(app, "#value", "42")
        await pilot.press("enter")
        assert "★ target reached" in row_of(app, "marathon", "#goal-rows")
        await pilot.press("a")
        assert "★ achieved" in row_of(app, "marathon", "#goal-rows")  # stays in view today
        swim = next(g for g in app.meeting.goals_of(ana) if g.what == "Swim 20 lengths")
        app.screen.query_one("#goal-rows", RowList).highlight(swim.id)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        assert app.meeting.state.goals[swim.id].status is GoalStatus.DROPPED
        await settle(pilot)
    state = stored(data_path).read()
    assert state.goals["marathon"].status is GoalStatus.ACHIEVED
    assert {g.what for g in state.goals.values()} == {
        "Run the Manchester Marathon",
        "Swim 20 lengths",
    }


def test_goal_lines_show_what_was_typed_as_data() -> None:
    """Brackets, markup-like text and emoji are drawn as typed, in every part of a goal."""
    today = date(2026, 11, 23)
    goal = replace(
        marathon(),
        what="fixed [/b] bug [3",
        unit="[red]km",
        why="[b]for Dad[/b] 🎉",
    )
    goal = goal.recorded(Progress(on=today, value=12.0, note="Read pages [3 to 10"))
    goal = goal.redefined(
        today,
        what=goal.what,
        kind=goal.kind,
        target=50.0,
        unit=goal.unit,
        deadline=goal.deadline,
        reason="[/] an injury",
    )
    row = goal_line(goal, today).plain
    assert "fixed [/b] bug [3" in row and "50 [red]km" in row
    served = Action(
        text="Long run [3 on Sunday",
        owner_id="ana",
        due_on=date(2026, 11, 29),
        created_in=None,
        created_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
        goal_id=goal.id,
    )
    other = replace(served, goal_id=None, text="Unrelated")
    linked = linked_actions([served, other], goal.id)
    assert linked == [served]
    detail = goal_detail(goal, today, linked, "Zoë [b]").plain
    for typed in (
        "Zoë [b]'s goal",
        "[b]for Dad[/b] 🎉",
        "Read pages [3 to 10",
        "Earlier versions (1)",
        "[/] an injury",
        "Actions for this goal (1)",
        "Long run [3 on Sunday  due Sun 29 Nov",
    ):
        assert typed in detail


async def test_a_goal_being_written_survives_a_crash_and_goes_when_given_up(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    ana, _ = seed(data_path, clock)
    key = f"form:new-goal:{ana}:what"
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_goals(pilot)
        await pilot.press("n", "enter")  # a new goal for Ana
        assert isinstance(app.screen, GoalForm)
        fill(app, "#what", "Run the Manchester [Marathon")
        what = app.screen.query_one("#what Input", CleanInput)
        assert what.take_idle()  # as a second after the last key
        await settle(pilot)
        crash(app)
    assert stored(data_path).read().draft(key, "") == "Run the Manchester [Marathon"

    again = new_app()
    async with again.run_test(size=SIZE, notifications=True) as pilot:
        await open_goals(pilot)
        await pilot.press("n", "enter")
        assert isinstance(again.screen, GoalForm)
        assert again.screen.query_one("#what Input", Input).value == "Run the Manchester [Marathon"
        assert any("isn't saved yet" in str(n.message) for n in again._notifications)
        await pilot.press("escape")  # given up
        await settle(pilot)
        assert isinstance(again.screen, GoalsScreen)
        assert again.meeting.draft(key, "") == ""
        await pilot.press("n", "enter")
        assert again.screen.query_one("#what Input", Input).value == ""


async def test_progress_being_noted_survives_a_crash_and_goes_once_recorded(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    seed(data_path, clock, marathon())
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        goal = app.meeting.goals_of(app.meeting.the_partnership.partners[0].id)[0]
        app.push_screen(ProgressForm(app.meeting, goal))
        await pilot.pause()
        fill(app, "#note", "ran 12 km [easy]")
        assert app.screen.query_one("#note Input", CleanInput).take_idle()
        await settle(pilot)
        crash(app)
    again = new_app()
    async with again.run_test(size=SIZE) as pilot:
        again.push_screen(ProgressForm(again.meeting, goal))
        await pilot.pause()
        assert again.screen.query_one("#note Input", Input).value == "ran 12 km [easy]"
        fill(again, "#value", "12")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(again.screen, ProgressForm)
    assert stored(data_path).read().draft(f"form:progress:{goal.id}:note", "") == ""

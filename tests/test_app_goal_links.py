"""Actions linked to the goal they serve: chosen in the action form, listed with the goal."""

from __future__ import annotations

from pathlib import Path

from conftest import AppMaker, settle
from test_app_goals import fill, marathon, open_goals, seed
from test_app_session import start_session
from textual.widgets import Select

from facilitator.domain.clock import FakeClock
from facilitator.ui.screens.action_form import ActionForm


async def test_an_action_for_a_goal_is_listed_with_it(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    seed(data_path, clock, marathon())
    app = new_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await start_session(pilot)
        app.meeting.next_phase()  # past the review
        app.meeting.next_phase()  # past the obstacles: agree actions
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        fill(app, "#text", "Long run on Sunday")
        app.screen.query_one("#goal", Select).value = "marathon"
        await pilot.press("enter")
        await settle(pilot)
        (action,) = [a for a in app.meeting.state.actions.values()]
        assert action.goal_id == "marathon"
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        assert app.screen.query_one("#goal", Select).value == "marathon"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape", "enter")
        await pilot.pause()
        await open_goals(pilot)
        await pilot.press("down")
        detail = str(app.screen.query_one("#goal-detail-text").render())
        assert "Actions for this goal (1)" in detail and "Long run on Sunday" in detail

"""Solo preparation: marked ahead, written ahead, confirmed together in the session."""

from __future__ import annotations

from pathlib import Path

from conftest import AppMaker, settle, stored
from test_app_session import add_action, create_partnership, fill, finish, start_session
from test_contrast import screen_text
from textual.widgets import Input

from facilitator.domain.actions import ActionStatus
from facilitator.domain.clock import FakeClock
from facilitator.ui.screens.home import HomeScreen
from facilitator.ui.screens.in_the_way import InTheWayScreen
from facilitator.ui.screens.prep import PrepScreen
from facilitator.ui.screens.who import WhoScreen
from facilitator.ui.widgets.rows import RowList

SIZE = (100, 32)
WEEK = 7 * 24 * 3600


async def test_prepared_alone_then_confirmed_together(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await pilot.press("escape", "shift+right", "escape", "shift+right")
        await add_action(pilot, "Write 500 words [3]")
        await add_action(pilot, "Call the bank")
        await pilot.press("shift+right")
        await finish(pilot)
        ana, ben = app.meeting.the_partnership.partners

        # Ana prepares alone: one action done, one not done with what got in the way.
        clock.advance(WEEK - 3600)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, WhoScreen)
        await pilot.press("enter")  # Ana, the first
        await pilot.pause()
        prep = app.screen
        assert isinstance(prep, PrepScreen)
        rows = prep.query_one("#prep-actions", RowList)
        assert app.focused is rows
        await pilot.press("d", "down", "n")
        await pilot.pause()
        assert isinstance(app.screen, InTheWayScreen)
        fill(app, "#note Input", "The bank was closed")
        await pilot.press("enter")
        await pilot.pause()
        fill(app, "#update-progressed Input", "Wrote most mornings")
        fill(app, "#update-focus Input", "Finish chapter two")
        prep.keep_drafts()
        await settle(pilot)
        saved = stored(data_path).read().preps[ana.id]
        assert {s.status for s in saved.statuses} == {ActionStatus.DONE, ActionStatus.NOT_DONE}
        assert saved.focus == "Finish chapter two"
        # Nothing is applied yet: both actions are still open.
        assert all(a.is_open for a in stored(data_path).read().actions.values())
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

        # Ben's preparation shows none of Ana's.
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PrepScreen)
        assert app.screen.partner_id == ben.id
        assert app.screen.query_one("#prep-actions", RowList).row_ids == []
        assert app.screen.query_one("#update-focus Input", Input).value == ""
        await pilot.press("escape", "escape")  # out of the box, then back home
        await pilot.pause()

        # In the session the pair sees Ana's preparation and accepts it, row by row.
        clock.advance(3600)
        await start_session(pilot)
        review = str(app.screen.query_one("#review-list", RowList).get_option_at_index(0).prompt)
        assert "prepared: ✓ done" in review
        update = str(app.screen.query_one("#prepared-update").render())
        assert "Finish chapter two" in update
        await pilot.press("y")
        await pilot.pause()
        marked = {a.text: a.status for a in app.meeting.to_review(ana.id)}
        assert marked["Write 500 words [3]"] is ActionStatus.DONE
        assert marked["Call the bank"] is ActionStatus.OPEN, "only the row accepted"
        await pilot.press("y")  # the highlight moved on to the next action to review
        await pilot.pause()
        bank = next(a for a in app.meeting.to_review(ana.id) if a.text == "Call the bank")
        assert bank.status is ActionStatus.NOT_DONE
        assert bank.in_the_way == "The bank was closed"
        await settle(pilot)


async def test_an_unfinished_session_can_be_set_aside_from_home(
    new_app: AppMaker, data_path: Path
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        fill(app, "#win Input", "Kept all the same")
        await pilot.press("enter", "escape", "escape")  # leave the box, then ask to go home
        await pilot.pause()
        await pilot.press("enter")  # yes, leave for home
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter")  # "Discard it"
        await settle(pilot)
        assert app.meeting.session is None
        await pilot.press("s")  # a new session can start
        await pilot.pause()
    repository = stored(data_path)
    assert repository.read().session is None
    [old] = repository.finished_sessions()
    assert old.abandoned
    _, entries, _ = repository.read_history(repository.history_years())
    assert [e.text for e in entries] == ["Kept all the same"]


async def test_the_wrap_up_writes_the_minutes_and_the_invitation(
    new_app: AppMaker, tmp_path: Path
) -> None:
    from icalendar import Calendar

    from facilitator.ui.screens.confirm import ConfirmScreen
    from facilitator.ui.screens.export_file import ExportFileScreen

    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await pilot.press("escape", "shift+right", "escape", "shift+right")
        await add_action(pilot, "Read pages [3 to 10")
        await pilot.press("shift+right")
        await pilot.press("m")
        await pilot.pause()
        # The agreement (by default) keeps what is said between the partners: asked first.
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportFileScreen)
        minutes = tmp_path / "out" / "minutes.md"
        minutes.parent.mkdir()
        fill(app, "#path Input", str(minutes))
        await pilot.press("enter")
        await pilot.pause()
        assert r"Read pages \[3 to 10" in minutes.read_text(encoding="utf-8")  # Markdown-escaped
        assert oct(minutes.stat().st_mode & 0o777) == oct(0o600)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ExportFileScreen)
        invitation = tmp_path / "out" / "next.ics"
        fill(app, "#path Input", str(invitation))
        await pilot.press("enter")
        await pilot.pause()
        [event] = Calendar.from_ical(invitation.read_bytes()).walk("VEVENT")
        assert "RRULE" in event


async def test_preparing_in_a_small_window_opens_at_the_top(
    new_app: AppMaker, clock: FakeClock
) -> None:
    """At 80x24 the page scrolls; it opens at its top, the words saying what it is for shown."""
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await pilot.press("escape", "shift+right", "escape", "shift+right")
        await add_action(pilot, "Call the bank")
        await pilot.press("shift+right")
        await finish(pilot)
        clock.advance(WEEK - 3600)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        prep = app.screen
        assert isinstance(prep, PrepScreen)
        assert app.focused is prep.query_one("#prep-actions", RowList)
        assert prep.query_one("#prep").scroll_y == 0
        assert "For the next session" in screen_text(app)

"""Pilot tests through the real screens and keys: first run, whole sessions, quit, resume."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import AppMaker
from textual.pilot import Pilot
from textual.widgets import Digits, Input, OptionList

from facilitator.domain.actions import ActionStatus, EntryKind
from facilitator.domain.clock import FakeClock
from facilitator.store.repository import Repository
from facilitator.ui.app import FacilitatorApp
from facilitator.ui.screens.action_form import ActionForm
from facilitator.ui.screens.attendance import AttendanceScreen
from facilitator.ui.screens.first_run import FirstRunScreen
from facilitator.ui.screens.home import HomeScreen
from facilitator.ui.screens.in_the_way import InTheWayScreen
from facilitator.ui.screens.resume import ResumeScreen
from facilitator.ui.screens.session import SessionScreen
from facilitator.ui.widgets.countdown import Countdown

SIZE = (100, 32)
WEEK = 7 * 24 * 3600


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


def stored(path: Path) -> Repository:
    return Repository.open(path)


async def create_partnership(pilot: Pilot[None]) -> None:
    """First run: name, two partners, weekly (the default), 30 minutes (the default)."""
    assert isinstance(pilot.app.screen, FirstRunScreen)
    await type_text(pilot, "Tuesday check-in")
    await pilot.press("enter")
    await type_text(pilot, "Ana")
    await pilot.press("enter")
    await type_text(pilot, "Ben")
    await pilot.press("enter", "ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)


async def start_session(pilot: Pilot[None]) -> SessionScreen:
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, AttendanceScreen)
    await pilot.press("ctrl+s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    return screen


async def add_action(pilot: Pilot[None], text: str, due: str = "") -> None:
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ActionForm)
    await type_text(pilot, text)
    if due:
        await pilot.press("tab", "tab")
        await type_text(pilot, due)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SessionScreen), "the form should close on save"


def review_texts(app: FacilitatorApp) -> list[str]:
    option_list = app.screen.query_one("#review-list", OptionList)
    return [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]


async def test_first_run_creates_the_partnership(new_app: AppMaker, data_path: Path) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        app.wait_for_saves()
    partnership = stored(data_path).load_live().partnership
    assert partnership is not None
    assert partnership.name == "Tuesday check-in"
    assert [p.name for p in partnership.partners] == ["Ana", "Ben"]
    assert partnership.session_minutes == 30
    assert oct(data_path.stat().st_mode & 0o777) == oct(0o600)


async def test_first_run_refuses_a_partnership_of_one(new_app: AppMaker, data_path: Path) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Solo")
        await pilot.press("enter")
        await type_text(pilot, "Ana")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        error = app.screen.query_one("#partners-error")
        assert error.has_class("-shown")
        assert "at least 2 partners" in str(error.render())
        app.wait_for_saves()
    assert stored(data_path).load_live().partnership is None
    # What was typed is kept as a draft, ready for the next start.
    assert stored(data_path).load_draft() is not None


async def test_a_peer_group_of_three(new_app: AppMaker, data_path: Path) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Writers' group")
        await pilot.press("enter")
        for name in ("Ana", "Ben"):
            await type_text(pilot, name)
            await pilot.press("enter")
        await pilot.press("ctrl+n")
        await type_text(pilot, "Caro")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        screen = await start_session(pilot)
        assert screen.meeting.live.timer.allotted[:3] == [240, 240, 240]  # 12 minutes by three
        app.wait_for_saves()
    partnership = stored(data_path).load_live().partnership
    assert partnership is not None
    assert [p.name for p in partnership.partners] == ["Ana", "Ben", "Caro"]


async def test_a_whole_session_then_the_next_one_a_week_later(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        screen = await start_session(pilot)
        meeting = app.meeting
        ana, ben = meeting.the_partnership.partners

        # Review, Ana's turn: nothing to review yet; celebrate a win.
        assert meeting.turn.partner_id == ana.id
        await pilot.press("w")
        await type_text(pilot, "Finished the first draft")
        await pilot.press("enter", "escape")
        await pilot.press("right")  # Ben's review turn
        assert meeting.turn.partner_id == ben.id
        await pilot.press("right")  # obstacles, Ana
        assert meeting.turn.phase.key == "obstacles"
        await pilot.press("o")
        await type_text(pilot, "No quiet time to write")
        await pilot.press("enter", "escape")
        await pilot.press("shift+right")  # agree actions, Ana
        assert meeting.turn.phase.key == "actions"
        assert meeting.turn.partner_id == ana.id
        await add_action(pilot, "Write for an hour every morning")
        await pilot.press("right")
        assert meeting.turn.partner_id == ben.id
        await add_action(pilot, "Book the venue", due="in 2 weeks")
        await pilot.press("shift+right")  # wrap-up
        assert meeting.turn.phase.key == "wrapup"
        summary = str(screen.query_one("#summary").render())
        assert "Write for an hour every morning" in summary
        assert "Book the venue" in summary
        assert "Finished the first draft" in summary
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("enter")  # "Finish" is focused in the confirmation
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
        await pilot.pause()
    app.wait_for_saves()

    repository = stored(data_path)
    live = repository.load_live()
    assert live.session is None
    assert live.partnership is not None and live.partnership.last_session_on == date(2026, 11, 23)
    by_text = {a.text: a for a in live.actions}
    assert by_text["Write for an hour every morning"].due_on == date(2026, 11, 30)
    assert by_text["Book the venue"].due_on == date(2026, 12, 7)
    finished = repository.finished_sessions()
    assert len(finished) == 1

    # A week later: the review shows exactly the actions agreed, per owner.
    clock.advance(WEEK)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        screen = await start_session(pilot)
        meeting = app.meeting
        ana, ben = meeting.the_partnership.partners
        texts = review_texts(app)
        assert len(texts) == 1 and "Write for an hour every morning" in texts[0]
        await pilot.press("d")
        await pilot.pause()
        assert "done" in review_texts(app)[0]
        await pilot.press("right")
        texts = review_texts(app)
        assert len(texts) == 1 and "Book the venue" in texts[0]
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, InTheWayScreen)
        await type_text(pilot, "The venue was closed")
        await pilot.press("enter")  # carry forward is ticked by default
        await pilot.pause()
        await pilot.press("shift+right", "shift+right")  # to agree actions, Ana
        await pilot.press("right")  # Ben: the carried action waits to be confirmed
        agreed = app.screen.query_one("#agreed", OptionList)
        assert agreed.option_count == 1
        assert "carried, to confirm" in str(agreed.get_option_at_index(0).prompt)
        await pilot.press("c")
        await pilot.press("shift+right", "f")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    app.wait_for_saves()

    repository = stored(data_path)
    open_texts = [a.text for a in repository.load_live().actions if a.is_open]
    assert open_texts == ["Book the venue"]  # Ana's done action left the open list
    finished = repository.finished_sessions()
    assert len(finished) == 2
    carried = next(a for a in repository.load_live().actions if a.text == "Book the venue")
    assert carried.carried_from is not None and carried.confirmed
    assert carried.due_on == date(2026, 12, 7)  # the next session after the second one


async def test_an_absent_partner_is_skipped_and_keeps_their_actions(
    new_app: AppMaker, data_path: Path
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("down", "space")  # untick Ben
        await pilot.press("ctrl+s")
        await pilot.pause()
        meeting = app.meeting
        ana = meeting.the_partnership.partners[0]
        assert meeting.live.present == [ana.id]
        turns = meeting.live.turns
        assert [t.partner_id for t in turns if t.partner_id] == [ana.id, ana.id, ana.id]


async def test_quit_mid_session_resumes_paused_where_it_stopped(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await pilot.press("w")
        await type_text(pilot, "Ran 10k")
        await pilot.press("enter", "escape", "right", "right")
        clock.advance(90)
        turn_before = app.meeting.live.timer.current
        left_before = app.meeting.live.timer.left(clock())
        await pilot.press("q")
        await pilot.pause()
    app.wait_for_saves()

    clock.advance(3600)  # an hour later: that hour is not counted
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        session = app.meeting.live
        assert session.timer.current == turn_before
        assert not session.timer.running
        assert session.timer.left(clock()) == left_before
        assert [e.text for e in app.meeting.entries if e.kind is EntryKind.WIN] == ["Ran 10k"]
        assert "Paused" in str(app.screen.query_one("#countdown-status").render())


async def test_a_crash_mid_session_loses_nothing_entered(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await pilot.press("w")
        await type_text(pilot, "Slept eight hours")
        await pilot.press("enter")
        await pilot.pause()
        app.wait_for_saves()
        # A crash: the process dies here; nothing more is written. Read what is on disk.
        live = stored(data_path).load_live()
    assert live.session is not None and live.session.timer.running
    assert [e.text for e in live.entries] == ["Slept eight hours"]

    clock.advance(600)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("enter")
        await pilot.pause()
        timer = app.meeting.live.timer
        assert not timer.running
        assert timer.left(clock()) == timer.allotted[0]  # the crash's ten minutes not counted


async def test_timer_keys(new_app: AppMaker, clock: FakeClock) -> None:
    app = new_app()
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        screen = await start_session(pilot)
        timer = app.meeting.live.timer
        assert timer.allotted[0] == 6 * 60  # 12 minutes shared by two
        digits = screen.query_one(Digits)
        assert digits.value == "06:00"

        clock.advance(5 * 60 + 10)
        screen.refresh_timer()
        countdown = screen.query_one(Countdown)
        assert digits.value == "00:50"
        assert countdown.has_class("-warning")

        await pilot.press("plus")
        assert timer.extra[0] == 60
        screen.refresh_timer()
        assert digits.value == "01:50"
        assert not countdown.has_class("-warning")

        await pilot.press("space")
        assert not timer.running
        clock.advance(300)
        screen.refresh_timer()
        assert digits.value == "01:50"
        await pilot.press("space")
        assert timer.running

        clock.advance(110)
        screen.refresh_timer()
        await pilot.pause()
        assert countdown.has_class("-overtime")
        assert "Time's up" in str(screen.query_one("#countdown-status").render())
        assert rings == [1]
        clock.advance(75)
        screen.refresh_timer()
        await pilot.pause()
        assert digits.value == "+01:15"
        assert rings == [1], "the bell rings once"
        assert app.meeting.live.timer.current == 0, "it never moves on by itself"
        assert "behind plan" in str(screen.query_one("#countdown-status").render())

        await pilot.press("right")
        assert timer.current == 1
        await pilot.press("left")
        assert timer.current == 0
        await pilot.press("shift+right")
        assert app.meeting.turn.phase.key == "obstacles"
        await pilot.press("shift+left")
        assert app.meeting.turn.phase.key == "review"


async def test_a_bad_due_date_is_explained_where_it_was_typed(new_app: AppMaker) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await pilot.press("shift+right", "shift+right")
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "Call the bank")
        await pilot.press("tab", "tab")
        await type_text(pilot, "someday soon")
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm)
        due = form.query_one("#due")
        assert due.has_class("-invalid")
        assert "isn't a date I can read" in str(due.query_one(".field--error").render())
        assert app.meeting.agreed(app.meeting.the_partnership.partners[0].id) == []


async def test_marking_done_then_undo_reopens(new_app: AppMaker, clock: FakeClock) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await pilot.press("shift+right", "shift+right")
        await add_action(pilot, "Stretch daily")
        await pilot.press("shift+right", "f")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        clock.advance(WEEK)
        await start_session(pilot)
        await pilot.press("d")
        action = app.meeting.to_review(app.meeting.the_partnership.partners[0].id)[0]
        assert action.status is ActionStatus.DONE
        await pilot.press("u")
        assert action.status is ActionStatus.OPEN


async def test_a_tiny_terminal_gets_a_message(new_app: AppMaker) -> None:
    app = new_app()
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        assert "needs at least 60×20" in str(app.screen.query_one("#message").render())


async def test_quitting_before_resuming_a_crashed_session_counts_no_time_away(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        clock.advance(30)
        app.meeting.touch()  # the last thing stored before the crash
        app.wait_for_saves()
    # A crash: no quit. Ten minutes later the app starts, is told "not now", and quits.
    clock.advance(600)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
    app.wait_for_saves()
    timer = stored(data_path).load_live().session
    assert timer is not None
    assert timer.timer.left(clock()) == timer.timer.allotted[0] - 30


async def test_text_left_in_a_box_is_kept_for_whoever_typed_it(new_app: AppMaker) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        ana, ben = app.meeting.the_partnership.partners
        await pilot.press("w")
        await type_text(pilot, "Ana's win")
        await pilot.press("escape", "right")  # not entered, and the turn moves on
        assert app.meeting.turn.partner_id == ben.id
        wins = [(e.partner_id, e.text) for e in app.meeting.entries]
        assert wins == [(ana.id, "Ana's win")]
        assert app.screen.query_one("#win Input", Input).value == ""
        await pilot.press("w")
        await type_text(pilot, "Ben's half-typed win")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert [e.text for e in app.meeting.entries] == ["Ana's win", "Ben's half-typed win"]

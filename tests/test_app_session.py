"""Pilot tests through the real screens and keys: first run, whole sessions, quit, resume."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import AppMaker, crash, met_before, settle, stored
from test_contrast import screen_text
from textual.pilot import Pilot
from textual.widgets import Digits, Input, RadioButton

from facilitator.domain.actions import ActionStatus, EntryKind
from facilitator.domain.agenda import PhaseKind
from facilitator.domain.clock import FakeClock
from facilitator.ui.app import FacilitatorApp
from facilitator.ui.screens.action_form import ActionForm
from facilitator.ui.screens.attendance import AttendanceScreen
from facilitator.ui.screens.first_run import FirstRunScreen
from facilitator.ui.screens.goal_form import GoalForm
from facilitator.ui.screens.home import HomeScreen
from facilitator.ui.screens.in_the_way import InTheWayScreen
from facilitator.ui.screens.session import SessionScreen
from facilitator.ui.widgets.countdown import Countdown
from facilitator.ui.widgets.rows import RowList

SIZE = (100, 32)
WEEK = 7 * 24 * 3600


def fill(app: FacilitatorApp, selector: str, text: str) -> None:
    """Put text in a box directly: for tests about something other than typing."""
    app.screen.query_one(selector, Input).value = text


async def create_partnership(pilot: Pilot[None], *names: str, met: bool = True) -> None:
    """First run: name, partners, weekly (the default), 30 minutes (the default). With `met`,
    as if the kick-off was held last week, so the next session is a regular one."""
    app = pilot.app
    assert isinstance(app, FacilitatorApp)
    assert isinstance(app.screen, FirstRunScreen)
    fill(app, "#name Input", "Tuesday check-in")
    partners = list(app.screen.query(".partner Input").results(Input))
    for box, name in zip(partners, names or ("Ana", "Ben"), strict=False):
        box.value = name
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, HomeScreen)
    if met:
        await settle(pilot)
        met_before(app.repository)
        app.meeting.seen(app.repository.read())
        await pilot.pause()


async def start_session(pilot: Pilot[None], *, check_in: bool = False) -> SessionScreen:
    """Start with everyone here; past the check-in (→, as people do) unless `check_in`."""
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, AttendanceScreen)
    await pilot.press("ctrl+s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    app = pilot.app
    assert isinstance(app, FacilitatorApp)
    if not check_in and app.meeting.turn.phase.kind is PhaseKind.CHECKIN:
        await pilot.press("right")
        await pilot.pause()
    return screen


async def type_entry(pilot: Pilot[None], selector: str, text: str) -> None:
    """Fill a panel's box and press Enter in it, as the person would."""
    box = pilot.app.screen.query_one(selector, Input)
    box.focus()
    box.value = text
    await pilot.press("enter")
    await pilot.pause()


async def add_action(pilot: Pilot[None], text: str, due: str = "") -> None:
    await pilot.press("a")
    await pilot.pause()
    app = pilot.app
    assert isinstance(app, FacilitatorApp)
    assert isinstance(app.screen, ActionForm)
    fill(app, "#text Input", text)
    if due:
        fill(app, "#due Input", due)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, SessionScreen), "the form should close on save"


def key_bar(app: FacilitatorApp) -> str:
    return screen_text(app).splitlines()[-1]


def review_texts(app: FacilitatorApp) -> list[str]:
    rows = app.screen.query_one("#review-list", RowList)
    return [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]


async def finish(pilot: Pilot[None]) -> None:
    await pilot.press("f")
    await pilot.pause()
    await pilot.press("enter")  # "Finish" is focused in the confirmation
    await settle(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)


async def test_first_run_creates_the_partnership(new_app: AppMaker, data_path: Path) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await settle(pilot)
    partnership = stored(data_path).read().partnership
    assert partnership is not None
    assert partnership.name == "Tuesday check-in"
    assert [p.name for p in partnership.partners] == ["Ana", "Ben"]
    assert partnership.session_minutes == 30
    assert partnership.time_zone == "Europe/London"
    assert oct(data_path.stat().st_mode & 0o777) == oct(0o600)


async def test_first_run_refuses_a_partnership_of_one(new_app: AppMaker, data_path: Path) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        fill(app, "#name Input", "Solo")
        app.screen.query(".partner Input").first(Input).value = "Ana"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        error = app.screen.query_one("#partners-error")
        assert error.has_class("-shown")
        assert "at least 2 partners" in str(error.render())
        await pilot.press("ctrl+q")
        await settle(pilot)
    state = stored(data_path).read()
    assert state.partnership is None
    # What was typed is kept as a draft, ready for the next start, without Enter or Tab.
    assert state.setup is not None
    assert state.setup.name == "Solo"
    assert state.setup.partners[0] == "Ana"


async def test_a_peer_group_of_three(new_app: AppMaker, data_path: Path) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        fill(app, "#name Input", "Writers' group")
        await pilot.press("ctrl+n")
        await pilot.pause()
        for box, name in zip(
            app.screen.query(".partner Input").results(Input), ("Ana", "Ben", "Caro"), strict=True
        ):
            box.value = name
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await start_session(pilot)
        # The kick-off's vision phase, shared equally by three.
        assert app.meeting.turn.phase.kind is PhaseKind.VISION
        timer = app.meeting.live.timer
        vision = [t.index for t in app.meeting.live.turns if t.phase.kind is PhaseKind.VISION]
        assert len(vision) == 3
        assert len({timer.allotted[i] for i in vision}) == 1
        await settle(pilot)
    partnership = stored(data_path).read().partnership
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

        # Review, Ana's turn: nothing to review in a first session; the win box has focus.
        assert meeting.turn.partner_id == ana.id
        assert isinstance(app.focused, Input)
        await type_entry(pilot, "#win Input", "Finished the first draft")
        await pilot.press("escape", "right")  # Ben's review turn
        assert meeting.turn.partner_id == ben.id
        await pilot.press("escape", "right")  # obstacles, Ana: the box has focus
        assert meeting.turn.phase.key == "obstacles"
        await type_entry(pilot, "#entry Input", "No quiet time to write")
        await pilot.press("escape", "shift+right")  # agree actions, Ana
        assert meeting.turn.phase.key == "actions"
        assert meeting.turn.partner_id == ana.id
        await add_action(pilot, "Write for an hour every morning")
        await pilot.press("right")
        assert meeting.turn.partner_id == ben.id
        await add_action(pilot, "Book the venue", due="in 2 weeks")
        await pilot.press("shift+right")  # wrap-up
        await settle(pilot)
        assert meeting.turn.phase.key == "wrapup"
        summary = str(screen.query_one("#summary").render())
        assert "Write for an hour every morning" in summary
        assert "Book the venue" in summary
        assert "Finished the first draft" in summary
        assert "No quiet time to write" in summary
        await finish(pilot)
        await pilot.press("q")
        await pilot.pause()

    repository = stored(data_path)
    state = repository.read()
    assert state.session is None
    assert state.partnership is not None
    assert state.partnership.last_session_on == date(2026, 11, 23)
    by_text = {a.text: a for a in state.actions.values()}
    assert by_text["Write for an hour every morning"].due_on == date(2026, 11, 30)
    assert by_text["Book the venue"].due_on == date(2026, 12, 7)
    assert len(repository.finished_sessions()) == 1

    # A week later: the review shows exactly the actions agreed, per owner.
    clock.advance(WEEK)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await start_session(pilot)
        meeting = app.meeting
        texts = review_texts(app)
        assert len(texts) == 1 and "Write for an hour every morning" in texts[0]
        assert isinstance(app.focused, RowList), "marks first while there's something to review"
        await pilot.press("d")
        await pilot.pause()
        assert "done" in review_texts(app)[0]
        await pilot.press("right")
        texts = review_texts(app)
        assert len(texts) == 1 and "Book the venue" in texts[0]
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, InTheWayScreen)
        fill(app, "#note Input", "The venue was closed")
        await pilot.press("enter")  # carry forward is ticked by default
        await pilot.pause()
        await pilot.press("shift+right")  # obstacles: the box has focus
        await pilot.press("escape", "shift+right")  # agree actions, Ana
        await pilot.press("right")  # Ben: the carried action waits to be confirmed
        await pilot.pause()
        agreed = app.screen.query_one("#agreed", RowList)
        assert agreed.option_count == 1
        assert "carried, to confirm" in str(agreed.get_option_at_index(0).prompt)
        await pilot.press("c")
        await pilot.press("shift+right")
        await finish(pilot)

    repository = stored(data_path)
    open_actions = [a for a in repository.read().actions.values() if a.is_open]
    assert [a.text for a in open_actions] == ["Book the venue"]  # the done one left the list
    assert len(repository.finished_sessions()) == 2
    carried = open_actions[0]
    assert carried.carried_from is not None and carried.confirmed
    assert carried.due_on == date(2026, 12, 7)  # the next session after the second one


async def test_an_absent_partner_is_skipped_and_keeps_their_actions(new_app: AppMaker) -> None:
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
        assert meeting.live.present == (ana.id,)
        turns = meeting.live.turns
        assert [t.partner_id for t in turns if t.partner_id] == [ana.id, ana.id, ana.id]


async def test_quit_mid_session_resumes_paused_where_it_stopped(
    new_app: AppMaker, clock: FakeClock
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await type_entry(pilot, "#win Input", "Ran 10k")
        await pilot.press("escape", "right", "escape", "right")
        clock.advance(90)
        turn_before = app.meeting.live.timer.current
        left_before = app.meeting.live.timer.left(clock())
        await pilot.press("ctrl+q")
        await settle(pilot)

    clock.advance(3600)  # an hour later: that hour is not counted
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        session = app.meeting.live
        assert session.timer.current == turn_before
        assert not session.timer.running
        assert session.timer.left(clock()) == left_before
        wins = app.meeting.state.entries_for(session.present[0], EntryKind.WIN)
        assert [e.text for e in wins] == ["Ran 10k"]
        assert "Paused" in str(app.screen.query_one("#countdown-status").render())


async def test_a_crash_mid_session_loses_nothing_entered(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await type_entry(pilot, "#win Input", "Slept eight hours")
        crash(app)
    state = stored(data_path).read()
    assert state.session is not None and state.session.timer.running
    assert [e.text for e in state.entries.values()] == ["Slept eight hours"]

    clock.advance(600)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("r")
        await pilot.pause()
        timer = app.meeting.live.timer
        assert not timer.running
        # The crash's ten minutes are not counted.
        assert timer.left(clock()) == timer.allotted[timer.current]


async def test_timer_keys(new_app: AppMaker, clock: FakeClock) -> None:
    app = new_app()
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        screen = await start_session(pilot)
        await pilot.press("escape")  # leave the win box: the session's keys work
        meeting = app.meeting
        review = meeting.live.timer.current  # the first review turn, past the check-in
        # 12 minutes for the review, less the check-in's minute, shared by two.
        assert meeting.live.timer.allotted[review] == 330
        digits = screen.query_one(Digits)
        assert digits.value == "05:30"

        clock.advance(330 - 50)
        screen.refresh_timer()
        countdown = screen.query_one(Countdown)
        assert digits.value == "00:50"
        assert countdown.has_class("-warning")
        assert "Under 1 min left" in str(screen.query_one("#countdown-status").render())

        await pilot.press("plus")
        await pilot.pause()
        assert meeting.live.timer.extra[review] == 60
        assert digits.value == "01:50"
        assert not countdown.has_class("-warning")

        assert "space Pause" in key_bar(app)
        await pilot.press("space")
        await pilot.pause()
        assert not meeting.live.timer.running
        assert "space Resume" in key_bar(app), "the footer says what space does now"
        clock.advance(300)
        screen.refresh_timer()
        assert digits.value == "01:50"
        await pilot.press("space")
        await pilot.pause()
        assert meeting.live.timer.running
        assert "space Pause" in key_bar(app)

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
        assert meeting.live.timer.current == review, "it never moves on by itself"
        assert "behind plan" in str(screen.query_one("#countdown-status").render())

        await pilot.press("right")
        assert meeting.live.timer.current == review + 1
        await pilot.press("escape", "left")
        assert meeting.live.timer.current == review
        await pilot.press("escape", "shift+right")
        assert meeting.turn.phase.key == "obstacles"
        await pilot.press("escape", "shift+left")
        assert meeting.turn.phase.key == "review"


async def test_a_bad_due_date_is_explained_where_it_was_typed(new_app: AppMaker) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await pilot.press("escape", "shift+right", "escape", "shift+right", "a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm)
        fill(app, "#text Input", "Call the bank")
        fill(app, "#due Input", "someday soon")
        await pilot.pause()
        hint = str(form.query_one("#due .field--hint").render())
        assert "isn't a date I can read" in hint, "the hint says so while typing"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        due = form.query_one("#due")
        assert due.has_class("-invalid")
        assert "isn't a date I can read" in str(due.query_one(".field--error").render())
        assert app.meeting.agreed(app.meeting.the_partnership.partners[0].id) == []


async def test_marking_done_then_undo_reopens(new_app: AppMaker, clock: FakeClock) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await pilot.press("escape", "shift+right", "escape", "shift+right")
        await add_action(pilot, "Stretch daily")
        await pilot.press("shift+right")
        await finish(pilot)
        clock.advance(WEEK)
        await start_session(pilot)
        ana = app.meeting.the_partnership.partners[0]
        await pilot.press("d")
        assert app.meeting.to_review(ana.id)[0].status is ActionStatus.DONE
        await pilot.press("u")
        assert app.meeting.to_review(ana.id)[0].status is ActionStatus.OPEN


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
        app.meeting.heartbeat()  # the last thing stored before the crash
        crash(app)
    # Ten minutes later the app starts on home, and is quit without resuming.
    clock.advance(600)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
        await settle(pilot)
    session = stored(data_path).read().session
    assert session is not None
    assert session.timer.left(clock()) == session.timer.allotted[session.timer.current] - 30


async def test_text_left_in_a_box_is_kept_for_whoever_typed_it(
    new_app: AppMaker, data_path: Path
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        ana, ben = app.meeting.the_partnership.partners
        fill(app, "#win Input", "Ana's win")
        await pilot.press("escape", "right")  # not entered, and the turn moves on
        await pilot.pause()
        assert app.meeting.turn.partner_id == ben.id
        assert app.screen.query_one("#win Input", Input).value == ""
        fill(app, "#win Input", "Ben's half-typed win")
        await pilot.press("ctrl+q")
        await settle(pilot)
    state = stored(data_path).read()
    # Saved: Ana's as her win (the turn moved on); Ben's kept in his box for the resume.
    assert [(e.partner_id, e.text) for e in state.entries.values()] == [(ana.id, "Ana's win")]
    assert state.draft("win", ben.id) == "Ben's half-typed win"

    app2 = new_app()
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # resume
        await pilot.pause()
        assert app2.meeting.turn.partner_id == ben.id
        assert app2.screen.query_one("#win Input", Input).value == "Ben's half-typed win"


async def test_the_first_session_is_a_kick_off(new_app: AppMaker, data_path: Path) -> None:
    """A check-in, each partner's vision and goals, first actions, the wrap-up."""
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot, met=False)
        screen = await start_session(pilot, check_in=True)
        meeting = app.meeting
        assert meeting.turn.phase.kind is PhaseKind.CHECKIN
        said = " ".join(str(s.render()) for s in screen.query("#checkin Static"))
        assert "stays between us" in said, "the confidentiality agreement, in one line"
        await pilot.press("right")
        assert meeting.turn.phase.kind is PhaseKind.VISION
        assert isinstance(app.focused, Input), "straight into the vision box"
        await type_entry(pilot, "#vision Input", "Write the novel I keep putting off")
        await pilot.press("escape", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, GoalForm)
        fill(app, "#what Input", "Finish the first draft")
        for button in form.query("#kind RadioButton").results(RadioButton):
            button.value = button.name == "number"
        await pilot.pause()
        fill(app, "#target Input", "80000")
        fill(app, "#unit Input", "words")
        fill(app, "#deadline Input", "2027-06-30")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        ana = meeting.the_partnership.partners[0]
        [goal] = meeting.goals_of(ana.id)
        assert (goal.what, goal.target, goal.unit) == ("Finish the first draft", 80000, "words")
        await pilot.press("shift+right")
        assert meeting.turn.phase.kind is PhaseKind.ACTIONS
        await pilot.press("shift+right")
        await finish(pilot)
    repository = stored(data_path)
    assert [g.what for g in repository.read().goals.values()] == ["Finish the first draft"]
    _, entries, _ = repository.read_history(repository.history_years())
    assert [(e.kind, e.text) for e in entries] == [
        (EntryKind.VISION, "Write the novel I keep putting off")
    ]

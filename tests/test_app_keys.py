"""Keys do what the person means, at any speed: bursts, focus, no quit on a plain letter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import AppMaker, crash, settle, stored
from test_app_session import (
    add_action,
    create_partnership,
    fill,
    finish,
    key_bar,
    start_session,
)
from test_contrast import screen_text
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from facilitator.domain.actions import EntryKind
from facilitator.domain.clock import FakeClock
from facilitator.ui.app import FacilitatorApp
from facilitator.ui.screens.action_form import ActionForm
from facilitator.ui.screens.first_run import FirstRunScreen
from facilitator.ui.screens.home import HomeScreen
from facilitator.ui.screens.session import SessionScreen
from facilitator.ui.widgets import inputs
from facilitator.ui.widgets.rows import RowList

SIZE = (100, 32)
WEEK = 7 * 24 * 3600

KEY_NAMES = {" ": "space", "\t": "tab", "\r": "enter", "'": "apostrophe"}


def burst(app: FacilitatorApp, text: str) -> None:
    """Send keys all at once, as a fast typist or a laggy SSH link delivers them: no waiting
    between keys, so later keys arrive before the handlers of earlier ones have run."""
    for char in text:
        key = KEY_NAMES.get(char, char)
        app.post_message(events.Key(key, None if key in ("tab", "enter") else char))


async def quiet(pilot: Pilot[None]) -> None:
    for _ in range(4):
        await pilot.pause()


def footer_keys(app: FacilitatorApp) -> set[str]:
    """The actions the footer offers now."""
    return {
        binding.action
        for (_, binding, enabled, _) in app.screen.active_bindings.values()
        if binding.show and enabled
    }


async def test_fifty_entries_typed_in_one_burst_are_all_kept(
    new_app: AppMaker, data_path: Path
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await pilot.press("escape", "shift+right")
        assert isinstance(app.focused, Input), "the obstacle box takes the typing"
        texts = [f"obstacle number {n}" for n in range(50)]
        burst(app, "".join(f"{t}\r" for t in texts))
        await quiet(pilot)
        await settle(pilot)
        ana = app.meeting.the_partnership.partners[0]
        shown = [e.text for e in app.meeting.entries_for(ana.id, EntryKind.OBSTACLE)]
        assert shown == texts
    entries = sorted(stored(data_path).read().entries.values(), key=lambda e: e.created_at)
    assert [e.text for e in entries] == texts


async def test_tab_and_enter_with_text_right_behind_land_in_the_right_box(
    new_app: AppMaker,
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, FirstRunScreen)
        burst(app, "Tuesday check-in\tAna\rBen\r")
        await quiet(pilot)
        values = [box.value for box in app.screen.query(Input).results(Input)]
        assert values[:3] == ["Tuesday check-in", "Ana", "Ben"]


async def to_the_actions_phase(pilot: Pilot[None]) -> None:
    """On with ⇧→ from phase to phase, out of each phase's box first as Esc does."""
    from facilitator.domain.agenda import PhaseKind

    app = pilot.app
    assert isinstance(app, FacilitatorApp)
    for _ in range(len(app.meeting.live.agenda)):
        if app.meeting.turn.phase.kind is PhaseKind.ACTIONS:
            return
        app.screen.set_focus(None)
        await pilot.press("shift+right")
    raise AssertionError("the agenda has no actions phase")


async def test_a_screen_opens_with_the_box_to_type_in_focused_once(
    new_app: AppMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Focus set once, after the layout: Textual's own focusing would give it to the scrolling
    form first (moving focus restyles the whole screen) and scroll the welcome out of sight."""
    focused: list[Widget] = []
    set_focus = Screen.set_focus

    def recorded(screen: Screen[object], widget: Widget | None, *args: Any, **kw: Any) -> None:
        if widget is not None and widget is not screen.focused:  # a move of focus
            focused.append(widget)
        set_focus(screen, widget, *args, **kw)

    monkeypatch.setattr(Screen, "set_focus", recorded)
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        assert focused == [app.screen.query_one("#name Input")]
        assert app.screen.query_one("#form").scroll_y == 0  # "Welcome to facilitator" in sight
        await create_partnership(pilot)
        await start_session(pilot)
        await to_the_actions_phase(pilot)
        focused.clear()
        await pilot.press("a")  # the action form
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        assert focused == [app.screen.query_one("#text Input")]


async def test_a_screen_comes_back_to_its_box_when_nothing_kept_focus(new_app: AppMaker) -> None:
    """The terminal loses focus, the window is made too small, focus comes back while the
    message is shown (Textual forgets the form's focus then), the window grows again: the
    form's box has focus, so what is typed next lands in it."""
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FirstRunScreen)
        app.post_message(events.AppBlur())
        await pilot.pause()
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        assert app.screen is not form
        app.post_message(events.AppFocus())
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen is form
        assert form.focused is form.query_one("#name Input")
        await pilot.press("A", "n", "a")
        assert form.query_one("#name Input", Input).value == "Ana"


async def test_ctrl_s_saves_a_dialogs_form_with_every_key_typed_before_it(
    new_app: AppMaker,
) -> None:
    """Ctrl+S saves in the set-up form, the agreement and the agenda; a dialog's form too (it
    did nothing there), and only once the keys typed just before it are in the box."""
    from facilitator.ui.screens.action_form import ActionForm

    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await to_the_actions_phase(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        footer = key_bar(app)  # the dialog's keys, not the session's below it
        assert "esc Cancel" in footer and "^s Save" in footer and "Pause" not in footer
        burst(app, "Call the bank [3")
        app.post_message(events.Key("ctrl+s", None))
        await quiet(pilot)
        assert isinstance(app.screen, SessionScreen)
        texts = [action.text for action in app.meeting.state.actions.values()]
        assert "Call the bank [3" in texts


async def test_text_typed_straight_after_the_key_that_opens_a_form_lands_in_its_box(
    new_app: AppMaker,
) -> None:
    """`a` and the action's text in one burst: the keys after `a` were still on their way
    through the session when the form opened, and were lost (a `q` among them asked to leave
    the session). None of them is taken as the session's own key."""
    from facilitator.ui.screens.action_form import ActionForm

    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await to_the_actions_phase(pilot)
        burst(app, "aCall Kim [3 to 10")
        await quiet(pilot)
        form = app.screen
        assert isinstance(form, ActionForm)
        assert form.query_one("#text Input", Input).value == "Call Kim [3 to 10"
        assert form.focused is form.query_one("#text Input")
        assert app.meeting.live.timer.running, "the space is text, not Pause"
        await pilot.press("!")
        assert form.query_one("#text Input", Input).value == "Call Kim [3 to 10!"


async def test_a_name_typed_with_the_key_that_asks_for_it_lands_in_its_box(
    new_app: AppMaker,
) -> None:
    """The one-line dialogs (a new partner, a name, a phase) take early text as the action
    form does."""
    from facilitator.ui.screens.one_line import OneLineDialog

    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        app.action_open("partners")
        await pilot.pause()
        burst(app, "nCleo [3")
        await quiet(pilot)
        assert isinstance(app.screen, OneLineDialog)
        assert app.screen.query_one("Field Input", Input).value == "Cleo [3"


async def test_a_plain_letter_never_quits_a_session(new_app: AppMaker) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await pilot.press("escape", "right")  # Ben's turn: the win box has focus again
        assert isinstance(app.focused, Input)
        burst(app, "quit sugar for a week\r")
        await quiet(pilot)
        assert isinstance(app.screen, SessionScreen)
        ben = app.meeting.the_partnership.partners[1]
        wins = app.meeting.entries_for(ben.id, EntryKind.WIN)
        assert [w.text for w in wins] == ["quit sugar for a week"]
        await pilot.press("escape", "q")  # no box focused: q does nothing here
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.is_running


async def test_each_phase_shows_its_keys_and_focus_goes_where_the_typing_goes(
    new_app: AppMaker, clock: FakeClock
) -> None:
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
        # Review with something to review: the list has focus and the marks are offered.
        assert isinstance(app.focused, RowList)
        keys = footer_keys(app)
        assert {"mark('done')", "mark('partly')", "mark('not_done')", "mark('dropped')"} <= keys
        assert "add_win" in keys
        await pilot.press("shift+right")
        # Obstacles: straight into the box; Escape leaves it and the keys show.
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        keys = footer_keys(app)
        assert {"add('obstacle')", "add('idea')", "add('help')"} <= keys
        assert "app.quit" not in keys


async def test_removing_and_dropping_can_be_undone(new_app: AppMaker) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        ana = app.meeting.the_partnership.partners[0]
        await pilot.press("escape", "shift+right")
        fill(app, "#entry Input", "No quiet time")
        await pilot.press("enter", "escape", "down")
        await pilot.pause()
        app.screen.query_one("#entries", RowList).focus()
        await pilot.press("x")
        await pilot.pause()
        assert app.meeting.entries_for(ana.id, EntryKind.OBSTACLE) == []
        await pilot.press("u")
        await pilot.pause()
        assert [e.text for e in app.meeting.entries_for(ana.id, EntryKind.OBSTACLE)] == [
            "No quiet time"
        ]
        await pilot.press("shift+right")
        await add_action(pilot, "Call the bank")
        await pilot.press("x")
        await pilot.pause()
        assert app.meeting.agreed(ana.id) == []
        await pilot.press("u")
        await pilot.pause()
        assert [a.text for a in app.meeting.agreed(ana.id)] == ["Call the bank"]


async def test_home_offers_the_unfinished_session_and_r_resumes_it(new_app: AppMaker) -> None:
    """Started again after a quit mid-session: home opens (no dialog in the way) with the offer
    at its top and r first among its keys; r picks the session up, paused."""
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        offer = str(app.screen.query_one("#unfinished", Static).render())
        assert offer == (
            "Pick up where you left off?\nThe session from Mon 23 Nov is unfinished: Review "
            "and celebrate, Ana's turn. It resumes with its timer paused; everything entered "
            "so far is kept. Press r or Enter to resume it, d to discard it."
        )
        text = screen_text(app)
        assert "Pick up where you left off?" in text.splitlines()[6]  # in sight at the top
        assert text.splitlines()[-1].startswith(" r Resume session  d Discard session")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert not app.meeting.live.timer.running


@pytest.fixture
def quick_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drafts are kept a moment after the last key; a moment that tests needn't wait for."""
    monkeypatch.setattr(inputs.CleanInput, "draft_delay", 0.05)


@pytest.mark.usefixtures("quick_drafts")
async def test_text_being_typed_is_kept_as_a_draft_for_that_partner(
    new_app: AppMaker, data_path: Path
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        ana = app.meeting.the_partnership.partners[0]
        await pilot.press(*"Ran 5k")
        for _ in range(20):  # the draft is stored a moment after the last key
            await pilot.pause(0.05)
            if app.meeting.draft("win", ana.id):
                break
        await settle(pilot)
        assert stored(data_path).read().draft("win", ana.id) == "Ran 5k"
        crash(app)

    # Back after the crash: the draft is in Ana's box, and typing goes on from its end. (It
    # was all selected as the box took focus, so the next key replaced it: the draft lost.)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        box = app.screen.query_one("#win Input", Input)
        assert app.focused is box and box.value == "Ran 5k"
        await pilot.press(*" again")
        assert box.value == "Ran 5k again"


async def test_going_back_into_a_box_types_on_after_its_text(new_app: AppMaker) -> None:
    """Tab out of the name and back (Shift+Tab): what was typed is kept and typing goes on
    after it. Textual selects a box's text as it takes focus, so the next key replaced it."""
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        name = app.screen.query_one("#name Input", Input)
        await pilot.press(*"Tuesday", "tab", "shift+tab")
        assert app.focused is name
        await pilot.press(*" club")
        assert name.value == "Tuesday club"
        # The planned length holds a default (30), replaced whole as a form's default is.
        minutes = app.screen.query_one("#minutes Input", Input)
        minutes.focus()
        await pilot.press(*"45")
        assert minutes.value == "45"


async def test_a_number_typed_with_the_key_that_opens_the_progress_form_lands_in_it(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    """`v` and the number in one burst, as for the action form: the number is the form's."""
    from test_app_goals import marathon, open_goals, seed

    from facilitator.ui.screens.progress_form import ProgressForm

    seed(data_path, clock, marathon())
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_goals(pilot)
        await pilot.press("down")  # from Ana's heading to her goal
        burst(app, "v12.5")
        await quiet(pilot)
        form = app.screen
        assert isinstance(form, ProgressForm)
        assert form.focused is form.query_one("#value Input")
        assert form.query_one("#value Input", Input).value == "12.5"


async def test_home_lists_a_few_actions_and_counts_the_rest(new_app: AppMaker) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_partnership(pilot)
        await start_session(pilot)
        await pilot.press("escape", "shift+right", "escape", "shift+right")
        ana = app.meeting.the_partnership.partners[0]
        for n in range(7):
            app.meeting.add_action(f"Action {n}", ana.id, app.meeting.next_session_date())
        await pilot.press("shift+right")
        await finish(pilot)
        assert isinstance(app.screen, HomeScreen)
        card = str(app.screen.query(".card").first().render())
        assert "Action 4" in card and "Action 5" not in card
        assert "… and 2 more · p lists them all" in card


async def test_the_collector_paused_for_the_start_runs_again_once_the_app_is_drawn(
    new_app: AppMaker,
) -> None:
    """`facilitator` pauses the cyclic collector while it starts (cli.main); left paused, a
    meeting of hours would never free what it no longer uses. What the start made is kept out
    of its way for a few seconds, then let go, so a closed dialog of the start is freed."""
    import gc

    gc.disable()
    try:
        app = new_app(collector_paused=True)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, FirstRunScreen)
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
            assert app.letting_go_of_start is not None
            app.let_go_of_start_objects()  # as that timer does, seconds later
            assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
        gc.enable()


async def test_an_app_whose_collector_was_not_paused_leaves_it_alone(new_app: AppMaker) -> None:
    import gc

    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0


async def test_what_start_up_leaves_out_is_loaded_once_the_screen_is_drawn(
    new_app: AppMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The change records are not imported to start (home needs none of them), and are
    loaded a moment after the first frame, not on the person's first key."""
    from facilitator.ui import app as app_module

    warmed: list[bool] = []
    monkeypatch.setattr(app_module, "WARM_UP_SECONDS", 0.001)
    monkeypatch.setattr(FacilitatorApp, "_warm_up", lambda self: warmed.append(True))
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):  # a polled deadline: it costs nothing once the timer has run
            if warmed:
                break
            await pilot.pause(0.01)
        assert warmed == [True]


async def test_every_screen_home_and_the_palette_name_opens(new_app: AppMaker) -> None:
    from facilitator.ui.app import SCREENS_BY_NAME

    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await create_partnership(pilot)
        for place, (_, class_name) in SCREENS_BY_NAME.items():
            app.action_open(place)
            await pilot.pause()
            assert type(app.screen).__name__ == class_name, place
            app.pop_screen()
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)


def listening(app: FacilitatorApp, screen: object) -> int:
    """How many times `screen` is told of each change to the meeting."""
    return sum(1 for heard in app.meeting._listeners if getattr(heard, "__self__", None) is screen)


async def test_each_screen_hears_of_a_change_once_and_not_once_closed(new_app: AppMaker) -> None:
    """Textual runs every class's own on_mount, the base's too: a screen that also called
    super().on_mount() listened to the meeting twice (each change redrawn twice, a warning
    shown twice), and one of the two was never let go when it closed."""
    from facilitator.ui.app import SCREENS_BY_NAME

    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        first_run = app.screen
        assert listening(app, first_run) == 1
        await create_partnership(pilot)
        assert listening(app, first_run) == 0
        assert listening(app, app.screen) == 1
        for place in SCREENS_BY_NAME:
            app.action_open(place)
            await pilot.pause()
            opened = app.screen
            assert listening(app, opened) == 1, place
            app.pop_screen()
            await pilot.pause()
            assert listening(app, opened) == 0, place
        app.open_prep(app.meeting.the_partnership.partners[0].id)
        await pilot.pause()
        assert listening(app, app.screen) == 1, "prep"
        app.pop_screen()
        await pilot.pause()
        session = await start_session(pilot)
        assert listening(app, session) == 1, "session"

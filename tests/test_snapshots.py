"""Every screen in each of our themes, as drawn: snapshots, and what each cell's contrast is.

One app per theme tours the screens (first run, home, who is here, each phase of a session,
the check-in first, with every kind of record and a highlighted row in each state, a text box
in use, each state of the countdown, focus mode, the too-small notice, home with a session
unfinished and its offer to resume it) and, at each stop, measures every cell drawn
(test_contrast.py has the measures) and keeps an SVG snapshot of the main screens. Snapshots
are the plugin's (pytest-textual-snapshot): `pytest tests/test_snapshots.py --snapshot-update`
writes them again after a change meant to show; `rsvg-convert` turns one into a PNG to look at.

The live session at 60x20 and 160x50, and the term review with its chart, go through
`snap_compare` (one app per call).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension
from syrupy import SnapshotAssertion
from test_app_term_review import build_term, loaded
from test_contrast import (
    ANA,
    START,
    THEMES,
    ZONE,
    add_one_of_each_kind,
    app_for,
    disputed_widths,
    drawn_cells,
    mark_all_kinds,
    move_to,
    prepare,
    prepared,
    problems,
    rendered,
    screen_text,
)
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from facilitator.domain.agenda import PhaseKind
from facilitator.domain.clock import FakeClock
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository
from facilitator.ui.app import FacilitatorApp, make_app
from facilitator.ui.screens.attendance import AttendanceScreen
from facilitator.ui.screens.first_run import FirstRunScreen
from facilitator.ui.screens.home import HomeScreen
from facilitator.ui.screens.session import SessionScreen
from facilitator.ui.screens.term_review import TermReviewScreen
from facilitator.ui.screens.too_small import TooSmallScreen
from facilitator.ui.widgets.countdown import Countdown

SIZE = (80, 24)


class Tour:
    """The stops of one theme's tour: what broke its promises, and the snapshots taken."""

    def __init__(self, theme: str, pilot: Pilot[None]) -> None:
        self.checks = THEMES[theme]
        self.pilot = pilot
        self.problems: list[str] = []
        self.snapshots: dict[str, str] = {}

    async def stop(
        self, name: str, on: type[Screen[Any]], *, snapshot: bool = False, state: str = ""
    ) -> None:
        """Measure what is drawn now, on a screen of this kind (and the countdown in this
        state); keep a snapshot of it if asked."""
        app = self.pilot.app
        if snapshot:
            # Only what the screen itself shows: toasts come and go by the wall clock, and a
            # text box's cursor blinks by it.
            app.clear_notifications()
            for box in app.screen.query(Input):
                box.cursor_blink = False
            await self.pilot.pause()  # a change can take a second layout (a scroll bar)
            await self.pilot.wait_for_scheduled_animations()
        await self.pilot.pause()
        assert isinstance(app.screen, on), f"{name}: {app.screen} is not a {on.__name__}"
        if state:
            assert app.screen.query_one(Countdown).has_class(state), f"{name}: not {state}"
        strips = rendered(app)
        self.problems += problems(drawn_cells(app, strips), self.checks, name)
        self.problems += disputed_widths((strip.text for strip in strips), name)
        if snapshot:
            self.snapshots[name] = app.export_screenshot(simplify=True)

    def out_of_time(self, clock: FakeClock, meeting: Meeting, left: float) -> None:
        """Move the clock on until the turn has `left` seconds (less than 0: over time)."""
        clock.advance(meeting.live.timer.left(clock()) - left)
        screen = self.pilot.app.screen
        screen.refresh_timer()  # type: ignore[attr-defined]

    async def phases_up_to(self, kind: PhaseKind) -> None:
        """On to the next phase of this kind, measuring each other phase the agenda has on
        the way (a check-in, a goal check...)."""
        meeting = self.pilot.app.meeting  # type: ignore[attr-defined]
        for _ in range(len(meeting.live.agenda)):
            if meeting.turn.phase.kind is kind:
                return
            meeting.next_phase()
            if meeting.turn.phase.kind is not kind:
                await self.stop(f"phase {meeting.turn.phase.title}", SessionScreen)
        move_to(meeting, kind)  # says the agenda has no such phase

    async def countdown_states(self, clock: FakeClock, meeting: Meeting, where: str) -> None:
        meeting.pause()
        await self.stop(f"{where}, paused", SessionScreen, state="-paused")
        meeting.resume()
        self.out_of_time(clock, meeting, 50)
        await self.stop(f"{where}, under a minute left", SessionScreen, state="-warning")
        self.out_of_time(clock, meeting, -75)
        await self.stop(f"{where}, time's up", SessionScreen, state="-overtime")


async def tour(theme: str, tmp_path: Path) -> Tour:
    clock = FakeClock(START)
    app = app_for(tmp_path, clock, theme)
    async with app.run_test(size=SIZE) as pilot:
        stops = Tour(theme, pilot)
        await stops.stop("first run", FirstRunScreen, snapshot=True)
        prepare(app.meeting, clock)  # set up as if on another screen: this one goes home
        await pilot.pause()
        app.screen.refresh_view()  # type: ignore[attr-defined]  # a week on
        await session_stops(stops, app, pilot, clock)
    return stops


async def session_stops(
    stops: Tour, app: FacilitatorApp, pilot: Pilot[None], clock: FakeClock
) -> None:
    meeting = app.meeting
    await stops.stop("home", HomeScreen, snapshot=True)
    await pilot.press("s")
    await stops.stop("who is here", AttendanceScreen)
    await pilot.press("ctrl+s")
    assert meeting.turn.phase.kind is PhaseKind.CHECKIN  # what a second session opens with
    await stops.stop("check-in", SessionScreen, snapshot=True)
    await stops.phases_up_to(PhaseKind.REVIEW)
    mark_all_kinds(meeting)
    await stops.stop("review", SessionScreen, snapshot=True)
    await pilot.press("down")
    await stops.stop("review, a done action highlighted", SessionScreen)
    await pilot.press("down")
    await stops.stop("review, a partly done action highlighted", SessionScreen)
    await pilot.press("w")
    await stops.stop("review, typing a win", SessionScreen)
    await pilot.press("escape")
    await stops.countdown_states(clock, meeting, "countdown")

    await stops.phases_up_to(PhaseKind.OBSTACLES)
    add_one_of_each_kind(meeting)
    await stops.stop("obstacles", SessionScreen, snapshot=True)
    await pilot.press("escape")
    await stops.stop("obstacles, the list in use", SessionScreen)

    await stops.phases_up_to(PhaseKind.ACTIONS)
    await stops.stop("actions", SessionScreen, snapshot=True)

    await stops.phases_up_to(PhaseKind.WRAPUP)
    await stops.stop("wrap-up", SessionScreen, snapshot=True)

    while meeting.turn.phase.kind is not PhaseKind.OBSTACLES:
        meeting.previous_phase()  # back to Ana's obstacles: an entry to show
    await pilot.pause()
    await pilot.press("escape", "z")  # out of the text box, into focus mode
    await stops.stop("focus", SessionScreen, snapshot=True)
    assert app.screen.has_class("-focus")
    stops.out_of_time(clock, meeting, -75)  # the block digits in the weakest colour
    await stops.stop("focus, time's up", SessionScreen, state="-overtime")
    await pilot.press("z")

    await pilot.resize_terminal(50, 15)
    await stops.stop("too small", TooSmallScreen, snapshot=True)
    await pilot.resize_terminal(*SIZE)
    await pilot.press("escape", "escape", "enter")  # out of the text box; leave for home
    await stops.stop("home, a session unfinished", HomeScreen, snapshot=True)


@pytest.mark.parametrize("theme", sorted(THEMES))
async def test_each_screen_in_each_theme(
    theme: str, tmp_path: Path, snapshot: SnapshotAssertion
) -> None:
    stops = await tour(theme, tmp_path)
    assert not stops.problems, "\n".join(stops.problems)
    svg = snapshot.use_extension(SVGImageExtension)
    differ = [name for name, drawn in stops.snapshots.items() if svg(name=name) != drawn]
    assert not differ, f"drawn differently from the snapshot: {differ}"


# The live session at other sizes --------------------------------------------------------------


def live_session_app(tmp_path: Path, *, obstacles: bool = False) -> FacilitatorApp:
    """A session left unfinished in its review (or its obstacles): the app opens on the offer
    to resume it (Enter), its clock paused."""
    clock = FakeClock(START)
    prepared(tmp_path / "data.json", clock)
    app = app_for(tmp_path, clock)
    meeting = app.meeting
    meeting.begin_session([p.id for p in meeting.the_partnership.partners])
    move_to(meeting, PhaseKind.REVIEW)
    mark_all_kinds(meeting)
    if obstacles:
        move_to(meeting, PhaseKind.OBSTACLES)
        add_one_of_each_kind(meeting)
    meeting.pause()
    return app


async def resumed(pilot: Pilot[None]) -> None:
    """From home, the unfinished session picked up (r)."""
    await pilot.press("r")
    await pilot.pause()
    pilot.app.clear_notifications()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


def key_bar(app: App[Any]) -> str:
    return screen_text(app).splitlines()[-1]


def test_the_session_in_the_smallest_window(
    tmp_path: Path, snap_compare: Callable[..., bool]
) -> None:
    """60x20: everything fits, and the key bar keeps the review's keys."""
    seen: list[str] = []

    async def run_before(pilot: Pilot[None]) -> None:
        await resumed(pilot)
        seen.append(key_bar(pilot.app))

    app = live_session_app(tmp_path)
    assert snap_compare(app, terminal_size=(60, 20), run_before=run_before)
    for key in ("← → Turn", "d Done", "p Partly", "n Not done"):
        assert key in seen[0], seen[0]


async def test_the_clock_keys_show_in_the_smallest_window(tmp_path: Path) -> None:
    app = live_session_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await resumed(pilot)
        bar = key_bar(app)
        assert any(key in bar for key in ("space Pause", "space Resume", "^p more")), bar


def test_the_session_in_a_large_window(tmp_path: Path, snap_compare: Callable[..., bool]) -> None:
    """160x50: the countdown and the name in block type."""
    app = live_session_app(tmp_path, obstacles=True)
    assert snap_compare(app, terminal_size=(160, 50), run_before=resumed)


def test_the_term_review_chart(tmp_path: Path, snap_compare: Callable[..., bool]) -> None:
    """The term review outside a session: Ana's goals with their verdicts, the highlighted
    goal's chart with its scale and words, follow-through and the reasons that recur."""
    clock = FakeClock(START)
    path = tmp_path / "data.json"
    build_term(path, clock, live=False)
    app = make_app(
        Repository.open(path),
        clock,
        author=ANA,
        store_thread=False,
        time_zone=ZONE,
        settings_path=tmp_path / "settings.json",
    )

    async def run_before(pilot: Pilot[None]) -> None:
        app.push_screen(TermReviewScreen(app.meeting))
        await loaded(pilot)
        app.clear_notifications()

    assert snap_compare(app, terminal_size=(100, 32), run_before=run_before)

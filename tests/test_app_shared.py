"""Two screens on one live session: the data file is the truth, and each follows it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BEN_SCREEN, AppMaker, settle, stored
from test_app_keys import burst, quiet
from test_app_session import add_action, create_partnership, fill, start_session, type_entry
from test_contrast import screen_text
from textual.pilot import Pilot
from textual.widgets import Digits, Input, Static

from facilitator.domain.actions import EntryKind
from facilitator.domain.clock import FakeClock
from facilitator.store import worker
from facilitator.ui.screens.action_form import ActionForm
from facilitator.ui.screens.home import HomeScreen
from facilitator.ui.screens.session import SessionScreen
from facilitator.ui.widgets.status import SaveStatus

SIZE = (100, 32)


@pytest.fixture(autouse=True)
def quick_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each screen looks at the file once a second; tests needn't wait that long."""
    monkeypatch.setattr(worker, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(worker, "HEARTBEAT_SECONDS", 0.1)


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Let the screen run until `condition` holds (another screen's change has arrived)."""
    deadline = time.monotonic() + 10
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def test_what_one_screen_enters_the_other_shows(new_app: AppMaker) -> None:
    ana_app = new_app()
    async with ana_app.run_test(size=SIZE) as a:
        await create_partnership(a)
        await start_session(a)
        ben_app = new_app(BEN_SCREEN)
        async with ben_app.run_test(size=SIZE) as b:
            assert isinstance(ben_app.screen, HomeScreen)
            offer = str(ben_app.screen.query_one("#unfinished", Static).render())
            assert "It is running on another screen now: you'll join it as it is." in offer
            assert offer.endswith("Press r or Enter to join it.")
            await b.press("r")  # join: it keeps running, it is not paused
            await b.pause()
            assert isinstance(ben_app.screen, SessionScreen)
            assert ben_app.meeting.live.timer.running
            ana = ana_app.meeting.the_partnership.partners[0]
            await type_entry(a, "#win Input", "Ran 5k [3 times]")
            await settle(a)
            await until(
                b, lambda: bool(ben_app.meeting.entries_for(ana.id, EntryKind.WIN)), "A's win"
            )
            assert "Ran 5k [3 times]" in str(ben_app.screen.query_one("#celebrate-lines").render())
            await type_entry(b, "#win Input", "Slept well")
            await settle(b)
            await until(
                a, lambda: len(ana_app.meeting.entries_for(ana.id, EntryKind.WIN)) == 2, "B's win"
            )
            # Each says the other is open.
            await until(a, lambda: bool(ana_app.meeting.others), "presence")
            status = str(ana_app.screen.query_one(SaveStatus).render())
            assert "also open: ben's terminal" in status
            status = str(ben_app.screen.query_one(SaveStatus).render())
            assert "also open: ana's terminal" in status
            # In a narrow window the session's title keeps over half the bar beside them.
            await b.resize_terminal(60, 20)
            await b.pause()
            title = ben_app.screen.query_one("#session-title")
            assert title.size.width > 30, screen_text(ben_app).splitlines()[0]


EACH = 40
"""Entries each screen types in one burst, no pause between them."""


async def test_both_typing_at_once_keeps_every_entry_once(
    new_app: AppMaker, data_path: Path
) -> None:
    ana_app = new_app()
    async with ana_app.run_test(size=SIZE) as a:
        await create_partnership(a)
        await start_session(a)
        await a.press("escape", "shift+right")  # obstacles, Ana's turn: the box has focus
        ben_app = new_app(BEN_SCREEN)
        async with ben_app.run_test(size=SIZE) as b:
            await b.press("enter")
            await b.pause()
            assert ben_app.meeting.turn.phase.key == "obstacles"
            assert isinstance(ben_app.focused, Input)
            burst(ana_app, "".join(f"from a {n}\r" for n in range(EACH)))
            burst(ben_app, "".join(f"from b {n}\r" for n in range(EACH)))
            await quiet(a)
            await quiet(b)
            await settle(a)
            await settle(b)
            ana = ana_app.meeting.the_partnership.partners[0]

            def count(app: object) -> int:
                return len(ana_app.meeting.entries_for(ana.id, EntryKind.OBSTACLE))

            await until(a, lambda: count(ana_app) == 2 * EACH, "all of them on A")
            await until(
                b,
                lambda: len(ben_app.meeting.entries_for(ana.id, EntryKind.OBSTACLE)) == 2 * EACH,
                "all of them on B",
            )
    entries = list(stored(data_path).read().entries.values())
    texts = sorted(e.text for e in entries)
    assert texts == sorted(
        [f"from a {n}" for n in range(EACH)] + [f"from b {n}" for n in range(EACH)]
    )
    assert len({e.id for e in entries}) == 2 * EACH


async def test_the_clock_and_the_turn_are_shared(new_app: AppMaker, clock: FakeClock) -> None:
    ana_app = new_app()
    async with ana_app.run_test(size=SIZE) as a:
        await create_partnership(a)
        await start_session(a)
        await a.press("escape")
        ben_app = new_app(BEN_SCREEN)
        async with ben_app.run_test(size=SIZE) as b:
            await b.press("enter")
            await b.pause()
            clock.advance(75)
            ana_app.screen.refresh_timer()  # type: ignore[attr-defined]
            ben_app.screen.refresh_timer()  # type: ignore[attr-defined]
            assert ana_app.screen.query_one(Digits).value == "04:15"
            assert ben_app.screen.query_one(Digits).value == "04:15"
            await a.press("space")  # Ana pauses: Ben's clock stops too
            await settle(a)
            await until(b, lambda: not ben_app.meeting.live.timer.running, "the pause")
            clock.advance(30)
            ben_app.screen.refresh_timer()  # type: ignore[attr-defined]
            assert ben_app.screen.query_one(Digits).value == "04:15"
            review = ana_app.meeting.live.timer.current
            await a.press("right")  # next turn on Ana's screen moves Ben's
            await settle(a)
            await until(b, lambda: ben_app.meeting.live.timer.current == review + 1, "next turn")
            ben = ana_app.meeting.the_partnership.partners[1]
            assert ben_app.meeting.turn.partner_id == ben.id


async def test_two_screens_editing_one_action(new_app: AppMaker) -> None:
    ana_app = new_app()
    async with ana_app.run_test(size=SIZE) as a:
        await create_partnership(a)
        await start_session(a)
        await a.press("escape", "shift+right", "escape", "shift+right")
        await add_action(a, "Call the bank")
        await settle(a)
        ben_app = new_app(BEN_SCREEN)
        async with ben_app.run_test(size=SIZE) as b:
            await b.press("enter")
            await b.pause()
            ana = ana_app.meeting.the_partnership.partners[0]
            # Both open the action's form; Ana changes the wording, Ben the due date.
            await a.press("e")
            await b.press("e")
            await a.pause()
            await b.pause()
            assert isinstance(ana_app.screen, ActionForm) and isinstance(ben_app.screen, ActionForm)
            fill(ana_app, "#text Input", "Call the bank about the loan")
            await a.press("enter")
            await settle(a)
            fill(ben_app, "#due Input", "2026-12-04")
            await b.press("enter")
            await settle(b)
            await until(a, lambda: ana_app.meeting.agreed(ana.id)[0].due_on.day == 4, "Ben's date")
            action = ana_app.meeting.agreed(ana.id)[0]
            assert action.text == "Call the bank about the loan", "a different field: both kept"
            # Now both change the wording: the later one is kept, and the earlier is told.
            await a.press("e")
            await b.press("e")
            await a.pause()
            await b.pause()
            fill(ana_app, "#text Input", "Ana's wording")
            await a.press("enter")
            await settle(a)
            fill(ben_app, "#text Input", "Ben's wording")
            await b.press("enter")
            await settle(b)
            await until(
                a, lambda: ana_app.meeting.agreed(ana.id)[0].text == "Ben's wording", "Ben's"
            )
            messages = [n.message for n in ana_app._notifications]
            assert any("ben's terminal" in str(m) and "theirs is kept" in str(m) for m in messages)
            ben_messages = [str(n.message) for n in ben_app._notifications]
            assert any("changed on another screen too; yours is kept" in m for m in ben_messages)


async def test_finished_on_one_screen_the_other_goes_home_keeping_its_typing(
    new_app: AppMaker, data_path: Path
) -> None:
    ana_app = new_app()
    async with ana_app.run_test(size=SIZE) as a:
        await create_partnership(a)
        await start_session(a)
        ben_app = new_app(BEN_SCREEN)
        async with ben_app.run_test(size=SIZE) as b:
            await b.press("enter")
            await b.pause()
            ana = ana_app.meeting.the_partnership.partners[0]
            fill(ben_app, "#win Input", "half-typed on Ben's screen")
            ana_app.meeting.finish_session()
            await settle(a)
            await until(
                b, lambda: isinstance(ben_app.screen, HomeScreen), "Ben's screen going home"
            )
            await settle(b)
            messages = [str(n.message) for n in ben_app._notifications]
            assert any("finished on another screen" in m for m in messages)
    assert stored(data_path).read().draft("win", ana.id) == "half-typed on Ben's screen"

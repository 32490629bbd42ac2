"""History: reading only the year files a term needs, and browsing past sessions through the
real screen and keys (newest first, the newest year read first, older ones as the person goes
down; search and partner filter; the fate of every action)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import START, ZONE, AppMaker
from textual.pilot import Pilot
from textual.widgets import Input, Static

import facilitator.ui.screens.history as history_screen
from facilitator.domain.actions import Action, ActionStatus, Entry, EntryKind
from facilitator.domain.clock import FakeClock, zone_named
from facilitator.domain.partnership import Cadence
from facilitator.domain.session import Session
from facilitator.meeting import Meeting
from facilitator.store import repository as repository_module
from facilitator.store.repository import Repository
from facilitator.ui.app import FacilitatorApp
from facilitator.ui.screens.history import HistoryScreen
from facilitator.ui.widgets.rows import RowList

SIZE = (100, 32)


def meet(meeting: Meeting, clock: FakeClock, at: datetime, present: list[str]) -> Session:
    clock.now = at
    return meeting.begin_session(present)


# Reading a term reads only its years -------------------------------------------------------------


def test_a_twelve_week_term_across_new_year_reads_exactly_two_year_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Auckland is 13 hours ahead in summer: noon UTC on 31 December is New Year's Day there.
    zone = "Pacific/Auckland"
    path = tmp_path / "facilitator.json"
    clock = FakeClock(datetime(2023, 3, 1, 6, 0, tzinfo=UTC))
    meeting = Meeting(Repository.open(path), clock)
    everyone = [
        p.id
        for p in meeting.create_partnership(
            "Pair", ["Ana", "Ben"], Cadence.WEEKLY, 30, zone
        ).partners
    ]
    held = {}
    for name, at in (
        ("2023", datetime(2023, 3, 1, 6, 0, tzinfo=UTC)),
        ("2024", datetime(2024, 3, 1, 6, 0, tzinfo=UTC)),
        ("June 2025", datetime(2025, 6, 4, 6, 0, tzinfo=UTC)),
        ("December 2025", datetime(2025, 12, 10, 6, 0, tzinfo=UTC)),
        ("New Year's Day", datetime(2025, 12, 31, 12, 0, tzinfo=UTC)),
        ("February 2026", datetime(2026, 2, 18, 6, 0, tzinfo=UTC)),
        ("after the term", datetime(2026, 3, 4, 6, 0, tzinfo=UTC)),
    ):
        held[name] = meet(meeting, clock, at, everyone)
        meeting.add_entry(f"A win in {name}", EntryKind.WIN, everyone[0])
        for action in meeting.to_review(everyone[0]):
            meeting.mark(action, ActionStatus.DONE)
        meeting.add_action(f"Agreed in {name}", everyone[0], at.date())
        meeting.finish_session()
    repository = Repository.open(path)
    assert repository.history_years() == [2023, 2024, 2025, 2026]
    assert raw_session_ids(repository.history_path(2026)) >= {held["New Year's Day"].id}

    opened: list[str] = []
    read = repository_module._File.read

    def spy(self: repository_module._File) -> bool:
        if self.path.parent == repository.history_dir:
            opened.append(self.path.name)
        return read(self)

    monkeypatch.setattr(repository_module._File, "read", spy)
    sessions, entries, actions = repository.read_history_between(
        date(2025, 12, 1), date(2026, 2, 22), zone_named(zone)
    )
    assert sorted(opened) == ["2025.json", "2026.json"]
    names = ["December 2025", "New Year's Day", "February 2026"]
    assert [s.id for s in sessions] == [held[name].id for name in names]
    assert sorted(e.text for e in entries) == sorted(f"A win in {name}" for name in names)
    # The actions closed in those sessions: each reviews the one agreed the time before.
    assert sorted(a.text for a in actions) == [
        "Agreed in December 2025",
        "Agreed in June 2025",
        "Agreed in New Year's Day",
    ]

    opened.clear()
    december, _, _ = repository.read_history_between(
        date(2025, 12, 1), date(2025, 12, 31), zone_named(zone)
    )
    assert opened == ["2025.json"]
    assert [s.id for s in december] == [held["December 2025"].id]


def raw_session_ids(path: Path) -> set[str]:
    import json

    return set(json.loads(path.read_text())["sessions"])


# The history screen ------------------------------------------------------------------------------


def build_past(path: Path, clock: FakeClock) -> None:
    """Six sessions: one in 2024; four around New Year 2025-26 (one set aside unfinished);
    one more in January 2026. Actions meet every fate; then the clock is back at START."""
    meeting = Meeting(Repository.open(path), clock)
    clock.now = datetime(2024, 6, 5, 18, 0, tzinfo=UTC)
    partnership = meeting.create_partnership("Pair", ["Ana", "Ben"], Cadence.WEEKLY, 30, ZONE)
    ana, ben = (p.id for p in partnership.partners)

    meet(meeting, clock, clock.now, [ana, ben])
    meeting.add_entry("Finished the 2024 plan", EntryKind.WIN, ana)
    meeting.add_action("Plan 2025", ana, date(2024, 6, 12))
    meeting.finish_session()

    meet(meeting, clock, datetime(2025, 12, 17, 18, 0, tzinfo=UTC), [ana, ben])
    meeting.mark(meeting.to_review(ana)[0], ActionStatus.DONE)
    meeting.add_entry("Ran 10 km 🎉", EntryKind.WIN, ana)
    meeting.add_entry("No time in the mornings", EntryKind.OBSTACLE, ana)
    meeting.add_entry("Ask a neighbour [3", EntryKind.HELP, ben)
    meeting.add_entry("Agreed to meet in person in January", EntryKind.NOTE, ana)
    for text, owner in (
        ("Run 5 km", ana),
        ("Call the bank", ana),
        ("Fix the bike", ben),
        ("Read pages [3 to 10", ben),
    ):
        meeting.add_action(text, owner, date(2025, 12, 24))
    meeting.finish_session()

    meet(meeting, clock, datetime(2025, 12, 24, 18, 0, tzinfo=UTC), [ana, ben])
    meeting.add_entry("Christmas win", EntryKind.WIN, ben)
    meeting.set_aside_session()

    meet(meeting, clock, datetime(2025, 12, 31, 18, 0, tzinfo=UTC), [ana, ben])
    by_text = {a.text: a for owner in (ana, ben) for a in meeting.to_review(owner)}
    meeting.mark(by_text["Run 5 km"], ActionStatus.PARTLY, in_the_way="travel", carry=True)
    meeting.mark(by_text["Call the bank"], ActionStatus.NOT_DONE, in_the_way="bank [closed]")
    meeting.mark(by_text["Fix the bike"], ActionStatus.DROPPED)
    meeting.mark(by_text["Read pages [3 to 10"], ActionStatus.DONE)
    meeting.add_entry("fixed [/b] bug", EntryKind.WIN, ben)
    meeting.finish_session()

    meet(meeting, clock, datetime(2026, 1, 7, 18, 0, tzinfo=UTC), [ana])
    meeting.mark(meeting.to_review(ana)[0], ActionStatus.DONE)  # the carried run
    meeting.add_action("Swim 1 km", ana, date(2026, 1, 14))
    meeting.finish_session()

    meet(meeting, clock, datetime(2026, 1, 14, 18, 0, tzinfo=UTC), [ana, ben])
    meeting.add_entry("Booked the pool", EntryKind.WIN, ana)
    meeting.finish_session()
    clock.now = START


def rows_of(app: FacilitatorApp) -> list[str]:
    rows = app.screen.query_one("#history-list", RowList)
    return [str(rows.get_option_at_index(i).prompt).strip() for i in range(rows.option_count)]


def shown_text(app: FacilitatorApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def read(pilot: Pilot[None]) -> None:
    """Let the screen's reads on their thread finish and be drawn."""
    for _ in range(10):
        workers = [w for w in pilot.app.workers if w.group == "history" and not w.is_finished]
        if not workers:
            break
        for worker in workers:
            await worker.wait()
        await pilot.pause()
    await pilot.pause()


def spy_on_years(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    asked: list[list[int]] = []
    original = Repository.read_history

    def spy(
        self: Repository, years: Iterable[int]
    ) -> tuple[list[Session], list[Entry], list[Action]]:
        asked.append(list(years))
        return original(self, asked[-1])

    monkeypatch.setattr(Repository, "read_history", spy)
    return asked


async def test_history_reads_the_newest_year_first_then_older_ones_going_down(
    new_app: AppMaker, data_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_past(data_path, clock)
    # A page is two sessions here, and the next year is read from the last row.
    monkeypatch.setattr(history_screen, "PAGE", 2)
    monkeypatch.setattr(history_screen, "NEAR_THE_END", 0)
    asked = spy_on_years(monkeypatch)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(HistoryScreen(app.meeting))
        await read(pilot)
        assert asked == [[2026]]
        assert rows_of(app) == ["▸ Wed 14 Jan  Ana, Ben", "Wed 7 Jan   Ana"]
        assert "2 sessions · 2026 · 2 older years: go down to read on" in shown_text(
            app, "#history-status"
        )
        detail = shown_text(app, "#history-detail")
        assert "Wed 14 Jan · Ana and Ben" in detail and "Booked the pool" in detail

        await pilot.press("down")
        await read(pilot)
        assert asked == [[2026], [2025]]
        rows = rows_of(app)
        assert rows[2:] == [
            "Wed 31 Dec 2025  Ana, Ben",
            "Wed 24 Dec 2025  Ana, Ben  ⊘ set aside",
            "Wed 17 Dec 2025  Ana, Ben",
        ]
        # Wed 7 Jan: Ana alone; the run carried from New Year's Eve done; a swim still open.
        detail = shown_text(app, "#history-detail")
        assert (
            "Ana\n  Last time's actions, as reviewed\n    ▸ Run 5 km  ✓ done on Wed 7 Jan" in detail
        )
        assert "▸ Swim 1 km  ○ open, ! overdue since Wed 14 Jan" in detail

        await pilot.press("down", "down", "down")
        await read(pilot)
        assert asked == [[2026], [2025], [2024]]
        assert "all of the history" in shown_text(app, "#history-status")
        detail = shown_text(app, "#history-detail")
        # 17 December: every entry, and what became of each action agreed.
        for expected in (
            "Wed 17 Dec 2025 · Ana and Ben",
            "✦ Wins\n    ▸ Ran 10 km 🎉",
            "Obstacles, ideas and help asked for\n    ▸ Obstacle: No time in the mornings",
            "Notes\n    ▸ Agreed to meet in person in January",
            "▸ Plan 2025  ✓ done on Wed 17 Dec 2025",
            "▸ Run 5 km  ~ partly done on Wed 31 Dec 2025, carried forward\n"
            "      in the way: travel",
            "▸ Call the bank  ✗ not done on Wed 31 Dec 2025\n      in the way: bank [closed]",
            "Help asked: Ask a neighbour [3",
            "▸ Fix the bike  ⊘ dropped on Wed 31 Dec 2025",
            "▸ Read pages [3 to 10  ✓ done on Wed 31 Dec 2025",
        ):
            assert expected in detail
        await pilot.press("up")
        assert "set aside unfinished, kept as it stood" in shown_text(app, "#history-detail")
        assert "Christmas win" in shown_text(app, "#history-detail")
        await pilot.press("escape")
        assert not isinstance(app.screen, HistoryScreen)


async def test_history_search_and_partner_filter(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    build_past(data_path, clock)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(HistoryScreen(app.meeting))
        await read(pilot)
        assert len(rows_of(app)) == 6  # a short history: all of it fills less than a page
        await pilot.press("slash")
        box = app.screen.query_one("#history-search Input", Input)
        assert app.screen.focused is box
        # In an action's "what got in the way", any case: the session that reviewed it, and
        # the one that agreed it (its fate is part of that session's story).
        box.value = "BANK ["
        await read(pilot)
        assert rows_of(app) == ["▸ Wed 31 Dec 2025  Ana, Ben", "Wed 17 Dec 2025  Ana, Ben"]
        assert "2 sessions found" in shown_text(app, "#history-status")
        assert "in the way: bank [closed]" in shown_text(app, "#history-detail")
        await pilot.press("escape", "p")  # out of the box; then the partner filter
        assert "Partner: Ana" in shown_text(app, "#history-partner")
        await pilot.press("p")  # Ben: his part of the session doesn't mention the bank
        assert rows_of(app) == []
        assert "No session matches." in shown_text(app, "#history-detail")
        box.value = ""
        await pilot.pause()
        assert len(rows_of(app)) == 5  # every session Ben was at or had a part in
        detail = shown_text(app, "#history-detail")
        assert "Ben" in detail and "Ana\n" not in detail and "Booked the pool" not in detail


async def test_history_answers_while_a_year_is_still_being_read(
    new_app: AppMaker, data_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_past(data_path, clock)
    release = threading.Event()
    original = Repository.read_history

    def slow(
        self: Repository, years: Iterable[int]
    ) -> tuple[list[Session], list[Entry], list[Action]]:
        release.wait(5)
        return original(self, years)

    monkeypatch.setattr(Repository, "read_history", slow)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(HistoryScreen(app.meeting))
        await pilot.pause()
        assert "Reading the history…" in shown_text(app, "#history-status")
        await pilot.press("p")  # keys work meanwhile
        assert "Partner: Ana" in shown_text(app, "#history-partner")
        release.set()
        await read(pilot)
        assert rows_of(app)[0] == "▸ Wed 14 Jan       Ana, Ben"  # lined up with 2025's

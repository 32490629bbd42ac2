"""Pilot tests of shaping the agenda (with learned timeboxes), and of the check-in and
discussion panels in a session."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ZONE, AppMaker, settle, stored
from textual.pilot import Pilot
from textual.widgets import Input, Static

from facilitator.domain.actions import EntryKind
from facilitator.domain.agenda import PhaseKind, default_agenda, phase
from facilitator.domain.agreement import Agreement, PartnerTerms, UpdateStyle
from facilitator.domain.partnership import Cadence, Partner, Partnership
from facilitator.domain.session import Session
from facilitator.store.repository import Repository
from facilitator.ui.app import FacilitatorApp
from facilitator.ui.screens import session as session_screen
from facilitator.ui.screens.agenda import AddPhaseDialog, AgendaScreen
from facilitator.ui.screens.confirm import ConfirmScreen
from facilitator.ui.screens.one_line import OneLineDialog
from facilitator.ui.screens.session import SessionScreen
from facilitator.ui.widgets.checkin_panel import CheckInPanel
from facilitator.ui.widgets.discussion_panel import DiscussionPanel
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.rows import RowList

SIZE = (100, 32)


def set_up(data_path: Path, agreement: Agreement | None = None) -> Partnership:
    partnership = Partnership(
        name="Tuesday check-in",
        partners=(Partner("Ana", "ana"), Partner("Ben", "ben")),
        cadence=Cadence.WEEKLY,
        session_minutes=30,
        created_on=date(2026, 9, 7),
        time_zone=ZONE,
        last_session_on=date(2026, 11, 16),
        agreement=agreement or Agreement(),
    )
    Repository.open(data_path).put(partnership)
    return partnership


async def open_agenda(pilot: Pilot[None]) -> AgendaScreen:
    app = pilot.app
    assert isinstance(app, FacilitatorApp)
    app.push_screen(AgendaScreen(app.meeting))
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, AgendaScreen)
    return screen


def kinds(screen: AgendaScreen) -> list[PhaseKind]:
    return [p.kind for p in screen._plans]


async def test_add_a_check_in_reorder_and_change_minutes(
    new_app: AppMaker, data_path: Path
) -> None:
    set_up(data_path)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agenda(pilot)
        plans = screen.query_one("#plans", RowList)
        # The standard agenda, scaled to 30 minutes, until the pair shapes their own.
        assert plans.row_ids == ["review", "obstacles", "actions", "wrapup"]
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, AddPhaseDialog)
        await pilot.press("enter")  # the first choice: a check-in
        await pilot.pause()
        assert kinds(screen)[0] is PhaseKind.CHECKIN, "a check-in goes first"
        await pilot.press("r")  # the new phase is highlighted: rename it
        await pilot.pause()
        app.screen.query_one("#name Input", Input).value = "Arrive [b]and 🙂"
        await pilot.press("enter")
        await pilot.pause()
        assert "Arrive [b]and" in str(plans.get_option_at_index(0).prompt)
        # Obstacles before review.
        plans.highlight("obstacles")
        await pilot.press("shift+up")
        await pilot.pause()
        assert kinds(screen)[1:3] == [PhaseKind.OBSTACLES, PhaseKind.REVIEW]
        # A zero timebox is explained in the box; fifteen minutes is fine.
        plans.highlight("review")
        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OneLineDialog)
        dialog.query_one("#minutes Input", Input).value = "0"
        await pilot.press("enter")
        await pilot.pause()
        error = str(dialog.query_one("#minutes", Field).query_one(".field--error", Static).render())
        assert "A timebox of 0 minutes leaves no time" in error
        dialog.query_one("#minutes Input", Input).value = "15"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        total = str(screen.query_one("#total", Static).render())
        assert "Total 35 min of a 30-minute session: 5 min longer" in total
        assert "not saved yet" in total
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "not saved yet" not in str(screen.query_one("#total", Static).render())

    state = stored(data_path).read()
    assert state.partnership is not None
    agenda = state.partnership.agreement.agenda
    assert agenda[0].title == "Arrive [b]and 🙂"
    assert [(p.kind, p.minutes, p.per_partner) for p in agenda] == [
        (PhaseKind.CHECKIN, 2, False),
        (PhaseKind.OBSTACLES, 8, True),
        (PhaseKind.REVIEW, 15, True),
        (PhaseKind.ACTIONS, 8, True),
        (PhaseKind.WRAPUP, 2, False),
    ]
    [version] = state.agreements
    assert version.changes == "Changed the agenda."


async def test_leaving_an_agenda_changed_and_not_saved_asks_first(
    new_app: AppMaker, data_path: Path
) -> None:
    set_up(data_path)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agenda(pilot)
        screen.query_one("#plans", RowList).highlight("obstacles")
        await pilot.press("shift+up")  # a change, not saved
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Leave without saving the agenda?" in str(app.screen.query_one(".question").render())
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert app.screen is screen and kinds(screen)[0] is PhaseKind.OBSTACLES
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # "Leave without saving" has focus
        await pilot.pause()
        assert not isinstance(app.screen, (AgendaScreen, ConfirmScreen))
        await settle(pilot)
    partnership = stored(data_path).read().partnership
    assert partnership is not None and partnership.agreement.agenda == ()


def finished_session(partnership: Partnership, week: int, review_turn_minutes: float) -> Session:
    """A finished session with the standard agenda, each partner's review turn taking
    `review_turn_minutes`."""
    start = datetime(2026, 9, 14, 18, tzinfo=UTC) + timedelta(weeks=week)
    session = Session.begin(
        partnership, ["ana", "ben"], start, agenda=default_agenda(partnership.session_minutes)
    )
    spent = tuple(
        review_turn_minutes * 60 if turn.phase.key == "review" else turn.phase.seconds / 2
        for turn in session.turns
    )
    timer = replace(session.timer, elapsed=spent, running_since=None)
    return replace(session, timer=timer, finished_at=start + timedelta(hours=1))


async def test_a_learned_timebox_is_offered_and_a_core_phase_removed_only_after_a_yes(
    new_app: AppMaker, data_path: Path
) -> None:
    partnership = set_up(data_path)
    repo = Repository.open(data_path)
    # Reviews took about 20 minutes (10 each) in the last sessions, once 45; 12 are planned.
    for week, minutes in enumerate([10, 11, 22.5, 10, 9.5]):
        repo.put(finished_session(partnership, week, minutes))
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agenda(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        learned = str(screen.query_one("#learned", Static).render())
        assert "Review and celebrate ran over its 12 min in 5 of your last 5 sessions" in learned
        assert "it usually takes 20 min" in learned
        plans = screen.query_one("#plans", RowList)
        plans.highlight("review")
        await pilot.press("l")
        await pilot.pause()
        assert screen._plans[0].minutes == 20
        assert not screen.query_one("#learned", Static).display, "nothing left to suggest"
        # Removing a core phase asks first.
        plans.highlight("actions")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep it
        await pilot.pause()
        assert PhaseKind.ACTIONS in kinds(screen)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")  # "Remove it" has focus
        await pilot.pause()
        assert PhaseKind.ACTIONS not in kinds(screen)
        # The wrap-up stays: it is where a session is finished.
        plans.highlight("wrapup")
        await pilot.press("x")
        await pilot.pause()
        message = screen.query_one("#agenda-message", Static)
        assert "Keep a wrap-up" in str(message.render())
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert stored(data_path).read().partnership is not None
    agenda = stored(data_path).read().partnership.agreement.agenda  # type: ignore[union-attr]
    assert [(p.kind, p.minutes) for p in agenda] == [
        (PhaseKind.REVIEW, 20),
        (PhaseKind.OBSTACLES, 8),
        (PhaseKind.WRAPUP, 2),
    ]


@pytest.fixture
def with_panels(monkeypatch: pytest.MonkeyPatch) -> None:
    panels = dict(session_screen.PANELS)
    panels[PhaseKind.CHECKIN] = CheckInPanel
    panels[PhaseKind.DISCUSSION] = DiscussionPanel
    monkeypatch.setattr(session_screen, "PANELS", panels)


async def test_check_in_then_notes_in_a_discussion(
    new_app: AppMaker, data_path: Path, with_panels: None
) -> None:
    agreement = Agreement(
        terms=(PartnerTerms("ana", UpdateStyle.WRITTEN, feedback="fixed [/b] bug: be direct"),)
    )
    partnership = set_up(data_path, agreement)
    agenda = [
        phase(PhaseKind.CHECKIN, 1),
        phase(PhaseKind.DISCUSSION, 5),
        phase(PhaseKind.WRAPUP, 2),
    ]
    session = Session.begin(
        partnership, ["ana", "ben"], datetime(2026, 11, 23, 8, 55, tzinfo=UTC), agenda=agenda
    )
    Repository.open(data_path).put(session)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # resume the session
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        checkin = screen.query_one(CheckInPanel)
        said = str(checkin.query_one("#checkin-confidentiality", Static).render())
        assert said == "What is said here stays between us."
        partners = str(checkin.query_one("#checkin-partners", Static).render())
        assert "Ana likes feedback: fixed [/b] bug: be direct" in partners
        assert "updates a written update beforehand" in partners
        assert "Ben: no feedback preference written yet" in partners
        assert str(checkin.current_item()) == "What is said here stays between us."
        assert "→ moves on" in str(checkin.query_one("#checkin-skip", Static).render())
        await pilot.press("right")  # skip on
        await pilot.pause()
        panel = screen.query_one(DiscussionPanel)
        assert screen.focused is panel.query_one("#note-entry", Field).input
        panel.query_one("#note-entry Input", Input).value = "Read pages [3 to 10"
        await pilot.press("enter")
        await pilot.pause()
        [note] = app.meeting.state.entries_for("", EntryKind.NOTE)
        assert note.text == "Read pages [3 to 10"
        assert "Read pages [3 to 10" in str(panel.current_item())
        await pilot.press("escape", "x")  # out of the box; remove the note
        await pilot.pause()
        assert app.meeting.state.entries_for("", EntryKind.NOTE) == []
        await pilot.press("u")
        await settle(pilot)
    entries = stored(data_path).read().entries
    assert [e.text for e in entries.values()] == ["Read pages [3 to 10"]

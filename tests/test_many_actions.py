"""A partner who never closes actions: the app opens and works with very many open actions.

Functional checks only (timings are for benchmarks/bench_actions.py): home shows five actions
per partner and counts the rest; a review turn lists the first PAGE and counts the rest, going
down past them shows the next PAGE; marking one redraws that row alone; a large file opens to
home; the store's quick reading of well-formed records accepts and refuses exactly what the
checked reading does; and an unchanged main file is not read again for every save.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import START, ZONE, AppMaker, met_before, settle
from test_store_validation import CASES
from textual.app import App, ComposeResult
from textual.content import Content
from textual.pilot import Pilot

from facilitator.domain.actions import Action, ActionStatus, EntryKind
from facilitator.domain.agenda import PhaseKind
from facilitator.domain.changes import Outcome
from facilitator.domain.clock import FakeClock
from facilitator.domain.partnership import Cadence
from facilitator.meeting import Meeting
from facilitator.store import converters
from facilitator.store import repository as repository_module
from facilitator.store.converters import BadRecord
from facilitator.store.repository import Repository
from facilitator.store.storage import AtomicJSONStorage
from facilitator.ui.screens.home import HomeScreen, PartnerCard
from facilitator.ui.screens.session import SessionScreen
from facilitator.ui.widgets.rows import PAGE, RowList

SIZE = (100, 32)
EARLIER = "an-earlier-session"


def with_open_actions(path: Path, clock: FakeClock, count: int) -> list[Action]:
    """Ana and Ben, who met last week, with `count` open actions from earlier sessions (half
    each), all added in one change as the app stores them."""
    repository = Repository.open(path, time_zone=lambda: ZONE)
    meeting = Meeting(repository, clock)
    meeting.create_partnership("Pair", ["Ana", "Ben"], Cadence.WEEKLY, 30, ZONE)
    met_before(repository)
    partners = repository.read().partnership.partners  # type: ignore[union-attr]
    rng = random.Random(count)
    actions = [
        Action(
            text=f"Action {number}: call [b]Sam[/b] about the venue [3",
            owner_id=partners[number % 2].id,
            due_on=START.date() + timedelta(days=rng.randint(-200, 30)),
            created_in=EARLIER,
            created_at=START - timedelta(days=8, minutes=count - number),
        )
        for number in range(count)
    ]
    repository.update(lambda state: Outcome(state.with_actions(actions)))
    return actions


async def into_the_review(pilot: Pilot[None]) -> None:
    """From home: start a session with everyone here, past the check-in if there is one."""
    app = pilot.app
    await pilot.press("s")
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, SessionScreen)
    if app.screen.meeting.turn.phase.kind is PhaseKind.CHECKIN:
        await pilot.press("right")
        await pilot.pause()


def text_of(content: object) -> str:
    return content.plain if isinstance(content, Content) else str(content)


# The app with a thousand open actions ------------------------------------------------------------


async def test_a_thousand_open_actions_on_home_and_in_review(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    with_open_actions(data_path, clock, 1000)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        cards = list(app.screen.query(PartnerCard))
        assert len(cards) == 2
        for card in cards:
            assert "'s open actions (500)" in text_of(card.border_title)
            shown = text_of(card.content)
            assert shown.count("▸ ") == 5
            assert "… and 495 more" in shown

        await into_the_review(pilot)
        assert app.meeting.turn.phase.kind is PhaseKind.REVIEW
        rows = app.screen.query_one("#review-list", RowList)
        assert len(rows.row_ids) == 500
        assert rows.shown_count == PAGE and rows.option_count == PAGE + 1
        assert f"… and {500 - PAGE} more: go down to show the next {PAGE}" in text_of(
            rows.get_option_at_index(PAGE).prompt
        )
        assert app.screen.focused is rows and rows.highlighted == 0

        # Marking one redraws that row, and the pointer's move to the next: no other row.
        before = [rows.get_option_at_index(i).prompt for i in range(PAGE + 1)]
        first = rows.highlighted_id
        await pilot.press("d")
        await pilot.pause()
        after = [rows.get_option_at_index(i).prompt for i in range(PAGE + 1)]
        assert "✓ done" in text_of(after[0])
        assert rows.highlighted == 1 and text_of(after[1]).startswith("▸ ")
        assert [i for i in range(PAGE + 1) if after[i] is not before[i]] == [0, 1]

        # Down from the last row on show: the next PAGE, the cursor going on into them.
        rows.highlighted = PAGE - 1
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        assert rows.shown_count == 2 * PAGE and rows.option_count == 2 * PAGE + 1
        assert rows.highlighted == PAGE and rows.highlighted_id == rows.row_ids[PAGE]
        assert f"… and {500 - 2 * PAGE} more: go down to show" in text_of(
            rows.get_option_at_index(2 * PAGE).prompt
        )
        await pilot.press("d")
        await pilot.pause()
        assert "✓ done" in text_of(rows.get_option_at_index(PAGE).prompt)

        await settle(pilot)
        stored = Repository.open(data_path).read()
        marked = {a.id for a in stored.actions.values() if a.status is ActionStatus.DONE}
        assert marked == {first, rows.row_ids[PAGE]}


async def test_home_hidden_under_a_session_is_not_redrawn_for_each_change(
    new_app: AppMaker, data_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Home is redrawn when it shows again, not for every mark made in the session over it
    (Textual counts it as current there; with many open actions each redraw is costly)."""
    with_open_actions(data_path, clock, 10)
    redrawn: list[str] = []
    real = HomeScreen.refresh_view

    def counted(screen: HomeScreen) -> None:
        redrawn.append(type(screen.app.screen).__name__)
        real(screen)

    monkeypatch.setattr(HomeScreen, "refresh_view", counted)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await into_the_review(pilot)
        redrawn.clear()
        await pilot.press("d", "d", "w")
        await pilot.press(*"A win", "enter")
        await settle(pilot)
        assert redrawn == []
        await pilot.press("escape", "escape")  # out of the box; leave for home, if asked
        await pilot.pause()
        if not isinstance(app.screen, HomeScreen):
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert redrawn, "home is drawn as the meeting is now when it shows again"


async def test_a_large_file_opens_to_home(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    """20,000 open actions (a 7.6 MB file): home, five of each partner's, the rest counted."""
    with_open_actions(data_path, clock, 20_000)
    assert data_path.stat().st_size > 7_000_000
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        for card in app.screen.query(PartnerCard):
            assert "'s open actions (10000)" in text_of(card.border_title)
            assert "… and 9,995 more · p lists them all" in text_of(card.content)
            assert text_of(card.content).count("▸ ") == 5


# The list itself --------------------------------------------------------------------------------


class Lines(App[None]):
    def compose(self) -> ComposeResult:
        yield RowList(id="rows")


def counting(drawn: list[str]) -> Callable[[tuple[str, int]], Content]:
    def draw(key: tuple[str, int]) -> Content:
        drawn.append(key[0])
        return Content(f"{key[0]} v{key[1]}")

    return draw


async def test_fifty_thousand_rows_are_shown_a_page_at_a_time() -> None:
    app = Lines()
    async with app.run_test(size=(60, 20)) as pilot:
        rows = app.query_one(RowList)
        ids = [f"row{number}" for number in range(50_000)]
        drawn: list[str] = []
        draw = counting(drawn)
        rows.show_records([(row, (row, 1)) for row in ids], draw)
        await pilot.pause()
        assert rows.option_count == PAGE + 1 and len(drawn) == PAGE
        assert text_of(rows.get_option_at_index(PAGE).prompt) == (
            f"  … and {50_000 - PAGE:,} more: go down to show the next {PAGE}"
        )
        assert text_of(rows.get_option_at_index(0).prompt) == "▸ row0 v1"

        # The same rows again: nothing drawn. One changed: that one, in place.
        drawn.clear()
        rows.show_records([(row, (row, 1)) for row in ids], draw)
        assert drawn == []
        keys = [(row, 2 if row == "row7" else 1) for row in ids]
        rows.show_records(list(zip(ids, keys, strict=True)), draw)
        assert drawn == ["row7"]
        assert text_of(rows.get_option_at_index(7).prompt) == "  row7 v2"
        assert rows.option_count == PAGE + 1

        # A change to a row not on show draws nothing.
        drawn.clear()
        rows.show_records(
            [
                (row, (row, 3 if row == "row4000" else key[1]))
                for row, key in zip(ids, keys, strict=True)
            ],
            draw,
        )
        assert drawn == []

        # Highlighting a record further down (on the third page) shows up to its page.
        third_page = f"row{2 * PAGE + PAGE // 4}"
        rows.highlight(third_page)
        await pilot.pause()
        assert rows.shown_count == 3 * PAGE and rows.highlighted_id == third_page

        # Up from the top stays at the top, and shows no more.
        rows.highlighted = 0
        await pilot.pause()
        await pilot.press("up")
        await pilot.pause()
        assert rows.highlighted_id == "row0" and rows.shown_count == 3 * PAGE


async def test_a_short_list_has_no_count_row_and_keeps_its_highlight() -> None:
    app = Lines()
    async with app.run_test(size=(60, 20)) as pilot:
        rows = app.query_one(RowList)
        rows.show_rows([("a", Content("Alpha")), ("b", Content("Beta")), ("c", Content("Gamma"))])
        await pilot.pause()
        assert rows.option_count == 3 and rows.row_ids == ["a", "b", "c"]
        rows.highlight("c")
        await pilot.pause()
        assert text_of(rows.get_option_at_index(2).prompt) == "▸ Gamma"
        # A row added above: the highlight stays on its record.
        rows.show_rows(
            [
                ("z", Content("Zeta")),
                ("a", Content("Alpha")),
                ("b", Content("Beta")),
                ("c", Content("Gamma")),
            ]
        )
        await pilot.pause()
        assert rows.highlighted_id == "c" and rows.option_count == 4
        # The last row: down stays there (no wrapping round to the top); End and Home jump.
        await pilot.press("down", "down")
        await pilot.pause()
        assert rows.highlighted_id == "c"
        await pilot.press("home", "up")
        await pilot.pause()
        assert rows.highlighted_id == "z"
        rows.show_rows([])
        await pilot.pause()
        assert not rows.display and rows.highlighted_id is None


# Reading records: the quick way accepts and refuses exactly what the checked way does ----------


def action_doc(**changes: Any) -> dict[str, Any]:
    doc = converters.action_to_doc(
        Action(
            text="Call Sam [3",
            owner_id="ana",
            due_on=START.date(),
            created_in="s1",
            created_at=START,
            goal_id="g1",
        )
    )
    doc.update(changes)
    return doc


def entry_doc(**changes: Any) -> dict[str, Any]:
    doc = {
        "id": "e1",
        "session_id": "s1",
        "partner_id": "ana",
        "kind": "win",
        "text": "Shipped 🎉",
        "created_at": START.isoformat(),
    }
    doc.update(changes)
    return doc


class Text(str):
    """A str that isn't exactly a str: read the checked way, with the same result."""


WELL_FORMED = {
    "as written": action_doc(),
    "optional ones empty": action_doc(created_in=None, reviewed_in=None, goal_id=None),
    "defaults left out": {
        k: v
        for k, v in action_doc().items()
        if k not in ("status", "in_the_way", "confirmed", "reviewed_in", "carried_from")
    },
    "reviewed and carried": action_doc(
        status="partly", reviewed_in="s2", in_the_way="flu", carried_from="a0", confirmed=False
    ),
    "text subclass": action_doc(text=Text("Call Sam")),
    "basic ISO date": action_doc(due_on="20261130"),
    "other zone": action_doc(created_at="2026-11-23T09:00:00.5+05:30"),
}
MALFORMED = {
    "id empty": action_doc(id=" "),
    "id a number": action_doc(id=5),
    "text missing": {k: v for k, v in action_doc().items() if k != "text"},
    "text null": action_doc(text=None),
    "text too long": action_doc(text="x" * 100_001),
    "owner a list": action_doc(owner_id=["ana"]),
    "due on no day": action_doc(due_on="2026-02-30"),
    "due on a number": action_doc(due_on=20261130),
    "created at naive": action_doc(created_at="2026-11-23T09:00:00"),
    "created at a number": action_doc(created_at=1),
    "status unknown": action_doc(status="maybe"),
    "status null": action_doc(status=None),
    "status a list": action_doc(status=["open"]),
    "in the way null": action_doc(in_the_way=None),
    "confirmed 1": action_doc(confirmed=1),
    "created in a number": action_doc(created_in=5),
    "goal too long": action_doc(goal_id="g" * 100_001),
    "carried from true": action_doc(carried_from=True),
}


@pytest.mark.parametrize("name", list(WELL_FORMED))
def test_well_formed_actions_read_the_same_either_way(name: str) -> None:
    doc = WELL_FORMED[name]
    checked = converters._checked_action(doc)
    assert converters.action_from_doc(doc) == checked
    quick = converters._quick_action(doc)
    if quick is not None:  # a str subclass goes the checked way
        assert quick == checked
        assert vars(quick) == vars(checked)  # every field set, as __init__ sets them


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_actions_are_refused_with_the_checked_message(name: str) -> None:
    doc = MALFORMED[name]
    assert converters._quick_action(doc) is None
    with pytest.raises(BadRecord) as checked:
        converters._checked_action(doc)
    with pytest.raises(BadRecord) as public:
        converters.action_from_doc(doc)
    assert str(public.value) == str(checked.value)


@pytest.mark.parametrize(
    "changes",
    [
        {"id": ""},
        {"kind": "rant"},
        {"kind": None},
        {"text": 5},
        {"text": None},
        {"session_id": None},
        {"created_at": "yesterday"},
        {"created_at": "2026-11-23T09:00:00"},
    ],
    ids=repr,
)
def test_malformed_entries_are_refused_with_the_checked_message(changes: dict[str, Any]) -> None:
    doc = entry_doc(**changes)
    assert converters._quick_entry(doc) is None
    with pytest.raises(BadRecord) as checked:
        converters._checked_entry(doc)
    with pytest.raises(BadRecord) as public:
        converters.entry_from_doc(doc)
    assert str(public.value) == str(checked.value)


def test_a_well_formed_entry_reads_the_same_either_way() -> None:
    for kind in EntryKind:
        doc = entry_doc(kind=kind.value)
        quick = converters._quick_entry(doc)
        assert quick is not None and vars(quick) == vars(converters._checked_entry(doc))


@pytest.mark.parametrize(
    "name", [n for n, case in CASES.items() if case.table in ("actions", "entries")]
)
def test_the_store_validation_cases_are_refused_the_same_either_way(name: str) -> None:
    """Each spoilt action or entry of tests/test_store_validation.py: no quick record, and
    the public reading names the same problem as the checked one."""
    case = CASES[name]
    doc = action_doc() if case.table == "actions" else entry_doc()
    case.change(doc)
    readers: dict[str, tuple[Callable[[Any], object], ...]] = {
        "actions": (
            converters._quick_action,
            converters._checked_action,
            converters.action_from_doc,
        ),
        "entries": (converters._quick_entry, converters._checked_entry, converters.entry_from_doc),
    }
    quick, checked, read = readers[case.table]
    assert quick(doc) is None
    with pytest.raises(BadRecord) as public:
        read(doc)
    assert case.problem in str(public.value)
    with pytest.raises(BadRecord) as same:
        checked(doc)
    assert str(same.value) == str(public.value)


# An unchanged main file is not read again --------------------------------------------------------


def test_a_settled_file_is_not_read_again_until_it_changes(
    data_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_open_actions(data_path, clock, 50)
    # As if the file had last been changed a minute before it is read.
    later = time.time_ns() + 60 * 1_000_000_000
    monkeypatch.setattr(repository_module.time, "time_ns", lambda: later)
    reads: list[Path] = []
    real = AtomicJSONStorage.read_bytes

    def counted(storage: AtomicJSONStorage) -> bytes | None:
        reads.append(storage.path)
        return real(storage)

    monkeypatch.setattr(AtomicJSONStorage, "read_bytes", counted)
    ours = Repository.open(data_path)
    first = ours.read()
    reads.clear()
    assert ours.read() is first
    assert data_path not in reads  # the main file: its signature says it is as read

    # Another process replaces it (a new file, so a new inode): seen at once.
    other = Repository.open(data_path)
    action = next(iter(first.actions.values()))
    other.put(Action("Added elsewhere", action.owner_id, action.due_on, None, START))
    assert len(ours.read().actions) == 51

    # Written in place, longer: seen too.
    ours.read()
    data = json.loads(data_path.read_bytes())
    data["actions"][action.id]["text"] = "Changed in place, and longer than before"
    with open(data_path, "r+b") as handle:
        handle.write(json.dumps(data).encode())
        handle.truncate()
        os.fsync(handle.fileno())
    changed = ours.read().actions[action.id]
    assert changed.text == "Changed in place, and longer than before"


# Saving between sessions with a large main file --------------------------------------------------


def rename(meeting: Meeting, action: Action, text: str) -> None:
    meeting.edit_action(action, text, action.owner_id, action.due_on)


def test_between_sessions_a_large_main_file_takes_changes_in_the_overlay_then_folds_them(
    data_path: Path, clock: FakeClock
) -> None:
    """With a thousand open actions the main file is large: a change between sessions joins
    the session file instead of rewriting it, every reader sees it at once, and the changes
    are folded into the main file once they add up (or when a session finishes)."""
    actions = with_open_actions(data_path, clock, 1000)
    repository = Repository.open(data_path)
    assert data_path.stat().st_size > repository_module.OVERLAY_FROM_BYTES
    overlay = repository.session_path
    main_bytes = data_path.read_bytes()
    meeting = Meeting(repository, clock)
    ana, ben = (p.id for p in meeting.the_partnership.partners)

    first = actions[0]
    rename(meeting, first, "Call Sam [today] 🎉")
    assert meeting.unsaved == 0
    assert data_path.read_bytes() == main_bytes, "the main file is not rewritten"
    assert overlay.exists() and overlay.stat().st_mode & 0o777 == 0o600
    elsewhere = Repository.open(data_path).read()  # another process, reading afresh
    assert elsewhere.actions[first.id].text == "Call Sam [today] 🎉"
    assert elsewhere.session is None and len(elsewhere.actions) == 1000

    # Enough changes to pass the fold size: folded into the main file, the overlay gone.
    for number in range(400):
        rename(meeting, actions[number + 1], f"Rewritten {number} " + "·" * 150)
        if not overlay.exists():
            break
    assert not overlay.exists(), "the overlay is folded once it has grown"
    folded = json.loads(data_path.read_bytes())
    assert folded["actions"][first.id]["text"] == "Call Sam [today] 🎉"
    assert folded["actions"][actions[1].id]["text"].startswith("Rewritten 0 ")
    assert Repository.open(data_path).read().actions == repository.read().actions

    # A change left in the overlay joins the main file when the next session finishes.
    rename(meeting, actions[500], "Left in the overlay")
    assert overlay.exists()
    meeting.begin_session([ana, ben])
    meeting.finish_session()
    assert not overlay.exists()
    assert json.loads(data_path.read_bytes())["actions"][actions[500].id]["text"] == (
        "Left in the overlay"
    )
    assert Repository.open(data_path).read().actions[actions[500].id].text == (
        "Left in the overlay"
    )


def test_a_small_main_file_is_still_written_in_place_between_sessions(
    data_path: Path, clock: FakeClock
) -> None:
    actions = with_open_actions(data_path, clock, 10)
    repository = Repository.open(data_path)
    meeting = Meeting(repository, clock)
    rename(meeting, actions[0], "Changed")
    assert not repository.session_path.exists()
    assert json.loads(data_path.read_bytes())["actions"][actions[0].id]["text"] == "Changed"

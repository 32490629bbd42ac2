"""What is saved loads back equal: partnership, actions, entries, sessions with their timers."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from store_helpers import START, clock, partnership

from facilitator.domain.actions import (
    ActionStatus,
    EntryKind,
    mark,
    new_action,
    new_entry,
)
from facilitator.domain.clock import FakeClock
from facilitator.domain.partnership import Partnership
from facilitator.domain.session import Session
from facilitator.store.repository import DRAFT_ID, Repository


def running_session(p: Partnership, c: FakeClock) -> Session:
    """A session some way in: time spent, a minute added, on its second turn, clock running."""
    session = Session.begin(p, [p.partners[1].id, p.partners[0].id], c())
    c.advance(125.375)
    session.timer.extend()
    session.next_turn(c())
    c.advance(30.25)
    session.seen_at = c()
    return session


@pytest.mark.parametrize("running", [True, False], ids=["running", "paused"])
def test_everything_saved_loads_back_equal(tmp_path: Path, running: bool) -> None:
    c = clock()
    p = partnership()
    zoe, ravi = p.partners
    path = tmp_path / "data.json"
    repo = Repository.open(path)

    earlier = new_action("Old   thing", ravi.id, date(2026, 3, 1), None, START - timedelta(7))
    session = running_session(p, c)
    if not running:
        session.timer.pause(c())
    carried = mark(
        earlier,
        ActionStatus.PARTLY,
        session.id,
        in_the_way="Flu, then a deadline",
        carry_due_on=date(2026, 3, 9),
        now=c(),
    )
    assert carried is not None
    agreed = new_action("Draft the intro 李", zoe.id, date(2026, 3, 16), session.id, c())
    c.advance(1)
    win = new_entry("Shipped the beta", EntryKind.WIN, zoe.id, session.id, c())
    c.advance(1)
    idea = new_entry("Ask Sam — “maybe”", EntryKind.IDEA, ravi.id, session.id, c())

    repo.save(p, session, earlier, carried, agreed, win, idea)

    # A fresh repository, as a new run of the app would open it.
    live = Repository.open(path).load_live()
    assert live.partnership == p
    assert live.session == session
    assert live.session is not None
    assert live.session.timer.elapsed == session.timer.elapsed
    assert live.session.timer.elapsed[0] == 125.375
    assert live.session.timer.extra[0] == 60
    assert live.session.timer.current == 1
    assert live.session.timer.running_since == (
        START + timedelta(seconds=125.375) if running else None
    )
    assert live.session.seen_at == session.seen_at
    later = c.now + timedelta(minutes=3)
    assert live.session.reading(later) == session.reading(later)
    assert sorted(live.actions, key=lambda a: a.id) == sorted(
        [earlier, carried, agreed], key=lambda a: a.id
    )
    loaded_carried = next(a for a in live.actions if a.id == carried.id)
    assert loaded_carried.carried_from == earlier.id
    assert loaded_carried.confirmed is False
    assert live.entries == [win, idea]


def test_the_file_is_plain_json_keyed_by_the_apps_own_ids(tmp_path: Path) -> None:
    p = partnership()
    action = new_action("Call the bank", p.partners[0].id, date(2026, 3, 9), None, START)
    path = tmp_path / "data.json"
    Repository.open(path).save(p, action)

    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["meta"] == {"schema": {"version": 1}}
    assert list(raw["partnership"]) == [p.id]
    assert raw["actions"][action.id]["id"] == action.id
    assert raw["actions"][action.id]["due_on"] == "2026-03-09"
    assert "Zoë" in path.read_text(encoding="utf-8")  # stored as text, not \u escapes


def test_saving_again_updates_in_place(tmp_path: Path) -> None:
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)
    action = new_action("Call the bank", p.partners[0].id, date(2026, 3, 9), None, START)
    repo = Repository.open(tmp_path / "data.json")
    repo.save(p, session, action)

    mark(action, ActionStatus.DONE, session.id, now=START)
    session.timer.pause(START + timedelta(seconds=42))
    repo.save(action, session)

    live = repo.load_live()
    assert live.actions == [action]
    assert live.actions[0].status is ActionStatus.DONE
    assert live.session == session
    assert live.session is not None
    assert live.session.timer.running_since is None
    assert live.session.timer.elapsed[0] == 42.0


def test_one_partnership_per_file(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "data.json")
    first, second = partnership("A", "B"), partnership("C", "D")
    repo.save(first)
    repo.save(second)
    assert repo.load_live().partnership == second


def test_the_latest_session_and_only_its_entries_are_live(tmp_path: Path) -> None:
    p = partnership()
    repo = Repository.open(tmp_path / "data.json")
    old = Session.begin(p, [p.partners[0].id], START - timedelta(days=7))
    new = Session.begin(p, [p.partners[0].id], START)
    old_entry = new_entry("old win", EntryKind.WIN, p.partners[0].id, old.id, old.started_at)
    new_entry_ = new_entry("new win", EntryKind.WIN, p.partners[0].id, new.id, START)
    repo.save(p, new, old, new_entry_, old_entry)

    live = repo.load_live()
    assert live.session == new
    assert live.entries == [new_entry_]


def test_delete_removes_records(tmp_path: Path) -> None:
    p = partnership()
    path = tmp_path / "data.json"
    repo = Repository.open(path)
    session = Session.begin(p, [p.partners[0].id], START)
    keep = new_action("Keep me", p.partners[0].id, date(2026, 3, 9), None, START)
    drop = new_action("Drop me", p.partners[0].id, date(2026, 3, 9), None, START)
    entry = new_entry("a win", EntryKind.WIN, p.partners[0].id, session.id, START)
    repo.save(p, session, keep, drop, entry)

    repo.delete(drop, entry)
    live = Repository.open(path).load_live()
    assert live.actions == [keep]
    assert live.entries == []
    assert drop.id not in path.read_text(encoding="utf-8")

    repo.delete(session)
    repo.delete(drop)  # already gone: harmless
    live = Repository.open(path).load_live()
    assert live.session is None
    assert live.actions == [keep]
    assert live.partnership == p


def test_opening_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "data.json"
    repo = Repository.open(path)
    live = repo.load_live()
    assert (live.partnership, live.actions, live.session, live.entries) == (None, [], None, [])
    assert repo.load_draft() is None
    assert repo.finished_sessions() == []
    assert not (tmp_path / "not").exists()


def test_draft_is_saved_and_creating_the_partnership_clears_it(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    repo = Repository.open(path)
    draft = {"name": "Thursday crew", "partners": ["Zoë", "Ravi", ""], "minutes": "30"}
    repo.save_draft(draft)
    assert Repository.open(path).load_draft() == {**draft, "id": DRAFT_ID}

    p = partnership()
    repo.create_partnership(p)

    reopened = Repository.open(path)
    assert reopened.load_draft() is None
    assert reopened.load_live().partnership == p
    assert DRAFT_ID not in path.read_text(encoding="utf-8")


def test_a_later_draft_replaces_the_earlier_one(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "data.json")
    repo.save_draft({"name": "Thursday crew", "partners": ["Zoë", "Ravi", "Sam"]})
    repo.save_draft({"name": "Friday crew"})
    assert repo.load_draft() == {"name": "Friday crew", "id": DRAFT_ID}

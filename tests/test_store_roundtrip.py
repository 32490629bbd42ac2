"""What is stored reads back equal: partnership, actions, entries, the session with its timer,
drafts, the set-up form and the shared log; and each write touches only the files it must."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import pytest
from store_helpers import (
    ANA,
    BEN,
    DUE,
    START,
    clock,
    data_file,
    ids,
    new_meeting,
    open_repo,
    partnership,
    raw,
    set_up,
)

from facilitator.domain import changes as ch
from facilitator.domain.actions import (
    Action,
    ActionStatus,
    Entry,
    EntryKind,
    mark,
    new_action,
    new_entry,
)
from facilitator.domain.changes import Outcome
from facilitator.domain.clock import FakeClock
from facilitator.domain.partnership import Cadence, Partnership
from facilitator.domain.session import Session
from facilitator.domain.state import MeetingState, SetupDraft


def running_session(p: Partnership, c: FakeClock) -> Session:
    """A session some way in: time spent, a minute added, on its second turn, clock running."""
    session = Session.begin(p, [p.partners[1].id, p.partners[0].id], c())
    c.advance(125.375)
    session = session.with_timer(session.timer.extend()).next_turn(c())
    c.advance(30.25)
    return session.seen(c())


@pytest.mark.parametrize("running", [True, False], ids=["running", "paused"])
def test_everything_stored_reads_back_equal(tmp_path: Path, running: bool) -> None:
    c = clock()
    p = partnership(time_zone="Europe/London")
    zoe, ravi = p.partners
    path = data_file(tmp_path)
    repo = open_repo(path)

    earlier = new_action("Old   thing", ravi.id, date(2026, 3, 1), None, START - timedelta(7))
    session = running_session(p, c)
    if not running:
        session = session.with_timer(session.timer.pause(c()))
    marked, carried = mark(
        earlier,
        ActionStatus.PARTLY,
        session.id,
        in_the_way="Flu, then a deadline",
        carry_due_on=DUE,
        now=c(),
    )
    assert carried is not None
    agreed = new_action("Draft the intro 李", zoe.id, date(2026, 3, 16), session.id, c())
    c.advance(1)
    win = new_entry("Shipped the beta", EntryKind.WIN, zoe.id, session.id, c())
    c.advance(1)
    idea = new_entry("Ask Sam — “maybe”", EntryKind.IDEA, ravi.id, session.id, c())

    repo.put(p, session, marked, carried, agreed, win, idea)

    # A fresh repository, as a new run of the app would open it.
    state = open_repo(path).read()
    assert state.partnership == p
    assert state.session == session
    assert state.session is not None
    timer = state.session.timer
    assert timer == session.timer
    assert timer.elapsed[0] == 125.375
    assert timer.extra[0] == 60
    assert timer.current == 1
    assert timer.running_since == (START + timedelta(seconds=125.375) if running else None)
    assert state.session.seen_at == session.seen_at
    later = c.now + timedelta(minutes=3)
    assert state.session.reading(later) == session.reading(later)
    assert dict(state.actions) == {a.id: a for a in (marked, carried, agreed)}
    assert state.actions[carried.id].carried_from == earlier.id
    assert state.actions[carried.id].confirmed is False
    assert dict(state.entries) == {win.id: win, idea.id: idea}
    assert state.entries_for(ravi.id, EntryKind.IDEA) == [idea]


def test_the_files_are_plain_json_keyed_by_the_apps_own_ids(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo = open_repo(path)
    p = partnership()
    action = new_action("Call the bank", p.partners[0].id, DUE, None, START)
    repo.put(p, action)

    main = raw(path)
    assert main["meta"] == {"schema": {"version": 2}}
    assert list(main["partnership"]) == [p.id]
    assert main["partnership"][p.id]["time_zone"] == "UTC"
    assert main["actions"][action.id]["id"] == action.id
    assert main["actions"][action.id]["due_on"] == "2026-03-09"
    assert "Zoë" in path.read_text(encoding="utf-8")  # stored as text, not \u escapes
    assert not repo.session_path.exists()

    session = Session.begin(p, [p.partners[0].id], START)
    entry = new_entry("A win", EntryKind.WIN, p.partners[0].id, session.id, START)
    repo.put(session, entry)
    live = raw(repo.session_path)
    assert repo.session_path == path.with_name("facilitator.session.json")
    assert live["meta"] == {"schema": {"version": 2}}
    assert list(live["sessions"]) == [session.id]
    assert list(live["entries"]) == [entry.id]
    assert "sessions" not in raw(path) and "entries" not in raw(path)
    assert repo.files() == [path, repo.session_path]


def test_storing_again_updates_in_place(tmp_path: Path) -> None:
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)
    action = new_action("Call the bank", p.partners[0].id, DUE, None, START)
    repo = open_repo(data_file(tmp_path))
    repo.put(p, session, action)

    marked, _ = mark(action, ActionStatus.DONE, session.id, now=START)
    paused = session.with_timer(session.timer.pause(START + timedelta(seconds=42)))
    repo.put(marked, paused)

    state = open_repo(repo.path).read()
    assert dict(state.actions) == {action.id: marked}
    assert state.actions[action.id].status is ActionStatus.DONE
    assert state.session == paused
    assert state.session is not None
    assert state.session.timer.running_since is None
    assert state.session.timer.elapsed[0] == 42.0


def test_one_partnership_per_file(tmp_path: Path) -> None:
    repo = open_repo(data_file(tmp_path))
    first, second = partnership("A", "B"), partnership("C", "D")
    repo.put(first)
    repo.put(second)
    assert open_repo(repo.path).read().partnership == second
    assert list(raw(repo.path)["partnership"]) == [second.id]


def test_only_the_live_sessions_entries_are_shown(tmp_path: Path) -> None:
    p = partnership()
    repo = open_repo(data_file(tmp_path))
    session = Session.begin(p, [p.partners[0].id], START)
    mine = new_entry("this session", EntryKind.WIN, p.partners[0].id, session.id, START)
    stray = new_entry("another session", EntryKind.WIN, p.partners[0].id, "other", START)
    repo.put(p, session, mine, stray)

    state = open_repo(repo.path).read()
    assert state.session == session
    assert dict(state.entries) == {mine.id: mine}


def test_removing_records(tmp_path: Path) -> None:
    """Outside a session a removal rewrites the main file; during one, the session file records
    it (a record of the main file removed is a tombstone until the session is finished)."""
    path = data_file(tmp_path)
    repo, m, _c, p = set_up(path)
    zoe = p.partners[0]
    keep = new_action("Keep me", zoe.id, DUE, None, START)
    drop_now = new_action("Drop me now", zoe.id, DUE, None, START)
    drop_later = new_action("Drop me later", zoe.id, DUE, None, START)
    repo.put(keep, drop_now, drop_later)
    m.seen(repo.read())

    m.drop_new_action(m.state.actions[drop_now.id])
    assert drop_now.id not in raw(path)["actions"]
    assert ids(open_repo(path).read().actions.values()) == {keep.id, drop_later.id}

    m.begin_session([zoe.id])
    entry = m.add_entry("a win", EntryKind.WIN, zoe.id)
    m.drop_new_action(m.state.actions[drop_later.id])
    m.remove_entry(entry)
    removed = raw(repo.session_path)["removed"]
    assert [(r["table"], r["record"]) for r in removed.values()] == [("actions", drop_later.id)]
    assert drop_later.id in raw(path)["actions"]  # still in the main file
    state = open_repo(path).read()
    assert ids(state.actions.values()) == {keep.id}
    assert dict(state.entries) == {}

    m.restore_action(drop_later)  # undone: the tombstone goes
    assert raw(repo.session_path)["removed"] == {}
    m.drop_new_action(m.state.actions[drop_later.id])
    m.finish_session()
    assert drop_later.id not in raw(path)["actions"]
    assert ids(open_repo(path).read().actions.values()) == {keep.id}


def test_opening_a_missing_store_writes_no_data(tmp_path: Path) -> None:
    """Only the (private) folder for the lock is made; no data file until there is data."""
    path = tmp_path / "not" / "yet" / "facilitator.json"
    repo = open_repo(path)
    state = repo.read()
    assert state == MeetingState()
    assert repo.finished_sessions() == []
    assert repo.history_years() == []
    assert repo.files() == []
    assert sorted(p.name for p in path.parent.iterdir()) == ["facilitator.json.lock"]
    assert not repo.history_dir.exists()


def test_the_setup_draft_is_kept_and_creating_the_partnership_clears_it(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo = open_repo(path)
    m, _ = new_meeting(repo)
    draft = SetupDraft(name="Thursday crew", partners=("Zoë", "Ravi", ""), minutes="30")
    m.save_setup_draft(draft)
    assert open_repo(path).read().setup == draft
    later = SetupDraft(name="Friday crew")
    m.save_setup_draft(later)
    assert open_repo(path).read().setup == later

    m.create_partnership("Friday crew", ["Zoë", "Ravi"], Cadence.WEEKLY, 30, "UTC")

    state = open_repo(path).read()
    assert state.setup is None
    assert state.partnership is not None
    assert state.partnership.name == "Friday crew"
    assert "setup" not in {k for k, v in raw(path).items() if v}


def test_drafts_and_the_shared_log_read_back(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    _repo, m, _c, p = set_up(path)
    m.begin_session([p.partners[0].id])
    m.save_draft("obstacle-entry", p.partners[0].id, "half typed 李")
    entry = m.add_entry("whole", EntryKind.OBSTACLE, p.partners[0].id)

    state = open_repo(path).read()
    assert state.draft("obstacle-entry", p.partners[0].id) == "half typed 李"
    assert dict(state.drafts) == dict(m.state.drafts)
    assert state.log == m.state.log
    assert [n.text for n in state.log] == [
        "set up “Thursday crew”",
        "started the session",
        "added an obstacle: “whole”",
    ]
    assert state.log[-1].record == entry.id
    assert {n.client for n in state.log} == {ANA.client}


def test_a_lone_surrogate_is_stored_as_a_replacement_character(tmp_path: Path) -> None:
    """A terminal that sent bad bytes must not make the save fail."""
    path = data_file(tmp_path)
    repo = open_repo(path)
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)
    bad = Entry(session.id, p.partners[0].id, EntryKind.WIN, "bad \udcff byte", START)
    repo.put(p, session, bad)

    path_bytes = repo.session_path.read_bytes()
    path_bytes.decode("utf-8")  # the file is valid UTF-8
    text = open_repo(path).read().entries[bad.id].text
    assert text.startswith("bad ") and text.endswith(" byte")
    assert "\udcff" not in text


def test_reading_again_reuses_what_did_not_change(tmp_path: Path) -> None:
    """`read` parses only when the bytes changed, and unchanged records keep their identity,
    so a screen can tell what changed by identity alone."""
    path = data_file(tmp_path)
    repo = open_repo(path)
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)
    a, b = (new_action(t, p.partners[0].id, DUE, None, START) for t in ("A", "B"))
    repo.put(p, a, b, session)

    first = repo.read()
    assert repo.read() is first  # nothing changed: the same snapshot

    other = open_repo(path)  # another screen changes one action
    other.put(replace(a, text="A edited"))
    second = repo.read()
    assert second is not first
    assert second.actions[a.id].text == "A edited"
    assert second.actions[b.id] is first.actions[b.id]
    assert second.partnership is first.partnership
    assert second.session is first.session


def test_a_change_that_changes_nothing_writes_nothing(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo, _m, _, _p = set_up(path)
    before = os.stat(path)

    outcome = repo.update(partial(ch.SaveSetupDraft(at=START, draft=SetupDraft()).run, author=BEN))

    assert outcome.state is repo.read()
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_during_a_session_an_edit_rewrites_only_the_session_file(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo, m, _c, p = set_up(path)
    repo.put(*(new_action(f"open {i}", p.partners[0].id, DUE, None, START) for i in range(50)))
    m.seen(repo.read())
    m.begin_session([p.partners[0].id])
    main_before = os.stat(path)
    signature = repo.signature()

    m.add_entry("a win", EntryKind.WIN, p.partners[0].id)
    m.mark(m.state.actions[next(iter(m.state.actions))], ActionStatus.DONE)

    main_after = os.stat(path)
    assert (main_after.st_ino, main_after.st_mtime_ns) == (
        main_before.st_ino,
        main_before.st_mtime_ns,
    )
    assert repo.signature() != signature  # the session file was replaced
    assert len(raw(repo.session_path)["actions"]) == 1  # only the action changed


def test_update_returns_what_is_stored_after(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo, _m, _c, p = set_up(path)
    extra = new_action("from elsewhere", p.partners[1].id, DUE, None, START)
    open_repo(path).put(extra)  # another process, unseen by this repository so far

    def add(state: MeetingState) -> Outcome:
        return Outcome(state.with_actions([new_action("here", p.partners[0].id, DUE, None, START)]))

    outcome = repo.update(add)
    assert {a.text for a in outcome.state.actions.values()} == {"from elsewhere", "here"}
    assert outcome.state is repo.read()
    assert json.loads(path.read_bytes())["actions"].keys() == outcome.state.actions.keys()


def test_the_signature_changes_when_either_live_file_is_replaced(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo, m, _c, p = set_up(path)
    first = repo.signature()
    assert first[1] is None  # no session file yet
    m.begin_session([p.partners[0].id])
    second = repo.signature()
    assert second[0] == first[0] and second[1] is not None
    m.add_entry("x", EntryKind.IDEA, p.partners[0].id)
    third = repo.signature()
    assert third[0] == second[0] and third[1] != second[1]
    m.finish_session()
    assert repo.signature()[0] != third[0]
    assert repo.signature()[1] is None


def test_records_of_every_kind_round_trip_through_a_finish(tmp_path: Path) -> None:
    """What goes to history reads back equal to what was live."""
    path = data_file(tmp_path)
    repo, m, c, p = set_up(path)
    zoe, ravi = p.partners
    earlier = Action("Earlier", zoe.id, date(2026, 3, 1), None, START - timedelta(7))
    repo.put(earlier)
    m.seen(repo.read())
    m.begin_session([zoe.id, ravi.id])
    c.advance(10.5)
    m.mark(m.state.actions[earlier.id], ActionStatus.NOT_DONE, in_the_way="rain ☔")
    entries = [m.add_entry(f"{k.value} 李", k, ravi.id) for k in EntryKind]
    c.advance(100)
    m.add_minute()
    m.next_phase()
    live = repo.read()
    assert live.session is not None
    m.finish_session()

    sessions, stored_entries, actions = repo.read_history([2026])
    assert [s.id for s in sessions] == [live.session.id]
    assert sessions[0] == live.session.finish(c())
    assert sorted(stored_entries, key=lambda e: e.created_at) == entries
    assert actions == [live.actions[earlier.id]]
    assert actions[0].in_the_way == "rain ☔"


def test_tinydb_runs_on_the_storage(tmp_path: Path) -> None:
    """The storage keeps TinyDB's interface without subclassing it (which would import TinyDB
    at every start): TinyDB's tables and queries work on it, through its atomic, private
    writes, and what they write is plain JSON the store reads."""
    from tinydb import Query, TinyDB

    from facilitator.store.storage import AtomicJSONStorage

    path = tmp_path / "data" / "facilitator.json"
    path.parent.mkdir(mode=0o700)
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        db.table("notes").insert_multiple([{"text": "[3 to 10"}, {"text": "Paid [50%]"}])
        found = db.table("notes").search(Query().text.search(r"\[50%\]"))
    assert [doc["text"] for doc in found] == ["Paid [50%]"]
    assert json.loads(path.read_text())["notes"]["1"] == {"text": "[3 to 10"}
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]

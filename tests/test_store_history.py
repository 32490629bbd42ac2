"""Finishing a session moves it to a history file per year, so the live file stays small."""

from __future__ import annotations

import json
import signal
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from store_helpers import START, clock, partnership, run_child

from facilitator.domain.actions import Action, ActionStatus, EntryKind, mark, new_action, new_entry
from facilitator.domain.clock import local_date
from facilitator.domain.partnership import Partnership
from facilitator.domain.session import Session
from facilitator.store import converters
from facilitator.store.repository import Repository


def history_docs(repo: Repository, year: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(repo.history_path(year).read_bytes())
    return data


def ids(records: list[Any]) -> set[str]:
    return {r.id for r in records}


def meeting(repo: Repository, p: Partnership) -> dict[str, Any]:
    """One session: one earlier action done, one partly done and carried, one left open,
    one new action and two entries; saved, but not finished."""
    zoe, ravi = p.partners
    before = START - timedelta(days=7)
    done = new_action("Done one", zoe.id, date(2026, 3, 1), None, before)
    partly = new_action("Partly one", ravi.id, date(2026, 3, 1), None, before)
    untouched = new_action("Not reviewed", ravi.id, date(2026, 4, 1), None, before)
    repo.save(p, done, partly, untouched)

    c = clock()
    session = Session.begin(p, [zoe.id, ravi.id], c())
    mark(done, ActionStatus.DONE, session.id, now=c())
    carried = mark(partly, ActionStatus.PARTLY, session.id, carry_due_on=date(2026, 3, 9), now=c())
    assert carried is not None
    agreed = new_action("New one", zoe.id, date(2026, 3, 9), session.id, c())
    c.advance(60)
    win = new_entry("A win", EntryKind.WIN, zoe.id, session.id, c())
    c.advance(60)
    help_ = new_entry("Need intro", EntryKind.HELP, ravi.id, session.id, c())
    c.advance(600)
    repo.save(session, done, partly, carried, agreed, win, help_)
    session.finish(c())
    p.last_session_on = local_date(session.started_at)
    return {
        "session": session,
        "closed": [done, partly],
        "open": [untouched, carried, agreed],
        "entries": [win, help_],
    }


def test_finishing_moves_the_session_entries_and_closed_actions(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    repo = Repository.open(path)
    p = partnership()
    m = meeting(repo, p)
    session: Session = m["session"]

    repo.finish_session(session, p)

    live = Repository.open(path).load_live()
    assert live.session is None
    assert live.entries == []
    assert ids(live.actions) == ids(m["open"])
    assert all(a.is_open for a in live.actions)
    assert live.partnership == p
    assert live.partnership is not None
    assert live.partnership.last_session_on == date(2026, 3, 2)
    raw_live = json.loads(path.read_bytes())
    assert raw_live.get("sessions", {}) == {}
    assert raw_live.get("entries", {}) == {}

    history = history_docs(repo, 2026)
    assert list(history["sessions"]) == [session.id]
    assert converters.session_from_doc(history["sessions"][session.id]) == session
    assert (
        sorted(
            (converters.entry_from_doc(d) for d in history["entries"].values()),
            key=lambda e: e.created_at,
        )
        == m["entries"]
    )
    history_actions = [converters.action_from_doc(d) for d in history["actions"].values()]
    assert sorted(history_actions, key=lambda a: a.id) == sorted(m["closed"], key=lambda a: a.id)
    assert [a.status for a in sorted(history_actions, key=lambda a: a.text)] == [
        ActionStatus.DONE,
        ActionStatus.PARTLY,
    ]

    assert repo.finished_sessions() == [session]


def test_finishing_twice_is_harmless(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "data.json")
    p = partnership()
    m = meeting(repo, p)
    repo.finish_session(m["session"], p)
    live_before = repo.load_live()
    history_before = history_docs(repo, 2026)

    repo.finish_session(m["session"], p)

    assert history_docs(repo, 2026) == history_before
    assert len(history_before["sessions"]) == 1
    assert len(history_before["entries"]) == 2
    assert len(history_before["actions"]) == 2
    assert repo.load_live() == live_before
    assert repo.finished_sessions() == [m["session"]]


def test_entries_of_another_session_stay_live(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "data.json")
    p = partnership()
    m = meeting(repo, p)
    later = Session.begin(p, [p.partners[0].id], START + timedelta(hours=2))
    later_entry = new_entry("Later", EntryKind.IDEA, p.partners[0].id, later.id, later.started_at)
    repo.save(later, later_entry)

    repo.finish_session(m["session"], p)

    live = repo.load_live()
    assert live.session == later
    assert live.entries == [later_entry]


FINISH_AND_DIE_BEFORE_THE_LIVE_WRITE = """
    import os, signal, sys
    from datetime import timedelta
    from pathlib import Path
    from facilitator.store.repository import Repository

    repo = Repository.open(Path(sys.argv[1]))
    live = repo.load_live()
    real_replace = os.replace
    replaced = []

    def replace(source, target):
        if replaced:  # the history file is in place; die before the live file is
            os.kill(os.getpid(), signal.SIGKILL)
        replaced.append(target)
        real_replace(source, target)

    os.replace = replace
    live.session.finish(live.session.started_at + timedelta(minutes=30))
    live.partnership.last_session_on = live.session.started_at.date()
    repo.finish_session(live.session, live.partnership)
    print("still alive")
"""


def test_a_crash_between_history_and_live_write_is_mended_by_finishing_again(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data.json"
    repo = Repository.open(path)
    p = partnership()
    m = meeting(repo, p)
    session: Session = m["session"]
    live_before = path.read_bytes()

    result = run_child(FINISH_AND_DIE_BEFORE_THE_LIVE_WRITE, str(path))
    assert result.returncode == -signal.SIGKILL, result.stderr

    # The session is in both files now: history written, live untouched.
    assert path.read_bytes() == live_before
    assert list(history_docs(repo, 2026)["sessions"]) == [session.id]
    assert repo.load_live().session is not None

    repo.finish_session(session, p)

    live = repo.load_live()
    assert live.session is None
    assert live.entries == []
    assert ids(live.actions) == ids(m["open"])
    history = history_docs(repo, 2026)
    assert list(history["sessions"]) == [session.id]
    assert len(history["entries"]) == 2
    assert ids([converters.action_from_doc(d) for d in history["actions"].values()]) == ids(
        m["closed"]
    )
    assert [s.id for s in repo.finished_sessions()] == [session.id]


def test_the_live_file_stays_small_after_many_sessions(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    repo = Repository.open(path)
    c = clock()
    p = partnership()
    zoe, ravi = p.partners
    repo.save(p)
    previous: list[Action] = []
    sizes: list[int] = []
    finished: list[Session] = []

    for week in range(60):
        session = Session.begin(p, [zoe.id, ravi.id], c())
        for action in previous:
            mark(action, ActionStatus.DONE, session.id, now=c())
        agreed = [
            new_action(f"Week {week} task {n} " + "x" * 60, zoe.id, c().date(), session.id, c())
            for n in range(3)
        ]
        entries = [
            new_entry(f"Week {week} win " + "y" * 100, EntryKind.WIN, ravi.id, session.id, c())
        ]
        repo.save(session, *previous, *agreed, *entries)
        c.advance(1800)
        session.finish(c())
        p.last_session_on = c().date()
        repo.finish_session(session, p)
        finished.append(session)
        sizes.append(path.stat().st_size)
        previous = agreed
        c.advance(days=7)

    assert sizes[-1] < 10_000
    assert sizes[-1] <= sizes[0] * 1.1
    live = repo.load_live()
    assert ids(live.actions) == ids(previous)
    assert live.partnership == p

    # Sixty weeks from March 2026 run into 2027: one history file per year.
    assert sorted(f.name for f in repo.history_dir.iterdir()) == ["2026.json", "2027.json"]
    history = [history_docs(repo, year) for year in (2026, 2027)]
    assert sum(len(h["sessions"]) for h in history) == 60
    assert sum(len(h["actions"]) for h in history) == 59 * 3  # the last three are still open
    assert sum(len(h["entries"]) for h in history) == 60
    assert [s.id for s in repo.finished_sessions()] == [s.id for s in finished]

"""Finishing a session moves it to a history file per year, so the live files stay small."""

from __future__ import annotations

import os
import signal
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from store_helpers import (
    ANA,
    BEN,
    START,
    data_file,
    everything,
    ids,
    live_meeting,
    new_meeting,
    open_repo,
    raw,
    run_child,
    set_up,
    temp_files,
)

from facilitator.domain import changes as ch
from facilitator.domain.actions import Action, ActionStatus, EntryKind
from facilitator.domain.session import Session
from facilitator.domain.state import LOG_LENGTH
from facilitator.store import converters
from facilitator.store.repository import Repository


def test_finishing_moves_the_session_entries_and_closed_actions(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    lm = live_meeting(path)
    live = lm.repo.read()
    assert live.session is not None

    lm.meeting.finish_session()

    repo = open_repo(path)
    state = repo.read()
    assert state.session is None
    assert dict(state.entries) == {}
    assert set(state.actions) == set(lm.open)
    assert all(a.is_open for a in state.actions.values())
    assert state.partnership is not None
    assert state.partnership.last_session_on == date(2026, 3, 2)
    assert not repo.session_path.exists()
    main = raw(path)
    assert "sessions" not in main and "entries" not in main
    assert set(main["actions"]) == set(lm.open)

    history = raw(repo.history_path(2026))
    assert list(history["sessions"]) == [lm.session.id]
    finished = converters.session_from_doc(history["sessions"][lm.session.id])
    assert finished == live.session.finish(lm.clock())
    assert set(history["entries"]) == set(lm.entries)
    assert [converters.entry_from_doc(d) for d in history["entries"].values()] == [
        live.entries[i] for i in history["entries"]
    ]
    closed = {k: converters.action_from_doc(d) for k, d in history["actions"].items()}
    assert closed == {i: live.actions[i] for i in lm.closed}
    assert sorted(a.status for a in closed.values()) == [ActionStatus.DONE, ActionStatus.PARTLY]

    assert [s.id for s in repo.finished_sessions()] == [lm.session.id]
    assert repo.history_years() == [2026]
    assert repo.files() == [path, repo.history_path(2026)]


def test_finishing_twice_is_harmless(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    lm = live_meeting(path)
    other, _ = new_meeting(lm.repo, author=BEN)  # another screen on the same meeting
    lm.meeting.finish_session()
    files = {f: f.read_bytes() for f in lm.repo.files()}

    outcome = lm.repo.update(
        partial(ch.FinishSession(at=lm.clock(), session_id=lm.session.id).run, author=BEN)
    )
    other.finish_session()

    assert outcome.notices == ("The session had already been finished on another screen.",)
    assert {f: f.read_bytes() for f in lm.repo.files()} == files
    assert [s.id for s in lm.repo.finished_sessions()] == [lm.session.id]
    assert other.state.session is None


def test_the_next_session_goes_to_the_same_years_history(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    lm = live_meeting(path)
    m, c, p = lm.meeting, lm.clock, lm.partnership
    m.finish_session()
    c.advance(days=7)
    second = m.begin_session([p.partners[0].id])
    later = m.add_entry("Later", EntryKind.IDEA, p.partners[0].id)

    state = open_repo(path).read()
    assert state.session is not None and state.session.id == second.id
    assert dict(state.entries) == {later.id: later}
    m.finish_session()

    sessions, entries, actions = lm.repo.read_history([2026])
    assert [s.id for s in sessions] == [lm.session.id, second.id]
    assert ids(entries) == {*lm.entries, later.id}
    assert ids(actions) == set(lm.closed)


FINISH_AND_DIE_BEFORE_THE_MAIN_WRITE = """
    import os, signal, sys
    from pathlib import Path
    from store_helpers import new_meeting, open_repo

    repo = open_repo(Path(sys.argv[1]))
    m, c = new_meeting(repo)
    c.advance(1800)
    real_replace = os.replace
    replaced = []

    def replace(source, target):
        if len(replaced) == 2:  # session file and history are in place; die before the main
            os.kill(os.getpid(), signal.SIGKILL)
        replaced.append(target)
        real_replace(source, target)

    os.replace = replace
    m.finish_session()
    print("still alive")
"""


@pytest.mark.parametrize("completed_by", ["read", "update", "open", "another-repository"])
def test_a_finish_killed_half_way_is_completed_by_whoever_comes_next(
    tmp_path: Path, completed_by: str
) -> None:
    path = data_file(tmp_path)
    lm = live_meeting(path)
    main_before = path.read_bytes()
    watching = open_repo(path)
    watching.read()

    result = run_child(FINISH_AND_DIE_BEFORE_THE_MAIN_WRITE, str(path))
    assert result.returncode == -signal.SIGKILL, result.stderr

    # The finished session is in the session file and in history; the main file is untouched.
    assert path.read_bytes() == main_before
    assert raw(lm.repo.session_path)["sessions"][lm.session.id]["finished_at"] is not None
    assert list(raw(lm.repo.history_path(2026))["sessions"]) == [lm.session.id]

    if completed_by == "read":
        state = lm.repo.read()
    elif completed_by == "update":
        state = lm.repo.update(
            partial(ch.SaveDraft(at=START, box="win", partner_id="x", text="hi").run, author=ANA)
        ).state
        assert state.draft("win", "x") == "hi"
    elif completed_by == "open":
        state = open_repo(path).read()
    else:
        state = watching.read()
    assert state.session is None
    assert not lm.repo.session_path.exists()

    found = everything(open_repo(path))
    assert found.live_session is None
    assert [s.id for s in found.history_sessions] == [lm.session.id]
    assert found.live_action_ids == set(lm.open)
    assert found.history_action_ids == set(lm.closed)
    assert found.history_entry_ids == set(lm.entries)
    assert found.live_entry_ids == set()
    assert temp_files(tmp_path) == []


@pytest.mark.parametrize(
    ("started", "zone", "year"),
    [
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "Pacific/Auckland", 2027),
        (datetime(2027, 1, 1, 3, 0, tzinfo=UTC), "America/New_York", 2026),
        (datetime(2027, 1, 1, 3, 0, tzinfo=UTC), "UTC", 2027),
    ],
)
def test_the_history_year_is_the_partnerships_own(
    tmp_path: Path, started: datetime, zone: str, year: int
) -> None:
    path = data_file(tmp_path)
    repo, m, c, p = set_up(path, time_zone=zone)
    c.now = started
    session = m.begin_session([p.partners[0].id])
    m.add_entry("new year", EntryKind.WIN, p.partners[0].id)
    c.advance(1800)
    m.finish_session()

    assert repo.history_years() == [year]
    assert [s.id for s in repo.read_history([year])[0]] == [session.id]
    assert repo.read_history([2026 if year == 2027 else 2027]) == ([], [], [])


def test_only_the_years_asked_for_are_read(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo, m, c, p = set_up(path)
    for started in (datetime(2025, 6, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)):
        c.now = started
        m.begin_session([p.partners[0].id])
        m.add_entry(f"in {started.year}", EntryKind.WIN, p.partners[0].id)
        m.finish_session()
    # A broken file for a year nobody asks for does not get in the way.
    repo.history_path(2024).write_bytes(b"{ broken")

    assert repo.history_years() == [2024, 2025, 2026]
    sessions, entries, _ = repo.read_history([2026])
    assert [e.text for e in entries] == ["in 2026"]
    assert len(sessions) == 1
    assert [e.text for e in repo.read_history([2025, 2026, 2030])[1]] == ["in 2025", "in 2026"]


def test_the_live_files_stay_small_after_many_sessions(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo, m, c, p = set_up(path)
    zoe, ravi = p.partners
    sizes: list[int] = []
    finished: list[Session] = []
    previous: list[Action] = []

    for week in range(45):
        session = m.begin_session([zoe.id, ravi.id])
        for action in previous:
            m.mark(m.state.actions[action.id], ActionStatus.DONE)
        previous = [
            m.add_action(f"Week {week} task {n} " + "x" * 60, zoe.id, c().date() + timedelta(7))
            for n in range(3)
        ]
        m.add_entry(f"Week {week} win " + "y" * 100, EntryKind.WIN, ravi.id)
        c.advance(1800)
        m.finish_session()
        finished.append(session)
        sizes.append(path.stat().st_size)
        c.advance(days=7)

    # The shared log keeps its last lines only; the main file does not grow with the years.
    assert sizes[-1] < 40_000
    assert max(sizes[20:]) <= sizes[19] * 1.1
    state = open_repo(path).read()
    assert set(state.actions) == ids(previous)
    assert state.partnership is not None
    assert state.partnership.last_session_on == finished[-1].started_at.date()

    # Forty-five weeks from March 2026 run into 2027: one history file per year.
    assert sorted(f.name for f in repo.history_dir.iterdir()) == ["2026.json", "2027.json"]
    history = [raw(repo.history_path(year)) for year in (2026, 2027)]
    assert sum(len(h["sessions"]) for h in history) == 45
    assert sum(len(h["actions"]) for h in history) == 44 * 3  # the last three are still open
    assert sum(len(h["entries"]) for h in history) == 45
    assert [s.id for s in repo.finished_sessions()] == [s.id for s in finished]


def test_the_shared_log_keeps_the_sessions_lines_after_it_finishes(tmp_path: Path) -> None:
    """Who changed what in the session stays in the log once it is finished (a screen that
    edits one of those records next is told who changed it last), newest LOG_LENGTH kept."""
    path = data_file(tmp_path)
    lm = live_meeting(path)
    during = [n.text for n in lm.repo.read().log]
    assert "started the session" in during
    lm.meeting.finish_session()
    after = open_repo(path).read().log
    assert [n.text for n in after][: len(during)] == during

    zoe = lm.partnership.partners[0]
    m, c = new_meeting(open_repo(path))
    for week in range(3):
        m.begin_session([p.id for p in lm.partnership.partners])
        for n in range(LOG_LENGTH // 2):
            m.add_entry(f"week {week} win {n}", EntryKind.WIN, zoe.id)
        c.advance(600)
        m.finish_session()
        c.advance(days=7)
    log = open_repo(path).read().log
    assert len(log) == LOG_LENGTH
    assert len(raw(path)["log"]) == LOG_LENGTH, "the file keeps no more than the log shows"
    assert log[-1].at == max(n.at for n in log)


def test_history_files_are_written_whole(tmp_path: Path) -> None:
    """A history file is replaced in one step like the others: no temp file is left, and the
    file already there keeps what it had."""
    path = data_file(tmp_path)
    lm = live_meeting(path)
    lm.meeting.finish_session()
    first = raw(lm.repo.history_path(2026))
    lm.clock.advance(days=7)
    lm.meeting.begin_session([lm.partnership.partners[0].id])
    lm.meeting.finish_session()
    second = raw(lm.repo.history_path(2026))
    assert set(first["sessions"]) < set(second["sessions"])
    assert first["entries"].items() <= second["entries"].items()
    assert first["actions"].items() <= second["actions"].items()
    assert temp_files(tmp_path) == []
    assert os.listdir(lm.repo.history_dir) == ["2026.json"]


def test_a_repository_without_history_says_so(tmp_path: Path) -> None:
    repo = Repository.open(data_file(tmp_path))
    assert repo.history_years() == []
    assert repo.finished_sessions() == []
    assert repo.read_history([2026]) == ([], [], [])
    assert repo.history_path(2026) == repo.history_dir / "2026.json"
    assert repo.history_dir == data_file(tmp_path).with_name("facilitator.history")

"""A process killed at any step of a save, a finish or an upgrade loses nothing acknowledged.

A real process makes the change with `os.replace`, `os.fsync` or `os.unlink` set to kill it
(SIGKILL) at its Nth call, for every N until the change completes without dying. After each
kill the store is opened here, as the next run of the app would, and checked: it opens, no
temp file is left, nothing stored before the change is lost, and nothing is in two places.

To keep this quick, each attempt is forked from a child that has imported facilitator once
(see `store_helpers.run_child`).
"""

from __future__ import annotations

import json
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from store_helpers import (
    FIXTURES,
    LiveMeeting,
    data_file,
    everything,
    live_meeting,
    new_meeting,
    open_repo,
    partnership,
    raw,
    run_child,
    start_child,
    temp_files,
)

from facilitator.store import storage
from facilitator.store.errors import StoreError
from facilitator.store.repository import Repository

ATTEMPT = """
    import os, signal, sys
    from pathlib import Path
    from store_helpers import new_meeting, open_repo
    from facilitator.domain.actions import EntryKind

    path, action, fatal, n = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    real, calls = getattr(os, fatal), [0]

    def deadly(*args, **kwargs):
        calls[0] += 1
        if calls[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    if action == "migrate":
        setattr(os, fatal, deadly)
        open_repo(path, "Europe/London")
        sys.exit(0)
    m, c = new_meeting(open_repo(path))
    c.advance(1800)
    setattr(os, fatal, deadly)
    if action == "finish":
        m.finish_session()
    elif action == "entry":
        m.add_entry("the new one", EntryKind.WIN, m.live.present[0])
    elif action == "begin":
        m.begin_session([m.the_partnership.partners[0].id])
    else:
        sys.exit(f"no such action {action}")
"""

MAX_STEPS = 30


def killed(path: Path, action: str, fatal: str, n: int) -> bool:
    """Make the change in a child set to die at the Nth call of os.`fatal`: True if it died,
    False if it completed."""
    result = run_child(ATTEMPT, str(path), action, fatal, str(n))
    assert result.returncode in (0, -signal.SIGKILL), result.stderr
    return result.returncode == -signal.SIGKILL


@dataclass
class Template:
    folder: Path
    lm: LiveMeeting


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """A session in progress (reviews, new actions, entries), made once and copied per step."""
    folder = tmp_path_factory.mktemp("live")
    lm = live_meeting(data_file(folder))
    return Template(folder, lm)


def copy_of(template: Path, into: Path) -> Path:
    shutil.copytree(template / "data", into / "data")
    return data_file(into)


def steps(make: Any, action: str, fatal: str, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """Each store left by a kill at the Nth call, for N = 1, 2, ... until one completes."""
    for n in range(1, MAX_STEPS):
        path = make(tmp_path / f"{fatal}-{n}")
        if not killed(path, action, fatal, n):
            return
        yield n, path
    raise AssertionError(f"{action} still dying after {MAX_STEPS} calls of os.{fatal}")


def assert_opens_whole(path: Path) -> Repository:
    repo = open_repo(path)  # opens without error, completing whatever was half done
    assert temp_files(path.parent) == []
    for file in repo.files():
        json.loads(file.read_bytes())
    return repo


@pytest.mark.parametrize(
    ("fatal", "least"),
    # Three files replaced (session, history, main), each fsynced with its folder; then the
    # session file removed.
    [("replace", 3), ("fsync", 6), ("unlink", 1)],
)
def test_a_finish_killed_at_any_step_loses_nothing(
    live: Template, tmp_path: Path, fatal: str, least: int
) -> None:
    lm = live.lm
    before = everything(lm.repo)
    session_id = lm.session.id
    kills = 0
    outcomes = set()
    for n, path in steps(lambda into: copy_of(live.folder, into), "finish", fatal, tmp_path):
        kills += 1
        repo = assert_opens_whole(path)
        found = everything(repo)

        # Nothing acknowledged is lost: every action and entry is still live, or in history,
        # and reads back the same.
        assert found.actions.keys() == before.actions.keys(), n
        assert found.entries == before.entries, n
        for action_id, action in found.actions.items():
            assert action.text == before.actions[action_id].text

        # Nothing is in two places: the session is live and unfinished, or only in history.
        history_ids = [s.id for s in found.history_sessions]
        assert found.live_action_ids.isdisjoint(found.history_action_ids), n
        assert found.live_entry_ids.isdisjoint(found.history_entry_ids), n
        if found.live_session is not None:
            assert found.live_session.id == session_id and not found.live_session.finished
            assert history_ids == []
            assert found.live_entry_ids == set(lm.entries)
            outcomes.add("still live")
            # ...and finishing it again here completes it.
            m, _c = new_meeting(repo)
            m.finish_session()
            found = everything(repo)
        else:
            outcomes.add("completed on opening")
        assert found.live_session is None
        assert history_ids in ([], [session_id])
        assert [s.id for s in found.history_sessions] == [session_id]
        assert found.live_action_ids == set(lm.open)
        assert found.history_action_ids == set(lm.closed)
        assert found.history_entry_ids == set(lm.entries)
        assert not repo.session_path.exists()
        assert temp_files(path.parent) == []

    assert kills >= least
    if fatal != "unlink":  # the session file's removal is the last step of all
        assert outcomes == {"still live", "completed on opening"}


@pytest.mark.parametrize(("fatal", "least"), [("replace", 1), ("fsync", 2)])
def test_adding_an_entry_killed_at_any_step_loses_nothing(
    live: Template, tmp_path: Path, fatal: str, least: int
) -> None:
    before = everything(live.lm.repo)
    kills = 0
    for n, path in steps(lambda into: copy_of(live.folder, into), "entry", fatal, tmp_path):
        kills += 1
        found = everything(assert_opens_whole(path))
        assert found.live_session is not None and found.live_session.id == live.lm.session.id
        assert found.actions == before.actions
        texts = sorted(e.text for e in found.entries.values())
        new = sorted([*(e.text for e in before.entries.values()), "the new one"])
        # Everything stored before is there; the change that was cut short is whole or absent.
        assert texts in (sorted(e.text for e in before.entries.values()), new), n
    assert kills >= least


@pytest.mark.parametrize(("fatal", "least"), [("replace", 1), ("fsync", 2)])
def test_beginning_a_session_killed_at_any_step_loses_nothing(
    tmp_path: Path, fatal: str, least: int
) -> None:
    def make(into: Path) -> Path:
        path = data_file(into)
        open_repo(path).put(partnership())
        return path

    kills = 0
    for n, path in steps(make, "begin", fatal, tmp_path):
        kills += 1
        repo = assert_opens_whole(path)
        state = repo.read()
        assert state.partnership is not None
        assert state.session is None or not state.session.finished
        assert (state.session is None) == (not repo.session_path.exists()), n
    assert kills >= least


def schema_1_store(into: Path) -> Path:
    path = into / "facilitator.json"
    into.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "schema1_session.json", path)
    return path


@pytest.mark.parametrize(("fatal", "least"), [("replace", 2), ("fsync", 4)])
def test_an_upgrade_killed_at_any_step_is_done_again_whole(
    tmp_path: Path, fatal: str, least: int
) -> None:
    reference = open_repo(schema_1_store(tmp_path / "reference"), "Europe/London").read()
    original = (FIXTURES / "schema1_session.json").read_bytes()
    kills = 0
    for n, path in steps(schema_1_store, "migrate", fatal, tmp_path):
        kills += 1
        repo = open_repo(path, "Europe/London")
        assert temp_files(path.parent) == []
        state = repo.read()
        assert state == reference, n
        assert path.with_name("facilitator.json.schema-1.bak").read_bytes() == original
        assert raw(path)["meta"]["schema"]["version"] == 2
    assert kills >= least


# Stale temp files --------------------------------------------------------------------------------


def test_stale_temp_files_are_removed_by_open(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    lm = live_meeting(path)
    lm.meeting.finish_session()
    folder, history = path.parent, lm.repo.history_dir
    ours = [
        folder / ".facilitator.json.k2j3h4.tmp",
        folder / ".facilitator.json.zz9.tmp",
        folder / ".facilitator.session.json.a1b2c3.tmp",
        history / ".2026.json.x8y9.tmp",
        history / ".2027.json.q1.tmp",
    ]
    others = [
        folder / ".notes.json.k2j3h4.tmp",  # another program's, or another store's
        folder / "facilitator.json.tmp",
        folder / "keep.tmp",
        history / "readme.txt",
    ]
    for leftover in ours + others:
        leftover.write_bytes(b'{"half": "writ')
    files = {f: f.read_bytes() for f in lm.repo.files()}

    repo = Repository.open(path)

    assert [p for p in ours if p.exists()] == []
    assert all(p.exists() for p in others)
    assert {f: f.read_bytes() for f in repo.files()} == files
    assert repo.read().partnership is not None


def test_temp_files_are_left_while_another_process_holds_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under the lock no writer is mid-write; without it, a temp file may be a live write."""
    path = data_file(tmp_path)
    open_repo(path).put(partnership())
    in_flight = path.parent / ".facilitator.json.w1r2.tmp"
    in_flight.write_bytes(b"being written")
    monkeypatch.setattr(storage, "LOCK_TIMEOUT_SECONDS", 0.2)
    holder = start_child(
        """
        import sys
        from pathlib import Path
        from facilitator.store.storage import lock_for

        with lock_for(Path(sys.argv[1])):
            print("held", flush=True)
            sys.stdin.readline()
        """,
        str(path),
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreError):
            Repository.open(path)
        assert in_flight.exists()
    finally:
        holder.communicate("\n", timeout=10)
    Repository.open(path)
    assert not in_flight.exists()


def test_a_killed_writers_entry_is_not_half_kept(tmp_path: Path) -> None:
    """The last step of a save is the rename: killed at it, the store is as before, exactly."""
    path = data_file(tmp_path)
    lm = live_meeting(path)
    files = {f: f.read_bytes() for f in lm.repo.files()}
    assert killed(path, "entry", "replace", 1)
    assert temp_files(path.parent)  # the killed writer's temp file, whole but never renamed
    assert {f: f.read_bytes() for f in lm.repo.files()} == files
    assert_opens_whole(path)
    assert {f: f.read_bytes() for f in lm.repo.files()} == files

"""A write that dies or fails part-way leaves the previous data whole and readable."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from store_helpers import (
    ANA,
    DUE,
    START,
    data_file,
    open_repo,
    partnership,
    raw,
    run_child,
    start_child,
    temp_files,
)

from facilitator.domain import changes as ch
from facilitator.domain.actions import Action, Entry, EntryKind, new_action, new_entry
from facilitator.domain.session import Session
from facilitator.store import storage
from facilitator.store.errors import StoreError

STORE_TWICE_AND_DIE = """
    import os, shutil, signal, sys
    from pathlib import Path
    from store_helpers import DUE, START, open_repo, partnership
    from facilitator.domain.actions import EntryKind, new_action, new_entry
    from facilitator.domain.session import Session

    path, copy, fatal, where = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    repo = open_repo(path)
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)
    if where == "session":
        repo.put(p, session)
        first = new_entry("first", EntryKind.WIN, p.partners[0].id, session.id, START)
        second = new_entry("second", EntryKind.WIN, p.partners[0].id, session.id, START)
        target = repo.session_path
    else:
        repo.put(p)
        first = new_action("first", p.partners[0].id, DUE, None, START)
        second = new_action("second", p.partners[0].id, DUE, None, START)
        target = path
    repo.put(first)
    shutil.copyfile(target, copy)

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    setattr(os, fatal, die)
    repo.put(second)
    print("still alive")
"""


def texts(path: Path) -> list[str]:
    state = open_repo(path).read()
    return sorted(
        [a.text for a in state.actions.values()] + [e.text for e in state.entries.values()]
    )


@pytest.mark.parametrize("where", ["main", "session"])
@pytest.mark.parametrize("fatal", ["replace", "fsync"])
def test_killed_mid_write_leaves_the_first_save(tmp_path: Path, fatal: str, where: str) -> None:
    path = data_file(tmp_path)
    copy = tmp_path / "after-first-save.bin"
    result = run_child(STORE_TWICE_AND_DIE, str(path), str(copy), fatal, where)

    assert result.returncode == -signal.SIGKILL, result.stderr
    assert "still alive" not in result.stdout
    target = path if where == "main" else path.with_name("facilitator.session.json")
    assert target.read_bytes() == copy.read_bytes()
    json.loads(target.read_bytes())
    # The dead writer's temp file is left behind, but it never stands in for the data...
    assert temp_files(tmp_path)
    assert texts(path) == ["first"]
    # ...and opening the store clears it away.
    assert temp_files(tmp_path) == []


def test_a_store_with_a_dead_writers_temp_file_still_saves(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    copy = tmp_path / "after-first-save.bin"
    run_child(STORE_TWICE_AND_DIE, str(path), str(copy), "replace", "main")
    left = temp_files(tmp_path)
    assert left  # the killed writer left its temp file

    repo = open_repo(path)
    assert temp_files(tmp_path) == []
    p = repo.read().partnership
    assert p is not None
    repo.put(new_action("third", p.partners[0].id, DUE, None, START))
    assert texts(path) == ["first", "third"]


STORE_FOREVER = """
    import sys
    from pathlib import Path
    from store_helpers import DUE, START, open_repo, partnership
    from facilitator.domain.actions import EntryKind, new_action, new_entry
    from facilitator.domain.session import Session

    repo = open_repo(Path(sys.argv[1]))
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)
    repo.put(p)
    repo.put(session)
    for i in range(100000):
        if i % 2:
            repo.put(new_entry(f"record {i}", EntryKind.WIN, p.partners[0].id, session.id, START))
        else:
            repo.put(new_action(f"record {i}", p.partners[0].id, DUE, session.id, START))
        print(i + 1, flush=True)
"""


def test_killed_at_an_arbitrary_moment_leaves_whole_files(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    child = start_child(STORE_FOREVER, str(path))
    saved = 0
    try:
        assert child.stdout is not None
        while saved < 25:
            line = child.stdout.readline()
            assert line, child.stderr.read() if child.stderr else "child ended"
            saved = int(line)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        # Every save the child finished before it died was reported on a line of its own.
        for line in child.stdout.read().split():
            saved = int(line)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
        for stream in (child.stdin, child.stdout, child.stderr):
            if stream is not None:
                stream.close()

    json.loads(path.read_bytes())
    json.loads(path.with_name("facilitator.session.json").read_bytes())
    found = set(texts(path))
    count = len(found)
    # Every save it reported is there; at most the one in flight also landed.
    assert saved <= count <= saved + 1
    assert found == {f"record {i}" for i in range(count)}
    assert temp_files(tmp_path) == []


@pytest.mark.parametrize("where", ["main", "session"])
@pytest.mark.parametrize(
    ("failing", "code", "words"),
    [
        ("replace", errno.ENOSPC, "the disk is full"),
        ("fsync", errno.ENOSPC, "the disk is full"),
        ("replace", errno.EDQUOT, "the disk is full"),
        ("replace", errno.EROFS, "could not be saved"),
        ("replace", errno.EIO, "could not be saved"),
        ("mkstemp", errno.ENOSPC, "the disk is full"),
    ],
)
def test_a_failed_write_changes_nothing_and_says_why(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failing: str,
    code: int,
    words: str,
    where: str,
) -> None:
    path = data_file(tmp_path)
    repo = open_repo(path)
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)
    repo.put(p)
    record: Callable[[str], Action | Entry]
    if where == "session":
        repo.put(session)
        target = repo.session_path
        record = partial(
            new_entry,
            kind=EntryKind.WIN,
            partner_id=p.partners[0].id,
            session_id=session.id,
            now=START,
        )
    else:
        target = path
        record = partial(
            new_action, owner_id=p.partners[0].id, due_on=DUE, session_id=None, now=START
        )
    repo.put(record("kept"))
    before = {f: f.read_bytes() for f in repo.files()}
    shown = repo.read()

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    with monkeypatch.context() as patched:
        if failing == "mkstemp":
            patched.setattr(tempfile, "mkstemp", fail)
        else:
            patched.setattr(os, failing, fail)
        with pytest.raises(StoreError) as caught:
            repo.put(record("lost"))

    message = str(caught.value)
    assert words in message
    assert caught.value.path == target
    assert str(target) in message
    assert "Nothing already saved was changed" in message
    assert {f: f.read_bytes() for f in repo.files()} == before
    assert temp_files(tmp_path) == []
    assert repo.read() == shown  # what this process holds is what is stored

    # Once the disk has room again, the next save works.
    repo.put(record("later"))
    assert texts(path) == ["kept", "later"]


def test_a_failed_first_write_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_file(tmp_path)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(StoreError, match="disk is full"):
        open_repo(path).put(partnership())
    assert not path.exists()
    assert temp_files(tmp_path) == []


def test_a_failed_session_start_leaves_no_session_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_file(tmp_path)
    repo = open_repo(path)
    p = partnership()
    repo.put(p)
    before = path.read_bytes()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    session = Session.begin(p, [p.partners[0].id], START)
    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", full)
        with pytest.raises(StoreError, match="disk is full"):
            repo.update(partial(ch.BeginSession(at=START, session=session).run, author=ANA))
    assert not repo.session_path.exists()
    assert path.read_bytes() == before
    assert repo.read().session is None
    assert temp_files(tmp_path) == []


def test_storage_write_error_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The StoreError carries the path and the problem separately, for the UI to show."""
    path = tmp_path / "data.json"

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(StoreError) as caught:
        storage.AtomicJSONStorage(path).write_file({"meta": {}})
    assert caught.value.path == path
    assert "disk is full" in caught.value.problem


@pytest.mark.parametrize(
    ("code", "times"), [(errno.EIO, 1), (errno.EINVAL, 1000)], ids=["eio-once", "einval-always"]
)
def test_a_folder_fsync_failing_after_the_rename_is_not_a_lost_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, times: int
) -> None:
    path = data_file(tmp_path)
    repo = open_repo(path)
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)
    repo.put(p)
    repo.put(session)
    real_fsync = os.fsync
    failures = [times]

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode) and failures[0] > 0:
            failures[0] -= 1
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    def extra() -> int:
        minutes: int = raw(repo.session_path)["sessions"][session.id]["timer"]["extra"][0]
        return minutes

    add_minute = partial(ch.AddMinute(at=START, session_id=session.id, turn=0).run, author=ANA)
    monkeypatch.setattr(os, "fsync", fsync)
    try:
        repo.update(add_minute)
    except StoreError as error:
        # Reported as not saved: then nothing may have changed...
        assert "Nothing already saved was changed" in str(error)
        assert extra() == 0, "reported as not saved, but it was"
        repo.update(add_minute)  # ...and the store thread tries it again
    assert extra() == 60

"""A write that dies or fails part-way leaves the previous data whole and readable."""

from __future__ import annotations

import errno
import json
import os
import signal
from datetime import date
from pathlib import Path

import pytest
from store_helpers import START, partnership, run_child, start_child, temp_files

from facilitator.domain.actions import new_action
from facilitator.store import storage
from facilitator.store.errors import StoreError
from facilitator.store.repository import Repository

SAVE_TWICE_AND_DIE = """
    import os, shutil, signal, sys
    from datetime import UTC, date, datetime
    from pathlib import Path
    from facilitator.domain.actions import new_action
    from facilitator.store.repository import Repository

    path, copy, fatal = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    now = datetime(2026, 3, 2, tzinfo=UTC)
    repo = Repository.open(path)
    repo.save(new_action("first", "owner", date(2026, 3, 9), None, now))
    shutil.copyfile(path, copy)

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    setattr(os, fatal, die)
    repo.save(new_action("second", "owner", date(2026, 3, 9), None, now))
    print("still alive")
"""


@pytest.mark.parametrize("fatal", ["replace", "fsync"])
def test_killed_mid_write_leaves_the_first_save(tmp_path: Path, fatal: str) -> None:
    path = tmp_path / "data.json"
    copy = tmp_path / "after-first-save.bin"
    result = run_child(SAVE_TWICE_AND_DIE, str(path), str(copy), fatal)

    assert result.returncode == -signal.SIGKILL, result.stderr
    assert "still alive" not in result.stdout
    assert path.read_bytes() == copy.read_bytes()
    json.loads(path.read_bytes())
    assert [a.text for a in Repository.open(path).load_live().actions] == ["first"]
    # The dead writer's temp file may be left behind, but it never stands in for the data.
    assert path.name not in [p.name for p in temp_files(tmp_path)]


def test_a_store_with_a_dead_writers_temp_file_still_saves(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    copy = tmp_path / "after-first-save.bin"
    run_child(SAVE_TWICE_AND_DIE, str(path), str(copy), "replace")
    assert temp_files(tmp_path)  # the killed writer left its temp file

    repo = Repository.open(path)
    repo.save(new_action("third", "owner", date(2026, 3, 9), None, START))
    assert sorted(a.text for a in repo.load_live().actions) == ["first", "third"]


SAVE_FOREVER = """
    import sys
    from datetime import UTC, date, datetime
    from pathlib import Path
    from facilitator.domain.actions import new_action
    from facilitator.store.repository import Repository

    repo = Repository.open(Path(sys.argv[1]))
    now = datetime(2026, 3, 2, tzinfo=UTC)
    for i in range(100000):
        repo.save(new_action(f"action {i}", "owner", date(2026, 3, 9), None, now))
        print(i + 1, flush=True)
"""


def test_killed_at_an_arbitrary_moment_leaves_a_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    child = start_child(SAVE_FOREVER, str(path))
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
    texts = {a.text for a in Repository.open(path).load_live().actions}
    count = len(texts)
    # Every save it reported is there; at most the one in flight also landed.
    assert saved <= count <= saved + 1
    assert texts == {f"action {i}" for i in range(count)}


@pytest.mark.parametrize(
    ("failing", "code", "words"),
    [
        ("replace", errno.ENOSPC, "the disk is full"),
        ("fsync", errno.ENOSPC, "the disk is full"),
        ("replace", errno.EDQUOT, "the disk is full"),
        ("replace", errno.EROFS, "permission to write it was denied"),
        ("replace", errno.EIO, "could not be saved"),
    ],
)
def test_a_failed_write_changes_nothing_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str, code: int, words: str
) -> None:
    path = tmp_path / "data.json"
    repo = Repository.open(path)
    p = partnership()
    repo.save(p, new_action("kept", p.partners[0].id, date(2026, 3, 9), None, START))
    before = path.read_bytes()

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    with monkeypatch.context() as patched:
        patched.setattr(os, failing, fail)
        with pytest.raises(StoreError) as caught:
            repo.save(new_action("lost", p.partners[0].id, date(2026, 3, 9), None, START))

    message = str(caught.value)
    assert words in message
    assert str(path) in message
    assert "Nothing already saved was changed" in message
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []

    # Once the disk has room again, the next save works.
    repo.save(new_action("later", p.partners[0].id, date(2026, 3, 9), None, START))
    assert sorted(a.text for a in repo.load_live().actions) == ["kept", "later"]


def test_a_failed_first_write_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.json"

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(StoreError, match="disk is full"):
        Repository.open(path).save(partnership())
    assert not path.exists()
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
        storage.AtomicJSONStorage(path).write({"meta": {}})
    assert caught.value.path == path
    assert "disk is full" in caught.value.problem

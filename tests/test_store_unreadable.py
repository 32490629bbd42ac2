"""A file the store can't use is reported, with what to do, and left exactly as it was."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from store_helpers import (
    ANA,
    DUE,
    START,
    data_file,
    live_meeting,
    open_repo,
    partnership,
    temp_files,
)

from facilitator.domain import changes as ch
from facilitator.domain.actions import EntryKind, new_action
from facilitator.domain.changes import Change
from facilitator.domain.session import Session
from facilitator.domain.state import SetupDraft
from facilitator.store.errors import StoreError
from facilitator.store.repository import Repository

HINTS = (
    "Restore it from a backup",
    "move it aside",
    "Upgrade facilitator",
    "Give a file path with --data",
)


def good_file(path: Path) -> dict[str, Any]:
    """A valid main file with a partnership and an action, as parsed JSON."""
    p = partnership()
    Repository(path).put(p, new_action("Call the bank", p.partners[0].id, DUE, None, START))
    data: dict[str, Any] = json.loads(path.read_bytes())
    for made in path.parent.iterdir():
        made.unlink()
    return data


def broken_record(table: str, change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    """A file valid in every way but one record, written pretty-printed as a person might."""

    def make(path: Path) -> None:
        data = good_file(path)
        change(next(iter(data[table].values())))
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    return make


def contents(data: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(data)

    return make


def directory(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("keep me", encoding="utf-8")


@dataclass
class Case:
    make: Callable[[Path], None]
    problem: str


CASES = {
    "garbage-bytes": Case(contents(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfegarbage"), "not a text file"),
    "half-written-json": Case(
        contents(b'{"meta":{"schema":{"version":2}},"actions":{"ab'), "not valid JSON (line 1"
    ),
    "deeply-nested-json": Case(contents(b"[" * 100_000 + b"]" * 100_000), "nested too deeply"),
    "json-list": Case(contents(b"[1, 2, 3]"), "not in the shape facilitator writes"),
    "table-is-list": Case(contents(b'{"actions": [1, 2]}'), "not in the shape"),
    "record-not-object": Case(contents(b'{"actions": {"x": 1}}'), "not in the shape"),
    "no-schema": Case(contents(b'{"actions": {}}'), "no schema version"),
    "newer-schema": Case(
        contents(b'{"meta":{"schema":{"version":99}}}'), "written by a newer facilitator"
    ),
    "schema-not-a-number": Case(
        contents(b'{"meta":{"schema":{"version":"1"}}}'), "is not a number"
    ),
    "schema-true": Case(contents(b'{"meta":{"schema":{"version":true}}}'), "is not a number"),
    "schema-zero": Case(contents(b'{"meta":{"schema":{"version":0}}}'), "not one facilitator"),
    "action-missing-due-on": Case(
        broken_record("actions", lambda doc: doc.pop("due_on")), "not in the shape"
    ),
    "action-due-on-not-a-date": Case(
        broken_record("actions", lambda doc: doc.update(due_on="next tuesday")),
        "not in the shape",
    ),
    "partnership-missing-id": Case(
        broken_record("partnership", lambda doc: doc.pop("id")), "not in the shape"
    ),
    "a-directory": Case(directory, "it is a directory"),
    "no-read-permission": Case(contents(b'{"meta":{"schema":{"version":2}}}'), "permission"),
}


def fingerprint(path: Path) -> object:
    """The file's bytes (read past any permission, real or simulated), or a folder's files."""
    if path.is_dir():
        return sorted((p.name, p.read_bytes()) for p in path.iterdir())
    original = os.stat(path).st_mode
    os.chmod(path, 0o600)
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            return b"".join(iter(lambda: os.read(fd, 1 << 16), b""))
        finally:
            os.close(fd)
    finally:
        os.chmod(path, original)


def deny_reading(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """No permission to read `path`: chmod, and the error itself simulated, since a process
    running as root may read any file."""
    os.chmod(path, 0o200)
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == path:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def make_case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = data_file(tmp_path)
    path.parent.mkdir()
    CASES[name].make(path)
    if name == "no-read-permission":
        deny_reading(monkeypatch, path)
    return path


def assert_reported(error: StoreError, path: Path, problem: str) -> None:
    message = str(error)
    assert error.path == path
    assert str(path) in message
    assert problem in message
    assert any(hint in message for hint in HINTS), message


def assert_nothing_written(path: Path) -> None:
    made = {p.name for p in path.parent.iterdir()} - {path.name, f"{path.name}.lock"}
    assert made == set()


@pytest.mark.parametrize("name", list(CASES))
def test_opening_reports_the_file_and_leaves_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    path = make_case(name, tmp_path, monkeypatch)
    before = fingerprint(path)

    with pytest.raises(StoreError) as caught:
        Repository.open(path)

    assert_reported(caught.value, path, CASES[name].problem)
    assert fingerprint(path) == before
    assert_nothing_written(path)


@pytest.mark.parametrize("name", list(CASES))
def test_storing_into_it_is_refused_and_leaves_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    path = make_case(name, tmp_path, monkeypatch)
    before = fingerprint(path)
    repo = Repository(path)
    p = partnership()

    with pytest.raises(StoreError) as caught:
        repo.put(p, new_action("New", p.partners[0].id, DUE, None, START))

    assert_reported(caught.value, path, CASES[name].problem)
    assert fingerprint(path) == before
    assert temp_files(tmp_path) == []
    assert_nothing_written(path)


@pytest.mark.parametrize("name", ["newer-schema", "garbage-bytes", "no-schema"])
def test_every_change_is_refused_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    path = make_case(name, tmp_path, monkeypatch)
    before = fingerprint(path)
    repo = Repository(path)
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)
    changes: list[Change] = [
        ch.SaveSetupDraft(at=START, draft=SetupDraft(name="x")),
        ch.CreatePartnership(at=START, partnership=p),
        ch.BeginSession(at=START, session=session),
        ch.FinishSession(at=START, session_id=session.id),
        ch.SaveDraft(at=START, box="win", partner_id=p.partners[0].id, text="x"),
    ]
    for change in changes:
        with pytest.raises(StoreError):
            repo.update(partial(change.run, author=ANA))
        with pytest.raises(StoreError):
            repo.read()
        assert fingerprint(path) == before
    assert_nothing_written(path)


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"], ids=["zero-bytes", "whitespace"])
def test_an_empty_file_is_a_new_store(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "facilitator.json"
    path.write_bytes(data)

    repo = open_repo(path)
    state = repo.read()
    assert (state.partnership, dict(state.actions), state.session, state.setup) == (
        None,
        {},
        None,
        None,
    )
    assert path.read_bytes() == data  # opening alone writes nothing

    p = partnership()
    repo.put(p)
    assert open_repo(path).read().partnership == p
    assert json.loads(path.read_bytes())["meta"] == {"schema": {"version": 2}}


def test_a_broken_session_file_is_reported_and_both_files_left(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    lm = live_meeting(path)
    lm.repo.session_path.write_bytes(b'{"meta":{"schema":{"version":2}},"sessions":{"x":')
    files = {f: f.read_bytes() for f in lm.repo.files()}

    with pytest.raises(StoreError) as caught:
        Repository.open(path)
    assert_reported(caught.value, lm.repo.session_path, "not valid JSON")
    with pytest.raises(StoreError):
        lm.meeting.add_entry("more", EntryKind.WIN, lm.partnership.partners[0].id)
    assert {f: f.read_bytes() for f in lm.repo.files()} == files


def test_a_session_file_of_an_older_schema_is_refused(tmp_path: Path) -> None:
    """Schema 1 had no session file: one claiming to be schema 1 was not written by us."""
    path = data_file(tmp_path)
    lm = live_meeting(path)
    data = json.loads(lm.repo.session_path.read_bytes())
    data["meta"]["schema"]["version"] = 1
    lm.repo.session_path.write_text(json.dumps(data), encoding="utf-8")
    files = {f: f.read_bytes() for f in lm.repo.files()}

    with pytest.raises(StoreError) as caught:
        Repository.open(path)
    assert caught.value.path == lm.repo.session_path
    assert "older facilitator" in str(caught.value)
    assert {f: f.read_bytes() for f in lm.repo.files()} == files


def test_a_broken_history_file_is_reported(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    lm = live_meeting(path)
    lm.meeting.finish_session()
    history = lm.repo.history_path(2026)
    history.write_bytes(b'{"meta":{"schema":{"version":2}},"sessions":{"x":{"id":"x"}}}')
    before = history.read_bytes()

    with pytest.raises(StoreError) as caught:
        lm.repo.finished_sessions()
    assert_reported(caught.value, history, "not in the shape")
    assert history.read_bytes() == before
    assert open_repo(path).read().partnership is not None  # the live files are still fine


def test_finishing_into_a_broken_history_file_is_refused_and_loses_nothing(
    tmp_path: Path,
) -> None:
    path = data_file(tmp_path)
    lm = live_meeting(path)
    lm.repo.history_dir.mkdir()
    history = lm.repo.history_path(2026)
    history.write_bytes(b"{ not json")
    files = {f: f.read_bytes() for f in lm.repo.files()}
    main_before = path.read_bytes()

    with pytest.raises(StoreError) as caught:
        lm.meeting.finish_session()
    assert_reported(caught.value, history, "not valid JSON")
    assert history.read_bytes() == b"{ not json"
    assert path.read_bytes() == main_before
    # The session is finished in the session file: the move to history waits for the file to
    # be mended, and nothing is lost meanwhile.
    assert set(files) == set(lm.repo.files())
    with pytest.raises(StoreError):
        Repository.open(path)

    history.unlink()
    state = open_repo(path).read()
    assert state.session is None
    assert [s.id for s in lm.repo.finished_sessions()] == [lm.session.id]
    assert set(state.actions) == set(lm.open)


def test_reading_a_folder_that_refuses_the_lock_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only folder: the lock can't be made. Simulated too, as root may write anywhere."""
    path = data_file(tmp_path)
    open_repo(path).put(partnership())
    path.with_name(path.name + ".lock").unlink()
    before = path.read_bytes()
    os.chmod(path.parent, 0o500)
    real_open = os.open

    def no_lock(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(file).endswith(".lock") and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_lock)
    try:
        for attempt in (
            lambda: Repository.open(path),
            lambda: Repository(path).put(partnership()),
        ):
            with pytest.raises(StoreError) as caught:
                attempt()
            message = str(caught.value)
            assert caught.value.path == path
            assert str(path) in message
            assert "you may not write in its folder" in message
            assert "--data PATH" in message
            assert "Errno" not in message
    finally:
        os.chmod(path.parent, 0o700)
    assert path.read_bytes() == before

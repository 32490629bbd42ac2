"""A file the store can't use is reported, with what to do, and left exactly as it was."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from store_helpers import START, partnership, temp_files

from facilitator.domain.actions import new_action
from facilitator.domain.session import Session
from facilitator.store.errors import StoreError
from facilitator.store.repository import Repository

HINTS = (
    "Restore it from a backup",
    "move it aside",
    "Upgrade facilitator",
    "Give a file path with --data",
)


def good_file(path: Path) -> dict[str, Any]:
    """A valid store with a partnership, an action and a session, as parsed JSON."""
    p = partnership()
    repo = Repository(path)
    repo.save(
        p,
        new_action("Call the bank", p.partners[0].id, date(2026, 3, 9), None, START),
        Session.begin(p, [p.partners[0].id], START),
    )
    data: dict[str, Any] = json.loads(path.read_bytes())
    path.unlink()
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
        contents(b'{"meta":{"schema":{"version":1}},"actions":{"ab'), "not valid JSON (line 1"
    ),
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
    "session-missing-timer": Case(
        broken_record("sessions", lambda doc: doc.pop("timer")), "not in the shape"
    ),
    "a-directory": Case(directory, "it is a directory"),
    "no-read-permission": Case(contents(b'{"meta":{"schema":{"version":1}}}'), "permission"),
}

RECORD_CASES = {
    "action-missing-due-on",
    "action-due-on-not-a-date",
    "partnership-missing-id",
    "session-missing-timer",
}


def fingerprint(path: Path) -> object:
    if path.is_dir():
        return sorted((p.name, p.read_bytes()) for p in path.iterdir())
    original = os.stat(path).st_mode
    os.chmod(path, 0o600)  # readable for the comparison even in the no-permission case
    try:
        return path.read_bytes()
    finally:
        os.chmod(path, original)


def make_case(name: str, tmp_path: Path) -> Path:
    if name == "no-read-permission" and os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = tmp_path / "data.json"
    CASES[name].make(path)
    if name == "no-read-permission":
        os.chmod(path, 0o200)
    return path


def assert_reported(error: StoreError, path: Path, problem: str) -> None:
    message = str(error)
    assert error.path == path
    assert str(path) in message
    assert problem in message
    assert any(hint in message for hint in HINTS), message


@pytest.mark.parametrize("name", list(CASES))
def test_opening_reports_the_file_and_leaves_it(tmp_path: Path, name: str) -> None:
    path = make_case(name, tmp_path)
    before = fingerprint(path)

    with pytest.raises(StoreError) as caught:
        Repository.open(path)

    assert_reported(caught.value, path, CASES[name].problem)
    assert fingerprint(path) == before
    assert not Repository(path).history_dir.exists()


@pytest.mark.parametrize("name", CASES)
def test_saving_into_it_is_refused_and_leaves_it(tmp_path: Path, name: str) -> None:
    path = make_case(name, tmp_path)
    before = fingerprint(path)
    repo = Repository(path)
    p = partnership()

    with pytest.raises(StoreError) as caught:
        repo.save(p, new_action("New", p.partners[0].id, date(2026, 3, 9), None, START))

    assert_reported(caught.value, path, CASES[name].problem)
    assert fingerprint(path) == before
    assert temp_files(tmp_path) == []


@pytest.mark.parametrize("name", ["newer-schema", "garbage-bytes", "no-schema"])
def test_other_writes_are_refused_too(tmp_path: Path, name: str) -> None:
    path = make_case(name, tmp_path)
    before = fingerprint(path)
    repo = Repository(path)
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)

    for write in (
        lambda: repo.save_draft({"name": "x"}),
        lambda: repo.create_partnership(p),
        lambda: repo.delete(session),
        lambda: repo.finish_session(session, p),
    ):
        with pytest.raises(StoreError):
            write()
        assert fingerprint(path) == before
    assert not repo.history_dir.exists()


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"], ids=["zero-bytes", "whitespace"])
def test_an_empty_file_is_a_new_store(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(data)

    repo = Repository.open(path)
    live = repo.load_live()
    assert (live.partnership, live.actions, live.session, live.entries) == (None, [], None, [])
    assert repo.load_draft() is None

    p = partnership()
    repo.save(p)
    assert Repository.open(path).load_live().partnership == p
    assert json.loads(path.read_bytes())["meta"] == {"schema": {"version": 1}}


def test_a_broken_history_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    repo = Repository.open(path)
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)
    repo.save(p, session)
    repo.finish_session(session, p)
    history = repo.history_path(2026)
    history.write_bytes(b'{"meta":{"schema":{"version":1}},"sessions":{"x":{"id":"x"}}}')
    before = history.read_bytes()

    with pytest.raises(StoreError) as caught:
        repo.finished_sessions()
    assert_reported(caught.value, history, "not in the shape")
    assert history.read_bytes() == before
    assert repo.load_live().partnership == p  # the live file is still fine


def test_finishing_with_a_broken_record_is_reported(tmp_path: Path) -> None:
    path = make_case("action-missing-due-on", tmp_path)
    before = fingerprint(path)
    repo = Repository(path)
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)

    with pytest.raises(StoreError) as caught:
        repo.finish_session(session, p)
    assert_reported(caught.value, path, "not in the shape")
    assert fingerprint(path) == before

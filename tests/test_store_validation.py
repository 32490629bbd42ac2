"""Every field of every stored record is checked: a record of the wrong shape (edited by hand,
written by another tool) is reported naming the file and the record, the program exits with
that message, and the file is left byte for byte."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from store_helpers import DUE, data_file, live_meeting, open_repo

from facilitator import cli
from facilitator.domain.actions import ActionStatus, EntryKind
from facilitator.domain.state import SetupDraft
from facilitator.store import converters
from facilitator.store.errors import LEFT_ALONE, StoreError
from facilitator.store.repository import Repository

Doc = dict[str, Any]


@dataclass(frozen=True)
class Bad:
    file: str
    """main, session or history"""
    table: str
    change: Callable[[Doc], None]
    problem: str


def setter(key: str, value: Any) -> Callable[[Doc], None]:
    return lambda doc: doc.__setitem__(key, value)


def timer(key: str, value: Any) -> Callable[[Doc], None]:
    return lambda doc: doc["timer"].__setitem__(key, value)


def partner(key: str, value: Any) -> Callable[[Doc], None]:
    return lambda doc: doc["partners"][0].__setitem__(key, value)


def without(key: str) -> Callable[[Doc], None]:
    return lambda doc: doc.pop(key)


NAIVE = "2026-03-02T18:00:00"

CASES = {
    # The main file: the partnership, open actions, drafts, the set-up form, the log.
    "action-text-is-a-number": Bad("main", "actions", setter("text", 5), "'text' is a number"),
    "action-without-due-date": Bad("main", "actions", without("due_on"), "no 'due_on'"),
    "action-due-on-no-such-day": Bad(
        "main", "actions", setter("due_on", "2026-02-30"), "is not a date"
    ),
    "action-status-unknown": Bad(
        "main", "actions", setter("status", "maybe"), "not one this version knows"
    ),
    "action-confirmed-is-text": Bad(
        "main", "actions", setter("confirmed", "yes"), "not true or false"
    ),
    "action-created-at-naive": Bad(
        "main", "actions", setter("created_at", NAIVE), "has no time zone"
    ),
    "action-text-too-long": Bad(
        "main", "actions", setter("text", "x" * 100_001), "100001 characters long"
    ),
    "partner-name-null": Bad("main", "partnership", partner("name", None), "'name' is empty"),
    "partner-id-empty": Bad("main", "partnership", partner("id", " "), "'id' is empty"),
    "partner-not-a-record": Bad(
        "main", "partnership", lambda d: d["partners"].__setitem__(0, "Zoë"), "not a record"
    ),
    "no-partners": Bad("main", "partnership", setter("partners", []), "has 0 items"),
    "minutes-as-text": Bad(
        "main", "partnership", setter("session_minutes", "30"), "not a whole number"
    ),
    "minutes-true": Bad("main", "partnership", setter("session_minutes", True), "true/false"),
    "minutes-zero": Bad("main", "partnership", setter("session_minutes", 0), "outside 1 to"),
    "cadence-unknown": Bad(
        "main", "partnership", setter("cadence", "daily"), "not one this version knows"
    ),
    "time-zone-a-number": Bad("main", "partnership", setter("time_zone", 1), "not text"),
    "draft-text-null": Bad("main", "drafts", setter("text", None), "'text' is empty"),
    "log-line-without-time": Bad("main", "log", without("at"), "no 'at'"),
    "setup-partners-not-a-list": Bad(
        "main", "setup", setter("partners", "Zoë"), "'partners' is str, not a list"
    ),
    # The session file: the session, its entries, what changed since it began.
    "agenda-empty": Bad("session", "sessions", setter("agenda", []), "'agenda' has 0 items"),
    "agenda-phase-not-a-record": Bad("session", "sessions", setter("agenda", [5]), "not a record"),
    "nobody-present": Bad("session", "sessions", setter("present", []), "'present' has 0 items"),
    "present-not-ids": Bad("session", "sessions", setter("present", [1]), "other than partner"),
    "running-since-naive": Bad(
        "session", "sessions", timer("running_since", NAIVE), "has no time zone"
    ),
    "elapsed-negative": Bad(
        "session", "sessions", timer("elapsed", [-1.0] * 7), "'elapsed' holds a number"
    ),
    "elapsed-huge": Bad("session", "sessions", timer("elapsed", [1e12] * 7), "too large"),
    "allotted-true": Bad(
        "session", "sessions", timer("allotted", [True] * 7), "'allotted' holds true/false"
    ),
    "turn-out-of-range": Bad(
        "session", "sessions", timer("current", 99), "'current' (99) is outside"
    ),
    "turns-do-not-match": Bad(
        "session",
        "sessions",
        lambda doc: doc["timer"].update(
            allotted=[60] * 3, elapsed=[0] * 3, extra=[0] * 3, current=0
        ),
        "don't match the agenda",
    ),
    "timer-not-a-record": Bad(
        "session", "sessions", setter("timer", [1, 2]), "'timer' is not a record"
    ),
    "started-at-not-a-time": Bad(
        "session", "sessions", setter("started_at", "yesterday"), "is not a time"
    ),
    "first-is-text": Bad("session", "sessions", setter("first", "no"), "not true or false"),
    "session-draft-not-text": Bad("session", "drafts", setter("text", ["x"]), "'text' is list"),
    "entry-kind-unknown": Bad(
        "session", "entries", setter("kind", "rant"), "not one this version knows"
    ),
    "entry-text-is-a-number": Bad("session", "entries", setter("text", 5), "'text' is a number"),
    "changed-action-without-owner": Bad("session", "actions", without("owner_id"), "no 'owner_id'"),
    # A history file: finished sessions, their entries, the actions closed in them.
    "history-nobody-present": Bad(
        "history", "sessions", setter("present", []), "'present' has 0 items"
    ),
    "history-entry-text-null": Bad("history", "entries", setter("text", None), "'text' is empty"),
    "history-action-due-on-number": Bad(
        "history", "actions", setter("due_on", 20260309), "'due_on' is a number"
    ),
}


@dataclass
class Store:
    path: Path
    files: dict[str, Path]


def build_full_store(tmp_path: Path) -> Store:
    """Every table in use: a finished session in history, then a live one with everything."""
    path = data_file(tmp_path)
    lm = live_meeting(path)
    m, p = lm.meeting, lm.partnership
    m.finish_session()
    lm.clock.advance(days=7)
    m.save_draft("win", p.partners[1].id, "kept between sessions")
    m.begin_session([p.partners[0].id, p.partners[1].id])
    m.add_entry("Tea with Sam", EntryKind.IDEA, p.partners[1].id)
    m.add_action("Write it up", p.partners[0].id, DUE)
    m.mark(m.state.actions[lm.open[0]], ActionStatus.DONE)
    m.save_draft("obstacle-entry", p.partners[0].id, "half typed")
    # The set-up form's draft is gone once there is a partnership; put one back by hand.
    main = json.loads(path.read_bytes())
    main["setup"] = {"setup": converters.setup_to_doc(SetupDraft(name="x", partners=("Zoë",)))}
    path.write_text(json.dumps(main), encoding="utf-8")
    return Store(
        path=path,
        files={
            "main": path,
            "session": lm.repo.session_path,
            "history": lm.repo.history_path(2026),
        },
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("full-store")
    build_full_store(folder)
    return folder


def a_full_store(tmp_path: Path, template: Path) -> Store:
    """A copy of the store with every table in use (made once: it takes a few dozen writes)."""
    shutil.copytree(template / "data", tmp_path / "data")
    path = data_file(tmp_path)
    repo = Repository(path)
    return Store(
        path=path,
        files={"main": path, "session": repo.session_path, "history": repo.history_path(2026)},
    )


def break_one(store: Store, case: Bad) -> tuple[Path, str]:
    """Spoil one record, written back pretty-printed as a person editing it would; returns
    the file and the record's id."""
    target = store.files[case.file]
    data = json.loads(target.read_bytes())
    table = data[case.table]
    record_id = next(iter(table))
    case.change(table[record_id])
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return target, record_id


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_names(error: StoreError, target: Path, record_id: str, problem: str) -> None:
    message = str(error)
    assert error.path == target
    assert str(target) in message
    assert repr(record_id[:40]) in message
    assert "not in the shape facilitator expects" in message
    assert problem in message, message
    assert error.advice == LEFT_ALONE


@pytest.mark.parametrize("name", list(CASES))
def test_a_record_of_the_wrong_shape_is_reported_and_left(
    tmp_path: Path, template: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    store = a_full_store(tmp_path, template)
    target, record_id = break_one(store, case)
    before = snapshot(tmp_path)

    if case.file == "history":
        repo = open_repo(store.path)  # the live files are fine: history is read when asked for
        with pytest.raises(StoreError) as caught:
            repo.read_history([2026])
        assert_names(caught.value, target, record_id, case.problem)
        with pytest.raises(StoreError):
            repo.finished_sessions()
    else:
        with pytest.raises(StoreError) as caught:
            Repository.open(store.path)
        assert_names(caught.value, target, record_id, case.problem)
        with pytest.raises(StoreError):
            Repository(store.path).put()  # a write, through the same checks, is refused too

        # The program stops with that message, before any screen: nothing is written.
        assert cli.main(["--data", str(store.path)]) == 2
        err = capsys.readouterr().err
        assert str(target) in err
        assert case.problem in err
        assert "Traceback" not in err

    assert snapshot(tmp_path) == before


def test_a_store_with_every_table_in_use_opens(tmp_path: Path, template: Path) -> None:
    """The store the cases above spoil, unspoilt, reads without complaint."""
    store = a_full_store(tmp_path, template)
    repo = Repository.open(store.path)
    state = repo.read()
    assert state.session is not None and state.partnership is not None
    assert state.drafts and state.log and state.entries
    assert len(repo.finished_sessions()) == 1
    for name, case in CASES.items():
        data = json.loads(store.files[case.file].read_bytes())
        assert data.get(case.table), f"{name}: nothing in {case.file}'s {case.table}"
    assert state.setup == SetupDraft(name="x", partners=("Zoë",))

"""Files written by the schema-1 facilitator open in this one with nothing lost.

The fixtures are real schema-1 files, made by the schema-1 code (see fixtures/README.md):
opening one keeps the original beside it (`<name>.schema-1.bak`), checks the whole upgrade
in memory, then writes the main file and (for a live session) the session file. An upgrade
that can't be made writes nothing at all.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from store_helpers import ANA, FIXTURES, new_meeting, open_repo, raw

from facilitator.domain import changes as ch
from facilitator.domain.actions import ActionStatus, EntryKind
from facilitator.domain.agenda import PhaseKind
from facilitator.domain.agreement import Agreement
from facilitator.domain.partnership import Cadence
from facilitator.domain.state import MeetingState, SetupDraft
from facilitator.store import converters
from facilitator.store.errors import StoreError
from facilitator.store.repository import Repository

LIVE = FIXTURES / "schema1_session.json"
DRAFT = FIXTURES / "schema1_draft.json"
BETWEEN = FIXTURES / "schema1_between.json"
HISTORY = FIXTURES / "schema1_history_2026.json"
ZONE = "Europe/London"


def old(fixture: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(fixture.read_bytes())
    return data


def place(fixture: Path, folder: Path, name: str = "facilitator.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    shutil.copyfile(fixture, path)
    return path


def backup(path: Path) -> Path:
    return path.with_name(path.name + ".schema-1.bak")


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file but the lock (which any opening makes), with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


STANDARD_KINDS = [PhaseKind.REVIEW, PhaseKind.OBSTACLES, PhaseKind.ACTIONS, PhaseKind.WRAPUP]
"""Schema 1's four phases, each given its kind."""


def session_doc_now(doc: dict[str, Any]) -> dict[str, Any]:
    """A schema-1 session document as schema 2 has it: phases have a kind; `first`,
    `abandoned` and `supporters` take their defaults."""
    return {
        **doc,
        "first": False,
        "abandoned": False,
        "supporters": [],
        "agenda": [{**phase, "kind": phase["key"]} for phase in doc["agenda"]],
    }


def action_doc_now(doc: dict[str, Any]) -> dict[str, Any]:
    """A schema-1 action document as schema 2 has it: no goal linked."""
    return {**doc, "goal_id": None}


def partnership_doc_now(doc: dict[str, Any], zone: str) -> dict[str, Any]:
    """A schema-1 partnership as schema 2 has it: the time zone given, the agreement and the
    rest at their defaults."""
    return {
        **doc,
        "time_zone": zone,
        "every_days": None,
        "month_day": None,
        "last_review_on": None,
        "sessions_since_review": 0,
        "agreement": converters.agreement_to_doc(Agreement()),
        "former": [],
    }


OPENINGS: dict[str, Callable[[Path, Callable[[], str]], MeetingState]] = {
    "open": lambda path, zone: Repository.open(path, time_zone=zone).read(),
    "read": lambda path, zone: Repository(path).prepare(zone),
    "first-change": lambda path, zone: (
        Repository.open(path, time_zone=zone)
        .update(
            partial(
                ch.SaveDraft(at=datetime.now(UTC), box="b", partner_id="p", text="").run, author=ANA
            )
        )
        .state
    ),
}


@pytest.mark.parametrize("how", list(OPENINGS))
def test_a_live_session_is_upgraded_without_loss(tmp_path: Path, how: str) -> None:
    path = place(LIVE, tmp_path)
    asked: list[int] = []

    def zone() -> str:
        asked.append(1)
        return ZONE

    state = OPENINGS[how](path, zone)
    before = old(LIVE)

    # The partnership, with the time zone given for it.
    assert state.partnership is not None
    assert converters.partnership_to_doc(state.partnership) == partnership_doc_now(
        before["partnership"]["crew"], ZONE
    )
    assert state.partnership.partners[0].name == "Zoë"
    assert asked  # asked for, since schema 1 had none

    # Every action, entry and the session, field for field.
    assert {k: converters.action_to_doc(a) for k, a in state.actions.items()} == {
        k: action_doc_now(d) for k, d in before["actions"].items()
    }
    assert {k: converters.entry_to_doc(e) for k, e in state.entries.items()} == before["entries"]
    assert state.session is not None
    assert converters.session_to_doc(state.session) == session_doc_now(before["sessions"]["s-now"])

    # ...and what they mean: the timer some way in, running, a minute added on turn one.
    timer = state.session.timer
    assert timer.current == 1
    assert timer.elapsed[0] == 125.375
    assert timer.extra[0] == 60
    assert timer.running_since == datetime(2026, 3, 2, 18, 2, 5, 375000, tzinfo=UTC)
    assert [p.kind for p in state.session.agenda] == STANDARD_KINDS
    assert state.session.first is False
    assert state.actions["a-done"].status is ActionStatus.DONE
    assert state.actions["a-carried"].carried_from == "a-partly"
    assert state.actions["a-carried"].confirmed is False
    assert state.actions["a-partly"].in_the_way == "Flu — then a deadline"
    assert state.entries["e-win"].text == "Shipped the beta 🎉"
    assert state.entries_for("p-ravi", EntryKind.IDEA, EntryKind.HELP)[0].id == "e-idea"

    # The original is kept beside it, byte for byte; the files are schema 2 now.
    assert backup(path).read_bytes() == LIVE.read_bytes()
    repo = Repository(path)
    main, session = raw(path), raw(repo.session_path)
    assert main["meta"] == session["meta"] == {"schema": {"version": 2}}
    assert "sessions" not in main and "entries" not in main and "draft" not in main
    assert list(session["sessions"]) == ["s-now"]
    assert set(session["entries"]) == {"e-win", "e-idea", "e-help"}
    # The actions the session touched are in the session file; the rest stay in the main file.
    assert set(session["actions"]) == {"a-done", "a-partly", "a-carried", "a-new"}
    assert set(main["actions"]) == {"a-open"}

    # Another opening reads the same, and rewrites nothing.
    files = files_in(tmp_path)
    assert open_repo(path, "Asia/Tokyo").read() == state
    assert files_in(tmp_path) == files


def test_the_upgraded_session_carries_on_and_finishes(tmp_path: Path) -> None:
    path = place(LIVE, tmp_path)
    repo = open_repo(path, ZONE)
    m, c = new_meeting(repo)
    c.now = datetime(2026, 3, 2, 18, 30, tzinfo=UTC)
    m.add_entry("after the upgrade", EntryKind.WIN, "p-zoe")
    m.next_turn()
    m.finish_session()

    sessions, entries, actions = repo.read_history([2026])
    assert [s.id for s in sessions] == ["s-now"]
    assert {e.id for e in entries} >= {"e-win", "e-idea", "e-help"}
    assert len(entries) == 4
    assert {a.id for a in actions} == {"a-done", "a-partly"}
    state = repo.read()
    assert set(state.actions) == {"a-open", "a-carried", "a-new"}
    assert state.partnership is not None
    assert state.partnership.last_session_on == date(2026, 3, 2)


def test_a_first_run_draft_is_upgraded(tmp_path: Path) -> None:
    path = place(DRAFT, tmp_path)
    asked: list[int] = []
    repo = Repository.open(path, time_zone=lambda: asked.append(1) or ZONE)  # type: ignore[func-returns-value]
    state = repo.read()

    assert state.setup == SetupDraft(
        name="Thursday crew", partners=("Zoë", "Ravi", ""), cadence="fortnightly", minutes="45"
    )
    assert state.partnership is None and state.session is None
    assert asked == []  # no partnership: no time zone needed yet
    assert backup(path).read_bytes() == DRAFT.read_bytes()
    assert not repo.session_path.exists()
    main = raw(path)
    assert "draft" not in main
    assert main["setup"] == {
        "setup": {
            "id": "setup",
            "name": "Thursday crew",
            "partners": ["Zoë", "Ravi", ""],
            "cadence": "fortnightly",
            "minutes": "45",
        }
    }

    m, _ = new_meeting(repo)
    m.create_partnership("Thursday crew", ["Zoë", "Ravi"], Cadence.FORTNIGHTLY, 45, ZONE)
    assert open_repo(path).read().setup is None


def test_between_sessions_the_live_file_and_history_are_read(tmp_path: Path) -> None:
    path = place(BETWEEN, tmp_path)
    history = place(HISTORY, tmp_path / "facilitator.history", "2026.json")
    repo = open_repo(path, ZONE)
    state = repo.read()
    before, old_history = old(BETWEEN), old(HISTORY)

    assert state.session is None
    assert not repo.session_path.exists()
    assert {k: converters.action_to_doc(a) for k, a in state.actions.items()} == {
        k: action_doc_now(d) for k, d in before["actions"].items()
    }
    assert state.partnership is not None
    assert state.partnership.time_zone == ZONE
    assert state.partnership.last_session_on == date(2026, 3, 2)
    assert backup(path).read_bytes() == BETWEEN.read_bytes()

    # The schema-1 history file is read as it is: upgraded in memory, not rewritten.
    assert repo.history_years() == [2026]
    sessions, entries, actions = repo.read_history([2026])
    assert [converters.session_to_doc(s) for s in sessions] == [
        session_doc_now(old_history["sessions"]["s-now"])
    ]
    assert sessions[0].finished_at == datetime(2026, 3, 2, 18, 31, tzinfo=UTC)
    assert {e.id: converters.entry_to_doc(e) for e in entries} == old_history["entries"]
    assert {a.id: converters.action_to_doc(a) for a in actions} == {
        k: action_doc_now(d) for k, d in old_history["actions"].items()
    }
    assert [s.id for s in repo.finished_sessions()] == ["s-now"]
    assert history.read_bytes() == HISTORY.read_bytes()
    assert not backup(history).exists()


def test_a_schema_1_history_file_is_backed_up_before_its_first_rewrite(tmp_path: Path) -> None:
    path = place(BETWEEN, tmp_path)
    history = place(HISTORY, tmp_path / "facilitator.history", "2026.json")
    os.chmod(history, 0o640)
    repo = open_repo(path, ZONE)
    m, c = new_meeting(repo)
    c.now = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)
    second = m.begin_session(["p-zoe", "p-ravi"])
    m.mark(m.state.actions["a-carried"], ActionStatus.DONE)
    m.add_entry("week two", EntryKind.WIN, "p-ravi")
    m.finish_session()

    assert backup(history).read_bytes() == HISTORY.read_bytes()
    assert stat.S_IMODE(os.stat(backup(history)).st_mode) == 0o640
    assert stat.S_IMODE(os.stat(history).st_mode) == 0o640
    assert raw(history)["meta"] == {"schema": {"version": 2}}
    sessions, entries, actions = repo.read_history([2026])
    assert [s.id for s in sessions] == ["s-now", second.id]
    assert [p.kind for p in sessions[0].agenda] == STANDARD_KINDS
    assert {e.text for e in entries} >= {"Shipped the beta 🎉", "week two"}
    assert {a.id for a in actions} == {"a-done", "a-partly", "a-carried"}

    # The backup is made once: a later rewrite leaves it as the schema-1 original.
    c.advance(days=7)
    m.begin_session(["p-zoe"])
    m.finish_session()
    assert backup(history).read_bytes() == HISTORY.read_bytes()


def test_the_backup_keeps_the_originals_mode(tmp_path: Path) -> None:
    path = place(LIVE, tmp_path)
    os.chmod(path, 0o640)
    open_repo(path, ZONE)
    assert stat.S_IMODE(os.stat(backup(path)).st_mode) == 0o640
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640  # the user's choice, kept
    assert stat.S_IMODE(os.stat(Repository(path).session_path).st_mode) == 0o600


def test_without_a_time_zone_given_the_computers_own_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("facilitator.domain.clock.local_zone_name", lambda: "America/Chicago")
    path = place(BETWEEN, tmp_path)
    state = Repository.open(path).read()
    assert state.partnership is not None
    assert state.partnership.time_zone == "America/Chicago"


def spoil(fixture: Path, table: str, record: str, change: Callable[[dict[str, Any]], None]) -> Any:
    def make(folder: Path) -> Path:
        data = old(fixture)
        change(data[table][record])
        folder.mkdir(parents=True)
        path = folder / "facilitator.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return make


REFUSED = {
    "action-text-a-number": spoil(LIVE, "actions", "a-open", lambda d: d.update(text=5)),
    "partner-name-null": spoil(
        LIVE, "partnership", "crew", lambda d: d["partners"][0].update(name=None)
    ),
    "draft-partners-not-a-list": spoil(
        DRAFT, "draft", "first-run", lambda d: d.update(partners="Zoë")
    ),
    "session-agenda-empty": spoil(LIVE, "sessions", "s-now", lambda d: d.update(agenda=[])),
    "entry-text-a-number": spoil(LIVE, "entries", "e-win", lambda d: d.update(text=5)),
    "reviewed-action-due-on-garbage": spoil(
        LIVE, "actions", "a-done", lambda d: d.update(due_on="soon")
    ),
}


@pytest.mark.parametrize("make", list(REFUSED.values()), ids=list(REFUSED))
def test_an_upgrade_that_cannot_be_made_writes_nothing(
    tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    path = make(tmp_path / "store")
    files = files_in(path.parent)

    with pytest.raises(StoreError) as caught:
        Repository.open(path, time_zone=lambda: ZONE)

    assert files_in(path.parent) == files  # the original untouched; no backup, no session file
    assert not backup(path).exists()
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert "not in the shape" in str(caught.value)
    with pytest.raises(StoreError):
        Repository(path).read()
    assert files_in(path.parent) == files


def test_an_upgrade_that_cannot_keep_a_copy_first_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = place(LIVE, tmp_path)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copy2", full)
    with pytest.raises(StoreError) as caught:
        Repository.open(path, time_zone=lambda: ZONE)
    assert caught.value.path == path
    assert "a copy could not be kept first" in str(caught.value)
    assert "Nothing was changed" in str(caught.value)
    assert path.read_bytes() == LIVE.read_bytes()
    assert not Repository(path).session_path.exists()

    monkeypatch.undo()  # room again: the upgrade goes through
    assert open_repo(path, ZONE).read().session is not None
    assert backup(path).read_bytes() == LIVE.read_bytes()


def test_an_existing_backup_is_not_overwritten(tmp_path: Path) -> None:
    """A backup already there (an upgrade cut short) is the original: it is kept as it is."""
    path = place(LIVE, tmp_path)
    backup(path).write_bytes(LIVE.read_bytes())
    os.utime(backup(path), (0, 0))
    open_repo(path, ZONE)
    assert os.stat(backup(path)).st_mtime == 0
    assert backup(path).read_bytes() == LIVE.read_bytes()


def test_the_fixtures_are_schema_1_as_written_then() -> None:
    """Guard the fixtures themselves: schema 1's compact UTF-8 JSON, and its tables."""
    for fixture in (LIVE, DRAFT, BETWEEN, HISTORY):
        data = old(fixture)
        assert data["meta"] == {"schema": {"version": 1}}
        compact = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        assert fixture.read_bytes() == compact
    assert set(old(LIVE)) == {"meta", "partnership", "actions", "sessions", "entries"}
    assert set(old(DRAFT)) == {"meta", "draft"}
    assert "time_zone" not in old(LIVE)["partnership"]["crew"]
    assert all("kind" not in p for p in old(HISTORY)["sessions"]["s-now"]["agenda"])
    started = datetime.fromisoformat(old(LIVE)["sessions"]["s-now"]["started_at"])
    assert started + timedelta(minutes=31) == datetime(2026, 3, 2, 18, 31, tzinfo=UTC)

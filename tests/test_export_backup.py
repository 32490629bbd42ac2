"""Backup: export, then import into an empty file, gives the same data; into a file holding
data only when merging, by id, never duplicating or dropping a record; a malformed or foreign
file is refused with a clear message and the data left exactly as it was; a write that fails
half-way is undone."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from test_cli_commands import Built, build_store, go_live, main_out, run

from facilitator.domain import changes as ch
from facilitator.domain.actions import ActionStatus, EntryKind
from facilitator.domain.goals import Goal, MeasureKind
from facilitator.export.backup import (
    FORMAT,
    BackupError,
    StoreDocs,
    export_backup,
    import_backup,
    parse_backup,
    read_store,
)
from facilitator.store.errors import StoreError
from facilitator.store.repository import Repository
from facilitator.store.storage import AtomicJSONStorage

STAMP = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def snapshot(path: Path) -> dict[str, bytes]:
    """Every file beside the data file (and in its history folder), as bytes."""
    folder = path.parent
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def everything(path: Path) -> tuple[Any, ...]:
    """What the app reads: the live snapshot and every year of history."""
    repository = Repository.open(path)
    state = repository.read()
    sessions, entries, actions = repository.read_history(repository.history_years())
    return (
        state.partnership,
        dict(state.actions),
        state.session,
        dict(state.entries),
        dict(state.goals),
        state.agreements,
        sorted(sessions, key=lambda s: s.id),
        sorted(entries, key=lambda e: e.id),
        sorted(actions, key=lambda a: a.id),
    )


def rich_store(path: Path, *, live: bool = True) -> Built:
    """Three sessions across New Year, a goal, a changed agreement, and a session under way."""
    built = build_store(path)
    meeting = built.meeting
    meeting.save_goal(
        Goal(
            owner_id=built.ana,
            what="Run the Manchester Marathon",
            created_on=date(2025, 12, 16),
            kind=MeasureKind.NUMBER,
            target=42.2,
            unit="km",
            deadline=date(2026, 4, 19),
        )
    )
    seen = ch.PartnershipTerms.of(meeting.the_partnership)
    meeting.change_terms(
        seen, replace(seen, agreement=replace(seen.agreement, meeting_time="18:30"))
    )
    if live:
        go_live(built)
    return built


def backup_of(path: Path) -> dict[str, Any]:
    return export_backup(Repository.open(path), STAMP)


def as_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()


# Round trip ---------------------------------------------------------------------------------


def test_export_then_import_into_an_empty_file_gives_the_same_data(tmp_path: Path) -> None:
    built = rich_store(tmp_path / "a" / "facilitator.json")
    backup = tmp_path / "backup.json"
    result = run("export", "-o", str(backup), data=built.path)
    assert result.returncode == 0, result.stderr
    assert "wrote a backup of all the data (3 sessions held)" in result.stderr
    assert backup.stat().st_mode & 0o777 == 0o600
    document = json.loads(backup.read_bytes())
    assert (document["format"], document["version"], document["schema"]) == (FORMAT, 1, 2)
    assert sorted(document["history"]) == ["2025"]
    assert document["session"] is not None, "the session under way is in it"

    restored = tmp_path / "b" / "facilitator.json"
    result = run("import", str(backup), data=restored)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"{backup} into {restored}: imported 1 partnership, 4 sessions, 16 actions, 25 "
        "entries, 1 goal, 1 version of the agreement, 61 log lines.\n"
    )
    assert everything(restored) == everything(built.path)
    again = backup_of(restored)
    for part in ("main", "session", "history"):
        assert again[part] == document[part]
    # The files themselves: the same documents, file by file.
    for name in ("facilitator.json", "facilitator.session.json", "facilitator.history/2025.json"):
        assert json.loads((restored.parent / name).read_bytes()) == json.loads(
            (built.path.parent / name).read_bytes()
        )
        assert (restored.parent / name).stat().st_mode & 0o777 == 0o600


def test_import_reads_standard_input(tmp_path: Path) -> None:
    built = build_store(tmp_path / "a" / "facilitator.json", weeks=1)
    exported = run("export", data=built.path)
    assert exported.returncode == 0
    restored = tmp_path / "b" / "facilitator.json"
    result = run("import", "-", data=restored, stdin=exported.stdout.encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"standard input into {restored}: imported 1 partnership")
    assert everything(restored) == everything(built.path)


# Into a file that holds data ----------------------------------------------------------------


def test_without_merge_a_file_holding_data_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = build_store(tmp_path / "a" / "f.json", weeks=1)
    target = build_store(tmp_path / "b" / "f.json", weeks=2)
    backup = tmp_path / "backup.json"
    backup.write_bytes(as_bytes(backup_of(source.path)))
    before = snapshot(target.path)
    code, out, err = main_out(
        "--data", str(target.path), "import", str(backup), monkeypatch=monkeypatch
    )
    assert code == 2 and out == ""
    assert f"{target.path} already holds data" in err and "add --merge" in err
    assert "Nothing was changed." in err
    assert snapshot(target.path) == before


def ids_by_place(path: Path) -> dict[str, set[tuple[str, str]]]:
    repository = Repository.open(path)
    docs = read_store(repository)
    return {
        place: {(table, doc_id) for table, table_docs in data.items() for doc_id in table_docs}
        for place, data in docs.files()
    }


def test_merging_adds_what_is_missing_and_keeps_what_is_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two copies of one partnership that went their own ways: each learns the other's."""
    ours = build_store(tmp_path / "ours" / "f.json", weeks=2)
    copy = tmp_path / "theirs" / "f.json"
    copy.parent.mkdir()
    import_backup(
        Repository.open(copy), parse_backup(as_bytes(backup_of(ours.path)), "b"), merge=False
    )
    # Here: a new action. There: a session held (closing two of the open actions) and a win.
    here_only = ours.meeting.state  # (refreshed below)
    theirs = build_meeting_on(copy)
    theirs.begin_session([p.id for p in theirs.the_partnership.partners])
    first = theirs.live.present[0]
    closed = [a.id for a in theirs.to_review(first)[:2]]
    for action_id in closed:
        theirs.mark(theirs.state.actions[action_id], ActionStatus.DONE)
    theirs.add_entry("Their win", EntryKind.WIN, first)
    theirs.finish_session()
    from facilitator.domain.actions import new_action

    extra = new_action("Only here", ours.ana, date(2026, 2, 1), None, STAMP)
    Repository.open(ours.path).put(extra)
    before_ours = everything(ours.path)
    del here_only

    backup = tmp_path / "theirs.json"
    backup.write_bytes(as_bytes(backup_of(copy)))
    code, out, err = main_out(
        "--data", str(ours.path), "import", str(backup), "--merge", monkeypatch=monkeypatch
    )
    assert code == 0, err
    assert "merged: added 1 session, 1 entry" in out
    assert "2 records closed in the backup's history filed there" in out
    assert "the partnership's details taken from the backup" in out

    merged = everything(ours.path)
    state_actions, history_actions = merged[1], {a.id: a for a in merged[8]}
    # Nothing dropped: every action of both, once.
    all_ours = set(before_ours[1]) | {a.id for a in before_ours[8]}
    all_theirs_state, all_theirs_history = everything(copy)[1], everything(copy)[8]
    all_theirs = set(all_theirs_state) | {a.id for a in all_theirs_history}
    assert set(state_actions) | set(history_actions) == all_ours | all_theirs
    assert not set(state_actions) & set(history_actions), "never both open and filed"
    assert extra.id in state_actions
    for action_id in closed:
        assert history_actions[action_id].status is ActionStatus.DONE
    # Each record in one place only (a session file's overlay aside, there is none here).
    places = ids_by_place(ours.path)
    history = [key for place, keys in places.items() if place != "main" for key in keys]
    assert len(history) == len(set(history))
    assert not set(history) & places["main"]
    assert merged[0] is not None and merged[0].last_session_on == date(2025, 12, 30)

    # Merging the same again changes nothing and adds nothing.
    before = snapshot(ours.path)
    code, out, _ = main_out(
        "--data", str(ours.path), "import", str(backup), "--merge", monkeypatch=monkeypatch
    )
    assert code == 0 and "merged: added nothing new" in out
    assert snapshot(ours.path) == before


def build_meeting_on(path: Path) -> Any:
    from facilitator.domain.clock import FakeClock
    from facilitator.meeting import Meeting

    return Meeting(Repository.open(path), FakeClock(datetime(2025, 12, 30, 18, 0, tzinfo=UTC)))


def test_merging_a_session_under_way_into_a_file_without_one(tmp_path: Path) -> None:
    live = rich_store(tmp_path / "a" / "f.json", live=True)
    target = tmp_path / "b" / "f.json"
    target.parent.mkdir()
    backup = parse_backup(as_bytes(backup_of(live.path)), "b")
    without_session = replace(backup, session=None)
    import_backup(Repository.open(target), without_session, merge=False)
    result = import_backup(Repository.open(target), backup, merge=True)
    assert result.added["sessions"] == 1
    assert everything(target) == everything(live.path)


@pytest.mark.parametrize("problem", ["another partnership", "two sessions under way"])
def test_merging_what_cannot_be_one_store_is_refused(
    tmp_path: Path, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = build_store(tmp_path / "a" / "f.json", weeks=1, live=True)
    if problem == "another partnership":
        other = build_store(tmp_path / "b" / "f.json", weeks=1)
    else:
        other = build_store(tmp_path / "b" / "f.json", weeks=1)
        import_then_begin(other, ours)
    backup = tmp_path / "backup.json"
    backup.write_bytes(as_bytes(backup_of(other.path)))
    before = snapshot(ours.path)
    code, _, err = main_out(
        "--data", str(ours.path), "import", str(backup), "--merge", monkeypatch=monkeypatch
    )
    assert code == 1
    said = {
        "another partnership": "The backup is of another partnership",
        "two sessions under way": "Both the data file and the backup have a session under way",
    }[problem]
    assert said in err and "Nothing was changed." in err
    assert snapshot(ours.path) == before


def import_then_begin(other: Built, ours: Built) -> None:
    """Make `other` a copy of `ours` (without its session), with a session of its own."""
    for path in [other.path.parent / "f.session.json", *other.path.parent.rglob("*.json")]:
        path.unlink(missing_ok=True)
    backup = parse_backup(as_bytes(backup_of(ours.path)), "b")
    import_backup(Repository.open(other.path), replace(backup, session=None), merge=False)
    meeting = build_meeting_on(other.path)
    meeting.begin_session([p.id for p in meeting.the_partnership.partners])


# What is not a backup ------------------------------------------------------------------------


def broken_action(document: dict[str, Any]) -> None:
    action = next(iter(document["main"]["actions"].values()))
    action["due_on"] = "tomorrow"


def moved_action(document: dict[str, Any]) -> None:
    actions = document["main"]["actions"]
    key = next(iter(actions))
    actions["somewhere-else"] = actions.pop(key)


def unfinished(document: dict[str, Any]) -> None:
    session = next(iter(document["history"]["2025"]["sessions"].values()))
    session["finished_at"] = None


def newer(document: dict[str, Any]) -> None:
    document["schema"] = 3


def unknown_table(document: dict[str, Any]) -> None:
    document["main"]["secrets"] = {"x": {"id": "x"}}


BAD: list[tuple[str, Any, str]] = [
    ("not json", b"this is not json", "is not a facilitator backup: it is not valid JSON"),
    ("a list", b"[1, 2, 3]", "is not a facilitator backup: it is JSON, but not in the shape"),
    ("no marker", b'{"main": {}}', 'it has no "format": "facilitator-backup" marker'),
    ("binary", b"\x80\x81\x82 garbage", "it is not a text file"),
    ("a broken action", broken_action, "the action"),
    ("an action under another id", moved_action, "is stored under another id"),
    ("an unfinished session in history", unfinished, "was never finished"),
    ("a newer backup", newer, "was made by a newer facilitator (schema 3"),
    ("an unknown table", unknown_table, "a table 'secrets' that this version"),
]


@pytest.mark.parametrize(("what", "bad", "said"), BAD, ids=[b[0] for b in BAD])
@pytest.mark.parametrize("into", ["empty", "holding data"])
def test_a_malformed_or_foreign_file_is_refused_and_nothing_changes(
    tmp_path: Path,
    what: str,
    bad: Any,
    said: str,
    into: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = build_store(tmp_path / "a" / "f.json", weeks=1)
    if callable(bad):
        document = backup_of(source.path)
        bad(document)
        raw = as_bytes(document)
    else:
        raw = bad
    backup = tmp_path / "backup.json"
    backup.write_bytes(raw)
    target = tmp_path / "b" / "f.json"
    if into == "holding data":
        build_store(target, weeks=1)
    before = snapshot(target) if target.exists() else None
    code, out, err = main_out(
        "--data", str(target), "import", str(backup), "--merge", monkeypatch=monkeypatch
    )
    assert code == 1 and out == ""
    assert said in err, err
    assert "Nothing was imported." in err
    if before is None:
        assert not target.parent.exists(), "nothing made"
    else:
        assert snapshot(target) == before


def test_a_data_file_given_as_a_backup_is_recognised(built_path: Path) -> None:
    result = run("import", str(built_path), data=built_path.parent / "other.json")
    assert result.returncode == 1
    assert f"{built_path} is a facilitator data file, not a backup" in result.stderr
    assert f"--data {built_path}" in result.stderr


@pytest.fixture
def built_path(tmp_path: Path) -> Path:
    return build_store(tmp_path / "d" / "facilitator.json", weeks=1).path


def test_a_missing_backup_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = main_out(
        "--data",
        str(tmp_path / "f.json"),
        "import",
        str(tmp_path / "nope.json"),
        monkeypatch=monkeypatch,
    )
    assert code == 1 and f"Can't import {tmp_path / 'nope.json'}: there is no such file." in err


# All or nothing -----------------------------------------------------------------------------


def older_copy(backup: StoreDocs) -> StoreDocs:
    """The same store as it was before its last session was filed and an action agreed:
    merging the backup into it writes the history, the session file and the main file."""
    older = copy.deepcopy(backup)
    older.session = None
    year = older.history[2025]
    last = max(year["sessions"].values(), key=lambda s: s["started_at"])["id"]
    del year["sessions"][last]
    for table, key in (("entries", "session_id"), ("actions", "reviewed_in")):
        year[table] = {k: d for k, d in year[table].items() if d.get(key) != last}
    overlaid = (backup.session or {}).get("actions", {})
    actions = older.main["actions"]
    del actions[next(a for a in actions if a not in overlaid)]
    return older


@pytest.mark.parametrize("into", ["empty", "holding data"])
@pytest.mark.parametrize("fail_at", [1, 2, 3])
def test_a_write_that_fails_half_way_is_undone(
    tmp_path: Path, into: str, fail_at: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up at the first, second or third file written: every file written
    before it is put back as it was, and a file the import made is removed."""
    source = rich_store(tmp_path / "a" / "f.json", live=True)
    backup = parse_backup(as_bytes(backup_of(source.path)), "b")
    target = tmp_path / "b" / "f.json"
    target.parent.mkdir()
    if into == "holding data":
        import_backup(Repository.open(target), older_copy(backup), merge=False)
    before = snapshot(target)
    real = AtomicJSONStorage.write_file
    written: list[Path] = []

    def failing(self: AtomicJSONStorage, data: Any) -> bytes:
        written.append(self.path)
        if len(written) == fail_at:
            raise StoreError(self.path, "the disk is full, so the latest change could not be saved")
        return real(self, data)

    monkeypatch.setattr(AtomicJSONStorage, "write_file", failing)
    with pytest.raises(BackupError) as refused:
        import_backup(Repository.open(target), backup, merge=True)
    monkeypatch.setattr(AtomicJSONStorage, "write_file", real)
    assert "the disk is full" in str(refused.value)
    assert "Nothing was changed" in str(refused.value)
    assert [p.name for p in written] == ["2025.json", "f.session.json", "f.json"][:fail_at]
    assert snapshot(target) == before
    # And with the disk back, the same import goes through whole.
    import_backup(Repository.open(target), backup, merge=True)
    assert everything(target) == everything(source.path)


def test_the_backup_refuses_a_store_with_a_record_it_cannot_read(tmp_path: Path) -> None:
    built = build_store(tmp_path / "f.json", weeks=1)
    year = built.path.parent / "f.history" / "2025.json"
    data = json.loads(year.read_bytes())
    next(iter(data["entries"].values()))["kind"] = "gossip"
    year.write_text(json.dumps(data))
    result = run("export", data=built.path)
    assert result.returncode == 1
    assert "No backup was made" in result.stderr and "'kind'" in result.stderr
    assert result.stdout == ""

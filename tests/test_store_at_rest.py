"""A look at the store (the command line's listings) reads files at rest without the lock, and
gets exactly what a locked read gets; anything else goes through the locked open.

"At rest" means left alone for `SETTLED_SECONDS`. The tests' files are written moments before
they are read, so the tests that need them at rest set that wait to zero, as if the files had
been written a while ago; no test sleeps.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import DUE, START, data_file, live_meeting, new_meeting, open_repo, set_up

import facilitator.store.repository as repository_module
from facilitator.domain.actions import Action, EntryKind
from facilitator.store.repository import Repository, _File


@pytest.fixture
def locked_opens(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files each locked open (`prepare`) was for."""
    opened: list[Path] = []
    prepare = Repository.prepare

    def spy(self: Repository, *args: object, **kwargs: object) -> object:
        opened.append(self.path)
        return prepare(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Repository, "prepare", spy)
    return opened


@pytest.fixture
def at_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(repository_module, "SETTLED_SECONDS", 0)


def test_files_at_rest_are_read_without_the_lock_as_the_lock_would_read_them(
    tmp_path: Path, at_rest: None, locked_opens: list[Path]
) -> None:
    path = data_file(tmp_path)
    lm = live_meeting(path)  # a session in progress: the session file lies over the main one
    locked_opens.clear()

    repo, state = Repository.open_to_read(path)

    assert locked_opens == []
    assert state == open_repo(path).read()
    assert state.session is not None and state.session.id == lm.session.id
    # Opened this way, it is a repository like any other: a change goes through the lock.
    meeting, _ = new_meeting(repo)
    meeting.seen(state)
    zoe = lm.partnership.partners[0]
    meeting.add_entry("Read without the lock, written with it", EntryKind.WIN, zoe.id)
    texts = {e.text for e in open_repo(path).read().entries.values()}
    assert "Read without the lock, written with it" in texts


def test_files_just_written_are_read_under_the_lock(
    tmp_path: Path, locked_opens: list[Path]
) -> None:
    path = data_file(tmp_path)
    set_up(path)
    locked_opens.clear()

    _, state = Repository.open_to_read(path)

    assert locked_opens == [path]
    assert state.partnership is not None


def test_a_killed_writers_temp_file_is_cleared_by_the_locked_open(
    tmp_path: Path, at_rest: None, locked_opens: list[Path]
) -> None:
    path = data_file(tmp_path)
    set_up(path)
    leftover = path.with_name(f".{path.name}.killed.tmp")
    leftover.write_text("{")
    locked_opens.clear()

    Repository.open_to_read(path)

    assert locked_opens == [path]
    assert not leftover.exists()


def test_a_finish_cut_short_is_completed_by_the_locked_open(
    tmp_path: Path, at_rest: None, locked_opens: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_file(tmp_path)
    lm = live_meeting(path)
    # The process dies after marking the session finished, before moving it to history.
    with monkeypatch.context() as patch:
        patch.setattr(Repository, "_complete_finish", lambda self, state: None)
        lm.meeting.finish_session()
    locked_opens.clear()

    repo, state = Repository.open_to_read(path)

    assert locked_opens == [path]
    assert state.session is None
    assert [s.id for s in repo.finished_sessions()] == [lm.session.id]


def test_a_change_made_while_the_files_are_read_sends_the_look_to_the_lock(
    tmp_path: Path, at_rest: None, locked_opens: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_file(tmp_path)
    lm = live_meeting(path)
    zoe = lm.partnership.partners[0]
    read = _File.read
    written: list[bool] = []

    def read_then_another_writes(self: _File) -> bool:
        changed = read(self)
        if not written:  # between reading the main file and the session file
            written.append(True)
            lm.meeting.add_entry("Saved by another screen meanwhile", EntryKind.WIN, zoe.id)
        return changed

    monkeypatch.setattr(_File, "read", read_then_another_writes)
    locked_opens.clear()

    _, state = Repository.open_to_read(path)

    assert locked_opens == [path]
    assert "Saved by another screen meanwhile" in {e.text for e in state.entries.values()}


def test_reading_files_at_rest_takes_no_lock(
    tmp_path: Path, at_rest: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's reads between changes (its start, another screen's look) take no lock; a
    change still does."""
    path = data_file(tmp_path)
    lm = live_meeting(path)
    repo = open_repo(path)
    held: list[Path] = []
    hold = repository_module.hold

    def spy(lock: object, where: Path) -> object:
        held.append(where)
        return hold(lock, where)  # type: ignore[arg-type]

    monkeypatch.setattr(repository_module, "hold", spy)

    assert repo.read() == repo.read()
    assert held == []
    lm.meeting.add_entry("A change takes the lock", EntryKind.WIN, lm.partnership.partners[0].id)
    assert held == [path]

    # A writer part-way (its temp file beside the data, its fsync taking seconds, say): the
    # files may be a pair it has only half replaced, so the look waits for the lock.
    held.clear()
    part_way = path.with_name(f".{path.name}.writing.tmp")
    part_way.write_text("{")
    repo.read()
    assert held == [path]


HOME_AT_REST = """
import facilitator.store.repository as repository
repository.SETTLED_SECONDS = 0  # as if the files were written a while ago
import facilitator.ui.app as ui_app
_ready = ui_app.FacilitatorApp.on_ready
def on_ready(self):
    with open({said!r}, "w") as said:
        said.write("loaded" if "filelock" in sys.modules else "not loaded")
    return _ready(self)
ui_app.FacilitatorApp.on_ready = on_ready
"""


def test_the_app_draws_home_before_loading_the_lock(tmp_path: Path) -> None:
    """Opening on files at rest reads them without the lock, so filelock (a fifth of a
    command's start, a twentieth of the app's) loads with the first save, not before the
    first frame."""
    from conftest import met_before
    from pty_helpers import CTRL_Q, PtyApp, wait_until

    path = data_file(tmp_path)
    repo, *_ = set_up(path)
    met_before(repo)
    said = tmp_path / "at-the-first-frame"
    app = PtyApp(path, extra=HOME_AT_REST.format(said=str(said)))
    try:
        wait_until(lambda: said.exists() and said.read_text(), 20, "the first frame")
        assert said.read_text() == "not loaded"
        app.send(CTRL_Q)
        assert app.wait_exit() == 0
    finally:
        app.stop()


@pytest.mark.parametrize("settled", [True, False], ids=["at rest", "just written"])
def test_a_read_failing_half_way_is_not_taken_for_no_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: bool
) -> None:
    """The main file is read (and has changed), then reading the session file fails (a
    network share's hiccup): the next read, finding both files as last read, must still show
    the change, not the snapshot from before it."""
    if settled:
        monkeypatch.setattr(repository_module, "SETTLED_SECONDS", 0)
    path = data_file(tmp_path)
    repo, _, _, partnership = set_up(path)
    repo.read()
    other = open_repo(path)
    ana = partnership.partners[0]
    other.put(Action("Changed by another screen", ana.id, DUE, None, START))
    read = _File.read

    def session_file_fails(self: _File) -> bool:
        if self.path == repo.session_path:
            raise OSError("the share went away for a moment")
        return read(self)

    with monkeypatch.context() as patch:
        patch.setattr(_File, "read", session_file_fails)
        with pytest.raises(OSError):
            repo.read()
    texts = {a.text for a in repo.read().actions.values()}
    assert "Changed by another screen" in texts

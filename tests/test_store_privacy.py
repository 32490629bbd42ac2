"""Meeting notes are private: new directories are 0700 and files 0600, whatever the umask;
in a folder set up for two accounts (setgid, group-writable) they are shared with the group."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import DUE, START, data_file, live_meeting, open_repo, partnership, set_up

from facilitator.domain.actions import EntryKind, new_action
from facilitator.domain.session import Session
from facilitator.store.presence import Presence
from facilitator.store.storage import new_file_mode, shared_directory


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that hides nothing, so only the store's own chmods make files private."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_new_directories_and_files_are_private(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o755)
    path = tmp_path / "new" / "deeper" / "facilitator.json"
    open_repo(path).put(partnership())

    assert mode(tmp_path) == 0o755  # the existing parent is left as it was
    assert mode(tmp_path / "new") == 0o700
    assert mode(tmp_path / "new" / "deeper") == 0o700
    assert mode(path) == 0o600
    lock = path.with_name("facilitator.json.lock")
    assert mode(lock) & 0o077 == 0, oct(mode(lock))


@pytest.mark.usefixtures("open_umask")
def test_session_and_history_files_are_private(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o750)
    path = tmp_path / "facilitator.json"
    lm = live_meeting(path)
    assert mode(lm.repo.session_path) == 0o600
    lm.meeting.finish_session()

    assert mode(tmp_path) == 0o750
    assert mode(path) == 0o600
    assert mode(lm.repo.history_dir) == 0o700
    assert mode(lm.repo.history_path(2026)) == 0o600


@pytest.mark.usefixtures("open_umask")
def test_the_presence_folder_and_files_are_private(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    open_repo(path)
    me = Presence(path, "screen-a", "Ana's terminal")
    me.beat()
    assert mode(me.directory) == 0o700
    files = list(me.directory.iterdir())
    assert [f.name for f in files] == ["screen-a.json"]
    assert mode(files[0]) == 0o600
    me.leave()
    assert list(me.directory.iterdir()) == []


@pytest.mark.usefixtures("open_umask")
def test_an_empty_file_made_beforehand_becomes_private(tmp_path: Path) -> None:
    """Made with `touch` (0644 under a common umask): the first write makes it 0600."""
    path = tmp_path / "facilitator.json"
    path.touch()
    os.chmod(path, 0o644)
    repo = open_repo(path)
    assert mode(path) == 0o644  # opening writes nothing
    repo.put(partnership())
    assert mode(path) == 0o600
    assert open_repo(path).read().partnership is not None


def test_an_existing_data_directory_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    os.chmod(folder, 0o755)
    open_repo(folder / "facilitator.json").put(partnership())
    assert mode(folder) == 0o755
    assert mode(folder / "facilitator.json") == 0o600


def test_a_mode_the_user_chose_is_kept_on_later_saves(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo, m, _c, p = set_up(path)
    os.chmod(path, 0o640)  # shared read-only with the group on purpose

    repo.put(new_action("Next", p.partners[0].id, DUE, None, START))
    m.seen(repo.read())
    m.begin_session([p.partners[0].id])
    m.add_entry("x", EntryKind.WIN, p.partners[0].id)
    m.finish_session()

    assert mode(path) == 0o640
    assert len(open_repo(path).read().actions) == 1


def test_a_mode_the_user_chose_for_history_is_kept(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo, m, c, p = set_up(path)
    first = m.begin_session([p.partners[0].id])
    m.finish_session()
    os.chmod(repo.history_path(2026), 0o640)

    c.advance(days=30)
    second = m.begin_session([p.partners[0].id])
    m.finish_session()

    assert mode(repo.history_path(2026)) == 0o640
    assert [s.id for s in repo.finished_sessions()] == [first.id, second.id]


# A folder shared by two accounts ----------------------------------------------------------------


def a_group_of_ours() -> int:
    """A group other than our own primary one where possible, to see it is the folder's."""
    if os.geteuid() == 0:
        return 4242  # root may give a folder any group
    others = [g for g in os.getgroups() if g != os.getegid()]
    return others[0] if others else os.getegid()


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chown(folder, -1, a_group_of_ours())
    os.chmod(folder, 0o2770)
    assert shared_directory(folder)
    return folder


def group(path: Path) -> int:
    return os.stat(path).st_gid


@pytest.mark.usefixtures("open_umask")
def test_in_a_shared_folder_new_files_are_for_the_group(shared: Path) -> None:
    path = shared / "facilitator.json"
    lm = live_meeting(path)
    assert new_file_mode(shared) == 0o660
    assert lm.repo.new_file_mode == 0o660
    for made in (path, lm.repo.session_path, path.with_name("facilitator.json.lock")):
        assert mode(made) == 0o660, made
        assert group(made) == group(shared), made
    assert mode(shared) == 0o2770  # the folder is left as set up


def test_a_shared_folders_mode_applies_whatever_the_umask(shared: Path) -> None:
    old = os.umask(0o077)
    try:
        open_repo(shared / "facilitator.json").put(partnership())
    finally:
        os.umask(old)
    assert mode(shared / "facilitator.json") == 0o660


def test_a_plain_group_writable_folder_is_not_shared(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    os.chmod(folder, 0o770)  # no setgid: not set up for sharing
    assert not shared_directory(folder)
    open_repo(folder / "facilitator.json").put(partnership())
    assert mode(folder / "facilitator.json") == 0o600


@pytest.mark.usefixtures("open_umask")
def test_in_a_shared_folder_history_is_for_the_group(shared: Path) -> None:
    path = shared / "facilitator.json"
    lm = live_meeting(path)
    lm.meeting.finish_session()
    history = lm.repo.history_dir
    assert group(history) == group(shared)
    assert group(lm.repo.history_path(2026)) == group(shared)
    assert mode(history) == 0o2770  # shared on, like the folder it is in
    assert mode(lm.repo.history_path(2026)) == 0o660


@pytest.mark.usefixtures("open_umask")
def test_in_a_shared_folder_presence_is_for_the_group(shared: Path) -> None:
    path = shared / "facilitator.json"
    me = Presence(path, "screen-a", "Ana's terminal")
    me.beat()
    assert mode(me.directory) == 0o2770
    assert group(me.directory) == group(shared)
    assert mode(me.directory / "screen-a.json") == 0o660
    assert group(me.directory / "screen-a.json") == group(shared)


def test_a_session_begun_in_a_shared_folder_reads_back(shared: Path) -> None:
    path = shared / "facilitator.json"
    repo = open_repo(path)
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)
    repo.put(p)
    repo.put(session)
    assert open_repo(path).read().session == session


@pytest.mark.usefixtures("open_umask")
def test_a_folder_made_inside_a_shared_folder_is_shared_too(shared: Path) -> None:
    path = shared / "meetings" / "facilitator.json"
    open_repo(path).put(partnership())
    assert mode(path.parent) == 0o2770
    assert group(path.parent) == group(shared)
    assert mode(path) == 0o660

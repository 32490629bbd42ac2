"""Meeting notes are private: new directories are 0700 and data files 0600, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from store_helpers import START, partnership

from facilitator.domain.actions import ActionStatus, mark, new_action
from facilitator.domain.session import Session
from facilitator.store.repository import Repository


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
    path = tmp_path / "new" / "deeper" / "data.json"
    repo = Repository.open(path)
    repo.save(partnership())

    assert mode(tmp_path) == 0o755  # the existing parent is left as it was
    assert mode(tmp_path / "new") == 0o700
    assert mode(tmp_path / "new" / "deeper") == 0o700
    assert mode(path) == 0o600
    lock = path.with_name("data.json.lock")
    assert mode(lock) & 0o077 == 0, oct(mode(lock))


@pytest.mark.usefixtures("open_umask")
def test_history_directory_and_file_are_private(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o750)
    path = tmp_path / "data.json"
    repo = Repository.open(path)
    p = partnership()
    session = Session.begin(p, [p.partners[0].id], START)
    action = new_action("Do it", p.partners[0].id, date(2026, 3, 9), None, START)
    mark(action, ActionStatus.DONE, session.id, now=START)
    repo.save(p, session, action)
    session.finish(START)
    repo.finish_session(session, p)

    assert mode(tmp_path) == 0o750
    assert mode(path) == 0o600
    assert mode(repo.history_dir) == 0o700
    assert mode(repo.history_path(2026)) == 0o600


def test_an_existing_data_directory_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o775)
    Repository.open(shared / "data.json").save(partnership())
    assert mode(shared) == 0o775
    assert mode(shared / "data.json") == 0o600


def test_a_mode_the_user_chose_is_kept_on_later_saves(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    repo = Repository.open(path)
    p = partnership()
    repo.save(p)
    os.chmod(path, 0o640)  # shared read-only with the group on purpose

    repo.save(new_action("Next", p.partners[0].id, date(2026, 3, 9), None, START))
    repo.save_draft({"name": "x"})

    assert mode(path) == 0o640
    assert len(repo.load_live().actions) == 1


def test_a_mode_the_user_chose_for_history_is_kept(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "data.json")
    p = partnership()
    first = Session.begin(p, [p.partners[0].id], START)
    repo.save(p, first)
    repo.finish_session(first, p)
    os.chmod(repo.history_path(2026), 0o640)

    second = Session.begin(p, [p.partners[0].id], START.replace(month=4))
    repo.save(second)
    repo.finish_session(second, p)

    assert mode(repo.history_path(2026)) == 0o640
    assert [s.id for s in repo.finished_sessions()] == [first.id, second.id]

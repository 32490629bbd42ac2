"""Two Unix accounts on one machine sharing the data: a setgid folder, group-writable (2770).

Every file the app makes there (the main file, the session file while a session is live, the
history folder and its year files, the lock file, the presence folder and its files) is for the
folder's group: mode 0660 (folders 2770) and the folder's group, and an atomic replacement (a
new inode each write) keeps both. Outside such a folder everything is private (0600 and 0700).

As root with `groupadd`/`useradd`, two throwaway accounts in a throwaway group take turns on
the same data in child processes (with no other groups and a strict umask), each reading and
changing what the other wrote, through the lock. Otherwise the modes and groups are checked
in this process only.

Outside a shared set-up, the app warns when its data can be read by others.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from facilitator.domain.actions import EntryKind
from facilitator.domain.clock import FakeClock
from facilitator.domain.partnership import Cadence
from facilitator.domain.state import Author
from facilitator.meeting import Meeting
from facilitator.store.presence import Presence, presence_dir
from facilitator.store.repository import Repository
from facilitator.store.storage import exposure, new_file_mode, shared_directory

TESTS = Path(__file__).resolve().parent
REPO_ROOT = TESTS.parent
START = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
ZONE = "UTC"
CHILD_SECONDS = 60
ADMIN_SECONDS = 10


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def group(path: Path) -> int:
    return os.stat(path).st_gid


def lock_path(data: Path) -> Path:
    return data.with_name(data.name + ".lock")


# One account's turn: the same code runs in this process and, as another account, in a child ----


def meeting(data: Path, who: str, *, days: float = 0) -> tuple[Meeting, FakeClock]:
    """The app's own way of changing the data, as `who`'s screen, at a fixed time."""
    clock = FakeClock(START)
    clock.advance(days=days)
    repo = Repository.open(data, time_zone=lambda: ZONE)
    return Meeting(repo, clock, author=Author(client=who, label=f"{who}'s terminal")), clock


def set_up_and_begin(data: Path, who: str) -> dict[str, Any]:
    """Create the partnership, begin a session, add an entry, say this screen is open."""
    m, clock = meeting(data, who)
    p = m.create_partnership("Tuesday club", ["Ana", "Ben"], Cadence.WEEKLY, 30, ZONE)
    m.begin_session([partner.id for partner in p.partners])
    clock.advance(60)
    m.add_entry(f"{who}'s win", EntryKind.WIN, p.partners[0].id)
    Presence(data, who, f"{who}'s terminal").beat()
    return {"session_file": m.repository.session_path.exists()}


def join_and_finish(data: Path, who: str) -> dict[str, Any]:
    """Read what the other account stored, add to it, and finish the session (history)."""
    m, clock = meeting(data, who)
    partnership, session = m.partnership, m.session
    assert partnership is not None and session is not None, "the other account's data"
    seen = sorted(e.text for e in m.state.entries.values())
    Presence(data, who, f"{who}'s terminal").beat()
    screens = sorted(  # the other account's presence file is readable too
        json.loads(p.read_bytes())["screen"]["client"]["label"]
        for p in presence_dir(data).glob("*.json")
    )
    clock.advance(120)
    m.add_entry(f"{who}'s win", EntryKind.WIN, partnership.partners[1].id)
    m.finish_session()
    return {
        "partnership": partnership.name,
        "seen": seen,
        "screens": screens,
        "session_file": m.repository.session_path.exists(),
    }


def carry_on(data: Path, who: str) -> dict[str, Any]:
    """A week later: read the history the other account wrote, and add a session to it."""
    m, _ = meeting(data, who, days=7)
    before = m.repository.finished_sessions()
    partnership = m.the_partnership
    m.begin_session([partnership.partners[0].id])
    m.add_entry(f"{who}'s second win", EntryKind.WIN, partnership.partners[0].id)
    m.finish_session()
    sessions, entries, _ = m.repository.read_history(m.repository.history_years())
    return {
        "before": len(before),
        "sessions": len(sessions),
        "entries": sorted(e.text for e in entries),
    }


STEPS = {"begin": set_up_and_begin, "finish": join_and_finish, "carry_on": carry_on}


def child(step: str, data: str, who: str) -> int:
    """The entry point of a child process run as another account: one step, its result as
    JSON on the last line of stdout."""
    print(json.dumps(STEPS[step](Path(data), who)))
    return 0


# In this process: modes and groups after every kind of write ---------------------------------


def a_group_of_ours() -> int:
    """A group other than our own primary one where possible, to see it is the folder's."""
    if os.geteuid() == 0:
        return 4242  # root may give a folder any group
    others = [g for g in os.getgroups() if g != os.getegid()]
    return others[0] if others else os.getegid()


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask hiding nothing: only the app's own modes make files private or shared."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def strict_umask() -> Iterator[None]:
    """A umask hiding everything from the group: the app must still share in a shared folder."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def shared_folder(parent: Path, gid: int) -> Path:
    folder = parent / "shared"
    folder.mkdir()
    os.chown(folder, -1, gid)
    os.chmod(folder, 0o2770)
    assert shared_directory(folder)
    return folder


def store_files(data: Path) -> list[Path]:
    """Every file and folder of the store, as they are now."""
    found = [p for p in data.parent.iterdir() if not p.name.startswith(".")]
    for folder in [p for p in found if p.is_dir()]:
        found += list(folder.iterdir())
    return sorted(found)


def assert_shared(path: Path, gid: int) -> None:
    expected = 0o2770 if path.is_dir() else 0o660
    assert (oct(mode(path)), group(path)) == (oct(expected), gid), path


def assert_private(path: Path) -> None:
    expected = 0o700 if path.is_dir() else 0o600
    assert oct(mode(path)) == oct(expected), path


@pytest.mark.usefixtures("strict_umask")
def test_in_a_shared_folder_every_file_is_the_groups(tmp_path: Path) -> None:
    gid = a_group_of_ours()
    data = shared_folder(tmp_path, gid) / "facilitator.json"
    assert new_file_mode(data.parent) == 0o660

    set_up_and_begin(data, "ana")
    repo = Repository.open(data)
    live = repo.session_path
    assert live.exists()  # the session file, while the session is live
    for made in (data, live, lock_path(data), presence_dir(data), *presence_dir(data).iterdir()):
        assert_shared(made, gid)

    # Each write replaces the file (a new inode): the group and mode come with it.
    inode = os.stat(data).st_ino
    join_and_finish(data, "ana")
    assert os.stat(data).st_ino != inode
    assert not live.exists()
    assert repo.history_dir.is_dir()
    # The history folder is made inside: shared on like its parent, never 0700 (which would
    # lock the other account out of every finished session).
    for made in (data, repo.history_dir, repo.history_path(2026), lock_path(data)):
        assert_shared(made, gid)

    year_inode = os.stat(repo.history_path(2026)).st_ino
    carry_on(data, "ana")
    assert os.stat(repo.history_path(2026)).st_ino != year_inode
    for made in store_files(data):
        assert_shared(made, gid)
    assert mode(data.parent) == 0o2770  # the folder is left as it was set up


@pytest.mark.usefixtures("open_umask")
def test_in_a_shared_folder_a_file_made_empty_beforehand_becomes_the_groups(
    tmp_path: Path,
) -> None:
    gid = a_group_of_ours()
    data = shared_folder(tmp_path, gid) / "facilitator.json"
    data.touch()
    os.chmod(data, 0o644)  # as `touch` leaves it under a common umask
    set_up_and_begin(data, "ana")
    assert_shared(data, gid)


@pytest.mark.usefixtures("open_umask")
def test_in_a_shared_folder_a_mode_chosen_for_the_file_is_kept(tmp_path: Path) -> None:
    gid = a_group_of_ours()
    data = shared_folder(tmp_path, gid) / "facilitator.json"
    set_up_and_begin(data, "ana")
    os.chmod(data, 0o640)  # the partner may read, not write: the owner's choice
    join_and_finish(data, "ana")
    assert (oct(mode(data)), group(data)) == (oct(0o640), gid)


@pytest.mark.usefixtures("open_umask")
def test_outside_a_shared_folder_everything_is_private(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    os.chmod(folder, 0o775)  # group-writable, but not setgid: not set up for sharing
    data = folder / "facilitator.json"
    assert new_file_mode(folder) == 0o600

    set_up_and_begin(data, "ana")
    assert Repository.open(data).session_path.exists()
    for path in store_files(data):
        assert_private(path)
    join_and_finish(data, "ana")
    carry_on(data, "ana")
    made = store_files(data)
    assert {p.name for p in made} >= {
        "facilitator.json",
        "facilitator.json.lock",
        "facilitator.history",
        "2026.json",
        "facilitator.presence",
        "ana.json",
    }
    for path in made:
        assert_private(path)
    assert mode(folder) == 0o775


# Two real accounts, taking turns on one data file --------------------------------------------


@dataclass
class Accounts:
    group: str
    gid: int
    users: tuple[str, str]
    uids: tuple[int, int]
    base: Path
    """A folder both accounts can reach (pytest's own temporary folders are 0700)."""


def admin(*command: str) -> None:
    """Run useradd and friends, retrying while another process holds /etc/passwd's lock."""
    deadline = time.monotonic() + ADMIN_SECONDS
    while True:
        result = subprocess.run(command, capture_output=True, text=True, timeout=ADMIN_SECONDS)
        if result.returncode == 0:
            return
        if time.monotonic() > deadline or "lock" not in result.stderr.lower():
            raise RuntimeError(f"{' '.join(command)}: {result.stderr.strip()}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def accounts() -> Iterator[Accounts]:
    if os.geteuid() != 0:
        pytest.skip("making two accounts needs root; the modes and groups are checked above")
    if not (shutil.which("groupadd") and shutil.which("useradd")):
        pytest.skip("no groupadd/useradd here; the modes and groups are checked above")
    import grp
    import pwd

    tag = secrets.token_hex(3)
    name = f"facgrp{tag}"
    users = (f"facana{tag}", f"facben{tag}")
    made_users: list[str] = []
    made_group = False
    base = Path(tempfile.mkdtemp(prefix="facilitator-shared-"))
    try:
        os.chmod(base, 0o711)  # others may pass through, not list
        admin("groupadd", name)
        made_group = True
        for user in users:
            admin(
                "useradd",
                "--no-create-home",
                "--no-user-group",
                "--gid",
                name,
                "--home-dir",
                str(base),
                "--shell",
                "/usr/sbin/nologin",
                user,
            )
            made_users.append(user)
        yield Accounts(
            group=name,
            gid=grp.getgrnam(name).gr_gid,
            users=users,
            uids=(pwd.getpwnam(users[0]).pw_uid, pwd.getpwnam(users[1]).pw_uid),
            base=base,
        )
    finally:
        for user in made_users:
            with contextlib.suppress(Exception):
                admin("userdel", user)
        if made_group:
            with contextlib.suppress(Exception):
                admin("groupdel", name)
        shutil.rmtree(base, ignore_errors=True)


BOOT = """\
import json, sys
sys.path[:0] = json.loads(sys.argv[1])
try:  # can this Python, as this account, reach the code at all?
    import facilitator, filelock, pendulum, pytest, tinydb
except ImportError as error:
    print(f"cannot import: {error}", file=sys.stderr)
    sys.exit(3)
import test_shared_group  # any other failure is a real one
sys.exit(test_shared_group.child(*sys.argv[2:]))
"""


def interpreters() -> list[str]:
    """This Python, and failing that one of the same version the other account can run
    (this one may sit in root's home, which no one else may enter)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    found = [sys.executable, f"/usr/bin/{version}", shutil.which(version) or ""]
    return [p for i, p in enumerate(found) if p and p not in found[:i] and Path(p).exists()]


class Turns:
    """Runs a step as one account or the other, in a child with no other groups."""

    def __init__(self, accounts: Accounts, data: Path) -> None:
        self.accounts = accounts
        self.data = data
        self.paths = json.dumps(
            [str(TESTS), str(REPO_ROOT), *(p for p in sys.path if p.endswith("site-packages"))]
        )
        self.python: str | None = None

    def run(self, step: str, account: int) -> dict[str, Any]:
        user = self.accounts.users[account]
        tried = []
        for python in [self.python] if self.python else interpreters():
            try:
                result = subprocess.run(
                    [python, "-c", BOOT, self.paths, step, str(self.data), user],
                    user=user,
                    group=self.accounts.group,
                    extra_groups=[],  # not root's groups: only the shared one
                    umask=0o077,  # a careful person's umask: the app must still share
                    cwd=self.accounts.base,
                    env={
                        "HOME": str(self.accounts.base),
                        "PATH": "/usr/bin:/bin",
                        "LANG": "C.UTF-8",
                    },
                    capture_output=True,
                    text=True,
                    timeout=CHILD_SECONDS,
                )
            except PermissionError as error:
                tried.append(f"{python}: {error}")
                continue
            if result.returncode == 3 or "Fatal Python error" in result.stderr:
                tried.append(f"{python}: {result.stderr.strip()}")
                continue
            assert result.returncode == 0, (
                f"{step} as {user} failed (exit {result.returncode}):\n{result.stderr}"
            )
            self.python = python
            answer: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
            return answer
        pytest.skip(f"no Python that the account {user} may run and import from: {tried}")


@pytest.fixture
def their_folder(accounts: Accounts) -> Path:
    """A shared folder (2770, the accounts' group) that both accounts can reach."""
    parent = Path(tempfile.mkdtemp(dir=accounts.base))
    os.chmod(parent, 0o711)
    return shared_folder(parent, accounts.gid)


def test_two_accounts_share_the_data_through_the_group(
    accounts: Accounts, their_folder: Path
) -> None:
    data = their_folder / "facilitator.json"
    turns = Turns(accounts, data)
    ana, ben = accounts.uids
    repo = Repository(data)

    # Ana sets up and begins a session: the session file is live, her screen is listed.
    assert turns.run("begin", 0) == {"session_file": True}
    for made in (data, repo.session_path, lock_path(data), presence_dir(data)):
        assert_shared(made, accounts.gid)
        assert os.stat(made).st_uid == ana, made
    assert_shared(presence_dir(data) / f"{accounts.users[0]}.json", accounts.gid)

    # Ben, who owns none of it, reads it all, adds to it and finishes: through the lock Ana
    # made, replacing files Ana owns, making the history folder and this year's file.
    joined = turns.run("finish", 1)
    assert joined["partnership"] == "Tuesday club"
    assert joined["seen"] == [f"{accounts.users[0]}'s win"]
    assert joined["screens"] == sorted(f"{user}'s terminal" for user in accounts.users)
    assert joined["session_file"] is False
    assert os.stat(data).st_uid == ben  # replaced by Ben: a new file, still the group's
    assert os.stat(lock_path(data)).st_uid == ana  # the lock file stays Ana's, and works
    assert os.stat(repo.history_dir).st_uid == ben
    for made in store_files(data):
        assert_shared(made, accounts.gid)

    # A week on, Ana reads the history Ben wrote and adds a session to his year file.
    later = turns.run("carry_on", 0)
    assert later["before"] == 1
    assert later["sessions"] == 2
    assert len(later["entries"]) == 3
    assert os.stat(repo.history_path(2026)).st_uid == ana
    for made in store_files(data):
        assert_shared(made, accounts.gid)

    # And everything written is there for either of them (read here, as root, to compare).
    assert [s.started_at for s in Repository.open(data).finished_sessions()] == [
        START,
        START.replace(day=9),
    ]


# A data folder the app makes inside the shared folder ---------------------------------------

LOCK_MODE_BUG = (
    "BUG: Repository.__init__ decides the lock file's mode (storage.lock_for -> "
    "new_file_mode(path.parent)) before its folder exists; hold() then makes the folder 2770 "
    "inside the shared folder, but the lock file is created 0600, and filelock never changes "
    "the mode of a lock file that exists. The other account can't open the lock, so it can't "
    "read or save the data at all (StoreError: 'you may not write in its folder')"
)


@pytest.mark.usefixtures("strict_umask")
def test_a_data_folder_made_inside_a_shared_folder_has_a_shared_lock(tmp_path: Path) -> None:
    gid = a_group_of_ours()
    data = shared_folder(tmp_path, gid) / "meetings" / "facilitator.json"
    set_up_and_begin(data, "ana")
    assert_shared(data.parent, gid)  # the folder is made shared, as it should be
    assert_shared(data, gid)
    assert_shared(lock_path(data), gid)


def test_the_other_account_can_use_data_in_a_folder_the_app_made(
    accounts: Accounts, their_folder: Path
) -> None:
    data = their_folder / "meetings" / "facilitator.json"
    turns = Turns(accounts, data)
    turns.run("begin", 0)
    joined = turns.run("finish", 1)  # fails: Ben may not open the lock file Ana made 0600
    assert joined["partnership"] == "Tuesday club"


# Outside a shared set-up, the app warns when its data can be read by others ------------------


@pytest.mark.parametrize(
    ("file_mode", "expected"),
    [
        (0o600, None),
        (0o400, None),
        (0o640, "can be read by everyone in its group"),
        (0o644, "can be read by every account on this machine"),
        (0o604, "can be read by every account on this machine"),
    ],
)
def test_exposure_says_who_can_read_the_data(
    tmp_path: Path, file_mode: int, expected: str | None
) -> None:
    data = tmp_path / "facilitator.json"
    data.write_text("{}")
    os.chmod(data, file_mode)
    os.chmod(tmp_path, 0o755)  # a folder anyone may enter: the file's own mode decides
    found = exposure(data)
    assert found == (f"{data} {expected}" if expected else None)


def test_in_a_shared_folder_the_group_may_read_without_a_warning(tmp_path: Path) -> None:
    data = shared_folder(tmp_path, a_group_of_ours()) / "facilitator.json"
    data.write_text("{}")
    os.chmod(data, 0o660)
    assert exposure(data) is None
    os.chmod(data, 0o664)  # others can't enter the 2770 folder, so still only the group
    assert exposure(data) is None
    os.chmod(data.parent, 0o2775)  # a folder anyone may enter: now everyone can read it
    assert "every account" in (exposure(data) or "")


async def warnings_on_start(data: Path, tmp_path: Path) -> list[str]:
    from facilitator.ui.app import make_app

    app = make_app(
        Repository.open(data),
        FakeClock(START),
        store_thread=False,
        time_zone=ZONE,
        settings_path=tmp_path / "settings.json",
    )
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await pilot.pause()
        return [f"{n.title}: {n.message}" for n in app._notifications if n.severity == "warning"]


def published(data: Path) -> None:
    """The data as `cp -r` under a common umask leaves it: folders 0755, files 0644."""
    for path in [data.parent, *store_files(data)]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


async def test_the_app_warns_on_start_when_everyone_can_read_the_data(tmp_path: Path) -> None:
    data = tmp_path / "mine" / "facilitator.json"
    set_up_and_begin(data, "ana")
    published(data)
    [warning] = await warnings_on_start(data, tmp_path)
    assert "readable" in warning
    assert f"{data} can be read by every account" in warning
    assert "chmod 600" in warning


async def test_the_app_does_not_warn_about_private_data(tmp_path: Path) -> None:
    data = tmp_path / "mine" / "facilitator.json"
    set_up_and_begin(data, "ana")
    assert mode(data) == 0o600
    assert await warnings_on_start(data, tmp_path) == []


async def test_the_app_does_not_warn_when_shared_with_the_group(tmp_path: Path) -> None:
    data = shared_folder(tmp_path, a_group_of_ours()) / "facilitator.json"
    set_up_and_begin(data, "ana")
    assert mode(data) == 0o660
    assert await warnings_on_start(data, tmp_path) == []


async def test_the_app_warns_when_everyone_can_read_the_history(tmp_path: Path) -> None:
    data = tmp_path / "mine" / "facilitator.json"
    set_up_and_begin(data, "ana")
    join_and_finish(data, "ana")
    published(data)
    os.chmod(data, 0o600)  # as the warning advises: the main file alone is made private
    history = Repository(data).history_path(2026)
    assert mode(history) == 0o644
    assert mode(history.parent) == 0o755
    warnings = await warnings_on_start(data, tmp_path)
    assert any(str(history) in w or "history" in w for w in warnings), warnings


def test_the_readme_describes_the_sharing_the_warning_points_to() -> None:
    from facilitator.ui import app

    if "README" not in Path(app.__file__).read_text():
        return  # the warning no longer sends anyone to the README: nothing to describe there
    readme = (REPO_ROOT / "README.md").read_text()
    assert "2770" in readme or "g+s" in readme or "setgid" in readme.lower()

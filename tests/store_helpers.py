"""Shared builders for the store tests: a partnership, a fixed clock, meetings, child processes."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from facilitator.domain.actions import Action, ActionStatus, Entry, EntryKind
from facilitator.domain.clock import FakeClock
from facilitator.domain.partnership import Cadence, Partner, Partnership
from facilitator.domain.session import Session
from facilitator.domain.state import Author
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
START = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
"""A Monday evening (UTC): when the tests' sessions start."""
DUE = date(2026, 3, 9)
CHILD_TIMEOUT_SECONDS = 60
ANA = Author(client="screen-a", label="Ana's terminal")
BEN = Author(client="screen-b", label="Ben's laptop")


def clock() -> FakeClock:
    return FakeClock(START)


def partnership(*names: str, time_zone: str = "UTC") -> Partnership:
    return Partnership(
        name="Thursday crew",
        partners=tuple(Partner(name=name) for name in (names or ("Zoë", "Ravi"))),
        cadence=Cadence.WEEKLY,
        session_minutes=30,
        created_on=START.date(),
        time_zone=time_zone,
    )


def data_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "facilitator.json"


def open_repo(path: Path, time_zone: str = "UTC") -> Repository:
    return Repository.open(path, time_zone=lambda: time_zone)


def new_meeting(
    repo: Repository, c: FakeClock | None = None, author: Author = ANA
) -> tuple[Meeting, FakeClock]:
    c = c or clock()
    return Meeting(repo, c, author=author), c


def set_up(
    path: Path, *names: str, time_zone: str = "UTC"
) -> tuple[Repository, Meeting, FakeClock, Partnership]:
    """A store with a partnership made through a Meeting, as the first-run screen makes it."""
    repo = open_repo(path, time_zone)
    m, c = new_meeting(repo)
    p = m.create_partnership(
        "Thursday crew", list(names or ("Zoë", "Ravi")), Cadence.WEEKLY, 30, time_zone
    )
    return repo, m, c, p


@dataclass
class LiveMeeting:
    """A session in progress, saved: earlier actions reviewed, new ones agreed, entries made."""

    repo: Repository
    meeting: Meeting
    clock: FakeClock
    partnership: Partnership
    session: Session
    closed: list[str]
    """Ids of earlier actions marked in the session (they go to history when it finishes)."""
    open: list[str]
    """Ids of actions still open (they stay in the main file)."""
    entries: list[str]


def live_meeting(path: Path, time_zone: str = "UTC") -> LiveMeeting:
    repo, m, c, p = set_up(path, time_zone=time_zone)
    zoe, ravi = p.partners
    earlier = [
        Action("Call the bank", zoe.id, date(2026, 3, 1), None, START.replace(day=1)),
        Action("Write 500 words", ravi.id, date(2026, 3, 1), None, START.replace(day=1)),
        Action("Book the venue", ravi.id, date(2026, 4, 1), None, START.replace(day=1)),
    ]
    repo.put(*earlier)
    m.seen(repo.read())
    session = m.begin_session([zoe.id, ravi.id])
    c.advance(60)
    m.mark(m.state.actions[earlier[0].id], ActionStatus.DONE)
    m.mark(m.state.actions[earlier[1].id], ActionStatus.PARTLY, in_the_way="Flu", carry=True)
    agreed = m.add_action("Draft the intro 李", zoe.id, DUE)
    c.advance(60)
    win = m.add_entry("Shipped the beta", EntryKind.WIN, zoe.id)
    c.advance(60)
    help_ = m.add_entry("Need an intro", EntryKind.HELP, ravi.id)
    m.next_turn()
    carried = m.state.carried_copy(earlier[1].id)
    assert carried is not None
    return LiveMeeting(
        repo=repo,
        meeting=m,
        clock=c,
        partnership=m.the_partnership,
        session=session,
        closed=[earlier[0].id, earlier[1].id],
        open=[earlier[2].id, agreed.id, carried.id],
        entries=[win.id, help_.id],
    )


@dataclass
class Everything:
    """Every record the store holds, wherever it is: live, or in history."""

    live_session: Session | None
    history_sessions: list[Session]
    actions: dict[str, Action]
    """Open ones and those of the live session, then those in history (never both)."""
    entries: dict[str, Entry]
    live_action_ids: set[str]
    history_action_ids: set[str]
    live_entry_ids: set[str]
    history_entry_ids: set[str]


def everything(repo: Repository) -> Everything:
    state = repo.read()
    sessions, entries, actions = repo.read_history(repo.history_years())
    return Everything(
        live_session=state.session,
        history_sessions=sessions,
        actions={**{a.id: a for a in actions}, **dict(state.actions)},
        entries={**{e.id: e for e in entries}, **dict(state.entries)},
        live_action_ids=set(state.actions),
        history_action_ids={a.id for a in actions},
        live_entry_ids=set(state.entries),
        history_entry_ids={e.id for e in entries},
    )


def raw(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_bytes())
    return data


def ids(records: Iterable[Any]) -> set[str]:
    return {r.id for r in records}


def child_env() -> dict[str, str]:
    """The environment for a child Python that imports facilitator from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT), str(Path(__file__).parent), env.get("PYTHONPATH", "")) if p
    )
    return env


def child_command(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code), *args]


def run_child(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh process with `args` as sys.argv[1:]: forked from a child Python
    that has imported facilitator once, so each costs milliseconds, not a start-up."""
    return _fork_server.run(textwrap.dedent(code), list(args))


FORK_SERVER = r"""
import json, os, sys, traceback
import store_helpers  # what the children use, imported once, before any fork
import facilitator.store.worker

def child(job):
    code = 1
    try:
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # the jobs' pipe is not the child's
        for fd, name in ((1, "stdout"), (2, "stderr")):
            os.dup2(os.open(job[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
        sys.argv = ["-c", *job["args"]]
        try:
            exec(compile(job["code"], "<child>", "exec"), {"__name__": "__main__"})
            code = 0
        except SystemExit as stop:
            if stop.code is None or isinstance(stop.code, int):
                code = stop.code or 0
            else:
                print(stop.code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)

for line in sys.stdin:
    job = json.loads(line)
    pid = os.fork()
    if pid == 0:
        child(job)
    print(json.dumps({"pid": pid}), flush=True)
    _, status = os.waitpid(pid, 0)
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    print(json.dumps({"returncode": code}), flush=True)
"""


class _ForkServer:
    def __init__(self) -> None:
        self._server: subprocess.Popen[str] | None = None
        self._guard = threading.Lock()

    def _started(self) -> subprocess.Popen[str]:
        if self._server is None or self._server.poll() is not None:
            self._server = subprocess.Popen(
                [sys.executable, "-c", FORK_SERVER],
                env=child_env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            atexit.register(self.stop)
        return self._server

    def _line(self, server: subprocess.Popen[str], deadline: float) -> dict[str, int]:
        assert server.stdout is not None
        ready, _, _ = select.select([server.stdout], [], [], max(0.0, deadline - time.monotonic()))
        line = server.stdout.readline() if ready else ""
        if not line:
            raise AssertionError("the fork server ended, or a child ran out of time")
        answer: dict[str, int] = json.loads(line)
        return answer

    def run(self, code: str, args: list[str]) -> subprocess.CompletedProcess[str]:
        with self._guard, tempfile.TemporaryDirectory(prefix="child-") as folder:
            out, err = Path(folder, "stdout"), Path(folder, "stderr")
            job = {"code": code, "args": args, "stdout": str(out), "stderr": str(err)}
            server = self._started()
            assert server.stdin is not None
            server.stdin.write(json.dumps(job) + "\n")
            server.stdin.flush()
            deadline = time.monotonic() + CHILD_TIMEOUT_SECONDS
            pid = self._line(server, deadline)["pid"]
            try:
                returncode = self._line(server, deadline)["returncode"]
            except AssertionError:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                server.kill()
                server.wait()
                raise
            return subprocess.CompletedProcess(
                ["<forked>", *args], returncode, out.read_text(), err.read_text()
            )

    def stop(self) -> None:
        if self._server is not None and self._server.poll() is None:
            assert self._server.stdin is not None
            self._server.stdin.close()
            self._server.wait(timeout=10)
            if self._server.stdout is not None:
                self._server.stdout.close()


_fork_server = _ForkServer()


def start_child(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        child_command(code, *args),
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish_children(children: list[subprocess.Popen[str]]) -> list[tuple[str, str]]:
    """Wait for every child; kill any still running if one fails to finish in time."""
    try:
        return [child.communicate(timeout=CHILD_TIMEOUT_SECONDS) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.communicate(timeout=10)


def wait_until(condition: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    """Poll a real condition (a file another process writes) until it holds, or fail."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or condition}")
        time.sleep(0.005)


def temp_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.name.endswith(".tmp"))

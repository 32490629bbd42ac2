"""Run the real program in a pseudo-terminal: start it, type into it, read what it draws.

The app draws on stderr and reads stdin, so both (and stdout) are the pty's slave end; the
test holds the master end. A thread drains the master all the time (a full pty buffer would
block the app's writes) and keeps everything drawn, so a test can wait for text to appear.
Every wait polls a real condition against a deadline: nothing here sleeps blindly.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from conftest import met_before

from facilitator.domain.partnership import Cadence
from facilitator.domain.state import Author, MeetingState
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository

REPO_ROOT = Path(__file__).resolve().parent.parent
ROWS, COLUMNS = 24, 80
STARTUP_SECONDS = 20.0
"""Generous: only reached when something is wrong (a loaded machine starts slowly)."""
EXIT_SECONDS = 10.0
"""How long a stopped app may take to save and go: "promptly"."""

# Written to the master, as a terminal sends them.
ENTER = b"\r"
ESCAPE = b"\x1b"
CTRL_Q = b"\x11"

BOOT = """\
import fcntl, sys, termios
if {ctty} and sys.stdin.isatty():
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
{extra}
from facilitator.cli import main
sys.exit(main(sys.argv[1:]))
"""
"""The program as `facilitator` runs it, with room for a test to change something first
(`extra`). With `ctty`, the terminal becomes the process's controlling terminal, as a login
shell's is: closing the terminal then sends it SIGHUP, as a dropped SSH connection does.
Without, closing the terminal is seen only as the terminal's end (EIO) by the app itself."""

_ESCAPES = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")

T = TypeVar("T")


def strip_escapes(raw: bytes) -> str:
    """Terminal output as text: escape sequences taken out, bad bytes replaced."""
    return _ESCAPES.sub(b"", raw).decode("utf-8", errors="replace")


def app_env(**extra: str) -> dict[str, str]:
    """The environment of a person's terminal, with nothing from the test run that would
    change how the app starts (a driver, a clock offset, a data path)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "FACILITATOR", "PYTEST"))
    }
    env.update(
        TERM="xterm-256color",
        COLUMNS=str(COLUMNS),
        LINES=str(ROWS),
        PYTHONPATH=str(REPO_ROOT),
    )
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def wait_until(condition: Callable[[], T], timeout: float, what: str, interval: float = 0.02) -> T:
    """Poll `condition` until it returns something truthy; fail saying `what` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.1f} s waiting for {what}")
        time.sleep(interval)


class PtyApp:
    """The program running in a pseudo-terminal of ROWS x COLUMNS."""

    def __init__(
        self,
        data: Path,
        *args: str,
        extra: str = "",
        ctty: bool = True,
        stdin: int | None = None,
    ) -> None:
        self.data = data
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.master: int | None = master
        self._master_fd = master
        self._closing = threading.Event()
        self._output = bytearray()
        self._changed = threading.Condition()
        self._eof = False
        try:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    BOOT.format(ctty=ctty, extra=extra),
                    "--data",
                    str(data),
                    *args,
                ],
                stdin=slave if stdin is None else stdin,
                stdout=slave,
                stderr=slave,
                cwd=data.parent,
                env=app_env(),
                start_new_session=True,
            )
        finally:
            os.close(slave)  # the child's copies are the only ones: EIO here when it's gone
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()

    # Output -------------------------------------------------------------------------------

    def _read(self) -> None:
        """Drain the master until the app is gone or the test closes the terminal. Only this
        thread closes the master: closed by another, its number could be reused at once by
        the next app's pty (tests run side by side) and this loop would read that app's
        output, which then never reaches its own test."""
        master = self._master_fd
        try:
            while not self._closing.is_set():
                ready, _, _ = select.select([master], [], [], 0.05)
                if not ready:
                    continue
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every slave end closed (the app is gone)
                    chunk = b""
                if not chunk:
                    break
                with self._changed:
                    self._output += chunk
                    self._changed.notify_all()
        finally:
            self.master = None
            os.close(master)
            with self._changed:
                self._eof = True
                self._changed.notify_all()

    @property
    def raw(self) -> bytes:
        with self._changed:
            return bytes(self._output)

    def mark(self) -> int:
        """Where the output is now: wait for text drawn after this point."""
        with self._changed:
            return len(self._output)

    def text(self, since: int = 0) -> str:
        """What was drawn (from `since`), escape sequences taken out."""
        return strip_escapes(self.raw[since:])

    def wait_for(self, text: str, *, since: int = 0, timeout: float = STARTUP_SECONDS) -> None:
        """Wait until `text` has been drawn (after `since`)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                drawn = strip_escapes(bytes(self._output[since:]))
                if text in drawn:
                    return
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    break
                self._changed.wait(min(left, 0.2))
        status = self.proc.poll()
        raise AssertionError(
            f"{text!r} was not drawn within {timeout:.1f} s (exit status {status}); "
            f"the last output was: {drawn[-1500:]!r}"
        )

    # Input ----------------------------------------------------------------------------------

    def send(self, *keys: bytes) -> None:
        assert self.master is not None, "the terminal was closed"
        for key in keys:
            os.write(self.master, key)

    def close_terminal(self) -> None:
        """The terminal goes away (a window closed, an SSH connection dropped): the reader
        closes the master and stops."""
        self.master = None
        self._closing.set()
        self._reader.join()

    # The process ----------------------------------------------------------------------------

    def signal(self, number: int) -> None:
        self.proc.send_signal(number)

    def wait_exit(self, timeout: float = EXIT_SECONDS) -> int:
        """The exit status; fails (and kills the app) if it doesn't exit in time."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(
                f"the app was still running {timeout:.1f} s later; the last output was: "
                f"{self.text()[-1500:]!r}"
            ) from None

    def stop(self) -> None:
        """Make sure the process (and its pty) is gone."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self._reader.join(timeout=5)
        self.close_terminal()


@contextlib.contextmanager
def running(data: Path) -> Iterator[PtyApp]:
    """The app in a pty, stopped (killed if need be) when the block ends."""
    app = PtyApp(data)
    try:
        yield app
    finally:
        app.stop()


# Data to start from --------------------------------------------------------------------------

ANA = Author(client="screen-test", label="test set-up")


def session_in_progress(path: Path) -> tuple[str, str]:
    """A partnership of Ana and Ben with a first session begun (the real clock): the app
    starts on home, offering "Pick up where you left off?". Returns Ana's and Ben's ids."""
    meeting = Meeting(Repository.open(path), lambda: datetime.now(UTC), author=ANA)
    partnership = meeting.create_partnership(
        "Tuesday check-in", ["Ana", "Ben"], Cadence.WEEKLY, 30, "UTC"
    )
    ana, ben = (p.id for p in partnership.partners)
    met_before(meeting.repository)
    meeting.seen(meeting.repository.read())
    meeting.begin_session([ana, ben])
    meeting.next_turn()  # past the check-in: the review, Ana's turn, her win box
    return ana, ben


def stored(path: Path) -> MeetingState:
    return Repository.open(path).read()


READY = "Pick up where you left off?"
"""The app is up, on a session in progress."""
RESUMED = "Celebrating"
"""Drawn by the review panel: the session screen is up."""


def resume_session(app: PtyApp) -> None:
    """From start-up to typing in Ana's win box: resume (r on home), then wait for the session
    screen."""
    app.wait_for(READY)
    since = app.mark()
    app.send(b"r")
    app.wait_for(RESUMED, since=since)


def start_the_clock(app: PtyApp) -> None:
    """From typing in the win box: leave the box, start the clock, go back to the box. The
    resumed session's clock is paused, so this is what makes "paused on the way out" mean
    something. Each key waits for its effect: an Escape followed at once by another key
    would be read as Alt and that key."""
    since = app.mark()
    app.send(ESCAPE)
    app.wait_for("space Resume", since=since)  # the session's keys, for a paused clock
    since = app.mark()
    app.send(b" ")
    wait_until(lambda: _running(app.data), STARTUP_SECONDS, "the clock to be stored running")
    app.wait_for("space Pause", since=since)
    since = app.mark()
    app.send(b"w")
    app.wait_for("Done typing", since=since)


def _running(path: Path) -> bool:
    session = stored(path).session
    return session is not None and session.timer.running


# Tests that run at the same time -----------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How a test's app is started."""

    extra: str = ""
    ctty: bool = True


@dataclass
class Started:
    """An app started on its own data file: a session of Ana and Ben in progress."""

    app: PtyApp
    data: Path
    ana: str
    ben: str


Body = Callable[[Started], None]


class Together:
    """Tests whose apps start, and whose bodies run, at the same time.

    Each app takes most of a second of CPU to start, and most of a test is waiting on it (a
    draft's second, an exit, a restart), so one after another they would take many times as
    long as together. `@together.test(plan)` registers the body, a plain sequential test of
    one `Started` app, and puts in its place the test pytest runs: it waits for that body's
    outcome and raises what it raised, so each test passes, fails or xfails on its own. The
    module's `concurrently` fixture (see `run`) starts the selected tests' apps, waits until
    each is up, then runs every body in its own thread.
    """

    def __init__(self) -> None:
        self._bodies: dict[str, tuple[Plan, Body]] = {}

    def test(self, plan: Plan | None = None) -> Callable[[Body], Callable[[Run], None]]:
        def register(body: Body) -> Callable[[Run], None]:
            name = body.__name__
            self._bodies[name] = (plan or Plan(), body)

            def test(concurrently: Run) -> None:
                concurrently.outcome(name)

            test.__name__ = test.__qualname__ = name
            test.__doc__ = body.__doc__
            return test

        return register

    @contextlib.contextmanager
    def run(self, names: Iterable[str], root: Path) -> Iterator[Run]:
        """Start the apps of the tests called `names`, then their bodies; stop every app at
        the end, whatever happened."""
        run = Run()
        try:
            run.begin({name: self._bodies[name] for name in names if name in self._bodies}, root)
            yield run
        finally:
            run.close()


class Run:
    def __init__(self) -> None:
        self._started: list[Started] = []
        self._pool: ThreadPoolExecutor | None = None
        self._outcomes: dict[str, Future[None]] = {}

    def begin(self, bodies: dict[str, tuple[Plan, Body]], root: Path) -> None:
        started = {name: self.start(root / name, plan) for name, (plan, _) in bodies.items()}
        for each in started.values():  # up before any body starts: none waits on another
            with contextlib.suppress(AssertionError):  # its body will say what went wrong
                each.app.wait_for(READY)
        self._pool = ThreadPoolExecutor(max_workers=max(1, len(bodies)), thread_name_prefix="body")
        for name, (_, body) in bodies.items():
            self._outcomes[name] = self._pool.submit(body, started[name])

    def start(self, folder: Path, plan: Plan) -> Started:
        folder.mkdir()
        data = folder / "facilitator.json"
        ana, ben = session_in_progress(data)
        started = Started(PtyApp(data, extra=plan.extra, ctty=plan.ctty), data, ana, ben)
        self._started.append(started)
        return started

    def outcome(self, name: str) -> None:
        """Wait for the body's end; raise what it raised."""
        self._outcomes[name].result(timeout=120)

    def close(self) -> None:
        for started in self._started:
            started.app.stop()  # a body still waiting on its app stops waiting
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

"""What the benchmarks share: the data they run on, real terminals to run apps on, and sums.

Not a benchmark itself. `bench_history.py`, `bench_idle.py` and `bench_shared.py` import it,
and so do the child processes they start (their PYTHONPATH holds this folder).

The data is built through the app's own `Meeting` on a `FakeClock`, so the files are exactly
what the app writes. Apps run on a pseudo-terminal (`os.openpty`) with Textual's real driver,
as in a terminal window; the parent reads everything they draw.
"""

from __future__ import annotations

import atexit
import codecs
import contextlib
import fcntl
import functools
import os
import random
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from unittest import mock

from facilitator.domain.actions import ActionStatus, EntryKind
from facilitator.domain.clock import FakeClock
from facilitator.domain.partnership import Cadence
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository

T = TypeVar("T")
BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DATA_FILE = "facilitator.json"
SIZE = (100, 30)
"""Columns and rows of every terminal the benchmarks start an app in."""

FIRST_SESSION = datetime(2016, 1, 6, 18, 0, tzinfo=UTC)
"""A Wednesday. With 520 weekly sessions the last finished one is on 17 December 2025, and
the next (the live one) on 24 December 2025 lands in the fullest year file: the worst case."""
SESSION_SECONDS = 30 * 60
NEW_ACTIONS_PER_PARTNER = 5
TWO = ("Ana", "Ben")
SIX = ("Ana", "Ben", "Chloé", "Dev", "Eitan", "Femi")

# The app's own entry point, as `facilitator --data PATH` runs it.
FACILITATOR = [sys.executable, "-m", "facilitator", "--data"]


# A bare Textual app of about the home screen's size: a pushed screen with a few Static texts,
# a Digits, an OptionList and a Footer. With --tick, a 1 s timer counts the Digits down, as a
# running session's clock does. Run it as [sys.executable, "-c", BARE_APP, *args].
BARE_APP = """
import sys
from textual.app import App
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Digits, Footer, OptionList, Static

class BareScreen(Screen):
    BINDINGS = [("s", "app.bell", "Start session"), ("q", "app.quit", "Quit")]

    def compose(self):
        with VerticalScroll():
            yield Static("Pair")
            yield Static("Ana, Ben · weekly · 30-minute sessions")
            yield Static("Last session: 17 Dec   Next session due: today")
            yield Digits("30:00")
            yield OptionList("Ana's open actions", "Ben's open actions", "Start a session")
        yield Footer()

    def on_mount(self):
        self.left = 30 * 60
        if "--tick" in sys.argv:
            self.set_interval(1, self.tick)

    def tick(self):
        self.left -= 1
        self.query_one(Digits).update(f"{self.left // 60:02d}:{self.left % 60:02d}")

class Bare(App):
    def on_mount(self):
        self.push_screen(BareScreen())

Bare().run()
"""
BARE = [sys.executable, "-c", BARE_APP]
BARE_FIRST = ("Ana, Ben · weekly",)
BARE_COMPLETE = ("Start a session", "Quit")

# What each facilitator screen draws: `*_FIRST` is on its first frame, `*_COMPLETE` only once
# all of it is drawn (home's partner cards are filled in a few frames after the first).
HOME_FIRST = ("Last session:",)
HOME_COMPLETE = ("Ben's open actions (", "▸ Action")
ATTENDANCE = ("Who is here today?",)
RUNNING = ("left in this turn",)
PAUSED = ("Paused ·",)
RESUME_FIRST = ("Pick up where you left off?",)
CTRL_S = "\x13"


# Child processes ---------------------------------------------------------------------------


@functools.cache
def settings_folder() -> str:
    """An empty config folder of the benchmarks' own, removed at exit: the apps start with
    the default settings, and never change the user's."""
    folder = tempfile.mkdtemp(prefix="facilitator-bench-config-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def child_env(**extra: str) -> dict[str, str]:
    """The environment of every app the benchmarks start: this checkout's facilitator and
    these helpers importable, a modern terminal, nothing of the user's facilitator set-up or
    settings. PYTHONDONTWRITEBYTECODE is dropped: an installed app starts from compiled
    bytecode, so the warm-up start writes it and the measured ones read it (kept, every start
    would compile this checkout's changed modules again)."""
    dropped = ("NO_COLOR", "TMUX", "PYTHONDONTWRITEBYTECODE")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "FACILITATOR_")) and k not in dropped
    }
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(BENCH_DIR), str(REPO_ROOT), env.get("PYTHONPATH", "")) if p
    )
    env.update(
        TERM="xterm-256color", COLORTERM="truecolor", XDG_CONFIG_HOME=settings_folder(), **extra
    )
    return env


class Terminal:
    """A process on a pseudo-terminal of `SIZE`, the way a terminal window runs it: Textual
    uses its real (Linux) driver and writes real escape sequences, which are read here."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        pass_fds: Sequence[int] = (),
        size: tuple[int, int] = SIZE,
    ) -> None:
        master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self._master = master
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        self.text = ""
        """Everything drawn so far, decoded (escape sequences and all)."""
        self.bytes_read = 0
        self._reader: threading.Thread | None = None
        self.spawned = time.perf_counter()
        self.process = subprocess.Popen(
            list(command),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env if env is not None else child_env(),
            pass_fds=tuple(pass_fds),
            start_new_session=True,
        )
        os.close(slave)

    def _read(self, timeout: float) -> bool:
        """Read what has been drawn, waiting at most `timeout`; False once it has closed."""
        ready, _, _ = select.select([self._master], [], [], max(timeout, 0.0))
        if not ready:
            return True
        try:
            chunk = os.read(self._master, 1 << 16)
        except OSError:  # the child has gone and the terminal closed
            return False
        if not chunk:
            return False
        self.bytes_read += len(chunk)
        self.text += self._decode(chunk)
        return True

    def wait_for(self, texts: Sequence[str], timeout: float = 30.0) -> float:
        """Read until every one of `texts` has been drawn; the perf_counter() of that moment.
        Raises RuntimeError (with what was drawn) if that doesn't happen in time."""
        deadline = time.perf_counter() + timeout
        while not all(text in self.text for text in texts):
            left = deadline - time.perf_counter()
            if left <= 0 or not self._read(min(left, 0.5)):
                missing = [text for text in texts if text not in self.text]
                raise RuntimeError(
                    f"{missing} never drawn by {self.process.args!r}; it drew:\n"
                    + visible(self.text)[-3000:]
                )
        return time.perf_counter()

    def press(self, keys: str) -> None:
        """Type `keys` (a control key as its character, e.g. "\\x13" for Ctrl+S)."""
        os.write(self._master, keys.encode())

    def keep_reading(self, drawn: Callable[[str], None] | None = None) -> None:
        """Read (and count, and forget) whatever is drawn from now on, on a thread, so a
        long-running app never blocks on a full terminal. `drawn` is given the text read so
        far (the last 4 KB of it) after each read."""

        def run() -> None:
            while self._read(1.0):
                if drawn is not None:
                    drawn(self.text)
                self.text = self.text[-4096:]

        self._reader = threading.Thread(target=run, daemon=True)
        self._reader.start()

    def close(self) -> None:
        """Kill the process (and anything it started) and close the terminal."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        # The reader ends on the closed terminal first: closed under it, the master's number
        # could be reused by the next terminal opened, and the reader would read that one.
        if self._reader is not None:
            self._reader.join(timeout=5)
        os.close(self._master)


def cpu_by_thread(pid: int) -> dict[int, float]:
    """CPU seconds used so far by each thread of process `pid`, user and system (the
    scheduler's own count, in ns, from /proc/PID/task/TID/schedstat)."""
    found: dict[int, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):
            found[int(task.name)] = int((task / "schedstat").read_text().split()[0]) / 1e9
    return found


def visible(text: str) -> str:
    """Terminal output with its escape sequences blanked out, for error messages."""
    import re

    return re.sub(r"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07]*\x07|[@-_])", " ", text)


# Building the data -------------------------------------------------------------------------


@contextlib.contextmanager
def no_fsync() -> Iterator[None]:
    """Build without waiting on the disk: the files written are the same, only sooner."""
    with mock.patch("os.fsync", lambda fd: None):
        yield


def review(meeting: Meeting, rng: random.Random) -> None:
    """Review everyone's open actions: most done, some partly or not done (a few carried),
    some dropped, and a few left open for next time."""
    for partner in meeting.live.present:
        for action in meeting.to_review(partner):
            roll = rng.random()
            if roll < 0.70:
                meeting.mark(action, ActionStatus.DONE)
            elif roll < 0.80:
                meeting.mark(action, ActionStatus.PARTLY, in_the_way="ran out of time")
            elif roll < 0.90:
                carry = rng.random() < 0.5
                meeting.mark(action, ActionStatus.NOT_DONE, in_the_way="travel", carry=carry)
            elif roll < 0.95:
                meeting.mark(action, ActionStatus.DROPPED)
            # else: left open, to come back next time


def run_session(meeting: Meeting, clock: FakeClock, rng: random.Random, week: int) -> None:
    """One weekly session up to its wrap-up: review, a win and an obstacle each, an occasional
    idea, and five actions each (carried ones confirmed, the rest new)."""
    meeting.begin_session([p.id for p in meeting.the_partnership.partners])
    review(meeting, rng)
    for partner in meeting.live.present:
        meeting.add_entry(f"Shipped the thing planned in week {week}", EntryKind.WIN, partner)
        meeting.add_entry(f"Meetings ate the mornings in week {week}", EntryKind.OBSTACLE, partner)
        if rng.random() < 0.3:
            meeting.add_entry("Block the first hour for deep work", EntryKind.IDEA, partner)
        agreed = meeting.agreed(partner)
        for carried in agreed:
            meeting.confirm_action(carried)
        for number in range(len(agreed), NEW_ACTIONS_PER_PARTNER):
            text = f"Action {number + 1} agreed in week {week}: draft, review and send it"
            meeting.add_action(text, partner, meeting.next_session_date())
    clock.advance(SESSION_SECONDS)


@dataclass
class Built:
    """A store built by `build`, and the meeting and clock that built it (to go on with)."""

    meeting: Meeting
    clock: FakeClock
    rng: random.Random
    weeks: int

    @property
    def folder(self) -> Path:
        return self.meeting.repository.path.parent


def build(folder: Path, names: Sequence[str] = TWO, weeks: int = 1, *, live: bool = False) -> Built:
    """A partnership that has met every Wednesday for `weeks` weeks, ending on 17 December
    2025, written through the app's own `Meeting` (each change a locked read-change-write).
    With `live`, the next week's session is under way, paused as a quit leaves it."""
    clock = FakeClock(FIRST_SESSION + timedelta(days=7 * (520 - weeks)))
    rng = random.Random(2016)
    meeting = Meeting(Repository.open(folder / DATA_FILE, time_zone=lambda: "UTC"), clock)
    meeting.create_partnership("Pair", list(names), Cadence.WEEKLY, 30, "UTC")
    with no_fsync():
        for week in range(1, weeks + 1):
            run_session(meeting, clock, rng, week)
            meeting.finish_session()
            clock.advance(days=7, seconds=-SESSION_SECONDS)
        built = Built(meeting, clock, rng, weeks)
        if live:
            begin_live(built)
    return built


def begin_live(built: Built) -> None:
    """Begin the next session and get half-way through its review; then it is left, paused,
    as quitting leaves it."""
    meeting = built.meeting
    with no_fsync():
        meeting.begin_session([p.id for p in meeting.the_partnership.partners])
        built.clock.advance(5 * 60)
        partner = meeting.live.present[0]
        for action in meeting.to_review(partner)[:3]:
            meeting.mark(action, ActionStatus.DONE)
        meeting.add_entry("Finally booked the venue", EntryKind.WIN, partner)
        meeting.pause_for_quit()


def copy_store(source: Path, target: Path, *, history: bool = True) -> Path:
    """Copy a store's folder (its history too, unless not wanted); returns the copy's folder."""
    shutil.rmtree(target, ignore_errors=True)
    ignore = shutil.ignore_patterns("*.history") if not history else None
    shutil.copytree(source, target, ignore=ignore)
    return target


def restore(pristine: Path, folder: Path) -> Path:
    """Put `folder` back as `pristine` is (no presence or lock files left by a killed app),
    and flush it, so no write-back lands in a timing."""
    copy_store(pristine, folder)
    os.sync()
    return folder


# Sums --------------------------------------------------------------------------------------


def seconds(job: Callable[[], object]) -> float:
    """Wall-clock seconds `job` took."""
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def rotations(items: Sequence[T], rounds: int) -> Iterator[tuple[int, list[T]]]:
    """Each round's order: every item once, the order rotating, so the machine's load falls
    on all of them alike."""
    for round_ in range(rounds):
        shift = round_ % len(items)
        yield round_, [*items[shift:], *items[:shift]]


def interleaved(jobs: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Every job's figures, the jobs run in turn in rotating order."""
    found: dict[str, list[float]] = {name: [] for name in jobs}
    for _, order in rotations(list(jobs), rounds):
        for name in order:
            found[name].append(jobs[name]())
    return found


def paired_ratios(measured: Sequence[float], baseline: Sequence[float]) -> list[float]:
    """measured / baseline, round by round (each pair measured moments apart)."""
    return [m / b for m, b in zip(measured, baseline, strict=True)]


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value `fraction` of the way up the sorted values (interpolated)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Row:
    """One line of a results table: a figure and its baseline, round by round."""

    figure: str
    measured: list[float]
    baseline: list[float]
    unit: str = "ms"
    scale: float = 1000.0
    notes: str = ""

    @property
    def ratios(self) -> list[float]:
        return paired_ratios(self.measured, self.baseline)

    @property
    def ratio(self) -> float:
        """The median of the round-by-round ratios."""
        return statistics.median(self.ratios)


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    def print(self) -> None:
        """Each figure's median, its baseline's, the median ratio and its spread."""
        width = max(len(row.figure) for row in self.rows)
        print(
            f"{'figure':{width}}  {'measured':>12}  {'baseline':>12}  {'ratio':>5}  "
            f"{'(min-max)':>11}  {'n':>3}"
        )
        for row in self.rows:
            ratios = row.ratios
            measured = f"{statistics.median(row.measured) * row.scale:.1f} {row.unit}"
            baseline = f"{statistics.median(row.baseline) * row.scale:.1f} {row.unit}"
            print(
                f"{row.figure:{width}}  {measured:>12}  {baseline:>12}  {row.ratio:5.2f}  "
                f"{min(ratios):5.2f}-{max(ratios):<5.2f}  {len(ratios):3}"
                + (f"  {row.notes}" if row.notes else "")
            )


# Driving an app with keys, as a person would --------------------------------------------


def start_session(terminal: Terminal) -> None:
    """From home: start a session with everyone present; its clock runs."""
    terminal.wait_for(HOME_COMPLETE)
    terminal.press("s")
    terminal.wait_for(ATTENDANCE)
    terminal.press(CTRL_S)
    terminal.wait_for(RUNNING)


def join_session(terminal: Terminal) -> None:
    """At start-up with a session under way: take the offer to resume it."""
    terminal.wait_for(RESUME_FIRST)
    terminal.press("r")
    terminal.wait_for(RUNNING)

"""How facilitator's speed holds up after ten years of weekly sessions, reported as ratios.

(a) Start-up to the first drawn frame, each start a fresh process: facilitator on a ten-year data
    file against a bare Textual app of similar size; against the same live file with no history;
    and against an empty data file (the first-run screen).
(b) One edit during a live session (a real locked, atomic, fsynced save) with ten years of
    history against the same edit with none; and finishing that session, likewise.

Every figure is measured in this one run, interleaved with its baseline, so the ratios hold on
a shared, noisy machine. Not a test: it asserts nothing about speed.

Run: python benchmarks/bench_history.py [--runs N] [--reps N] [--dir FOLDER]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

from facilitator.domain.actions import ActionStatus, EntryKind
from facilitator.domain.clock import FakeClock
from facilitator.domain.partnership import Cadence
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository

WEEKS = 52 * 10
# Wednesdays from 6 January 2016: session 520 is on 17 December 2025, and the session the
# benchmark finishes (24 December 2025) lands in the fullest year file, the worst case.
FIRST_SESSION = datetime(2016, 1, 6, 18, 0, tzinfo=UTC)
SESSION_SECONDS = 30 * 60
NEW_ACTIONS_PER_PARTNER = 5  # two partners: ten actions agreed a session
DATA_FILE = "data.json"

TEN_YEARS, NO_HISTORY, THIS_YEAR = "ten years", "no history", "this year only"
VS = {
    NO_HISTORY: "ten years vs no history (week one)",
    THIS_YEAR: "ten years vs this year's history only",
}

# Swaps in for App._display in the child process: exits once the first full frame of a screen
# holding widgets has been composed (headless, so it is not serialised to a terminal), and
# reports which screen that was, so a start-up that shows the wrong screen is caught.
FIRST_FRAME = """
from textual.app import App

_display = App._display
drawn = []

def _display_then_exit(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and not self._batch_count and screen.children:
        App._display = _display
        drawn.append(type(screen).__name__)
        self.exit()

App._display = _display_then_exit
"""

APP_START = (
    FIRST_FRAME
    + """
import sys
from pathlib import Path
from facilitator.domain.clock import system_clock
from facilitator.store.repository import Repository
from facilitator.ui.app import make_app

make_app(Repository.open(Path(sys.argv[1])), system_clock).run(headless=True, size=(100, 30))
print(*drawn)
"""
)

BARE_START = (
    FIRST_FRAME
    + """
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

class Bare(App):
    def on_mount(self):
        self.push_screen(BareScreen())

Bare().run(headless=True, size=(100, 30))
print(*drawn)
"""
)


@dataclass
class Row:
    """One line of the results table: a figure, its baseline, and how many runs each."""

    figure: str
    measured: float
    baseline: float
    runs: int


# Building the history ------------------------------------------------------------------------


@contextmanager
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


def begin_session(meeting: Meeting, clock: FakeClock, rng: random.Random, week: int) -> None:
    """Run one weekly session up to its wrap-up: review, a win and an obstacle each, an
    occasional idea, and five actions each (carried ones confirmed, the rest new)."""
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


def build_history(path: Path) -> tuple[Meeting, FakeClock, random.Random]:
    """A partnership of two that has met every week for ten years, written through the app's
    own Meeting and Repository.finish_session, so the files are exactly what the app writes."""
    clock = FakeClock(FIRST_SESSION)
    rng = random.Random(2016)
    meeting = Meeting(Repository.open(path), clock)
    meeting.create_partnership("Pair", ["Ana", "Ben"], Cadence.WEEKLY, 30)
    with no_fsync():
        for week in range(1, WEEKS + 1):
            begin_session(meeting, clock, rng, week)
            meeting.finish_session()
            clock.advance(days=7, seconds=-SESSION_SECONDS)
    return meeting, clock, rng


def verify(repository: Repository) -> str:
    """Load the ten-year store the way the app does, and describe what it holds."""
    live = repository.load_live()
    sessions = repository.finished_sessions()
    if live.partnership is None or len(sessions) != WEEKS:
        raise SystemExit(f"the history holds {len(sessions)} finished sessions, not {WEEKS}")
    tables = [json.loads(path.read_bytes()) for path in repository.history_dir.glob("*.json")]
    actions = sum(len(table["actions"]) for table in tables)
    entries = sum(len(table["entries"]) for table in tables)
    first, last = sessions[0].started_at.date(), sessions[-1].started_at.date()
    return (
        f"{len(sessions)} finished sessions ({first} to {last}), {actions:,} closed actions "
        f"and {entries:,} entries in history; {len(live.actions)} actions open"
    )


def size_of(paths: list[Path]) -> int:
    """Total bytes of `paths`."""
    return sum(path.stat().st_size for path in paths)


def copy_store(live: Path, folder: Path, history: list[Path]) -> Path:
    """Copy the live file into `folder` with just the `history` files given; with none, there
    is no history folder at all, as in week one. Returns the copy's live file."""
    copied = Repository(folder / DATA_FILE)
    copied.path.parent.mkdir(parents=True)
    shutil.copy2(live, copied.path)
    for path in history:
        copied.history_dir.mkdir(exist_ok=True)
        shutil.copy2(path, copied.history_dir / path.name)
    return copied.path


def describe_files(repository: Repository) -> str:
    """The live file's size, and the history's."""
    history = sorted(repository.history_dir.glob("*.json"))
    return (
        f"live file {repository.path.stat().st_size:,} bytes; history {size_of(history):,} "
        f"bytes in {len(history)} year files (largest {max(size_of([p]) for p in history):,})"
    )


def restore(pristine: Path, folder: Path) -> None:
    """Put `folder` back as `pristine` was, and flush it, so no write-back lands in a timing."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(pristine, folder)
    os.sync()


# Timing --------------------------------------------------------------------------------------


def seconds(job: Callable[[], object]) -> float:
    """Wall-clock seconds `job` took."""
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def interleaved(jobs: dict[str, Callable[[], float]], runs: int) -> dict[str, float]:
    """Median of the seconds each job reports, the jobs run in turn (the order rotating each
    round) so that the machine's load falls on all of them alike."""
    names = list(jobs)
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(runs):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            times[name].append(jobs[name]())
    return {name: statistics.median(found) for name, found in times.items()}


def start_up(script: str, expected_screen: str, *args: str) -> Callable[[], float]:
    """A job that starts `script` in a fresh process: seconds from spawn to exit."""
    command = [sys.executable, "-c", script, *args]
    env = {**os.environ, "TERM": "xterm-256color"}

    def run() -> float:
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode != 0 or done.stdout.split() != [expected_screen]:
            raise SystemExit(f"start-up failed ({' '.join(args)}):\n{done.stdout}{done.stderr}")
        return elapsed

    return run


# The figures ---------------------------------------------------------------------------------


def bench_start_up(ten_years: Path, no_history: Path, empty: Path, runs: int) -> list[Row]:
    """(a) Spawn to exit after the first frame, for the app on three files and a bare app."""
    jobs = {
        TEN_YEARS: start_up(APP_START, "HomeScreen", str(ten_years)),
        NO_HISTORY: start_up(APP_START, "HomeScreen", str(no_history)),
        "empty": start_up(APP_START, "FirstRunScreen", str(empty)),
        "bare": start_up(BARE_START, "BareScreen"),
    }
    for job in jobs.values():  # warm the disk cache and the bytecode
        job()
    median = interleaved(jobs, runs)
    baselines = {
        "bare": "bare Textual app",
        NO_HISTORY: "same live file, no history",
        "empty": "empty data file (first run)",
    }
    return [
        Row(f"start-up: ten years vs {label}", median[TEN_YEARS], median[name], runs)
        for name, label in baselines.items()
    ]


def open_meeting(folder: Path, clock: FakeClock) -> Meeting:
    """The meeting on `folder`'s data file, each save written at once on this thread (the
    same work the app's writer thread does)."""
    return Meeting(Repository.open(folder / DATA_FILE), clock)


def bench_edit(pristine: dict[str, Path], work: Path, clock: FakeClock, reps: int) -> Row:
    """(b) Agree one new action in the live session: one locked, atomic, fsynced save."""

    def add_action(name: str) -> Callable[[], float]:
        restore(pristine[name], work / name)
        meeting = open_meeting(work / name, clock)
        partner, due = meeting.live.present[0], meeting.next_session_date()
        text = "Call the accountant about the invoice"
        return lambda: seconds(lambda: meeting.add_action(text, partner, due))

    median = interleaved({name: add_action(name) for name in (TEN_YEARS, NO_HISTORY)}, reps)
    return Row(
        "one edit (save an action): " + VS[NO_HISTORY], median[TEN_YEARS], median[NO_HISTORY], reps
    )


def bench_finish(pristine: dict[str, Path], work: Path, clock: FakeClock, reps: int) -> list[Row]:
    """(b) Finish the same live session, restored afresh before each finish (untimed)."""

    def finish(name: str) -> Callable[[], float]:
        def run() -> float:
            restore(pristine[name], work / name)
            return seconds(open_meeting(work / name, clock).finish_session)

        return run

    median = interleaved({name: finish(name) for name in pristine}, reps)
    return [
        Row("finish a session: " + VS[name], median[TEN_YEARS], median[name], reps)
        for name in pristine
        if name != TEN_YEARS
    ]


def prepare_live_session(
    meeting: Meeting, clock: FakeClock, rng: random.Random, root: Path
) -> dict[str, Path]:
    """Run the next week's session up to its wrap-up, and lay out three folders holding that
    same live file: with ten years of history, with none (week one), and with only the
    current year's history file (the one a finish rewrites)."""
    begin_session(meeting, clock, rng, WEEKS + 1)
    live = meeting.repository.path
    year = meeting.repository.history_path(meeting.live.started_at.year)
    return {
        TEN_YEARS: live.parent,
        NO_HISTORY: copy_store(live, root / "no-history", []).parent,
        THIS_YEAR: copy_store(live, root / "this-year", [year]).parent,
    }


# Reporting -----------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    """Each figure's median, its baseline's, their ratio, and the runs behind each."""
    width = max(len(row.figure) for row in rows)
    print(f"{'figure':{width}} {'measured':>10} {'baseline':>10} {'ratio':>6} {'runs':>5}")
    for row in rows:
        print(
            f"{row.figure:{width}} {row.measured * 1000:8.1f}ms {row.baseline * 1000:8.1f}ms "
            f"{row.measured / row.baseline:6.2f} {row.runs:5}"
        )


def parse_args() -> argparse.Namespace:
    """--runs, --reps and --dir."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="start-ups of each kind (default 7)")
    parser.add_argument(
        "--reps", type=int, default=50, help="edits and finishes of each kind (default 50)"
    )
    parser.add_argument(
        "--dir",
        type=Path,
        help="where to write the data (default: the system's temporary folder); "
        "on a tmpfs fsync costs nothing, so edits look cheaper than on a disk",
    )
    return parser.parse_args()


def main() -> None:
    """Build the history, check it loads, then measure and print every figure."""
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="facilitator-bench-", dir=args.dir) as temp:
        root = Path(temp)
        ten_years = root / "ten-years" / DATA_FILE
        started = time.perf_counter()
        meeting, clock, rng = build_history(ten_years)
        built = time.perf_counter() - started
        started = time.perf_counter()
        described = verify(meeting.repository)
        loaded = time.perf_counter() - started
        no_history = copy_store(ten_years, root / "no-history", [])
        empty = root / "empty" / DATA_FILE
        empty.parent.mkdir()
        empty.touch()
        os.sync()
        print(f"Data in {root}")
        print(f"Ten-year history built in {built:.1f} s (fsync off); {described}.")
        print(f"Files: {describe_files(meeting.repository)}; read back in {loaded * 1000:.0f} ms.")
        print()

        rows = bench_start_up(ten_years, no_history, empty, args.runs)

        pristine = prepare_live_session(meeting, clock, rng, root / "pristine")
        work = root / "work"
        rows.append(bench_edit(pristine, work, clock, args.reps))
        rows.extend(bench_finish(pristine, work, clock, args.reps))
        print_table(rows)
        print()
        print("ratio = measured / baseline; medians; 1.00 means history costs nothing.")


if __name__ == "__main__":
    main()

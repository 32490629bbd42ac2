"""How facilitator's speed holds up over ten years of weekly sessions, reported as ratios.

(a) Start-up to the first drawn frame, against a bare Textual app of similar size, each started
    in a fresh process; and start-up with ten years of history against an empty data file.
(b) The cost of one edit (a real locked, atomic, fsynced save) with ten years of history
    against the same edit with none; and finishing a session, likewise.

Every figure is measured in this one run, interleaved with its baseline, so the ratios hold on
a shared, noisy machine. Not a test: it asserts nothing. Run: python benchmarks/bench_history.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

from facilitator.domain.actions import ActionStatus, EntryKind
from facilitator.domain.clock import FakeClock
from facilitator.domain.partnership import Cadence
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository

YEARS = 10
ACTIONS_PER_PARTNER = 5  # two partners: ten actions a session, ~5,200 in ten years

APP_START = """
import sys
from pathlib import Path
from facilitator.domain.clock import system_clock
from facilitator.store.repository import Repository
from facilitator.ui.app import make_app

async def first_frame(pilot):
    await pilot.pause()
    pilot.app.exit()

make_app(Repository.open(Path(sys.argv[1])), system_clock).run(
    headless=True, size=(100, 30), auto_pilot=first_frame
)
"""

BARE_START = """
from textual.app import App
from textual.containers import Grid, VerticalScroll
from textual.widgets import Digits, Footer, OptionList, Static

class Bare(App):
    def compose(self):
        with VerticalScroll():
            yield Static("title")
            yield Static("about")
            yield Digits("06:00")
            yield OptionList("one", "two", "three")
            with Grid():
                yield Static("card one")
                yield Static("card two")
        yield Footer()

async def first_frame(pilot):
    await pilot.pause()
    pilot.app.exit()

Bare().run(headless=True, size=(100, 30), auto_pilot=first_frame)
"""


@contextmanager
def no_fsync() -> Iterator[None]:
    """Build the history without waiting on the disk; the files come out the same."""
    with mock.patch("os.fsync", lambda fd: None):
        yield


def one_session(meeting: Meeting, clock: FakeClock, week: int) -> None:
    """A session as a pair would run it: review everything open, celebrate, agree new actions."""
    partners = [p.id for p in meeting.the_partnership.partners]
    meeting.begin_session(partners)
    for index, action in enumerate(
        a for partner in partners for a in meeting.to_review(partner) if a.is_open
    ):
        if index % 10 == 9:
            meeting.mark(action, ActionStatus.NOT_DONE, in_the_way="no time", carry=False)
        elif index % 10 == 8:
            meeting.mark(action, ActionStatus.DROPPED)
        elif index % 10 == 7 and week % 4:
            continue  # a few stay open for next time
        else:
            meeting.mark(action, ActionStatus.DONE)
    for partner in partners:
        meeting.add_entry(f"A win in week {week}", EntryKind.WIN, partner)
        meeting.add_entry(f"An obstacle in week {week}", EntryKind.OBSTACLE, partner)
        for number in range(ACTIONS_PER_PARTNER):
            meeting.add_action(
                f"Action {number} of week {week}", partner, meeting.next_session_date()
            )
    clock.advance(30 * 60)
    meeting.finish_session()
    clock.advance(days=7)


def build(path: Path, weeks: int) -> tuple[Meeting, FakeClock]:
    """A partnership of two that has met weekly for `weeks` weeks, on a real data file."""
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0) - timedelta(days=weeks * 7 + 1))
    meeting = Meeting(Repository.open(path), clock)
    meeting.create_partnership("Pair", ["Ana", "Ben"], Cadence.WEEKLY, 30)
    with no_fsync():
        for week in range(weeks):
            one_session(meeting, clock, week)
    clock.now = datetime.now(UTC)
    return meeting, clock


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(a: Callable[[], object], b: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median seconds of `a` and of `b`, measured turn about so load affects both alike."""
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(median_seconds(a, 1))
        times_b.append(median_seconds(b, 1))
    return statistics.median(times_a), statistics.median(times_b)


def start_process(script: str, *args: str) -> Callable[[], object]:
    env = {**os.environ, "TERM": "xterm-256color"}
    command = [sys.executable, "-c", script, *args]
    return lambda: subprocess.run(command, check=True, env=env, capture_output=True)


def size_of(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (start-up)")
    parser.add_argument("--edits", type=int, default=50, help="edits per figure")
    args = parser.parse_args()
    weeks = 52 * YEARS
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        started = time.perf_counter()
        old, _ = build(root / "ten-years" / "data.json", weeks)
        built = time.perf_counter() - started
        new, _ = build(root / "week-one" / "data.json", 0)
        history = old.repository.finished_sessions()
        print(f"Ten-year history: {len(history)} finished sessions, built in {built:.1f} s")
        live_bytes = old.repository.path.stat().st_size
        history_files = list(old.repository.history_dir.glob("*.json"))
        print(
            f"  live file {live_bytes:,} bytes; history {size_of(history_files):,} bytes "
            f"in {len(history_files)} files"
        )
        print()

        rows = []
        # (a) start-up to the first frame
        app_old = start_process(APP_START, str(old.repository.path))
        app_new = start_process(APP_START, str(new.repository.path))
        bare = start_process(BARE_START)
        app_old()  # warm the disk cache and bytecode for all three
        app_new()
        bare()
        t_app, t_bare = interleaved(app_old, bare, args.runs)
        rows.append(("start-up, ten years vs bare Textual app", t_app, t_bare, args.runs))
        t_old, t_new = interleaved(app_old, app_new, args.runs)
        rows.append(("start-up, ten years vs empty history", t_old, t_new, args.runs))

        # (b) one edit during a live session, and finishing a session
        for meeting in (old, new):
            meeting.begin_session([p.id for p in meeting.the_partnership.partners])
        partner_old = old.the_partnership.partners[0].id
        partner_new = new.the_partnership.partners[0].id
        e_old, e_new = interleaved(
            lambda: old.add_entry("An idea", EntryKind.IDEA, partner_old),
            lambda: new.add_entry("An idea", EntryKind.IDEA, partner_new),
            args.edits,
        )
        rows.append(("one edit, ten years vs empty history", e_old, e_new, args.edits))
        # Finishing rewrites the current year's history file: bounded by a year of sessions.
        f_old = median_seconds(old.finish_session, 1)
        f_new = median_seconds(new.finish_session, 1)
        rows.append(("finish a session, ten years vs week one", f_old, f_new, 1))

        print(f"{'figure':44} {'measured':>10} {'baseline':>10} {'ratio':>7}  runs")
        for name, measured, baseline, runs in rows:
            print(
                f"{name:44} {measured * 1000:8.1f}ms {baseline * 1000:8.1f}ms "
                f"{measured / baseline:7.2f}  {runs}"
            )


if __name__ == "__main__":
    main()

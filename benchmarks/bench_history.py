"""How fast facilitator starts, and how ten years of weekly history weigh on it, as ratios.

(a) Start-up, each start a fresh process, against a bare Textual app of about the home
    screen's size (a pushed screen of Static texts, a Digits, an OptionList and a Footer),
    started the same way: on a first run (an empty data file), on home, with a session to
    resume offered, with six partners, and with ten years of history.
(b) One edit during a live session (`Meeting.add_entry`: one locked, atomic, fsynced save)
    with ten years of history against the same edit in week one (the same live files without
    the history).
(c) Finishing that session (it moves to its year's history file) with ten years of history
    against only this year's history file, and against none (week one).

What "start-up" measures, exactly. Every app is started the way a person starts it
(`python -m facilitator --data FILE`; the bare app with `python -c`), on a pseudo-terminal of
100x30, so Textual runs its real Linux driver and writes the real escape sequences a terminal
would get. This script reads the terminal's output as it comes and stops the clock when given
texts have been drawn. No hook in the app, public or private, is involved, so no Textual
upgrade can change what is measured: it is what a terminal receives. Two moments:

- first frame: from spawning the process to the terminal receiving the first frame of the
  screen the app starts on (text that is on that frame: for home, its "Last session:" line);
- complete: to the screen being fully drawn (home's partner cards; with a session to resume,
  home's offer to resume it, "Pick up where you left off?", is its first frame's text).

For each, two figures: the wall-clock time (what a person waits), and the CPU time the process
(all threads) had used by then, read from /proc the moment the text arrived: on a busy machine
the CPU time wanders far less than the wall clock. The bare app is timed the same way, from
spawning to its texts being drawn (its first frame is its complete frame). A check against a
terminal emulator: --tmux starts home, resume and the bare app in tmux as well and polls
`tmux capture-pane` for the same texts (see README.md).

Why not `events.Ready`: Textual posts it from the first screen layout, which for an app that
pushes its screen in on_mount comes ~10 ms before that screen's first frame is written, and
nothing about it says the screen's content is complete. The old benchmark patched the private
`App._display`, which a Textual upgrade can change silently.

Every figure is measured in this one run, interleaved with its baseline (the order rotating
each round), and reported as the median of the round-by-round ratios, so the figures hold on a
shared, noisy machine. Not a test: it asserts nothing about speed.

With --instructions, each start is also run once under valgrind's callgrind and the
instructions it executed up to its first frame and its complete screen are counted: a count
that is the same run after run, so its ratio to the bare app's has no noise (see README.md).

Run: python benchmarks/bench_history.py [--runs N] [--reps N] [--dir FOLDER] [--tmux N]
     [--instructions] [--only start-up|saving|tmux|instructions]
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_common import (
    BARE,
    BARE_COMPLETE,
    BARE_FIRST,
    DATA_FILE,
    FACILITATOR,
    HOME_COMPLETE,
    HOME_FIRST,
    RESUME_FIRST,
    SIX,
    SIZE,
    TWO,
    Built,
    Row,
    Table,
    Terminal,
    begin_live,
    build,
    child_env,
    copy_store,
    cpu_by_thread,
    interleaved,
    restore,
    rotations,
    seconds,
)

from facilitator.domain.actions import EntryKind
from facilitator.domain.clock import FakeClock
from facilitator.meeting import Meeting
from facilitator.store.repository import SETTLED_SECONDS, Repository

WEEKS = 52 * 10
TEN_YEARS, WEEK_ONE, THIS_YEAR = "ten years", "week one", "this year only"


@dataclass(frozen=True)
class Start:
    """One way the app starts: on which data, and what its screen draws."""

    name: str
    folder: str | None
    """The pristine store it starts on (None: the bare app)."""
    first: Sequence[str]
    complete: Sequence[str]

    def command(self, folder: Path | None) -> list[str]:
        if folder is None:
            return list(BARE)
        return [*FACILITATOR, str(folder / DATA_FILE)]


BARE_START = Start("bare", None, BARE_FIRST, BARE_COMPLETE)
STARTS = [
    Start("first run", "empty", ("Welcome to facilitator",), ("Planned length of a session",)),
    Start("home", "home", HOME_FIRST, HOME_COMPLETE),
    Start("resume offered", "resume", RESUME_FIRST, HOME_COMPLETE),
    Start("six partners", "six", HOME_FIRST, ("Dev's open actions (", "▸ Action")),
    Start(TEN_YEARS, "ten-years", HOME_FIRST, HOME_COMPLETE),
]


# The data ------------------------------------------------------------------------------------


def build_folder() -> str | None:
    """Build on a RAM disk when there is one: on ext4, every replacing rename waits on the
    disk (auto_da_alloc), and the build makes some 13,000 of them."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def prepare(root: Path) -> tuple[dict[str, Path], Built, str]:
    """Every store the benchmarks start on, built through the app's own Meeting, copied under
    `root`. Returns the pristine folders by name, the ten-year build (to go on with), and a
    description of the ten years."""
    pristine = root / "pristine"
    pristine.mkdir()
    empty = pristine / "empty"
    empty.mkdir(mode=0o700)
    os.close(os.open(empty / DATA_FILE, os.O_CREAT | os.O_WRONLY, 0o600))
    with tempfile.TemporaryDirectory(prefix="facilitator-build-", dir=build_folder()) as temp:
        scratch = Path(temp)
        for name, names, live in (("home", TWO, False), ("resume", TWO, True), ("six", SIX, False)):
            build(scratch / name, names, 1, live=live)
            copy_store(scratch / name, pristine / name)
        started = time.perf_counter()
        ten = build(scratch / TEN_YEARS, TWO, WEEKS)
        built_in = time.perf_counter() - started
        described = describe(ten.meeting.repository, built_in)
        copy_store(ten.folder, pristine / "ten-years")
        begin_live(ten)
        ten_live = copy_store(ten.folder, pristine / "ten-years-live")
        copy_store(ten_live, pristine / "week-one-live", history=False)
        this_year = copy_store(ten_live, pristine / "this-year-live", history=False)
        year = ten.meeting.repository.history_path(ten.meeting.live.started_at.year)
        (this_year / year.parent.name).mkdir(mode=0o700)
        shutil.copy2(year, this_year / year.parent.name / year.name)
    os.sync()
    folders = {p.name: p for p in pristine.iterdir()}
    return folders, ten, described


def describe(repository: Repository, built_in: float) -> str:
    """What the ten-year store holds, read back the way the app reads it."""
    state = repository.read()
    sessions, entries, actions = repository.read_history(repository.history_years())
    if state.partnership is None or len(sessions) != WEEKS:
        raise SystemExit(f"the history holds {len(sessions)} finished sessions, not {WEEKS}")
    history = sorted(repository.history_dir.glob("*.json"))
    largest = max(path.stat().st_size for path in history)
    return (
        f"Ten years built in {built_in:.0f} s (fsync off): {len(sessions)} finished sessions "
        f"({sessions[0].started_at.date()} to {sessions[-1].started_at.date()}), "
        f"{len(actions):,} closed actions and {len(entries):,} entries in history, "
        f"{len(state.actions)} actions open.\nFiles: main {repository.path.stat().st_size:,} "
        f"bytes; history {sum(p.stat().st_size for p in history):,} bytes in {len(history)} "
        f"year files (largest {largest:,})."
    )


# (a) Start-up --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    """One start: seconds from spawn to the first frame and to the screen complete, and the
    CPU seconds the process (all its threads) had used by each."""

    first: float
    complete: float
    first_cpu: float
    complete_cpu: float


def at_rest(starts: Sequence[Start], pristine: dict[str, Path], work: Path) -> dict[str, Path]:
    """A fresh copy of each start's store, then a wait until the copies are at rest, as a
    data file is when someone starts the app (a file written in the last SETTLED_SECONDS is
    read under the lock, and the lock's library loaded, before the first frame)."""
    folders = {
        start.name: restore(pristine[start.folder], work / start.folder)
        for start in starts
        if start.folder
    }
    time.sleep(SETTLED_SECONDS)
    return folders


def start_once(
    start: Start, pristine: dict[str, Path], work: Path, restored: Path | None = None
) -> Started:
    """Start the app once on a fresh copy of its store (`restored`, or one made now), and
    stop it once its screen is complete."""
    folder = restored
    if folder is None and start.folder:
        folder = restore(pristine[start.folder], work / start.folder)
    if folder is None:
        os.sync()
    terminal = Terminal(start.command(folder))
    pid = terminal.process.pid
    try:
        first = terminal.wait_for(start.first)
        first_cpu = sum(cpu_by_thread(pid).values())
        complete = terminal.wait_for(start.complete)
        complete_cpu = sum(cpu_by_thread(pid).values())
    finally:
        terminal.close()
    return Started(first - terminal.spawned, complete - terminal.spawned, first_cpu, complete_cpu)


FIGURES: tuple[tuple[str, Callable[[Started], float]], ...] = (
    ("first frame", lambda s: s.first),
    ("complete", lambda s: s.complete),
    ("first frame, CPU", lambda s: s.first_cpu),
    ("complete, CPU", lambda s: s.complete_cpu),
)


def bench_start_up(pristine: dict[str, Path], work: Path, runs: int) -> list[Row]:
    """Every start and the bare app, in rotating order, `runs` rounds."""
    starts = [BARE_START, *STARTS]
    for start in starts:  # warm the disk cache and the bytecode
        start_once(start, pristine, work)
    found: dict[str, list[Started]] = {start.name: [] for start in starts}
    for _, order in rotations(starts, runs):
        folders = at_rest(order, pristine, work)
        for start in order:
            found[start.name].append(start_once(start, pristine, work, folders.get(start.name)))
    rows = []
    for label, figure in FIGURES:
        for start in STARTS:
            rows.append(
                Row(
                    f"start-up, {label}: {start.name} vs bare",
                    [figure(s) for s in found[start.name]],
                    [figure(s) for s in found["bare"]],
                )
            )
    return rows


# (b) and (c) Saving --------------------------------------------------------------------------


def open_meeting(folder: Path, clock: FakeClock) -> Meeting:
    """The meeting on `folder`'s store, each change saved at once on this thread (the same
    work the app's store thread does)."""
    return Meeting(Repository.open(folder / DATA_FILE), clock)


def bench_edit(pristine: dict[str, Path], work: Path, clock: FakeClock, reps: int) -> Row:
    """(b) Add one win in the live session: one locked, atomic, fsynced save."""

    def add_entry(name: str, folder: str) -> Callable[[], float]:
        meeting = open_meeting(restore(pristine[folder], work / folder), clock)
        partner = meeting.live.present[0]
        count = iter(range(1_000_000))
        return lambda: seconds(
            lambda: meeting.add_entry(f"Win number {next(count)}", EntryKind.WIN, partner)
        )

    found = interleaved(
        {
            TEN_YEARS: add_entry(TEN_YEARS, "ten-years-live"),
            WEEK_ONE: add_entry(WEEK_ONE, "week-one-live"),
        },
        reps,
    )
    return Row("one edit (add a win): ten years vs week one", found[TEN_YEARS], found[WEEK_ONE])


def bench_finish(pristine: dict[str, Path], work: Path, clock: FakeClock, reps: int) -> list[Row]:
    """(c) Finish the live session, its store restored afresh before each finish (untimed)."""
    folders = {
        TEN_YEARS: "ten-years-live",
        THIS_YEAR: "this-year-live",
        WEEK_ONE: "week-one-live",
    }

    def finish(folder: str) -> Callable[[], float]:
        def run() -> float:
            meeting = open_meeting(restore(pristine[folder], work / folder), clock)
            return seconds(meeting.finish_session)

        return run

    found = interleaved({name: finish(folder) for name, folder in folders.items()}, reps)
    return [
        Row(f"finish a session: ten years vs {name}", found[TEN_YEARS], found[name])
        for name in (THIS_YEAR, WEEK_ONE)
    ]


# A check against a terminal emulator ---------------------------------------------------------


def tmux_start(
    start: Start, pristine: dict[str, Path], work: Path, tmux: list[str]
) -> tuple[float, float]:
    """Start the app in a tmux window of the same size and poll what tmux shows (every 10
    ms) until the texts are on screen: seconds from the pane's command starting to the first
    frame, and to the screen complete."""
    folder = restore(pristine[start.folder], work / start.folder) if start.folder else None
    stamp = work / "tmux-started"
    stamp.unlink(missing_ok=True)
    env = child_env()
    script = (
        f"date +%s.%N > {stamp}; export PYTHONPATH={shlex.quote(env['PYTHONPATH'])} "
        f"COLORTERM=truecolor; exec {shlex.join(start.command(folder))}"
    )
    columns, rows = SIZE
    size = ["-x", str(columns), "-y", str(rows)]
    subprocess.run([*tmux, "new-session", "-d", "-s", "start", *size, script], check=True)
    screen = ""
    try:
        found: dict[str, float] = {}
        deadline = time.time() + 30
        while len(found) < 2 and time.time() < deadline:
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "start"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            now = time.time()
            for what, texts in (("first", start.first), ("complete", start.complete)):
                if what not in found and all(text in screen for text in texts):
                    found[what] = now
            time.sleep(0.01)
        began = float(stamp.read_text())
    finally:
        subprocess.run([*tmux, "kill-session", "-t", "start"], check=False)
    if len(found) < 2:
        raise SystemExit(f"tmux never showed {start.name}'s screen:\n{screen}")
    return found["first"] - began, found["complete"] - began


# (a') Start-up in instructions ----------------------------------------------------------------


def count_instructions(start: Start, pristine: dict[str, Path], work: Path) -> tuple[int, int]:
    """Start once under valgrind's callgrind: the instructions executed (all threads) from
    spawning to the terminal receiving the first frame, and to the screen complete. The
    terminal is read as in (a), and the moment a text arrives callgrind is asked to dump its
    count (callgrind_control). The app goes on while the request reaches it (tens of
    milliseconds, a millisecond or so of the app's own time under valgrind's ~50x slowdown),
    so the first-frame count is a little high, by an amount that depends on the load; the
    complete count is exact (that error cancels between the two dumps, and the app is idle)."""
    folder = at_rest([start], pristine, work).get(start.name)
    dumps = work / "callgrind"
    shutil.rmtree(dumps, ignore_errors=True)
    dumps.mkdir()
    out = dumps / "out"
    valgrind = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={out}",
        f"--vgdb-prefix={dumps / 'vgdb'}",  # its pipes, left by the kill: in our folder
    ]
    terminal = Terminal([*valgrind, f"--log-file={dumps / 'log'}", *start.command(folder)])
    try:
        terminal.wait_for(start.first, timeout=600)
        first = dumped(terminal.process.pid, out, 1)
        terminal.wait_for(start.complete, timeout=600)
        complete = first + dumped(terminal.process.pid, out, 2)
    finally:
        terminal.close()
    return first, complete


def dumped(pid: int, out: Path, number: int) -> int:
    """Ask callgrind in process `pid` for its count since the last dump; wait for the file."""
    vgdb = f"--vgdb-prefix={out.parent / 'vgdb'}"
    command = ["callgrind_control", vgdb, "--dump", str(pid)]
    subprocess.run(command, check=True, capture_output=True)
    dump = out.with_name(f"{out.name}.{number}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"^summary: (\d+)$", dump.read_text() if dump.exists() else "", re.M)
        if found:
            return int(found.group(1))
        time.sleep(0.05)
    raise SystemExit(f"callgrind wrote no count to {dump}")


def bench_instructions(pristine: dict[str, Path], work: Path) -> list[Row]:
    """Each start once under callgrind against the bare app: the count barely changes from
    run to run, so one start each gives a ratio with little noise. It leaves out what
    instructions don't show (waiting on the disk, caches), which the wall clock has."""
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        raise SystemExit("--instructions needs valgrind (and its callgrind_control)")
    starts = [BARE_START, *STARTS]
    for start in starts:  # write the bytecode, as the measured starts of (a) find it
        start_once(start, pristine, work)
    counts = {start.name: count_instructions(start, pristine, work) for start in starts}
    bare_first, bare_complete = counts["bare"]
    rows = []
    for which, index, bare in (("first frame", 0, bare_first), ("complete", 1, bare_complete)):
        for start in STARTS:
            rows.append(
                Row(
                    f"start-up, {which}, instructions: {start.name} vs bare",
                    [counts[start.name][index]],
                    [bare],
                    unit="M",
                    scale=1e-6,
                )
            )
    return rows


def tmux_check(pristine: dict[str, Path], work: Path, runs: int) -> None:
    """The same start-ups in tmux (a server of its own, kept running throughout), against the
    same bare app, interleaved with the pseudo-terminal measurement of (a)."""
    if shutil.which("tmux") is None:
        print("tmux is not installed: no check against a terminal emulator.")
        return
    tmux = ["tmux", "-L", f"facilitator-bench-{os.getpid()}"]
    env = {k: v for k, v in child_env().items() if k != "PYTHONPATH"}
    subprocess.run([*tmux, "new-session", "-d", "-s", "keep", "sleep 100000"], check=True, env=env)
    starts = [BARE_START, STARTS[1], STARTS[2]]
    pty: dict[str, list[tuple[float, float]]] = {s.name: [] for s in starts}
    polled: dict[str, list[tuple[float, float]]] = {s.name: [] for s in starts}
    try:
        for _, order in rotations(starts, runs):
            for start in order:
                polled[start.name].append(tmux_start(start, pristine, work, tmux))
                started = start_once(start, pristine, work)
                pty[start.name].append((started.first, started.complete))
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)
    table = Table()
    for how, found in (("pty", pty), ("tmux", polled)):
        for start in starts[1:]:
            for index, what in enumerate(("first frame", "complete")):
                table.rows.append(
                    Row(
                        f"{how:4} {what:11}: {start.name} vs bare",
                        [t[index] for t in found[start.name]],
                        [t[index] for t in found["bare"]],
                    )
                )
    print("Start-up on a bare pseudo-terminal (read as it comes) and in tmux (screen polled):")
    table.print()
    for start in starts:
        medians = [
            statistics.median(t[index] for t in found[start.name]) * 1000
            for found in (pty, polled)
            for index in (0, 1)
        ]
        print(
            f"{start.name:15} first frame: pty {medians[0]:4.0f} ms, tmux {medians[2]:4.0f} ms; "
            f"complete: pty {medians[1]:4.0f} ms, tmux {medians[3]:4.0f} ms"
        )


# Reporting -----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="starts of each kind (default 9)")
    parser.add_argument(
        "--reps", type=int, default=30, help="edits and finishes of each kind (default 30)"
    )
    parser.add_argument(
        "--dir",
        type=Path,
        help="where to put the data (default: the system's temporary folder); on a tmpfs "
        "fsync costs nothing, so saves look cheaper than on a disk",
    )
    parser.add_argument(
        "--tmux",
        type=int,
        default=0,
        metavar="N",
        help="also start home, resume and the bare app N times each in tmux, to check the "
        "start-up figures against a terminal emulator",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the instructions each start executes, under valgrind (a few "
        "minutes): ratios with no noise, to check the wall-clock ones by",
    )
    parser.add_argument(
        "--only",
        choices=("start-up", "saving", "tmux", "instructions"),
        help="measure only start-up, only saving, only the tmux check (--tmux N, default 5) "
        "or only the instruction counts",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="facilitator-bench-", dir=args.dir) as temp:
        root = Path(temp)
        pristine, ten, described = prepare(root)
        work = root / "work"
        work.mkdir()
        print(f"Data in {root}")
        print(described)
        if args.only in (None, "start-up"):
            print()
            print(
                "Start-up, spawn to the terminal receiving the first frame / the complete "
                "screen (wall clock), and the CPU the process had used by then:"
            )
            Table(bench_start_up(pristine, work, args.runs)).print()
        if args.only in (None, "saving"):
            print()
            print("Saving:")
            rows = [bench_edit(pristine, work, ten.clock, args.reps)]
            rows += bench_finish(pristine, work, ten.clock, args.reps)
            Table(rows).print()
        if args.only in (None, "start-up", "saving"):
            print()
            print(
                "Medians over the rounds; ratio = the median of each round's measured/baseline "
                "(min-max over the rounds)."
            )
        if args.instructions or args.only == "instructions":
            print()
            print("Start-up in instructions executed (valgrind's callgrind, one start each):")
            Table(bench_instructions(pristine, work)).print()
        if args.tmux or args.only == "tmux":
            print()
            tmux_check(pristine, work, args.tmux or 5)


if __name__ == "__main__":
    main()

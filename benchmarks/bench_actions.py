"""Many open actions: does the app stay as fast with 1,000 (or 103,000) as with 10? As ratios.

A partner who never closes actions is real. Three stores are built, each a partnership of two
after its first session (bench_common's builder, through the app's own `Meeting`), with its
open actions made up to 10, 1,000 and 103,000 (spread over the two partners, texts of 60 to
200 characters, due dates from a year ago to two months ahead; the last is a ~50 MB file).
The extra actions are added in one change through `Repository.update`, so the files are
exactly what the app writes. Then, each against the 10-action store measured in the same run
(and start-up against a bare Textual app), interleaved, the order rotating each round:

(a) Start-up and quitting, on a pseudo-terminal of 100x30 as bench_history.py does it
    (`python -m facilitator --data FILE`, the real driver, no hook in the app): from spawning
    to the terminal receiving home's first frame ("Last session:") and the complete screen
    (the second partner's card with its count of open actions); then Ctrl+Q, and the time
    until the process has exited. The bare app is timed the same way.
(b) One save, a real locked, atomic, fsynced write, on this thread as the command line saves
    (`Meeting` without a store thread; the app's store thread does the same work):
    - during a live session: `Meeting.add_entry` (the session file only);
    - outside a session: `Meeting.save_prep` (a partner's preparation, saved as they type)
      and `Meeting.record_progress` on a goal. These rewrite the main file, which holds every
      open action.
(c) Marking one action in review: the app on a pseudo-terminal, a session under way resumed
    (`r`), then `→` past the check-in to the first partner's review turn (timed until its
    heading is drawn); `d` pressed, and the time until the terminal shows the row's new mark
    ("✓ done"), and the CPU the UI (main) thread used from the key until everything is quiet
    again (the mark, its save reported back, the redraws: 0.6 s), read from /proc. Three
    marks per start, a fresh copy of the store each start.
(d) The command line: `facilitator actions` listing all 1,000 (piped, and drawing its table on
    a terminal) against the app's first frame on the same data (bench_cli.py's runners).

(b) runs in this process, on the facilitator this Python imports (the installed checkout;
set PYTHONPATH to measure another); the apps of (a), (c) and (d) run this checkout's.

Not a test: it prints figures and asserts nothing. With --extreme (the default) the 103,000
store is measured too, with fewer rounds (--extreme-runs); (c) at 103,000 only with
--extreme-review (each start reads ~50 MB).

Run: python benchmarks/bench_actions.py [--runs N] [--reps N] [--dir FOLDER] [--no-extreme]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from bench_cli import Timed, environment, run_on_terminal, run_piped
from bench_common import (
    BARE,
    BARE_COMPLETE,
    BARE_FIRST,
    DATA_FILE,
    FACILITATOR,
    HOME_FIRST,
    RESUME_FIRST,
    TWO,
    Row,
    Table,
    Terminal,
    build,
    copy_store,
    cpu_by_thread,
    no_fsync,
    restore,
    rotations,
    seconds,
)

from facilitator.domain.actions import Action, EntryKind
from facilitator.domain.changes import Outcome
from facilitator.domain.clock import FakeClock
from facilitator.domain.goals import Goal, MeasureKind
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository

FEW, MANY, EXTREME = 10, 1_000, 103_000
CTRL_Q = "\x11"
RIGHT = "\x1b[C"
REVIEW = ("actions from last time",)
MARKED = "✓ done"
QUIET_SECONDS = 0.6
"""After a mark: long enough for its save to be reported back and drawn."""
SETTLED_SECONDS = 2.5
"""How old the files are before saves are timed (the store re-reads a file changed in the
last two seconds, however its metadata looks: see `_File.read`)."""

# Realistic actions: a verb, an object, and details up to 60-200 characters.
VERBS = (
    "Draft", "Send", "Call", "Book", "Review", "Finish", "Write", "Read", "Plan", "Ask",
    "Fix", "Update", "Prepare", "Sort out", "Email", "Check", "Chase", "Tidy", "Sketch",
    "Share",
)  # fmt: skip
OBJECTS = (
    "the grant application", "chapter three of the thesis", "the quarterly budget",
    "the dentist", "Sam about the venue", "the slides for Thursday's talk",
    "the garden shed roof", "the tax return", "the onboarding checklist", "my running plan",
    "the newsletter", "the kitchen tap", "the landlord about the boiler",
    "the first 500 words", "the invoice for March", "the trip to Lisbon",
    "the pull request on the parser", "the conference abstract", "the reading list",
    "the photo album",
)  # fmt: skip
DETAILS = (
    "before the end of the week", "with the figures from last month",
    "and ask Ben for feedback", "so it is ready for the meeting",
    "in two short sessions of 25 minutes", "first thing in the morning, phone off",
    "and put the date in the shared calendar", "then send it to the team for comments",
    "even if it is only a rough version", "and note what got in the way this time",
)  # fmt: skip


def action_text(rng: random.Random) -> str:
    text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    wanted = rng.randint(60, 200)
    while len(text) < wanted:
        detail = rng.choice(DETAILS)
        if len(text) + len(detail) + 2 > 200:
            break
        text += ", " + detail
    return text


# The data ------------------------------------------------------------------------------------


def build_store(folder: Path, count: int) -> Meeting:
    """Two partners after their first session, their open actions made up to `count`; one
    goal each (for the goal saves). Returns the meeting that built it (no session live)."""
    built = build(folder, TWO, 1)
    meeting = built.meeting
    partners = meeting.the_partnership.partners
    rng = random.Random(count)
    first = next(iter(meeting.state.actions.values()))
    now = built.clock()
    extra = [
        Action(
            text=action_text(rng),
            owner_id=partners[number % len(partners)].id,
            due_on=now.date() + timedelta(days=rng.randint(-365, 60)),
            created_in=first.created_in,
            created_at=now - timedelta(minutes=count - number),
        )
        for number in range(count - len(meeting.state.actions))
    ]
    with no_fsync():
        meeting.repository.update(lambda state: Outcome(state.with_actions(extra)))
        for partner in partners:
            meeting.save_goal(
                Goal(
                    owner_id=partner.id,
                    what="Run 600 km in 2026",
                    created_on=now.date(),
                    kind=MeasureKind.NUMBER,
                    target=600,
                    unit="km",
                    start=0,
                    deadline=date(2026, 12, 31),
                )
            )
    meeting.stored = meeting.state = meeting.repository.read()
    return meeting


@dataclass
class Store:
    """One size of store: its pristine folders (home: no session; live: a session under way,
    paused as a quit leaves it), and what it holds."""

    count: int
    home: Path
    live: Path
    size: int
    per_partner: dict[str, int]
    clock: FakeClock

    @property
    def name(self) -> str:
        return f"{self.count:,}"


def prepare(root: Path, counts: Sequence[int]) -> dict[int, Store]:
    stores = {}
    for count in counts:
        started = time.perf_counter()
        scratch = root / "build" / str(count)
        meeting = build_store(scratch, count)
        home = copy_store(scratch, root / "pristine" / f"home-{count}")
        clock = meeting.clock
        assert isinstance(clock, FakeClock)
        with no_fsync():
            meeting.begin_session([p.id for p in meeting.the_partnership.partners])
            clock.advance(60)
            meeting.pause_for_quit()
        live = copy_store(scratch, root / "pristine" / f"live-{count}")
        state = Repository.open(home / DATA_FILE).read()
        by_owner = state.open_actions_by_owner()
        stores[count] = Store(
            count=count,
            home=home,
            live=live,
            size=(home / DATA_FILE).stat().st_size,
            per_partner={
                state.partner_name(owner): len(actions) for owner, actions in by_owner.items()
            },
            clock=clock,
        )
        print(
            f"{count:>7,} open actions: main file {stores[count].size / 1e6:6.2f} MB, "
            f"{', '.join(f'{n} {c:,}' for n, c in stores[count].per_partner.items())}; "
            f"built in {time.perf_counter() - started:.1f} s"
        )
    os.sync()
    return stores


# (a) Start-up and quitting -------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    first: float
    complete: float
    first_cpu: float
    quit: float


def start_and_quit(store: Store | None, work: Path) -> Started:
    """Start on a fresh copy of the store (None: the bare app); time the first frame, the
    complete screen and, after Ctrl+Q, the exit."""
    first: Sequence[str]
    complete: Sequence[str]
    if store is None:
        command, first, complete = list(BARE), BARE_FIRST, BARE_COMPLETE
        os.sync()
    else:
        folder = restore(store.home, work / f"home-{store.count}")
        command = [*FACILITATOR, str(folder / DATA_FILE)]
        first = HOME_FIRST
        complete = (f"Ben's open actions ({store.per_partner['Ben']})",)
    terminal = Terminal(command)
    pid = terminal.process.pid
    try:
        first_at = terminal.wait_for(first, timeout=600)
        first_cpu = sum(cpu_by_thread(pid).values())
        complete_at = terminal.wait_for(complete, timeout=600)
        terminal.press(CTRL_Q)
        pressed = time.perf_counter()
        deadline = pressed + 600
        while terminal._read(0.5) and time.perf_counter() < deadline:
            pass  # the terminal closes when the process exits
        terminal.process.wait(timeout=600)
        quit_seconds = time.perf_counter() - pressed
    finally:
        terminal.close()
    return Started(
        first_at - terminal.spawned, complete_at - terminal.spawned, first_cpu, quit_seconds
    )


def bench_start_up(stores: dict[int, Store], work: Path, runs: int, big_runs: int) -> list[Row]:
    small = [None, *(s for s in stores.values() if s.count != EXTREME)]
    for store in small:  # warm the disk cache and the bytecode
        start_and_quit(store, work)
    found: dict[str, list[Started]] = {name_of(s): [] for s in small}
    for _, order in rotations(small, runs):
        for store in order:
            found[name_of(store)].append(start_and_quit(store, work))
    rows = []
    figures: tuple[tuple[str, Callable[[Started], float]], ...] = (
        ("first frame", lambda s: s.first),
        ("complete", lambda s: s.complete),
        ("first frame, CPU", lambda s: s.first_cpu),
    )
    for label, figure in figures:
        for store in small[1:]:
            assert store is not None
            rows.append(
                Row(
                    f"start-up, {label}: {store.name} vs bare",
                    [figure(s) for s in found[store.name]],
                    [figure(s) for s in found["bare"]],
                )
            )
    for store in small[2:]:
        assert store is not None
        rows.append(
            Row(
                f"start-up, first frame: {store.name} vs {FEW}",
                [s.first for s in found[store.name]],
                [s.first for s in found[f"{FEW:,}"]],
            )
        )
    for store in small[1:]:
        assert store is not None
        rows.append(
            Row(
                f"quit (Ctrl+Q to exit): {store.name} vs bare",
                [s.quit for s in found[store.name]],
                [s.quit for s in found["bare"]],
            )
        )
    if EXTREME in stores:
        big = stores[EXTREME]
        pair: list[Store | None] = [None, big]
        extreme: dict[str, list[Started]] = {"bare": [], big.name: []}
        for _, order in rotations(pair, big_runs):
            for store in order:
                extreme[name_of(store)].append(start_and_quit(store, work))
        for label, figure in (*figures, ("quit", lambda s: s.quit)):
            rows.append(
                Row(
                    f"{label}: {big.name} vs bare",
                    [figure(s) for s in extreme[big.name]],
                    [figure(s) for s in extreme["bare"]],
                    notes=f"{big.name}: {statistics.median(map(figure, extreme[big.name])):.2f} s",
                )
            )
    return rows


def name_of(store: Store | None) -> str:
    return "bare" if store is None else store.name


# (b) Saving ----------------------------------------------------------------------------------


def open_meeting(folder: Path, clock: FakeClock) -> Meeting:
    """The meeting on `folder`'s store, each change saved at once on this thread."""
    return Meeting(Repository.open(folder / DATA_FILE), clock)


def bench_saves(stores: dict[int, Store], work: Path, reps: int, big_reps: int) -> list[Row]:
    numbers = itertools.count()
    jobs: dict[str, dict[int, Callable[[], float]]] = {
        "in a session: add a win": {},
        "outside: save a preparation": {},
        "outside: record a goal's progress": {},
    }
    for count, store in stores.items():
        live = open_meeting(restore(store.live, work / f"save-live-{count}"), store.clock)
        home = open_meeting(restore(store.home, work / f"save-home-{count}"), store.clock)
        partner = live.live.present[0]
        goal = next(iter(home.state.goals))

        def win(meeting: Meeting = live, partner: str = partner) -> float:
            text = f"Win number {next(numbers)}"
            return seconds(lambda: meeting.add_entry(text, EntryKind.WIN, partner))

        def prep(meeting: Meeting = home, partner: str = partner) -> float:
            wanted = replace(meeting.prep_of(partner), progressed=f"Progress {next(numbers)}")
            return seconds(lambda: meeting.save_prep(wanted))

        def progress(meeting: Meeting = home, goal: str = goal) -> float:
            value = float(next(numbers) % 600)
            return seconds(lambda: meeting.record_progress(goal, value))

        jobs["in a session: add a win"][count] = win
        jobs["outside: save a preparation"][count] = prep
        jobs["outside: record a goal's progress"][count] = progress
    # As in a real session, the main file was last written a while ago (when the session
    # began), not just now by the copying: the store may then trust its metadata.
    time.sleep(SETTLED_SECONDS)
    rows = []
    for what, by_count in jobs.items():
        for job in by_count.values():
            job()  # warm
        counts = list(by_count)
        found: dict[int, list[float]] = {count: [] for count in counts}
        for round_, order in rotations(counts, reps):
            for count in order:
                if count == EXTREME and round_ >= big_reps:
                    continue
                found[count].append(by_count[count]())
        for count in counts:
            if count == FEW:
                continue
            baseline = found[FEW][: len(found[count])]
            rows.append(Row(f"{what}: {count:,} vs {FEW}", found[count], baseline))
    return rows


# (c) Marking one action in review --------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    latency: float
    """From pressing `d` to the terminal showing the mark."""
    ui_cpu: float
    """CPU of the UI (main) thread from the key until quiet again."""


def review_marks(store: Store, work: Path, marks: int) -> tuple[float, list[Mark]]:
    """Start on a fresh copy with the session under way, resume it, go to the first partner's
    review turn, and mark `marks` actions done, one at a time. Returns how long the review
    turn took to show (from the `→` that leads to it), and the marks."""
    folder = restore(store.live, work / f"review-{store.count}")
    terminal = Terminal([*FACILITATOR, str(folder / DATA_FILE)])
    pid = terminal.process.pid
    found = []
    patience = 600 if store.count >= EXTREME else 30
    try:
        terminal.wait_for(RESUME_FIRST, timeout=patience)
        terminal.press("r")
        terminal.wait_for(("The clock is paused",), timeout=patience)
        settle(terminal)
        opened = 0.0
        for _ in range(4):  # past the check-in
            terminal.press(RIGHT)
            pressed = time.perf_counter()
            try:
                wait = patience if store.count >= EXTREME else 5
                opened = terminal.wait_for(REVIEW, timeout=wait) - pressed
                break
            except RuntimeError:
                continue
        settle(terminal)
        for _ in range(marks):
            seen = len(terminal.text)
            cpu = cpu_by_thread(pid).get(pid, 0.0)
            terminal.press("d")
            pressed = time.perf_counter()
            while MARKED not in terminal.text[seen:]:
                if time.perf_counter() - pressed > patience or not terminal._read(0.5):
                    raise RuntimeError(f"the mark never showed at {store.name}")
            latency = time.perf_counter() - pressed
            while time.perf_counter() - pressed < QUIET_SECONDS:
                terminal._read(0.05)
            found.append(Mark(latency, cpu_by_thread(pid).get(pid, 0.0) - cpu))
    finally:
        terminal.close()
    return opened, found


def settle(terminal: Terminal, quiet: float = 0.5) -> None:
    """Read until nothing has been drawn for `quiet` seconds."""
    last = len(terminal.text)
    while True:
        terminal._read(quiet)
        if len(terminal.text) == last:
            return
        last = len(terminal.text)


def bench_review(
    stores: dict[int, Store], work: Path, runs: int, marks: int, extreme: bool
) -> list[Row]:
    chosen = [s for s in stores.values() if s.count != EXTREME or extreme]
    for store in chosen:
        if store.count != EXTREME:
            review_marks(store, work, 1)  # warm
    found: dict[int, list[Mark]] = {s.count: [] for s in chosen}
    opened: dict[int, list[float]] = {s.count: [] for s in chosen}
    for round_, order in rotations(chosen, runs):
        for store in order:
            if store.count == EXTREME and round_ > 0:
                continue
            took, marked = review_marks(store, work, marks)
            opened[store.count].append(took)
            found[store.count].extend(marked)
    rows = []
    for store in chosen:
        if store.count == FEW:
            continue
        measured = found[store.count]
        baseline = found[FEW][: len(measured)]
        rows.append(
            Row(
                f"open the review turn (→ to drawn): {store.name} vs {FEW}",
                opened[store.count],
                opened[FEW][: len(opened[store.count])],
            )
        )
        rows.append(
            Row(
                f"mark one in review, key to mark shown: {store.name} vs {FEW}",
                [m.latency for m in measured],
                [m.latency for m in baseline],
            )
        )
        rows.append(
            Row(
                f"mark one in review, UI thread CPU: {store.name} vs {FEW}",
                [m.ui_cpu for m in measured],
                [m.ui_cpu for m in baseline],
            )
        )
    return rows


# (d) The command line --------------------------------------------------------------------------


def bench_cli(store: Store, work: Path, runs: int) -> list[Row]:
    folder = restore(store.home, work / f"cli-{store.count}")
    data = str(folder / DATA_FILE)
    env = environment()
    cli = [sys.executable, "-m", "facilitator", "--data", data]
    todo: dict[str, Callable[[], Timed]] = {
        "actions": lambda: run_piped([*cli, "actions"], env),
        "actions (terminal)": lambda: run_on_terminal([*cli, "actions"], env, ()),
        "app": lambda: run_on_terminal(cli, env, HOME_FIRST),
    }
    for job in todo.values():
        job()  # warm
    # As a look comes between meetings: the files at rest, read without the lock (a file
    # written in the last SETTLED_SECONDS is read under it, loading filelock).
    time.sleep(SETTLED_SECONDS)
    found: dict[str, list[Timed]] = {name: [] for name in todo}
    for _, order in rotations(list(todo), runs):
        for name in order:
            found[name].append(todo[name]())
    rows = []
    for measure, pick in (("wall", lambda t: t.wall), ("CPU", lambda t: t.cpu)):
        for name in ("actions", "actions (terminal)"):
            rows.append(
                Row(
                    f"`{name}` listing {store.name} vs the app's first frame ({measure})",
                    [pick(t) for t in found[name]],
                    [pick(t) for t in found["app"]],
                )
            )
    return rows


# Reporting -----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="rounds of start-ups (default 7)")
    parser.add_argument("--reps", type=int, default=30, help="saves of each kind (default 30)")
    parser.add_argument("--marks", type=int, default=3, help="marks per start (default 3)")
    parser.add_argument("--dir", type=Path, help="where the data goes (default: temp)")
    parser.add_argument("--no-extreme", action="store_true", help="skip the 103,000 store")
    parser.add_argument("--extreme-runs", type=int, default=3, help="rounds at 103,000 (default 3)")
    parser.add_argument(
        "--extreme-review", action="store_true", help="also mark in review at 103,000"
    )
    parser.add_argument(
        "--only",
        choices=("start-up", "saving", "review", "cli"),
        help="measure only one of (a) to (d)",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    counts = [FEW, MANY] if args.no_extreme else [FEW, MANY, EXTREME]
    with tempfile.TemporaryDirectory(prefix="facilitator-bench-actions-", dir=args.dir) as temp:
        root = Path(temp)
        stores = prepare(root, counts)
        work = root / "work"
        work.mkdir()
        sections: list[tuple[str, str, Callable[[], list[Row]]]] = [
            (
                "start-up",
                "(a) Start-up on a pseudo-terminal, spawn to the first frame / the complete "
                "screen, and the CPU used by the first frame; quitting, Ctrl+Q to the exit:",
                lambda: bench_start_up(stores, work, args.runs, args.extreme_runs),
            ),
            (
                "saving",
                "(b) One save (locked, atomic, fsynced), during a session and outside one:",
                lambda: bench_saves(stores, work, args.reps, max(args.extreme_runs, 3)),
            ),
            (
                "review",
                "(c) Marking one action done in review (the app on a pseudo-terminal):",
                lambda: bench_review(stores, work, args.runs, args.marks, args.extreme_review),
            ),
            (
                "cli",
                "(d) The command line listing every open action, against the app's first "
                "frame on the same data:",
                lambda: bench_cli(stores[MANY], work, args.runs),
            ),
        ]
        for name, title, run in sections:
            if args.only not in (None, name):
                continue
            print()
            print(title)
            Table(run()).print()
            sys.stdout.flush()
    print()
    print(
        "Medians over the rounds; ratio = the median of each round's measured/baseline "
        "(min-max over the rounds)."
    )


if __name__ == "__main__":
    main()

"""What facilitator costs while nobody touches it, as ratios: CPU time of an app left alone.

Each app is started the way a person starts it (`python -m facilitator --data FILE`, with the
real clock and the real store thread), on its own pseudo-terminal of 100x30 so Textual runs its
real Linux driver, and brought to its screen with keystrokes, as a person would:

- running: a session started from home (s, then Ctrl+S on the attendance dialog), its clock
  running;
- paused:  the same, then space (the clock paused);
- home:    home, with two partners' open actions;
- two screens: one app starts a session as above, a second app on the same data takes the
  offer to resume it (r) and joins it, running; each process's CPU is compared with the one
  screen of "running".

The baseline is a bare Textual app of about the same size (Static texts, a Digits, an
OptionList and a Footer) whose 1 s `set_interval` timer counts the Digits down, as a running
clock does; it is started the same way.

All of them run at the same time, each on its own copy of the data, so the machine's load falls
on all alike. After a warm-up (--warmup: start-up work, the "joined" notice of two screens,
the first heartbeats) each process's CPU time, user and system, all threads, is read from
/proc/PID/task/*/schedstat (the scheduler's count, in ns) at the start and the end of the same
window of --seconds. Figures are CPU milliseconds per second; ratios are per round (measured /
baseline), the median over --rounds. The bytes each app drew per second (what the terminal had
to read) are shown too. Not a test: it asserts nothing.

--profile SCENARIO runs one app under cProfile, switched on only for the window, and prints
where its main (UI) thread spends the time.

Run: python benchmarks/bench_idle.py [--seconds N] [--rounds N] [--warmup N] [--profile S]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench_common import (
    BARE,
    BARE_APP,
    BARE_COMPLETE,
    DATA_FILE,
    FACILITATOR,
    HOME_COMPLETE,
    PAUSED,
    TWO,
    Row,
    Table,
    Terminal,
    build,
    copy_store,
    cpu_by_thread,
    join_session,
    restore,
    start_session,
)

BARE_TICKING = [*BARE, "--tick"]


@dataclass
class App:
    """One app in a round: its terminal, and its CPU and drawing at the window's ends."""

    name: str
    terminal: Terminal
    cpu: list[dict[int, float]] = field(default_factory=list)
    drawn: list[int] = field(default_factory=list)

    def read(self) -> None:
        self.cpu.append(cpu_by_thread(self.terminal.process.pid))
        self.drawn.append(self.terminal.bytes_read)

    def used(self, seconds: float) -> tuple[float, float]:
        """CPU seconds per second over the window: all threads, and the main (UI) thread."""
        before, after = self.cpu
        pid = self.terminal.process.pid
        total = sum(after.values()) - sum(before.get(t, 0.0) for t in after)
        return total / seconds, (after[pid] - before[pid]) / seconds

    def bytes_per_second(self, seconds: float) -> float:
        return (self.drawn[1] - self.drawn[0]) / seconds


def start(name: str, command: list[str], ready: Callable[[Terminal], object]) -> App:
    terminal = Terminal(command)
    try:
        ready(terminal)
    except BaseException:
        terminal.close()
        raise
    terminal.keep_reading()
    return App(name, terminal)


def facilitator(folder: Path) -> list[str]:
    return [*FACILITATOR, str(folder / DATA_FILE)]


def pause(terminal: Terminal) -> None:
    start_session(terminal)
    terminal.press(" ")
    terminal.wait_for(PAUSED)


def start_round(home: Path, work: Path) -> list[App]:
    """Every app of a round, each on its screen (two screens: both on one session)."""
    folders = {name: restore(home, work / name) for name in ("home", "running", "paused", "two")}
    apps: list[App] = []
    try:
        apps.append(start("bare", BARE_TICKING, lambda t: t.wait_for(BARE_COMPLETE)))
        apps.append(
            start("home", facilitator(folders["home"]), lambda t: t.wait_for(HOME_COMPLETE))
        )
        apps.append(start("running", facilitator(folders["running"]), start_session))
        apps.append(start("paused", facilitator(folders["paused"]), pause))
        apps.append(start("two screens: A", facilitator(folders["two"]), start_session))
        apps.append(start("two screens: B", facilitator(folders["two"]), join_session))
    except BaseException:
        for app in apps:
            app.terminal.close()
        raise
    return apps


@dataclass
class Round:
    cpu: dict[str, float]
    ui: dict[str, float]
    drawn: dict[str, float]


def one_round(home: Path, work: Path, warmup: float, seconds: float) -> Round:
    apps = start_round(home, work)
    try:
        time.sleep(warmup)
        for app in apps:
            app.read()
        began = time.perf_counter()
        time.sleep(seconds)
        for app in apps:
            app.read()
        window = time.perf_counter() - began
    finally:
        for app in apps:
            app.terminal.close()
    used = {app.name: app.used(window) for app in apps}
    return Round(
        cpu={name: total for name, (total, _) in used.items()},
        ui={name: ui for name, (_, ui) in used.items()},
        drawn={app.name: app.bytes_per_second(window) for app in apps},
    )


def report(rounds: list[Round]) -> None:
    def cpu(name: str) -> list[float]:
        return [r.cpu[name] for r in rounds]

    def drawn(name: str) -> str:
        return f"draws {statistics.median(r.drawn[name] for r in rounds):,.0f} B/s"

    def ui_share(name: str) -> str:
        share = statistics.median(r.ui[name] / r.cpu[name] for r in rounds)
        return f"UI thread {share:.0%}"

    table = Table()
    for name in ("running", "paused", "home"):
        table.rows.append(
            Row(
                f"{name} vs bare app with 1 s timer",
                cpu(name),
                cpu("bare"),
                unit="ms/s",
                notes=f"{drawn(name)}, {ui_share(name)}",
            )
        )
    two = [(r.cpu["two screens: A"] + r.cpu["two screens: B"]) / 2 for r in rounds]
    table.rows.append(
        Row(
            "two screens, per process vs one screen",
            two,
            cpu("running"),
            unit="ms/s",
            notes=f"A {drawn('two screens: A')}, B {drawn('two screens: B')}",
        )
    )
    for name in ("two screens: A", "two screens: B"):
        table.rows.append(
            Row(f"{name} vs bare app with 1 s timer", cpu(name), cpu("bare"), unit="ms/s")
        )
    print(
        f"Bare app with a 1 s timer: {statistics.median(cpu('bare')) * 1000:.1f} ms/s of CPU, "
        f"{drawn('bare')}, {ui_share('bare')}."
    )
    table.print()
    print()
    print(
        "CPU ms per second of the window, all threads; medians over the rounds; ratio = the "
        "median of each round's measured/baseline (min-max over the rounds)."
    )


# Profiling -----------------------------------------------------------------------------------

# Runs facilitator (or, with -c, the bare app) with cProfile switched on by SIGUSR1 and off by
# SIGUSR2, which writes the statistics of the main thread to the file given first.
PROFILED = """
import cProfile, io, pstats, runpy, signal, sys

profiler = cProfile.Profile()
report, *argv = sys.argv[1:]

def start(*_):
    profiler.enable()

def stop(*_):
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(45)
    with open(report, "w") as file:
        file.write(out.getvalue())

signal.signal(signal.SIGUSR1, start)
signal.signal(signal.SIGUSR2, stop)
if argv[0] == "-c":
    sys.argv = argv[1:]
    exec(compile(argv[1], "<bare>", "exec"), {"__name__": "__main__"})
else:
    sys.argv = ["facilitator", *argv]
    runpy.run_module("facilitator", run_name="__main__", alter_sys=True)
"""


def profile(scenario: str, home: Path, work: Path, warmup: float, seconds: float) -> None:
    report = work / "profile.txt"
    folder = restore(home, work / scenario)
    if scenario == "bare":
        command = [sys.executable, "-c", PROFILED, str(report), "-c", BARE_APP, "--tick"]
        ready: Callable[[Terminal], object] = lambda t: t.wait_for(BARE_COMPLETE)  # noqa: E731
    else:
        command = [sys.executable, "-c", PROFILED, str(report), "--data", str(folder / DATA_FILE)]
        ready = {
            "home": lambda t: t.wait_for(HOME_COMPLETE),
            "running": start_session,
            "paused": pause,
            "joined": join_session,
        }[scenario]
    # "joined": the second of two screens on one session (B), the first (A) not profiled.
    first = start("A", facilitator(folder), start_session) if scenario == "joined" else None
    app = start(scenario, command, ready)
    try:
        time.sleep(warmup)
        app.read()
        os.kill(app.terminal.process.pid, signal.SIGUSR1)
        time.sleep(seconds)
        os.kill(app.terminal.process.pid, signal.SIGUSR2)
        app.read()
        deadline = time.monotonic() + 30
        while not report.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        app.terminal.close()
        if first is not None:
            first.terminal.close()
    total, ui = app.used(seconds)
    print(
        f"{scenario}: {total * 1000:.1f} ms/s of CPU (UI thread {ui * 1000:.1f} ms/s, under "
        f"the profiler), {app.bytes_per_second(seconds):,.0f} B/s drawn. The UI thread's profile "
        f"over {seconds:.0f} s:"
    )
    print(report.read_text())


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=30, help="the measured window (default 30)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    parser.add_argument(
        "--warmup",
        type=float,
        default=11,
        help="seconds between every app being on its screen and the window (default 11: "
        "longer than the notice that another screen joined)",
    )
    parser.add_argument(
        "--profile",
        choices=("running", "paused", "home", "bare", "joined"),
        help="profile one app's UI thread instead (joined: the second of two on a session)",
    )
    parser.add_argument("--dir", type=Path, help="where to put the data (default: temporary)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="facilitator-idle-", dir=args.dir) as temp:
        root = Path(temp)
        home = copy_store(build(root / "build", TWO, 1).folder, root / "home")
        work = root / "work"
        work.mkdir()
        if args.profile:
            profile(args.profile, home, work, args.warmup, args.seconds)
            return
        rounds = []
        for number in range(args.rounds):
            rounds.append(one_round(home, work / str(number), args.warmup, args.seconds))
        report(rounds)


if __name__ == "__main__":
    main()

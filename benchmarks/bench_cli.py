"""How fast the command line starts, as ratios: against `python -c pass`, and against the full
app's first frame, on ten years of weekly history.

Each figure is one fresh process, started as a person starts it (`python -m facilitator
--data FILE COMMAND`), timed from spawning to its exit (the command line) or to the terminal
receiving the app's first frame (home's "Last session:" line; the app runs on a
pseudo-terminal of 100x30, as in bench_history.py). Output of the commands goes to a pipe
that is read to the end, except `actions (terminal)`, which runs on a pseudo-terminal and
draws its table. Two figures each: wall-clock time, and the CPU time (user + system, all
threads) the process had used by then, which wanders far less on a busy machine.

The data: a partnership of two that met every Wednesday from January 2016 to December 2025
(520 finished sessions in ten year files, ~3.4 MB), built through the app's own Meeting as
bench_history.py builds it.

Bytecode: children run with bytecode caching on (PYTHONDONTWRITEBYTECODE removed from their
environment, and each command run once to warm up), as an installed package runs: otherwise
every start would compile facilitator's modules from source, which no user's start does.

Goal: `facilitator actions` at ten years in at most 0.3 of the app's first frame.

Run: python benchmarks/bench_cli.py [--runs N] [--dir FOLDER]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_common import (
    DATA_FILE,
    HOME_FIRST,
    TWO,
    Row,
    Table,
    Terminal,
    build,
    child_env,
    copy_store,
    cpu_by_thread,
    rotations,
)

from facilitator.store.repository import SETTLED_SECONDS

WEEKS = 52 * 10
PYTHON_PASS = "python -c pass"
APP = "app, first frame"


@dataclass(frozen=True)
class Timed:
    wall: float
    cpu: float


def environment() -> dict[str, str]:
    env = child_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_piped(command: Sequence[str], env: dict[str, str]) -> Timed:
    """Spawn, read its output to the end, wait: the wall time and the child's CPU time."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read()
    error = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command} failed ({process.returncode}): {error.decode()[-2000:]}")
    return Timed(wall, usage.ru_utime + usage.ru_stime)


def run_on_terminal(command: Sequence[str], env: dict[str, str], until: Sequence[str]) -> Timed:
    """On a pseudo-terminal: until `until` is drawn (the app), or until it exits (a command)."""
    terminal = Terminal(command, env=env)
    pid = terminal.process.pid
    try:
        if until:
            moment = terminal.wait_for(until)
            cpu = sum(cpu_by_thread(pid).values())
            return Timed(moment - terminal.spawned, cpu)
        while terminal._read(1.0):  # to the end of its output: the terminal closes at its exit
            pass
        _, _, usage = os.wait4(pid, 0)
        terminal.process.returncode = 0
        return Timed(time.perf_counter() - terminal.spawned, usage.ru_utime + usage.ru_stime)
    finally:
        terminal.close()


def jobs(data: Path, env: dict[str, str]) -> dict[str, Callable[[], Timed]]:
    python = [sys.executable]
    cli = [*python, "-m", "facilitator", "--data", str(data)]
    return {
        PYTHON_PASS: lambda: run_piped([*python, "-c", "pass"], env),
        "actions": lambda: run_piped([*cli, "actions"], env),
        "actions (terminal)": lambda: run_on_terminal([*cli, "actions"], env, ()),
        "actions --json": lambda: run_piped([*cli, "actions", "--json"], env),
        "show (latest)": lambda: run_piped([*cli, "show"], env),
        "calendar": lambda: run_piped([*cli, "calendar"], env),
        "sessions (all ten years)": lambda: run_piped([*cli, "sessions"], env),
        "export (all ten years)": lambda: run_piped([*cli, "export"], env),
        APP: lambda: run_on_terminal(
            [*python, "-m", "facilitator", "--data", str(data)], env, HOME_FIRST
        ),
    }


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="rounds of every figure")
    parser.add_argument("--dir", help="where the temporary data goes")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="facilitator-bench-cli-", dir=args.dir) as temp:
        root = Path(temp)
        started = time.perf_counter()
        built = build(root / "build", TWO, WEEKS)
        folder = copy_store(built.folder, root / "ten-years")
        print(f"Ten years built in {time.perf_counter() - started:.0f} s.")
        data = folder / DATA_FILE
        env = environment()
        todo = jobs(data, env)
        for job in todo.values():  # warm the disk cache and the bytecode
            job()
        # As a look comes between meetings: the files at rest, read without the lock (a
        # file written in the last SETTLED_SECONDS is read under it, loading filelock).
        time.sleep(SETTLED_SECONDS)
        found: dict[str, list[Timed]] = {name: [] for name in todo}
        for _, order in rotations(list(todo), args.runs):
            for name in order:
                found[name].append(todo[name]())
    rows = []
    for measure, pick in (("wall", lambda t: t.wall), ("CPU", lambda t: t.cpu)):
        for name in todo:
            if name in (PYTHON_PASS, APP):
                continue
            measured = [pick(t) for t in found[name]]
            rows.append(
                Row(f"{name} vs {APP} ({measure})", measured, [pick(t) for t in found[APP]])
            )
        rows.append(
            Row(
                f"actions vs {PYTHON_PASS} ({measure})",
                [pick(t) for t in found["actions"]],
                [pick(t) for t in found[PYTHON_PASS]],
            )
        )
        rows.append(
            Row(
                f"{APP} vs {PYTHON_PASS} ({measure})",
                [pick(t) for t in found[APP]],
                [pick(t) for t in found[PYTHON_PASS]],
            )
        )
    print(f"\n{args.runs} rounds; ratios are medians of each round's measured/baseline.\n")
    Table(rows).print()


if __name__ == "__main__":
    main()

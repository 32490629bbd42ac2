"""How long a change saved by one process takes to reach another process's running app.

Process B is the app as a person runs it (its real clock and store thread), on a
pseudo-terminal of 100x30 with Textual's real driver, with a session started from home by
keystrokes (s, Ctrl+S) and running, on its first turn (Ana's review, which lists her wins).
It is started as `facilitator --data FILE` is, plus one `set_interval` (every 5 ms) that looks
in `app.meeting.state` for new wins and notes the moment (`time.time()`) each appears.

Process A is a `Meeting` on the same files in another process, saving without a store thread,
as the command line does: every 0.4-1.4 s (at random, so the saves fall anywhere in B's once a
second look at the files) it adds a win for Ana, one locked, fsynced save, and notes the
moment the save returned.

Two figures per change, from A's save returning:
- state:  B's `app.meeting.state` holds the win (the store thread noticed the files changed,
  read them, and the UI thread took the new snapshot);
- screen: B's terminal received the frame showing it (the win in Ana's list, and the
  activity line naming A).

Reported: median, 90th percentile and worst over --changes changes. The store thread looks at
the files' metadata every 0.5 s, so about 0.25 s median and 0.45 s p90 is what that design
gives. Clocks: `time.time()` in every process (one machine, one clock). Not a test.

Run: python benchmarks/bench_shared.py [--changes N] [--dir FOLDER]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_common import (
    DATA_FILE,
    TWO,
    Terminal,
    build,
    child_env,
    copy_store,
    percentile,
    restore,
    start_session,
)
from textual.pilot import Pilot

PREFIX = "Shared win"
POLL_SECONDS = 0.005


def win_text(number: int, changes: int) -> str:
    return f"{PREFIX} {number:02d} of {changes}"


# Process B: the app, and a look at its state every few ms ------------------------------------


def watcher() -> None:
    """B: the app on the data file in argv[2], as `facilitator --data` starts it; each new win
    is written to the pipe in argv[1] with the moment it was first in the app's state."""
    from facilitator.domain.clock import app_clock
    from facilitator.store.repository import Repository
    from facilitator.ui.app import make_app

    pipe, path = int(sys.argv[1]), Path(sys.argv[2])
    app = make_app(Repository.open(path), app_clock())
    seen: set[str] = set()

    def look() -> None:
        for entry in app.meeting.state.entries.values():
            if entry.text.startswith(PREFIX) and entry.text not in seen:
                seen.add(entry.text)
                os.write(pipe, f"{entry.text}\t{time.time()!r}\n".encode())

    async def watch(pilot: Pilot[object]) -> None:
        app.set_interval(POLL_SECONDS, look)

    app.run(auto_pilot=watch)


# Process A: saves, now and then -------------------------------------------------------------


def saver() -> None:
    """A: add `changes` wins for the session's first partner, each saved at once; print when
    each save began and returned."""
    from facilitator.domain.actions import EntryKind
    from facilitator.domain.clock import app_clock
    from facilitator.domain.state import Author
    from facilitator.meeting import Meeting
    from facilitator.store.repository import Repository

    path, changes = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]))
    meeting = Meeting(
        Repository.open(path), app_clock(), author=Author(client="bench-a", label="Process A")
    )
    partner = meeting.live.present[0]
    for number in range(1, changes + 1):
        time.sleep(rng.uniform(0.4, 1.4))
        text = win_text(number, changes)
        saving = time.time()
        meeting.add_entry(text, EntryKind.WIN, partner)
        saved = time.time()
        print(json.dumps({"text": text, "saving": saving, "saved": saved}), flush=True)


# The parent ---------------------------------------------------------------------------------


def measure(folder: Path, changes: int, seed: int) -> tuple[list[float], list[float], list[float]]:
    """Run B and A once; per change: save time, state latency and screen latency."""
    data = folder / DATA_FILE
    texts = [win_text(n, changes) for n in range(1, changes + 1)]
    read_end, write_end = os.pipe()
    b = Terminal(
        [
            sys.executable,
            "-c",
            "import bench_shared; bench_shared.watcher()",
            str(write_end),
            str(data),
        ],
        pass_fds=[write_end],
    )
    os.close(write_end)
    in_state: dict[str, float] = {}
    on_screen: dict[str, float] = {}

    def states() -> None:
        with os.fdopen(read_end) as lines:
            for line in lines:
                text, moment = line.rstrip("\n").split("\t")
                in_state[text] = float(moment)

    def drawn(screen: str) -> None:
        now = time.time()
        for text in texts:
            if text not in on_screen and text in screen:
                on_screen[text] = now

    reader = threading.Thread(target=states, daemon=True)
    reader.start()
    try:
        start_session(b)
        b.keep_reading(drawn)
        a = subprocess.run(
            [
                sys.executable,
                "-c",
                "import bench_shared; bench_shared.saver()",
                str(data),
                str(changes),
                str(seed),
            ],
            env=child_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if a.returncode != 0:
            raise SystemExit(f"process A failed:\n{a.stdout}{a.stderr}")
        deadline = time.time() + 10
        while (len(in_state) < changes or len(on_screen) < changes) and time.time() < deadline:
            time.sleep(0.05)
    finally:
        b.close()
    reader.join(timeout=5)
    saves = [json.loads(line) for line in a.stdout.splitlines()]
    missing = [s["text"] for s in saves if s["text"] not in in_state or s["text"] not in on_screen]
    if missing:
        raise SystemExit(f"B never showed {missing}")
    return (
        [s["saved"] - s["saving"] for s in saves],
        [in_state[s["text"]] - s["saved"] for s in saves],
        [on_screen[s["text"]] - s["saved"] for s in saves],
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--changes", type=int, default=20, help="saves by A (default 20)")
    parser.add_argument("--seed", type=int, default=7, help="for A's random pauses")
    parser.add_argument("--dir", type=Path, help="where to put the data (default: temporary)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="facilitator-shared-", dir=args.dir) as temp:
        root = Path(temp)
        home = copy_store(build(root / "build", TWO, 1).folder, root / "home")
        saves, state, screen = measure(restore(home, root / "work"), args.changes, args.seed)
    print(
        f"{len(saves)} wins saved by process A (each save {statistics.median(saves) * 1000:.0f} ms)"
    )
    print(f"{'from A saved, until':24}  {'median':>8}  {'p90':>8}  {'worst':>8}  {'best':>8}")
    drawing = [shown - known for shown, known in zip(screen, state, strict=True)]
    for label, found in (
        ("B's state has it", state),
        ("B's screen shows it", screen),
        ("(B: state to screen)", drawing),
    ):
        print(
            f"{label:24}  {statistics.median(found) * 1000:6.0f}ms  "
            f"{percentile(found, 0.9) * 1000:6.0f}ms  {max(found) * 1000:6.0f}ms  "
            f"{min(found) * 1000:6.0f}ms"
        )
    print()
    print("B's store thread looks at the files every 0.5 s: ~250 ms median, ~450 ms p90.")


if __name__ == "__main__":
    main()

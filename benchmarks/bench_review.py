"""Opening the term review and the history browser on ten years of weekly sessions, as ratios
to opening home on the same data. The goal: each under 2x.

Ten years of weekly sessions (520, January 2016 to December 2025) are built through the app's
own `Meeting` (bench_common's builder), with two goals per partner whose progress was recorded
every week of 2025. Then three ways of starting the app, each in a fresh process, headless
(`App.run(headless=True)`, 100x30), on a fresh copy of the data, the clock set to the day of the
next session (Wednesday 24 December 2025, 18:05 UTC):

- home: the app as it starts; done when home's partner cards are filled in;
- term review: a session under way whose agenda is the term review (as the app begins one
  when the review is due), resumed at start (the offer to resume taken): done when the
  review phase has read the term's history on its thread and drawn the goals, their charts,
  the follow-through and the reasons (the term: the six weeks of the default rhythm, all in
  2025's file, the largest);
- history: the history screen opened over home: done when the newest year has been read on
  its thread and its sessions listed, the first one's story drawn;
- session (a reference, not a goal): the same resumed session on the standard agenda, its
  first phase (review and celebrate) shown: "term review vs session" is what the review
  phase itself costs, apart from opening a session screen at all.

"Done" is the first frame after the screen's content is complete: a probe in the app checks
the widgets every 2 ms, then waits for the next refresh and prints the moment. Every start is
timed from spawning the process (so the ratios include Python's and Textual's start-up, which
all three share), in wall-clock time and in CPU time (the process's, all threads). The three
run interleaved, the order rotating each round; each figure is the median of the round-by-
round ratios to home. It prints figures and asserts nothing.

    .venv/bin/python benchmarks/bench_review.py            # --runs 9 --dir FOLDER
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# bench_common is imported by the parent only: each child imports no more than the app does.
DATA_FILE = "facilitator.json"
WEEKS = 52 * 10
NOW = datetime(2025, 12, 24, 18, 5, tzinfo=UTC)
"""When the apps think it is: the day of the session after the last one built."""
KINDS = ("home", "term review", "history", "session")
PROBE_SECONDS = 0.002


# The data ------------------------------------------------------------------------------------


def prepare(root: Path) -> dict[str, Path]:
    """The ten years, built once; a copy with the term review under way."""
    from bench_common import TWO, build, copy_store, no_fsync

    from facilitator.domain.agenda import PhaseKind, default_agenda, phase
    from facilitator.domain.goals import Goal, MeasureKind
    from facilitator.domain.session import Session

    shm = Path("/dev/shm")
    scratch_root = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    pristine = root / "pristine"
    pristine.mkdir()
    with tempfile.TemporaryDirectory(prefix="facilitator-review-", dir=scratch_root) as temp:
        started = time.perf_counter()
        built = build(Path(temp) / "ten-years", TWO, WEEKS)
        meeting, clock = built.meeting, built.clock
        with no_fsync():
            for partner in meeting.the_partnership.partners:
                for what, target, unit, step in (("Run", 600, "km", 11.5), ("Save", 5000, "€", 90)):
                    goal = Goal(
                        owner_id=partner.id,
                        what=f"{what} {target} {unit} in 2025",
                        created_on=date(2025, 1, 1),
                        kind=MeasureKind.NUMBER,
                        target=target,
                        unit=unit,
                        start=0,
                        deadline=date(2026, 1, 31),
                    )
                    meeting.save_goal(goal)
                    for week in range(51):
                        meeting.record_progress(
                            goal.id, step * (week + 1), on=date(2025, 1, 1) + timedelta(weeks=week)
                        )
        print(f"Ten years built in {time.perf_counter() - started:.0f} s (fsync off).")
        repository = meeting.repository
        years = repository.history_years()
        sizes = [repository.history_path(y).stat().st_size for y in years]
        print(
            f"History: {len(repository.finished_sessions())} sessions in {len(years)} year files "
            f"({sum(sizes):,} bytes; the largest {max(sizes):,})."
        )
        copy_store(built.folder, pristine / "ten-years")
        clock.now = NOW
        session = Session.begin(
            meeting.the_partnership,
            [p.id for p in meeting.the_partnership.partners],
            clock(),
            agenda=[phase(PhaseKind.TERM_REVIEW, 10), phase(PhaseKind.WRAPUP, 1)],
        )
        repository.put(session)
        copy_store(built.folder, pristine / "term-review")
        standard = Session.begin(
            meeting.the_partnership,
            [p.id for p in meeting.the_partnership.partners],
            clock(),
            agenda=default_agenda(30),
        )
        repository.put(standard)  # the live session replaced: the standard agenda
        copy_store(built.folder, pristine / "session")
    return {
        "home": pristine / "ten-years",
        "history": pristine / "ten-years",
        "term review": pristine / "term-review",
        "session": pristine / "session",
    }


# One start ---------------------------------------------------------------------------------


def start_once(kind: str, pristine: Path, work: Path) -> tuple[float, float]:
    """Start the app on a fresh copy; seconds from spawn to the screen's complete first frame,
    and the CPU seconds the process had used by then."""
    from bench_common import child_env, copy_store

    folder = work / "store"
    shutil.rmtree(folder, ignore_errors=True)
    copy_store(pristine, folder)
    command = [sys.executable, __file__, "--child", kind, str(folder / DATA_FILE)]
    started = time.time()
    done = subprocess.run(
        command, env=child_env(), capture_output=True, text=True, timeout=60, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{kind} did not finish:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    found = json.loads(lines[-1])
    return found["at"] - started, found["cpu"]


def child(kind: str, path: Path) -> None:
    """Run in the child: the app, headless, with a probe that says when the screen is done."""
    from facilitator.domain.agenda import PhaseKind
    from facilitator.domain.clock import SteadyClock, system_clock
    from facilitator.store.repository import Repository
    from facilitator.ui import app as app_module
    from facilitator.ui.app import FacilitatorApp
    from facilitator.ui.screens.home import HomeScreen, PartnerCard
    from facilitator.ui.screens.session import PANELS
    from facilitator.ui.widgets.term_review_panel import TermReviewPanel

    PANELS.setdefault(PhaseKind.TERM_REVIEW, TermReviewPanel)  # until the app registers it

    class Timed(FacilitatorApp):
        # The app's styles, found from its own folder (a subclass's are looked for in its).
        CSS_PATH = [Path(app_module.__file__).parent / style for style in app_module.STYLES]

        def on_ready(self) -> None:
            if kind == "history":
                from facilitator.ui.screens.history import HistoryScreen

                self.push_screen(HistoryScreen(self.meeting))
            elif kind in ("term review", "session") and self.meeting.session is not None:
                self.open_session(resume=True)  # take home's offer to resume (r)
            self._probe = self.set_interval(PROBE_SECONDS, self.probe)

        def probe(self) -> None:
            if not self.done():
                return
            self._probe.stop()
            self.call_after_refresh(self.report)

        def done(self) -> bool:
            screen = self.screen
            if kind == "home":
                cards = list(screen.query(PartnerCard)) if isinstance(screen, HomeScreen) else []
                return bool(cards) and all(card._drawn is not None for card in cards)
            if kind == "history":
                from facilitator.ui.screens.history import HistoryScreen

                return (
                    isinstance(screen, HistoryScreen)
                    and bool(screen.book.years)
                    and bool(str(screen.query_one("#history-detail").render()))
                )
            if kind == "session":
                from facilitator.ui.screens.session import SessionScreen
                from facilitator.ui.widgets.review_panel import ReviewPanel

                return isinstance(screen, SessionScreen) and bool(screen.query(ReviewPanel))
            panels = list(screen.query(TermReviewPanel))
            return bool(panels) and panels[0].loaded

        def report(self) -> None:
            # Straight to the file descriptor: Textual captures print() while it runs.
            found = {"at": time.time(), "cpu": time.process_time()}
            os.write(1, (json.dumps(found) + "\n").encode())
            self.exit()

    clock = SteadyClock(offset=NOW - system_clock())
    app = Timed(Repository.open(path), clock, settings_path=path.parent / "settings.json")
    app.run(headless=True, size=(100, 30))


# Reporting -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="starts of each kind (default 9)")
    parser.add_argument("--dir", type=Path, help="where to put the data (default: temp)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "DATA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    from bench_common import Row, Table, rotations

    with tempfile.TemporaryDirectory(prefix="facilitator-bench-review-", dir=args.dir) as temp:
        root = Path(temp)
        pristine = prepare(root)
        work = root / "work"
        work.mkdir()
        for kind in KINDS:  # warm the disk cache and the bytecode
            start_once(kind, pristine[kind], work)
        found: dict[str, list[tuple[float, float]]] = {kind: [] for kind in KINDS}
        for _, order in rotations(list(KINDS), args.runs):
            for kind in order:
                found[kind].append(start_once(kind, pristine[kind], work))
        rows = []
        for index, label in ((0, "wall clock"), (1, "CPU")):
            for kind, baseline in (
                ("term review", "home"),
                ("history", "home"),
                ("term review", "session"),
            ):
                rows.append(
                    Row(
                        f"{kind} vs {baseline}, {label}",
                        [f[index] for f in found[kind]],
                        [f[index] for f in found[baseline]],
                    )
                )
        print()
        print(
            "From spawning the process to the complete screen's first frame (headless, "
            "100x30), on ten years of weekly sessions:"
        )
        Table(rows).print()
        print()
        for kind, baseline in (
            ("term review", "home"),
            ("history", "home"),
            ("term review", "session"),
        ):
            extra = statistics.median(
                f[0] - h[0] for f, h in zip(found[kind], found[baseline], strict=True)
            )
            print(
                f"{kind}: {extra * 1000:+.0f} ms over {baseline} (median of the rounds' "
                "differences)"
            )
        print(
            "Medians over the rounds; ratio = the median of each round's measured/home "
            "(min-max over the rounds). The goal: under 2x."
        )


if __name__ == "__main__":
    main()

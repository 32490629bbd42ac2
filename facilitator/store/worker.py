"""The store's own thread: applies changes in order, and notices other processes' changes.

All file work happens here, off the thread that draws the screen. A change is applied to
what is stored now (see `Repository.update`); what came of it is reported back without ever
waiting for the screen, so the screen and the store can never wait on each other. A save that
fails (a full disk, a folder made read-only) is reported once and retried, in order; later
changes wait behind it. Between changes, the thread looks at the files' metadata once a
second and re-reads them only when another process has replaced one.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING

from facilitator.domain.record import record
from facilitator.domain.state import MeetingState
from facilitator.store.errors import StoreError
from facilitator.store.presence import HEARTBEAT_SECONDS, Presence, Screen
from facilitator.store.repository import Apply, Repository

if TYPE_CHECKING:
    from facilitator.domain.changes import Outcome

RETRY_FIRST_SECONDS = 0.5
RETRY_MAX_SECONDS = 5.0
POLL_SECONDS = 0.5


@record
class Stored:
    """Change number `seq` is on disk; `outcome.state` is what is stored now."""

    seq: int
    outcome: Outcome


@record
class Seen:
    """Another process changed the data; this is what is stored now."""

    state: MeetingState


@record
class SaveFailed:
    error: Exception
    unexpected: bool = False
    """A fault in the app itself rather than the disk: the change could not be applied."""


@record
class SaveRecovered:
    pass


@record
class OthersOpen:
    screens: tuple[Screen, ...]


Report = Stored | Seen | SaveFailed | SaveRecovered | OthersOpen


@record
class _Job:
    seq: int
    apply: Apply


class StoreWorker:
    def __init__(
        self,
        repository: Repository,
        report: Callable[[Report], None],
        *,
        presence: Presence | None = None,
        poll_seconds: float | None = None,
    ) -> None:
        self.repository = repository
        self._report_to = report
        self._presence = presence
        self._poll = POLL_SECONDS if poll_seconds is None else poll_seconds
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._stopping = threading.Event()
        self._failing = threading.Event()
        self._unwritten = 0
        self._signature: object = repository.seen_signature or repository.signature()
        self._others: tuple[Screen, ...] = ()
        self._next_beat = 0.0
        if presence is not None:
            with suppress(Exception):  # who else is open matters from the first screen on
                self._others = tuple(presence.others())
        self._thread = threading.Thread(target=self._run, name="facilitator-store", daemon=True)
        self._thread.start()

    # Called from the screen's thread ----------------------------------------------------------

    def submit(self, seq: int, apply: Apply) -> None:
        self._jobs.put(_Job(seq, apply))

    @property
    def pending(self) -> int:
        """Changes submitted and not yet on disk."""
        return self._jobs.unfinished_tasks

    @property
    def others(self) -> tuple[Screen, ...]:
        return self._others

    @property
    def failing(self) -> bool:
        return self._failing.is_set()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every submitted change is written; False if `timeout` ran out first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._jobs.unfinished_tasks:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            if not self._thread.is_alive():
                return False
            time.sleep(0.005)
        return True

    def close(self, timeout: float = 10.0) -> int:
        """Write what is pending (waiting at most `timeout`), then stop; returns how many
        changes could not be written."""
        self.flush(timeout)
        self._stopping.set()
        self._jobs.put(None)
        self._thread.join(timeout=2.0)
        if self._presence is not None:
            self._presence.leave()
        if self._thread.is_alive():
            return max(self._unwritten, self._jobs.unfinished_tasks - 1)  # less the stop marker
        return self._unwritten

    def stop_now(self) -> int:
        """Stop without waiting for failing saves (the person chose to quit without them)."""
        return self.close(timeout=0)

    def abandon(self) -> None:
        """Stop as a crash would: nothing more written, and this screen no longer counts as
        open here (its presence file stays behind, as after a real crash). For tests."""
        self._stopping.set()
        self._jobs.put(None)
        self._thread.join(timeout=2.0)
        if self._presence is not None:
            self._presence.forget()

    # The thread -----------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            try:
                job = self._jobs.get(timeout=self._poll)
            except queue.Empty:
                self._look_around()
                continue
            if job is None:
                self._jobs.task_done()
                return
            written = self._run_until_written(job)
            self._jobs.task_done()
            if not written:
                self._give_up()
                return
            if self._jobs.empty():
                self._look_around()

    def _look_around(self) -> None:
        """Between changes: has another process changed the files? Who else is open?"""
        if self._stopping.is_set():
            return
        with suppress(Exception):  # never let a look stop the saving
            self._heartbeat()
        signature = self.repository.signature()
        if signature == self._signature:
            return
        try:
            state, seen = self.repository.read_with_signature()
        except StoreError as error:
            if not self._failing.is_set():  # said once, however many looks fail
                self._failing.set()
                self._report(SaveFailed(error))
            return
        if self._failing.is_set():
            self._failing.clear()
            self._report(SaveRecovered())
        self._signature = seen
        self._report(Seen(state))

    def _heartbeat(self) -> None:
        if self._presence is None or time.monotonic() < self._next_beat:
            return
        self._next_beat = time.monotonic() + HEARTBEAT_SECONDS
        self._presence.beat()
        others = tuple(self._presence.others())
        if others != self._others:
            self._others = others
            self._report(OthersOpen(others))

    def _give_up(self) -> None:
        """Stopped while a save kept failing: write nothing after it, so nothing is out of
        order, and count it and everything behind it as unwritten."""
        self._unwritten = 1
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                self._unwritten += 1
            self._jobs.task_done()

    def _run_until_written(self, job: _Job) -> bool:
        delay = RETRY_FIRST_SECONDS
        while True:
            try:
                outcome = self.repository.update(job.apply)
            except (StoreError, OSError) as error:
                if not self._failing.is_set():
                    self._failing.set()
                    self._report(SaveFailed(error))
                if self._stopping.wait(delay):
                    return False
                delay = min(delay * 2, RETRY_MAX_SECONDS)
                continue
            except Exception as error:  # a fault in applying this change: report, go on
                self._report(SaveFailed(error, unexpected=True))
                return True
            if self._failing.is_set():
                self._failing.clear()
                self._report(SaveRecovered())
            self._signature = self.repository.seen_signature
            self._report(Stored(job.seq, outcome))
            return True

    def _report(self, report: Report) -> None:
        """Tell the screen, if it is still there: a closed screen must not stop the saving."""
        with suppress(Exception):
            self._report_to(report)

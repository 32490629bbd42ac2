"""A background writer: saves run in order on one thread, off the path that draws frames.

A save that fails (a full disk, a file someone else broke) is reported and retried, in order,
until it succeeds; later saves wait behind it, so nothing is written out of order or dropped.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from contextlib import suppress

Job = Callable[[], None]

RETRY_FIRST_SECONDS = 0.5
RETRY_MAX_SECONDS = 5.0


class BackgroundWriter:
    def __init__(
        self,
        on_error: Callable[[Exception], None],
        on_recovered: Callable[[], None] = lambda: None,
    ) -> None:
        self._on_error = on_error
        self._on_recovered = on_recovered
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._stopping = threading.Event()
        self._unwritten = 0
        self._thread = threading.Thread(target=self._run, name="facilitator-writer", daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> None:
        self._jobs.put(job)

    @property
    def pending(self) -> int:
        return self._jobs.unfinished_tasks

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every submitted save is written; False if `timeout` ran out first."""
        if timeout is None:
            self._jobs.join()
            return True
        done = threading.Event()

        def wait_for_all() -> None:
            self._jobs.join()
            done.set()

        waiter = threading.Thread(target=wait_for_all, daemon=True)
        waiter.start()
        return done.wait(timeout)

    def close(self, timeout: float = 10.0) -> int:
        """Write what is pending, then stop; returns how many saves could not be written."""
        self.flush(timeout)
        self._stopping.set()
        self._jobs.put(None)
        self._thread.join(timeout=min(timeout, 2.0))
        if self._thread.is_alive():  # a save still under way when time ran out
            return max(self._unwritten, self._jobs.unfinished_tasks - 1)  # less the stop marker
        return self._unwritten

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                self._jobs.task_done()
                return
            written = self._run_until_written(job)
            self._jobs.task_done()
            if not written:
                self._give_up()
                return

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

    def _run_until_written(self, job: Job) -> bool:
        delay = RETRY_FIRST_SECONDS
        failing = False
        while True:
            try:
                job()
            except Exception as error:  # reported to the UI, which shows it; never lost
                if not failing:
                    self._report(self._on_error, error)
                failing = True
                if self._stopping.wait(delay):
                    return False
                delay = min(delay * 2, RETRY_MAX_SECONDS)
            else:
                if failing:
                    self._report(self._on_recovered)
                return True

    @staticmethod
    def _report(callback: Callable[..., None], *args: object) -> None:
        """Tell the UI, if it is still there: a closed UI must not stop the saving."""
        with suppress(Exception):
            callback(*args)

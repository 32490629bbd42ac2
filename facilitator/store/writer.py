"""A background writer: saves run in order on one thread, off the path that draws frames.

A save that fails (a full disk, a file someone else broke) is reported and retried, in order,
until it succeeds; later saves wait behind it, so nothing is written out of order or dropped.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

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
        waiter = threading.Thread(target=lambda: (self._jobs.join(), done.set()), daemon=True)
        waiter.start()
        return done.wait(timeout)

    def close(self, timeout: float = 10.0) -> int:
        """Write what is pending, then stop; returns how many saves could not be written."""
        self.flush(timeout)
        self._stopping.set()
        self._jobs.put(None)
        self._thread.join(timeout=1.0)
        return max(0, self.pending - 1)  # the stop marker itself is not a save

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                self._jobs.task_done()
                return
            self._run_until_written(job)
            self._jobs.task_done()

    def _run_until_written(self, job: Job) -> None:
        delay = RETRY_FIRST_SECONDS
        failing = False
        while True:
            try:
                job()
            except Exception as error:  # reported to the UI, which shows it; never lost
                if not failing:
                    self._on_error(error)
                failing = True
                if self._stopping.wait(delay):
                    return
                delay = min(delay * 2, RETRY_MAX_SECONDS)
            else:
                if failing:
                    self._on_recovered()
                return

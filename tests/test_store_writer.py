"""The background writer: saves in submit order, retried in place, counted when given up."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from store_helpers import START, partnership

from facilitator.domain.actions import new_action
from facilitator.store import writer
from facilitator.store.errors import StoreError
from facilitator.store.repository import Repository
from facilitator.store.writer import BackgroundWriter

WAIT = 10.0  # an upper bound for waits on the writer thread; never reached when all is well


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "RETRY_FIRST_SECONDS", 0.01)
    monkeypatch.setattr(writer, "RETRY_MAX_SECONDS", 0.02)


class Recorder:
    def __init__(self) -> None:
        self.done: list[object] = []
        self.errors: list[Exception] = []
        self.recovered = 0
        self.threads: set[int] = set()
        self.errored = threading.Event()

    def job(self, name: object) -> Callable[[], None]:
        def run() -> None:
            self.threads.add(threading.get_ident())
            self.done.append(name)

        return run

    def on_error(self, error: Exception) -> None:
        self.errors.append(error)
        self.errored.set()

    def on_recovered(self) -> None:
        self.recovered += 1


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
def bw(rec: Recorder) -> Iterator[BackgroundWriter]:
    w = BackgroundWriter(on_error=rec.on_error, on_recovered=rec.on_recovered)
    yield w
    w.close(timeout=0.1)


def failing_then_ok(rec: Recorder, failures: int, name: str = "flaky") -> Callable[[], None]:
    attempts = [0]

    def run() -> None:
        attempts[0] += 1
        if attempts[0] <= failures:
            raise StoreError(Path("/data.json"), f"attempt {attempts[0]} failed")
        rec.done.append(name)

    return run


def test_jobs_run_in_submit_order_off_the_callers_thread(
    bw: BackgroundWriter, rec: Recorder
) -> None:
    for i in range(200):
        bw.submit(rec.job(i))
    assert bw.flush(timeout=WAIT)
    assert rec.done == list(range(200))
    assert bw.pending == 0
    assert rec.threads and threading.get_ident() not in rec.threads
    assert rec.errors == []
    assert rec.recovered == 0


def test_flush_waits_for_every_job(bw: BackgroundWriter, rec: Recorder) -> None:
    release = threading.Event()

    def blocked() -> None:
        release.wait(WAIT)

    bw.submit(blocked)
    bw.submit(rec.job("after"))

    assert bw.flush(timeout=0.05) is False  # the first job is still blocked
    assert rec.done == []
    assert bw.pending == 2

    release.set()
    assert bw.flush() is True
    assert rec.done == ["after"]
    assert bw.pending == 0


def test_a_failing_job_is_retried_before_later_jobs(bw: BackgroundWriter, rec: Recorder) -> None:
    bw.submit(rec.job("before"))
    bw.submit(failing_then_ok(rec, failures=2))
    for i in range(3):
        bw.submit(rec.job(i))

    assert bw.flush(timeout=WAIT)
    assert rec.done == ["before", "flaky", 0, 1, 2]
    assert len(rec.errors) == 1
    assert isinstance(rec.errors[0], StoreError)
    assert "attempt 1 failed" in str(rec.errors[0])
    assert rec.recovered == 1


def test_a_job_that_keeps_failing_is_reported_once(bw: BackgroundWriter, rec: Recorder) -> None:
    attempts: list[int] = []
    tried_often = threading.Event()

    def broken() -> None:
        attempts.append(1)
        if len(attempts) >= 5:
            tried_often.set()
        raise OSError("still broken")

    bw.submit(broken)
    bw.submit(rec.job("behind"))
    assert tried_often.wait(WAIT)
    assert len(rec.errors) == 1
    assert rec.recovered == 0
    assert rec.done == []  # nothing overtakes the failing save
    assert bw.pending == 2


def test_close_writes_what_is_pending(rec: Recorder) -> None:
    w = BackgroundWriter(on_error=rec.on_error)
    for i in range(20):
        w.submit(rec.job(i))
    assert w.close(timeout=WAIT) == 0
    assert rec.done == list(range(20))


def test_close_counts_a_save_still_running(rec: Recorder) -> None:
    release = threading.Event()
    w = BackgroundWriter(on_error=rec.on_error)

    def blocked() -> None:
        release.wait(WAIT)

    w.submit(blocked)
    try:
        assert w.close(timeout=0.05) == 1
    finally:
        release.set()


def test_close_counts_a_save_that_keeps_failing(rec: Recorder) -> None:
    w = BackgroundWriter(on_error=rec.on_error)

    def broken() -> None:
        raise OSError(28, "No space left on device")

    w.submit(broken)
    assert w.close(timeout=0.1) == 1


def test_close_does_not_write_saves_queued_behind_a_failing_one(rec: Recorder) -> None:
    w = BackgroundWriter(on_error=rec.on_error)

    def broken() -> None:
        raise OSError(28, "No space left on device")

    w.submit(broken)
    w.submit(rec.job("later"))
    unwritten = w.close(timeout=0.1)
    assert rec.done == []
    assert unwritten == 2


def test_a_save_into_a_broken_file_is_retried_until_the_file_is_fixed(
    tmp_path: Path, bw: BackgroundWriter, rec: Recorder
) -> None:
    path = tmp_path / "data.json"
    repo = Repository.open(path)
    p = partnership()
    repo.save(p)
    good = path.read_bytes()
    path.write_bytes(b"{ oops")  # someone broke the file while the app was running

    action = new_action("Written eventually", p.partners[0].id, date(2026, 3, 9), None, START)
    bw.submit(lambda: repo.save(action))
    bw.submit(rec.job("next save"))

    assert rec.errored.wait(WAIT)  # the writer thread met the broken file and said so
    assert isinstance(rec.errors[0], StoreError)
    assert "not valid JSON" in str(rec.errors[0])
    assert str(path) in str(rec.errors[0])
    assert path.read_bytes() == b"{ oops"
    assert rec.done == []

    path.write_bytes(good)  # the user restores it; the retry goes through
    assert bw.flush(timeout=WAIT)
    assert rec.recovered == 1
    assert len(rec.errors) == 1
    assert rec.done == ["next save"]
    live = repo.load_live()
    assert live.partnership == p
    assert [a.text for a in live.actions] == ["Written eventually"]


def test_a_failing_report_does_not_stop_the_saving(monkeypatch: pytest.MonkeyPatch) -> None:
    """After the UI has gone, reporting an error raises; the save is still retried."""
    monkeypatch.setattr(writer, "RETRY_FIRST_SECONDS", 0.01)
    attempts: list[int] = []

    def gone(*args: object) -> None:
        raise RuntimeError("Event loop is closed")

    def flaky() -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise OSError("disk full")

    w = BackgroundWriter(on_error=gone, on_recovered=gone)
    w.submit(flaky)
    assert w.close(timeout=5) == 0
    assert len(attempts) == 3

"""The store thread: changes applied in submit order, a failing save retried in place and
reported once, changes counted when given up, and other processes' changes noticed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from store_helpers import (
    ANA,
    BEN,
    START,
    data_file,
    new_meeting,
    open_repo,
    set_up,
    wait_until,
)

from facilitator.domain import changes as ch
from facilitator.domain.actions import EntryKind, new_entry
from facilitator.domain.changes import Outcome
from facilitator.domain.state import MeetingState
from facilitator.store import worker
from facilitator.store.errors import StoreError
from facilitator.store.presence import Presence
from facilitator.store.repository import Apply, Repository
from facilitator.store.worker import (
    OthersOpen,
    Report,
    SaveFailed,
    SaveRecovered,
    Seen,
    Stored,
    StoreWorker,
)

WAIT = 10.0  # an upper bound for waits on the store thread; never reached when all is well
POLL = 0.01  # how often the store thread looks at the files, in these tests


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "RETRY_FIRST_SECONDS", 0.01)
    monkeypatch.setattr(worker, "RETRY_MAX_SECONDS", 0.02)


@dataclass
class Recorder:
    reports: list[Report] = field(default_factory=list)
    applied: list[object] = field(default_factory=list)
    threads: set[int] = field(default_factory=set)

    def __call__(self, report: Report) -> None:
        self.reports.append(report)

    def of(self, kind: type[Any]) -> list[Any]:
        return [r for r in list(self.reports) if isinstance(r, kind)]

    def job(self, name: object) -> Apply:
        """A change that notes it ran (and where), storing a draft named after it."""

        def apply(state: MeetingState) -> Outcome:
            self.threads.add(threading.get_ident())
            self.applied.append(name)
            return ch.SaveDraft(at=START, box="box", partner_id=str(name), text="x").run(state, ANA)

        return apply

    def failing_then_ok(self, failures: int, name: str = "flaky") -> Apply:
        attempts = [0]
        ok = self.job(name)

        def apply(state: MeetingState) -> Outcome:
            attempts[0] += 1
            if attempts[0] <= failures:
                raise StoreError(Path("/data.json"), f"attempt {attempts[0]} failed")
            return ok(state)

        return apply


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return open_repo(data_file(tmp_path))


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
def w(repo: Repository, rec: Recorder) -> Iterator[StoreWorker]:
    store = StoreWorker(repo, rec, poll_seconds=POLL)
    yield store
    store.close(timeout=0.1)


def test_changes_are_applied_in_submit_order_off_the_callers_thread(
    w: StoreWorker, rec: Recorder, repo: Repository
) -> None:
    for i in range(200):
        w.submit(i, rec.job(i))
    assert w.flush(timeout=WAIT)
    assert rec.applied == list(range(200))
    assert [r.seq for r in rec.of(Stored)] == list(range(200))
    assert w.pending == 0
    assert rec.threads and threading.get_ident() not in rec.threads
    assert rec.of(SaveFailed) == [] and rec.of(SaveRecovered) == []
    assert rec.of(Seen) == []  # its own writes are not news
    last: Stored = rec.of(Stored)[-1]
    assert last.outcome.state is repo.read()  # what is stored after the change
    assert len(last.outcome.state.drafts) == 200


def test_flush_waits_for_every_change(w: StoreWorker, rec: Recorder) -> None:
    release = threading.Event()

    def blocked(state: MeetingState) -> Outcome:
        release.wait(WAIT)
        return Outcome(state)

    w.submit(1, blocked)
    w.submit(2, rec.job("after"))

    assert w.flush(timeout=0.05) is False  # the first change is still blocked
    assert rec.applied == []
    assert w.pending == 2

    release.set()
    assert w.flush() is True
    assert rec.applied == ["after"]
    assert [r.seq for r in rec.of(Stored)] == [1, 2]
    assert w.pending == 0


def test_a_failing_save_is_retried_before_later_changes(w: StoreWorker, rec: Recorder) -> None:
    w.submit(1, rec.job("before"))
    w.submit(2, rec.failing_then_ok(failures=2))
    for i in range(3):
        w.submit(3 + i, rec.job(i))

    assert w.flush(timeout=WAIT)
    assert rec.applied == ["before", "flaky", 0, 1, 2]
    failed = rec.of(SaveFailed)
    assert len(failed) == 1
    assert isinstance(failed[0].error, StoreError)
    assert "attempt 1 failed" in str(failed[0].error)
    assert failed[0].unexpected is False
    assert len(rec.of(SaveRecovered)) == 1
    kinds = [type(r) for r in rec.reports]
    assert kinds == [Stored, SaveFailed, SaveRecovered, Stored, Stored, Stored, Stored]
    assert [r.seq for r in rec.of(Stored)] == [1, 2, 3, 4, 5]
    assert not w.failing


def test_a_change_that_keeps_failing_is_reported_once(w: StoreWorker, rec: Recorder) -> None:
    attempts: list[int] = []

    def broken(state: MeetingState) -> Outcome:
        attempts.append(1)
        raise OSError("still broken")

    w.submit(1, broken)
    w.submit(2, rec.job("behind"))
    wait_until(lambda: len(attempts) >= 5, WAIT, "five attempts")
    assert w.failing
    assert len(rec.of(SaveFailed)) == 1
    assert rec.of(SaveRecovered) == []
    assert rec.applied == []  # nothing overtakes the failing save
    assert w.pending == 2


def test_a_fault_in_a_change_is_reported_and_skipped(w: StoreWorker, rec: Recorder) -> None:
    def faulty(state: MeetingState) -> Outcome:
        raise KeyError("a bug in facilitator, not the disk")

    w.submit(1, rec.job("before"))
    w.submit(2, faulty)
    w.submit(3, rec.job("after"))
    assert w.flush(timeout=WAIT)

    failed = rec.of(SaveFailed)
    assert len(failed) == 1
    assert failed[0].unexpected is True
    assert isinstance(failed[0].error, KeyError)
    assert rec.applied == ["before", "after"]
    assert [r.seq for r in rec.of(Stored)] == [1, 3]
    assert rec.of(SaveRecovered) == []
    assert not w.failing


def test_close_writes_what_is_pending(repo: Repository, rec: Recorder) -> None:
    store = StoreWorker(repo, rec, poll_seconds=POLL)
    for i in range(20):
        store.submit(i, rec.job(i))
    assert store.close(timeout=WAIT) == 0
    assert rec.applied == list(range(20))
    assert len(open_repo(repo.path).read().drafts) == 20


def test_close_counts_a_save_still_running(
    repo: Repository, rec: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    store = StoreWorker(repo, rec, poll_seconds=POLL)
    thread = store._thread  # close waits 2 s for a hung save: too long for a test
    real_join = thread.join
    monkeypatch.setattr(thread, "join", lambda timeout=None: real_join(0.05))

    def blocked(state: MeetingState) -> Outcome:
        release.wait(WAIT)
        return Outcome(state)

    store.submit(1, blocked)
    try:
        assert store.close(timeout=0.05) == 1
    finally:
        release.set()
        real_join(WAIT)


def test_close_counts_a_save_that_keeps_failing(repo: Repository, rec: Recorder) -> None:
    store = StoreWorker(repo, rec, poll_seconds=POLL)

    def broken(state: MeetingState) -> Outcome:
        raise OSError(28, "No space left on device")

    store.submit(1, broken)
    assert store.close(timeout=0.1) == 1
    assert len(rec.of(SaveFailed)) == 1


def test_close_does_not_write_changes_queued_behind_a_failing_one(
    repo: Repository, rec: Recorder
) -> None:
    store = StoreWorker(repo, rec, poll_seconds=POLL)

    def broken(state: MeetingState) -> Outcome:
        raise OSError(28, "No space left on device")

    store.submit(1, broken)
    store.submit(2, rec.job("later"))
    assert store.close(timeout=0.1) == 2
    assert rec.applied == []
    assert rec.of(Stored) == []


def test_a_save_into_a_broken_file_is_retried_until_the_file_is_fixed(
    tmp_path: Path, rec: Recorder
) -> None:
    path = data_file(tmp_path)
    repo, m, _c, p = set_up(path)
    good = path.read_bytes()
    store = StoreWorker(repo, rec, poll_seconds=POLL)
    try:
        path.write_bytes(b"{ oops")  # someone broke the file while the app was running
        m.use_store_thread(store.submit)
        session = m.begin_session([p.partners[0].id])
        store.submit(99, rec.job("next save"))

        wait_until(lambda: bool(rec.of(SaveFailed)), WAIT, "the failure to be reported")
        error = rec.of(SaveFailed)[0].error
        assert isinstance(error, StoreError)
        assert "not valid JSON" in str(error)
        assert str(path) in str(error)
        assert path.read_bytes() == b"{ oops"
        assert rec.applied == []
        assert m.unsaved == 1
        assert m.state.live is not None  # shown at once, all the same

        path.write_bytes(good)  # the user restores it; the retry goes through
        assert store.flush(timeout=WAIT)
        assert len(rec.of(SaveRecovered)) == 1
        assert len(rec.of(SaveFailed)) == 1
        assert rec.applied == ["next save"]
        stored = rec.of(Stored)
        assert [r.seq for r in stored] == [2, 99]  # the partnership was change 1
        m.stored_change(stored[0].seq, stored[0].outcome)
        assert m.unsaved == 0
        state = open_repo(path).read()
        assert state.session is not None and state.session.id == session.id
    finally:
        store.close(timeout=0.1)


def test_a_failing_report_does_not_stop_the_saving(repo: Repository) -> None:
    """After the screen has gone, reporting raises; the save is still retried and written."""
    attempts: list[int] = []

    def gone(report: Report) -> None:
        raise RuntimeError("Event loop is closed")

    def flaky(state: MeetingState) -> Outcome:
        attempts.append(1)
        if len(attempts) < 3:
            raise OSError("disk full")
        return ch.SaveDraft(at=START, box="b", partner_id="p", text="kept").run(state, ANA)

    store = StoreWorker(repo, gone, poll_seconds=POLL)
    store.submit(1, flaky)
    assert store.close(timeout=5) == 0
    assert len(attempts) == 3
    assert open_repo(repo.path).read().draft("b", "p") == "kept"


def test_a_change_by_another_repository_is_seen(tmp_path: Path, rec: Recorder) -> None:
    path = data_file(tmp_path)
    repo, m, c, p = set_up(path)
    session = m.begin_session([p.partners[0].id])
    store = StoreWorker(repo, rec, poll_seconds=POLL)
    try:
        store.submit(1, rec.job("mine"))
        assert store.flush(timeout=WAIT)
        theirs = new_entry("theirs", EntryKind.WIN, p.partners[0].id, session.id, c())
        open_repo(path).update(partial(ch.AddEntry(at=c(), entry=theirs).run, author=BEN))

        wait_until(lambda: bool(rec.of(Seen)), WAIT, "the change to be seen")
        seen: Seen = rec.of(Seen)[0]
        assert theirs.id in seen.state.entries
        assert seen.state.draft("box", "mine") == "x"
        assert [type(r) for r in rec.reports] == [Stored, Seen]  # its own write was not news

        m.seen(seen.state)
        assert theirs.id in m.state.entries
    finally:
        store.close(timeout=0.1)


def test_a_change_made_just_after_ours_is_still_seen(tmp_path: Path, rec: Recorder) -> None:
    path = data_file(tmp_path)
    repo, m, c, p = set_up(path)
    session = m.begin_session([p.partners[0].id])
    other = open_repo(path)
    theirs = new_entry("theirs", EntryKind.WIN, p.partners[1].id, session.id, c())
    real_update = repo.update

    def update_then_another_writes(apply: Apply) -> Outcome:
        outcome = real_update(apply)  # the lock is let go here...
        other.update(partial(ch.AddEntry(at=c(), entry=theirs).run, author=BEN))  # ...and taken
        return outcome

    repo.update = update_then_another_writes  # type: ignore[method-assign]
    store = StoreWorker(repo, rec, poll_seconds=POLL)
    try:
        store.submit(1, rec.job("mine"))
        assert store.flush(timeout=WAIT)
        wait_until(
            lambda: any(theirs.id in r.state.entries for r in rec.of(Seen)),
            0.3,
            "the other process's entry to be seen",
        )
    finally:
        store.close(timeout=0.1)


def test_other_screens_coming_and_going_are_reported_and_this_one_leaves_on_close(
    tmp_path: Path, rec: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "HEARTBEAT_SECONDS", POLL)
    path = data_file(tmp_path)
    repo = open_repo(path)
    ben = Presence(path, "screen-b", "Ben's laptop")
    ben.beat()
    me = Presence(path, "screen-a", "Ana's terminal")

    def reported() -> list[list[str]]:
        return [[s.client for s in r.screens] for r in rec.of(OthersOpen)]

    store = StoreWorker(repo, rec, presence=me, poll_seconds=POLL)
    try:
        cleo = Presence(path, "screen-c", "Cleo's browser")
        cleo.beat()
        wait_until(lambda: ["screen-b", "screen-c"] in reported(), WAIT, "Cleo to be seen")
        assert [(s.client, s.label) for s in ben.others()] == [
            ("screen-a", "Ana's terminal"),
            ("screen-c", "Cleo's browser"),
        ]
        ben.leave()
        wait_until(lambda: reported()[-1] == ["screen-c"], WAIT, "Ben to be gone")
    finally:
        store.close(timeout=0.1)
    assert [s.client for s in cleo.others()] == []  # closing says this screen has gone


def test_a_meeting_on_the_store_thread_ends_with_what_is_stored(
    tmp_path: Path, rec: Recorder
) -> None:
    """The app's wiring: changes shown at once, stored in order, the screen rebased on each."""
    path = data_file(tmp_path)
    repo, _, _, p = set_up(path)
    m, _c = new_meeting(repo)
    unsaved: list[int] = []

    def report(r: Report) -> None:
        rec(r)
        if isinstance(r, Stored):
            m.stored_change(r.seq, r.outcome)  # (the app hands this to the screen's thread)
            unsaved.append(m.unsaved)

    store = StoreWorker(repo, report, poll_seconds=POLL)
    m.use_store_thread(store.submit)
    try:
        m.begin_session([p.partners[0].id, p.partners[1].id])
        texts = [f"entry {i}" for i in range(30)]
        for text in texts:
            m.add_entry(text, EntryKind.WIN, p.partners[0].id)
            m.next_turn()
        assert store.flush(timeout=WAIT)
    finally:
        assert store.close(timeout=WAIT) == 0
    stored = open_repo(path).read()
    assert sorted(e.text for e in stored.entries.values()) == sorted(texts)
    assert stored.session is not None
    assert stored.session.timer.current == len(stored.session.turns) - 1  # moved to the last
    assert m.unsaved == 0 and unsaved[-1] == 0
    assert m.state.entries.keys() == stored.entries.keys()
    assert [r.seq for r in rec.of(Stored)] == list(range(1, 62))

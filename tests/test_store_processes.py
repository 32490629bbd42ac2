"""Running copies of the app share one store: each sees the others' changes, none is lost."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from store_helpers import (
    DUE,
    START,
    data_file,
    finish_children,
    open_repo,
    partnership,
    raw,
    run_child,
    set_up,
    start_child,
    temp_files,
    wait_until,
)

from facilitator.domain.actions import Action, ActionStatus, new_action
from facilitator.store import storage
from facilitator.store.errors import StoreError
from facilitator.store.repository import Repository
from facilitator.store.worker import Report, Seen, StoreWorker

STORE_ONE_ACTION = """
    import sys
    from pathlib import Path
    from store_helpers import DUE, START, open_repo
    from facilitator.domain.actions import new_action

    repo = open_repo(Path(sys.argv[1]))
    owner = repo.read().partnership.partners[0].id
    action = new_action(sys.argv[2], owner, DUE, None, START)
    repo.put(action)
    print(action.id)
"""

LIST_ACTIONS = """
    import json, sys
    from pathlib import Path
    from store_helpers import open_repo

    state = open_repo(Path(sys.argv[1])).read()
    print(json.dumps(sorted(a.text for a in state.actions.values())))
"""


def test_a_change_by_another_process_is_read_without_reopening(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo = open_repo(path)
    p = partnership()
    repo.put(p)
    assert dict(repo.read().actions) == {}

    result = run_child(STORE_ONE_ACTION, str(path), "from the other window")
    assert result.returncode == 0, result.stderr

    state = repo.read()  # the same Repository object, not reopened
    assert [(a.id, a.text) for a in state.actions.values()] == [
        (result.stdout.strip(), "from the other window")
    ]

    # A change made here afterwards applies to what is stored now, so it keeps the other's.
    repo.put(new_action("from this window", p.partners[1].id, DUE, None, START))
    result = run_child(LIST_ACTIONS, str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["from the other window", "from this window"]


def test_a_store_worker_reports_another_processs_change(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo, m, _c, _p = set_up(path)
    reports: list[Report] = []
    store = StoreWorker(repo, reports.append, poll_seconds=0.01)
    try:
        result = run_child(STORE_ONE_ACTION, str(path), "made elsewhere")
        assert result.returncode == 0, result.stderr
        made = result.stdout.strip()

        def seen() -> list[Seen]:
            return [r for r in list(reports) if isinstance(r, Seen) and made in r.state.actions]

        wait_until(lambda: bool(seen()), 20, "the worker to report the other process's change")
        state = seen()[0].state
        assert state.actions[made].text == "made elsewhere"
        m.seen(state)
        assert m.state.actions[made].text == "made elsewhere"
    finally:
        assert store.close(timeout=5) == 0


PUT_MANY = """
    import sys, time
    from pathlib import Path
    from store_helpers import DUE, START, open_repo
    from facilitator.domain.actions import new_action
    from facilitator.store.repository import Repository

    path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    ready, go = Path(sys.argv[4]), Path(sys.argv[5])
    repo = Repository(path)
    ready.touch()
    deadline = time.monotonic() + 30
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit("never told to go")
        time.sleep(0.001)
    for i in range(count):
        repo.put(new_action(f"{name} {i}", name, DUE, None, START))
    mine = {a.text for a in repo.read().actions.values() if a.owner_id == name}
    assert mine == {f"{name} {i}" for i in range(count)}, sorted(mine)
"""


def start_together(tmp_path: Path, code: str, runs: list[list[str]]) -> list[tuple[str, str]]:
    """Start one child per argument list, let them all go at once, and wait for them."""
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(len(runs))]
    children = [
        start_child(code, *args, str(flag), str(go)) for args, flag in zip(runs, ready, strict=True)
    ]
    try:
        wait_until(lambda: all(f.exists() for f in ready), 30, "the children to start")
    except BaseException:
        for child in children:
            child.kill()
        finish_children(children)
        raise
    go.touch()
    outcomes = finish_children(children)
    for child, (_, err) in zip(children, outcomes, strict=True):
        assert child.returncode == 0, err
    return outcomes


def test_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "store" / "facilitator.json"  # not there yet: they race to create it too
    writers, count = ["alpha", "beta", "gamma"], 40
    started = time.monotonic()
    start_together(tmp_path, PUT_MANY, [[str(path), name, str(count)] for name in writers])
    elapsed = time.monotonic() - started

    main = raw(path)
    assert len(main["actions"]) == len(writers) * count
    assert all(key == doc["id"] for key, doc in main["actions"].items())
    actions = open_repo(path).read().actions
    assert len({a.id for a in actions.values()}) == len(writers) * count
    assert sorted(a.text for a in actions.values()) == sorted(
        f"{name} {i}" for name in writers for i in range(count)
    )
    assert temp_files(tmp_path) == []
    assert elapsed < 20


ADD_ENTRIES = """
    import sys, time
    from pathlib import Path
    from store_helpers import Author, new_meeting, open_repo
    from facilitator.domain.actions import EntryKind

    path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    ready, go = Path(sys.argv[4]), Path(sys.argv[5])
    repo = open_repo(path)
    m, c = new_meeting(repo, author=Author(name, name))
    partner = m.live.present[0]
    ready.touch()
    deadline = time.monotonic() + 30
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit("never told to go")
        time.sleep(0.001)
    for i in range(count):
        c.advance(1)
        m.add_entry(f"{name} {i}", EntryKind.WIN, partner)
    assert m.unsaved == 0
    mine = {e.text for e in m.state.entries.values() if e.text.startswith(name + " ")}
    assert mine == {f"{name} {i}" for i in range(count)}, sorted(mine)
"""


def test_two_meetings_in_two_processes_add_entries_to_one_session_at_once(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo, m, _c, p = set_up(path)
    session = m.begin_session([p.partners[0].id, p.partners[1].id])
    writers, count = ["ana", "ben"], 100

    start_together(tmp_path, ADD_ENTRIES, [[str(path), name, str(count)] for name in writers])

    state = open_repo(path).read()
    assert state.session is not None and state.session.id == session.id
    stored = raw(repo.session_path)["entries"]
    assert len(stored) == len(writers) * count
    assert all(key == doc["id"] for key, doc in stored.items())
    assert sorted(e.text for e in state.entries.values()) == sorted(
        f"{name} {i}" for name in writers for i in range(count)
    )
    assert {e.session_id for e in state.entries.values()} == {session.id}
    assert temp_files(tmp_path) == []


MIXED_EDITS = """
    import json, sys, time
    from pathlib import Path
    from store_helpers import DUE, Author, new_meeting, open_repo
    from facilitator.domain.actions import ActionStatus, EntryKind

    path, name, count, own = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
    ready, go = Path(sys.argv[5]), Path(sys.argv[6])
    own_ids = own.split(",")
    repo = open_repo(path)
    m, c = new_meeting(repo, author=Author(name, name))
    counts = {"minutes": 0, "moves": 0, "moved_by": 0, "toggles": 0}

    def submit(seq, apply):
        # As the store thread would, but counting what each timer change did to what was
        # stored at that moment, under the lock.
        def counted(state):
            outcome = apply(state)
            before, after = state.live, outcome.state.live
            if before is not None and after is not None:
                counts["moved_by"] += after.timer.current - before.timer.current
                counts["moves"] += after.timer.current != before.timer.current
                counts["toggles"] += after.timer.running != before.timer.running
            return outcome
        m.stored_change(seq, repo.update(counted))

    m.use_store_thread(submit)
    statuses = [ActionStatus.DONE, ActionStatus.PARTLY, ActionStatus.NOT_DONE, ActionStatus.DROPPED]
    marks, texts, entries = {}, {}, []
    agreed = None
    ready.touch()
    deadline = time.monotonic() + 30
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit("never told to go")
        time.sleep(0.001)
    for i in range(count):
        c.advance(1)
        op = i % 6
        if op == 0:
            text = f"{name} entry {i}"
            m.add_entry(text, EntryKind.IDEA, m.live.present[i % 2])
            entries.append(text)
        elif op == 1:
            action_id = own_ids[(i // 6) % len(own_ids)]
            status = statuses[(i // 6) % len(statuses)]
            m.mark(m.state.actions[action_id], status, carry=status.may_carry)
            marks[action_id] = status.value
        elif op == 2:
            if agreed is None or i % 4 == 0:
                agreed = m.add_action(f"{name} action {i}", m.live.present[0], DUE)
                texts[agreed.id] = agreed.text
            else:
                current = m.state.actions[agreed.id]
                m.edit_action(current, f"{name} edit {i}", current.owner_id, current.due_on)
                texts[agreed.id] = f"{name} edit {i}"
        elif op == 3:
            m.add_minute()
            counts["minutes"] += 1
        elif op == 4:
            m.next_turn() if i % 12 == 4 else m.previous_turn()
        else:
            m.pause() if m.live.timer.running else m.resume()
    assert m.unsaved == 0
    print(json.dumps({"counts": counts, "marks": marks, "texts": texts, "entries": entries}))
"""


def test_four_processes_making_mixed_changes_to_one_session_lose_nothing(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    repo, m, _c, p = set_up(path, "Ana", "Ben", "Cleo", "Dev")
    writers, count = ["w1", "w2", "w3", "w4"], 250
    # Each writer reviews earlier actions of its own (marked again and again); all of them
    # add entries and actions, edit their actions, add minutes, move and pause the clock.
    own = {
        name: [
            Action(f"{name} earlier {k}", p.partners[k].id, date(2026, 3, 1), None, START)
            for k in range(3)
        ]
        for name in writers
    }
    repo.put(*(a for actions in own.values() for a in actions))
    m.seen(repo.read())
    m.begin_session([q.id for q in p.partners])
    m.next_turn()
    m.next_turn()
    start = repo.read()
    assert start.session is not None
    start_timer = start.session.timer

    outcomes = start_together(
        tmp_path,
        MIXED_EDITS,
        [[str(path), name, str(count), ",".join(a.id for a in own[name])] for name in writers],
    )
    results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outcomes]

    state = open_repo(path).read()
    session = state.session
    assert session is not None and not session.finished

    # Every entry, once.
    stored_entries = raw(repo.session_path)["entries"]
    expected_entries = [t for r in results for t in r["entries"]]
    assert len(stored_entries) == len(expected_entries) == len(writers) * -(-count // 6)
    assert sorted(e.text for e in state.entries.values()) == sorted(expected_entries)

    # Every action agreed, with its last wording; every earlier one with its last mark.
    for r in results:
        for action_id, text in r["texts"].items():
            assert state.actions[action_id].text == text
            assert state.actions[action_id].created_in == session.id
        for action_id, status in r["marks"].items():
            assert state.actions[action_id].status == ActionStatus(status)
            assert state.actions[action_id].reviewed_in == session.id
    # A carried copy at most once per action marked, and only while it may carry.
    carried = [a for a in state.actions.values() if a.carried_from]
    assert len({a.carried_from for a in carried}) == len(carried)
    for copy in carried:
        assert copy.carried_from is not None
        assert state.actions[copy.carried_from].status.may_carry
    expected_ids = (
        {a.id for actions in own.values() for a in actions}
        | {i for r in results for i in r["texts"]}
        | {a.id for a in carried}
    )
    assert set(state.actions) == expected_ids

    # The timer: every minute added is there; every move and every pause or start that took
    # effect adds up to where the clock is now.
    timer = session.timer
    minutes = sum(r["counts"]["minutes"] for r in results)
    assert minutes == len(writers) * -(-(count - 3) // 6)
    assert sum(timer.extra) - sum(start_timer.extra) == 60 * minutes
    assert timer.current == start_timer.current + sum(r["counts"]["moved_by"] for r in results)
    toggles = sum(r["counts"]["toggles"] for r in results)
    assert timer.running == (start_timer.running != (toggles % 2 == 1))
    assert sum(r["counts"]["moves"] for r in results) > 0
    assert temp_files(tmp_path) == []


HOLD_THE_LOCK = """
    import sys
    from pathlib import Path
    from facilitator.store.storage import lock_for

    with lock_for(Path(sys.argv[1])):
        print("held", flush=True)
        sys.stdin.readline()
"""


def test_a_lock_held_too_long_is_reported_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_file(tmp_path)
    p = partnership()
    open_repo(path).put(p)
    before = path.read_bytes()

    monkeypatch.setattr(storage, "LOCK_TIMEOUT_SECONDS", 0.2)
    repo = Repository.open(path)
    holder = start_child(HOLD_THE_LOCK, str(path))
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreError) as caught:
            repo.put(new_action("blocked", p.partners[0].id, DUE, None, START))
    finally:
        holder.communicate("\n", timeout=10)

    message = str(caught.value)
    assert caught.value.path == path
    assert str(path) in message
    assert "facilitator.json.lock" in message
    assert "remove that lock file" in message
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []

    # Once the other program lets go, saving works again.
    repo.put(new_action("unblocked", p.partners[0].id, DUE, None, START))
    assert [a.text for a in repo.read().actions.values()] == ["unblocked"]

"""Two running copies of the app share one file: each sees the other's changes, none is lost."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from store_helpers import (
    START,
    partnership,
    run_child,
    start_child,
    temp_files,
    wait_until,
)

from facilitator.domain.actions import new_action
from facilitator.store import storage
from facilitator.store.errors import StoreError
from facilitator.store.repository import Repository

SAVE_ONE_ACTION = """
    import sys
    from datetime import UTC, date, datetime
    from pathlib import Path
    from facilitator.domain.actions import new_action
    from facilitator.store.repository import Repository

    repo = Repository.open(Path(sys.argv[1]))
    owner = repo.load_live().partnership.partners[0].id
    action = new_action(sys.argv[2], owner, date(2026, 3, 9), None, datetime.now(UTC))
    repo.save(action)
    print(action.id)
"""

LIST_ACTIONS = """
    import json, sys
    from pathlib import Path
    from facilitator.store.repository import Repository

    live = Repository.open(Path(sys.argv[1])).load_live()
    print(json.dumps(sorted(a.text for a in live.actions)))
"""


def test_a_change_by_another_process_is_seen_without_reopening(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    repo = Repository.open(path)
    p = partnership()
    repo.save(p)
    assert repo.load_live().actions == []

    result = run_child(SAVE_ONE_ACTION, str(path), "from the other window")
    assert result.returncode == 0, result.stderr

    live = repo.load_live()  # the same Repository object, not reopened
    assert [(a.id, a.text) for a in live.actions] == [
        (result.stdout.strip(), "from the other window")
    ]

    # A save made here afterwards reads the file afresh, so it keeps the other process's action.
    repo.save(new_action("from this window", p.partners[1].id, date(2026, 3, 9), None, START))
    result = run_child(LIST_ACTIONS, str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["from the other window", "from this window"]


SAVE_MANY = """
    import sys, time
    from datetime import UTC, date, datetime
    from pathlib import Path
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
        repo.save(new_action(f"{name} {i}", name, date(2026, 3, 9), None, datetime.now(UTC)))
    mine = {a.text for a in repo.load_live().actions if a.owner_id == name}
    assert mine == {f"{name} {i}" for i in range(count)}, sorted(mine)
"""


def test_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "store" / "data.json"  # not there yet: they race to create it too
    writers, count = ["alpha", "beta", "gamma"], 40
    go = tmp_path / "go"
    children = [
        start_child(
            SAVE_MANY, str(path), name, str(count), str(tmp_path / f"{name}.ready"), str(go)
        )
        for name in writers
    ]
    try:
        wait_until(
            lambda: all((tmp_path / f"{name}.ready").exists() for name in writers),
            what="the writers to start",
        )
        started = time.monotonic()
        go.touch()
        outcomes = [child.communicate(timeout=60) for child in children]
        elapsed = time.monotonic() - started
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.communicate(timeout=10)
    for child, (_, err) in zip(children, outcomes, strict=True):
        assert child.returncode == 0, err

    raw = json.loads(path.read_bytes())
    assert len(raw["actions"]) == len(writers) * count
    assert all(key == doc["id"] for key, doc in raw["actions"].items())
    actions = Repository.open(path).load_live().actions
    assert len({a.id for a in actions}) == len(writers) * count
    assert sorted(a.text for a in actions) == sorted(
        f"{name} {i}" for name in writers for i in range(count)
    )
    assert temp_files(tmp_path) == []
    assert elapsed < 20


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
    path = tmp_path / "data.json"
    p = partnership()
    Repository.open(path).save(p)
    before = path.read_bytes()

    monkeypatch.setattr(storage, "LOCK_TIMEOUT_SECONDS", 0.2)
    repo = Repository.open(path)
    holder = start_child(HOLD_THE_LOCK, str(path))
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreError) as caught:
            repo.save(new_action("blocked", p.partners[0].id, date(2026, 3, 9), None, START))
        assert repo.load_live().partnership == p  # reading needs no lock
    finally:
        holder.communicate("\n", timeout=10)

    message = str(caught.value)
    assert str(path) in message
    assert "data.json.lock" in message
    assert "remove that lock file" in message
    assert path.read_bytes() == before

    # Once the other program lets go, saving works again.
    repo.save(new_action("unblocked", p.partners[0].id, date(2026, 3, 9), None, START))
    assert [a.text for a in repo.load_live().actions] == ["unblocked"]

"""Shared builders for the store tests: a partnership, a fixed clock, and child processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from facilitator.domain.clock import FakeClock
from facilitator.domain.partnership import Cadence, Partner, Partnership

REPO_ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
CHILD_TIMEOUT_SECONDS = 60


def clock() -> FakeClock:
    return FakeClock(START)


def partnership(*names: str) -> Partnership:
    return Partnership(
        name="Thursday crew",
        partners=[Partner(name=name) for name in (names or ("Zoë", "Ravi"))],
        cadence=Cadence.WEEKLY,
        session_minutes=30,
        created_on=START.date(),
    )


def child_env() -> dict[str, str]:
    """The environment for a child Python that imports facilitator from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def child_command(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code), *args]


def run_child(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh Python process with `args` as sys.argv[1:]."""
    return subprocess.run(
        child_command(code, *args),
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_SECONDS,
        check=False,
    )


def start_child(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        child_command(code, *args),
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    """Poll a real condition (a file another process writes) until it holds, or fail."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or condition}")
        time.sleep(0.005)


def temp_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.name.endswith(".tmp"))

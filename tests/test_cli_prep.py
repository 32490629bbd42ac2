"""`facilitator prep --as NAME`: who is preparing, checked before the app opens."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import START

from facilitator.domain.clock import FakeClock
from facilitator.domain.partnership import Cadence
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository


def test_an_unknown_partner_is_named_with_the_partners_listed(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    Meeting(Repository.open(path), FakeClock(START)).create_partnership(
        "Pair", ["Ana", "Ben"], Cadence.WEEKLY, 30, "UTC"
    )
    before = path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "facilitator", "prep", "--as", "Zed", "--data", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=dict(os.environ),
        check=False,
    )
    assert result.returncode == 2
    assert "Zed" in result.stderr and "Ana" in result.stderr and "Ben" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_prep_is_listed_with_the_other_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "facilitator", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert "prep" in result.stdout

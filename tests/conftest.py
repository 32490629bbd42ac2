"""Shared fixtures: a data file in a temporary directory, a fake clock, and the app factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from facilitator.domain.clock import FakeClock
from facilitator.store.repository import Repository
from facilitator.ui.app import FacilitatorApp, make_app

# A Monday morning; the tests move it on by hand.
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def data_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "facilitator.json"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


AppMaker = Callable[[], FacilitatorApp]


@pytest.fixture
def new_app(data_path: Path, clock: FakeClock) -> AppMaker:
    """Build a fresh app on the same data file, as starting the program again would."""

    def build() -> FacilitatorApp:
        return make_app(Repository.open(data_path), clock)

    return build

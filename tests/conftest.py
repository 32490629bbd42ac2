"""Shared fixtures: a data file in a temporary directory, a fake clock, and the app factory.

The partnership's time zone is given explicitly (Europe/London), so the suite passes whatever
the machine's zone ($TZ) is.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import textual._wait
from textual.pilot import Pilot

from facilitator.domain.clock import FakeClock
from facilitator.domain.state import Author
from facilitator.store.repository import Repository
from facilitator.ui.app import FacilitatorApp, make_app

# Pilot waits after every key until the process has been idle for one "granule" (20 ms by
# default): about a third of a Pilot test's time was spent asleep there. A finer granule asks
# the same question more often; the idle test itself (no CPU used while asleep) is unchanged.
# textual._wait is private: check these two names on a Textual upgrade (1 ms was slower: the
# check then rarely passes).
textual._wait.SLEEP_GRANULARITY = 1 / 250
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20


# Each Pilot test builds and drops an app of some thousands of objects, and the cyclic
# collector's passes kept going over everything pytest and the imports made (which lives as
# long as the run): a fifth of the suite's time. Those are frozen once collected, and the
# youngest generation is collected less often. The app's own start does the same
# (cli.main, FacilitatorApp.on_ready); these tests build apps with make_app, not main.
def pytest_configure(config: pytest.Config) -> None:
    gc.set_threshold(50_000, 20, 20)


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()


# A Monday morning; the tests move it on by hand.
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ZONE = "Europe/London"
ANA_SCREEN = Author(client="screen-a", label="ana's terminal")
BEN_SCREEN = Author(client="screen-b", label="ben's terminal")


@pytest.fixture(autouse=True)
def own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings (the theme, focus mode) go to a folder of the test's own, never the real one,
    for the app here and for every process a test starts."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def data_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "facilitator.json"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


AppMaker = Callable[..., FacilitatorApp]


@pytest.fixture
def new_app(data_path: Path, clock: FakeClock) -> Iterator[AppMaker]:
    """Build a fresh app on the same data file, as starting the program again would. Each
    has its own store thread; all are stopped when the test ends."""
    made: list[FacilitatorApp] = []

    def build(
        author: Author = ANA_SCREEN, path: Path | None = None, **options: Any
    ) -> FacilitatorApp:
        repository = Repository.open(path or data_path)
        app = make_app(repository, clock, time_zone=ZONE, author=author, **options)
        made.append(app)
        return app

    yield build
    for app in made:
        if app.worker is not None:
            app.worker.close(timeout=5)


async def settle(pilot: Pilot[None]) -> None:
    """Let every change reach the file and come back to the screen."""
    app = pilot.app
    assert isinstance(app, FacilitatorApp)
    app.wait_for_saves()
    await pilot.pause()
    await pilot.pause()


def crash(app: FacilitatorApp) -> None:
    """The process dies here: nothing more is written, and its screen is gone."""
    app.wait_for_saves()
    if app.worker is not None:
        app.worker.abandon()


def stored(path: Path) -> Repository:
    return Repository.open(path)


def met_before(repository: Repository) -> None:
    """The partnership has met before (set up two weeks ago, a first session last week), so
    the next session is a regular one: a check-in, then review, obstacles, actions, wrap-up."""
    from dataclasses import replace
    from datetime import timedelta

    state = repository.read()
    partnership = state.partnership
    assert partnership is not None
    today = partnership.created_on
    repository.put(
        replace(
            partnership,
            created_on=today - timedelta(days=14),
            last_session_on=today - timedelta(days=7),
        )
    )

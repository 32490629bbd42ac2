"""Clocks: the app asks one for the time, so tests can move time by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

Clock = Callable[[], datetime]
"""A clock returns the current time as an aware datetime."""


def system_clock() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)


def local_date(moment: datetime) -> date:
    """The calendar date of a moment in the user's local time zone."""
    return moment.astimezone().date()


class FakeClock:
    """A clock that only moves when told to: for tests and benchmarks."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float = 0, *, days: float = 0) -> None:
        self.now += timedelta(seconds=seconds, days=days)

"""Clocks and time zones: the app asks a clock for the time, so tests can move time by hand.

Stored timestamps are wall-clock (UTC) moments: they survive a restart and agree across
processes. Within one process, time passes by a monotonic clock anchored to the wall clock
once, so stepping the system clock mid-session neither gives time back nor jumps ahead.
Dates people see follow the partnership's own time zone, never the process's.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache

Clock = Callable[[], datetime]
"""A clock returns the current time as an aware datetime."""

CLOCK_OFFSET_ENV = "FACILITATOR_CLOCK_OFFSET"
"""For rehearsals and demos only: shift the app's clock, e.g. `7d`, `-2h`, `90m`, `3w`."""


def system_clock() -> datetime:
    """The real wall-clock time, in UTC (it may jump when the system clock is set)."""
    return datetime.now(UTC)


class SteadyClock:
    """Wall-clock time read once, then moved on by the monotonic clock: it never jumps."""

    def __init__(
        self,
        offset: timedelta = timedelta(0),
        wall: Clock = system_clock,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._monotonic = monotonic
        self._anchor_wall = wall() + offset
        self._anchor_mono = monotonic()

    def __call__(self) -> datetime:
        return self._anchor_wall + timedelta(seconds=self._monotonic() - self._anchor_mono)


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


_OFFSET_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_clock_offset(raw: str) -> timedelta:
    """Read an offset such as `7d`, `-2h`, `+90m` or `3w`; raise ValueError for anything else."""
    text = raw.strip().lower()
    if not text:
        return timedelta(0)
    unit = _OFFSET_UNITS.get(text[-1])
    problem = ValueError(
        f"{raw!r} is not a clock offset; write a number and a unit, e.g. 7d, -2h or 90m"
    )
    if unit is None:
        raise problem
    try:
        amount = float(text[:-1])
    except ValueError:
        raise problem from None
    if amount != amount or amount in (float("inf"), float("-inf")):  # nan, infinity
        raise problem
    seconds = amount * unit
    if abs(seconds) > 20 * 365 * 86400:
        raise ValueError(f"{raw!r} moves the clock more than twenty years")
    return timedelta(seconds=seconds)


def app_clock(environ: dict[str, str] | None = None) -> SteadyClock:
    """The clock the app runs on: steady, shifted by $FACILITATOR_CLOCK_OFFSET if set."""
    env = os.environ if environ is None else environ
    return SteadyClock(offset=parse_clock_offset(env.get(CLOCK_OFFSET_ENV, "")))


# Time zones ------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def zone_named(name: str) -> tzinfo:
    """The IANA time zone called `name`; UTC when this machine doesn't know it."""
    if name in ("UTC", "Etc/UTC", ""):
        return UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def known_zone(name: str) -> bool:
    if name in ("UTC", "Etc/UTC"):
        return True
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_zone_name(environ: dict[str, str] | None = None) -> str:
    """This machine's IANA time zone name: $TZ, else the system's (/etc/localtime or
    /etc/timezone), else "UTC". Asked once, when a partnership is set up."""
    env = os.environ if environ is None else environ
    candidates = [env.get("TZ", "").removeprefix(":")]
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    try:
        with open("/etc/timezone", encoding="utf-8") as file:
            candidates.append(file.read().strip())
    except OSError:
        pass
    for name in candidates:
        if name and known_zone(name):
            return "UTC" if name == "Etc/UTC" else name
    return "UTC"


def local_date(moment: datetime, zone: tzinfo) -> date:
    """The calendar date of a moment in `zone`."""
    return moment.astimezone(zone).date()

"""The app's clock (steady against system clock changes, shifted for rehearsals) and time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from facilitator.domain.clock import (
    CLOCK_OFFSET_ENV,
    SteadyClock,
    app_clock,
    known_zone,
    local_date,
    local_zone_name,
    parse_clock_offset,
    zone_named,
)

START = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


class FakeSystem:
    """A system clock that can be set by hand, and a monotonic clock that only moves on."""

    def __init__(self) -> None:
        self.now = START
        self.ticks = 1000.0
        self.wall_reads = 0

    def wall(self) -> datetime:
        self.wall_reads += 1
        return self.now

    def monotonic(self) -> float:
        return self.ticks

    def wait(self, seconds: float) -> None:
        """Real time passes: both clocks move on together."""
        self.now += timedelta(seconds=seconds)
        self.ticks += seconds

    def set_system_clock(self, by: timedelta) -> None:
        """Someone (or NTP) steps the system clock; the monotonic clock doesn't notice."""
        self.now += by


def steady(system: FakeSystem, offset: timedelta = timedelta(0)) -> SteadyClock:
    return SteadyClock(offset=offset, wall=system.wall, monotonic=system.monotonic)


# --- a steady clock ------------------------------------------------------------------------


def test_steady_clock_starts_at_the_wall_clock_and_moves_with_the_monotonic_clock() -> None:
    system = FakeSystem()
    clock = steady(system)
    assert clock() == START
    system.wait(90)
    assert clock() == START + timedelta(seconds=90)


def test_stepping_the_system_clock_back_two_minutes_gives_no_time_back() -> None:
    system = FakeSystem()
    clock = steady(system)
    system.wait(300)
    system.set_system_clock(-timedelta(minutes=2))
    assert clock() == START + timedelta(seconds=300)
    system.wait(10)
    assert clock() == START + timedelta(seconds=310)  # time keeps moving on


def test_stepping_the_system_clock_forward_does_not_jump() -> None:
    system = FakeSystem()
    clock = steady(system)
    system.wait(60)
    system.set_system_clock(timedelta(hours=1))
    assert clock() == START + timedelta(seconds=60)
    system.wait(1)
    assert clock() == START + timedelta(seconds=61)


def test_steady_clock_reads_the_wall_clock_only_once() -> None:
    system = FakeSystem()
    clock = steady(system)
    for _ in range(5):
        clock()
        system.wait(1)
    assert system.wall_reads == 1


def test_steady_clock_is_shifted_by_its_offset() -> None:
    system = FakeSystem()
    clock = steady(system, offset=timedelta(days=7))
    assert clock() == START + timedelta(days=7)
    system.wait(30)
    assert clock() == START + timedelta(days=7, seconds=30)


def test_steady_clock_gives_aware_utc_times() -> None:
    assert steady(FakeSystem())().utcoffset() == timedelta(0)
    now = SteadyClock()()
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)


# --- the rehearsal offset ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7d", timedelta(days=7)),
        ("-2h", timedelta(hours=-2)),
        ("+90m", timedelta(minutes=90)),
        ("3w", timedelta(weeks=3)),
        ("30s", timedelta(seconds=30)),
        ("1.5d", timedelta(hours=36)),
        ("", timedelta(0)),
        ("   ", timedelta(0)),
        (" 7D ", timedelta(days=7)),
    ],
)
def test_parse_clock_offset_reads_a_number_and_a_unit(raw: str, expected: timedelta) -> None:
    assert parse_clock_offset(raw) == expected


@pytest.mark.parametrize("raw", ["tomorrow", "5x", "d", "-", "7 days", "1,5d"])
def test_parse_clock_offset_refuses_what_it_cannot_read(raw: str) -> None:
    with pytest.raises(ValueError, match="is not a clock offset; write a number and a unit"):
        parse_clock_offset(raw)


@pytest.mark.parametrize("raw", ["99999w", "-7301d"])
def test_parse_clock_offset_refuses_more_than_twenty_years(raw: str) -> None:
    with pytest.raises(ValueError, match="more than twenty years"):
        parse_clock_offset(raw)


def near(moment: datetime, expected: datetime) -> bool:
    return abs(moment - expected) < timedelta(seconds=5)


def test_app_clock_is_shifted_by_the_offset_in_its_environment() -> None:
    clock = app_clock({CLOCK_OFFSET_ENV: "7d"})
    assert near(clock(), datetime.now(UTC) + timedelta(days=7))


def test_app_clock_without_an_offset_tells_the_real_time() -> None:
    assert near(app_clock({})(), datetime.now(UTC))
    assert near(app_clock({"OTHER": "7d"})(), datetime.now(UTC))


def test_app_clock_reads_the_process_environment_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(CLOCK_OFFSET_ENV, "-2h")
    assert near(app_clock()(), datetime.now(UTC) - timedelta(hours=2))


def test_app_clock_refuses_a_bad_offset() -> None:
    with pytest.raises(ValueError, match="'tomorrow' is not a clock offset"):
        app_clock({CLOCK_OFFSET_ENV: "tomorrow"})


# --- time zones -------------------------------------------------------------------------------


def test_zone_named_finds_iana_zones() -> None:
    assert zone_named("Europe/London") == ZoneInfo("Europe/London")
    assert zone_named("UTC") is UTC


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "not a zone", "../../etc/passwd"])
def test_zone_named_gives_utc_for_a_name_it_does_not_know(name: str) -> None:
    assert zone_named(name) is UTC


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("UTC", True),
        ("Etc/UTC", True),
        ("Asia/Kolkata", True),
        ("Pacific/Honolulu", True),
        ("Mars/Olympus_Mons", False),
        ("", False),
        ("../../etc/passwd", False),
    ],
)
def test_known_zone(name: str, known: bool) -> None:
    assert known_zone(name) is known


def test_local_zone_name_is_a_zone_this_machine_knows() -> None:
    assert known_zone(local_zone_name())


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (datetime(2026, 11, 24, 9, 59, tzinfo=UTC), "Pacific/Honolulu", date(2026, 11, 23)),
        (datetime(2026, 11, 24, 10, 0, tzinfo=UTC), "Pacific/Honolulu", date(2026, 11, 24)),
        (datetime(2026, 11, 23, 18, 29, tzinfo=UTC), "Asia/Kolkata", date(2026, 11, 23)),
        (datetime(2026, 11, 23, 18, 30, tzinfo=UTC), "Asia/Kolkata", date(2026, 11, 24)),
        (datetime(2026, 11, 23, 23, 30, tzinfo=UTC), "UTC", date(2026, 11, 23)),
        # Summer time: London is UTC+1 until 01:00 UTC on 25 Oct 2026.
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), "Europe/London", date(2026, 10, 25)),
        (datetime(2026, 12, 24, 23, 30, tzinfo=UTC), "Europe/London", date(2026, 12, 24)),
        # Kiribati's Line Islands are UTC+14: a day ahead of UTC for most of it.
        (datetime(2026, 11, 23, 10, 0, tzinfo=UTC), "Pacific/Kiritimati", date(2026, 11, 24)),
    ],
)
def test_local_date_is_the_calendar_date_in_the_zone(
    moment: datetime, zone: str, expected: date
) -> None:
    assert local_date(moment, zone_named(zone)) == expected


def test_local_date_does_not_depend_on_the_zone_the_moment_is_written_in() -> None:
    moment = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    written_in_kolkata = moment.astimezone(ZoneInfo("Asia/Kolkata"))
    honolulu = zone_named("Pacific/Honolulu")
    assert local_date(written_in_kolkata, honolulu) == local_date(moment, honolulu)
    assert local_date(moment, honolulu) == date(2026, 11, 23)

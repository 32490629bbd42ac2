"""The invitation: an iCalendar file parsed back with `icalendar`, its recurrence expanded with
dateutil and compared with the dates the app computes, session after session, for a year, in
every cadence; the RFC 5545 parts calendar apps need; the command line."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar, Event
from test_cli_commands import NOW, Built, build_store, run

from facilitator.domain.actions import Action
from facilitator.domain.agreement import Agreement, Medium
from facilitator.domain.partnership import Cadence, Partner, Partnership
from facilitator.domain.session import Session
from facilitator.domain.state import MeetingState
from facilitator.export.calendar import (
    calendar_for_state,
    first_session_on,
    invitation_calendar,
    recurrence_rule,
)

STAMP = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
ANA, BEN = Partner(name="Ana", id="ana"), Partner(name="Ben", id="ben")


def partnership(
    cadence: Cadence = Cadence.WEEKLY,
    *,
    zone: str = "Europe/London",
    every_days: int | None = None,
    agreement: Agreement | None = None,
    last: date | None = None,
) -> Partnership:
    made = Partnership(
        name="Tuesday check-in",
        partners=(ANA, BEN),
        cadence=cadence,
        session_minutes=45,
        created_on=date(2025, 1, 1),
        time_zone=zone,
        every_days=every_days,
        agreement=agreement or Agreement(),
        id="p1",
    )
    return made.with_last_session(last) if last is not None else made


def parsed(data: bytes) -> tuple[Calendar, Any]:
    calendar = Calendar.from_ical(data)
    sessions = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("p1-sessions@")]
    assert len(sessions) == 1
    return calendar, sessions[0]


def expanded(event: Event, days: int = 366) -> list[datetime]:
    """Every session the calendar holds in the year from its first."""
    start = event.decoded("DTSTART")
    text = event["RRULE"].to_ical()
    rule = rrulestr("RRULE:" + (text.decode() if isinstance(text, bytes) else text), dtstart=start)
    return list(rule.between(start, start + timedelta(days=days), inc=True))


def app_dates(p: Partnership, first: date, days: int = 366) -> list[date]:
    """The app's dates: each session held on the date it gives, and the next one computed
    from it, as finishing a session does."""
    found, day = [], first
    while day <= first + timedelta(days=days):
        found.append(day)
        p = p.with_last_session(day)
        day = p.next_after(day)
    return found


CADENCES = [
    pytest.param(Cadence.WEEKLY, None, date(2025, 12, 30), id="weekly"),
    pytest.param(Cadence.FORTNIGHTLY, None, date(2025, 12, 30), id="fortnightly"),
    *[
        pytest.param(Cadence.MONTHLY, None, day, id=f"monthly-{day}")
        for day in (
            date(2025, 12, 1),
            date(2025, 12, 15),
            date(2025, 12, 28),
            date(2026, 1, 29),
            date(2026, 1, 30),
            date(2025, 12, 31),
            date(2026, 1, 31),
            date(2026, 2, 28),
        )
    ],
    *[
        pytest.param(Cadence.EVERY_N_DAYS, n, date(2025, 12, 30), id=f"every-{n}-days")
        for n in (1, 3, 10, 45, 90)
    ],
]


@pytest.mark.parametrize(("cadence", "every", "held"), CADENCES)
def test_the_recurrence_gives_the_apps_dates_for_a_year(
    cadence: Cadence, every: int | None, held: date
) -> None:
    """After a session held on `held`: from the home screen (the next session due) and from
    the wrap-up of that very session, the calendar's series is the app's series."""
    after = partnership(cadence, every_days=every, last=held)
    first = first_session_on(after, held)
    assert first == after.next_after(held)
    _, event = parsed(invitation_calendar(after, first, now=STAMP))
    shown = [moment.date() for moment in expanded(event)]
    assert shown == app_dates(after, first)
    assert len(shown) >= 4

    before = partnership(cadence, every_days=every)  # the session is under way: not yet held
    under_way = Session.begin(before, ["ana", "ben"], datetime.combine(held, time(18), UTC))
    state = MeetingState(partnership=before, session=under_way)
    _, event = parsed(calendar_for_state(state, STAMP))
    assert [moment.date() for moment in expanded(event)] == shown
    assert event.decoded("DTSTART").date() == state.next_session_date(STAMP)


@pytest.mark.parametrize(
    ("cadence", "every", "rule"),
    [
        (Cadence.WEEKLY, None, "FREQ=WEEKLY"),
        (Cadence.FORTNIGHTLY, None, "FREQ=WEEKLY;INTERVAL=2"),
        (Cadence.EVERY_N_DAYS, 10, "FREQ=DAILY;INTERVAL=10"),
        (Cadence.MONTHLY, None, "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"),
    ],
)
def test_each_cadence_has_its_rule(cadence: Cadence, every: int | None, rule: str) -> None:
    p = partnership(cadence, every_days=every, last=date(2026, 1, 31))
    assert recurrence_rule(p, p.next_after(date(2026, 1, 31))) == rule


def test_a_missed_session_starts_the_series_at_the_next_date_on_the_rhythm() -> None:
    p = partnership(Cadence.FORTNIGHTLY, last=date(2025, 11, 4))
    assert first_session_on(p, date(2026, 1, 5)) == date(2026, 1, 13)
    assert first_session_on(p, date(2026, 1, 13)) == date(2026, 1, 13)


def test_the_usual_time_the_length_the_zone_and_the_place() -> None:
    agreement = Agreement(meeting_time="18:30", medium=Medium.VIDEO, link="https://meet.example/x")
    p = partnership(agreement=agreement, last=date(2026, 3, 10))
    calendar, event = parsed(invitation_calendar(p, date(2026, 3, 17), now=STAMP))
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime(2026, 3, 17, 18, 30, tzinfo=ZoneInfo("Europe/London"))
    assert end - start == timedelta(minutes=45)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert str(event["LOCATION"]) == "https://meet.example/x"
    assert str(event["URL"]) == "https://meet.example/x"
    assert str(event["SUMMARY"]) == "Tuesday check-in"
    assert "No usual time" not in str(event["DESCRIPTION"])
    # Across the change to summer time, the sessions stay at 18:30 where the partners are.
    sessions = expanded(event, days=60)
    assert {s.strftime("%H:%M") for s in sessions} == {"18:30"}
    assert {s.utcoffset() for s in sessions} == {timedelta(0), timedelta(hours=1)}


def test_with_no_usual_time_it_says_so_and_uses_six_in_the_evening() -> None:
    p = partnership(agreement=Agreement(medium=Medium.PHONE), last=date(2026, 3, 10))
    _, event = parsed(invitation_calendar(p, date(2026, 3, 17), now=STAMP))
    assert event.decoded("DTSTART").time() == time(18, 0)
    assert "No usual time is agreed yet, so this is set at 18:00" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == "Phone"
    assert "URL" not in event


def test_utc_partnerships_use_utc_times_without_a_zone_table() -> None:
    p = partnership(zone="UTC", last=date(2026, 3, 10))
    calendar, event = parsed(invitation_calendar(p, date(2026, 3, 17), now=STAMP))
    assert "DTSTART:20260317T180000Z" in calendar.to_ical().decode()
    assert calendar.walk("VTIMEZONE") == []
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)


def test_what_rfc_5545_asks_for_is_there() -> None:
    actions = [
        Action("Call the bank, then; the notary", "ana", date(2026, 3, 20), None, STAMP),
        Action("Read pages [3 \x1b[31m to 10 🎉", "ben", date(2026, 3, 19), None, STAMP),
    ]
    data = invitation_calendar(
        partnership(last=date(2026, 3, 10)), date(2026, 3, 17), now=STAMP, actions=actions
    )
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines), "folded at 75 octets"
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\x1b" not in data
    calendar = Calendar.from_ical(data)
    assert str(calendar["PRODID"]).startswith("-//facilitator//")
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    for event in events:
        for needed in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert needed in event
        assert event.decoded("DTSTAMP") == STAMP
    dues = {str(e["SUMMARY"]): e for e in events if "due@" in str(e["UID"])}
    assert set(dues) == {
        "Due: Call the bank, then; the notary (Ana)",
        "Due: Read pages [3 [31m to 10 🎉 (Ben)",
    }
    bank = dues["Due: Call the bank, then; the notary (Ana)"]
    assert bank.decoded("DTSTART") == date(2026, 3, 20)
    assert bank.decoded("DTEND") == date(2026, 3, 21)
    assert str(bank["TRANSP"]) == "TRANSPARENT"


def test_a_newer_invitation_updates_the_same_series() -> None:
    p = partnership(last=date(2026, 3, 10))
    _, first = parsed(invitation_calendar(p, date(2026, 3, 17), now=STAMP))
    later = p.with_last_session(date(2026, 3, 17))
    _, second = parsed(invitation_calendar(later, date(2026, 3, 24), now=STAMP + timedelta(days=7)))
    assert first["UID"] == second["UID"] == "p1-sessions@facilitator.invalid"
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    assert second.decoded("DTSTART") > first.decoded("DTSTART")


def test_calendar_for_state_needs_a_partnership() -> None:
    with pytest.raises(ValueError, match="no partnership"):
        calendar_for_state(MeetingState(), STAMP)


# On the command line -------------------------------------------------------------------------


@pytest.fixture
def built(tmp_path: Path) -> Built:
    return build_store(tmp_path / "data" / "facilitator.json")


def test_the_command_line_writes_the_invitation(built: Built, tmp_path: Path) -> None:
    target = tmp_path / "invite.ics"
    result = run("calendar", "--actions", "--force", "-o", str(target), data=built.path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert (
        f"wrote the sessions from Tuesday 6 January 2026, weekly, at 18:00 (no usual time is "
        f"agreed yet), and the open actions' due dates to {target}" in result.stderr
    )
    assert target.stat().st_mode & 0o777 == 0o600
    calendar = Calendar.from_ical(target.read_bytes())
    events = calendar.walk("VEVENT")
    sessions = [e for e in events if "-sessions@" in str(e["UID"])]
    assert [e.decoded("DTSTART") for e in sessions] == [
        datetime(2026, 1, 6, 18, 0, tzinfo=ZoneInfo("Europe/London"))
    ]
    open_actions = [a for a in built.meeting.state.actions.values() if a.is_open]
    assert len(events) == 1 + len(open_actions)
    assert NOW.date() == date(2026, 1, 5)


def test_the_actions_stay_out_of_the_calendar_unless_sharing_was_agreed(
    built: Built, tmp_path: Path
) -> None:
    """Their words would leave the app in a file calendar apps sync: refused, as minutes are,
    unless the person says yes on a terminal or gave --force. The sessions alone need no ask."""
    target = tmp_path / "invite.ics"
    result = run("calendar", "--actions", "-o", str(target), data=built.path)
    assert result.returncode == 2
    assert "stays between you" in result.stderr
    assert "run it again with --force" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()

    result = run("calendar", "-o", str(target), data=built.path)
    assert result.returncode == 0, result.stderr
    assert target.exists()


def test_the_command_line_prints_the_invitation(built: Built) -> None:
    result = run("calendar", data=built.path)
    assert result.returncode == 0, result.stderr
    calendar = Calendar.from_ical(result.stdout.encode())
    assert len(calendar.walk("VEVENT")) == 1
    assert "the sessions are set at 18:00 (no usual time is agreed yet)" in result.stderr


def test_the_invitation_keeps_to_the_agreement_when_it_changes(built: Built) -> None:
    meeting = built.meeting
    from facilitator.domain import changes as ch

    seen = ch.PartnershipTerms.of(meeting.the_partnership)
    agreement = replace(
        seen.agreement, meeting_time="07:15", medium=Medium.IN_PERSON, link="Café Nero, Deansgate"
    )
    meeting.change_terms(seen, replace(seen, agreement=agreement))
    result = run("calendar", data=built.path)
    _, event = parsed_any(result.stdout.encode())
    assert event.decoded("DTSTART").time() == time(7, 15)
    assert str(event["LOCATION"]) == "Café Nero, Deansgate"
    assert result.stderr == ""


def parsed_any(data: bytes) -> tuple[Calendar, Any]:
    calendar = Calendar.from_ical(data)
    [event] = [e for e in calendar.walk("VEVENT") if "-sessions@" in str(e["UID"])]
    return calendar, event

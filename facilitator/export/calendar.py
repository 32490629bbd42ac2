"""The invitation: an iCalendar file (RFC 5545) for the next sessions, and open actions' dates.

One recurring event follows the partnership's cadence from the next session on, at the usual
meeting time in the partnership's time zone (a VTIMEZONE is included), for the planned length,
with the medium or link as its location. Its UID is the same every time, so importing a newer
invitation updates the series in calendar apps that follow UIDs instead of adding a second one.
Optionally, each open action's due date is an all-day event (free time, not busy).

The recurrence says what the app computes: weekly, every two weeks, every N days, or monthly
on one day of the month (the month's last day in a shorter month), as `Cadence.after` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from facilitator import __version__
from facilitator.domain.actions import Action
from facilitator.domain.partnership import Cadence, Partnership, month_day_rule
from facilitator.domain.state import MeetingState
from facilitator.domain.text import strip_hidden

DEFAULT_TIME = time(18, 0)
"""When the agreement names no usual time: the event says so in its description."""
PRODID = f"-//facilitator//facilitator {__version__}//EN"
UID_DOMAIN = "facilitator.invalid"
"""The right-hand side of every UID: ours, and no real host's."""
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def recurrence_rule(partnership: Partnership, first: date, month_day: int | None = None) -> str:
    """The RRULE value for sessions from `first` on, at the partnership's cadence."""
    cadence = partnership.cadence
    if cadence is Cadence.WEEKLY:
        return "FREQ=WEEKLY"
    if cadence is Cadence.FORTNIGHTLY:
        return "FREQ=WEEKLY;INTERVAL=2"
    if cadence is Cadence.EVERY_N_DAYS:
        return f"FREQ=DAILY;INTERVAL={partnership.every_days or 7}"
    return month_day_rule(month_day or partnership.month_day or first.day)


def first_session_on(partnership: Partnership, today: date) -> date:
    """The next session on the partnership's rhythm, today or later: the one due, or, when
    that has passed without a session, the next date the rhythm gives from it."""
    day = partnership.next_session_due()
    while day < today:
        day = partnership.next_after(day)
    return day


def meeting_time(partnership: Partnership) -> time | None:
    """The agreed usual time of day, if there is one."""
    text = partnership.agreement.meeting_time.strip()
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        return time(hours, minutes)
    except ValueError:
        return None


def invitation_calendar(
    partnership: Partnership,
    first: date,
    *,
    now: datetime,
    actions: Iterable[Action] = (),
    month_day: int | None = None,
) -> bytes:
    """An iCalendar file: the sessions from `first` on (a recurring event), and an all-day
    event for each of `actions` on its due date.

    `month_day` (monthly only) is the day of the month the sessions keep to; by default the
    partnership's, else `first`'s. `now` stamps the file (DTSTAMP)."""
    from icalendar import TRANSP, Calendar, Event, vRecur

    stamp = now.astimezone(UTC).replace(microsecond=0)
    zone = partnership.zone
    agreed = meeting_time(partnership)
    start = datetime.combine(first, agreed or DEFAULT_TIME, tzinfo=zone)
    name = _text(partnership.name)
    calendar = Calendar.new(
        prodid=PRODID,
        name=name,
        uid=f"{partnership.id}@{UID_DOMAIN}",
    )
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    session = Event.new(
        uid=f"{partnership.id}-sessions@{UID_DOMAIN}",
        stamp=stamp,
        start=start,
        end=start + timedelta(minutes=partnership.session_minutes),
        summary=name,
        description=_description(partnership, agreed is not None),
        location=_location(partnership),
        sequence=int((stamp - _SEQUENCE_EPOCH).total_seconds() // 60),
    )
    session.add("rrule", vRecur.from_ical(recurrence_rule(partnership, first, month_day)))
    link = partnership.agreement.link.strip()
    if link.lower().startswith(("https://", "http://")) and " " not in link:
        session.add("url", link)
    calendar.add_component(session)
    for action in sorted(actions, key=lambda a: (a.due_on, a.created_at)):
        owner = _text(partnership.partner_name(action.owner_id))
        calendar.add_component(
            Event.new(
                uid=f"{action.id}-due@{UID_DOMAIN}",
                stamp=stamp,
                start=action.due_on,
                end=action.due_on + timedelta(days=1),
                summary=f"Due: {_text(action.text)} ({owner})",
                description=f"An action {owner} agreed in {name}.",
                transparency=TRANSP.TRANSPARENT,
            )
        )
    calendar.add_missing_timezones(first_date=first - timedelta(days=1))
    return bytes(calendar.to_ical())


def calendar_for_state(state: MeetingState, now: datetime, *, with_actions: bool = False) -> bytes:
    """The invitation from a snapshot: during a session (the wrap-up's "send the invitation"),
    the sessions from one cadence after it, keeping to the day of the month it sets; outside
    one, from the next session due, today or later. With `with_actions`, the open actions'
    due dates too. Raises ValueError when there is no partnership yet."""
    partnership, first = first_session_for(state, now)
    actions = [a for a in state.actions.values() if a.is_open] if with_actions else []
    return invitation_calendar(partnership, first, now=now, actions=actions)


def first_session_for(state: MeetingState, now: datetime) -> tuple[Partnership, date]:
    """The partnership as the invitation sees it, and its first session: during a session,
    one cadence after it (as finishing the session will set it); outside one, the next due,
    today or later. Raises ValueError when there is no partnership yet."""
    partnership = state.partnership
    if partnership is None:
        raise ValueError("there is no partnership yet")
    held = state.session_date()
    if held is not None:
        partnership = partnership.with_last_session(held)
        return partnership, partnership.next_after(held)
    return partnership, first_session_on(partnership, state.today(now))


def _text(raw: str) -> str:
    return " ".join(strip_hidden(raw).split())


def _location(partnership: Partnership) -> str:
    agreement = partnership.agreement
    return _text(agreement.link) or agreement.medium.label


def _description(partnership: Partnership, has_time: bool) -> str:
    agreement = partnership.agreement
    names = [_text(p.name) for p in partnership.partners]
    who = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
    lines = [
        f"Accountability session: {who}.",
        f"{partnership.cadence_label.capitalize()}, {partnership.session_minutes} minutes.",
    ]
    link = _text(agreement.link)
    lines.append(f"{agreement.medium.label}: {link}" if link else f"{agreement.medium.label}.")
    if agreement.initiator_id:
        lines.append(
            f"{_text(partnership.partner_name(agreement.initiator_id))} sends the invitations."
        )
    if not has_time:
        lines.append(
            f"No usual time is agreed yet, so this is set at {DEFAULT_TIME:%H:%M}: move it to "
            "the time you agree (or record the usual time in the agreement)."
        )
    lines.append("Made with facilitator.")
    return "\n".join(lines)


__all__ = [
    "DEFAULT_TIME",
    "calendar_for_state",
    "first_session_on",
    "invitation_calendar",
    "recurrence_rule",
]

"""Due dates: reading what people type, and saying dates the way people do."""

from __future__ import annotations

from datetime import date, datetime

from facilitator.domain.text import InvalidText

LATEST_DUE_YEARS = 5
EXAMPLES = "for example 2026-12-04, tomorrow, fri, next friday or in 2 weeks"


def parse_due(raw: str, today: date, default: date) -> date:
    """Read a due date typed as an ISO date or a relative form; empty means `default`."""
    text = " ".join(raw.split())
    if not text:
        return default
    try:
        due = date.fromisoformat(text)
    except ValueError:
        due = _parse_natural(text, today)
    if due < today:
        raise InvalidText(f"{format_day(due, today)} has passed; pick today or a later date.")
    if due > _years_after(today, LATEST_DUE_YEARS):
        raise InvalidText(
            f"{format_day(due, today)} is more than {LATEST_DUE_YEARS} years away; "
            "pick a nearer date."
        )
    return due


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


def _parse_natural(text: str, today: date) -> date:
    import dateparser  # heavy: imported only when someone types a relative date

    if len(text) > 60:
        raise InvalidText(f"That's too long for a date; try {EXAMPLES}.")
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12, 0),
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if parsed is None:
        raise InvalidText(f"“{text}” isn't a date I can read; try {EXAMPLES}.")
    return parsed.date()


def format_day(day: date, today: date) -> str:
    """'Fri 27 Nov', with the year when it isn't this year."""
    if day.year == today.year:
        return f"{day:%a} {day.day} {day:%b}"
    return f"{day:%a} {day.day} {day:%b %Y}"


def describe_due(day: date, today: date) -> str:
    """How far away a date is, in words: 'today', 'in 3 days', '2 days overdue'."""
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "1 day overdue"
    if days < 0:
        return f"{-days} days overdue"
    if days < 14:
        return f"in {days} days"
    return f"in {days // 7} weeks"


def warm_up_parser() -> None:
    """Load the date parser ahead of need, so the first relative date reads instantly."""
    _parse_natural("tomorrow", date.today())

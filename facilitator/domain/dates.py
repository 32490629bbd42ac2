"""Due dates: reading what people type, and saying dates the way people do.

`parse_due` reads the common forms itself, with these rules ("today" is the day it's said):

- ``2026-12-04`` (also ``2026/12/04``): that day. ``today``, ``tomorrow``, ``yesterday``.
- ``fri``, ``friday``, ``this friday``, ``on fri``: the next such weekday *after* today, so
  ``fri`` said on a Friday is a week later.
- ``next friday``, ``friday next week``: that weekday in next week, the Monday–Sunday week after
  the one today is in. Said on Monday 23 Nov or Thursday 26 Nov (or any day up to Sunday 29 Nov),
  ``next friday`` is Fri 4 Dec; said on a Sunday, ``next monday`` is the next day.
- ``next week``: the Monday of next week. ``next month``: the 1st of next month.
  ``end of month``: the last day of this month (``end of next month`` works too).
- ``in 3 days``, ``in 2 weeks``, ``in a month``, ``in 5 years`` (``in`` is optional); months and
  years that overshoot a short month land on its last day.
- ``12``, ``12th``, ``the 12th``, ``on the 12th``: the next 12th of a month, counting today, so
  ``12`` said on the 12th is today. A month without that day is skipped: ``31st`` said in
  November is 31 December.
- ``dec 4``, ``4 dec``, ``december 4th``, ``the 4th of december``, optionally with a year
  (``dec 4 2027``): without a year, the next 4 December, counting today.
- ``4/12``, ``4.12``, ``4-12``, optionally with a year (``4/12/2026``, ``4/12/26``): day and month
  in the order of the person's locale (`day_first`, see `locale_day_first`). When the order is
  unknown (``None``) and both numbers could be the month, the date is refused as ambiguous;
  ``13/12`` or ``12/13`` is read the only way it can be. Without a year: the next such day,
  counting today.
- Refused: signed numbers such as ``-1`` or ``+3`` (write ``in 3 days``), ``0`` and numbers
  above 31 alone, and anything made only of digits and separators that isn't one of the above.

Anything else goes to `dateparser` (imported lazily, it is slow to load). Whatever was read,
dates before today and more than `LATEST_DUE_YEARS` years ahead are refused.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from facilitator.domain.text import InvalidText

LATEST_DUE_YEARS = 5
EXAMPLES = "for example 2026-12-04, tomorrow, fri, next friday or in 2 weeks"
LONGEST_DATE_TEXT = 60

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "weds": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}
_MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)} | {
    name.lower(): number for number, name in enumerate(_MONTH_ABBR, start=1)
}
_MONTHS["sept"] = 9
_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_UNITS = {
    "day": "days",
    "days": "days",
    "week": "weeks",
    "weeks": "weeks",
    "wk": "weeks",
    "wks": "weeks",
    "fortnight": "fortnights",
    "fortnights": "fortnights",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
    "yr": "years",
    "yrs": "years",
}

# The forms, as patterns: `re` compiles each the first time it is used (and keeps it), so
# starting the app or a command, which reads no typed date, compiles none.
_ORDINAL = r"(?:st|nd|rd|th)?"
_ISO = r"(?P<year>\d{4})([-/.])(?P<month>\d{1,2})\2(?P<day>\d{1,2})"
_ISO_BASIC = r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})"
_SIGNED = r"[+-]\s*\d+"
_DAY_OF_MONTH = rf"(?:on )?(?:the )?(\d+){_ORDINAL}"
_NUMERIC = r"(\d{1,2})([-/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?"
_DIGITS_ONLY = r"[\d\s/.:+-]+"
_WEEKDAY = r"(?:on )?(?:(this|next|coming|this coming) )?([a-z]+)\.?"
_WEEKDAY_NEXT_WEEK = r"(?:on )?([a-z]+)\.? next week"
_IN_UNITS = r"(?:in )?(\d+|[a-z]+) ([a-z]+)(?: from (?:now|today)| time)?"
_DAY_MONTH = rf"(?:on )?(?:the )?(\d{{1,2}}){_ORDINAL} (?:of )?([a-z]+)\.?(?: (\d{{4}}))?"
_MONTH_DAY = rf"(?:on )?([a-z]+)\.? (?:the )?(\d{{1,2}}){_ORDINAL}(?: (\d{{4}}))?"

# Territories that write the month before the day (4/12 is April 12).
_MONTH_FIRST_TERRITORIES = frozenset({"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "VI"})
# Languages whose dates run year, month, day, so a short date is month first too.
_MONTH_FIRST_LANGUAGES = frozenset({"zh", "ja", "ko", "hu"})
# Territories where both orders are in everyday use.
_MIXED_TERRITORIES = frozenset({"CA"})
_LOCALE = r"([a-z]{2,3})(?:[_-]([A-Za-z]{2}|\d{3}))?"


def parse_due(raw: str, today: date, default: date, *, day_first: bool | None = None) -> date:
    """Read a typed due date; empty means `default`, which is returned unchecked.

    `day_first` is the order of numeric dates like ``4/12`` (True: 4 December, False: 12 April,
    None: unknown, so refuse them when ambiguous). The forms and rules are in the module
    docstring. Raises `InvalidText` with a message for the person when the date can't be used.
    """
    text = " ".join(raw.split())
    if not text:
        return default
    if len(text) > LONGEST_DATE_TEXT:
        raise InvalidText(f"That's too long for a date; try {EXAMPLES}.")
    due = _read(text, today, day_first)
    if due is None:
        due = _parse_natural(text, today)
    if due < today:
        raise InvalidText(f"{format_day(due, today)} has passed; pick today or a later date.")
    if due > _years_after(today, LATEST_DUE_YEARS):
        raise _too_far(due, today)
    return due


def describe_understood(
    raw: str, today: date, default: date, *, day_first: bool | None = None
) -> str:
    """What `parse_due` makes of `raw`, for a live hint: 'Due Fri 4 Dec (in 11 days)'.

    When the text can't be used, the same message `parse_due` would give, such as
    'Sun 22 Nov has passed; pick today or a later date.'
    """
    try:
        due = parse_due(raw, today, default, day_first=day_first)
    except InvalidText as error:
        return str(error)
    return f"Due {format_day(due, today)} ({describe_due(due, today)})"


def locale_day_first(env: Mapping[str, str] | None = None) -> bool | None:
    """Whether the person's locale writes the day before the month (4/12 = 4 December).

    Reads LC_ALL, then LC_TIME, then LANG from `env` (default: the process environment), the
    first one set winning, as the C library does. False for month-first locales (en_US, and
    year-first ones like ja_JP); True for most others (en_GB, de_DE, fr_FR...); None when it
    can't tell (C, POSIX, unset, unrecognised, or en_CA where both orders are common).
    """
    environment = os.environ if env is None else env
    value = ""
    for name in ("LC_ALL", "LC_TIME", "LANG"):
        value = environment.get(name, "").strip()
        if value:
            break
    name = value.split(".", 1)[0].split("@", 1)[0]
    match = re.fullmatch(_LOCALE, name)
    if match is None:  # C, POSIX, C.UTF-8, empty, or something odd
        return None
    language, territory = match.group(1), (match.group(2) or "").upper()
    if not territory:
        return None if language == "en" else language not in _MONTH_FIRST_LANGUAGES
    if territory in _MIXED_TERRITORIES:
        return None
    month_first = territory in _MONTH_FIRST_TERRITORIES or language in _MONTH_FIRST_LANGUAGES
    return not month_first


def _read(text: str, today: date, day_first: bool | None) -> date | None:
    """The forms read here, without dateparser; None for anything else."""
    key = " ".join(text.lower().replace(",", " ").split())
    for reader in (_read_numbers, _read_words):
        due = reader(key, text, today, day_first)
        if due is not None:
            return due
    if re.fullmatch(_DIGITS_ONLY, key):  # numbers dateparser would only guess at
        raise _unreadable(text)
    return None


def _read_numbers(key: str, text: str, today: date, day_first: bool | None) -> date | None:
    if match := re.fullmatch(_ISO, key) or re.fullmatch(_ISO_BASIC, key):
        year, month, day = (int(match[part]) for part in ("year", "month", "day"))
        return _make_date(year, month, day, text)
    if re.fullmatch(_SIGNED, key):
        count = int(key[1:])
        ahead = f"in {count} day{'' if count == 1 else 's'}" if key[0] == "+" else "in 3 days"
        raise InvalidText(
            f"“{text}” isn't a date I can read; write a day of the month like 12th, "
            f"or count ahead like {ahead}."
        )
    if match := re.fullmatch(_DAY_OF_MONTH, key):
        day = int(match.group(1))
        if not 1 <= day <= 31:
            raise InvalidText(
                f"“{text}” isn't a day of the month; pick one from 1 to 31, or try {EXAMPLES}."
            )
        return _next_day_of_month(day, today)
    if match := re.fullmatch(_NUMERIC, key):
        return _read_numeric(match, text, today, day_first)
    return None


def _read_numeric(match: re.Match[str], text: str, today: date, day_first: bool | None) -> date:
    first, second = int(match.group(1)), int(match.group(3))
    if (first > 12 and second > 12) or 0 in (first, second):
        raise _unreadable(text)
    year_text = match.group(4)
    year = None if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
    if first > 12:
        day, month = first, second
    elif second > 12 or first == second:
        day, month = second, first
    elif day_first is None:
        in_year = "" if year is None else f" {year}"
        raise InvalidText(
            f"“{text}” could be {first} {MONTH_NAMES[second - 1]} or "
            f"{second} {MONTH_NAMES[first - 1]}; write it with the month as a word, "
            f"like {first} {_MONTH_ABBR[second - 1]}{in_year} "
            f"or {second} {_MONTH_ABBR[first - 1]}{in_year}."
        )
    elif day_first:
        day, month = first, second
    else:
        day, month = second, first
    if year is None:
        return _next_month_day(month, day, today)
    return _make_date(year, month, day, text)


def _read_words(key: str, text: str, today: date, day_first: bool | None) -> date | None:
    simple = _simple_word(key, today)
    if simple is not None:
        return simple
    if match := re.fullmatch(_WEEKDAY, key):
        which, name = match.groups()
        if name in _WEEKDAYS:
            if which == "next":
                return _in_next_week(_WEEKDAYS[name], today)
            return _after_today(_WEEKDAYS[name], today)
    if (match := re.fullmatch(_WEEKDAY_NEXT_WEEK, key)) and match.group(1) in _WEEKDAYS:
        return _in_next_week(_WEEKDAYS[match.group(1)], today)
    if match := re.fullmatch(_IN_UNITS, key):
        count, unit = match.groups()
        number = int(count) if count.isdigit() else _COUNTS.get(count)
        if number is not None and unit in _UNITS:
            return _ahead(today, number, _UNITS[unit])
    if match := re.fullmatch(_DAY_MONTH, key) or re.fullmatch(_MONTH_DAY, key):
        day_text, month_text = (
            match.group(1, 2) if match.re.pattern == _DAY_MONTH else match.group(2, 1)
        )
        if month_text in _MONTHS:
            month, day, year = _MONTHS[month_text], int(day_text), match.group(3)
            if day < 1:
                raise _unreadable(text)
            if year is None:
                return _next_month_day(month, day, today)
            return _make_date(int(year), month, day, text)
    return None


def _simple_word(key: str, today: date) -> date | None:
    one_day = timedelta(days=1)
    simple = {
        "today": today,
        "tonight": today,
        "tomorrow": today + one_day,
        "tmrw": today + one_day,
        "day after tomorrow": today + 2 * one_day,
        "the day after tomorrow": today + 2 * one_day,
        "yesterday": today - one_day,
        "next week": _in_next_week(0, today),
        "next month": _add_months(today.replace(day=1), 1),
    }
    if key in simple:
        return simple[key]
    if key in ("end of month", "end of the month", "end of this month"):
        return _month_end(today.year, today.month)
    if key in ("end of next month", "end of the next month"):
        first_of_next = _add_months(today.replace(day=1), 1)
        return _month_end(first_of_next.year, first_of_next.month)
    return None


def _after_today(weekday: int, today: date) -> date:
    """The first such weekday after today: 1 to 7 days ahead."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _in_next_week(weekday: int, today: date) -> date:
    """That weekday in the Monday–Sunday week after the one today is in."""
    return today + timedelta(days=7 - today.weekday() + weekday)


def _ahead(today: date, number: int, unit: str) -> date:
    try:
        if unit == "days":
            return today + timedelta(days=number)
        if unit == "weeks":
            return today + timedelta(weeks=number)
        if unit == "fortnights":
            return today + timedelta(weeks=2 * number)
        if unit == "months":
            return _add_months(today, number)
        return _add_months(today, 12 * number)
    except (OverflowError, ValueError):  # beyond the calendar, so certainly too far
        raise _too_far(None, today) from None


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _next_day_of_month(day: int, today: date) -> date:
    """The next `day` of a month, counting today, skipping months too short to have it."""
    year, month = today.year, today.month
    while day < today.day or calendar.monthrange(year, month)[1] < day:
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        today = date(year, month, 1)
    return date(year, month, day)


def _next_month_day(month: int, day: int, today: date) -> date:
    """The next `day` of `month`, counting today (29 February: the next leap year's)."""
    if not 1 <= day <= (29 if month == 2 else calendar.monthrange(2001, month)[1]):
        raise _no_such_day(month, day)
    year = today.year
    while True:
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) >= today:
            return date(year, month, day)
        year += 1


def _make_date(year: int, month: int, day: int, text: str) -> date:
    if year < 1 or not 1 <= month <= 12 or day < 1:
        raise _unreadable(text)
    if day > calendar.monthrange(year, month)[1]:
        if month == 2 and day == 29:
            raise InvalidText(f"There's no 29 February in {year}; pick another day.")
        raise _no_such_day(month, day)
    return date(year, month, day)


def _no_such_day(month: int, day: int) -> InvalidText:
    return InvalidText(f"There's no {day} {MONTH_NAMES[month - 1]}; pick another day.")


def _unreadable(text: str) -> InvalidText:
    return InvalidText(f"“{text}” isn't a date I can read; try {EXAMPLES}.")


def _too_far(due: date | None, today: date) -> InvalidText:
    what = "That's" if due is None else f"{format_day(due, today)} is"
    return InvalidText(f"{what} more than {LATEST_DUE_YEARS} years away; pick a nearer date.")


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


def _parse_natural(text: str, today: date) -> date:
    import dateparser  # heavy: imported only for text the forms above don't cover

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
        raise _unreadable(text)
    return parsed.date()


def format_day(day: date, today: date) -> str:
    """'Fri 27 Nov', with the year when it isn't this year: 'Tue 5 Jan 2027'.

    English names whatever the process locale, to match the rest of the app.
    """
    text = f"{_DAY_ABBR[day.weekday()]} {day.day} {_MONTH_ABBR[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def long_day(day: date) -> str:
    """'Monday 2 March 2026': in English whatever the locale, like the rest of the app."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


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
    """Load the date parser ahead of need, so the first unusual date reads instantly."""
    _parse_natural("tomorrow", date.today())

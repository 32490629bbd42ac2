"""The due-date forms `parse_due` reads itself: weekdays, days of the month, numeric dates."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from facilitator.domain.dates import describe_understood, locale_day_first, parse_due
from facilitator.domain.text import InvalidText

TODAY = date(2026, 11, 23)
DEFAULT = date(2026, 11, 30)


def due(raw: str, today: date = TODAY, day_first: bool | None = None) -> date:
    return parse_due(raw, today, DEFAULT, day_first=day_first)


def nov(day: int) -> date:
    return date(2026, 11, day)


def dec(day: int) -> date:
    return date(2026, 12, day)


# --- weekdays, said on each day of one Monday–Sunday week -------------------------------------

SAID_ON = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WEEK = [nov(23), nov(24), nov(25), nov(26), nov(27), nov(28), nov(29)]  # Mon 23 to Sun 29 Nov

# phrase -> what it means when said on Mon, Tue, Wed, Thu, Fri, Sat, Sun of that week
WEEKDAY_TABLE: dict[str, list[date]] = {
    "fri": [nov(27)] * 4 + [dec(4)] * 3,
    "friday": [nov(27)] * 4 + [dec(4)] * 3,
    "Fri.": [nov(27)] * 4 + [dec(4)] * 3,
    "this friday": [nov(27)] * 4 + [dec(4)] * 3,
    "on friday": [nov(27)] * 4 + [dec(4)] * 3,
    "this thursday": [nov(26)] * 3 + [dec(3)] * 4,
    "sunday": [nov(29)] * 6 + [dec(6)],
    "next friday": [dec(4)] * 7,
    "Next Fri": [dec(4)] * 7,
    "friday next week": [dec(4)] * 7,
    "next thursday": [dec(3)] * 7,
    "next mon": [nov(30)] * 7,
    "monday": [nov(30)] * 7,
    "next sun": [dec(6)] * 7,
    "next week": [nov(30)] * 7,
}


@pytest.mark.parametrize(
    ("phrase", "said_on", "today", "expected"),
    [
        (phrase, said_on, today, expected)
        for phrase, row in WEEKDAY_TABLE.items()
        for said_on, today, expected in zip(SAID_ON, WEEK, row, strict=True)
    ],
)
def test_weekday_forms_said_on_each_day_of_the_week(
    phrase: str, said_on: str, today: date, expected: date
) -> None:
    assert today.weekday() == SAID_ON.index(said_on)  # the table's columns are labelled right
    assert due(phrase, today) == expected


def test_a_plain_weekday_is_never_today() -> None:
    friday = nov(27)
    assert due("fri", friday) == dec(4)
    assert due("this friday", friday) == dec(4)


def test_next_friday_said_on_thursday_is_eight_days_later() -> None:
    thursday = nov(26)
    assert (due("next friday", thursday) - thursday).days == 8
    assert due("friday", thursday) == nov(27)


def test_next_monday_said_on_sunday_is_the_next_day() -> None:
    sunday = nov(29)
    assert due("next monday", sunday) == nov(30) == due("monday", sunday)


# --- a bare day of the month ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("23", nov(23)),  # today's day of the month is today
        ("23rd", nov(23)),
        ("the 23rd", nov(23)),
        ("on the 23rd", nov(23)),
        ("24", nov(24)),
        ("30th", nov(30)),
        ("1st", dec(1)),
        ("the 4th", dec(4)),
        ("On the 4th", dec(4)),
        ("04", dec(4)),
        ("22", dec(22)),  # passed this month: next month's
        ("2nd", dec(2)),
        ("31st", dec(31)),  # November has no 31st
        ("12", dec(12)),
    ],
)
def test_a_day_of_the_month_is_the_next_such_day(raw: str, expected: date) -> None:
    assert due(raw) == expected


@pytest.mark.parametrize(
    ("raw", "today", "expected"),
    [
        ("31", date(2027, 1, 31), date(2027, 1, 31)),
        ("31", date(2027, 1, 30), date(2027, 1, 31)),
        ("30", date(2027, 1, 31), date(2027, 3, 30)),  # February is skipped
        ("29th", date(2027, 1, 30), date(2027, 3, 29)),  # no 29 February in 2027
        ("29th", date(2028, 1, 30), date(2028, 2, 29)),  # but there is in 2028
        ("31st", date(2027, 4, 1), date(2027, 5, 31)),  # April has no 31st
        ("10", date(2026, 12, 15), date(2027, 1, 10)),  # into the next year
    ],
)
def test_a_day_of_the_month_skips_months_without_it(raw: str, today: date, expected: date) -> None:
    assert due(raw, today) == expected


# --- numeric day and month, in the locale's order ---------------------------------------------


@pytest.mark.parametrize(
    ("raw", "day_first", "expected"),
    [
        ("4/12", True, dec(4)),
        ("4.12", True, dec(4)),
        ("4-12", True, dec(4)),
        ("4/12", False, date(2027, 4, 12)),
        ("4.12", False, date(2027, 4, 12)),
        ("13/12", None, dec(13)),  # only one reading
        ("12/13", None, dec(13)),
        ("13.12", False, dec(13)),  # a day over 12 wins over the locale's order
        ("12/13", True, dec(13)),
        ("5/5", None, date(2027, 5, 5)),  # same either way; passed this year, so next year's
        ("23/11", None, nov(23)),  # today
        ("1/11", True, date(2027, 11, 1)),
        ("4/12/2027", True, date(2027, 12, 4)),
        ("4/12/27", False, date(2027, 4, 12)),
        ("4.12.2026", True, dec(4)),
        ("31/12/2026", None, dec(31)),
    ],
)
def test_numeric_dates_follow_the_locale_order(
    raw: str, day_first: bool | None, expected: date
) -> None:
    assert due(raw, day_first=day_first) == expected


@pytest.mark.parametrize("raw", ["4/12", "4.12", "4-12"])
def test_an_ambiguous_numeric_date_is_refused_when_the_order_is_unknown(raw: str) -> None:
    with pytest.raises(InvalidText) as caught:
        due(raw, day_first=None)
    assert str(caught.value) == (
        f"“{raw}” could be 4 December or 12 April; write it with the month as a word, "
        "like 4 Dec or 12 Apr."
    )


def test_the_ambiguity_message_keeps_the_year() -> None:
    with pytest.raises(InvalidText, match=r"like 4 Dec 2027 or 12 Apr 2027\.$"):
        due("4/12/27", day_first=None)


@pytest.mark.parametrize(
    ("raw", "day_first", "message"),
    [
        ("31/11", True, r"^There's no 31 November; pick another day\.$"),
        ("11/31", False, r"^There's no 31 November"),
        ("29/2/2027", True, r"^There's no 29 February in 2027"),
        ("13/13", True, r"isn't a date I can read"),
        ("0/5", True, r"isn't a date I can read"),
        ("4/12/2025", True, r"^Thu 4 Dec 2025 has passed"),
    ],
)
def test_impossible_numeric_dates_are_refused(
    raw: str, day_first: bool | None, message: str
) -> None:
    with pytest.raises(InvalidText, match=message):
        due(raw, day_first=day_first)


def test_day_first_is_keyword_only_and_optional() -> None:
    assert parse_due("4/12", TODAY, DEFAULT, day_first=True) == dec(4)
    with pytest.raises(InvalidText, match="could be"):
        parse_due("4/12", TODAY, DEFAULT)


# --- month names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("dec 4", dec(4)),
        ("Dec. 4", dec(4)),
        ("4 dec", dec(4)),
        ("4th december", dec(4)),
        ("december 4th", dec(4)),
        ("the 4th of december", dec(4)),
        ("on dec 4", dec(4)),
        ("nov 23", nov(23)),  # today
        ("nov 22", date(2027, 11, 22)),  # passed this year
        ("sept 1", date(2027, 9, 1)),
        ("may 4", date(2027, 5, 4)),
        ("feb 29", date(2028, 2, 29)),  # the next one there is
        ("dec 4 2027", date(2027, 12, 4)),
        ("december 4, 2027", date(2027, 12, 4)),
        ("4 Dec 2027", date(2027, 12, 4)),
    ],
)
def test_month_name_and_day(raw: str, expected: date) -> None:
    assert due(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("apr 31", r"^There's no 31 April; pick another day\.$"),
        ("feb 30", r"^There's no 30 February"),
        ("feb 29 2027", r"^There's no 29 February in 2027"),
        ("dec 4 2025", r"^Thu 4 Dec 2025 has passed"),
    ],
)
def test_impossible_month_days_are_refused(raw: str, message: str) -> None:
    with pytest.raises(InvalidText, match=message):
        due(raw)


# --- counting ahead, and other words ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "today", "expected"),
    [
        ("today", TODAY, TODAY),
        ("tomorrow", TODAY, nov(24)),
        ("tmrw", TODAY, nov(24)),
        ("day after tomorrow", TODAY, nov(25)),
        ("in 3 days", TODAY, nov(26)),
        ("3 days", TODAY, nov(26)),
        ("in 1 day", TODAY, nov(24)),
        ("in 0 days", TODAY, TODAY),
        ("in a week", TODAY, nov(30)),
        ("in one week", TODAY, nov(30)),
        ("2 weeks from now", TODAY, dec(7)),
        ("in a fortnight", TODAY, dec(7)),
        ("in 2 months", TODAY, date(2027, 1, 23)),
        ("in a month", date(2027, 1, 31), date(2027, 2, 28)),  # a short month's last day
        ("in 5 years", TODAY, date(2031, 11, 23)),
        ("next month", TODAY, dec(1)),
        ("next month", date(2026, 12, 31), date(2027, 1, 1)),
        ("end of month", TODAY, nov(30)),
        ("end of the month", nov(30), nov(30)),
        ("end of next month", TODAY, dec(31)),
        ("2026/12/04", TODAY, dec(4)),
        ("20261204", TODAY, dec(4)),
    ],
)
def test_other_forms(raw: str, today: date, expected: date) -> None:
    assert due(raw, today) == expected


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-1", r"^“-1” isn't a date I can read; .* like in 3 days\.$"),
        ("- 1", r"^“- 1” isn't a date I can read"),
        ("+3", r"^“\+3” isn't a date I can read; .* like in 3 days\.$"),
        ("+1", r"like in 1 day\.$"),
        ("0", r"^“0” isn't a day of the month; pick one from 1 to 31"),
        ("00", r"isn't a day of the month"),
        ("32", r"^“32” isn't a day of the month; pick one from 1 to 31"),
        ("2026", r"isn't a day of the month"),
        ("4 12", r"^“4 12” isn't a date I can read"),
        ("1/2/3/4", r"isn't a date I can read"),
        ("12:30", r"isn't a date I can read"),
        ("0 dec", r"isn't a date I can read"),
        ("0000-01-01", r"isn't a date I can read"),
        ("2026-13-01", r"isn't a date I can read"),
        ("2026-02-30", r"^There's no 30 February"),
        ("in 6 years", r"^Tue 23 Nov 2032 is more than 5 years away"),
        ("in 99999999999 days", r"^That's more than 5 years away; pick a nearer date\.$"),
    ],
)
def test_refusals(raw: str, message: str) -> None:
    with pytest.raises(InvalidText, match=message):
        due(raw, day_first=True)


def test_the_common_forms_are_read_without_dateparser() -> None:
    phrases = [
        "fri", "next friday", "this thursday", "next week", "12th", "the 4th", "4/12", "13/12",
        "dec 4", "4 dec", "december 4th", "in 3 days", "in 2 weeks", "today", "tomorrow",
        "2026-12-04", "-1", "32", "end of month",
    ]  # fmt: skip
    code = (
        "import json, sys\n"
        "from datetime import date\n"
        "from facilitator.domain.dates import parse_due\n"
        "from facilitator.domain.text import InvalidText\n"
        "today = date(2026, 11, 23)\n"
        f"for raw in {phrases!r}:\n"
        "    try:\n"
        "        parse_due(raw, today, today, day_first=True)\n"
        "    except InvalidText:\n"
        "        pass\n"
        "print(json.dumps('dateparser' in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(result.stdout) is False


# --- the live hint ----------------------------------------------------------------------------


def hint(raw: str, today: date = TODAY, day_first: bool | None = None) -> str:
    return describe_understood(raw, today, DEFAULT, day_first=day_first)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "Due Mon 30 Nov (in 7 days)"),
        ("fri", "Due Fri 27 Nov (in 4 days)"),
        ("next friday", "Due Fri 4 Dec (in 11 days)"),
        ("today", "Due Mon 23 Nov (today)"),
        ("2027-01-05", "Due Tue 5 Jan 2027 (in 6 weeks)"),
    ],
)
def test_the_hint_says_what_was_understood(raw: str, expected: str) -> None:
    assert hint(raw) == expected


def test_the_hint_says_a_past_date_has_passed_while_it_is_typed() -> None:
    # typing 2026-11-24 passes through 2026-11-2, which is 2 November
    assert hint("2026-11-2") == "Mon 2 Nov has passed; pick today or a later date."
    assert hint("2026-11-24") == "Due Tue 24 Nov (tomorrow)"
    assert hint("yesterday") == "Sun 22 Nov has passed; pick today or a later date."


def test_the_hint_uses_the_locale_order() -> None:
    assert hint("4/12", day_first=True) == "Due Fri 4 Dec (in 11 days)"
    assert hint("4/12", day_first=False) == "Due Mon 12 Apr 2027 (in 20 weeks)"
    assert hint("4/12").startswith("“4/12” could be 4 December or 12 April")


@pytest.mark.parametrize(
    "raw", ["yesterday", "4/12", "-1", "32", "apr 31", "blah", "in 6 years", "x" * 61]
)
def test_the_hint_gives_the_same_message_as_parse_due(raw: str) -> None:
    with pytest.raises(InvalidText) as caught:
        due(raw)
    assert hint(raw) == str(caught.value)


# --- the locale's order -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "en_US.UTF-8"}, False),
        ({"LANG": "es_US.UTF-8"}, False),
        ({"LANG": "ja_JP.UTF-8"}, False),  # year, month, day
        ({"LANG": "en_GB.UTF-8"}, True),
        ({"LANG": "en_AU.utf8"}, True),
        ({"LANG": "de_DE.UTF-8"}, True),
        ({"LANG": "fr_FR"}, True),
        ({"LANG": "de"}, True),
        ({"LANG": "es_419.UTF-8"}, True),
        ({"LANG": "sr_RS@latin"}, True),
        ({"LANG": "en_CA.UTF-8"}, None),  # both orders in everyday use
        ({"LANG": "en"}, None),
        ({"LANG": "C"}, None),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "POSIX"}, None),
        ({"LANG": ""}, None),
        ({}, None),
        ({"LANG": "not a locale"}, None),
        # LC_ALL wins over LC_TIME, which wins over LANG; empty ones don't count
        ({"LC_ALL": "en_US.UTF-8", "LC_TIME": "en_GB.UTF-8", "LANG": "de_DE"}, False),
        ({"LC_TIME": "en_GB.UTF-8", "LANG": "en_US.UTF-8"}, True),
        ({"LC_ALL": "", "LC_TIME": "", "LANG": "en_US.UTF-8"}, False),
        ({"LC_ALL": "C", "LANG": "en_GB.UTF-8"}, None),
    ],
)
def test_locale_day_first(env: dict[str, str], expected: bool | None) -> None:
    assert locale_day_first(env) is expected


def test_locale_day_first_reads_the_environment_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("LC_ALL", "LC_TIME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert locale_day_first() is False
    monkeypatch.setenv("LC_TIME", "en_NZ.UTF-8")
    assert locale_day_first() is True

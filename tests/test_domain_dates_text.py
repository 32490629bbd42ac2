"""Reading due dates people type, saying dates back, and cleaning typed text."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from facilitator.domain.dates import (
    EXAMPLES,
    LATEST_DUE_YEARS,
    describe_due,
    format_day,
    parse_due,
)
from facilitator.domain.text import InvalidText, clean_text

TODAY = date(2026, 11, 23)
DEFAULT = date(2026, 11, 30)


def due(raw: str) -> date:
    return parse_due(raw, TODAY, DEFAULT)


# --- parse_due ------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", "\t\n"])
def test_empty_means_the_default(raw: str) -> None:
    assert due(raw) == DEFAULT


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12-04", date(2026, 12, 4)),
        (" 2026-12-04 ", date(2026, 12, 4)),
        ("2026-11-23", TODAY),
        ("2027-06-01", date(2027, 6, 1)),
    ],
)
def test_iso_dates(raw: str, expected: date) -> None:
    assert due(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("tomorrow", date(2026, 11, 24)),
        ("Tomorrow", date(2026, 11, 24)),
        ("today", TODAY),
        ("in 2 weeks", date(2026, 12, 7)),
        ("  in   2\tweeks ", date(2026, 12, 7)),
        ("dec 4", date(2026, 12, 4)),
        ("Friday", date(2026, 11, 27)),
    ],
)
def test_relative_dates(raw: str, expected: date) -> None:
    assert due(raw) == expected


@pytest.mark.parametrize("raw", ["yesterday", "2020-01-01", "2026-11-22", "last week"])
def test_dates_in_the_past_are_rejected(raw: str) -> None:
    with pytest.raises(InvalidText, match="has passed; pick today or a later date"):
        due(raw)


def test_the_passed_message_names_the_day() -> None:
    with pytest.raises(InvalidText, match=r"^Sun 22 Nov has passed"):
        due("yesterday")
    with pytest.raises(InvalidText, match=r"^Wed 1 Jan 2020 has passed"):
        due("2020-01-01")


@pytest.mark.parametrize("raw", ["3000-01-01", "2040-01-01", "in 10 years"])
def test_dates_too_far_away_are_rejected(raw: str) -> None:
    with pytest.raises(InvalidText, match=f"more than {LATEST_DUE_YEARS} years away"):
        due(raw)


def test_the_too_far_message_names_the_day() -> None:
    with pytest.raises(InvalidText, match=r"^Wed 1 Jan 3000 is more than 5 years away"):
        due("3000-01-01")


def test_just_under_five_years_is_allowed() -> None:
    assert due("2031-11-21") == date(2031, 11, 21)


def test_exactly_five_years_away_is_allowed() -> None:
    assert due("2031-11-23") == date(2031, 11, 23)
    assert due("in 5 years") == date(2031, 11, 23)


@pytest.mark.parametrize("raw", ["blah", "the day after never", "???"])
def test_unreadable_dates_are_rejected_with_examples(raw: str) -> None:
    with pytest.raises(InvalidText) as caught:
        due(raw)
    message = str(caught.value)
    assert raw in message
    assert EXAMPLES in message
    assert "2026-12-04" in message
    assert "tomorrow" in message
    assert "next friday" in message


def test_overlong_date_text_is_rejected_with_examples() -> None:
    with pytest.raises(InvalidText, match="too long for a date") as caught:
        due("next friday " * 10)
    assert EXAMPLES in str(caught.value)


def test_default_is_not_checked_against_today() -> None:
    # an empty answer keeps whatever default the caller chose
    assert parse_due("", TODAY, TODAY - timedelta(days=3)) == TODAY - timedelta(days=3)


# --- format_day and describe_due ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 27), "Fri 27 Nov"),
        (date(2026, 12, 4), "Fri 4 Dec"),
        (date(2026, 1, 1), "Thu 1 Jan"),
        (date(2027, 1, 5), "Tue 5 Jan 2027"),
        (date(2025, 12, 31), "Wed 31 Dec 2025"),
    ],
)
def test_format_day(day: date, expected: str) -> None:
    assert format_day(day, TODAY) == expected


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (0, "today"),
        (1, "tomorrow"),
        (2, "in 2 days"),
        (13, "in 13 days"),
        (14, "in 2 weeks"),
        (20, "in 2 weeks"),
        (21, "in 3 weeks"),
        (70, "in 10 weeks"),
        (-1, "1 day overdue"),
        (-2, "2 days overdue"),
        (-30, "30 days overdue"),
    ],
)
def test_describe_due(offset: int, expected: str) -> None:
    assert describe_due(TODAY + timedelta(days=offset), TODAY) == expected


# --- clean_text -------------------------------------------------------------------------------


def clean(raw: str, max_length: int = 100, required: bool = True) -> str:
    return clean_text(raw, what="The note", max_length=max_length, required=required)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain", "plain"),
        ("  padded  ", "padded"),
        ("two\nlines", "two lines"),
        ("crlf\r\nline", "crlf line"),
        ("tab\tbed", "tab bed"),
        ("many     spaces", "many spaces"),
        ("bell\x07and\x00nul", "bell and nul"),
        ("esc\x1bchar", "esc char"),
        ("del\x7fchar", "del char"),
        ("line\u2028sep\u2029para", "line sep para"),
        ("next\x85line", "next line"),
        ("no\xa0break\u2003em", "no break em"),
    ],
)
def test_clean_text_strips_control_characters_and_collapses_spaces(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_clean_text_leaves_no_control_characters() -> None:
    raw = (
        "".join(chr(c) for c in range(0x20))
        + "x"
        + "\x7f"
        + "".join(chr(c) for c in range(0x80, 0xA0))
    )
    assert clean(raw) == "x"


@pytest.mark.parametrize(
    "text",
    [
        "Café 🎉 日本語",
        "مرحبا بالعالم",  # Arabic, right to left
        "שלום עולם",  # Hebrew, right to left
        "Привет, мир",
        "👩‍💻 coding",  # emoji with a zero-width joiner
        "👍🏽 thumbs",  # emoji with a skin-tone modifier
        "🇳🇿 flag",
        "naïve résumé",
    ],
)
def test_clean_text_keeps_emoji_and_non_latin_text(text: str) -> None:
    assert clean(text) == text
    assert clean(f"  {text}\n") == text


def test_clean_text_normalises_to_composed_form() -> None:
    assert clean("Cafe\u0301") == "Café"
    assert clean("Cafe\u0301") == clean("Caf\u00e9")


@pytest.mark.parametrize("raw", ["", " ", "\n\t\r", "\x1b\x07", "\u2028"])
def test_clean_text_rejects_empty_after_cleaning(raw: str) -> None:
    with pytest.raises(InvalidText, match=r"^The note can't be empty\.$"):
        clean(raw)


def test_clean_text_may_allow_empty() -> None:
    assert clean(" \n ", required=False) == ""


def test_clean_text_rejects_too_long_naming_the_limit() -> None:
    assert clean("a" * 10, max_length=10) == "a" * 10
    with pytest.raises(InvalidText) as caught:
        clean("a" * 11, max_length=10)
    assert str(caught.value) == "The note is 11 characters; please keep it to 10."


def test_clean_text_measures_length_after_cleaning() -> None:
    assert clean("  a   b  \n\n c  ", max_length=5) == "a b c"


def test_invalid_text_is_a_value_error() -> None:
    assert issubclass(InvalidText, ValueError)

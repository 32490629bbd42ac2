"""What is stored (`clean_text`) and what is drawn (`shown`) of people's text, and borders that
stay in line whatever emoji or wide characters a name or an action holds."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import START, ZONE, AppMaker
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual._compositor import LayoutUpdate
from textual.content import Content
from textual.widgets import Input

from facilitator.domain.actions import Action, Entry, EntryKind, new_action
from facilitator.domain.partnership import Cadence, Partner, Partnership
from facilitator.domain.session import Session
from facilitator.domain.text import InvalidText, clean_text, has_hidden_characters, strip_hidden
from facilitator.store.repository import Repository
from facilitator.ui.app import FacilitatorApp
from facilitator.ui.screens.first_run import FirstRunScreen
from facilitator.ui.screens.home import HomeScreen
from facilitator.ui.screens.session import SessionScreen
from facilitator.ui.text import line, shown, styled
from facilitator.ui.widgets.hanging import HangingRows, hang

C0 = [chr(c) for c in range(0x20)] + ["\x7f"]
C1 = [chr(c) for c in range(0x80, 0xA0)]
DIRECTION = [
    *(chr(c) for c in range(0x202A, 0x202F)),  # embeddings and overrides
    *(chr(c) for c in range(0x2066, 0x206A)),  # isolates
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
]
INVISIBLE = ["\u200b", "\ufeff", "\u2060", "\u00ad", "\u2061"]
ZWNJ = "\u200c"
"""The zero-width non-joiner is part of Persian and Indic words: kept, stored and drawn."""
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
SEPARATORS = ["\u2028", "\u2029"]
# What terminals disagree on the width of: kept in storage (the emoji stays whole), not drawn.
JOINED = {
    "👨\u200d👩\u200d👧": "👨👩👧",
    "👍\U0001f3fd": "👍",
    "❤\ufe0f": "❤",
    "✌\ufe0e": "✌",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f": "🏴",
    "🇬🇧": "GB",  # a flag: its two regional indicators, drawn as letters
}
WIDTH_DISPUTED = {"\u200d", "\ufe0e", "\ufe0f"}
WIDTH_DISPUTED |= {chr(c) for c in range(0x1F3FB, 0x1F400)}
WIDTH_DISPUTED |= {chr(c) for c in range(0xE0020, 0xE0080)}
WIDTH_DISPUTED |= {chr(c) for c in range(0x1F1E6, 0x1F200)}


def stored(raw: str) -> str:
    return clean_text(raw, what="The note", max_length=10**6)


def never_drawn(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category in ("Cc", "Cs", "Zl", "Zp", "Cf") and ch != ZWNJ


# Unit: clean_text (stored), strip_hidden (typed), shown (drawn) ---------------------------------


def test_every_control_character_is_a_space_stored_and_drawn() -> None:
    for ch in C0 + C1:
        raw = f"a{ch}b"
        assert stored(raw) == "a b", repr(ch)
        assert strip_hidden(raw) == "a b", repr(ch)
        assert shown(raw) == "a b", repr(ch)
        assert has_hidden_characters(raw) is (ch not in "\t\n\r"), repr(ch)


def test_line_and_paragraph_separators_are_spaces() -> None:
    for ch in SEPARATORS:
        assert stored(f"a{ch}b") == shown(f"a{ch}b") == "a b"
        assert has_hidden_characters(f"a{ch}b")


def test_direction_controls_and_invisible_characters_are_removed() -> None:
    for ch in DIRECTION + INVISIBLE:
        raw = f"a{ch}b"
        assert stored(raw) == "ab", f"U+{ord(ch):04X}"
        assert shown(raw) == "ab", f"U+{ord(ch):04X}"
        assert has_hidden_characters(raw), f"U+{ord(ch):04X}"


def test_a_lone_surrogate_is_stored_and_drawn_as_the_replacement_character() -> None:
    for ch in SURROGATES:
        raw = f"half {ch} char"
        assert stored(raw) == shown(raw) == "half \ufffd char"
        assert has_hidden_characters(raw)


def test_joined_emoji_are_stored_whole_and_drawn_as_their_parts() -> None:
    for whole, parts in JOINED.items():
        assert stored(f" {whole}  x ") == f"{whole} x"
        assert not has_hidden_characters(whole)
        assert shown(whole) == parts
        assert not set(shown(whole)) & WIDTH_DISPUTED
    assert stored("中文") == shown("中文") == "中文"


def test_stored_and_drawn_text_is_composed() -> None:
    assert stored("e\u0301 combining") == shown("e\u0301 combining") == "é combining"


def test_spaces_are_collapsed_in_storage_and_kept_when_drawn() -> None:
    assert stored("  tab\t\there  ") == "tab here"
    assert shown("tab\t\there") == "tab  here"


def test_markup_is_text() -> None:
    for raw in ("[bold]x[/bold]", "fixed [/b] bug", "[@click=app.quit]", "[link=file:///x]y"):
        assert stored(raw) == shown(raw) == raw
        content = styled(raw, "bold")
        assert content.plain == raw
        assert line(styled(raw), ": ", (raw, "italic")).plain == f"{raw}: {raw}"


def test_text_that_cleans_to_nothing_or_too_much_is_refused() -> None:
    with pytest.raises(InvalidText, match="can't be empty"):
        clean_text("\x1b\u200b\t", what="The win", max_length=10)
    assert clean_text("\x1b\u200b", what="The win", max_length=10, required=False) == ""
    with pytest.raises(InvalidText, match="is 11 characters; please keep it to 10"):
        clean_text("x" * 11, what="The win", max_length=10)
    assert clean_text("x" * 10 + "\u200b" * 5, what="The win", max_length=10) == "x" * 10


any_text = st.lists(
    st.one_of(
        st.characters(exclude_categories=()),
        st.sampled_from([*C0, *C1, *DIRECTION, *INVISIBLE, *SURROGATES, *JOINED, "🇬", "中"]),
    ),
    max_size=24,
).map("".join)


@settings(max_examples=60, deadline=None, database=None)
@given(raw=any_text)
def test_drawn_text_is_only_text_and_drawing_it_again_changes_nothing(raw: str) -> None:
    drawn = shown(raw)
    assert not [ch for ch in drawn if never_drawn(ch) or ch in WIDTH_DISPUTED], repr(drawn)
    assert shown(drawn) == drawn


@settings(max_examples=60, deadline=None, database=None)
@given(raw=any_text)
def test_stored_text_is_clean_and_cleaning_it_again_changes_nothing(raw: str) -> None:
    try:
        text = stored(raw)
    except InvalidText:
        assert not " ".join(unicodedata.normalize("NFC", strip_hidden(raw)).split())
        return
    kept = {"\u200d"} | {chr(c) for c in range(0xE0020, 0xE0080)}
    assert not [ch for ch in text if never_drawn(ch) and ch not in kept], repr(text)
    assert stored(text) == text
    assert text == text.strip() and "  " not in text
    assert not has_hidden_characters(text)


# Borders in line ------------------------------------------------------------------------------

SIZE = (80, 24)
WIDE = ["👨\u200d👩\u200d👧 family", "👍\U0001f3fd thumbs", "❤\ufe0f heart", "🇬🇧 flag", "中文 text"]
CORNERS = {"╮": "╯", "┐": "┘", "┓": "┛"}
SIDES = "│┃║╎╏┆┇┊┋"


def screen_rows(app: FacilitatorApp) -> list[str]:
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    assert isinstance(update, LayoutUpdate)
    return ["".join(segment.text for strip in row for segment in strip) for row in update.strips]


def char_at(row: str, column: int) -> str:
    """The character drawn in a cell (by cell, not by index: wide characters take two)."""
    for index, ch in enumerate(row):
        if cell_len(row[:index]) == column:
            return ch
    return ""


def check_borders(app: FacilitatorApp) -> list[str]:
    """Every line is exactly the terminal's width, nothing drawn is a character terminals
    disagree on the width of, and every box's right side runs straight down from its corner."""
    width, _ = app.size
    rows = screen_rows(app)
    for y, row in enumerate(rows):
        assert cell_len(row) == width, f"line {y} is {cell_len(row)} cells: {row!r}"
        disputed = sorted({f"U+{ord(ch):04X}" for ch in row if ch in WIDTH_DISPUTED})
        assert not disputed, f"line {y} draws {disputed}: {row!r}"
    boxes = 0
    for y, row in enumerate(rows):
        for index, ch in enumerate(row):
            if ch not in CORNERS:
                continue
            column = cell_len(row[:index])
            below = [char_at(rows[y2], column) for y2 in range(y + 1, len(rows))]
            assert CORNERS[ch] in below, f"no bottom corner under line {y}, cell {column}"
            side = below[: below.index(CORNERS[ch])]
            assert all(c in SIDES for c in side), f"the side under line {y}, cell {column}: {side}"
            boxes += 1
    assert boxes, "there should be a box to check"
    return rows


async def test_wide_and_joined_emoji_keep_every_border_in_line(
    new_app: AppMaker, data_path: Path
) -> None:
    zoe = Partner(name="👨\u200d👩\u200d👧 Zoë 👍\U0001f3fd")
    ana = Partner(name="中文 Ana 🇬🇧 ❤\ufe0f")
    partnership = Partnership(
        name="🇬🇧 中文 ❤\ufe0f crew",
        partners=(zoe, ana),
        cadence=Cadence.WEEKLY,
        session_minutes=30,
        created_on=date(2026, 11, 2),
        time_zone=ZONE,
        last_session_on=date(2026, 11, 16),
    )
    session = Session.begin(partnership, [zoe.id, ana.id], START)
    before = START - timedelta(days=7)
    records: list[Partnership | Action | Entry | Session] = [partnership, session]
    for owner in (zoe, ana):
        records += [
            Action(
                text=t, owner_id=owner.id, due_on=START.date(), created_in="x", created_at=before
            )
            for t in WIDE[:4]
        ]
    records += [Entry(session.id, zoe.id, EntryKind.WIN, t, START) for t in WIDE]
    Repository.open(data_path).put(*records)

    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        rows = check_borders(app)
        assert any(f"╭─ {shown(zoe.name)}'s open actions" in row for row in rows)
        assert any(f"▸ {shown(WIDE[0])}" in row for row in rows)
        await pilot.press("r")
        assert isinstance(app.screen, SessionScreen)
        rows = check_borders(app)
        assert any(f"✦ {shown(WIDE[0])}" in row for row in rows), "inside the Celebrating box"


@pytest.mark.xfail(
    strict=True,
    reason="A text box draws what was typed with its joiners, skin tones and variation "
    "selectors (CleanInput keeps them, Input draws its value as is), so on a terminal that "
    "disagrees with Rich on their width the box's right edge moves: ui/widgets/inputs.py",
)
async def test_a_text_box_draws_typed_emoji_without_disputed_characters(
    new_app: AppMaker,
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, FirstRunScreen)
        box = screen.query_one("#name Input", Input)
        box.insert_text_at_cursor(" ".join(WIDE))
        await pilot.pause()
        check_borders(app)


def test_the_zero_width_non_joiner_of_persian_and_indic_words_is_kept() -> None:
    word = "می\u200cخواهم"  # "I want" in Persian: the non-joiner keeps the letters apart
    assert clean_text(word, what="The win", max_length=50) == word
    assert shown(word) == word


# Rows that wrap under their own first line (home's cards) -------------------------------------


def test_a_long_row_wraps_under_its_own_text_not_its_marker() -> None:
    marker, text = Content("▸ "), styled("Action 1 agreed in week 1: draft, review and send it")
    assert [c.plain for c in hang(marker, text, 32)] == [
        "▸ Action 1 agreed in week 1:",
        "  draft, review and send it",
    ]
    assert [c.plain for c in hang(marker, text, 80)] == [marker.plain + text.plain]
    assert len(hang(marker, text, 9)) == 1, "too narrow to indent in: Textual wraps it"


def test_a_word_longer_than_the_width_is_folded_beside_its_marker() -> None:
    drawn = [c.plain for c in hang(Content("▸ "), styled("x" * 50), 20)]
    assert drawn[0] == "▸ " + "x" * 18
    assert all(rest.startswith("  x") and len(rest) <= 20 for rest in drawn[1:])
    assert "".join(d[2:] for d in drawn) == "x" * 50


def test_a_row_of_two_lines_hangs_each() -> None:
    body = Content("first line of it\n    in the way: a second line, long enough to wrap")
    drawn = [c.plain for c in hang(Content("  "), body, 30)]
    assert drawn[0] == "  first line of it"
    assert all(line.startswith("  ") for line in drawn[1:])
    assert "".join("".join(drawn).split()) == "".join(body.plain.split())


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=1),
    indent=st.integers(0, 6),
    width=st.integers(15, 60),
)
def test_hanging_rows_fit_their_width_and_keep_every_word(
    text: str, indent: int, width: int
) -> None:
    """Wide characters too: no line is wider than the width, the later lines are indented,
    and the words are the row's, in order; the height asked for is the lines drawn."""
    prefix, body = Content("›" * indent), styled(text)
    drawn = hang(prefix, body, width)
    assert all(c.cell_length <= width for c in drawn) or len(drawn) == 1
    assert all(c.plain.startswith(" " * indent) for c in drawn[1:])
    joined = "".join("".join(c.plain for c in drawn).split())
    assert joined == "".join((prefix.plain + body.plain).split())
    rows = HangingRows([(prefix, body), (Content(""), Content("after"))])
    assert rows.get_height({}, width) == len(drawn) + 1
    assert rows.plain == prefix.plain + body.plain + "\nafter"


async def test_home_cards_wrap_an_action_under_its_text_at_80x24(
    new_app: AppMaker, data_path: Path
) -> None:
    partnership = Partnership(
        name="Pair",
        partners=(Partner("Ana", "ana"), Partner("Ben", "ben")),
        cadence=Cadence.WEEKLY,
        session_minutes=30,
        created_on=date(2026, 1, 5),
        time_zone=ZONE,
        last_session_on=START.date() - timedelta(days=7),
    )
    text = "Draft the conference abstract, and ask Ben for feedback on it"
    late = new_action(text, "ana", START.date() - timedelta(days=3), None, START)
    Repository.open(data_path).put(partnership, late)
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        rows = [r for r in screen_rows(app) if "│" in r]
        inside = [r.split("│")[1] for r in rows if r.count("│") >= 2]
        at = next(i for i, r in enumerate(inside) if "▸ Draft the" in r)
        assert inside[at + 1].startswith("   ") and inside[at + 1].strip(), inside[at : at + 4]
        overdue = next(i for i, r in enumerate(inside) if "! due" in r)
        assert inside[overdue + 1].startswith("     "), inside[overdue : overdue + 2]

"""Nothing a partner types can crash the meeting, or reach the terminal as anything but text.

Hostile text (markup look-alikes, terminal escapes, control characters, direction overrides,
joined emoji, broken characters, a 5,000-character line) goes through the real screens, and is
also written into a data file by hand, bypassing every check. Each screen must stay up, draw
every piece of user text exactly as stored after `shown`, and never draw a control character.

What is drawn is read from the screen's compositor (as `App.export_screenshot` does), so toasts,
dialogs and the screens under them are all checked, cell by cell.
"""

from __future__ import annotations

import unicodedata
from contextlib import suppress
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from conftest import START, ZONE, AppMaker, met_before, settle
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual import events
from textual._compositor import LayoutUpdate
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, OptionList, SelectionList, Static

from facilitator.domain.actions import Action, ActionStatus, Entry, EntryKind, summarise
from facilitator.domain.clock import FakeClock
from facilitator.domain.dates import format_day
from facilitator.domain.partnership import Cadence, Partner, Partnership
from facilitator.domain.session import Session
from facilitator.domain.state import MeetingState
from facilitator.domain.text import InvalidText, clean_text, strip_hidden
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository
from facilitator.ui.app import FacilitatorApp
from facilitator.ui.screens.action_form import ActionForm
from facilitator.ui.screens.attendance import AttendanceScreen
from facilitator.ui.screens.first_run import FirstRunScreen
from facilitator.ui.screens.home import HomeScreen, action_lines
from facilitator.ui.screens.in_the_way import InTheWayScreen
from facilitator.ui.screens.session import SessionScreen
from facilitator.ui.text import shown
from facilitator.ui.widgets.actions_panel import action_line
from facilitator.ui.widgets.inputs import CleanInput, EntryInput
from facilitator.ui.widgets.obstacles_panel import entry_line
from facilitator.ui.widgets.phase_panel import PhasePanel
from facilitator.ui.widgets.review_panel import MARKS, review_line
from facilitator.ui.widgets.wrapup_panel import summary_lines

SIZE = (80, 24)
WEEK = 7 * 24 * 3600
LONG = "long-line " * 499 + "last-line!"  # 5,000 characters

CORPUS = [
    "Read pages [3 to 10",
    "Wrote pages [3 to 10",
    "fixed [/b] bug",
    "Paid [50%] of the invoice",
    "Sent the [draft] to Kim",
    "[@click=app.quit]",
    "[link=file:///etc/passwd]x[/link]",
    "[on red]",
    "[bold]",
    "\x1b[31mred\x1b[0m",
    "EVIL\x1b]2;PWNED\x07 end",
    "tab\there",
    "nul\x00byte",
    "bell\x07",
    "C1 \x9b31m",
    "\u202eright-to-left override",
    "שלום עולם",
    "👨‍👩‍👧 family",
    "👍🏽 thumbs",
    "❤️ heart",
    "🇬🇧 flag",
    "e\u0301 combining",
    "zero\u200bwidth",
    "half \ud800 char",
]
# Each string is stored through one box (in turn), and typed into every box.
WINS, OBSTACLES, IDEAS, HELP, ACTIONS, REASONS = (CORPUS[i::6] for i in range(6))
ZOE = "Zoë [x]"
ANA = "Ana"
PARTNERSHIP = "[link=file:///etc/passwd]x[/link] \x1b]2;PWNED\x07 👨‍👩‍👧"
ESCAPE = "EVIL\x1b]2;PWNED\x07 end"
CLIPBOARD = "EVIL\x1b]52;c;UFdORUQ=\x1b\\ end"
"""An OSC 52 sequence, complete with its string terminator: sets the terminal's clipboard."""

_KEPT_FORMAT = {"\u200d", "\u200c"} | {chr(c) for c in range(0xE0020, 0xE0080)}
"""As facilitator/domain/text.py keeps them: emoji joiners and tags, and the zero-width
non-joiner that Persian and Indic words need (zero cells wide, alone or not)."""


def never_drawn(ch: str) -> bool:
    """Characters no cell may hold: controls (C0, DEL, C1), halves of broken characters, line
    and paragraph separators, and invisible format characters (direction overrides and
    isolates, zero-width spaces, BOM). Emoji joiners and tags, and the non-joiner, are the only
    format characters let through here (they are checked where `shown` must have been used)."""
    category = unicodedata.category(ch)
    return category in ("Cc", "Cs", "Zl", "Zp") or (category == "Cf" and ch not in _KEPT_FORMAT)


def clean(raw: str) -> str:
    """What storing `raw` keeps (whatever its length)."""
    return clean_text(raw, what="It", max_length=10**6)


def drawn_lines(app: FacilitatorApp) -> tuple[list[str], str]:
    """Every line of the terminal as the app would draw it now (the current screen, the screens
    showing through a dialog, and toasts), and what would be written to the terminal for it."""
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    assert isinstance(update, LayoutUpdate)
    rows = ["".join(segment.text for strip in row for segment in strip) for row in update.strips]
    return rows, update.render_segments(app.console)


# What the app itself writes is Select Graphic Rendition and cursor moves (CSI): never an
# operating-system command (OSC: window title, clipboard, hyperlinks), a device control or
# privacy string, a bell, or an 8-bit control.
NEVER_WRITTEN = ("\x1b]", "\x1bP", "\x1b_", "\x1b^", "\x1bX", "\x07", "\x90", "\x9b", "\x9d")


def check_screen(app: FacilitatorApp) -> str:
    """The app is up, every line is exactly the terminal's width, no cell holds a control
    character, and nothing but text and styles would reach the terminal. Returns the screen's
    text."""
    assert app.is_running, "the app must still be running"
    assert not app.crashed
    width, height = app.size
    rows, output = drawn_lines(app)
    assert len(rows) == height
    for y, row in enumerate(rows):
        bad = sorted({f"U+{ord(ch):04X}" for ch in row if never_drawn(ch)})
        assert not bad, f"{type(app.screen).__name__}, line {y} draws {bad}: {row!r}"
        assert cell_len(row) == width, f"line {y} is {cell_len(row)} cells: {row!r}"
    written = [sequence for sequence in NEVER_WRITTEN if sequence in output]
    assert not written, f"would write {written} to the terminal"
    return "\n".join(rows)


def plain(widget: Widget) -> str:
    """The text a widget (a Static) shows."""
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Content) else str(rendered)


def prompts(options: OptionList) -> list[str]:
    """Each row of a list as drawn, less the pointer a RowList puts before it."""
    found = []
    for index in range(options.option_count):
        prompt = options.get_option_at_index(index).prompt
        text = prompt.plain if isinstance(prompt, Content) else str(prompt)
        found.append(text[2:] if text[:2] in ("▸ ", "  ") else text)
    return found


def paste(box: Input, text: str) -> None:
    """Put text in a box the way typing or pasting does (through the box's own cleaning)."""
    box.value = ""
    box.insert_text_at_cursor(text)


def press_enter_in(box: EntryInput) -> None:
    """Enter in an entry box, handled by the box itself, as the key is."""
    box.key_enter(events.Key("enter", None))


def type_every_string(box: Input) -> None:
    """Each corpus string typed into the box: held as typed less hidden characters, and drawn
    without a control character. (Without the "hidden characters were taken out" toast each
    time: one is enough, and toasts are slow to lay out.)"""
    with box.prevent(CleanInput.Cleaned):
        for raw in CORPUS:
            paste(box, raw)
            assert box.value == strip_hidden(raw)
            row = "".join(segment.text for segment in box.render_line(0))
            assert not [ch for ch in row if never_drawn(ch)], repr(row)
        box.value = ""


# Through the real screens -------------------------------------------------------------------


async def test_hostile_text_through_every_screen(new_app: AppMaker, clock: FakeClock) -> None:
    app = new_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        # First run: a name far too long is explained under its box; hostile names are taken.
        first = app.screen
        assert isinstance(first, FirstRunScreen)
        name_box = first.query_one("#name Input", Input)
        type_every_string(name_box)
        paste(name_box, LONG)
        boxes = list(first.query(".partner Input").results(Input))
        paste(boxes[0], ZOE)
        paste(boxes[1], ANA)
        await pilot.press("ctrl+s")
        assert app.screen is first
        assert "5000 characters" in plain(first.query_one("#name .field--error"))
        check_screen(app)
        paste(name_box, PARTNERSHIP)
        await pilot.press("ctrl+s")
        home = app.screen
        assert isinstance(home, HomeScreen)
        await settle(pilot)
        met_before(app.repository)  # a regular session next, not the kick-off
        app.meeting.seen(app.repository.read())
        await pilot.pause()
        meeting = app.meeting
        partnership = meeting.the_partnership
        assert partnership.name == clean(PARTNERSHIP)
        zoe, ana = partnership.partners
        assert (zoe.name, ana.name) == (ZOE, ANA)
        assert plain(home.query_one("#title")) == shown(partnership.name)
        assert plain(home.query_one("#about")).startswith(f"{shown(ZOE)}, {ANA} · ")
        check_screen(app)

        # Who is here: the names as they are.
        await pilot.press("s")
        assert isinstance(app.screen, AttendanceScreen)
        assert prompts(app.screen.query_one(SelectionList)) == [shown(ZOE), ANA]
        check_screen(app)
        await pilot.press("ctrl+s")
        session = app.screen
        assert isinstance(session, SessionScreen)
        await pilot.press("right")  # past the check-in
        await pilot.pause()
        today = meeting.today()
        assert plain(session.query_one("#session-title")).startswith(
            f"{shown(partnership.name)} · session of"
        )
        assert plain(session.query_one("#countdown-turn")) == f"{shown(ZOE)}'s turn (1 of 2)"

        # Review: wins; a win far too long is explained under the box, and kept in it.
        win = session.query_one("#win Input", EntryInput)
        type_every_string(win)
        for raw in WINS:
            paste(win, raw)
            press_enter_in(win)
        paste(win, LONG)
        press_enter_in(win)
        await pilot.pause()
        assert "5000 characters" in plain(session.query_one("#win .field--error"))
        assert win.value == LONG
        win.value = ""
        wins = meeting.state.entries_for(zoe.id, EntryKind.WIN)
        assert [w.text for w in wins] == [clean(raw) for raw in WINS]
        celebrated = plain(session.query_one("#celebrate-lines")).split("\n")
        assert celebrated == [f"✦ {shown(w.text)}" for w in wins]
        check_screen(app)

        # Obstacles, ideas and help.
        await pilot.press("escape", "shift+right")
        assert meeting.turn.phase.key == "obstacles"
        panel = session.current_panel()
        box = session.query_one("#entry Input", EntryInput)
        type_every_string(box)
        for kind, texts in (
            (EntryKind.OBSTACLE, OBSTACLES),
            (EntryKind.IDEA, IDEAS),
            (EntryKind.HELP, HELP),
        ):
            panel.action_add(kind.value)  # type: ignore[attr-defined]
            await pilot.pause()
            for raw in texts:
                paste(box, raw)
                press_enter_in(box)
            await pilot.pause()  # entered before the kind changes
        paste(box, LONG)
        press_enter_in(box)
        await pilot.pause()
        assert "5000 characters" in plain(session.query_one("#entry .field--error"))
        box.value = ""
        kinds = (EntryKind.OBSTACLE, EntryKind.IDEA, EntryKind.HELP)
        entries = meeting.state.entries_for(zoe.id, *kinds)
        assert [e.text for e in entries] == [clean(raw) for raw in OBSTACLES + IDEAS + HELP]
        assert [e.kind for e in entries] == [kind for kind in kinds for _ in range(4)]
        listed = prompts(session.query_one("#entries", OptionList))
        assert listed == [f"{e.kind.label:<10} {shown(e.text)}" for e in entries]
        check_screen(app)

        # Agree actions: the form explains a text too long; the owner is named as stored.
        await pilot.press("escape", "shift+right")
        assert meeting.turn.phase.key == "actions"
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, ActionForm)
        text_box = form.query_one("#text Input", Input)
        type_every_string(text_box)
        paste(text_box, LONG)
        form.save()
        assert app.screen is form
        assert "5000 characters" in plain(form.query_one("#text .field--error"))
        paste(text_box, ACTIONS[0])
        assert plain(form.query_one("#owner #label")) == shown(ZOE)
        check_screen(app)
        await pilot.press("enter")
        assert app.screen is session
        for raw in ACTIONS[1:]:  # as the form's Save adds them
            meeting.add_action(raw, zoe.id, meeting.next_session_date(), box="action")
        await pilot.pause()
        agreed = meeting.agreed(zoe.id)
        assert [a.text for a in agreed] == [clean(raw) for raw in ACTIONS]
        due = format_day(agreed[0].due_on, today)
        listed = prompts(session.query_one("#agreed", OptionList))
        assert listed == [f"{shown(a.text)}  due {due}" for a in agreed]
        check_screen(app)

        # Wrap-up: the whole story, each line as stored.
        await pilot.press("shift+right")
        assert meeting.turn.phase.key == "wrapup"
        summary = plain(session.query_one("#summary")).split("\n")
        expected = [f"    ▸ {shown(w.text)}" for w in wins]
        expected += [f"    {e.kind.label:<10} {shown(e.text)}" for e in entries]
        expected += [f"    ▸ {shown(a.text)}  due {due}" for a in agreed]
        assert [row for row in expected if row not in summary] == []
        check_screen(app)
        await pilot.press("f", "enter")
        await settle(pilot)
        assert app.screen is home
        card = plain(home.query(".card").first(Static)).split("\n")
        assert card[::2] == [f"▸ {shown(a.text)}" for a in agreed]
        check_screen(app)

        # A week later: the review lists the actions, and asks what got in the way.
        clock.advance(WEEK)
        await pilot.press("s", "ctrl+s", "right")
        session = app.screen
        assert isinstance(session, SessionScreen)
        review = session.query_one("#review-list", OptionList)
        today = meeting.today()
        assert prompts(review) == [f"- to review  {shown(a.text)}  due {due}" for a in agreed]
        check_screen(app)
        await pilot.press("n")
        dialog = app.screen
        assert isinstance(dialog, InTheWayScreen)
        assert plain(dialog.query_one(".question")) == f"{shown(agreed[0].text)}: not done"
        note_box = dialog.query_one("#note Input", Input)
        type_every_string(note_box)
        paste(note_box, LONG)
        dialog.save()
        assert app.screen is dialog
        assert "5000 characters" in plain(dialog.query_one("#note .field--error"))
        paste(note_box, REASONS[0])
        check_screen(app)
        await pilot.press("enter")
        assert app.screen is session
        to_review = meeting.to_review(zoe.id)
        for action, raw in zip(to_review[1:], REASONS[1:], strict=True):
            meeting.mark(action, ActionStatus.PARTLY, in_the_way=raw, carry=True)
        await pilot.pause()
        reviewed = meeting.to_review(zoe.id)
        assert [a.in_the_way for a in reviewed] == [clean(raw) for raw in REASONS]
        for action, row in zip(reviewed, prompts(review), strict=True):
            mark = MARKS[action.status][0]
            assert row.startswith(f"{mark}  {shown(action.text)}  due {due}")
            assert row.endswith(f"\n    in the way: {shown(action.in_the_way)}")
        check_screen(app)

        # Leave mid-session, in Zoë's turn of "Agree actions": the carried actions wait there.
        meeting.next_phase()
        meeting.next_phase()
        await pilot.pause()
        assert meeting.turn.phase.key == "actions" and meeting.turn.partner_id == zoe.id
        carried = prompts(session.query_one("#agreed", OptionList))
        next_due = format_day(meeting.agreed(zoe.id)[0].due_on, today)
        assert carried == [f"carried, to confirm  {shown(a.text)}  due {next_due}" for a in agreed]
        check_screen(app)
        await pilot.press("ctrl+q")
        await settle(pilot)

    # Open again: home, offering to resume.
    app = new_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        reopened = app.screen
        assert isinstance(reopened, HomeScreen)
        assert f", {shown(ZOE)}'s turn. It resumes" in plain(reopened.query_one("#unfinished"))
        check_screen(app)


# A data file written by hand ------------------------------------------------------------------

EARLIER = "an-earlier-session"
SURROGATE_MARK = "SURROGATE-MARK"
"""Replaced in the file by a JSON-escaped lone surrogate (Python can't write one as UTF-8)."""
HALF = "half \ud800 char"
FROM_FILE = [*CORPUS[:-1], LONG, SURROGATE_MARK]


def hand_written_file(
    path: Path, *, live: bool, texts: list[str] = FROM_FILE
) -> tuple[Partnership, Session | None]:
    """A data file holding hostile text exactly as given, none of it cleaned: the partnership,
    the partners, and Zoë's actions from an earlier session, open. With `live`, a session in
    progress in which those actions were reviewed (with what got in the way), with an entry of
    each kind in turn, new actions, and a draft in Zoë's win box."""
    zoe = Partner(name="Zoë\x1b]2;PWNED\x07")
    ana = Partner(name="Ana\u202e\u200b\x9b")
    partnership = Partnership(
        name=ESCAPE,
        partners=(zoe, ana),
        cadence=Cadence.WEEKLY,
        session_minutes=30,
        created_on=date(2026, 11, 2),
        time_zone=ZONE,
        last_session_on=date(2026, 11, 16),
    )
    session = Session.begin(partnership, [zoe.id, ana.id], START) if live else None
    before = START - timedelta(days=7)
    records: list[Partnership | Action | Entry | Session] = [partnership]
    for index, raw in enumerate(texts):
        earlier = Action(
            text=raw, owner_id=zoe.id, due_on=START.date(), created_in=EARLIER, created_at=before
        )
        if session is None:
            records.append(earlier)
            continue
        status = ActionStatus.NOT_DONE if index % 2 else ActionStatus.PARTLY
        records += [
            replace(earlier, status=status, reviewed_in=session.id, in_the_way=raw),
            Action(
                text=raw,
                owner_id=zoe.id,
                due_on=START.date() + timedelta(days=7),
                created_in=session.id,
                created_at=START,
            ),
            Entry(session.id, zoe.id, list(EntryKind)[index % 4], raw, START),
        ]
    if session is not None:
        records.append(session)
    repository = Repository.open(path)
    repository.put(*records)
    if session is not None:
        Meeting(repository, FakeClock(START)).save_draft("win", zoe.id, ESCAPE)
    for file in repository.files():  # edited by hand
        text = file.read_text(encoding="utf-8")
        file.write_text(text.replace(SURROGATE_MARK, "half \\ud800 char"), encoding="utf-8")
    return partnership, session


def no_escapes(texts: list[str]) -> None:
    """No line of these texts (a widget's, split where it breaks lines) holds a character
    that must never be drawn."""
    for text in texts:
        for row in text.split("\n"):
            assert not [ch for ch in row if never_drawn(ch)], repr(row)


async def test_a_data_file_with_raw_escapes_opens_and_shows_them_safely(
    new_app: AppMaker, data_path: Path
) -> None:
    partnership, _ = hand_written_file(data_path, live=True)
    zoe = partnership.partners[0]
    app = new_app()
    state = app.meeting.state
    assert state.partnership is not None and state.partnership.name == ESCAPE
    assert HALF in {a.text for a in state.actions.values()}, "read as written"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert f"Review and celebrate, {shown(zoe.name)}'s turn." in plain(
            home.query_one("#unfinished")
        )
        check_screen(app)
        assert plain(home.query_one("#title")) == shown(ESCAPE)
        assert plain(home.query_one("#about")).startswith(
            ", ".join(shown(p.name) for p in partnership.partners)
        )
        card = plain(home.query(".card").first(Static)).split("\n")
        assert card[0] == f"▸ {shown(FROM_FILE[0])}"
        assert card[-1] == f"… and {len(FROM_FILE) - 5} more · p lists them all"
        assert f"╭─ {shown(zoe.name)}'s open actions (" in check_screen(app)

        await pilot.press("r")
        session = app.screen
        assert isinstance(session, SessionScreen)
        meeting = app.meeting
        win = session.query_one("#win Input", Input)
        assert win.value == strip_hidden(ESCAPE), "the draft, back in its box"
        win.value = ""  # else moving on would save it as a win
        review = prompts(session.query_one("#review-list", OptionList))
        reviewed = meeting.to_review(zoe.id)
        assert len(review) == len(reviewed) == len(FROM_FILE)
        for action, row in zip(reviewed, review, strict=True):
            assert f"  {shown(action.text)}  " in row
            assert row.endswith(f"\n    in the way: {shown(action.in_the_way)}")
        no_escapes(review)
        celebrated = plain(session.query_one("#celebrate-lines")).split("\n")
        wins = meeting.state.entries_for(zoe.id, EntryKind.WIN)
        assert celebrated == [f"✦ {shown(w.text)}" for w in wins]
        check_screen(app)

        meeting.next_phase()
        await pilot.pause()
        kinds = (EntryKind.OBSTACLE, EntryKind.IDEA, EntryKind.HELP)
        entries = meeting.state.entries_for(zoe.id, *kinds)
        listed = prompts(session.query_one("#entries", OptionList))
        assert listed == [f"{e.kind.label:<10} {shown(e.text)}" for e in entries]
        check_screen(app)

        meeting.next_phase()
        await pilot.pause()
        agreed = meeting.agreed(zoe.id)
        listed = prompts(session.query_one("#agreed", OptionList))
        assert [row.rsplit("  due ", 1)[0] for row in listed] == [shown(a.text) for a in agreed]
        assert shown(zoe.name) in plain(session.query_one("#actions-heading"))
        check_screen(app)

        meeting.next_phase()
        await pilot.pause()
        summary = plain(session.query_one("#summary"))
        no_escapes([summary])
        for raw in [*FROM_FILE[:-1], HALF]:
            assert f"▸ {shown(raw)}  " in summary
            assert f"in the way: {shown(raw)}" in summary
        check_screen(app)


# Any text at all ------------------------------------------------------------------------------

HOSTILE_PIECES = [
    *"\x00\x07\x08\t\n\r\x1b\x7f\x85\x9b\u00ad\u061c\u200b\u200d\u200e\u200f\u2028\u2029",
    *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\ufe0e\ufe0f\ud800\udfff",
    *"[]/=@%\\:;'\"",
    "\U0001f3fd",
    "\U000e0067",
    "\U000e007f",
    "👨",
    "👩",
    "🇬",
    "🇧",
    "❤",
    "中",
    "ש",
    "\u0301",
    "[bold]",
    "[/]",
    "[@click=app.quit]",
    "[link=file:///etc/passwd]",
]
hostile_text = st.lists(
    st.one_of(st.characters(exclude_categories=()), st.sampled_from(HOSTILE_PIECES)),
    max_size=20,
).map("".join)
"""Any characters at all (surrogates, controls, unassigned), with the hostile ones often."""
TODAY = START.date()


def built_lines(raw: str, status: ActionStatus, carried: bool) -> dict[str, str]:
    """What each line builder makes of text straight from a file (never cleaned)."""
    action = Action(
        text=raw,
        owner_id="zoe",
        due_on=TODAY,
        created_in="now" if carried else EARLIER,
        created_at=START,
        status=status,
        reviewed_in="now" if status is not ActionStatus.OPEN else None,
        in_the_way=raw,
        carried_from="old" if carried else None,
        confirmed=not carried,
    )
    entry = Entry("now", "zoe", EntryKind.IDEA, raw, START)
    return {
        "review": review_line(action, TODAY).plain,
        "entry": entry_line(entry).plain,
        "action": action_line(action, TODAY, owner=raw).plain,
        "home": action_lines([action], TODAY).plain,
        "summary": "\n".join(
            row.plain
            for summary in summarise("now", ["zoe"], ["zoe"], [action], [entry])
            for row in summary_lines(summary, raw, TODAY)
        ),
    }


@settings(max_examples=40, deadline=None, database=None)
@given(raw=hostile_text, status=st.sampled_from(ActionStatus), carried=st.booleans())
@example(raw="\u200c", status=ActionStatus.OPEN, carried=False)  # a non-joiner alone
def test_every_line_builder_draws_any_text_as_shown(
    raw: str, status: ActionStatus, carried: bool
) -> None:
    """No crash; the text as `shown`; no line that isn't text; and no line more than for
    ordinary text (user text never breaks a line)."""
    built = built_lines(raw, status, carried)
    ordinary = built_lines("x" if raw else "", status, carried)
    for where, drawn in built.items():
        assert shown(raw) in drawn, where
        no_escapes([drawn])
        assert drawn.count("\n") == ordinary[where].count("\n"), (where, drawn)
    if status is not ActionStatus.OPEN and raw.strip():
        assert f"in the way: {shown(raw)}" in built["review"]


async def test_any_text_added_through_the_meeting_shows_in_every_panel(
    new_app: AppMaker, data_path: Path, clock: FakeClock
) -> None:
    """Generated text, added through the Meeting (InvalidText is an allowed answer) and also
    put in the records raw, drawn by each of the running session's panels."""
    partnership, _ = hand_written_file(data_path, live=True, texts=[ESCAPE])
    zoe = partnership.partners[0]
    app = new_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("enter")  # resume
        session = app.screen
        assert isinstance(session, SessionScreen)
        base = app.meeting.state
        live = app.meeting.live
        earlier = base.to_review(zoe.id)[0]
        panels = {key: session.query_one(f"#{key}", PhasePanel) for key in PANEL_KEYS}
        due = TODAY + timedelta(days=7)

        @settings(max_examples=20, deadline=None, database=None)
        @given(raw=hostile_text)
        def draw(raw: str) -> None:
            meeting = Meeting(app.repository, clock, state=base)
            meeting.use_store_thread(lambda seq, apply: None)  # kept in memory only
            for kind in EntryKind:
                with suppress(InvalidText):
                    meeting.add_entry(raw, kind, zoe.id)
            with suppress(InvalidText):
                meeting.add_action(raw, zoe.id, due)
            with suppress(InvalidText):
                meeting.mark(earlier, ActionStatus.PARTLY, in_the_way=raw, carry=True)
            raw_entry = Entry(live.id, zoe.id, EntryKind.HELP, raw, START)
            raw_action = Action(
                text=raw, owner_id=zoe.id, due_on=due, created_in=live.id, created_at=START
            )
            state = meeting.state.with_entries([raw_entry]).with_actions([raw_action])
            drawn = redraw_panels(panels, state, zoe.id)
            texts = [e.text for e in state.entries.values()]
            texts += [a.text for a in state.actions.values()]
            texts += [a.in_the_way for a in state.actions.values()]
            everything = "\n".join(drawn.values())
            for text in texts:
                assert shown(text) in everything
            no_escapes(list(drawn.values()))

        draw()
        redraw_panels(panels, app.meeting.state, zoe.id)
        await pilot.pause()
        check_screen(app)


PANEL_KEYS = ("review", "obstacles", "actions", "wrapup")


def redraw_panels(
    panels: dict[str, PhasePanel], state: MeetingState, partner_id: str
) -> dict[str, str]:
    """Each panel drawn from `state` for one partner; what each shows, as text."""
    for panel in panels.values():
        panel.partner_id = partner_id
        panel.redraw(state)
    review, obstacles, actions, wrapup = (panels[key] for key in PANEL_KEYS)
    return {
        "review": "\n".join(prompts(review.query_one("#review-list", OptionList))),
        "celebrate": plain(review.query_one("#celebrate-lines")),
        "entries": "\n".join(prompts(obstacles.query_one("#entries", OptionList))),
        "agreed": "\n".join(prompts(actions.query_one("#agreed", OptionList))),
        "summary": plain(wrapup.query_one("#summary")),
    }


# Found wrong -----------------------------------------------------------------------------------


async def test_partner_names_head_their_home_cards_as_typed(new_app: AppMaker) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, FirstRunScreen)
        paste(screen.query_one("#name Input", Input), "Tuesday check-in")
        boxes = list(screen.query(".partner Input").results(Input))
        paste(boxes[0], ZOE)
        paste(boxes[1], "[/b] Ben")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, HomeScreen)
        drawn = check_screen(app)
        assert f"╭─ {ZOE}'s open actions (0) ─" in drawn
        assert "╭─ [/b] Ben's open actions (0) ─" in drawn


async def test_toasts_show_user_text_as_shown(new_app: AppMaker, data_path: Path) -> None:
    partnership, _ = hand_written_file(data_path, live=False, texts=[CLIPBOARD])
    app = new_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("s", "ctrl+s", "right", "d")  # past the check-in; the action: done
        assert app.meeting.to_review(partnership.partners[0].id)[0].status is ActionStatus.DONE
        check_screen(app)
        toasts = [plain(toast) for toast in app.screen.query("Toast").results(Static)]
        assert f"🎉 Done: well done!\n{shown(CLIPBOARD)}" in toasts


FAMILY = "👨‍👩‍👧 family 👍🏽 ❤️ 🇬🇧"


async def test_saving_an_action_unchanged_keeps_its_emoji_whole(
    new_app: AppMaker, data_path: Path
) -> None:
    partnership, _ = hand_written_file(data_path, live=True, texts=[FAMILY])
    zoe = partnership.partners[0]
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # resume
        session = app.screen
        assert isinstance(session, SessionScreen)
        session.query_one("#win Input", Input).value = ""
        app.meeting.next_phase()
        app.meeting.next_phase()
        await pilot.pause()
        assert app.meeting.turn.phase.key == "actions"
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ActionForm)
        await pilot.press("enter")  # save, changing nothing
        assert app.screen is session
        assert [a.text for a in app.meeting.agreed(zoe.id)] == [FAMILY]

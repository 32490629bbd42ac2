"""Readable through a video call: measured on what the app draws, cell by cell.

Every theme of ours (each file in themes/) must draw every piece of text at a contrast ratio of
4.5:1 or more against its background (WCAG 2.x), and the countdown at 7:1, in every state; a
theme may promise more in its `[checks]` table. The cells come from the compositor (what would
be written to the terminal), so no list of colour pairs is kept by hand. The tour of the screens
that collects them is in test_snapshots.py (the same app runs give the snapshots); this file has
the measures, and the checks that need no tour: states shown without colour (NO_COLOR), 256
colours, and the colours a colour-blind partner must still tell apart.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from rich._emoji_codes import EMOJI
from rich.cells import cell_len
from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.style import Style
from textual import constants
from textual._context import visible_screen_stack
from textual.app import App
from textual.color import Color
from textual.screen import ModalScreen
from textual.strip import Strip

from facilitator.domain.actions import ActionStatus, EntryKind
from facilitator.domain.agenda import PhaseKind
from facilitator.domain.clock import FakeClock
from facilitator.domain.partnership import Cadence
from facilitator.domain.state import Author
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository
from facilitator.ui.app import FacilitatorApp, make_app
from facilitator.ui.themes import theme_checks, theme_specs
from facilitator.ui.widgets.countdown import Countdown

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ZONE = "Europe/London"
ANA = Author(client="screen-a", label="ana's terminal")
THEMES = {str(spec["name"]): theme_checks(spec) for spec in theme_specs()}

TEXT = 4.5
COUNTDOWN = 7.0


# The measure ----------------------------------------------------------------------------------


def luminance(color: Color) -> float:
    """WCAG 2.x relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_measure() -> None:
    black, white = Color(0, 0, 0), Color(255, 255, 255)
    assert contrast(black, white) == pytest.approx(21.0)
    assert contrast(white, white) == pytest.approx(1.0)
    assert contrast(Color.parse("#767676"), white) == pytest.approx(4.54, abs=0.01)
    assert contrast(Color.parse("#777777"), white) < 4.5  # the well-known pair just under


# What a screen draws --------------------------------------------------------------------------

_DECORATION = range(0x2500, 0x25A0)
"""Box drawing and block elements: borders, scroll bars, the ▔▁▊▎ edges of a text box. Not
text, except where they draw the countdown's digits and the name in block letters."""


@lru_cache(maxsize=1)
def _emoji() -> frozenset[str]:
    single = (value.replace("\ufe0f", "").replace("\ufe0e", "") for value in EMOJI.values())
    return frozenset(value for value in single if len(value) == 1)


def drawn_in_own_colours(char: str) -> bool:
    """A wide emoji (🎉): terminals draw it in its own colours, not the text's."""
    return char in _emoji() and unicodedata.east_asian_width(char) in "WF"


_WIDTH_DISPUTED = {
    "\u200d",  # zero-width joiner
    "\ufe0e",  # text presentation selector
    "\ufe0f",  # emoji presentation selector
    *(chr(c) for c in range(0x1F1E6, 0x1F200)),  # regional indicators (flags)
    *(chr(c) for c in range(0x1F3FB, 0x1F400)),  # skin-tone modifiers
}


def width_disputed(char: str) -> bool:
    """Drawn one cell wide by some terminals and two by others, so a border after it moves:
    an emoji that is text by default (⚠ ✔), the joiners and selectors, flags."""
    if char in _WIDTH_DISPUTED:
        return True
    return char in _emoji() and unicodedata.east_asian_width(char) not in "WF"


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    char: str
    fg: Color
    bg: Color
    bold: bool
    dim: bool
    countdown: bool
    line: str

    def where(self) -> str:
        start = max(0, self.x - 25)
        return f"({self.x},{self.y}) {self.char!r} in {self.line[start : self.x + 25].strip()!r}"


def _color(color: RichColor | None, default: Color) -> Color:
    if color is None or color.is_default:
        return default
    return Color.from_rich_color(color)


def rendered(app: App[Any]) -> list[Strip]:
    """The screen as it would be written to the terminal, the screens below a dialog
    included."""
    visible_screen_stack.set(app._background_screens)
    return app.screen._compositor.render_strips()


def screen_text(app: App[Any]) -> str:
    """What the screen says, with every colour and style stripped."""
    return "\n".join(strip.text for strip in rendered(app))


def drawn_cells(app: App[Any], strips: list[Strip] | None = None) -> list[Cell]:
    """Every cell of the screen that shows text: not spaces, not borders and other decoration,
    not the dimmed screen behind a dialog (it can't be used until the dialog closes)."""
    screen = app.screen
    theme = app.current_theme
    default_fg = Color.parse(theme.foreground or "#FFFFFF")
    default_bg = Color.parse(theme.background or "#000000")
    # Block and box glyphs are text only in the countdown's digits and name.
    countdown = {
        (x, y)
        for c in screen.query(Countdown)
        if c.display
        for y in range(c.content_region.y, c.content_region.bottom)
        for x in range(c.content_region.x, c.content_region.right)
    }
    dialog = None
    if isinstance(screen, ModalScreen) and screen.styles.background.a < 1:
        dialog = [child.region for child in screen.children if child.display]
    cells = []
    for y, strip in enumerate(rendered(app) if strips is None else strips):
        line = strip.text
        x = 0
        for segment in strip:
            text = segment.text
            if text.isspace():
                x += cell_len(text)
                continue
            style = segment.style or Style()
            fg = _color(style.color, default_fg)
            bg = _color(style.bgcolor, default_bg)
            if style.reverse:
                fg, bg = bg, fg
            if style.dim:
                fg = bg.blend(fg, 0.5)  # about what a terminal's faint does
            bold, dim = bool(style.bold), bool(style.dim)
            for char in text:
                at, x = x, x + cell_len(char)
                if char.isspace() or drawn_in_own_colours(char):
                    continue
                in_countdown = (at, y) in countdown
                if ord(char) in _DECORATION and not in_countdown:
                    continue
                if dialog is not None and not any(r.contains(at, y) for r in dialog):
                    continue
                cells.append(Cell(at, y, char, fg, bg, bold, dim, in_countdown, line))
    return cells


@lru_cache(maxsize=4096)
def in_256_colours(color: Color) -> Color:
    """The colour a 256-colour terminal shows (Rich's conversion, as the app's output uses)."""
    rich = RichColor.from_rgb(color.r, color.g, color.b).downgrade(ColorSystem.EIGHT_BIT)
    r, g, b = rich.get_truecolor()
    return Color(r, g, b)


@dataclass(frozen=True)
class Problem:
    ratio: float
    wanted: float
    fg: str
    bg: str
    where: str

    def __str__(self) -> str:
        return f"{self.ratio:.2f}:1 (needs {self.wanted}) {self.fg} on {self.bg} at {self.where}"


def problems(cells: Iterable[Cell], checks: dict[str, object], stop: str) -> list[str]:
    """What in these cells breaks a theme's promises: one line per pair of colours (with
    where it was first seen), and per style not kept. Each pair is measured as drawn, and as
    a 256-colour terminal shows it."""
    least = float(checks.get("min_contrast", TEXT))  # type: ignore[arg-type]
    found: dict[tuple[object, ...], str] = {}
    for cell in cells:
        wanted = max(least, COUNTDOWN) if cell.countdown else least
        for colours, fg, bg in (("", cell.fg, cell.bg), (" in 256 colours", *_in_256(cell))):
            key = (colours, fg, bg, wanted)
            if key not in found and (ratio := _ratio(fg, bg)) < wanted:
                problem = Problem(round(ratio, 2), wanted, fg.hex, bg.hex, cell.where())
                found[key] = f"{stop}{colours}: {problem}"
        if checks.get("all_bold") and not cell.bold:
            found.setdefault(("bold", stop), f"{stop}: not bold at {cell.where()}")
        if checks.get("no_dim") and cell.dim:
            found.setdefault(("dim", stop), f"{stop}: dim at {cell.where()}")
    return sorted(found.values())


def _in_256(cell: Cell) -> tuple[Color, Color]:
    return in_256_colours(cell.fg), in_256_colours(cell.bg)


@lru_cache(maxsize=4096)
def _ratio(fg: Color, bg: Color) -> float:
    return contrast(fg, bg)


def disputed_widths(lines: Iterable[str], stop: str) -> list[str]:
    return [
        f"{stop}: {char!r} (U+{ord(char):04X}) is drawn 1 or 2 cells wide: {line.strip()!r}"
        for line in lines
        for char in line
        if width_disputed(char)
    ]


def test_a_theme_that_fails_is_caught() -> None:
    grey = Color.parse("#949491")
    cell = Cell(0, 0, "A", grey, Color.parse("#EFEFEA"), False, False, False, "A")
    found = problems([cell], {}, "placeholder")
    assert found[1].startswith("placeholder: 2.64:1 (needs 4.5) #949491 on #EFEFEA"), found
    assert found[0].startswith("placeholder in 256 colours: 2.72:1 (needs 4.5) #8A8A8A on #E4E4E4")
    bold = Cell(0, 0, "0", Color(255, 255, 255), Color(0, 0, 0), True, False, True, "0")
    assert problems([bold], {"all_bold": True, "no_dim": True}, "countdown") == []
    assert width_disputed("⚠") and width_disputed("\ufe0f") and not width_disputed("✓")
    assert not width_disputed("🎉") and drawn_in_own_colours("🎉")


# The meeting the screens show -----------------------------------------------------------------

ACTIONS = {
    "Write 500 words every morning": date(2026, 11, 30),
    "Call the bank about the loan": date(2026, 11, 25),  # overdue a week on
    "Walk at lunch": date(2026, 11, 30),
    "Read a chapter a day": date(2026, 11, 30),
    "Tidy the desk": date(2026, 11, 30),
}


def prepare(meeting: Meeting, clock: FakeClock) -> None:
    """A partnership a week after its first session: Ana has five actions to review (one
    overdue), Ben one. The clock is moved on to the day of the second session."""
    meeting.create_partnership("Tuesday check-in", ["Ana", "Ben"], Cadence.WEEKLY, 30, ZONE)
    ana, ben = meeting.the_partnership.partners
    meeting.begin_session([ana.id, ben.id])
    for text, due in ACTIONS.items():
        meeting.add_action(text, ana.id, due)
    meeting.add_action("Book the venue", ben.id, date(2026, 11, 30))
    meeting.finish_session()
    clock.advance(days=7)


def prepared(path: Path, clock: FakeClock) -> None:
    prepare(Meeting(Repository.open(path), clock, author=ANA), clock)


def app_for(tmp_path: Path, clock: FakeClock, theme: str | None = None) -> FacilitatorApp:
    return make_app(
        Repository.open(tmp_path / "data.json"),
        clock,
        theme=theme,
        author=ANA,
        store_thread=False,
        time_zone=ZONE,
        settings_path=tmp_path / "settings.json",
    )


def mark_all_kinds(meeting: Meeting) -> None:
    """Ana's review: one action in each state (one carried forward, to confirm later)."""
    ana = meeting.the_partnership.partners[0]
    actions = {a.text: a for a in meeting.to_review(ana.id)}
    meeting.mark(actions["Write 500 words every morning"], ActionStatus.DONE)
    meeting.mark(actions["Walk at lunch"], ActionStatus.PARTLY, in_the_way="Rain", carry=True)
    meeting.mark(actions["Read a chapter a day"], ActionStatus.NOT_DONE, in_the_way="Busy")
    meeting.mark(actions["Tidy the desk"], ActionStatus.DROPPED)


def move_to(meeting: Meeting, kind: PhaseKind) -> None:
    """Move the live session on, phase by phase, to the first turn of `kind` (the agenda
    decides what comes before it)."""
    for _ in range(len(meeting.live.agenda)):
        if meeting.turn.phase.kind is kind:
            return
        meeting.next_phase()
    assert meeting.turn.phase.kind is kind, f"no {kind} phase in {meeting.live.agenda}"


def add_one_of_each_kind(meeting: Meeting) -> None:
    ana = meeting.the_partnership.partners[0]
    meeting.add_entry("No quiet time to write", EntryKind.OBSTACLE, ana.id)
    meeting.add_entry("Write at the library", EntryKind.IDEA, ana.id)
    meeting.add_entry("A text on Wednesdays", EntryKind.HELP, ana.id)


# States without colour ------------------------------------------------------------------------

MARKS = ("- to review", "✓ done", "~ partly done", "✗ not done", "⊘ dropped")


def pointed_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if "▸ " in line]


async def test_every_state_shows_without_colour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under NO_COLOR (Textual then draws in shades of grey), the marks, the highlighted row,
    the chosen kind and each state of the countdown are all in the text itself."""
    monkeypatch.setenv("NO_COLOR", "1")
    clock = FakeClock(START)
    prepared(tmp_path / "data.json", clock)
    app = app_for(tmp_path, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        meeting = app.meeting
        meeting.begin_session([p.id for p in meeting.the_partnership.partners])
        move_to(meeting, PhaseKind.REVIEW)
        app.open_session(resume=False)
        await pilot.pause()
        mark_all_kinds(meeting)
        await pilot.pause()
        review = screen_text(app)
        for mark in MARKS:
            assert mark in review, mark
        assert len(pointed_rows(review)) == 1, "one highlighted row, marked ▸"
        assert "! overdue" in review

        states = {}
        screen = app.screen
        states["running"] = screen_text(app)
        meeting.pause()
        await pilot.pause()
        states["paused"] = screen_text(app)
        meeting.resume()
        clock.advance(5 * 60 + 10)
        screen.refresh_timer()  # type: ignore[attr-defined]
        await pilot.pause()
        states["warning"] = screen_text(app)
        clock.advance(120)
        screen.refresh_timer()  # type: ignore[attr-defined]
        await pilot.pause()
        states["time's up"] = screen_text(app)
        words = {
            "running": "left in this turn",
            "warning": "Under 1 min left",
            "time's up": "Time's up",
            "paused": "Paused",
        }
        for state, text in states.items():
            assert words[state] in text, state
        corners = {state: text.splitlines()[1][:2] for state, text in states.items()}
        assert len(set(corners.values())) == 4, f"each state has its own border: {corners}"

        move_to(meeting, PhaseKind.OBSTACLES)
        await pilot.pause()
        add_one_of_each_kind(meeting)
        await pilot.pause()
        obstacles = screen_text(app)
        for kind in ("Obstacle", "Idea", "Help asked"):
            assert kind in obstacles
        assert len(pointed_rows(obstacles)) == 1
        assert obstacles.count("●") == 1, "the kind chosen for the next entry"
        assert app.no_color


async def test_the_first_runs_choice_of_how_often_shows_without_colour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The set-up form's "How often do you meet?": only the chosen one has its dot, as every
    other choice in the app (Textual's own radio button draws a dot in each, told apart by
    colour alone)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(tmp_path, FakeClock(START))
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        choices = next(row for row in screen_text(app).splitlines() if "Monthly" in row)
        assert choices.count("●") == 1
        assert choices.index("●") < choices.index("Weekly") < choices.index("Every two weeks")
        app.screen.query_one("#cadence").focus()
        await pilot.press("right", "right", "enter")  # to Monthly, and choose it
        await pilot.pause()
        choices = next(row for row in screen_text(app).splitlines() if "Monthly" in row)
        assert choices.count("●") == 1
        assert choices.index("Every two weeks") < choices.index("●") < choices.index("Monthly")


async def test_a_save_problem_is_shown_in_characters_of_one_width(tmp_path: Path) -> None:
    clock = FakeClock(START)
    prepared(tmp_path / "data.json", clock)
    app = app_for(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.meeting.save_problem("The disk is full.")
        await pilot.pause()
        assert "not saved yet" in screen_text(app)
        assert disputed_widths(screen_text(app).splitlines(), "home") == []


# Colour systems -------------------------------------------------------------------------------


@pytest.mark.parametrize(("colorterm", "system"), [(None, "256"), ("truecolor", "truecolor")])
def test_the_colour_system_follows_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, colorterm: str | None, system: str
) -> None:
    """The app leaves the colour system to the terminal: a 256-colour terminal gets 256
    colours (the tour checks every theme's contrast after that conversion too)."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr(constants, "COLOR_SYSTEM", "auto")  # TEXTUAL_COLOR_SYSTEM unset
    if colorterm is None:
        monkeypatch.delenv("COLORTERM", raising=False)
    else:
        monkeypatch.setenv("COLORTERM", colorterm)
    app = app_for(tmp_path, FakeClock(START))
    assert app.console.color_system == system


def test_256_colours_keep_a_pair_apart() -> None:
    assert in_256_colours(Color.parse("#101418")) != in_256_colours(Color.parse("#F2F4F8"))
    assert in_256_colours(Color(255, 255, 255)) == Color(255, 255, 255)


# Colour vision --------------------------------------------------------------------------------

# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
DEFICIENCIES = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
NORMAL = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
STATE_COLOURS = ("text-success", "text-warning", "text-error")
"""Done, partly/not done and under a minute, overdue and time's up."""
APART = 20.0
"""CIE76 ΔE between two state colours as seen with the deficiency: clearly different."""


def _linear(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def seen_with(color: Color, matrix: tuple[tuple[float, ...], ...]) -> tuple[float, float, float]:
    """CIELAB of the colour as someone with the deficiency sees it."""
    rgb = [_linear(color.r), _linear(color.g), _linear(color.b)]
    r, g, b = (
        min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix
    )
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def distance(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return float(sum((p - q) ** 2 for p, q in zip(a, b, strict=True)) ** 0.5)


SAFE_THEMES = [name for name, checks in THEMES.items() if checks.get("colour_vision_safe")]


def test_a_theme_is_safe_for_colour_blindness() -> None:
    assert SAFE_THEMES, "one theme of ours is made for the common colour-vision deficiencies"


@pytest.mark.parametrize("theme", SAFE_THEMES)
def test_state_colours_stay_apart_for_each_deficiency(theme: str) -> None:
    spec = next(s for s in theme_specs() if s["name"] == theme)
    variables = spec["variables"]
    colours = {name: Color.parse(variables[name]) for name in STATE_COLOURS}
    too_close = []
    for deficiency, matrix in [("none", NORMAL), *DEFICIENCIES.items()]:
        seen = {name: seen_with(colour, matrix) for name, colour in colours.items()}
        for a, b in itertools.combinations(STATE_COLOURS, 2):
            apart = distance(seen[a], seen[b])
            if apart < APART:
                too_close.append(f"{deficiency}: {a} and {b} only {apart:.0f} apart")
    assert not too_close, too_close

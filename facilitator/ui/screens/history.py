"""History: past sessions, newest first, and what each came to.

For the highlighted session: who was there, the wins, obstacles, ideas and help asked for,
the actions reviewed in it, the actions agreed in it and what became of them (open, done,
partly done, not done or dropped, with what got in the way), and notes. A search box finds
text in any entry or action; a partner filter shows one partner's part.

History lives in one file per year. The newest year is read first, on a thread, so the
screen shows at once; older years are read, one at a time, as the person goes down the list
(or searches or filters, which look further back as they go).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static

from facilitator.domain.actions import OBSTACLE_KINDS, Action, ActionStatus, Entry, EntryKind
from facilitator.domain.dates import format_day
from facilitator.domain.partnership import Partnership
from facilitator.domain.record import record
from facilitator.domain.session import Session
from facilitator.meeting import Meeting, Update
from facilitator.store.errors import StoreError
from facilitator.ui.screens.base import MeetingScreen
from facilitator.ui.text import REVIEWED_MARKS, guarded, line, lines, shown, styled
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.rows import RowList

PAGE = 30
"""Read older years until at least this many sessions are listed (or none are left)."""
NEAR_THE_END = 5
"""Within this many rows of the last one, the next older year is read."""

FATES = {ActionStatus.OPEN: ("○ open", "$text-muted"), **REVIEWED_MARKS}
SECTIONS = (
    ((EntryKind.WIN,), "✦ Wins"),
    ((EntryKind.VISION,), "Vision"),
    (OBSTACLE_KINDS, "Obstacles, ideas and help asked for"),
    ((EntryKind.NOTE,), "Notes"),
)


# What has been read, and what it says about each session -------------------------------------


@dataclass
class Book:
    """The history read so far (newest years first), indexed for the screen. Plain Python."""

    years: dict[int, tuple[list[Session], list[Entry], list[Action]]] = field(default_factory=dict)
    sessions: list[Session] = field(default_factory=list)
    """Newest first."""
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    """By session."""
    actions: dict[str, Action] = field(default_factory=dict)
    """Closed actions, by id."""

    def add_year(self, year: int, history: tuple[list[Session], list[Entry], list[Action]]) -> None:
        self.years[year] = history
        self._index()

    def _index(self) -> None:
        sessions: list[Session] = []
        entries: dict[str, list[Entry]] = {}
        actions: dict[str, Action] = {}
        for year in sorted(self.years):
            found_sessions, found_entries, found_actions = self.years[year]
            sessions.extend(found_sessions)
            for entry in found_entries:
                entries.setdefault(entry.session_id, []).append(entry)
            actions.update({a.id: a for a in found_actions})
        for listed in entries.values():
            listed.sort(key=lambda e: e.created_at)
        self.sessions = sorted(sessions, key=lambda s: s.started_at, reverse=True)
        self.entries = entries
        self.actions = actions


@record
class SessionStory:
    """One past session and its records, for the list and the detail."""

    session: Session
    entries: list[Entry]
    reviewed: list[Action]
    """Actions from earlier sessions, as marked in this one."""
    agreed: list[Action]
    """Actions agreed in this one, as they stand now."""

    def for_partner(self, partner_id: str | None) -> SessionStory:
        if partner_id is None:
            return self
        return SessionStory(
            self.session,
            [e for e in self.entries if e.partner_id == partner_id],
            [a for a in self.reviewed if a.owner_id == partner_id],
            [a for a in self.agreed if a.owner_id == partner_id],
        )

    def texts(self) -> Iterable[str]:
        for entry in self.entries:
            yield entry.text
        for action in (*self.reviewed, *self.agreed):
            yield action.text
            if action.in_the_way:
                yield action.in_the_way

    def matches(self, query: str) -> bool:
        """Whether `query` (already casefolded) is in any entry or action."""
        return not query or any(query in text.casefold() for text in self.texts())

    def involves(self, partner_id: str | None) -> bool:
        if partner_id is None:
            return True
        return partner_id in self.session.present or bool(
            self.for_partner(partner_id).entries or self.for_partner(partner_id).agreed
        )


def stories(book: Book, live_actions: Iterable[Action]) -> list[SessionStory]:
    """Every session read so far, newest first, each with its actions as they stand now (an
    action still open, or marked in the live session, is in the live data)."""
    current = dict(book.actions)
    current.update({a.id: a for a in live_actions})
    agreed: dict[str, list[Action]] = {}
    reviewed: dict[str, list[Action]] = {}
    for action in current.values():
        if action.created_in:
            agreed.setdefault(action.created_in, []).append(action)
        if action.reviewed_in and not action.is_open:
            reviewed.setdefault(action.reviewed_in, []).append(action)
    return [
        SessionStory(
            session,
            book.entries.get(session.id, []),
            sorted(reviewed.get(session.id, []), key=lambda a: (a.owner_id, a.created_at)),
            sorted(agreed.get(session.id, []), key=lambda a: (a.owner_id, a.created_at)),
        )
        for session in book.sessions
    ]


# Lines -------------------------------------------------------------------------------------------


def attendance(partnership: Partnership, session: Session, joiner: str = " and ") -> str:
    names = [partnership.partner_name(p) for p in session.present]
    if len(names) <= 2 or joiner != " and ":
        return joiner.join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def story_row(
    story: SessionStory, partnership: Partnership, today: date, width: int = 10
) -> Content:
    """One line: the day (padded to `width`, so the names line up), who was there, and
    whether it was set aside unfinished."""
    session = story.session
    day = partnership.local_date(session.started_at)
    parts: list[Content | str | tuple[str, str]] = [
        (f"{format_day(day, today):<{width}}  ", "bold"),
        styled(attendance(partnership, session, ", ")),
    ]
    if session.abandoned:
        parts += ["  ", ("⊘ set aside", "italic $text-warning")]
    return line(*parts)


def marked(text: str, query: str, style: str = "") -> Content:
    """User text with each place it matches the search shown reversed (not colour alone)."""
    shown_text = shown(text)
    lowered = shown_text.lower()
    if not query or len(lowered) != len(shown_text):
        return styled(shown_text, style)
    parts: list[Content] = []
    at = 0
    while (found := lowered.find(query, at)) >= 0:
        parts.append(
            Content.styled(shown_text[at:found], style) if style else Content(shown_text[at:found])
        )
        parts.append(
            Content.styled(shown_text[found : found + len(query)], f"{style} reverse".strip())
        )
        at = found + len(query)
    parts.append(Content.styled(shown_text[at:], style) if style else Content(shown_text[at:]))
    return Content.assemble(*parts)


def fate(action: Action, when: dict[str, date], today: date, carried: set[str]) -> Content:
    word, style = FATES[action.status]
    parts: list[Content | str | tuple[str, str]] = [(word, style)]
    if action.is_open:
        due = format_day(action.due_on, today)
        parts.append(
            (f", ! overdue since {due}", "bold $text-error")
            if action.is_overdue(today)
            else (f", due {due}", "$text-muted")
        )
    elif action.reviewed_in in when:
        parts.append((f" on {format_day(when[action.reviewed_in or ''], today)}", "$text-muted"))
    if action.id in carried:
        parts.append((", carried forward", "$text-muted"))
    return line(*parts)


def action_rows(
    action: Action, when: dict[str, date], today: date, carried: set[str], query: str = ""
) -> list[Content]:
    rows = [line("    ▸ ", marked(action.text, query), "  ", fate(action, when, today, carried))]
    if action.in_the_way:
        rows.append(
            line("      ", ("in the way: ", "italic"), marked(action.in_the_way, query, "italic"))
        )
    return rows


def story_detail(
    story: SessionStory,
    partnership: Partnership,
    today: date,
    when: dict[str, date],
    carried: set[str],
    partner_id: str | None,
    query: str = "",
) -> Content:
    session = story.session
    day = partnership.local_date(session.started_at)
    rows = [
        line(
            (format_day(day, today), "bold"),
            " · ",
            styled(attendance(partnership, session)),
            (" · set aside unfinished, kept as it stood", "italic $text-warning")
            if session.abandoned
            else "",
        )
    ]
    owners = [partner_id] if partner_id else _owners(story, partnership)
    for owner in owners:
        mine = story.for_partner(owner)
        block: list[Content] = []
        for kinds, title in SECTIONS:
            found = [e for e in mine.entries if e.kind in kinds]
            if found:
                block.append(Content.styled(f"  {title}", "bold"))
                for entry in found:
                    label = f"{entry.kind.label}: " if len(kinds) > 1 else ""
                    block.append(line("    ▸ ", (label, "$text-muted"), marked(entry.text, query)))
        if mine.reviewed:
            block.append(Content.styled("  Last time's actions, as reviewed", "bold"))
            for action in mine.reviewed:
                block += action_rows(action, when, today, carried, query)
        if mine.agreed:
            block.append(Content.styled("  Actions agreed, and what became of them", "bold"))
            for action in mine.agreed:
                block += action_rows(action, when, today, carried, query)
        if block:
            rows.append(Content(""))
            rows.append(styled(partnership.partner_name(owner), "bold $text-primary"))
            rows += block
    if len(rows) == 1:
        rows.append(Content.styled("Nothing was recorded in this session.", "italic"))
    return lines(rows)


def _owners(story: SessionStory, partnership: Partnership) -> list[str]:
    """Everyone with a part in the session: those present first, in the partnership's order."""
    order = [p.id for p in partnership.partners]
    found = {e.partner_id for e in story.entries}
    found |= {a.owner_id for a in (*story.reviewed, *story.agreed)}
    found |= set(story.session.present)
    return sorted(found, key=lambda p: (order.index(p) if p in order else len(order), p))


# The screen ---------------------------------------------------------------------------------------


def drawn(content: Content) -> tuple[str, tuple[object, ...]]:
    """What a Content looks like: its text and styles (Content's own == compares text only)."""
    return content.plain, tuple(content.spans)


@record
class _YearRead:
    year: int | None
    history: tuple[list[Session], list[Entry], list[Action]] | None
    years: list[int]
    """Every year with a history file, as listed when this one was read."""
    more: bool
    """Read to go further back (not to refresh a year already read)."""
    problem: str = ""


class HistoryScreen(MeetingScreen):
    DEFAULT_CSS = """
    HistoryScreen #history-bar { height: 1; background: $panel; padding: 0 1; }
    HistoryScreen #history-filters { height: auto; padding: 0 1; }
    HistoryScreen #history-search { width: 1fr; }
    HistoryScreen #history-partner { width: auto; padding: 0 1; color: $text-muted; }
    HistoryScreen #history-body { height: 1fr; }
    HistoryScreen #history-left { width: 36; max-width: 45%; height: 1fr; }
    HistoryScreen #history-list { height: 1fr; max-height: 1fr; }
    HistoryScreen #history-status { height: auto; color: $text-muted; padding: 0 1; }
    HistoryScreen #history-detail-scroll { width: 1fr; height: 1fr; padding: 0 1; }
    """

    AUTO_FOCUS = ""  # the list takes focus once its first rows are read
    BINDINGS = [
        Binding("slash", "search", "Search", key_display="/", id="search"),
        Binding("p", "partner", "Partner", id="partner"),
        # Priority: Escape first leaves the search box, then leaves the screen.
        Binding("escape", "back", "Back", priority=True, id="back"),
    ]

    class YearRead(Message):
        def __init__(self, read: _YearRead) -> None:
            super().__init__()
            self.read = read

    def __init__(self, meeting: Meeting) -> None:
        super().__init__(meeting)
        self.book = Book()
        self._years: list[int] | None = None
        """Every year with a history file (None until listed, on the thread)."""
        self._reading = False
        self._partner_id: str | None = None
        self._query = ""
        self._stories: list[SessionStory] = []
        self._when: dict[str, date] = {}
        """Each session read so far: its day, in the partnership's calendar."""
        self._carried: set[str] = set()
        """Actions carried forward into a later session."""
        self._shown: list[SessionStory] = []
        self._problem = ""
        self._drawn: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="history-bar", markup=False)
        with Horizontal(id="history-filters"):
            yield Field(
                "",
                placeholder="/ to search wins, obstacles, actions, what got in the way",
                compact=True,
                id="history-search",
            )
            yield Static(id="history-partner", markup=False)
        with Horizontal(id="history-body"):
            with Vertical(id="history-left"):
                yield RowList(id="history-list")
                yield Static(id="history-status", markup=False)
            with VerticalScroll(id="history-detail-scroll"):
                yield Static(id="history-detail", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        partnership = self.meeting.partnership
        name = partnership.name if partnership else ""
        self.query_one("#history-bar", Static).update(
            line(styled(name, "bold"), " · history of past sessions")
        )
        self._draw_partner()
        self._draw()
        self._read_more()

    # Reading, a year at a time ------------------------------------------------------------------

    @property
    def years_left(self) -> list[int]:
        """Years with history not read yet, newest first (None known yet: unknown)."""
        if self._years is None:
            return []
        return sorted((y for y in self._years if y not in self.book.years), reverse=True)

    @property
    def complete(self) -> bool:
        return self._years is not None and not self.years_left

    @property
    def reading(self) -> bool:
        return self._reading

    def _read_more(self) -> None:
        if self._reading or self.complete or self._problem:
            return
        self._reading = True
        self._draw_status()
        self._read_year(self.years_left[0] if self._years is not None else None, more=True)

    @work(thread=True, group="history")
    def _read_year(self, year: int | None, *, more: bool) -> None:
        """Read one year's file (the newest, when `year` is None) on a thread."""
        repository = self.meeting.repository
        try:
            years = repository.history_years()
            if year is None:
                year = years[-1] if years else None
            history = repository.read_history([year]) if year is not None else None
            read = _YearRead(year, history, years, more)
        except StoreError as error:
            read = _YearRead(year, None, [], more, f"The history could not be read: {error}")
        self.post_message(self.YearRead(read))

    @on(YearRead)
    def _year_read(self, message: YearRead) -> None:
        read = message.read
        if read.more:
            self._reading = False
        if read.problem:
            self._problem = read.problem
        else:
            self._years = read.years
            if read.year is not None and read.history is not None:
                self.book.add_year(read.year, read.history)
        self._rebuild()
        self._want_more()

    def _want_more(self) -> None:
        """Read the next older year if the list is short, the person is near its end, or a
        search or filter is looking for more."""
        if self.complete or self._reading:
            return
        rows = self.query_one("#history-list", RowList)
        index = rows.highlighted or 0
        if (
            len(self._shown) < PAGE
            or self._query
            or self._partner_id is not None
            or index >= len(self._shown) - 1 - NEAR_THE_END
        ):
            self._read_more()

    # Drawing ----------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        """The stories again, from the years read and the actions as they are now."""
        partnership = self.meeting.partnership
        self._stories = stories(self.book, self.meeting.state.actions.values())
        if partnership is not None:
            self._when = {s.id: partnership.local_date(s.started_at) for s in self.book.sessions}
        self._carried = {a.carried_from for a in self._all_actions() if a.carried_from}
        self._refilter()

    def _refilter(self) -> None:
        """The stories that match the search and the partner (each key typed in the search)."""
        self._shown = [
            s
            for s in self._stories
            if s.involves(self._partner_id) and s.for_partner(self._partner_id).matches(self._query)
        ]
        self._draw()

    def _draw(self) -> None:
        partnership = self.meeting.partnership
        if partnership is None:
            return
        today = self.meeting.today()
        rows = self.query_one("#history-list", RowList)
        years = {partnership.local_date(s.session.started_at).year for s in self._shown}
        width = 10 if years <= {today.year} else 15  # "Mon 29 Dec 2025" once years show
        rows.show_rows(
            [(s.session.id, guarded(story_row, s, partnership, today, width)) for s in self._shown]
        )
        if self.focused is None and rows.row_ids:
            self.set_focus(rows)
        self._draw_status()
        self._draw_detail()

    def _draw_status(self) -> None:
        if self._problem:
            text = Content.styled(self._problem, "$text-error")
        elif self._years is None:
            text = Content("Reading the history…")
        elif not self._years:
            text = Content("No sessions finished yet: they show here once they are.")
        else:
            read = sorted(self.book.years, reverse=True)
            span = f"{read[-1]}" if len(read) == 1 else f"{read[-1]} to {read[0]}"
            count = len(self._shown)
            what = "sessions" if not (self._query or self._partner_id) else "sessions found"
            text_ = f"{count} {what} · {span}"
            left = len(self.years_left)
            if self._reading:
                text_ += f" · reading {self.years_left[0]}…"
            elif left:
                text_ += f" · {left} older year{'s' if left != 1 else ''}: go down to read on"
            else:
                text_ += " · all of the history"
            text = Content(text_)
        if self._drawn.get("status") != drawn(text):
            self._drawn["status"] = drawn(text)
            self.query_one("#history-status", Static).update(text)

    def _selected(self) -> SessionStory | None:
        session_id = self.query_one("#history-list", RowList).highlighted_id
        return next((s for s in self._shown if s.session.id == session_id), None)

    def _draw_detail(self) -> None:
        partnership = self.meeting.partnership
        story = self._selected()
        if partnership is None:
            return
        if story is None:
            if self._query or self._partner_id:
                text = Content.styled("No session matches.", "italic")
            else:
                text = Content("")
        else:
            text = guarded(
                story_detail,
                story,
                partnership,
                self.meeting.today(),
                self._when,
                self._carried,
                self._partner_id,
                self._query,
            )
        if self._drawn.get("detail") != drawn(text):
            self._drawn["detail"] = drawn(text)
            self.query_one("#history-detail", Static).update(text)
            self.query_one("#history-detail-scroll", VerticalScroll).scroll_home(animate=False)

    def _all_actions(self) -> Iterable[Action]:
        yield from self.book.actions.values()
        yield from self.meeting.state.actions.values()

    def _draw_partner(self) -> None:
        name = self.meeting.partner_name(self._partner_id) if self._partner_id else "everyone"
        self.query_one("#history-partner", Static).update(
            line("Partner: ", styled(name, "bold"), (" (p)", "$text-muted"))
        )

    @on(OptionList.OptionHighlighted, "#history-list")
    def _highlighted(self) -> None:
        self._draw_detail()
        self._want_more()

    @on(Input.Changed, "#history-search Input")
    def _searched(self, event: Input.Changed) -> None:
        self._query = " ".join(event.value.split()).casefold()
        self._refilter()
        self._want_more()

    @on(Input.Submitted, "#history-search Input")
    def _search_done(self) -> None:
        self.set_focus(self.query_one("#history-list", RowList))

    # What the meeting says ------------------------------------------------------------------

    def meeting_changed(self, update: Update) -> None:
        finished = update.before.session
        if finished is not None and update.after.session is None and update.after.partnership:
            # A session moved to history (here or elsewhere): read its year again.
            year = update.after.partnership.local_date(finished.started_at).year
            self._read_year(year, more=False)
            return
        if update.before.actions is not update.after.actions:
            self._rebuild()

    # Keys ---------------------------------------------------------------------------------------

    def _typing(self) -> bool:
        return isinstance(self.focused, Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search":
            return not self._typing()
        if action == "partner":
            partnership = self.meeting.partnership
            return not self._typing() and partnership is not None
        return True

    def action_search(self) -> None:
        self.set_focus(self.query_one("#history-search", Field).input)

    def action_partner(self) -> None:
        partnership = self.meeting.partnership
        if partnership is None:
            return
        choices: list[str | None] = [None, *(p.id for p in partnership.partners)]
        index = choices.index(self._partner_id) if self._partner_id in choices else 0
        self._partner_id = choices[(index + 1) % len(choices)]
        self._draw_partner()
        self._refilter()
        self._want_more()

    def action_back(self) -> None:
        if self._typing():
            self.set_focus(self.query_one("#history-list", RowList))
            return
        self.dismiss()

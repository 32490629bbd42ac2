"""Home: the partnership, when the next session is due, and everyone's open actions."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from facilitator.domain.actions import Action
from facilitator.domain.dates import describe_due, format_day
from facilitator.domain.partnership import Partner
from facilitator.domain.state import MeetingState
from facilitator.meeting import Update
from facilitator.ui.screens.base import MeetingScreen
from facilitator.ui.text import guarded, line, styled
from facilitator.ui.widgets.hanging import HangingRows
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.status import SaveStatus

CARD_ACTIONS = 5
"""Open actions shown per partner on a card; the rest are counted."""

EMPTY, MARKER, INDENT = Content(""), Content("▸ "), Content("  ")
OVERDUE = Content.assemble("  ", ("! ", "bold $text-error"))


def action_lines(
    actions: list[Action], today: date, limit: int = CARD_ACTIONS, count: int | None = None
) -> HangingRows:
    """The first `limit` of `actions` (soonest due first) and, past them, how many more of
    `count` (all of them, by default) there are."""
    count = len(actions) if count is None else count
    if not actions:
        return HangingRows([(EMPTY, Content.styled("No open actions.", "italic"))])
    rows = []
    for action in actions[:limit]:
        due = f"due {format_day(action.due_on, today)}"
        rows.append((MARKER, styled(action.text)))
        if action.is_overdue(today):
            overdue = f"{due}, {describe_due(action.due_on, today)}"
            rows.append((OVERDUE, Content.styled(overdue, "bold $text-error")))
        else:
            rows.append((INDENT, Content.styled(due, "$text-muted")))
    if count > limit:
        more = f"… and {count - limit:,} more · p lists them all"
        rows.append((EMPTY, Content.styled(more, "italic")))
    return HangingRows(rows)


class PartnerCard(Static):
    """One partner's open actions, under their name in its border: one widget, built with its
    content, so home's first frame is whole."""

    def __init__(self, partner: Partner, heads: tuple[list[Action], int], today: date) -> None:
        super().__init__(markup=False, classes="card")
        self.partner_id = partner.id
        self._drawn: tuple[object, ...] | None = None
        self.draw(partner.name, heads, today)

    def draw(self, name: str, heads: tuple[list[Action], int], today: date) -> None:
        """`heads`: the partner's first open actions, soonest due first, and how many are open."""
        actions, count = heads
        key = (name, tuple(actions), count, today)
        if key == self._drawn:
            return
        self._drawn = key
        # Content, never a str: a str border title is parsed as markup.
        self.border_title = line(styled(name), f"'s open actions ({count})")
        self.update(guarded(action_lines, actions, today, CARD_ACTIONS, count))


class HomeScreen(MeetingScreen):
    STYLE_FILE = "screens/home.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding("s", "start", "Start session", id="start"),
        Binding("r", "resume", "Resume session", id="resume"),
        # What the offer to resume was before it moved onto home (a dialog, "Resume" focused).
        Binding("enter", "resume", "Resume session", show=False, id="resume_enter"),
        Binding("d", "set_aside", "Discard session", id="set_aside"),
        Binding("p", "prep", "Prepare", id="prep"),
        Binding("g", "app.open('goals')", "Goals", id="goals"),
        Binding("h", "app.open('history')", "History", id="history"),
        Binding("a", "app.open('agreement')", "Agreement", id="agreement"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    _heads: tuple[MeetingState, dict[str, tuple[list[Action], int]]] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="home-bar"):
            yield Static(id="title", markup=False)
            yield SaveStatus(id="save-status")
        with VerticalScroll(id="home"):
            yield Static(id="about", markup=False)
            yield Static(id="due", markup=False)
            yield Static(id="unfinished", markup=False)
            state = self.meeting.state
            partnership = state.partnership
            by_owner = self._action_heads(state)
            today = self.meeting.today()
            with Grid(id="partners"):
                for partner in partnership.partners if partnership else ():
                    yield PartnerCard(partner, by_owner.get(partner.id, ([], 0)), today)
        yield KeyBar()

    def on_screen_resume(self) -> None:
        """Shown (the first time, or back from a session): draw it as the meeting is now."""
        self.refresh_view()
        self.refresh_bindings()

    def meeting_changed(self, update: Update) -> None:
        # Textual counts the screen just under the top one as current even when the top one
        # (a session) hides it; home redraws on its return, so it only redraws now when it
        # shows: on top, or under a see-through dialog.
        top = self.app.screen
        if top is self or (self.is_current and top.styles.background.a < 1):
            for note in update.activity:
                if note.to == self.meeting.author.client:
                    self.notify(f"{note.label} {note.text}.", severity="warning", markup=False)
            for notice in update.notices:
                self.notify(notice, severity="warning", markup=False, timeout=8)
            self.refresh_view()
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        has_session = self.meeting.session is not None
        if action in ("resume", "set_aside"):
            return has_session
        if action == "start":
            return not has_session
        return True

    def refresh_view(self) -> None:
        meeting = self.meeting
        state = meeting.state
        partnership = meeting.partnership
        if partnership is None:
            return
        today = meeting.today()
        self.query_one("#title", Static).update(styled(partnership.name, "bold"))
        self.query_one(SaveStatus).show(meeting)
        names = Content(", ").join([styled(p.name) for p in partnership.partners])
        self.query_one("#about", Static).update(
            line(
                names,
                f" · {partnership.cadence_label} · {partnership.session_minutes}-minute sessions",
            )
        )
        self.query_one("#due", Static).update(self._due_text(state, today))
        unfinished = self.query_one("#unfinished", Static)
        if state.live is not None:
            unfinished.update(self._unfinished_text(state, today))
        unfinished.display = state.live is not None
        self._draw_cards(state, today)

    def _draw_cards(self, state: MeetingState, today: date) -> None:
        partnership = state.partnership
        assert partnership is not None
        grid = self.query_one("#partners", Grid)
        cards = list(grid.query(PartnerCard))
        by_owner = self._action_heads(state)
        if [c.partner_id for c in cards] != [p.id for p in partnership.partners]:
            grid.remove_children()
            grid.mount_all(
                PartnerCard(p, by_owner.get(p.id, ([], 0)), today) for p in partnership.partners
            )
            return
        for card, partner in zip(cards, partnership.partners, strict=True):
            card.draw(partner.name, by_owner.get(partner.id, ([], 0)), today)

    def _action_heads(self, state: MeetingState) -> dict[str, tuple[list[Action], int]]:
        """Each card's first actions, worked out once per state: the first draw asks twice
        (building the cards, then showing the screen), and every action is looked at."""
        if self._heads is None or self._heads[0] is not state:
            self._heads = (state, state.open_action_heads(CARD_ACTIONS))
        return self._heads[1]

    def _unfinished_text(self, state: MeetingState, today: date) -> Content:
        """The offer to pick up a session left unfinished (a quit, a crash, a dropped
        connection), or to join it where another screen has it running."""
        meeting = self.meeting
        session = state.live
        assert session is not None
        turn = session.current_turn
        if meeting.others and session.timer.running:
            how = " It is running on another screen now: you'll join it as it is."
            keys = line("Press ", ("r", "bold"), " or ", ("Enter", "bold"), " to join it.")
        else:
            how = " It resumes with its timer paused; everything entered so far is kept."
            keys = line(
                "Press ",
                ("r", "bold"),
                " or ",
                ("Enter", "bold"),
                " to resume it, ",
                ("d", "bold"),
                " to discard it.",
            )
        return line(
            ("Pick up where you left off?", "bold"),
            f"\nThe session from {format_day(meeting.session_date(), today)} is unfinished: "
            f"{turn.phase.title}, ",
            styled(state.partner_name(turn.partner_id)),
            "'s turn.",
            how,
            " ",
            keys,
        )

    @staticmethod
    def _due_text(state: MeetingState, today: date) -> Content:
        partnership = state.partnership
        assert partnership is not None
        if partnership.last_session_on is None:
            return line(
                ("No sessions yet.", "bold"),
                " Your first session is for sharing goals; start it when you're ready.",
            )
        due = partnership.next_session_due()
        last = (
            f"Last session: {format_day(partnership.last_session_on, today)}   Next session due: "
        )
        days = (due - today).days
        if days < 0:
            plural = "s" if days < -1 else ""
            when: Content = Content.styled(
                f"{format_day(due, today)}, overdue by {-days} day{plural}", "bold $text-error"
            )
        elif days == 0:
            when = Content.styled(f"today, {format_day(due, today)}", "bold")
        else:
            when = line((format_day(due, today), "bold"), f" ({describe_due(due, today)})")
        return line(last, when)

    def action_start(self) -> None:
        from facilitator.ui.screens.attendance import AttendanceScreen

        meeting = self.meeting
        if meeting.session is not None:
            self.notify("There is an unfinished session: press r to resume it.")
            return

        def chosen(present: list[str] | None) -> None:
            if present:
                meeting.begin_session(present)
                self.app.open_session(resume=False)  # type: ignore[attr-defined]

        self.app.push_screen(AttendanceScreen(meeting), chosen)

    def action_set_aside(self) -> None:
        """Discard the unfinished session (after a yes), so it never blocks the next one: it
        goes to history as set aside, with everything entered in it."""
        from facilitator.ui.screens.confirm import ConfirmScreen

        session = self.meeting.session
        if session is None:
            return
        when = format_day(self.meeting.session_date(), self.meeting.today())

        def answered(yes: bool | None) -> None:
            if yes and self.meeting.session is not None:
                self.meeting.set_aside_session()
                self.notify("Set aside. Its entries are kept in the history.")

        self.app.push_screen(
            ConfirmScreen(
                f"Discard the unfinished session of {when}?",
                "It won't be resumed. What was entered in it is kept in the history as a "
                "set-aside session; its actions stay open for the next session.",
                yes="Discard it",
                no="Keep it",
            ),
            answered,
        )

    def action_prep(self) -> None:
        self.app.open_prep(None)  # type: ignore[attr-defined]

    def action_resume(self) -> None:
        if self.meeting.session is None:
            self.notify("There's no unfinished session to resume.")
            return
        self.app.open_session(resume=True)  # type: ignore[attr-defined]

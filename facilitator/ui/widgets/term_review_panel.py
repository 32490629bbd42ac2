"""The term review: step back from the weeks since the last review, one partner at a time.

Per goal, the progress over the term as a chart (Textual's Sparkline) with the target, the
deadline and a verdict in words; how the term's actions were followed through; what got in
the way of the ones missed, recurring words picked out; and keys to recalibrate (edit a
goal's target or deadline, set a new goal, drop one). The term's history is read in a thread,
so the screen answers while it loads; only the year files the term touches are read.
"""

from __future__ import annotations

import re
from datetime import date, tzinfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Sparkline, Static

from facilitator.domain.actions import Action, ActionStatus, Entry
from facilitator.domain.dates import format_day
from facilitator.domain.goals import MILESTONE_DONE, Goal, GoalStatus, MeasureKind, Verdict, number
from facilitator.domain.record import record
from facilitator.domain.session import Session
from facilitator.domain.state import MeetingState
from facilitator.domain.term import GoalTrack, Term, TermSummary, summarise_term, term_for
from facilitator.meeting import Meeting
from facilitator.store.errors import StoreError
from facilitator.ui.text import REVIEWED_MARKS, guarded, line, lines, shown, styled
from facilitator.ui.widgets.goal_lines import VERDICT_MARKS
from facilitator.ui.widgets.phase_panel import PhasePanel, heading
from facilitator.ui.widgets.rows import RowList


def verdict_mark(verdict: Verdict) -> tuple[str, str]:
    """A verdict as a symbol and words (never colour alone), as everywhere goals show."""
    return VERDICT_MARKS.get(verdict, (verdict.value, "bold"))


REASONS_LISTED = 8
"""Misses listed with what got in the way (the latest first); the rest are counted."""
_WORD = re.compile(r"[^\W\d_]{4,}")

CHART_TEXTS = ("term-chart-title", "term-chart-scale", "term-chart-detail")
History = tuple[list[Session], list[Entry], list[Action]]


# Lines -------------------------------------------------------------------------------------


def amount(value: float | None, unit: str) -> str:
    if value is None:
        return "nothing yet"
    return f"{number(value)} {unit}".strip()


def goal_line(track: GoalTrack, today: date) -> Content:
    goal = track.goal
    word, style = verdict_mark(track.verdict)
    parts: list[Content | str | tuple[str, str]] = [(word, style), "  ", styled(goal.what)]
    if goal.kind is MeasureKind.NUMBER and goal.target is not None:
        parts += ["  ", (f"{amount(track.latest, '')} of {amount(goal.target, goal.unit)}", "")]
    if goal.deadline is not None:
        parts += ["  ", (f"by {format_day(goal.deadline, today)}", "$text-muted")]
    return line(*parts)


def deadline_words(track: GoalTrack, today: date) -> str:
    goal = track.goal
    if goal.deadline is None:
        return "No deadline yet."
    day = format_day(goal.deadline, today)
    days = track.days_left or 0
    if days < 0:
        return f"Deadline {day}: passed {-days} day{'s' if days < -1 else ''} ago."
    if days == 0:
        return f"Deadline {day}: today."
    if days < 14:
        return f"Deadline {day}: {days} day{'s' if days > 1 else ''} left."
    return f"Deadline {day}: {days // 7} weeks left."


def chart_title(track: GoalTrack) -> Content:
    word, style = verdict_mark(track.verdict)
    return line((word, style), "  ", styled(track.goal.what, "bold"))


def chart_scale(track: GoalTrack) -> Content:
    """What the chart's lowest and highest bars stand for."""
    if not track.series:
        return Content("")
    unit = track.goal.unit
    low, high = min(track.series), max(track.series)
    readings = f"{track.readings} reading{'s' if track.readings != 1 else ''} this term"
    if low == high:
        return Content.styled(f"flat at {amount(low, unit)} · {readings}", "$text-muted")
    return Content.styled(
        f"▁ {amount(low, unit)} to █ {amount(high, unit)} · {readings}", "$text-muted"
    )


def chart_lines(track: GoalTrack, today: date) -> Content:
    """What the chart means, in words, the most important first: where it stands against the
    target and the deadline, then where a steady pace would be."""
    goal = track.goal
    rows: list[Content] = []
    if goal.kind is MeasureKind.NUMBER and goal.target is not None:
        share = track.share_of_target
        now = f"Now {amount(track.latest, goal.unit)} of {amount(goal.target, goal.unit)}"
        if share is not None:
            now += f" ({max(0, round(share * 100))}% of the way)"
        rows.append(Content(now + ". " + deadline_words(track, today)))
        pace = []
        if track.expected_now is not None and goal.is_active:
            pace.append(f"A steady pace would be at {amount(track.expected_now, goal.unit)} now")
        if track.at_start is not None and track.latest is not None:
            pace.append(f"{amount(track.at_start, goal.unit)} when the term began")
        if pace:
            rows.append(Content.styled("; ".join(pace) + ".", "$text-muted"))
    elif goal.kind is MeasureKind.MILESTONE:
        done = track.latest is not None and track.latest >= MILESTONE_DONE
        rows.append(
            Content(
                f"A yes/no milestone: {'done' if done else 'not done yet'}. "
                + deadline_words(track, today)
            )
        )
    else:
        rows.append(
            Content(
                "No measure yet: press e to give it one (a number or a milestone). "
                + deadline_words(track, today)
            )
        )
    return lines(rows)


def follow_through_lines(summary: TermSummary) -> Content:
    counts = summary.follow_through
    rows = [
        Content.styled(
            f"Actions this term: {counts.total} reviewed in {summary.sessions} "
            f"session{'s' if summary.sessions != 1 else ''}",
            "bold",
        )
    ]
    by_status = {
        ActionStatus.DONE: counts.done,
        ActionStatus.PARTLY: counts.partly,
        ActionStatus.NOT_DONE: counts.not_done,
        ActionStatus.DROPPED: counts.dropped,
    }
    for status, (word, style) in REVIEWED_MARKS.items():
        rows.append(line("  ", (f"{word:<14}", style), f"{by_status[status]:>4}"))
    rate = counts.rate
    if rate is not None:
        rows.append(
            line(
                "  Followed through: ",
                (f"{round(rate * 100)}%", "bold"),
                (" (partly done counts half)", "$text-muted"),
            )
        )
    if summary.sessions and summary.attended < summary.sessions:
        rows.append(Content(f"  At {summary.attended} of the {summary.sessions} sessions."))
    rows.append(Content(f"  Open now: {summary.still_open}"))
    return lines(rows)


def marked_reason(text: str, recurring: set[str]) -> Content:
    """A reason as typed, its recurring words underlined and bold (not colour alone)."""
    text = shown(text)
    parts: list[Content | str | tuple[str, str]] = []
    at = 0
    for match in _WORD.finditer(text):
        if match.group().casefold() in recurring:
            parts.append(Content(text[at : match.start()]))
            parts.append((match.group(), "bold underline"))
            at = match.end()
    parts.append(Content(text[at:]))
    return line(*parts)


def reason_lines(summary: TermSummary, sessions: dict[str, date], today: date) -> Content:
    rows = [Content.styled("What got in the way", "bold")]
    if not summary.misses:
        rows.append(Content.styled("  Nothing missed this term. 🎉", "italic"))
        return lines(rows)
    if summary.reasons:
        recurring = line(
            "  Comes up again and again: ",
            Content(" · ").join(
                [
                    line((shown(word), "bold underline"), f" ×{count}")
                    for word, count in summary.reasons
                ]
            ),
        )
        rows.append(recurring)
    words = {word for word, _ in summary.reasons}
    listed = summary.misses[:REASONS_LISTED]
    for action in listed:
        day = sessions.get(action.reviewed_in or "")
        when = f"{format_day(day, today)} " if day else ""
        rows.append(
            line(
                "  ▸ ",
                (when, "$text-muted"),
                styled(action.text),
                ("  " + action.status.label, "$text-muted"),
            )
        )
        if action.in_the_way:
            rows.append(
                line("      ", ("in the way: ", "italic"), marked_reason(action.in_the_way, words))
            )
    if len(summary.misses) > len(listed):
        rows.append(Content.styled(f"  … and {len(summary.misses) - len(listed)} more", "italic"))
    return lines(rows)


# The panel -----------------------------------------------------------------------------------


@record
class _Read:
    term: Term
    history: History | None
    problem: str = ""


class TermReviewPanel(PhasePanel):
    """Phase kind "term_review", one turn per partner."""

    DEFAULT_CSS = """
    TermReviewPanel #term-body { height: 1fr; }
    TermReviewPanel #term-goals-side { width: 3fr; height: 1fr; padding: 0 1 0 0; }
    TermReviewPanel #term-side { width: 2fr; height: 1fr; }
    TermReviewPanel #term-goals { height: auto; max-height: 7; min-height: 1; }
    TermReviewPanel #term-no-goals { color: $text-muted; height: auto; }
    TermReviewPanel #term-chart-title { height: auto; }
    TermReviewPanel #term-chart { height: 2; margin: 0 0 0 2; }
    TermReviewPanel #term-chart-scale { height: 1; padding: 0 0 0 2; }
    TermReviewPanel #term-chart-detail { height: auto; padding: 0 0 0 2; }
    TermReviewPanel #term-follow { height: auto; margin: 0 0 1 0; }
    TermReviewPanel #term-reasons { height: auto; }
    TermReviewPanel #term-loading { color: $text-muted; text-style: italic; height: auto; }
    """

    BINDINGS = [
        Binding("e", "edit_goal", "Edit goal", id="edit_goal"),
        Binding("n", "new_goal", "New goal", id="new_goal"),
        Binding("x", "drop_goal", "Drop goal", id="drop_goal"),
        Binding("p", "next_partner", "Partner", id="next_partner"),
    ]

    class HistoryRead(Message):
        """The term's history, read on a thread, arrives on the screen's thread."""

        def __init__(self, read: _Read) -> None:
            super().__init__()
            self.read = read

    def __init__(self, meeting: Meeting, *, id: str | None = None) -> None:
        super().__init__(meeting, id=id)
        self._read: _Read | None = None
        self._reading: Term | None = None
        self._summary: TermSummary | None = None
        """The whole summary, once the term's history is read."""
        self._shown: TermSummary | None = None
        """The summary drawn now (its goals are live; the rest waits for the history)."""
        self._viewing: str | None = None
        """In a turn the group takes together: whose term is shown."""
        self._drawn: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="term-heading", classes="panel-heading", markup=False)
        with Horizontal(id="term-body"):
            with Vertical(id="term-goals-side"):
                yield RowList(id="term-goals")
                yield Static(id="term-no-goals", markup=False)
                yield Static(id="term-chart-title", markup=False)
                yield Sparkline([], id="term-chart")
                yield Static(id="term-chart-scale", markup=False)
                yield Static(id="term-chart-detail", markup=False)
            with VerticalScroll(id="term-side"):
                yield Static(id="term-loading", markup=False)
                yield Static(id="term-follow", markup=False)
                yield Static(id="term-reasons", markup=False)

    # Whose term -----------------------------------------------------------------------------

    def _partners(self, state: MeetingState) -> list[str]:
        """Everyone whose term there is to review: those who bring goals of their own."""
        partnership = state.partnership
        if partnership is None:
            return []
        supporters = partnership.agreement.supporters()
        ids = [p.id for p in partnership.partners]
        return [p for p in ids if p not in supporters] or ids

    def whose(self, state: MeetingState) -> str | None:
        """The partner whose term is shown: the turn's, or in a turn the group takes together,
        the one chosen with p (the first, to begin with)."""
        if self.partner_id is not None:
            return self.partner_id
        partners = self._partners(state)
        if self._viewing not in partners:
            self._viewing = partners[0] if partners else None
        return self._viewing

    def action_next_partner(self) -> None:
        partners = self._partners(self.meeting.state)
        current = self.whose(self.meeting.state)
        if current is None or len(partners) < 2:
            return
        self._viewing = partners[(partners.index(current) + 1) % len(partners)]
        self.redraw(self.meeting.state)
        self.focus_default()
        self.screen.refresh_bindings()

    # Reading the term's history ---------------------------------------------------------------

    def term(self, state: MeetingState) -> Term | None:
        partnership = state.partnership
        if partnership is None:
            return None
        return term_for(partnership, state.today(self.meeting.now()))

    def _ensure_read(self, state: MeetingState) -> None:
        term = self.term(state)
        if term is None or state.partnership is None:
            return
        if (self._read is not None and self._read.term == term) or self._reading == term:
            return
        self._reading = term
        self._read_history(term, state.partnership.zone)

    @work(thread=True, exclusive=True, group="term-history")
    def _read_history(self, term: Term, zone: tzinfo) -> None:
        try:
            history: History | None = self.meeting.repository.read_history_between(
                term.start, term.end, zone
            )
            read = _Read(term, history)
        except StoreError as error:
            read = _Read(term, None, f"The history could not be read: {error}")
        self.post_message(self.HistoryRead(read))

    @on(HistoryRead)
    def _history_read(self, message: HistoryRead) -> None:
        message.stop()
        if message.read.term != self._reading:
            return
        self._read, self._reading = message.read, None
        self.redraw(self.meeting.state)
        self.screen.refresh_bindings()

    @property
    def loaded(self) -> bool:
        """Whether the term's history has been read and drawn (for tests and benchmarks)."""
        return self._read is not None and self._summary is not None

    # Drawing -------------------------------------------------------------------------------------

    def redraw(self, state: MeetingState) -> None:
        partner_id = self.whose(state)
        if partner_id is None or state.partnership is None:
            return
        self._ensure_read(state)
        term = self.term(state)
        assert term is not None
        today = state.today(self.meeting.now())
        name = state.partner_name(partner_id)
        read = self._read if self._read is not None and self._read.term == term else None
        sessions: list[Session] = []
        actions: list[Action] = []
        if read is not None and read.history is not None:
            sessions, _, actions = read.history
            sessions = list(sessions)
        if state.live is not None:
            sessions.append(state.live)
        summary = summarise_term(
            state.partnership,
            term,
            partner_id,
            sessions=sessions,
            actions=[*actions, *state.actions.values()],
            goals=state.goals.values(),
            today=today,
        )
        self._shown = summary  # its goals are live: they don't wait for the history
        self._summary = summary if read is not None else None
        weeks = f"{term.weeks} week{'s' if term.weeks != 1 else ''}"
        self._update(
            "#term-heading",
            heading(
                f"{name}'s term",
                f": {format_day(term.start, today)} to {format_day(term.end, today)} ({weeks})",
            ),
        )
        self._draw_goals(summary, today)
        loading = self.query_one("#term-loading", Static)
        follow = self.query_one("#term-follow", Static)
        reasons = self.query_one("#term-reasons", Static)
        if read is None:
            self._update("#term-loading", Content("Reading this term's history…"))
            loading.display, follow.display, reasons.display = True, False, False
            return
        if read.problem:
            self._update("#term-loading", Content(read.problem))
            loading.display, follow.display, reasons.display = True, False, False
            return
        loading.display, follow.display, reasons.display = False, True, True
        dates = {s.id: state.partnership.local_date(s.started_at) for s in sessions}
        self._update("#term-follow", guarded(follow_through_lines, summary))
        self._update("#term-reasons", guarded(reason_lines, summary, dates, today))

    def _update(self, selector: str, content: Content) -> None:
        """Update a Static only when its content changed (an update lays out again)."""
        # Content's own == compares the text only: a change of style must redraw too.
        key = (content.plain, tuple(content.spans))
        if self._drawn.get(selector) != key:
            self._drawn[selector] = key
            self.query_one(selector, Static).update(content)

    def _draw_goals(self, summary: TermSummary, today: date) -> None:
        rows = self.query_one("#term-goals", RowList)
        rows.show_rows([(t.goal.id, guarded(goal_line, t, today)) for t in summary.goals])
        none = self.query_one("#term-no-goals", Static)
        none.display = not summary.goals
        if not summary.goals:
            self._update(
                "#term-no-goals",
                Content("No goals to look back on: press n to set one."),
            )
        self._draw_chart()

    def _track(self) -> GoalTrack | None:
        if self._shown is None:
            return None
        goal_id = self.query_one("#term-goals", RowList).highlighted_id
        return next((t for t in self._shown.goals if t.goal.id == goal_id), None)

    def _draw_chart(self) -> None:
        chart = self.query_one("#term-chart", Sparkline)
        parts = [self.query_one(f"#{name}", Static) for name in CHART_TEXTS]
        track = self._track()
        if track is None:
            chart.display = False
            for part in parts:
                part.display = False
            return
        today = self.meeting.today()
        series = list(track.series)
        charted = track.goal.kind is MeasureKind.NUMBER and bool(series)
        chart.display = charted
        for part in parts:
            part.display = part.id != "term-chart-scale" or charted
        if len(series) == 1:
            series = series * 2  # one value: a flat line, not a full bar
        if chart.data != series:
            chart.data = series
        self._update("#term-chart-title", guarded(chart_title, track))
        self._update("#term-chart-scale", guarded(chart_scale, track))
        self._update("#term-chart-detail", guarded(chart_lines, track, today))

    @on(OptionList.OptionHighlighted, "#term-goals")
    def _goal_highlighted(self) -> None:
        self._draw_chart()
        self.screen.refresh_bindings()

    # What the session screen asks ------------------------------------------------------------

    def current_item(self) -> Content | None:
        track = self._track()
        return guarded(goal_line, track, self.meeting.today()) if track is not None else None

    # Recalibrating -------------------------------------------------------------------------------

    def _goal(self) -> Goal | None:
        track = self._track()
        if track is None:
            return None
        return self.meeting.state.goals.get(track.goal.id)

    def action_edit_goal(self) -> None:
        goal = self._goal()
        if goal is None or not goal.is_active:
            return
        self._open_goal_form(goal, goal.owner_id)

    def action_new_goal(self) -> None:
        partner_id = self.whose(self.meeting.state)
        if partner_id is not None:
            self._open_goal_form(None, partner_id)

    def _open_goal_form(self, goal: Goal | None, owner_id: str) -> None:
        from facilitator.ui.screens.goal_form import GoalForm, SavedGoal

        def saved(result: SavedGoal | None) -> None:
            if result is None:
                return
            self.meeting.save_goal(result.goal, reason=result.reason)
            verb = "Changed" if goal is not None else "New goal"
            self.notify(result.goal.what, title=verb, markup=False)
            self.query_one("#term-goals", RowList).highlight(result.goal.id)

        self.app.push_screen(GoalForm(self.meeting, goal, owner_id), saved)

    def action_drop_goal(self) -> None:
        goal = self._goal()
        if goal is None or not goal.is_active:
            return
        from facilitator.ui.screens.confirm import ConfirmScreen

        def answered(drop: bool | None) -> None:
            if drop:
                self.meeting.close_goal(goal.id, GoalStatus.DROPPED)
                self.notify(goal.what, title="Goal dropped", markup=False)

        self.app.push_screen(
            ConfirmScreen(
                line("Drop the goal ", styled(goal.what, "bold"), "?"),
                "It stays in the record as dropped, with its progress. Letting a goal go "
                "is part of the practice.",
                yes="Drop it",
                no="Keep it",
            ),
            answered,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed:
            return allowed
        if action in ("edit_goal", "drop_goal"):
            goal = self._goal()
            return goal is not None and goal.is_active
        if action == "new_goal":
            return self.whose(self.meeting.state) is not None
        if action == "next_partner":
            return self.partner_id is None and len(self._partners(self.meeting.state)) > 1
        return True

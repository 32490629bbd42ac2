"""Solo preparation: one partner's own look at their open actions and goals, and a written
update for the next session, kept as a draft that only the session brings to the pair.

Statuses marked here are not applied: in the session's review the pair sees them and confirms
or changes each one together. One partner's preparation is never shown in another's.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from facilitator.domain.actions import Action, ActionStatus
from facilitator.domain.dates import format_day
from facilitator.domain.goals import Goal, verdict
from facilitator.domain.prep import Prep, PreparedStatus, clean_update
from facilitator.domain.text import InvalidText
from facilitator.meeting import Meeting, Update
from facilitator.ui.screens.base import MeetingScreen
from facilitator.ui.text import guarded, line, styled
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.inputs import CleanInput
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.review_panel import MARKS, review_line
from facilitator.ui.widgets.rows import RowList
from facilitator.ui.widgets.status import SaveStatus

QUESTIONS = (
    ("progressed", "How have you progressed since our last meeting?"),
    ("focus", "What is your focus or target until next time?"),
    ("help", "Do you need help with anything?"),
)


def prepared_line(action: Action, prepared: PreparedStatus | None, today: date) -> Content:
    base = review_line(action, today)
    if prepared is None:
        return base
    mark, style = MARKS[prepared.status]
    parts: list[Content | str | tuple[str, str]] = [
        base,
        "  ",
        ("prepared: ", "italic"),
        (mark, style),
    ]
    if prepared.in_the_way:
        parts += [" · ", styled(prepared.in_the_way, "italic")]
    return line(*parts)


class PrepScreen(MeetingScreen):
    STYLE_FILE = "screens/home.tcss"  # shared with home
    BINDINGS = [
        Binding("d", "prepare('done')", "Done", id="prep_done"),
        Binding("p", "prepare('partly')", "Partly", id="prep_partly"),
        Binding("n", "prepare('not_done')", "Not done", id="prep_not_done"),
        Binding("x", "prepare('dropped')", "Drop", id="prep_dropped"),
        Binding("u", "unprepare", "Clear", id="prep_clear"),
        Binding("w", "write", "Write update", id="prep_write"),
        Binding("escape", "leave", "Back", id="prep_back"),
    ]

    def __init__(self, meeting: Meeting, partner_id: str) -> None:
        super().__init__(meeting)
        self.partner_id = partner_id

    def compose(self) -> ComposeResult:
        with Horizontal(id="prep-bar"):
            yield Static(id="prep-title", markup=False)
            yield SaveStatus(id="save-status")
        with VerticalScroll(id="prep"):
            yield Static(id="prep-intro", markup=False)
            yield Static(id="prep-actions-heading", classes="prep-heading", markup=False)
            yield RowList(id="prep-actions")
            yield Static(id="prep-no-actions", markup=False)
            yield Static(id="prep-goals", markup=False)
            yield Static(
                Content.styled("Your update for the session", "bold"),
                classes="prep-heading",
                markup=False,
            )
            prep = self.meeting.prep_of(self.partner_id)
            for key, question in QUESTIONS:
                yield Field(question, value=getattr(prep, key), id=f"update-{key}")
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_view()
        rows = self.query_one("#prep-actions", RowList)
        # The page opens at its top (what it is for), whatever is focused below it.
        if rows.row_ids:
            self.set_focus(rows, scroll_visible=False)
        else:
            self.set_focus(self.query_one("#update-progressed", Field).input, scroll_visible=False)

    def meeting_changed(self, update: Update) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        meeting = self.meeting
        state = meeting.state
        today = meeting.today()
        name = state.partner_name(self.partner_id)
        self.query_one("#prep-title", Static).update(
            line(("Preparing as ", "bold"), styled(name, "bold"))
        )
        self.query_one(SaveStatus).show(meeting)
        self.query_one("#prep-intro", Static).update(
            line(
                "For the next session (",
                (
                    format_day(meeting.next_session_date() if state.live else self._next(), today),
                    "bold",
                ),
                "). Only you see this until the session, where you and your partner confirm "
                "each status together. Everything is saved as you go.",
            )
        )
        prep = meeting.prep_of(self.partner_id)
        actions = [a for a in state.open_actions_by_owner().get(self.partner_id, []) if a.is_open]
        # One look-up per action: a partner may have hundreds open and most of them prepared.
        prepared = {status.action_id: status for status in prep.statuses}
        self.query_one("#prep-actions-heading", Static).update(
            line(
                ("Your open actions", "bold"),
                f" · {sum(1 for a in actions if a.id in prepared)} of {len(actions)} prepared",
            )
        )
        self.query_one("#prep-actions", RowList).show_records(
            [(a.id, (a, prepared.get(a.id), today)) for a in actions],
            lambda key: guarded(prepared_line, *key),
        )
        empty = self.query_one("#prep-no-actions", Static)
        empty.display = not actions
        empty.update(Content.styled("No open actions: nothing to mark.", "italic"))
        goals = state.goals_of(self.partner_id, active_only=True)
        self.query_one("#prep-goals", Static).update(
            line(("Your goals", "bold"), "\n", *self._goal_lines(goals, today))
            if goals
            else Content.styled("No goals yet.", "italic")
        )

    def _next(self) -> date:
        return self.meeting.the_partnership.next_session_due()

    @staticmethod
    def _goal_lines(goals: list[Goal], today: date) -> list[Content | str]:
        rows: list[Content | str] = []
        for goal in goals:
            latest = goal.latest
            now = f" · now {latest.value:g}" if latest and latest.value is not None else ""
            rows.append(
                line(
                    "▸ ",
                    styled(goal.what),
                    f" · {goal.describe_measure()}{now} · ",
                    (verdict(goal, today).value, "italic"),
                    "\n",
                )
            )
        return rows

    # Statuses ahead of the meeting ----------------------------------------------------------

    def _selected(self) -> Action | None:
        return self.meeting.state.action(self.query_one("#prep-actions", RowList).highlighted_id)

    def action_prepare(self, status_value: str) -> None:
        action = self._selected()
        if action is None:
            return
        status = ActionStatus(status_value)
        prep = self.meeting.prep_of(self.partner_id)
        if status.may_carry:
            from facilitator.ui.screens.in_the_way import InTheWayScreen

            earlier = prep.status_of(action.id)

            def answered(result: tuple[str, bool] | None) -> None:
                if result is not None:
                    self._save_status(action, status, result[0])

            self.app.push_screen(
                InTheWayScreen(
                    action, status, note=earlier.in_the_way if earlier else "", ask_carry=False
                ),
                answered,
            )
            return
        self._save_status(action, status, "")

    def _save_status(self, action: Action, status: ActionStatus, note: str) -> None:
        prep = self.meeting.prep_of(self.partner_id)
        prepared = PreparedStatus(action_id=action.id, status=status, in_the_way=note)
        self.meeting.save_prep(prep.with_status(prepared, action.id, self.meeting.now()))

    def action_unprepare(self) -> None:
        action = self._selected()
        if action is not None:
            prep = self.meeting.prep_of(self.partner_id)
            self.meeting.save_prep(prep.with_status(None, action.id, self.meeting.now()))

    def action_write(self) -> None:
        self.set_focus(self.query_one("#update-progressed", Field).input)

    # The written update -----------------------------------------------------------------------

    @on(CleanInput.Idle)
    def keep_update(self) -> None:
        self._save_update()

    def _save_update(self) -> bool:
        prep = self.meeting.prep_of(self.partner_id)
        values = {}
        for key, question in QUESTIONS:
            field = self.query_one(f"#update-{key}", Field)
            try:
                values[key] = clean_update(field.value, question)
            except InvalidText as error:
                field.show_error(str(error))
                return False
        updated = Prep(
            partner_id=self.partner_id,
            updated_at=self.meeting.now(),
            statuses=prep.statuses,
            **values,
        )
        if (updated.progressed, updated.focus, updated.help) != (
            prep.progressed,
            prep.focus,
            prep.help,
        ):
            self.meeting.save_prep(updated)
        return True

    def keep_drafts(self) -> None:
        """Before a quit: the update as typed so far."""
        self._save_update()

    def action_leave(self) -> None:
        if self.focused is not None and isinstance(self.focused, CleanInput):
            self.set_focus(self.query_one("#prep-actions", RowList))
            return
        if self._save_update():
            self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, CleanInput)
        if action == "leave":
            return True
        if typing:
            return False
        if action in ("prepare", "unprepare"):
            return self._selected() is not None
        return True

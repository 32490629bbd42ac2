"""Shape the agenda: the session's phases, their order and timeboxes, as the partners agreed.

Edits are made on the screen and saved together with Ctrl+S (one new version of the
agreement). Removing one of the three core phases (review, obstacles, actions) asks first.
When the pair regularly runs over a phase, the time it usually takes (learned from their
recent sessions) is offered, and l takes it.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.domain.agenda import PhaseKind
from facilitator.domain.agreement import (
    CORE_KINDS,
    MAX_PHASE_MINUTES,
    MAX_PHASES,
    MIN_PHASE_MINUTES,
    PhasePlan,
    add_plan,
    move_plan,
    new_plan,
    plans_from_phases,
    removes_core,
    validate_agenda,
    validate_phase,
    validate_phase_minutes,
)
from facilitator.domain.changes import PartnershipTerms
from facilitator.domain.partnership import Partnership
from facilitator.domain.planning import agreed_agenda
from facilitator.domain.session import Session
from facilitator.domain.text import InvalidText
from facilitator.domain.timeboxes import TimeboxSuggestion, timebox_suggestions
from facilitator.meeting import Meeting, Update
from facilitator.store.errors import StoreError
from facilitator.ui.screens.base import DialogScreen, MeetingScreen
from facilitator.ui.screens.one_line import OneLineDialog
from facilitator.ui.text import guarded, line, styled
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.rows import RowList
from facilitator.ui.widgets.status import SaveStatus

ICEBREAKER = "icebreaker"
# What can be added: (choice id, kind, title).
ADDABLE = (
    (PhaseKind.CHECKIN.value, PhaseKind.CHECKIN, "Check-in"),
    (ICEBREAKER, PhaseKind.DISCUSSION, "Icebreaker"),
    (PhaseKind.GOALS.value, PhaseKind.GOALS, "Goal check"),
    (PhaseKind.DISCUSSION.value, PhaseKind.DISCUSSION, "Free discussion"),
    (PhaseKind.REVIEW.value, PhaseKind.REVIEW, "Review and celebrate"),
    (PhaseKind.OBSTACLES.value, PhaseKind.OBSTACLES, "Brainstorm obstacles"),
    (PhaseKind.ACTIONS.value, PhaseKind.ACTIONS, "Agree actions"),
    (PhaseKind.WRAPUP.value, PhaseKind.WRAPUP, "Wrap-up"),
)
ADD_HINTS = {
    PhaseKind.CHECKIN.value: "the confidentiality line and how each likes feedback",
    ICEBREAKER: "a few minutes to arrive, together",
    PhaseKind.GOALS.value: "where each goal is now",
    PhaseKind.DISCUSSION.value: "notes from talking something through",
    PhaseKind.REVIEW.value: "last time's actions, and what went well",
    PhaseKind.OBSTACLES.value: "what's in the way, ideas, help wanted",
    PhaseKind.ACTIONS.value: "what each will do by next time",
    PhaseKind.WRAPUP.value: "the summary and the next date",
}
MOVE = Binding.Group("Move", compact=True)
STEP = Binding.Group("1 min", compact=True)
HISTORY_YEARS = 2
"""Recent sessions are read from this year's history and last year's."""


def plan_line(
    number: int,
    plan: PhasePlan,
    suggestion: TimeboxSuggestion | None,
    core: bool,
    width: int = 0,
) -> Content:
    """One phase: its number, title (padded to `width` cells), timebox and turns."""
    together = "together" if not plan.per_partner else "per partner"
    title = styled(plan.title, "bold")
    padding = " " * max(0, width - title.cell_length)
    parts: list[Content | str | tuple[str, str]] = [
        (f"{number:>2}. ", "$text-muted"),
        title,
        padding,
        f"  {plan.minutes:>3}",
        (" min", "bold"),
        "  ",
        (f"{together:<11}", "$text-muted"),
    ]
    if plan.title != plan.kind.label:
        parts.append((f"  ({plan.kind.label})", "$text-muted"))
    if core:
        parts.append(("  core", "$text-accent"))
    if suggestion is not None:
        parts += ["  ", (f"⚑ usually {suggestion.suggested} min", "bold $text-warning")]
    return line(*parts)


class AddPhaseDialog(DialogScreen[str | None]):
    """Choose the kind of phase to add."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content("Add a phase"), classes="question", markup=False)
            yield Static(
                Content("↑ ↓ choose, Enter adds it; you can rename it and set its minutes."),
                classes="detail",
                markup=False,
            )
            yield OptionList(
                *(
                    Option(
                        line((title, "bold"), (f"  {ADD_HINTS[choice]}", "$text-muted")),
                        id=choice,
                    )
                    for choice, _, title in ADDABLE
                ),
                id="kinds",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
        yield KeyBar(palette=False)  # this dialog's keys, not the screen's below

    def on_mount(self) -> None:
        kinds = self.query_one("#kinds", OptionList)
        kinds.highlighted = 0
        self.set_focus(kinds)

    @on(OptionList.OptionSelected, "#kinds")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class AgendaScreen(MeetingScreen):
    """The agreed agenda: phases in order, each with its timebox."""

    DEFAULT_CSS = """
    AgendaScreen #agenda-bar { height: 1; background: $panel; }
    AgendaScreen #agenda-title { width: 1fr; padding: 0 1; color: $text; }
    AgendaScreen #agenda-intro { color: $text-muted; padding: 1 2 0 2; }
    AgendaScreen #plans { margin: 1 2 0 2; }
    AgendaScreen #total { padding: 1 2 0 2; }
    AgendaScreen #agenda-message {
        color: $text-error; padding: 0 2; height: auto; display: none;
    }
    AgendaScreen #agenda-message.-shown { display: block; }
    AgendaScreen #learned { color: $text-muted; padding: 1 2 0 2; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save"),
        Binding("n", "add", "Add", id="add"),
        Binding("x,delete", "remove", "Remove", key_display="x", id="remove"),
        Binding(
            "shift+up,left_square_bracket",
            "move(-1)",
            "Move up",
            key_display="⇧↑",
            group=MOVE,
            id="up",
        ),
        Binding(
            "shift+down,right_square_bracket",
            "move(1)",
            "Move down",
            key_display="⇧↓",
            group=MOVE,
            id="down",
        ),
        Binding("m", "minutes", "Minutes", id="minutes"),
        Binding("l", "learned", "Use learned", id="learned"),
        Binding("r", "rename", "Rename", id="rename"),
        Binding("t", "together", "Per partner/together", id="together"),
        Binding(
            "plus,equals_sign", "longer", "1 min more", key_display="+", group=STEP, id="longer"
        ),
        Binding("minus", "shorter", "1 min less", key_display="-", group=STEP, id="shorter"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, meeting: Meeting) -> None:
        super().__init__(meeting)
        partnership = meeting.the_partnership
        self._seen = PartnershipTerms.of(partnership)
        self._saved = self._agreed(partnership)
        self._plans: tuple[PhasePlan, ...] = self._saved
        self._sessions: list[Session] = []
        self._suggestions: dict[str, TimeboxSuggestion] = {}

    @staticmethod
    def _agreed(partnership: Partnership) -> tuple[PhasePlan, ...]:
        """The agreed phases; the standard agenda, scaled to the session, when none are."""
        return partnership.agreement.agenda or plans_from_phases(agreed_agenda(partnership))

    def compose(self) -> ComposeResult:
        with Horizontal(id="agenda-bar"):
            yield Static(id="agenda-title", markup=False)
            yield SaveStatus(id="save-status")
        yield Static(
            Content(
                "The phases of a session, in order, with their timeboxes: n adds, x removes, "
                "⇧↑ ⇧↓ move, m or + − set the minutes, r renames, t turns per partner or "
                "together. Ctrl+S saves the agenda as part of the agreement."
            ),
            id="agenda-intro",
            markup=False,
        )
        yield RowList(id="plans")
        yield Static(id="total", markup=False)
        yield Static("", id="agenda-message", markup=False)
        yield Static("", id="learned", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._draw()
        self.set_focus(self.query_one("#plans", RowList))
        self._read_recent_sessions()

    # Learning from recent sessions ----------------------------------------------------------

    @work(thread=True, exclusive=True, group="learn")
    def _read_recent_sessions(self) -> None:
        year = self.meeting.today().year
        try:
            sessions, _, _ = self.meeting.repository.read_history(
                range(year - HISTORY_YEARS + 1, year + 1)
            )
        except (StoreError, OSError):
            return  # nothing learned this time; the agenda works as before
        self.app.call_from_thread(self._learned, sessions)

    def _learned(self, sessions: list[Session]) -> None:
        self._sessions = sessions
        self._draw()

    def _suggest(self) -> None:
        found = timebox_suggestions(self._sessions, self._plans)
        self._suggestions = {s.key: s for s in found}
        learned = self.query_one("#learned", Static)
        if not found:
            learned.update(Content(""))
            learned.display = False
            return
        learned.display = True
        rows = []
        for suggestion in found:
            plan = next(p for p in self._plans if p.key == suggestion.key)
            rows.append(
                line(
                    "⚑ ",
                    styled(plan.title, "bold"),
                    f" ran over its {plan.minutes} min in {suggestion.overran} of your last "
                    f"{suggestion.looked_at} sessions; it usually takes {suggestion.suggested} "
                    "min.",
                )
            )
        rows.append(Content("Highlight the phase and press l to use that timebox."))
        learned.update(Content("\n").join(rows))

    # Drawing --------------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self._plans != self._saved

    def _draw(self) -> None:
        partnership = self.meeting.partnership
        if partnership is None:
            return
        self.query_one("#agenda-title", Static).update(
            line(("The agenda · ", "bold"), styled(partnership.name, "bold"))
        )
        self.query_one(SaveStatus).show(self.meeting)
        self._suggest()
        width = max((styled(p.title).cell_length for p in self._plans), default=0)
        rows = [
            (
                plan.key,
                guarded(
                    plan_line,
                    number,
                    plan,
                    self._suggestions.get(plan.key),
                    plan.kind in CORE_KINDS,
                    width,
                ),
            )
            for number, plan in enumerate(self._plans, start=1)
        ]
        self.query_one("#plans", RowList).show_rows(rows)
        total = sum(p.minutes for p in self._plans)
        length = partnership.session_minutes
        if total == length:
            fit: Content = Content.styled("fits the session exactly", "$text-success")
        elif total > length:
            fit = Content.styled(f"{total - length} min longer than the session", "$text-warning")
        else:
            fit = Content(f"{length - total} min to spare")
        parts: list[Content | str | tuple[str, str]] = [
            ("Total", "bold"),
            " ",
            (f"{total} min", "bold"),
            f" of a {length}-minute session: ",
            fit,
        ]
        if self.dirty:
            parts += ["  · ", ("not saved yet (Ctrl+S)", "bold $text-warning")]
        self.query_one("#total", Static).update(line(*parts))
        self.refresh_bindings()

    def _message(self, text: str) -> None:
        message = self.query_one("#agenda-message", Static)
        message.update(Content(text))
        message.set_class(bool(text), "-shown")

    def meeting_changed(self, update: Update) -> None:
        for notice in update.notices:
            self.notify(notice, severity="warning", markup=False, timeout=8)
        partnership = update.after.partnership
        if partnership is None:
            return
        now = PartnershipTerms.of(partnership)
        agreed = self._agreed(partnership)
        if agreed != self._saved:
            if not self.dirty:
                self._plans = agreed
            elif now.agreement.agenda != self._seen.agreement.agenda:
                self._message(
                    "The agenda was changed on another screen meanwhile. Ctrl+S keeps yours; "
                    "Esc without saving, then open it again, shows theirs."
                )
            self._saved = agreed
        self._seen = now
        self._draw()

    # Keys -----------------------------------------------------------------------------------

    def _index(self) -> int | None:
        row = self.query_one("#plans", RowList).highlighted_id
        return next((i for i, p in enumerate(self._plans) if p.key == row), None)

    def _current(self) -> PhasePlan | None:
        index = self._index()
        return self._plans[index] if index is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        plan = self._current()
        if action in ("rename", "minutes", "longer", "shorter", "together", "move", "remove"):
            return plan is not None
        if action == "learned":
            return plan is not None and plan.key in self._suggestions
        if action == "add":
            return len(self._plans) < MAX_PHASES
        return True

    @on(RowList.OptionHighlighted, "#plans")
    def _moved(self) -> None:
        self.refresh_bindings()

    def _change(self, plans: tuple[PhasePlan, ...], highlight: str | None = None) -> None:
        self._plans = plans
        self._message("")
        self._draw()
        if highlight is not None:
            self.query_one("#plans", RowList).highlight(highlight)

    def _replace(self, plan: PhasePlan, **changes: object) -> None:
        updated = replace(plan, **changes)  # type: ignore[arg-type]
        self._change(tuple(updated if p.key == plan.key else p for p in self._plans), plan.key)

    def action_add(self) -> None:
        if len(self._plans) >= MAX_PHASES:
            self._message(f"An agenda has at most {MAX_PHASES} phases.")
            return

        def chosen(choice: str | None) -> None:
            found = next((item for item in ADDABLE if item[0] == choice), None)
            if found is None:
                return
            _, kind, title = found
            plan = new_plan(kind, title=title)
            plans, _ = add_plan(self._plans, plan, self._index())
            self._change(plans, plan.key)
            self.notify(
                f"Added {title} ({plan.minutes} min): r renames it, m sets its minutes.",
                timeout=4,
            )

        self.app.push_screen(AddPhaseDialog(), chosen)

    def action_rename(self) -> None:
        plan = self._current()
        if plan is None:
            return

        def renamed(title: str | None) -> None:
            if title is not None:
                self._replace(plan, title=title)

        self.app.push_screen(
            OneLineDialog(
                self.meeting,
                f"phase-name:{plan.key}",
                line("Rename ", styled(plan.title)),
                "The phase's name",
                plan.title,
                lambda raw: validate_phase(raw, str(plan.minutes))[0],
            ),
            renamed,
        )

    def action_minutes(self) -> None:
        plan = self._current()
        if plan is None:
            return

        def chosen(minutes: int | None) -> None:
            if minutes is not None:
                self._replace(plan, minutes=minutes)

        self.app.push_screen(
            OneLineDialog(
                self.meeting,
                f"phase-minutes:{plan.key}",
                line("Timebox for ", styled(plan.title)),
                f"Minutes ({MIN_PHASE_MINUTES} to {MAX_PHASE_MINUTES})",
                str(plan.minutes),
                validate_phase_minutes,
                field_id="minutes",
            ),
            chosen,
        )

    def _step(self, by: int) -> None:
        plan = self._current()
        if plan is None:
            return
        minutes = plan.minutes + by
        if not MIN_PHASE_MINUTES <= minutes <= MAX_PHASE_MINUTES:
            self._message(
                f"A phase's timebox is between {MIN_PHASE_MINUTES} and {MAX_PHASE_MINUTES} minutes."
            )
            return
        self._replace(plan, minutes=minutes)

    def action_longer(self) -> None:
        self._step(1)

    def action_shorter(self) -> None:
        self._step(-1)

    def action_together(self) -> None:
        plan = self._current()
        if plan is not None:
            self._replace(plan, per_partner=not plan.per_partner)

    def action_move(self, step: int) -> None:
        index = self._index()
        if index is None:
            return
        plans, _ = move_plan(self._plans, index, step)
        self._change(plans, self._plans[index].key)

    def action_learned(self) -> None:
        plan = self._current()
        suggestion = self._suggestions.get(plan.key) if plan is not None else None
        if plan is None or suggestion is None:
            return
        self._replace(plan, minutes=suggestion.suggested)
        self.notify(
            f"{plan.title}: {suggestion.suggested} min, as it usually takes. Ctrl+S saves it.",
            timeout=4,
        )

    def action_remove(self) -> None:
        index = self._index()
        if index is None:
            return
        plan = self._plans[index]
        after = self._plans[:index] + self._plans[index + 1 :]
        try:
            validate_agenda(after)
        except InvalidText as error:
            self._message(str(error))
            return
        core = removes_core(self._plans, after)
        neighbour = after[min(index, len(after) - 1)].key
        if not core:
            self._change(after, neighbour)
            self.notify(f"Removed {plan.title}. Esc without saving keeps it.", timeout=4)
            return
        from facilitator.ui.screens.confirm import ConfirmScreen

        def answered(remove: bool | None) -> None:
            if remove:
                self._change(after, neighbour)

        self.app.push_screen(
            ConfirmScreen(
                line("Remove ", styled(plan.title), "?"),
                f"{core[0].label} is one of the three core phases of the practice (review, "
                "obstacles, actions). You can add it back later with n.",
                yes="Remove it",
                no="Keep it",
            ),
            answered,
        )

    def action_save(self) -> None:
        try:
            validate_agenda(self._plans)
        except InvalidText as error:
            self._message(str(error))
            return
        if not self.dirty:
            self.notify("Nothing changed.", timeout=3)
            return
        partnership = self.meeting.the_partnership
        seen = self._seen
        wanted = replace(seen, agreement=replace(seen.agreement, agenda=self._plans))
        self.meeting.change_terms(seen, wanted)
        self._seen = PartnershipTerms.of(self.meeting.partnership or partnership)
        self._saved = self._plans
        self._draw()
        self.notify(
            "Agenda saved: the next session follows it. The earlier version is kept in the "
            "agreement's history.",
            title="Saved",
        )

    def action_back(self) -> None:
        if not self.dirty:
            self.dismiss()
            return
        from facilitator.ui.screens.confirm import leave_unsaved

        leave_unsaved(
            self,
            "Leave without saving the agenda?",
            "What you changed here is not saved yet. Ctrl+S saves it.",
            self.dismiss,
        )

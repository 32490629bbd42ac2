"""The agreement: what the partners agreed about working together, written down and changed.

One form: confidentiality, how often and when they meet, the medium, who sends the
invitations, whose goals the partnership serves, how each partner updates and hears feedback,
and how often they step back for a longer review. Ctrl+S saves everything as one change,
compared with the terms as they were when the form was opened, so fields left alone keep
another screen's change; the earlier version is kept with its date (h shows the history).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TypeVar

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, RadioSet, Select, Static
from textual.widgets._select import SelectOverlay

from facilitator.domain.agreement import (
    Agreement,
    Direction,
    Medium,
    PartnerTerms,
    ReviewUnit,
    UpdateStyle,
    validate_link,
    validate_review_every,
    validate_supporters,
    validate_terms_text,
    validate_time,
)
from facilitator.domain.changes import PartnershipTerms
from facilitator.domain.dates import WEEKDAY_NAMES
from facilitator.domain.partnership import (
    Cadence,
    validate_every_days,
    validate_session_minutes,
)
from facilitator.domain.text import InvalidText
from facilitator.meeting import Meeting, Update
from facilitator.ui.screens.base import MeetingScreen
from facilitator.ui.screens.forms import FORM_BINDINGS, FormKeys, KeepsTyping
from facilitator.ui.text import line, shown, styled
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.status import SaveStatus
from facilitator.ui.widgets.toggles import MarkedCheckbox, MarkedRadioButton

CADENCE_LABELS = {
    Cadence.WEEKLY: "Weekly",
    Cadence.FORTNIGHTLY: "Every two weeks",
    Cadence.MONTHLY: "Monthly",
    Cadence.EVERY_N_DAYS: "Every N days",
}
NO_DAY = -1
EACH_TIME = ""
"""The initiator when the partners agree each time who sends the invitation."""
ONE_WAY_HINT = (
    "One-way: tick below who supports only. They ask, challenge and suggest, and get no turn "
    "of their own in review and actions."
)
TWO_WAY_HINT = "Two-way: every partner brings goals and gets a turn."

T = TypeVar("T")

# Leaving a box: the form's keys (p, a, h, Esc) work again.
TYPING_OFF = {"partners", "agenda", "history", "back"}


def _on_form(terms: PartnershipTerms) -> tuple[object, ...]:
    """The parts of the terms this form shows (not the name, nor the agenda)."""
    return (
        terms.partner_names,
        terms.cadence,
        terms.every_days,
        terms.session_minutes,
        replace(terms.agreement, agenda=()),
    )


def _radio(name: str, label: str, on_: bool) -> MarkedRadioButton:
    return MarkedRadioButton(label, value=on_, name=name)


def _section(text: str) -> Label:
    return Label(Content(text), classes="section")


class AgreementForm(VerticalScroll):
    """The form's boxes and choices, filled from `terms` (built again to reload)."""

    def __init__(self, terms: PartnershipTerms, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.terms = terms

    def compose(self) -> ComposeResult:
        terms = self.terms
        agreement = terms.agreement
        yield Static(
            Content(
                "What you agreed about working together. Change it together; Ctrl+S saves "
                "it all, and the earlier version is kept with its date (h shows them)."
            ),
            classes="intro",
            markup=False,
        )

        yield _section("Confidentiality")
        yield MarkedCheckbox(
            "Either partner may share what is said",
            agreement.may_share,
            id="may-share",
            compact=True,
        )
        yield Field(
            "With whom",
            value=agreement.share_with,
            placeholder="e.g. our team lead, my coach",
            id="share-with",
            compact=True,
        )

        yield _section("How often and when you meet")
        with RadioSet(id="cadence", classes="choices"):
            for cadence, label in CADENCE_LABELS.items():
                yield _radio(cadence.value, label, terms.cadence is cadence)
        yield Field(
            "Every how many days?",
            value=str(terms.every_days or ""),
            placeholder="e.g. 10",
            id="every-days",
            compact=True,
        )
        with Horizontal(classes="pair"):
            with Vertical(classes="half"):
                yield Label(Content("Usual day"), classes="field-label")
                yield Select(
                    [("No usual day", NO_DAY), *((day, n) for n, day in enumerate(WEEKDAY_NAMES))],
                    value=agreement.meeting_day if agreement.meeting_day is not None else NO_DAY,
                    allow_blank=False,
                    compact=True,
                    id="day",
                )
            yield Field(
                "Usual time",
                value=agreement.meeting_time,
                placeholder="18:30 or 6:30pm",
                id="time",
                compact=True,
                classes="half",
            )
        yield Field(
            "Length of a session, in minutes",
            value=str(terms.session_minutes),
            id="minutes",
            compact=True,
        )

        yield _section("Where you meet")
        with RadioSet(id="medium", classes="choices"):
            for medium in Medium:
                yield _radio(medium.value, medium.label, agreement.medium is medium)
        yield Field(
            "The meeting link, the place, or the number to call",
            value=agreement.link,
            placeholder="e.g. https://meet.example.com/abc",
            id="link",
            compact=True,
        )
        yield Label(
            Content("Who starts the meetings and sends the invitations?"), classes="field-label"
        )
        ids = [pid for pid, _ in terms.partner_names]
        initiator = agreement.initiator_id if agreement.initiator_id in ids else EACH_TIME
        yield Select(
            [
                ("We agree each time", EACH_TIME),
                *((Content(shown(name)), pid) for pid, name in terms.partner_names),
            ],
            value=initiator,
            allow_blank=False,
            compact=True,
            id="initiator",
        )

        yield _section("Whose goals the partnership serves")
        with RadioSet(id="direction", classes="choices"):
            for direction in Direction:
                yield _radio(direction.value, direction.label, agreement.direction is direction)
        yield Static(id="direction-hint", markup=False)
        yield Static("", id="supporters-error", classes="error", markup=False)

        yield _section("Each partner")
        for index, (pid, name) in enumerate(terms.partner_names):
            own = agreement.terms_for(pid)
            with Vertical(classes="partner-terms", id=f"terms-{index}"):
                yield Static(styled(name, "bold"), classes="partner-name", markup=False)
                yield MarkedCheckbox(
                    "Supports only: no turn of their own in review and actions",
                    own.supporter,
                    id=f"supporter-{index}",
                    classes="supporter",
                    compact=True,
                )
                with RadioSet(id=f"update-{index}", classes="choices"):
                    for style in UpdateStyle:
                        yield _radio(style.value, style.label, own.update_style is style)
                yield Field(
                    f"How {shown(name)} best receives feedback, challenge and advice",
                    value=own.feedback,
                    placeholder="e.g. straight to the point; questions before advice",
                    id=f"feedback-{index}",
                    compact=True,
                )

        yield _section("Stepping back: the longer review")
        with Horizontal(classes="pair"):
            yield Field(
                "Every",
                value=str(agreement.review_every),
                id="review-every",
                compact=True,
                classes="half",
            )
            with RadioSet(id="review-unit", classes="choices"):
                for unit in ReviewUnit:
                    yield _radio(unit.value, unit.value, agreement.review_unit is unit)


class AgreementScreen(KeepsTyping, FormKeys, MeetingScreen):
    """Write down, and later change, what the partners agreed."""

    DEFAULT_CSS = """
    AgreementScreen #agreement-bar { height: 1; background: $panel; }
    AgreementScreen #agreement-title { width: 1fr; padding: 0 1; color: $text; }
    AgreementScreen #elsewhere {
        height: auto; padding: 0 1; background: $warning 20%; color: $text; display: none;
    }
    AgreementScreen #elsewhere.-shown { display: block; }
    AgreementScreen #form { padding: 0 2; }
    AgreementScreen .intro { color: $text-muted; padding: 1 1 0 1; }
    AgreementScreen .section {
        margin: 1 0 0 0; padding: 0 1; color: $text-primary; text-style: bold;
    }
    AgreementScreen .field-label { color: $text-muted; padding: 0 1; }
    AgreementScreen .choices {
        layout: horizontal; height: auto; width: auto; border: none; margin: 0 1; padding: 0;
    }
    AgreementScreen Checkbox { margin: 0 1; }
    AgreementScreen .choices > RadioButton { width: auto; margin: 0 2 0 0; }
    AgreementScreen Select { margin: 0 1; width: 40; }
    AgreementScreen Field { margin: 0 0 1 0; }
    AgreementScreen .pair { height: auto; }
    AgreementScreen .half { width: 1fr; height: auto; }
    AgreementScreen .pair Select { width: 1fr; }
    AgreementScreen #review-every { width: 24; }
    AgreementScreen #review-unit { margin: 1 1 0 1; }
    AgreementScreen #direction-hint { color: $text-muted; padding: 0 1; }
    AgreementScreen .error { color: $text-error; padding: 0 1; height: auto; display: none; }
    AgreementScreen .error.-shown { display: block; }
    AgreementScreen .partner-terms {
        height: auto; border-left: outer $primary; margin: 1 0 0 1; padding: 0 0 0 1;
    }
    AgreementScreen .partner-name { padding: 0 1; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save"),
        Binding("p", "partners", "Partners", id="partners"),
        Binding("a", "agenda", "Agenda", id="agenda"),
        Binding("h", "history", "History", id="history"),
        Binding("ctrl+r", "reload", "Reload theirs", id="reload"),
        Binding("escape", "stop_typing", "Done typing", priority=True, id="stop_typing"),
        Binding("escape", "back", "Back", priority=True, id="back"),
        *FORM_BINDINGS,
    ]

    def __init__(self, meeting: Meeting) -> None:
        super().__init__(meeting)
        self._seen = PartnershipTerms.of(meeting.the_partnership)
        self._clean: tuple[object, ...] = ()
        self._elsewhere = False
        self._stale = False

    # Building -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="agreement-bar"):
            yield Static(id="agreement-title", markup=False)
            yield SaveStatus(id="save-status")
        yield Static(id="elsewhere", markup=False)
        yield AgreementForm(self._seen, id="form")
        yield KeyBar()

    @property
    def typing_kept_as(self) -> str:
        return "agreement"

    def on_mount(self) -> None:
        self._draw_title()
        self._filled()
        self.bring_back_typing()
        self.set_focus(self.query_one("#may-share", Checkbox))

    def _filled(self) -> None:
        """The form was (re)built: show what applies, and remember it as unchanged."""
        self._show_cadence_details()
        self._show_direction_details()
        self.query_one("#share-with", Field).display = self.query_one("#may-share", Checkbox).value
        self._clean = self._raw()

    def _draw_title(self) -> None:
        partnership = self.meeting.partnership
        name = partnership.name if partnership is not None else self._seen.name
        self.query_one("#agreement-title", Static).update(
            line(("The agreement · ", "bold"), styled(name, "bold"))
        )
        self.query_one(SaveStatus).show(self.meeting)

    # Reading the form -----------------------------------------------------------------------

    def _choice(self, selector: str) -> str:
        pressed = self.query_one(selector, RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else ""

    def _partner_count(self) -> int:
        return len(self.query_one(AgreementForm).terms.partner_names)

    def _raw(self) -> tuple[object, ...]:
        """Everything as entered, to tell whether anything was changed."""
        values: list[object] = [
            widget.value
            for widget in self.query_one(AgreementForm).query("Input, Checkbox, Select")
            if isinstance(widget, (Input, Checkbox, Select))
        ]
        values += [self._choice(f"#{rs.id}") for rs in self.query(RadioSet) if rs.id]
        return tuple(values)

    @property
    def dirty(self) -> bool:
        return self._raw() != self._clean

    def _cadence(self) -> Cadence:
        return Cadence(self._choice("#cadence") or self._seen.cadence.value)

    def _direction(self) -> Direction:
        return Direction(self._choice("#direction") or Direction.TWO_WAY.value)

    def _show_cadence_details(self) -> None:
        self.query_one("#every-days", Field).display = self._cadence() is Cadence.EVERY_N_DAYS

    def _show_direction_details(self) -> None:
        one_way = self._direction() is Direction.ONE_WAY
        self.query_one("#direction-hint", Static).update(
            Content(ONE_WAY_HINT if one_way else TWO_WAY_HINT)
        )
        for box in self.query(".supporter").results(Checkbox):
            box.display = one_way
        self._supporters_error("")

    def _supporters_error(self, message: str) -> None:
        error = self.query_one("#supporters-error", Static)
        error.update(Content(message))
        error.set_class(bool(message), "-shown")

    @on(RadioSet.Changed, "#cadence")
    def _cadence_changed(self) -> None:
        self._show_cadence_details()

    @on(RadioSet.Changed, "#direction")
    def _direction_changed(self) -> None:
        self._show_direction_details()

    @on(Checkbox.Changed, "#may-share")
    def _sharing_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#share-with", Field).display = event.value

    @on(Checkbox.Changed, ".supporter")
    def _supporter_changed(self) -> None:
        self._supporters_error("")

    def _wanted(self) -> PartnershipTerms | None:
        """The terms as entered; None, with each problem shown under its field, if any part
        can't be used."""
        seen = self._seen
        old = seen.agreement
        problems: list[Widget] = []

        def check(field_id: str, read: Callable[[str], T], fallback: T) -> T:
            field = self.query_one(f"#{field_id}", Field)
            try:
                return read(field.value)
            except InvalidText as error:
                field.show_error(str(error))
                problems.append(field)
                return fallback

        may_share = self.query_one("#may-share", Checkbox).value
        share_with = (
            check("share-with", lambda v: validate_terms_text(v, "Who you may share with"), "")
            if may_share
            else old.share_with
        )
        cadence = self._cadence()
        every_days = (
            check("every-days", validate_every_days, seen.every_days)
            if cadence is Cadence.EVERY_N_DAYS
            else seen.every_days
        )
        day = self.query_one("#day", Select).value
        meeting_day = day if isinstance(day, int) and 0 <= day <= 6 else None
        meeting_time = check("time", validate_time, old.meeting_time)
        minutes = check("minutes", validate_session_minutes, seen.session_minutes)
        medium = Medium(self._choice("#medium") or old.medium.value)
        link = check("link", validate_link, old.link)
        initiator = self.query_one("#initiator", Select).value
        direction = self._direction()
        review_unit = ReviewUnit(self._choice("#review-unit") or old.review_unit.value)
        review_every = check(
            "review-every", lambda v: validate_review_every(v, review_unit), old.review_every
        )

        one_way = direction is Direction.ONE_WAY
        wanted_terms = old
        supporters = []
        for index, (pid, name) in enumerate(seen.partner_names):
            supporter = one_way and self.query_one(f"#supporter-{index}", Checkbox).value
            supporters.append(supporter)
            style = UpdateStyle(self._choice(f"#update-{index}") or UpdateStyle.VERBAL.value)
            feedback = check(
                f"feedback-{index}",
                partial(validate_terms_text, what=f"{name}'s feedback preference"),
                old.terms_for(pid).feedback,
            )
            own = PartnerTerms(
                partner_id=pid, update_style=style, feedback=feedback, supporter=supporter
            )
            if own != old.terms_for(pid):
                wanted_terms = wanted_terms.with_terms(own)
        try:
            validate_supporters(direction, supporters)
        except InvalidText as error:
            self._supporters_error(str(error))
            problems.append(self.query_one("#supporters-error", Static))
        if problems:
            self._point_at(problems[0])
            return None
        agreement: Agreement = replace(
            old,
            may_share=may_share,
            share_with=share_with,
            meeting_day=meeting_day,
            meeting_time=meeting_time,
            medium=medium,
            link=link,
            initiator_id=str(initiator) if isinstance(initiator, str) else EACH_TIME,
            direction=direction,
            terms=wanted_terms.terms,
            review_every=review_every,
            review_unit=review_unit,
        )
        return replace(
            seen,
            cadence=cadence,
            every_days=every_days,
            session_minutes=minutes,
            agreement=agreement,
        )

    def _point_at(self, widget: Widget) -> None:
        """Bring the first problem into view, its box focused."""
        self.query_one(AgreementForm).scroll_to_widget(widget, animate=False)
        if isinstance(widget, Field):
            self.set_focus(widget.input)

    # What the meeting says ------------------------------------------------------------------

    def meeting_changed(self, update: Update) -> None:
        for notice in update.notices:
            self.notify(notice, severity="warning", markup=False, timeout=8)
        self.query_one(SaveStatus).show(self.meeting)
        partnership = update.after.partnership
        if partnership is None:
            return
        self._draw_title()
        now = PartnershipTerms.of(partnership)
        if now == self._seen:
            return
        if _on_form(now) == _on_form(self._seen):
            self._seen = now  # the name or the agenda: nothing this form shows
            return
        if not self.is_current:
            self._stale = True  # looked at when the person comes back to this screen
            return
        self._changed_elsewhere()

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            partnership = self.meeting.partnership
            if partnership is not None:
                now = PartnershipTerms.of(partnership)
                if _on_form(now) == _on_form(self._seen):
                    self._seen = now
                elif now != self._seen:
                    self._changed_elsewhere()

    def _changed_elsewhere(self) -> None:
        if not self.dirty:
            self._reload()
            return
        self._elsewhere = True
        notice = self.query_one("#elsewhere", Static)
        notice.update(
            line(
                ("Changed on another screen meanwhile. ", "bold"),
                "Ctrl+R shows it as it is now (your edits here go); Ctrl+S keeps yours: only "
                "what you changed here replaces theirs.",
            )
        )
        notice.add_class("-shown")
        self.refresh_bindings()

    @work(exclusive=True, group="reload")
    async def _reload(self) -> None:
        """Show the terms as they are now (after a save, or another screen's change)."""
        partnership = self.meeting.partnership
        if partnership is None:
            return
        focused_id = self._focused_id()
        self.forget_typing()  # saved, or given up for theirs
        self._seen = PartnershipTerms.of(partnership)
        form = self.query_one(AgreementForm)
        form.terms = self._seen
        await form.recompose()
        self._elsewhere = False
        self.query_one("#elsewhere", Static).remove_class("-shown")
        self._filled()
        self.bring_back_typing()
        self._draw_title()
        found = self.query(f"#{focused_id}") if focused_id else None
        widget = found.first() if found else None
        if isinstance(widget, Field):
            self.set_focus(widget.input)
        elif widget is not None and widget.focusable:
            self.set_focus(widget)
        else:
            self.set_focus(self.query_one(AgreementForm))
        self.refresh_bindings()

    def _focused_id(self) -> str | None:
        """The id of the focused widget, or of the field it is in (boxes have none)."""
        node = self.focused
        while node is not None and node is not self:
            if node.id:
                return node.id
            node = node.parent  # type: ignore[assignment]
        return None

    # Keys -----------------------------------------------------------------------------------

    def _typing(self) -> bool:
        return isinstance(self.focused, Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_typing":
            return self._typing()
        if action in TYPING_OFF and (self._typing() or isinstance(self.focused, SelectOverlay)):
            return False
        if action == "reload":
            return self._elsewhere
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_stop_typing(self) -> None:
        self.set_focus(self.query_one(AgreementForm))

    def action_save(self) -> None:
        for field in self.query(Field):
            field.clear_error()
        wanted = self._wanted()
        if wanted is None:
            self.notify("Please check the highlighted fields: nothing is saved yet.")
            return
        if wanted == self._seen:
            self.notify("Nothing changed.", timeout=3)
            return
        self.meeting.change_terms(self._seen, wanted)
        self.notify(
            "Agreement saved. The earlier version is kept in the history (h).", title="Saved"
        )
        self._reload()

    def action_reload(self) -> None:
        self._reload()

    def action_back(self) -> None:
        if isinstance(self.focused, SelectOverlay):
            raise SkipAction()  # Escape closes the open list first
        if not self.dirty:
            self._leave()
            return
        from facilitator.ui.screens.confirm import leave_unsaved

        leave_unsaved(
            self,
            "Leave without saving?",
            "What you changed on this form is not saved yet. Ctrl+S saves it.",
            self._leave,
        )

    def _leave(self) -> None:
        self.forget_typing()
        self.dismiss()

    def action_partners(self) -> None:
        from facilitator.ui.screens.partners import PartnersScreen

        self.app.push_screen(PartnersScreen(self.meeting))

    def action_agenda(self) -> None:
        from facilitator.ui.screens.agenda import AgendaScreen

        self.app.push_screen(AgendaScreen(self.meeting))

    def action_history(self) -> None:
        from facilitator.ui.screens.agreement_history import AgreementHistoryScreen

        self.app.push_screen(AgreementHistoryScreen(self.meeting))

    def enter_moves_on(self, field: Input) -> bool:
        return True

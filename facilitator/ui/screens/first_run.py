"""First run: set up the partnership (name, partners, how often, how long)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, RadioSet, Static

from facilitator.domain.partnership import (
    DEFAULT_SESSION_MINUTES,
    MAX_PARTNERS,
    Cadence,
    validate_partner_names,
    validate_partnership_name,
    validate_session_minutes,
)
from facilitator.domain.state import SetupDraft
from facilitator.domain.text import InvalidText
from facilitator.meeting import Meeting, Update
from facilitator.ui.screens.base import MeetingScreen, OpensFocused
from facilitator.ui.screens.forms import FORM_BINDINGS, FormKeys
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.inputs import CleanInput
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.toggles import MarkedRadioButton


class FirstRunScreen(OpensFocused, FormKeys, MeetingScreen):
    STYLE_FILE = "screens/first_run.tcss"
    BINDINGS = [
        Binding("ctrl+n", "add_partner", "Add a partner", id="add_partner"),
        Binding("ctrl+s", "create", "Create", id="create"),
        Binding("ctrl+q", "app.quit", "Quit", id="quit"),
        *FORM_BINDINGS,
    ]
    OPENS_FOCUSED = "#name Input"
    OPENS_ON_TEXT = True

    def __init__(self, meeting: Meeting, *, time_zone: str = "UTC") -> None:
        super().__init__(meeting)
        self._time_zone = time_zone

    def compose(self) -> ComposeResult:
        draft = self.meeting.state.setup or SetupDraft()
        partner_names = list(draft.partners) or ["", ""]
        partner_names += [""] * (2 - len(partner_names))
        with VerticalScroll(id="form"):
            yield Static(Content("Welcome to facilitator"), id="welcome", markup=False)
            yield Static(
                Content(
                    "Set up your partnership: who meets, how often, and for how long. "
                    "Everything is saved as you type."
                ),
                id="intro",
                markup=False,
            )
            yield Field(
                "Name of the partnership",
                value=draft.name,
                placeholder="e.g. Tuesday check-in",
                id="name",
            )
            yield Label(Content("Partners (two, or up to six for a peer group)"), classes="section")
            with Vertical(id="partners"):
                for index, name in enumerate(partner_names, start=1):
                    yield self._partner_field(index, name)
            yield Static("", id="partners-error", markup=False)
            yield Button("Add a partner", id="add-partner", variant="default")
            yield Label(Content("How often do you meet?"), classes="section")
            with RadioSet(id="cadence"):
                for option in (Cadence.WEEKLY, Cadence.FORTNIGHTLY, Cadence.MONTHLY):
                    yield MarkedRadioButton(
                        option.label, value=option.value == draft.cadence, name=option.value
                    )
            yield Field(
                "Planned length of a session, in minutes",
                value=draft.minutes or str(DEFAULT_SESSION_MINUTES),
                select_on_focus=True,  # a number, replaced whole, as a form's default is
                id="minutes",
            )
            with Horizontal(id="buttons"):
                yield Button("Create partnership", id="create", variant="primary")
        yield KeyBar()

    @staticmethod
    def _partner_field(index: int, name: str) -> Field:
        return Field("", value=name, placeholder=f"Partner {index}'s name", classes="partner")

    def meeting_changed(self, update: Update) -> None:
        if update.after.partnership is not None and self.is_current:
            self._go_home()  # set up here, or on another screen meanwhile

    # The draft: stored as it is typed, so nothing typed is lost ---------------------------

    def _draft(self) -> SetupDraft:
        return SetupDraft(
            name=self.query_one("#name", Field).value,
            partners=tuple(f.value for f in self.query(".partner").results(Field)),
            cadence=self._cadence().value,
            minutes=self.query_one("#minutes", Field).value,
        )

    def _cadence(self) -> Cadence:
        pressed = self.query_one("#cadence", RadioSet).pressed_button
        return Cadence(pressed.name) if pressed is not None and pressed.name else Cadence.WEEKLY

    @on(CleanInput.Idle)
    @on(Input.Blurred)
    @on(RadioSet.Changed)
    def save_draft(self) -> None:
        self.meeting.save_setup_draft(self._draft())

    def keep_drafts(self) -> None:
        """Before a quit: everything typed so far, even without Enter or Tab."""
        if self.meeting.partnership is None:
            self.save_draft()

    def enter_moves_on(self, field: Input) -> bool:
        return field.parent is not self.query_one("#minutes", Field)

    def form_entered(self, field: Input) -> None:
        self.save_draft()
        if field.parent is self.query_one("#minutes", Field):
            self.action_create()

    @on(Input.Changed, ".partner Input")
    def clear_partner_error(self) -> None:
        self.query_one("#partners-error", Static).remove_class("-shown")

    # Actions ------------------------------------------------------------------------------

    @on(Button.Pressed, "#add-partner")
    async def action_add_partner(self) -> None:
        partners = self.query_one("#partners", Vertical)
        count = len(partners.children)
        if count >= MAX_PARTNERS:
            self._partners_error(f"A peer group has at most {MAX_PARTNERS} partners.")
            return
        field = self._partner_field(count + 1, "")
        await partners.mount(field)
        field.input.focus()

    def _partners_error(self, message: str) -> None:
        error = self.query_one("#partners-error", Static)
        error.update(Content(message))
        error.add_class("-shown")

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        name_field = self.query_one("#name", Field)
        minutes_field = self.query_one("#minutes", Field)
        problems = 0
        try:
            name = validate_partnership_name(name_field.value)
        except InvalidText as error:
            name_field.show_error(str(error))
            problems += 1
        try:
            partners = validate_partner_names(
                [f.value for f in self.query(".partner").results(Field)]
            )
        except InvalidText as error:
            self._partners_error(str(error))
            problems += 1
        try:
            minutes = validate_session_minutes(minutes_field.value)
        except InvalidText as error:
            minutes_field.show_error(str(error))
            problems += 1
        if problems:
            self.notify("Please check the highlighted fields.", severity="warning")
            return
        partnership = self.meeting.create_partnership(
            name, partners, self._cadence(), minutes, self._time_zone
        )
        self.notify(
            f"{partnership.name} is set up. Start your first session when you're ready.",
            markup=False,
        )
        self._go_home()

    def _go_home(self) -> None:
        from facilitator.ui.screens.home import HomeScreen

        self.app.switch_screen(HomeScreen(self.meeting))

"""First run: set up the partnership (name, partners, how often, how long)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, RadioButton, RadioSet, Static

from facilitator.domain.partnership import (
    DEFAULT_SESSION_MINUTES,
    MAX_PARTNERS,
    Cadence,
    validate_partner_names,
    validate_partnership_name,
    validate_session_minutes,
)
from facilitator.domain.text import InvalidText
from facilitator.ui.widgets.field import Field

if TYPE_CHECKING:
    from facilitator.ui.app import FacilitatorApp


class FirstRunScreen(Screen[None]):
    CSS_PATH = "first_run.tcss"
    BINDINGS = [
        Binding("ctrl+n", "add_partner", "Add a partner", id="add_partner"),
        Binding("ctrl+s", "create", "Create", id="create"),
        Binding("ctrl+q", "app.quit", "Quit", id="quit"),
    ]

    @property
    def facilitator(self) -> FacilitatorApp:
        return cast("FacilitatorApp", self.app)

    def compose(self) -> ComposeResult:
        draft = self.facilitator.meeting.repository.load_draft() or {}
        partner_names: list[str] = list(draft.get("partners", [])) or ["", ""]
        partner_names += [""] * (2 - len(partner_names))
        cadence = draft.get("cadence", Cadence.WEEKLY.value)
        with VerticalScroll(id="form"):
            yield Static("Welcome to facilitator", id="welcome")
            yield Static(
                "Set up your partnership: who meets, how often, and for how long. "
                "Everything is saved as you go.",
                id="intro",
            )
            yield Field(
                "Name of the partnership",
                value=draft.get("name", ""),
                placeholder="e.g. Tuesday check-in",
                id="name",
            )
            yield Label("Partners (two, or up to six for a peer group)", classes="section")
            with Vertical(id="partners"):
                for index, name in enumerate(partner_names, start=1):
                    yield self._partner_field(index, name)
            yield Static("", id="partners-error")
            yield Button("Add a partner", id="add-partner", variant="default")
            yield Label("How often do you meet?", classes="section")
            with RadioSet(id="cadence"):
                for option in Cadence:
                    yield RadioButton(
                        option.label, value=option.value == cadence, name=option.value
                    )
            yield Field(
                "Planned length of a session, in minutes",
                value=str(draft.get("minutes", DEFAULT_SESSION_MINUTES)),
                id="minutes",
            )
            with Horizontal(id="buttons"):
                yield Button("Create partnership", id="create", variant="primary")
        yield Footer()

    @staticmethod
    def _partner_field(index: int, name: str) -> Field:
        return Field("", value=name, placeholder=f"Partner {index}'s name", classes="partner")

    def on_mount(self) -> None:
        self.query_one("#name", Field).input.focus()

    # The draft: stored as each field is entered, so nothing typed is lost ----------------

    def _draft(self) -> dict[str, Any]:
        return {
            "name": self.query_one("#name", Field).value,
            "partners": [f.value for f in self.query(".partner").results(Field)],
            "cadence": self._cadence().value,
            "minutes": self.query_one("#minutes", Field).value,
        }

    def _cadence(self) -> Cadence:
        pressed = self.query_one("#cadence", RadioSet).pressed_button
        return Cadence(pressed.name) if pressed is not None and pressed.name else Cadence.WEEKLY

    @on(Input.Blurred)
    @on(RadioSet.Changed)
    def save_draft(self) -> None:
        self.facilitator.meeting.save_draft(self._draft())

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        self.save_draft()
        if event.input.parent is self.query_one("#minutes", Field):
            self.action_create()
        else:
            self.focus_next(Input)

    @on(Input.Changed, ".partner Input")
    def clear_partner_error(self) -> None:
        self.query_one("#partners-error", Static).remove_class("-shown")

    # Actions ---------------------------------------------------------------------------------

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
        error.update(message)
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
        meeting = self.facilitator.meeting
        partnership = meeting.create_partnership(name, partners, self._cadence(), minutes)
        from facilitator.ui.screens.home import HomeScreen

        self.app.switch_screen(HomeScreen())
        self.notify(f"{partnership.name} is set up. Start your first session when you're ready.")

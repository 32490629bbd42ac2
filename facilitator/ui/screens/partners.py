"""The partnership itself: its name, and who is in it (fix a name, add or remove a partner).

How often the partners meet and how long a session lasts are part of the agreement, and are
changed there (one place for them). A partner who leaves keeps their history; their open
actions go to another partner, or are let go, as the person removing them chooses.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, RadioSet, Static

from facilitator.domain.changes import PartnershipTerms, quoted
from facilitator.domain.partnership import (
    MAX_PARTNERS,
    MIN_PARTNERS,
    NAME_LENGTH,
    Partnership,
    validate_partnership_name,
)
from facilitator.domain.record import record
from facilitator.domain.state import MeetingState
from facilitator.domain.text import InvalidText, clean_text
from facilitator.meeting import Update
from facilitator.ui.screens.base import DialogScreen, MeetingScreen
from facilitator.ui.screens.one_line import OneLineDialog
from facilitator.ui.text import guarded, line, shown, styled
from facilitator.ui.widgets.keybar import KeyBar
from facilitator.ui.widgets.rows import RowList
from facilitator.ui.widgets.status import SaveStatus
from facilitator.ui.widgets.toggles import MarkedRadioButton

NAME_ROW = "partnership-name"
LET_GO = "let-go"


def validate_partner_name(raw: str, others: list[str]) -> str:
    """A partner's name: not empty, not too long, and not the same as another partner's."""
    name = clean_text(raw, what="The name", max_length=NAME_LENGTH)
    if any(name.casefold() == other.casefold() for other in others):
        raise InvalidText(f"There is already a partner called {quoted(name)}; tell them apart.")
    return name


@record
class Removal:
    reassign_to: str | None
    """Who takes over the open actions (None: they are let go)."""


class RemovePartnerDialog(DialogScreen[Removal | None]):
    """Remove a partner: their open actions go to another partner, or are let go."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "remove_partner", "Remove", id="remove_partner"),
    ]

    def __init__(self, partnership: Partnership, partner_id: str, open_actions: int) -> None:
        super().__init__()
        self._partnership = partnership
        self._partner_id = partner_id
        self._open = open_actions

    def compose(self) -> ComposeResult:
        name = self._partnership.partner_name(self._partner_id)
        others = [p for p in self._partnership.partners if p.id != self._partner_id]
        with Vertical(classes="dialog"):
            yield Static(
                line("Remove ", styled(name), " from the partnership?"),
                classes="question",
                markup=False,
            )
            what = (
                "1 open action: who takes it"
                if self._open == 1
                else (f"{self._open} open actions: who takes them")
            )
            detail = (
                line(styled(name), f"'s history stays. They have {what} over?")
                if self._open
                else line(styled(name), "'s history stays. They have no open actions.")
            )
            yield Static(detail, classes="detail", markup=False)
            with RadioSet(id="reassign"):
                if self._open:
                    for index, other in enumerate(others):
                        yield MarkedRadioButton(
                            line("Give them to ", styled(other.name)),
                            value=index == 0,
                            name=other.id,
                        )
                    yield MarkedRadioButton("Let them go (they are dropped)", name=LET_GO)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Remove", id="remove", variant="error")
        yield KeyBar(palette=False)

    def on_mount(self) -> None:
        self.query_one("#reassign", RadioSet).display = bool(self._open)
        if self._open:
            self.set_focus(self.query_one("#reassign", RadioSet))
        else:
            self.set_focus(self.query_one("#remove", Button))

    @on(Button.Pressed, "#remove")
    def action_remove_partner(self) -> None:
        pressed = self.query_one("#reassign", RadioSet).pressed_button
        choice = pressed.name if pressed is not None else None
        self.dismiss(Removal(reassign_to=None if choice in (None, LET_GO) else choice))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def partner_line(name: str, open_actions: int, supporter: bool) -> Content:
    plural = "action" if open_actions == 1 else "actions"
    return line(
        styled(name, "bold"),
        (f"  {open_actions} open {plural}", "$text-muted"),
        ("  · supports only" if supporter else "", "$text-muted"),
    )


class PartnersScreen(MeetingScreen):
    """The partnership's name and its partners."""

    DEFAULT_CSS = """
    PartnersScreen #partners-bar { height: 1; background: $panel; }
    PartnersScreen #partners-title { width: 1fr; padding: 0 1; color: $text; }
    PartnersScreen #partners-intro { color: $text-muted; padding: 1 2 0 2; }
    PartnersScreen #people { margin: 1 2 0 2; }
    PartnersScreen #message {
        color: $text-error; padding: 0 2; height: auto; display: none;
    }
    PartnersScreen #message.-shown { display: block; }
    PartnersScreen #former { color: $text-muted; padding: 1 2 0 2; }
    PartnersScreen #rhythm { color: $text-muted; padding: 1 2 0 2; }
    """

    BINDINGS = [
        Binding("r", "rename", "Rename", id="rename"),
        Binding("n", "add", "Add a partner", id="add"),
        Binding("x,delete", "remove", "Remove", key_display="x", id="remove"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="partners-bar"):
            yield Static(id="partners-title", markup=False)
            yield SaveStatus(id="save-status")
        yield Static(
            Content(
                "Fix a name with r, add a partner with n, remove one with x (their history stays)."
            ),
            id="partners-intro",
            markup=False,
        )
        yield RowList(id="people")
        yield Static("", id="message", markup=False)
        yield Static("", id="former", markup=False)
        yield Static(
            Content(
                "How often you meet and how long a session lasts are part of the agreement: "
                "change them on the agreement screen."
            ),
            id="rhythm",
            markup=False,
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self._draw(self.meeting.state)
        self.set_focus(self.query_one("#people", RowList))

    def meeting_changed(self, update: Update) -> None:
        for notice in update.notices:
            self.notify(notice, severity="warning", markup=False, timeout=8)
        self._draw(update.after)
        self.refresh_bindings()

    def _draw(self, state: MeetingState) -> None:
        partnership = state.partnership
        if partnership is None:
            return
        self.query_one("#partners-title", Static).update(
            line(("Partners · ", "bold"), styled(partnership.name, "bold"))
        )
        self.query_one(SaveStatus).show(self.meeting)
        by_owner = state.open_actions_by_owner()
        agreement = partnership.agreement
        supporters = agreement.supporters()
        rows = [
            (NAME_ROW, line(("The partnership: ", "$text-muted"), styled(partnership.name, "bold")))
        ]
        rows += [
            (
                p.id,
                guarded(partner_line, p.name, len(by_owner.get(p.id, [])), p.id in supporters),
            )
            for p in partnership.partners
        ]
        self.query_one("#people", RowList).show_rows(rows)
        former = self.query_one("#former", Static)
        if partnership.former:
            names = Content(", ").join([styled(p.name) for p in partnership.former])
            former.update(line("Former partners (their history stays): ", names))
        former.display = bool(partnership.former)

    def _message(self, text: str) -> None:
        message = self.query_one("#message", Static)
        message.update(Content(shown(text)))
        message.set_class(bool(text), "-shown")

    def _highlighted(self) -> str | None:
        return self.query_one("#people", RowList).highlighted_id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            row = self._highlighted()
            return row is not None and row != NAME_ROW
        return True

    @on(RowList.OptionHighlighted, "#people")
    def _moved(self) -> None:
        self._message("")
        self.refresh_bindings()

    # Changing -------------------------------------------------------------------------------

    def action_rename(self) -> None:
        partnership = self.meeting.partnership
        row = self._highlighted()
        if partnership is None or row is None:
            return
        self._message("")
        seen = PartnershipTerms.of(partnership)
        if row == NAME_ROW:

            def renamed_partnership(name: str | None) -> None:
                if name is not None and name != seen.name:
                    self.meeting.change_terms(seen, replace(seen, name=name))

            self.app.push_screen(
                OneLineDialog(
                    self.meeting,
                    "partnership-name",
                    Content("Rename the partnership"),
                    "Name of the partnership",
                    partnership.name,
                    validate_partnership_name,
                ),
                renamed_partnership,
            )
            return
        current = partnership.partner_name(row)
        others = [p.name for p in partnership.partners if p.id != row]

        def renamed(name: str | None) -> None:
            if name is None or name == current:
                return
            names = tuple((pid, name if pid == row else old) for pid, old in seen.partner_names)
            self.meeting.change_terms(seen, replace(seen, partner_names=names))

        self.app.push_screen(
            OneLineDialog(
                self.meeting,
                f"partner-name:{row}",
                line("Fix ", styled(current), "'s name"),
                "Their name",
                current,
                lambda raw: validate_partner_name(raw, others),
            ),
            renamed,
        )

    def action_add(self) -> None:
        partnership = self.meeting.partnership
        if partnership is None:
            return
        if len(partnership.partners) >= MAX_PARTNERS:
            self._message(f"A peer group has at most {MAX_PARTNERS} partners.")
            return
        self._message("")
        others = [p.name for p in partnership.partners]

        def added(name: str | None) -> None:
            if name is not None:
                self.meeting.add_partner(name)
                self.notify(
                    f"{name} joins the partnership. Their feedback preference can be written "
                    "on the agreement.",
                    markup=False,
                )

        self.app.push_screen(
            OneLineDialog(
                self.meeting,
                "new-partner",
                Content("Add a partner"),
                "Their name",
                "",
                lambda raw: validate_partner_name(raw, others),
                yes="Add",
            ),
            added,
        )

    def action_remove(self) -> None:
        state = self.meeting.state
        partnership = state.partnership
        row = self._highlighted()
        if partnership is None or row is None or row == NAME_ROW:
            return
        name = partnership.partner_name(row)
        if len(partnership.partners) <= MIN_PARTNERS:
            self._message(
                f"A partnership needs at least {MIN_PARTNERS} partners: add someone (n) "
                f"before {name} leaves."
            )
            return
        live = state.live
        if live is not None and row in live.present:
            self._message(f"{name} is in the session under way: finish it before they leave.")
            return
        self._message("")
        open_actions = len(state.open_actions_by_owner().get(row, []))

        def chosen(removal: Removal | None) -> None:
            if removal is None:
                return
            self.meeting.remove_partner(row, removal.reassign_to)
            if removal.reassign_to:
                to = self.meeting.partner_name(removal.reassign_to)
                self.notify(f"{name} has left; their open actions are now {to}'s.", markup=False)
            else:
                self.notify(f"{name} has left; their history stays.", markup=False)

        self.app.push_screen(RemovePartnerDialog(partnership, row, open_actions), chosen)

    def action_back(self) -> None:
        self.dismiss()

"""What every phase panel shares: the meeting, the partner whose turn it is, a list and an input."""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, cast

from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from facilitator.domain.actions import EntryKind
from facilitator.domain.text import InvalidText
from facilitator.meeting import Meeting
from facilitator.ui.widgets.field import Field

if TYPE_CHECKING:
    from facilitator.ui.app import FacilitatorApp


class PhasePanel(Vertical):
    """One phase of the agenda, shown for one turn; `show_turn` redraws it for a partner."""

    can_focus = True  # with nothing to list, the panel itself holds focus so its keys work

    partner_id: str | None = None

    @property
    def meeting(self) -> Meeting:
        return cast("FacilitatorApp", self.app).meeting

    def show_turn(self, partner_id: str | None) -> None:
        self.partner_id = partner_id
        self.redraw()

    def redraw(self) -> None:
        raise NotImplementedError

    def save_unsent(self) -> None:
        """Store text typed but not yet entered, for the partner who typed it, before the
        turn moves on: never carried to the next partner, never silently dropped."""

    def save_typed(self, field: Field, kind: EntryKind) -> None:
        if not field.value.strip() or self.partner_id is None:
            return
        name = self.meeting.partner_name(self.partner_id)
        try:
            entry = self.meeting.add_entry(field.value, kind, self.partner_id)
        except InvalidText as error:
            self.notify(f"Not saved for {name}: {error}", severity="warning")
        else:
            self.notify(f"Saved for {name}: {entry.text}", title=kind.label)
        field.input.clear()

    def focus_default(self) -> None:
        """Focus the list if it has items, else the panel, so the Footer shows its keys."""
        lists = self.query(OptionList)
        if lists and lists.first().option_count:
            lists.first().focus()
        else:
            self.focus()

    def typing(self) -> bool:
        return isinstance(self.screen.focused, Input)

    def highlighted_id(self) -> str | None:
        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        if index is None or not option_list.option_count:
            return None
        return option_list.get_option_at_index(index).id

    def fill_list(self, option_list: OptionList, options: list[Option]) -> None:
        """Replace a list's options, keeping the highlight on the same item where it remains;
        an empty list is hidden."""
        keep = self.highlighted_id()
        option_list.clear_options()
        option_list.add_options(options)
        option_list.display = bool(options)
        if keep is not None and options:
            with suppress(OptionDoesNotExist):  # gone: the highlight falls where it may
                option_list.highlighted = option_list.get_option_index(keep)
        if option_list.highlighted is None and options:
            option_list.highlighted = 0

    def action_stop_typing(self) -> None:
        self.focus_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_typing":
            return self.typing()
        return not self.typing()

"""Brainstorm obstacles: obstacles, ideas and help asked for, each a short entry."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.widgets import Input, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from facilitator.domain.actions import EntryKind
from facilitator.domain.text import InvalidText
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.phase_panel import PhasePanel

KINDS = (EntryKind.OBSTACLE, EntryKind.IDEA, EntryKind.HELP)
KIND_STYLE = {
    EntryKind.OBSTACLE: "[b $warning]Obstacle[/]",
    EntryKind.IDEA: "[b $accent]Idea[/]",
    EntryKind.HELP: "[b $primary]Help asked[/]",
}


class ObstaclesPanel(PhasePanel):
    BINDINGS = [
        Binding("o", "add('obstacle')", "Obstacle", show=False, id="add_obstacle"),
        Binding("i", "add('idea')", "Idea", show=False, id="add_idea"),
        Binding("h", "add('help')", "Help asked", show=False, id="add_help"),
        Binding("delete", "remove", "Remove", show=False, id="remove_entry"),
        Binding("escape", "stop_typing", "Done typing", id="stop_typing"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="obstacles-heading", classes="panel-heading")
        yield OptionList(id="entries")
        with RadioSet(id="kind"):
            for kind in KINDS:
                yield RadioButton(kind.label, value=kind is EntryKind.OBSTACLE, name=kind.value)
        yield Field("", placeholder="Type an obstacle, idea or request; press Enter", id="entry")

    def redraw(self) -> None:
        assert self.partner_id is not None
        name = escape(self.meeting.partner_name(self.partner_id))
        self.query_one("#obstacles-heading", Static).update(
            f"[b]{name}: what's in the way, ideas, and help wanted[/b] · o obstacle, i idea, "
            "h help asked, Del removes"
        )
        entries = self.meeting.entries_for(self.partner_id, *KINDS)
        option_list = self.query_one("#entries", OptionList)
        option_list.clear_options()
        option_list.add_options(
            Option(f"{KIND_STYLE[e.kind]}  {escape(e.text)}", id=e.id) for e in entries
        )
        if entries:
            option_list.highlighted = len(entries) - 1

    def _kind(self) -> EntryKind:
        pressed = self.query_one("#kind", RadioSet).pressed_button
        return EntryKind(pressed.name) if pressed and pressed.name else EntryKind.OBSTACLE

    def action_add(self, kind_value: str) -> None:
        for button in self.query("#kind RadioButton").results(RadioButton):
            if button.name == kind_value:
                button.value = True
        self.query_one("#entry", Field).input.focus()

    @on(Input.Submitted, "#entry Input")
    def add_entry(self, event: Input.Submitted) -> None:
        event.stop()
        field = self.query_one("#entry", Field)
        try:
            self.meeting.add_entry(event.value, self._kind(), self.partner_id or "")
        except InvalidText as error:
            field.show_error(str(error))
            return
        event.input.clear()
        self.redraw()

    def save_unsent(self) -> None:
        self.save_typed(self.query_one("#entry", Field), self._kind())

    def action_remove(self) -> None:
        entry_id = self.highlighted_id()
        entry = next((e for e in self.meeting.entries if e.id == entry_id), None)
        if entry is not None:
            self.meeting.remove_entry(entry)
            self.notify(f"Removed: {entry.text}")
            self.redraw()

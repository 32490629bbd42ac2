"""Brainstorm obstacles: obstacles, ideas and help asked for, each a short entry."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import RadioButton, RadioSet, Static

from facilitator.domain.actions import Entry, EntryKind
from facilitator.domain.state import MeetingState
from facilitator.ui.text import guarded, line, styled
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.phase_panel import EntryListPanel, heading
from facilitator.ui.widgets.rows import RowList
from facilitator.ui.widgets.toggles import MarkedRadioButton

KINDS = (EntryKind.OBSTACLE, EntryKind.IDEA, EntryKind.HELP)
KIND_STYLE = {
    EntryKind.OBSTACLE: "bold $text-warning",
    EntryKind.IDEA: "bold $text-accent",
    EntryKind.HELP: "bold $text-primary",
}
PLACEHOLDERS = {
    EntryKind.OBSTACLE: "What's in the way? Type it, press Enter",
    EntryKind.IDEA: "An idea: type it, press Enter",
    EntryKind.HELP: "What help would you like? Type it, press Enter",
}


def entry_line(entry: Entry) -> Content:
    return line((f"{entry.kind.label:<10}", KIND_STYLE[entry.kind]), " ", styled(entry.text))


class ObstaclesPanel(EntryListPanel):
    BOX = "obstacles"
    ROWS = "entries"
    BINDINGS = [
        Binding("o", "add('obstacle')", "Obstacle", id="add_obstacle"),
        Binding("i", "add('idea')", "Idea", id="add_idea"),
        Binding("h", "add('help')", "Help", id="add_help"),
        Binding("x,delete", "remove", "Remove", key_display="x", id="remove_entry"),
        Binding("u", "undo", "Undo", id="undo_remove"),
        # Priority: Escape then keys typed right behind it go where the person meant.
        Binding("escape", "stop_typing", "Done typing", priority=True, id="stop_typing"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="obstacles-heading", classes="panel-heading", markup=False)
        yield RowList(id="entries")
        with RadioSet(id="kind"):
            for kind in KINDS:
                yield MarkedRadioButton(
                    kind.label, value=kind is EntryKind.OBSTACLE, name=kind.value
                )
        yield Field("", placeholder=PLACEHOLDERS[EntryKind.OBSTACLE], entry=True, id="entry")

    def redraw(self, state: MeetingState) -> None:
        if self.partner_id is None:
            return
        name = state.partner_name(self.partner_id)
        self.query_one("#obstacles-heading", Static).update(
            heading(name, ": what's in the way, ideas, and help wanted")
        )
        entries = state.entries_for(self.partner_id, *KINDS)
        rows = self.query_one("#entries", RowList)
        grew = len(entries) > len(rows.row_ids)
        rows.show_rows([(e.id, guarded(entry_line, e)) for e in entries])
        if grew and entries:
            rows.highlight(entries[-1].id)
            rows.scroll_end(animate=False)

    def current_item(self) -> Content | None:
        entries = self.meeting.entries_for(self.partner_id or "", *KINDS)
        return guarded(entry_line, entries[-1]) if entries else None

    def focus_default(self) -> None:
        self.screen.set_focus(self.query_one("#entry", Field).input)

    def entry_kind(self) -> EntryKind:
        pressed = self.query_one("#kind", RadioSet).pressed_button
        return EntryKind(pressed.name) if pressed and pressed.name else EntryKind.OBSTACLE

    @on(RadioSet.Changed, "#kind")
    def _kind_changed(self) -> None:
        self.query_one("#entry", Field).input.placeholder = PLACEHOLDERS[self.entry_kind()]

    def action_add(self, kind_value: str) -> None:
        for button in self.query("#kind RadioButton").results(RadioButton):
            if button.name == kind_value:
                button.value = True
        self.screen.set_focus(self.query_one("#entry", Field).input)

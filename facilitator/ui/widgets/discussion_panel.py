"""A free discussion: notes of what was talked through, one short entry each."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from facilitator.domain.actions import Entry, EntryKind
from facilitator.domain.state import MeetingState
from facilitator.domain.text import InvalidText
from facilitator.ui.text import guarded, line, styled
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.phase_panel import EntryListPanel, heading
from facilitator.ui.widgets.rows import RowList

TOGETHER = ""
"""Whose notes in a phase taken together: the group's (no one partner's)."""


def note_line(entry: Entry) -> Content:
    return line(("Note  ", "bold $text-accent"), styled(entry.text))


class DiscussionPanel(EntryListPanel):
    """The phase kind "discussion": notes, taken together (or per partner if so agreed)."""

    BOX = "discussion"
    ROWS = "notes"
    BINDINGS = [
        Binding("n", "note", "Note", id="add_note"),
        Binding("x,delete", "remove", "Remove", key_display="x", id="remove_note"),
        Binding("u", "undo", "Undo", id="undo_note"),
        # Priority: Escape then keys typed right behind it go where the person meant.
        Binding("escape", "stop_typing", "Done typing", priority=True, id="stop_typing"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="discussion-heading", classes="panel-heading", markup=False)
        yield RowList(id="notes")
        yield Field(
            "",
            placeholder="A note from the discussion: type it, press Enter",
            entry=True,
            id="note-entry",
        )

    # The turn: a phase taken together keeps its notes (and its draft) as the group's. ------

    def show_turn(self, partner_id: str | None) -> None:
        super().show_turn(TOGETHER if partner_id is None else partner_id)

    def entry_kind(self) -> EntryKind:
        return EntryKind.NOTE

    def leave_turn(self) -> None:
        """Text typed but not entered is kept as a note (never carried on, never lost)."""
        box = self.entry_box()
        if box is None or self.partner_id is None or not box.value.strip():
            return
        text, partner_id = box.value, self.partner_id
        try:
            entry = self.meeting.add_entry(text, EntryKind.NOTE, partner_id, box=self.BOX)
        except InvalidText as error:
            self.meeting.save_draft(self.BOX, partner_id, text)
            self.notify(f"Kept in the box for later: {error}", severity="warning", markup=False)
        else:
            self.notify(f"Saved the note: {entry.text}", title="Note", markup=False)
        box.set_text("")

    def redraw(self, state: MeetingState) -> None:
        if self.partner_id is None:
            return
        whose = (
            heading("Together", ": notes from the discussion")
            if self.partner_id == TOGETHER
            else heading(state.partner_name(self.partner_id), ": notes from the discussion")
        )
        self.query_one("#discussion-heading", Static).update(whose)
        notes = state.entries_for(self.partner_id, EntryKind.NOTE)
        rows = self.query_one("#notes", RowList)
        grew = len(notes) > len(rows.row_ids)
        rows.show_rows([(e.id, guarded(note_line, e)) for e in notes])
        if grew and notes:
            rows.highlight(notes[-1].id)
            rows.scroll_end(animate=False)

    def current_item(self) -> Content | None:
        if self.partner_id is None:
            return None
        notes = self.meeting.entries_for(self.partner_id, EntryKind.NOTE)
        return guarded(note_line, notes[-1]) if notes else None

    def focus_default(self) -> None:
        self.screen.set_focus(self.query_one("#note-entry", Field).input)

    # Keys -------------------------------------------------------------------------------------

    def action_note(self) -> None:
        self.screen.set_focus(self.query_one("#note-entry", Field).input)

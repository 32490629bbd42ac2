"""What every phase panel shares: the meeting it shows, whose turn it is, and its text box."""

from __future__ import annotations

from textual import on
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input

from facilitator.domain.actions import Entry, EntryKind
from facilitator.domain.state import MeetingState
from facilitator.domain.text import InvalidText
from facilitator.meeting import Meeting
from facilitator.ui.text import line, styled
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.inputs import CleanInput, EntryInput
from facilitator.ui.widgets.rows import RowList


class PhasePanel(Vertical):
    """One phase of the agenda, shown for one turn. The screen tells it which turn, and
    hands it every new snapshot of the meeting; it redraws only what changed."""

    can_focus = True  # with nothing to list, the panel itself holds focus so its keys work

    BOX = ""
    """The name of this panel's text box, for drafts ("" when it has none)."""

    def __init__(self, meeting: Meeting, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.meeting = meeting
        self.partner_id: str | None = None

    # The turn -----------------------------------------------------------------------------

    def show_turn(self, partner_id: str | None) -> None:
        """A new turn: draw it, and bring back what this partner had typed in the box."""
        self.partner_id = partner_id
        box = self.entry_box()
        if box is not None:
            # The group's turn ("" as partner) has a draft of its own; no turn (None) has none.
            box.set_text(self.meeting.draft(self.BOX, partner_id) if partner_id is not None else "")
        self.redraw(self.meeting.state)

    def redraw(self, state: MeetingState) -> None:
        """Draw the panel from a snapshot (cheap when little changed)."""

    def current_item(self) -> Content | None:
        """What the turn is on now, for focus mode (None: the prompt says it all)."""
        return None

    def focus_default(self) -> None:
        """Put focus where the person will act next: the list if it has rows, else the box."""
        rows = self.query(RowList)
        if rows and rows.first().row_ids:
            rows.first().focus()
        elif self.entry_box() is not None:
            self.screen.set_focus(self.entry_box())
        else:
            self.screen.set_focus(self)

    # The text box ---------------------------------------------------------------------------

    def entry_box(self) -> EntryInput | None:
        found = self.query(EntryInput)
        return found.first() if found else None

    def typing(self) -> bool:
        return isinstance(self.screen.focused, Input)

    def entry_kind(self) -> EntryKind:
        return EntryKind.WIN

    def add_typed(self, text: str) -> bool:
        """Add an entry from the box; a problem is shown under the box, the text put back."""
        box = self.entry_box()
        if box is None or self.partner_id is None:
            return False
        field = box.parent
        try:
            entry = self.meeting.add_entry(text, self.entry_kind(), self.partner_id, box=self.BOX)
        except InvalidText as error:
            if isinstance(field, Field):
                field.show_error(str(error))
            box.restore(text)
            return False
        self.entry_added(entry.text)
        return True

    def entry_added(self, text: str) -> None:
        """An entry was added from the box (a panel may celebrate it)."""

    def leave_turn(self) -> None:
        """The turn moves on: text typed but not entered is added for the partner who typed
        it (never carried to the next partner, never silently dropped)."""
        box = self.entry_box()
        if box is None or self.partner_id is None or not box.value.strip():
            return
        text, partner_id = box.value, self.partner_id
        name = self.meeting.partner_name(partner_id)
        try:
            entry = self.meeting.add_entry(text, self.entry_kind(), partner_id, box=self.BOX)
        except InvalidText as error:
            self.meeting.save_draft(self.BOX, partner_id, text)
            self.notify(
                f"Kept in the box for {name}'s next turn: {error}",
                severity="warning",
                markup=False,
            )
        else:
            self.notify(f"Saved for {name}: {entry.text}", title=entry.kind.label, markup=False)
        box.set_text("")

    def keep_draft(self) -> None:
        """Store what is in the box as a draft now (before a quit, a hang-up, going home)."""
        box = self.entry_box()
        if box is not None and self.partner_id is not None:
            box.take_idle()
            self.meeting.save_draft(self.BOX, self.partner_id, box.value)

    @on(CleanInput.Idle)
    def _keep_typing_as_draft(self, event: CleanInput.Idle) -> None:
        if isinstance(event.input, EntryInput) and self.partner_id is not None and self.BOX:
            self.meeting.save_draft(self.BOX, self.partner_id, event.value)

    @on(EntryInput.Entered)
    def _entered(self, event: EntryInput.Entered) -> None:
        event.stop()
        if event.value.strip():
            self.add_typed(event.value)

    @on(CleanInput.Cleaned)
    def _cleaned(self, event: CleanInput.Cleaned) -> None:
        self.notify("Hidden control characters in what was typed were taken out.", timeout=4)

    # Keys -------------------------------------------------------------------------------------

    def action_stop_typing(self) -> None:
        """Escape in the box: keys are commands again (the list's, or the panel's)."""
        rows = self.query(RowList)
        if rows and rows.first().row_ids:
            self.screen.set_focus(rows.first())
        else:
            self.screen.set_focus(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_typing":
            return self.typing()
        return not self.typing()


class EntryListPanel(PhasePanel):
    """A panel listing the turn's entries (obstacles, ideas, notes) above a box to add more:
    x removes the highlighted one, u puts it back."""

    ROWS = ""
    """The id of the panel's list of entries."""

    def __init__(self, meeting: Meeting, *, id: str | None = None) -> None:
        super().__init__(meeting, id=id)
        self._removed: Entry | None = None

    def show_turn(self, partner_id: str | None) -> None:
        self._removed = None  # what was removed in another turn can't be put back in this one
        super().show_turn(partner_id)

    def action_remove(self) -> None:
        entry = self.meeting.state.entry(self.query_one(f"#{self.ROWS}", RowList).highlighted_id)
        if entry is None:
            return
        self.meeting.remove_entry(entry)
        self._removed = entry
        self.notify(f"Removed: {entry.text} · press u to undo", markup=False, timeout=5)
        self.refresh_bindings()

    def action_undo(self) -> None:
        if self._removed is not None:
            self.meeting.restore_entry(self._removed)
            self.notify(f"Put back: {self._removed.text}", markup=False, timeout=3)
            self._removed = None
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed or action == "stop_typing":
            return allowed
        if action == "remove":
            return bool(self.query_one(f"#{self.ROWS}", RowList).row_ids)
        if action == "undo":
            return self._removed is not None
        return True


def heading(name: str, rest: str) -> Content:
    return line(styled(name, "bold"), (rest, "bold"))

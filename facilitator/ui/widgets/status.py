"""A quiet line saying whether everything is saved, and who else has the meeting open."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from facilitator.meeting import Meeting
from facilitator.ui.text import line, styled


class SaveStatus(Static):
    DEFAULT_CSS = """
    /* At most under half the bar: the title beside it stays readable at 80 columns. */
    SaveStatus {
        width: auto; max-width: 45%; color: $text-muted; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    SaveStatus.-problem { color: $text-error; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._shown: Content | None = None

    def show(self, meeting: Meeting) -> None:
        if meeting.problem:
            state: Content = Content("! not saved yet")
        elif meeting.unsaved:
            state = Content("saving…")
        else:
            state = Content("✓ saved")
        others = meeting.others
        if others:
            names = [styled(s.label) for s in others[:3]]
            joined = Content(", ").join(names)
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            state = line(state, " · also open: ", joined, more)
        self.set_class(bool(meeting.problem), "-problem")
        if state != self._shown:
            self._shown = state
            self.update(state)

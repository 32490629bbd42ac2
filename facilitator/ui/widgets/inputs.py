"""Text boxes that keep every keystroke where it was aimed, and never hold terminal control.

`CleanInput` takes out control characters from anything typed or pasted (a paste can carry
escape sequences) and says when it did. `EntryInput` is a box for one entry after another:
Enter takes the text and empties the box in the box's own turn, before any later key is
handled, so entries typed in a fast burst (a quick typist, a laggy SSH link) are never lost
or merged. Both report the text as a draft about a second after the last key, so a kill or a
dropped connection loses at most that second.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

from facilitator.domain.text import has_hidden_characters, strip_hidden

DRAFT_DELAY_SECONDS = 1.0


class CleanInput(Input):
    draft_delay: float = DRAFT_DELAY_SECONDS

    def __init__(self, *args: Any, select_on_focus: bool = False, **kwargs: Any) -> None:
        # A box's text is the person's (often a draft brought back after a crash): focusing
        # it must not leave all of it one key away from being replaced, as Textual's
        # select-all-on-focus does. Only a box holding a default to replace whole asks for it.
        super().__init__(*args, select_on_focus=select_on_focus, **kwargs)

    class Idle(Message):
        """The person stopped typing a moment ago: time to keep the text as a draft."""

        def __init__(self, input: CleanInput, value: str) -> None:
            super().__init__()
            self.input = input
            self.value = value

        @property
        def control(self) -> CleanInput:
            return self.input

    class Cleaned(Message):
        """Hidden characters were taken out of what was typed or pasted."""

        def __init__(self, input: CleanInput) -> None:
            super().__init__()
            self.input = input

        @property
        def control(self) -> CleanInput:
            return self.input

    _idle_timer: Timer | None = None

    def replace(self, text: str, start: int, end: int) -> None:
        if has_hidden_characters(text):
            self.post_message(self.Cleaned(self))
        super().replace(strip_hidden(text), start, end)

    def _on_paste(self, event: events.Paste) -> None:
        # Textual keeps only a paste's first line; keep all of it, one line, spaces between.
        event.stop()
        event.prevent_default()
        text = " ".join(event.text.splitlines())
        if text:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)

    def set_text(self, text: str) -> None:
        """Fill the box (a draft brought back), cursor at the end. Not typing: no draft."""
        self.value = strip_hidden(text)
        self.cursor_position = len(self.value)
        if self._idle_timer is not None:
            self._idle_timer.stop()
            self._idle_timer = None

    def watch_value(self, value: str) -> None:
        if self._idle_timer is not None:
            self._idle_timer.stop()
        if self.is_mounted:
            self._idle_timer = self.set_timer(self.draft_delay, self._went_idle)

    def _went_idle(self) -> None:
        self._idle_timer = None
        self.post_message(self.Idle(self, self.value))

    def take_idle(self) -> bool:
        """Report the draft now if one is waiting (before a quit or a move)."""
        if self._idle_timer is None:
            return False
        self._idle_timer.stop()
        self._went_idle()
        return True


class EntryInput(CleanInput):
    class Entered(Message):
        """Enter was pressed on this text; the box is already empty for the next entry."""

        def __init__(self, input: EntryInput, value: str) -> None:
            super().__init__()
            self.input = input
            self.value = value

        @property
        def control(self) -> EntryInput:
            return self.input

    def key_enter(self, event: events.Key) -> None:
        # Handled here, in the box's own turn: the App would run Enter's binding only after
        # the keys typed behind it had already landed in the box.
        event.stop()
        event.prevent_default()
        value, self.value = self.value, ""
        self.post_message(self.Entered(self, value))

    def restore(self, value: str) -> None:
        """Put back text that could not be used (the message says why), unless the person
        has already typed on."""
        if not self.value:
            self.set_text(value)

"""Screens that are forms: keys that move between boxes in the order they were pressed, however
fast (`FormKeys`), and what is typed kept as a draft until the form is saved (`KeepsTyping`).

Textual runs a screen's ordinary bindings only after the keys already typed have gone to the
focused box, so with Tab and text arriving together the text lands in the previous box.
Priority bindings run in arrival order, so these move focus at once; but the box may not have
taken in the keys typed before Enter yet, so what Enter does with the text (save the form) is
done by a message that goes through the box, after those keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from textual.actions import SkipAction
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from facilitator.ui.widgets.inputs import CleanInput

FORM_BINDINGS = [
    Binding("tab", "form_next", "Next", show=False, priority=True),
    Binding("shift+tab", "form_previous", "Previous", show=False, priority=True),
    Binding("enter", "form_enter", "Next", show=False, priority=True),
]
DIALOG_FORM_BINDINGS = [
    Binding("escape", "cancel", "Cancel", id="cancel"),
    # Not a priority binding: it runs once the keys typed before it are in their box.
    Binding("ctrl+s", "save", "Save", id="save"),
    *FORM_BINDINGS,
]
"""A form in a dialog: Esc cancels, Ctrl+S saves (as the full-screen forms' Ctrl+S does)."""

if TYPE_CHECKING:
    from textual.screen import Screen

    from facilitator.meeting import Meeting

    _Screen = Screen[Any]
else:
    _Screen = object


class FormEntered(Message):
    """Enter was pressed in `input`, and every key typed before it has reached it."""

    def __init__(self, input: Input) -> None:
        super().__init__()
        self.input = input


class FormKeys(_Screen):
    """Mix into a Screen. Enter in a box moves on to the next box if `enter_moves_on` says so,
    and `form_entered(input)` is called once the box has every key typed before Enter."""

    def action_form_next(self) -> None:
        self.focus_next()

    def action_form_previous(self) -> None:
        self.focus_previous()

    def action_form_enter(self) -> None:
        focused = self.focused
        if not isinstance(focused, Input):
            raise SkipAction()  # buttons, checkboxes, lists: Enter as usual
        if self.enter_moves_on(focused):
            self.focus_next(Input)
        focused.post_message(FormEntered(focused))

    def enter_moves_on(self, field: Input) -> bool:
        """Whether Enter in `field` moves focus to the next box (decided as the key arrives)."""
        return False

    def on_form_entered(self, message: FormEntered) -> None:
        # A named handler, not @on: this mixin isn't a Textual class, so @on isn't collected.
        message.stop()
        self.form_entered(message.input)

    def form_entered(self, field: Input) -> None:
        """Enter in `field`, its text complete."""

    def action_save(self) -> None:
        self.save()

    def save(self) -> None:
        """Save the form: its Save button, and Ctrl+S in a dialog (`DIALOG_FORM_BINDINGS`)."""
        raise SkipAction()


KEPT_TOGETHER = ""
"""A form's drafts belong to the partnership, not to one partner's turn."""


class KeepsTyping(_Screen):
    """Mix into a form Screen that has `meeting`: what is typed in its text boxes is kept as a
    draft (about a second after the last key, and at once on a quit or a hang-up) and brought
    back when the same form is opened again, until the form is saved or given up. So a kill or
    a dropped connection loses at most a second of it, as in the session's boxes.

    `typing_kept_as` names the form and what it is about ("agreement", "goal:ID"); each box
    is known by its id or its Field's. Call `bring_back_typing()` once the form is filled,
    and `forget_typing()` when it is saved or given up."""

    meeting: Meeting
    _typed_over: dict[str, str]

    @property
    def typing_kept_as(self) -> str:
        raise NotImplementedError

    def _kept_boxes(self) -> Iterator[tuple[str, CleanInput]]:
        for box in self.query(CleanInput):
            key = self._draft_key(box)
            if key:
                yield key, box

    def _draft_key(self, box: CleanInput) -> str | None:
        """The draft a box's text is kept as: by its id, or its Field's."""
        name = box.id or (box.parent.id if box.parent is not None else None)
        return f"form:{self.typing_kept_as}:{name}" if name else None

    def bring_back_typing(self) -> None:
        """Put back what was typed in the boxes and not saved, and say so."""
        self._typed_over = {}
        brought = False
        for key, box in self._kept_boxes():
            self._typed_over[key] = box.value
            text = self.meeting.draft(key, KEPT_TOGETHER)
            if text and text != box.value:
                box.set_text(text)
                brought = True
        if brought:
            self.notify(
                "What was typed here before is back in its boxes. It isn't saved yet.",
                title="Not saved yet",
                timeout=8,
            )

    def on_clean_input_idle(self, event: CleanInput.Idle) -> None:
        key = self._draft_key(event.input)
        if key:
            self._keep(key, event.value)

    def _keep(self, key: str, text: str) -> None:
        # Back to what the form showed when opened: nothing to keep.
        unchanged = text == getattr(self, "_typed_over", {}).get(key, "")
        self.meeting.save_draft(key, KEPT_TOGETHER, "" if unchanged else text)

    def keep_drafts(self) -> None:
        """Keep what is in the boxes now (the app calls this before a quit or a hang-up)."""
        for key, box in self._kept_boxes():
            self._keep(key, box.value)

    def forget_typing(self) -> None:
        """The form was saved or given up: its drafts go."""
        for key, box in self._kept_boxes():
            box.set_text(box.value)  # stops a draft that was about to be reported
            self.meeting.save_draft(key, KEPT_TOGETHER, "")

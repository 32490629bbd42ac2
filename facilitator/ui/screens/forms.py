"""Keys for screens that are forms: Tab, Shift+Tab and Enter move between boxes in the order
they were pressed, however fast.

Textual runs a screen's ordinary bindings only after the keys already typed have gone to the
focused box, so with Tab and text arriving together the text lands in the previous box.
Priority bindings run in arrival order, so these move focus at once; but the box may not have
taken in the keys typed before Enter yet, so what Enter does with the text (save the form) is
done by a message that goes through the box, after those keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.actions import SkipAction
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

FORM_BINDINGS = [
    Binding("tab", "form_next", "Next", show=False, priority=True),
    Binding("shift+tab", "form_previous", "Previous", show=False, priority=True),
    Binding("enter", "form_enter", "Next", show=False, priority=True),
]

if TYPE_CHECKING:
    from textual.screen import Screen

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

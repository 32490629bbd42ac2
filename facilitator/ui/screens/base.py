"""What the app's screens share: the meeting they show, and the one path its changes take."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual import on
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from facilitator.meeting import Meeting, Update


class MeetingChanged(Message):
    """The meeting's snapshot changed: by this screen, another screen, or another process."""

    def __init__(self, update: Update) -> None:
        super().__init__()
        self.update = update


class MeetingScreen(Screen[None]):
    """A screen that shows a meeting: it hears of every change through `meeting_changed`."""

    def __init__(self, meeting: Meeting) -> None:
        super().__init__()
        self.meeting = meeting
        self._stop_listening: Callable[[], None] | None = None

    # Textual runs each class's own on_mount and on_unmount, this one's too: a subclass's
    # handlers never call super() (that would listen twice, and keep one listening after the
    # screen has closed).
    def on_mount(self) -> None:
        if self._stop_listening is None:
            self._stop_listening = self.meeting.listen(self._post_change)

    def on_unmount(self) -> None:
        if self._stop_listening is not None:
            self._stop_listening()
            self._stop_listening = None

    def _post_change(self, update: Update) -> None:
        self.post_message(MeetingChanged(update))

    @on(MeetingChanged)
    def _changed(self, message: MeetingChanged) -> None:
        self.meeting_changed(message.update)

    def meeting_changed(self, update: Update) -> None:
        """Redraw what the change touched."""


# A mixin of screens, not a screen: Textual finds a screen's styles (DEFAULT_CSS, and the
# type names its CSS matches) through the first base that is a widget, so this must not be one.
if TYPE_CHECKING:
    _Mixin = Screen[Any]
else:
    _Mixin = object


class OpensFocused(_Mixin):
    """A screen that opens with one widget focused (`OPENS_FOCUSED`, a selector), after its
    layout. Textual's own auto-focus is off: it would focus the first focusable widget before
    on_mount moved focus on (each move restyles the whole screen), and before the layout
    (scrolling a long form past its top). Whenever the screen comes back with nothing focused
    (the terminal lost focus while another screen was on top, say), the same widget is
    focused again. Text typed before it opened goes into its box (`take_typed`). Put it
    first among a screen's bases."""

    AUTO_FOCUS: ClassVar[str | None] = ""
    OPENS_FOCUSED: str = ""
    """A class's, or one screen's when what it opens on depends on what it shows."""
    OPENS_ON_TEXT: bool = False
    """Whether `OPENS_FOCUSED` is a text box: text typed before the screen opened goes there.
    A screen that opens on buttons or a tick box leaves early keys to its bindings."""
    _box_ready = False
    _typed_early = ""
    opened = False
    """Drawn with its box focused: keys typed from now on go to the box by themselves."""

    def on_mount(self) -> None:
        box = self.query_one(self.OPENS_FOCUSED)
        if isinstance(box, Input) and self._typed_early:
            self._type_into(box, self._typed_early)
        self.set_focus(box, scroll_visible=False)  # at once, and the form stays at its top
        self._typed_early = ""
        self._box_ready = True
        self.call_after_refresh(self._now_open)

    def _now_open(self) -> None:
        self.opened = True

    def on_screen_resume(self) -> None:
        if self.focused is None and self.is_mounted:
            self.query_one(self.OPENS_FOCUSED).focus()

    def take_typed(self, text: str) -> bool:
        """Text typed straight after the key that opened this screen, before it was `opened`
        (in one burst, as a fast typist or a slow link delivers it): those keys were on their
        way through the screen below, or reached this one before its box had focus, and
        nothing took them (FacilitatorApp.on_key). It goes into the box, in the order typed.
        False if the screen opens on something other than a text box."""
        if not self.OPENS_ON_TEXT:
            return False
        if not self._box_ready:
            self._typed_early += text  # for on_mount
            return True
        box = self.query_one(self.OPENS_FOCUSED, Input)
        self._type_into(box, text)
        return True

    @staticmethod
    def _type_into(box: Input, text: str) -> None:
        # Focus arriving after the text must not select it all, or the next key replaces it.
        box.select_on_focus = False
        box.insert_text_at_cursor(text)


T = TypeVar("T")


class DialogScreen(ModalScreen[T], Generic[T]):
    """A small dialog over the current screen (styled in dialogs.tcss, scoped to this class)."""

    STYLE_FILE = "screens/dialogs.tcss"
    """Its styles, under facilitator/ui/, read when the first dialog opens (as each screen's
    STYLE_FILE: FacilitatorApp._load_styles)."""

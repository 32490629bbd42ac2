"""Shown instead of a cramped screen when the terminal is too small to use."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH = 60
MIN_HEIGHT = 20


class TooSmallScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen Static { width: 100%; text-align: center; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="message", markup=False)

    def on_mount(self) -> None:
        self.show_size(self.app.size.width, self.app.size.height)

    def show_size(self, width: int, height: int) -> None:
        self.query_one("#message", Static).update(
            Content(
                f"The window is {width}×{height}; facilitator needs at least "
                f"{MIN_WIDTH}×{MIN_HEIGHT}.\nMake it larger and everything comes back as it was."
            )
        )

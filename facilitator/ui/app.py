"""The App, built by `make_app` from a repository and a clock."""

from __future__ import annotations

from textual import events
from textual.app import App, InvalidThemeError
from textual.binding import Binding

from facilitator.domain.clock import Clock
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository
from facilitator.store.writer import BackgroundWriter
from facilitator.ui.themes import DEFAULT_THEME, load_themes

MIN_WIDTH = 60
MIN_HEIGHT = 20


class FacilitatorApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "facilitator"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit")]

    def __init__(self, repository: Repository, clock: Clock, *, theme: str | None = None) -> None:
        super().__init__()
        self.writer = BackgroundWriter(
            on_error=self._save_failed, on_recovered=self._save_recovered
        )
        self.meeting = Meeting(repository, clock, submit=self.writer.submit)
        self._requested_theme = theme
        self._too_small_shown = False

    # Start-up ------------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._apply_themes()
        from facilitator.ui.screens.first_run import FirstRunScreen
        from facilitator.ui.screens.home import HomeScreen

        if self.meeting.partnership is None:
            self.push_screen(FirstRunScreen())
        else:
            self.push_screen(HomeScreen())
            if self.meeting.session is not None:
                self.offer_resume()
        self.check_size(self.size.width, self.size.height)

    def _apply_themes(self) -> None:
        for theme in load_themes():
            self.register_theme(theme)
        for name in (self._requested_theme, DEFAULT_THEME):
            if not name:
                continue
            try:
                self.theme = name
                return
            except InvalidThemeError:
                self.notify(f"There is no theme called {name!r}.", severity="warning")

    def offer_resume(self) -> None:
        from facilitator.ui.screens.resume import ResumeScreen

        def chosen(resume: bool | None) -> None:
            if resume:
                self.open_session(resume=True)

        self.push_screen(ResumeScreen(), chosen)

    def open_session(self, *, resume: bool) -> None:
        from facilitator.ui.screens.session import SessionScreen

        if resume:
            self.meeting.resume_session()
        self.push_screen(SessionScreen())
        if resume and not self.meeting.live.timer.running:
            self.notify("The clock is paused: press space to start it again.", title="Resumed")

    # Saving ---------------------------------------------------------------------------------------

    def _save_failed(self, error: Exception) -> None:
        self.call_from_thread(
            self.notify,
            f"{error}\nWhat you enter stays on screen and will be saved as soon as it can be.",
            title="Not saved yet",
            severity="error",
            timeout=20,
        )

    def _save_recovered(self) -> None:
        self.call_from_thread(self.notify, "Everything is saved again.", title="Saved")

    def wait_for_saves(self) -> None:
        """Block until every change so far is on disk (tests, and before exiting)."""
        self.writer.flush()

    # Quitting ------------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        from facilitator.ui.screens.session import SessionScreen

        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen):
                screen.save_unsent()
        self.meeting.pause_for_quit()
        self.exit()

    # A terminal too small to use -------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.check_size(event.size.width, event.size.height)

    def check_size(self, width: int, height: int) -> None:
        from facilitator.ui.screens.too_small import TooSmallScreen

        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        if too_small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif not too_small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()
        elif too_small and isinstance(self.screen, TooSmallScreen):
            self.screen.show_size(width, height)


def make_app(repository: Repository, clock: Clock, *, theme: str | None = None) -> FacilitatorApp:
    """Build the app; tests pass a repository on a temporary file and a fake clock."""
    return FacilitatorApp(repository, clock, theme=theme)

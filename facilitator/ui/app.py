"""The App, built by `make_app` from a repository and a clock."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import signal
import threading
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import Any, ClassVar, cast

from textual import events
from textual.app import App, InvalidThemeError, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.driver import Driver
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen as TextualScreen
from textual.timer import Timer

from facilitator.domain.clock import Clock
from facilitator.domain.ids import new_id
from facilitator.domain.state import Author
from facilitator.meeting import Meeting
from facilitator.store.presence import Presence, Screen, default_label
from facilitator.store.repository import Repository
from facilitator.store.worker import (
    OthersOpen,
    Report,
    SaveFailed,
    SaveRecovered,
    Seen,
    Stored,
    StoreWorker,
)
from facilitator.ui.screens.base import MeetingScreen, OpensFocused
from facilitator.ui.screens.too_small import MIN_HEIGHT, MIN_WIDTH
from facilitator.ui.text import shown
from facilitator.ui.themes import DEFAULT_THEME, load_themes

LAST_RESORT_EXIT_SECONDS = 15.0
"""After a hang-up or kill signal: exit even if saving could not finish by then."""

WARM_UP_SECONDS = 1.0
"""After the first frame, when what start-up left out is loaded (see `_warm_up`)."""

START_OBJECTS_KEPT_SECONDS = 10.0
"""How long what the start made is kept out of the collector's way (see `_collect_again`)."""

UI_FOLDER = Path(__file__).parent

STYLES = ["app.tcss"]
"""The app's own styles, parsed at start-up. Each screen's (its STYLE_FILE, every rule scoped to
its class) is parsed the first time a screen of its kind opens: see `_load_styles`."""


class StoreReport(Message):
    """What the store thread has to say, carried onto the screen's thread."""

    def __init__(self, report: Report) -> None:
        super().__init__()
        self.report = report


SCREENS_BY_NAME = {
    "agreement": ("agreement", "AgreementScreen"),
    "partners": ("partners", "PartnersScreen"),
    "agenda": ("agenda", "AgendaScreen"),
    "history": ("history", "HistoryScreen"),
    "term-review": ("term_review", "TermReviewScreen"),
    "goals": ("goals", "GoalsScreen"),
    "agreement-history": ("agreement_history", "AgreementHistoryScreen"),
}
"""The partnership's own screens, by the name home's keys and the palette open them with:
each screen's module and class, imported only when it is first opened (not at start-up)."""


class FacilitatorApp(App[None]):
    CSS_PATH: ClassVar[list[str | PurePath]] = list(STYLES)
    TITLE = "facilitator"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit")]

    def __init__(
        self,
        repository: Repository,
        clock: Clock,
        *,
        theme: str | None = None,
        author: Author | None = None,
        store_thread: bool = True,
        time_zone: str = "UTC",
        settings_path: Path | None = None,
        prep_for: str | None = None,
        collector_paused: bool = False,
    ) -> None:
        super().__init__()
        self._collector_paused = collector_paused
        """cli.main paused the cyclic collector for the start: run it again once drawn."""
        self.letting_go_of_start: Timer | None = None
        self._prep_for = prep_for
        """None: start at home; "": prepare, asking who; a partner's id: prepare as them."""
        from facilitator.ui.settings import Preferences, default_settings_path

        self.preferences = Preferences(settings_path or default_settings_path())
        self.repository = repository
        self.author = author or Author(client=new_id(), label=default_label())
        self.meeting = Meeting(repository, clock, author=self.author)
        self._store_thread = store_thread
        self.worker: StoreWorker | None = None
        self.time_zone = time_zone
        self.crash_report: Path | None = None
        self.crashed = False
        self._apply_themes(theme)

    # Start-up ---------------------------------------------------------------------------------

    def _apply_themes(self, requested: str | None) -> None:
        """Register our themes and choose one before the first styles are worked out: the one
        asked for on the command line, else the one this person chose last time."""
        for theme in load_themes():
            self.register_theme(theme)
        self._theme_problems: list[str] = []
        if self.preferences.problem:
            self._theme_problems.append(self.preferences.problem)
        remembered = self.preferences.settings.theme
        for name, source in (
            (requested, "--theme"),
            (remembered, "remembered"),
            (DEFAULT_THEME, ""),
        ):
            if not name:
                continue
            try:
                self.theme = name
                self._theme_in_use = name
                return
            except InvalidThemeError:
                where = "asked for" if source == "--theme" else "you chose last time"
                self._theme_problems.append(
                    f"The theme {name!r} {where} isn't available; using {DEFAULT_THEME}."
                )

    def on_mount(self) -> None:
        for problem in self._theme_problems:
            self.notify(problem, severity="warning", markup=False, timeout=10)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        from facilitator.store.storage import exposure

        exposed = next(filter(None, (exposure(f) for f in self.repository.files())), None)
        if exposed:
            self.notify(
                f"{exposed}. Meetings are private by default: run chmod 600 on it, or set up "
                "sharing for your partner as the README describes.",
                title="Your notes may be readable",
                severity="warning",
                timeout=20,
                markup=False,
            )
        self._start_store_thread()
        self._catch_stop_signals()
        if self.meeting.partnership is None:
            from facilitator.ui.screens.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen(self.meeting, time_zone=self.time_zone))
        else:
            from facilitator.ui.screens.home import HomeScreen

            self.push_screen(HomeScreen(self.meeting))
            if self._prep_for is not None:
                self.open_prep(self._prep_for or None)
            elif self.meeting.session is not None and not self.meeting.others:
                # Found mid-session with no screen on it (after a quit or crash): its clock
                # stops when it was last in use, so time away is never counted. Home offers
                # to pick it up (r), at the top of the screen.
                self.meeting.recover_interrupted()
        self.check_size(self.size.width, self.size.height)

    def on_key(self, event: events.Key) -> None:
        """A key no screen or widget took, arriving while a form has just opened: typed straight
        after the key that opened it, so its text is meant for the form's box (OpensFocused)."""
        screen = self.screen
        if (
            isinstance(screen, OpensFocused)
            and not screen.opened
            and event.is_printable
            and event.character
            and screen.take_typed(event.character)
        ):
            event.stop()
            event.prevent_default()

    def on_ready(self) -> None:
        if self._collector_paused:
            self.call_after_refresh(self._collect_again)
        # Counted from the first frame (Ready comes with the first layout, before it is drawn):
        # on a slow machine the warm-up must not land before the screen it waits behind.
        self.call_after_refresh(self._start_warm_up)

    def _start_warm_up(self) -> None:
        self.set_timer(WARM_UP_SECONDS, self._warm_up, name="warm up")

    def _warm_up(self) -> None:
        """What start-up leaves out because the first screen needs none of it (the change
        records, ~15 ms), loaded while the person reads that screen, not on their first key."""
        import facilitator.domain.changes  # noqa: F401

    def _collect_again(self) -> None:
        """The first frame is drawn: the cyclic collector, paused for the start (cli.main),
        runs again. What the start made (modules, classes, styles, the first screens: some
        90,000 objects) is frozen first, or the first collection would go over all of it
        (30-40 ms) just as the screen fills in. It is let go again a few seconds later, to
        the oldest generation, so what of it becomes garbage (the set-up form, a closed
        dialog) is freed like anything else."""
        self._collector_paused = False
        gc.freeze()
        gc.enable()
        self.letting_go_of_start = self.set_timer(
            START_OBJECTS_KEPT_SECONDS, self.let_go_of_start_objects, name="start objects"
        )

    def let_go_of_start_objects(self) -> None:
        gc.unfreeze()

    def _remember_theme(self, theme: object) -> None:
        """A theme chosen in the app (the command palette) is this person's from now on."""
        if self.theme == self._theme_in_use:
            return  # the theme set at start-up (by --theme, say) is not a new choice
        self._theme_in_use = self.theme
        problem = self.preferences.change(theme=self.theme)
        if problem:
            self.notify(problem, severity="warning", markup=False)

    def _start_store_thread(self) -> None:
        if not self._store_thread:
            return
        presence = Presence(self.repository.path, self.author.client, self.author.label)
        self.worker = StoreWorker(self.repository, self._from_store, presence=presence)
        self.meeting.use_store_thread(self.worker.submit)
        if self.worker.others:
            self.meeting.others_changed(self.worker.others)

    def _from_store(self, report: Report) -> None:
        """Called on the store's thread: post, never wait (post_message is thread-safe)."""
        self.post_message(StoreReport(report))

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        self._load_styles(screen)
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen: TextualScreen[Any] | str) -> AwaitComplete:
        self._load_styles(screen)
        return super().switch_screen(screen)

    def _load_styles(self, screen: object) -> None:
        """A screen's own styles (its `STYLE_FILE`), added the first time a screen of its kind
        opens: a start shows one screen, and every file read at start-up was parsed then
        (Textual's parser takes ~6 M instructions a kilobyte; the session's and the dialogs'
        were a twentieth of the start). Not as the screen's CSS_PATH: for that, Textual parses
        every style of the app again (each widget's too) and restyles every screen; a source
        added here is parsed alone, and no screen already open has a node its rules match."""
        name = getattr(screen, "STYLE_FILE", None)
        if name is None:
            return
        path = UI_FOLDER / name
        if not self.stylesheet.has_source(str(path)):
            self.stylesheet.add_source(path.read_text(encoding="utf-8"), read_from=(str(path), ""))

    def get_driver_class(self) -> type[Driver]:
        """A driver that survives bad bytes and hang-ups, unless another was asked for (the
        browser's, when served)."""
        from textual import constants

        driver = super().get_driver_class()
        if constants.DRIVER is None and driver.__name__ == "LinuxDriver":
            from facilitator.ui.driver import SafeLinuxDriver

            return SafeLinuxDriver
        return driver

    def open_prep(self, partner_id: str | None) -> None:
        """A partner's own preparation; asks who they are when not given."""
        from facilitator.ui.screens.prep import PrepScreen

        if partner_id:
            self.push_screen(PrepScreen(self.meeting, partner_id))
            return
        from facilitator.ui.screens.who import WhoScreen

        def chosen(chosen_id: str | None) -> None:
            if chosen_id:
                self.push_screen(PrepScreen(self.meeting, chosen_id))

        self.push_screen(WhoScreen(self.meeting, "Who is preparing?"), chosen)

    def action_open(self, place: str) -> None:
        """Open one of the partnership's own screens (from home's keys or the palette)."""
        if self.meeting.partnership is None:
            self.notify("Set up the partnership first.")
            return
        screen = self._screens_by_name(place)
        if screen is not None:
            self.push_screen(screen)

    def _screens_by_name(self, place: str) -> MeetingScreen | None:
        found = SCREENS_BY_NAME.get(place)
        if found is None:
            return None
        module, name = found
        screen_class = getattr(importlib.import_module(f"facilitator.ui.screens.{module}"), name)
        return cast("MeetingScreen", screen_class(self.meeting))

    def get_system_commands(self, screen: TextualScreen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.meeting.partnership is None:
            return
        for title, help_text, place in (
            ("Goals", "Everyone's goals: set, track progress, achieve or redefine", "goals"),
            (
                "History",
                "Past sessions: who came, wins, obstacles, actions and their fate",
                "history",
            ),
            (
                "Term review",
                "Look back over this term: goals, follow-through, reasons",
                "term-review",
            ),
            ("Agreement", "What the partners agreed: confidentiality, rhythm, roles", "agreement"),
            (
                "Partners",
                "Rename the partnership or a partner; add or remove a partner",
                "partners",
            ),
            ("Agenda", "The phases of a session, their order and timeboxes", "agenda"),
            ("Agreement history", "Every earlier version of the agreement", "agreement-history"),
        ):
            yield SystemCommand(title, help_text, lambda p=place: self.action_open(p))
        yield SystemCommand(
            "Prepare", "Your own preparation for the next session", lambda: self.open_prep(None)
        )

    def open_session(self, *, resume: bool) -> None:
        from facilitator.ui.screens.session import SessionScreen

        self.push_screen(SessionScreen(self.meeting, self.preferences))
        if resume and not self.meeting.live.timer.running:
            self.notify("The clock is paused: press space to start it again.", title="Resumed")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast passes here: its text is data (never markup) and is drawn safely, like
        all user text, whichever screen or widget raised it."""
        safe = "\n".join(shown(part) for part in str(message).split("\n"))
        super().notify(safe, title=shown(title), severity=severity, timeout=timeout, markup=False)

    # What the store thread reports ------------------------------------------------------------

    def on_store_report(self, message: StoreReport) -> None:
        report = message.report
        if isinstance(report, Stored):
            self.meeting.stored_change(report.seq, report.outcome)
        elif isinstance(report, Seen):
            self.meeting.seen(report.state)
        elif isinstance(report, OthersOpen):
            self._others_changed(report.screens)
        elif isinstance(report, SaveFailed):
            self._save_failed(report)
        elif isinstance(report, SaveRecovered):
            self.meeting.save_problem(None)
            self.notify("Everything is saved again.", title="Saved")

    def _others_changed(self, screens: tuple[Screen, ...]) -> None:
        before = {s.client: s.label for s in self.meeting.others}
        after = {s.client: s.label for s in screens}
        self.meeting.others_changed(screens)
        for client, label in after.items():
            if client not in before:
                self.notify(f"{label} has this meeting open too.", title="Joined", markup=False)
        for client, label in before.items():
            if client not in after:
                self.notify(
                    f"{label} has closed (or lost its connection).", title="Left", markup=False
                )

    def _save_failed(self, report: SaveFailed) -> None:
        if report.unexpected:
            from facilitator.crash import write_crash_report

            where = write_crash_report(self.repository.path, report.error)
            self.notify(
                "One change could not be applied, because of a fault in facilitator. "
                "Everything else is saved."
                + (f" A report for the developers is in {where}." if where else ""),
                title="Not saved",
                severity="error",
                timeout=20,
                markup=False,
            )
            return
        self.meeting.save_problem(str(report.error))
        self.notify(
            f"{report.error}\nWhat you enter stays on screen and is saved as soon as it can be.",
            title="Not saved yet",
            severity="error",
            timeout=20,
            markup=False,
        )

    def wait_for_saves(self) -> None:
        """Block until every change so far is on disk (tests, and before exiting)."""
        if self.worker is not None:
            self.worker.flush()

    # Quitting -----------------------------------------------------------------------------------

    def _keep_what_is_typed(self) -> None:
        for screen in self.screen_stack:
            keep = getattr(screen, "keep_drafts", None)
            if keep is not None:
                with contextlib.suppress(Exception):
                    keep()

    async def action_quit(self) -> None:
        self._keep_what_is_typed()
        self.meeting.pause_for_quit()
        worker = self.worker
        if worker is not None and worker.failing and worker.pending:
            from facilitator.ui.screens.not_saved import NotSavedScreen

            def chosen(quit_anyway: bool | None) -> None:
                if quit_anyway:
                    self.exit()

            self.push_screen(
                NotSavedScreen(worker.pending, self.meeting.problem or "The data can't be saved."),
                chosen,
            )
            return
        self.exit()

    def _catch_stop_signals(self) -> None:
        """Closing the terminal, a dropped SSH connection, a kill or an interrupt: like a
        quit, everything saved and the clock paused."""
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self._stop_signal)

    def terminal_gone(self) -> None:
        """The terminal went away without a signal: the same as a hang-up."""
        self._stop_signal()

    def _stop_signal(self) -> None:
        with contextlib.suppress(Exception):
            self._keep_what_is_typed()
            self.meeting.pause_for_quit()
        last_resort = threading.Timer(LAST_RESORT_EXIT_SECONDS, _exit_now)
        last_resort.daemon = True
        last_resort.start()
        self.exit()

    # An unexpected fault ------------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        from facilitator.crash import write_crash_report

        self.crashed = True
        if self.crash_report is None:  # the first fault is the one to report; others follow it
            self.crash_report = write_crash_report(self.repository.path, error)
        with contextlib.suppress(Exception):
            self.meeting.pause_for_quit()
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Leave the terminal clean: no traceback (it would show what was typed) on a screen
        both partners may be looking at. The command line says what happened."""
        self.bell()
        self._close_messages_no_wait()

    # A terminal too small to use ------------------------------------------------------------

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


def _exit_now() -> None:
    import os

    os._exit(1)


make_app = FacilitatorApp
"""Build the app: the command line passes the store it opened and the real clock; tests a
store on a temporary file, a fake clock and a settings file of their own."""


__all__ = ["MIN_HEIGHT", "MIN_WIDTH", "FacilitatorApp", "make_app"]

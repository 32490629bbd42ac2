"""A terminal driver that survives what real terminals and connections send.

Textual's Linux driver decodes the keyboard strictly, so a terminal sending invalid UTF-8
(for example the bytes of a lone surrogate) ends the app; after a hang-up (an SSH connection
dropped) its writer thread dies and the next writes block forever. This driver decodes with
replacement characters, stops reading at end of input or on a read error, and stops writing
once the terminal has gone, so the app can still save and quit.

`run_input_thread` is Textual 8.2's own, with those changes (marked); it is Textual's
private machinery, so check it on a Textual upgrade (tests send it bad bytes and hang-ups).
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from typing import Any

from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver


class SafeLinuxDriver(LinuxDriver):
    # Output: never block on a terminal that has gone away ----------------------------------

    def _output_gone(self) -> bool:
        writer = self._writer_thread
        return writer is not None and not writer.is_alive()

    def write(self, data: str) -> None:
        if not self._output_gone():
            super().write(data)

    def flush(self) -> None:
        if not self._output_gone():
            super().flush()

    def close(self) -> None:
        if not self._output_gone():
            super().close()

    def _terminal_gone(self) -> None:
        """No more keys will come (the terminal closed without a hang-up signal, say): stop
        reading, and have the app save and quit as it does on a hang-up."""
        self.exit_event.set()
        stop = getattr(self._app, "terminal_gone", self._app.exit)
        self._loop.call_soon_threadsafe(stop)

    # Input ----------------------------------------------------------------------------------

    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno, event_read = self.fileno, selectors.EVENT_READ
        parser = XTermParser(self._debug)
        feed, tick = parser.feed, parser.tick
        # Changed: bad bytes become U+FFFD instead of ending the app.
        decode = getincrementaldecoder("utf-8")(errors="replace").decode
        read = os.read

        def process_selector_events(selector_events: Any, final: bool = False) -> None:
            for last, (_key, mask) in loop_last(selector_events):
                if mask & event_read:
                    try:
                        raw = read(fileno, 1024 * 4)
                    except OSError:  # changed: the terminal hung up
                        self._terminal_gone()
                        return
                    if not raw:  # changed: end of input; don't spin on it
                        self._terminal_gone()
                        return
                    unicode_data = decode(raw, final=final and last)
                    if not unicode_data:
                        break
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(0.1))
            selector.unregister(self.fileno)
        finally:
            selector.close()
            try:
                for _event in feed(""):
                    pass
            except (EOFError, ParseError):
                pass

"""The real program in a real (pseudo-)terminal: stopped by signals, killed, cut off from its
terminal, fed bad bytes, crashing, or started with no terminal at all. Nothing typed is lost
beyond the last second, the clock never runs on unattended, and nothing private is shown.

Each test's app runs on its own data file holding a partnership of Ana and Ben with a first
session in progress: the app opens on home, offering "Pick up where you left off?". The tests marked
`@together.test` start their apps, and run, side by side (see `Together`).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pty_helpers import (
    CTRL_Q,
    ENTER,
    Plan,
    PtyApp,
    Run,
    Started,
    Together,
    app_env,
    resume_session,
    running,
    session_in_progress,
    start_the_clock,
    stored,
    strip_escapes,
    wait_until,
)

from facilitator.store.repository import Repository

LEAVE_APP_SCREEN = b"\x1b[?1049l"
HANG_UP_SECONDS = 8.0
"""After its terminal goes away the app saves and exits in about 0.3 s; a busy machine may
take longer, but not this long."""
DRAFT_SECONDS = 6.0
"""A draft is saved about a second after the last key (more on a busy machine)."""
NO_TERMINAL_SECONDS = 5.0

CRASH_IN_A_REDRAW = """
from facilitator.ui.widgets.review_panel import ReviewPanel

_redraw = ReviewPanel.redraw

def redraw(self, state):
    for entry in state.entries.values():
        raise RuntimeError("boom: " + entry.text)
    _redraw(self, state)

ReviewPanel.redraw = redraw
"""
"""A fault in the UI the moment a win is shown, carrying what was typed (as a real one's
values would, in the crash report)."""

together = Together()


@pytest.fixture(scope="module")
def concurrently(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Run]:
    """Start the apps of every selected test below, then run their bodies side by side."""
    selected = [
        item.name
        for item in request.session.items
        if getattr(item, "module", None) is request.module
    ]
    with together.run(selected, tmp_path_factory.mktemp("apps")) as run:
        yield run


def assert_no_traceback(app: PtyApp) -> None:
    assert "Traceback" not in app.text(), app.text()[-2000:]


# Stopped from outside ------------------------------------------------------------------------


def stop_mid_sentence(started: Started, number: signal.Signals) -> None:
    app, data = started.app, started.data
    resume_session(app)
    start_the_clock(app)
    since = app.mark()
    app.send(b"half a sentence")  # no Enter, and the signal comes before the draft's second
    app.wait_for("half a sentence", since=since)

    app.signal(number)

    assert app.wait_exit(HANG_UP_SECONDS) == 0
    assert_no_traceback(app)
    state = stored(data)
    assert state.draft("win", started.ana) == "half a sentence"
    assert state.draft("win", started.ben) == ""
    assert not state.entries, "kept as typed, in the box: not entered as a win"
    assert state.session is not None
    assert not state.session.timer.running, "time away must not count"


@together.test()
def test_sighup_mid_sentence_keeps_the_text_and_stops_the_clock(started: Started) -> None:
    """The terminal window is closed."""
    stop_mid_sentence(started, signal.SIGHUP)


@together.test()
def test_sigterm_mid_sentence_keeps_the_text_and_stops_the_clock(started: Started) -> None:
    """A shutdown, or `kill`."""
    stop_mid_sentence(started, signal.SIGTERM)


@together.test()
def test_sigint_mid_sentence_keeps_the_text_and_stops_the_clock(started: Started) -> None:
    """`kill -INT`, or Ctrl+C reaching it as a signal (from a wrapper script, say): in the
    app's raw mode the key itself is just a key."""
    stop_mid_sentence(started, signal.SIGINT)


@together.test()
def test_kill_9_loses_at_most_the_last_second_of_typing(started: Started) -> None:
    """Text typed and left (no Enter, no other key) is saved as a draft by itself about a
    second later; after a kill -9, starting again brings it back into its box."""
    app, data = started.app, started.data
    resume_session(app)
    since = app.mark()
    app.send(b"every word counts")
    app.wait_for("every word counts", since=since)

    wait_until(
        lambda: stored(data).draft("win", started.ana) == "every word counts",
        DRAFT_SECONDS,
        "the draft to be saved after the typing stopped",
    )
    app.proc.kill()
    assert app.wait_exit() == -signal.SIGKILL

    with running(data) as again:
        resume_session(again)  # the text is back in Ana's box, where it was typed
        again.wait_for("every word counts")
        again.send(CTRL_Q)
        assert again.wait_exit() == 0


@together.test()
def test_the_terminal_going_away_saves_and_exits(started: Started) -> None:
    """A dropped SSH connection: the terminal closes, and the kernel sends SIGHUP."""
    app, data = started.app, started.data
    resume_session(app)
    start_the_clock(app)
    since = app.mark()
    app.send(b"lost connection")
    app.wait_for("lost connection", since=since)

    app.close_terminal()

    assert app.wait_exit(HANG_UP_SECONDS) == 0
    state = stored(data)
    assert state.draft("win", started.ana) == "lost connection"
    assert state.session is not None and not state.session.timer.running


@together.test(Plan(ctty=False))
def test_the_terminal_going_away_without_a_hangup_signal_saves_and_exits(
    started: Started,
) -> None:
    """The same, when no SIGHUP comes (the terminal is not the app's controlling one, as
    under `setsid`): the app sees its terminal's end itself, and must not run on unseen."""
    app, data = started.app, started.data
    resume_session(app)
    start_the_clock(app)
    since = app.mark()
    app.send(b"lost connection")
    app.wait_for("lost connection", since=since)

    app.close_terminal()

    assert app.wait_exit(HANG_UP_SECONDS) == 0
    state = stored(data)
    assert state.draft("win", started.ana) == "lost connection"
    assert state.session is not None and not state.session.timer.running


# What the terminal sends ---------------------------------------------------------------------


@together.test()
def test_invalid_utf8_from_the_terminal_is_stored_as_replacement_characters(
    started: Started,
) -> None:
    app, data = started.app, started.data
    resume_session(app)
    app.send(b"ab\xed\xa0\x80cd", ENTER)  # the UTF-8 bytes of a lone surrogate, U+D800
    wait_until(lambda: stored(data).entries, DRAFT_SECONDS, "the win to be stored")

    # Still up: it draws and takes more keys.
    since = app.mark()
    app.send(b"still here", ENTER)
    app.wait_for("still here", since=since)
    wait_until(lambda: len(stored(data).entries) == 2, DRAFT_SECONDS, "the second win")
    app.send(CTRL_Q)
    assert app.wait_exit() == 0
    assert_no_traceback(app)

    repository = Repository.open(data)
    wins = sorted(e.text for e in repository.read().entries.values())
    assert wins[1] == "still here"
    text = wins[0]
    assert text[:2] == "ab" and text[-2:] == "cd", text
    assert text[2:-2] and set(text[2:-2]) == {"\ufffd"}, text
    for path in repository.files():
        document = json.loads(path.read_bytes().decode("utf-8"))  # strict: valid UTF-8
        # No lone surrogate either, written as a JSON escape: it would not encode.
        json.dumps(document, ensure_ascii=False).encode("utf-8")


# An unexpected fault ----------------------------------------------------------------------------


@together.test(Plan(extra=CRASH_IN_A_REDRAW))
def test_a_crash_says_the_data_is_safe_and_keeps_the_details_private(started: Started) -> None:
    app, data = started.app, started.data
    resume_session(app)
    start_the_clock(app)
    app.send(b"my secret plan")
    app.wait_for("my secret plan")  # drawn in the box, as typed

    app.send(ENTER)  # the win is shown: the UI fails

    assert app.wait_exit() == 1
    assert_no_traceback(app)
    assert "boom" not in app.text(), "the error is not shown, even on the app's screen"
    # What stays on the terminal once the app's screen has gone: a short message only.
    left = app.raw.rsplit(LEAVE_APP_SCREEN, 1)
    assert len(left) == 2, "the app's screen was left"
    after = strip_escapes(left[1])
    assert "secret" not in after, "what was typed must not be shown again"
    reports = sorted(data.parent.glob("facilitator.crash-*.txt"))
    assert len(reports) == 1, sorted(os.listdir(data.parent))
    report = reports[0]
    assert f"saved in {data}" in after
    assert str(report) in after
    assert "readable by you only" in after
    assert report.stat().st_mode & 0o777 == 0o600
    details = report.read_text(encoding="utf-8")
    assert "Traceback" in details
    assert "RuntimeError: boom: my secret plan" in details

    # And the data is safe: the win that was entered, the clock stopped.
    state = stored(data)
    assert [(e.partner_id, e.text) for e in state.entries.values()] == [
        (started.ana, "my secret plan")
    ]
    assert state.session is not None and not state.session.timer.running


# No terminal at all ------------------------------------------------------------------------------


def test_with_no_terminal_it_refuses_at_once(tmp_path: Path) -> None:
    data = tmp_path / "facilitator.json"
    session_in_progress(data)
    before = {path: path.read_bytes() for path in Repository.open(data).files()}
    began = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "facilitator", "--data", str(data)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=app_env(),
        timeout=NO_TERMINAL_SECONDS * 5,
    )
    took = time.monotonic() - began
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert took < NO_TERMINAL_SECONDS, f"took {took:.1f} s: it should not start at all"
    assert {path: path.read_bytes() for path in Repository.open(data).files()} == before


def test_input_redirected_in_a_terminal_is_refused_without_drawing(tmp_path: Path) -> None:
    """`facilitator < file` typed in a terminal: output is a terminal, input is not."""
    data = tmp_path / "facilitator.json"
    session_in_progress(data)
    app = PtyApp(data, stdin=subprocess.DEVNULL)
    try:
        assert app.wait_exit(NO_TERMINAL_SECONDS) == 2
        app.wait_for("needs a terminal", timeout=NO_TERMINAL_SECONDS)
        assert b"\x1b[?1049h" not in app.raw, "it should not have switched to the app's screen"
        assert "Traceback" not in app.text()
    finally:
        app.stop()

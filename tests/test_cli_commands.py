"""The command line without the full-screen app: actions, sessions, show, and what every command
shares (help, exit codes, messages on stderr, no Textual). Run as a real program on real data
files where it matters; in-process (`cli.main`) where only the output is checked."""

from __future__ import annotations

import atexit
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator import cli
from facilitator.commands import all_commands
from facilitator.domain.actions import Action, ActionStatus, EntryKind
from facilitator.domain.clock import CLOCK_OFFSET_ENV, FakeClock
from facilitator.domain.partnership import Cadence, Partnership
from facilitator.meeting import Meeting
from facilitator.store.repository import Repository

REPO_ROOT = Path(__file__).resolve().parent.parent
ZONE = "Europe/London"
FIRST = datetime(2025, 12, 16, 18, 0, tzinfo=UTC)
"""A Tuesday evening: three weekly sessions run from December 2025 into January 2026."""
NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
"""When the command line runs, in these tests (a Monday, noon: a few seconds either way
don't change the date)."""
HOSTILE = "Read pages [3 to 10 · fixed [/b] bug 🎉 \x1b[31mred"


# A store with a history, built through the app's own Meeting ----------------------------------


@dataclass
class Built:
    path: Path
    meeting: Meeting
    clock: FakeClock
    partnership: Partnership
    sessions: list[str]
    """The finished sessions' ids, oldest first."""

    @property
    def ana(self) -> str:
        return self.partnership.partners[0].id

    @property
    def ben(self) -> str:
        return self.partnership.partners[1].id


_TEMPLATES: dict[tuple[object, ...], tuple[Path, datetime, list[str]]] = {}
_TEMPLATE_ROOT = Path(tempfile.mkdtemp(prefix="facilitator-cli-tests-"))
atexit.register(shutil.rmtree, _TEMPLATE_ROOT, ignore_errors=True)


def build_store(
    path: Path,
    *,
    weeks: int = 3,
    start: datetime = FIRST,
    cadence: Cadence = Cadence.WEEKLY,
    live: bool = False,
    names: tuple[str, ...] = ("Ana", "Ben"),
) -> Built:
    """Weekly sessions from `start`: each reviews last time's actions (the first done, the
    next partly done and carried, the rest left open), records a win, an obstacle, an idea and
    help asked for per partner, and agrees two actions each. With `live`, one more session is
    under way: one action marked, one win.

    Each kind of store is built once (through the app's Meeting) and copied afterwards, with
    a Meeting and a clock on the copy to go on with."""
    key = (weeks, start, cadence, live, names)
    if key not in _TEMPLATES:
        template = _TEMPLATE_ROOT / str(len(_TEMPLATES)) / path.name
        made = _build_store(template, weeks=weeks, start=start, cadence=cadence, names=names)
        if live:
            go_live(made)
        _TEMPLATES[key] = (template, made.clock.now, made.sessions)
    template, now, held = _TEMPLATES[key]
    shutil.copytree(template.parent, path.parent, dirs_exist_ok=True)
    for copied in list(path.parent.iterdir()):
        if copied.name.startswith(template.stem) and copied.name != path.name:
            rest = copied.name[len(template.stem) :]
            copied.rename(path.with_name(path.stem + rest))
    clock = FakeClock(now)
    meeting = Meeting(Repository.open(path, time_zone=lambda: ZONE), clock)
    return Built(path, meeting, clock, meeting.the_partnership, list(held))


def _build_store(
    path: Path,
    *,
    weeks: int,
    start: datetime,
    cadence: Cadence,
    names: tuple[str, ...],
) -> Built:
    repository = Repository.open(path, time_zone=lambda: ZONE)
    clock = FakeClock(start)
    meeting = Meeting(repository, clock)
    meeting.create_partnership("Tuesday check-in", list(names), cadence, 30, ZONE)
    held = []
    for week in range(1, weeks + 1):
        session = meeting.begin_session([p.id for p in meeting.the_partnership.partners])
        clock.advance(60)
        for partner in session.present:
            for number, action in enumerate(meeting.to_review(partner)):
                if number == 0:
                    meeting.mark(action, ActionStatus.DONE)
                elif number == 1:
                    meeting.mark(action, ActionStatus.PARTLY, in_the_way="Flu", carry=True)
            name = meeting.partner_name(partner)
            meeting.add_entry(f"{name}'s win in week {week}", EntryKind.WIN, partner)
            meeting.add_entry(f"{name}'s obstacle in week {week}", EntryKind.OBSTACLE, partner)
            meeting.add_entry(f"{name}'s idea in week {week}", EntryKind.IDEA, partner)
            meeting.add_entry(f"{name} asks for help, week {week}", EntryKind.HELP, partner)
            for carried in meeting.agreed(partner):
                meeting.confirm_action(carried)
            for number in (1, 2):
                meeting.add_action(
                    f"{name}'s action {number} of week {week}",
                    partner,
                    meeting.next_session_date(),
                )
        clock.advance(25 * 60)
        meeting.finish_session()
        held.append(session.id)
        clock.advance(days=7, seconds=-26 * 60)
    return Built(path, meeting, clock, meeting.the_partnership, held)


def go_live(built: Built) -> None:
    """Begin the next session: one action marked done, one win; then paused, as a quit
    leaves it."""
    meeting = built.meeting
    meeting.begin_session([p.id for p in meeting.the_partnership.partners])
    built.clock.advance(60)
    first = meeting.live.present[0]
    meeting.mark(meeting.to_review(first)[0], ActionStatus.DONE)
    meeting.add_entry("A win in the session under way", EntryKind.WIN, first)
    meeting.pause()


@pytest.fixture
def built(tmp_path: Path) -> Built:
    return build_store(tmp_path / "data" / "facilitator.json")


# Running the command line ----------------------------------------------------------------------


def cli_env(now: datetime = NOW, **extra: str) -> dict[str, str]:
    """A person's environment, with the app's clock moved to `now`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "FACILITATOR", "PYTEST"))
    }
    env.pop("NO_COLOR", None)
    offset = (now - datetime.now(UTC)).total_seconds()
    env.update(
        PYTHONPATH=str(REPO_ROOT), **{CLOCK_OFFSET_ENV: f"{offset:.0f}s"}, TERM="xterm", **extra
    )
    return env


def run(
    *args: str,
    data: Path | None = None,
    stdin: bytes | None = None,
    now: datetime = NOW,
) -> subprocess.CompletedProcess[str]:
    """`facilitator [--data PATH] ARGS` as a separate program, its output piped."""
    command = [sys.executable, "-m", "facilitator"]
    if data is not None:
        command += ["--data", str(data)]
    return subprocess.run(
        [*command, *args],
        input=stdin.decode() if stdin is not None else None,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=cli_env(now),
    )


class TTY(io.StringIO):
    """Stands for a terminal: a table is drawn aligned, with emphasis."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def here(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """In-process runs at NOW, with no colour switched off."""
    offset = (NOW - datetime.now(UTC)).total_seconds()
    monkeypatch.setenv(CLOCK_OFFSET_ENV, f"{offset:.0f}s")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", "100")
    yield


def main_out(
    *args: str, terminal: bool = False, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """`cli.main(args)` in this process: exit code, stdout, stderr."""
    out, err = (TTY() if terminal else io.StringIO()), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


# actions -------------------------------------------------------------------------------------


def test_actions_piped_is_one_tab_separated_line_each(built: Built) -> None:
    result = run("actions", data=built.path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    header, *lines = result.stdout.splitlines()
    assert header == "id\tdue\towner\tstatus\taction"
    rows = [line.split("\t") for line in lines]
    state = Repository.open(built.path).read()
    assert {r[0] for r in rows} == {a.id for a in state.actions.values() if a.is_open}
    assert "\x1b" not in result.stdout, "no emphasis when piped"
    # Soonest due first; ISO dates; week 3's actions are due on the next session, 6 Jan.
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)
    week_three = [r for r in rows if "of week 3" in r[4]]
    assert {r[1] for r in week_three} == {"2026-01-06"}
    assert {(r[2], r[3]) for r in week_three} == {("Ana", "open"), ("Ben", "open")}
    overdue = [r for r in rows if r[1] < "2026-01-05"]
    assert overdue and all(r[3].startswith("overdue ") for r in overdue)


def test_actions_filters_by_owner_in_any_case_open_and_overdue(
    built: Built, here: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = main_out("--data", str(built.path), "actions", "--json", monkeypatch=monkeypatch)
    everything = json.loads(out)["actions"]
    code, out, err = main_out(
        "--data",
        str(built.path),
        "actions",
        "--owner",
        "bEN",
        "--overdue",
        "--json",
        monkeypatch=monkeypatch,
    )
    assert code == 0, err
    chosen = json.loads(out)["actions"]
    expected = [
        a
        for a in everything
        if a["owner"]["name"] == "Ben" and a["status"] == "open" and a["due_on"] < "2026-01-05"
    ]
    assert chosen == expected and chosen
    assert all(a["overdue"] for a in chosen)


def test_actions_json_has_a_stable_documented_shape(
    built: Built, here: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = main_out("--data", str(built.path), "actions", "--json", monkeypatch=monkeypatch)
    assert code == 0
    found = json.loads(out)
    assert set(found) == {"partnership", "today", "actions"}
    assert found["partnership"] == {"id": built.partnership.id, "name": "Tuesday check-in"}
    assert found["today"] == "2026-01-05"
    action = found["actions"][0]
    assert set(action) == {
        "id",
        "text",
        "owner",
        "due_on",
        "status",
        "overdue",
        "created_in",
        "created_at",
        "reviewed_in",
        "in_the_way",
        "carried_from",
        "goal_id",
    }
    assert set(action["owner"]) == {"id", "name"}
    date.fromisoformat(action["due_on"])
    datetime.fromisoformat(action["created_at"])


def test_all_actions_include_those_closed_in_history(
    built: Built, here: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = main_out(
        "--data", str(built.path), "actions", "--all", "--json", monkeypatch=monkeypatch
    )
    statuses = {a["status"] for a in json.loads(out)["actions"]}
    assert statuses == {"open", "done", "partly"}
    repository = Repository.open(built.path)
    closed = repository.read_history(repository.history_years())[2]
    assert len(json.loads(out)["actions"]) == len(closed) + len(repository.read().actions)


def test_actions_during_a_session_show_its_marks_unless_open_only(
    tmp_path: Path, here: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = build_store(tmp_path / "f.json", weeks=2, live=True).path
    _, out, _ = main_out("--data", str(data), "actions", "--json", monkeypatch=monkeypatch)
    assert "done" in {a["status"] for a in json.loads(out)["actions"]}
    _, out, _ = main_out(
        "--data", str(data), "actions", "--open", "--json", monkeypatch=monkeypatch
    )
    assert {a["status"] for a in json.loads(out)["actions"]} == {"open"}


def test_an_unknown_owner_is_a_usage_error_naming_the_partners(built: Built) -> None:
    result = run("actions", "--owner", "Chloé", data=built.path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "--owner 'Chloé'" in result.stderr
    assert "The partners are Ana and Ben." in result.stderr
    assert "Traceback" not in result.stderr


def test_on_a_terminal_actions_are_an_aligned_table_with_words_not_just_bold(
    built: Built, here: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = main_out(
        "--data",
        str(built.path),
        "actions",
        "--owner",
        "ana",
        terminal=True,
        monkeypatch=monkeypatch,
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "\x1b[1mTuesday check-in · Ana's open actions · today Mon 5 Jan\x1b[0m"
    plain = [line.replace("\x1b[1m", "").replace("\x1b[0m", "") for line in lines[1:]]
    assert plain[0].split() == ["Due", "Owner", "Status", "Action"]
    column = plain[0].index("Action")
    assert all(row[column - 2 : column] == "  " for row in plain[1:]), "aligned"
    assert any("  overdue 6 days  " in row for row in plain)
    assert "\x1b[1moverdue 6 days\x1b[0m" in out, "overdue in bold, and in words"
    assert re.search(r"\nTue 6 Jan +Ana +open +Ana's action 1 of week 3\n", "\n".join(plain) + "\n")
    assert re.search(r"\nTue 30 Dec 2025 +Ana +overdue", "\n".join(plain)), "another year: said"


def test_no_color_turns_emphasis_off(
    built: Built, here: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = main_out(
        "--data", str(built.path), "actions", terminal=True, monkeypatch=monkeypatch
    )
    assert "\x1b" not in out and "Due" in out


def test_hidden_characters_in_a_file_never_reach_the_terminal(
    built: Built, here: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file edited by hand can hold escapes: they are shown as spaces, never sent."""
    repository = Repository.open(built.path)
    repository.put(Action(HOSTILE, built.ana, date(2026, 1, 20), None, NOW - timedelta(days=1)))
    for terminal in (True, False):
        _, out, _ = main_out(
            "--data", str(built.path), "actions", terminal=terminal, monkeypatch=monkeypatch
        )
        assert "Read pages [3 to 10 · fixed [/b] bug 🎉 [31mred" in out
        assert "\x1b[31m" not in out
    _, out, _ = main_out("--data", str(built.path), "actions", "--json", monkeypatch=monkeypatch)
    assert "\\u001b" not in out and "\x1b" not in out


# sessions and show -------------------------------------------------------------------------------


def test_sessions_lists_every_session_held_oldest_first(
    tmp_path: Path, here: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build_store(tmp_path / "f.json", live=True)
    code, out, _ = main_out("--data", str(built.path), "sessions", monkeypatch=monkeypatch)
    assert code == 0
    header, *rows = [line.split("\t") for line in out.splitlines()]
    assert header == ["date", "id", "status", "present", "done", "agreed", "wins"]
    assert [r[0] for r in rows] == ["2025-12-16", "2025-12-23", "2025-12-30", "2026-01-06"]
    assert [r[1] for r in rows[:3]] == built.sessions
    assert [r[2] for r in rows] == ["finished"] * 3 + ["in progress"]
    assert rows[0][3] == "Ana, Ben"
    # Week 2 reviewed two of each partner's actions: one done, one partly and carried; two
    # new actions each and the carried ones make six agreed.
    assert rows[1][4:] == ["2 of 4", "6", "2"]
    _, out, _ = main_out(
        "--data", str(built.path), "sessions", "--year", "2026", "--json", monkeypatch=monkeypatch
    )
    [live] = json.loads(out)["sessions"]
    assert live["status"] == "in_progress" and live["date"] == "2026-01-06"
    assert live["counts"]["done"] == 1 and live["counts"]["wins"] == 1
    _, out, _ = main_out(
        "--data", str(built.path), "sessions", "--last", "2", "--json", monkeypatch=monkeypatch
    )
    assert [s["date"] for s in json.loads(out)["sessions"]] == ["2025-12-30", "2026-01-06"]


def test_show_tells_the_latest_session_by_default(built: Built) -> None:
    result = run("show", data=built.path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Tuesday check-in · session of Tue 30 Dec 2025 · 18:00 to 18:26 · finished"
    assert f"Id: {built.sessions[-1]}" in lines
    assert "Present: Ana, Ben" in lines
    assert "Next session: Tue 6 Jan" in lines
    text = result.stdout
    assert "    • Ana's win in week 3" in text
    assert "    • done: Ana's action 2 of week 1" in text
    assert (
        "    • partly done: Ana's action 1 of week 2 · in the way: Flu · carried forward, due "
        "Tue 6 Jan" in text
    )
    assert "    • Ana's action 1 of week 2 · due Tue 6 Jan · carried forward" in text
    for said in ("Ben's obstacle in week 3", "Ben's idea in week 3", "Ben asks for help, week 3"):
        assert f"    • {said}" in text
    assert "    • Ana's action 1 of week 3 · due Tue 6 Jan" in text


@pytest.mark.parametrize("how", ["date", "id", "prefix", "upper"])
def test_show_finds_a_session_by_date_or_id(
    built: Built, how: str, here: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = built.sessions[0]
    ref = {"date": "2025-12-16", "id": wanted, "prefix": wanted[:6], "upper": wanted.upper()}[how]
    code, out, err = main_out(
        "--data", str(built.path), "show", ref, "--json", monkeypatch=monkeypatch
    )
    assert code == 0, err
    found = json.loads(out)
    assert found["session"]["id"] == wanted
    assert found["next_session"] == "2025-12-23"
    ana = found["partners"][0]
    assert ana["name"] == "Ana" and ana["present"] is True
    assert [e["text"] for e in ana["wins"]] == ["Ana's win in week 1"]
    assert ana["reviewed"] == [], "nothing to review in the first session"
    assert [a["text"] for a in ana["new_actions"]] == [
        "Ana's action 1 of week 1",
        "Ana's action 2 of week 1",
    ]
    # Closed since, in a later session: shown as they are now.
    assert [a["status"] for a in ana["new_actions"]] == ["done", "partly"]


@pytest.mark.parametrize(
    ("ref", "said"),
    [
        ("2025-12-17", "No session was held on Wednesday 17 December 2025"),
        ("2025-02-30", "'2025-02-30' is not a date"),
        ("abcdef12", "No session has an id starting 'abcdef12'"),
        ("last tuesday", "'last tuesday' is not a session"),
    ],
)
def test_an_unknown_session_is_a_usage_error(
    built: Built, ref: str, said: str, here: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = main_out("--data", str(built.path), "show", ref, monkeypatch=monkeypatch)
    assert code == 2
    assert out == ""
    assert err.startswith("facilitator: ") and said in err


def test_show_with_no_session_yet_says_so(
    tmp_path: Path, here: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = build_store(tmp_path / "f.json", weeks=0).path
    code, _, err = main_out("--data", str(data), "show", monkeypatch=monkeypatch)
    assert code == 1 and "No session has been held yet." in err


# What every command shares -----------------------------------------------------------------------


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    names = [command.name for command in all_commands()]
    assert names == [
        "actions",
        "sessions",
        "show",
        "prep",
        "minutes",
        "calendar",
        "export",
        "import",
    ]
    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])
    assert exited.value.code == 0
    top = capsys.readouterr().out
    for name in ("serve", *names):
        assert f"\n    {name} " in top
    said = " ".join(top.split())
    assert (
        "Commands exit with 0 when done, 1 for a problem with the data or a file, 2 for a usage "
        "error" in said
    )
    for name in names:
        with pytest.raises(SystemExit) as exited:
            cli.main([name, "--help"])
        assert exited.value.code == 0
        shown = capsys.readouterr().out
        assert shown.startswith(f"usage: facilitator {name}")
        assert "--data PATH" in shown
        opens_the_app = name == "prep"
        assert ("--theme" in shown) is opens_the_app, "only what opens the app takes a theme"
        if name in ("actions", "sessions", "show"):
            assert "--json" in shown and "With --json:" in shown


def test_a_usage_error_exits_2_with_the_usage_on_stderr(tmp_path: Path) -> None:
    result = run("actions", "--owner", data=tmp_path / "f.json")
    assert result.returncode == 2
    assert "usage: facilitator actions" in result.stderr
    assert "expected one argument" in result.stderr
    result = run("sessions", "--last", "0", data=tmp_path / "f.json")
    assert result.returncode == 2


def test_no_data_file_yet_is_a_data_error_and_nothing_is_made(tmp_path: Path) -> None:
    data = tmp_path / "new" / "facilitator.json"
    for command in ("actions", "sessions", "show", "minutes", "calendar", "export"):
        result = run(command, data=data)
        assert result.returncode == 1, command
        assert f"There is no data in {data} yet" in result.stderr
        assert "Traceback" not in result.stderr
    assert not data.parent.exists()


def test_a_file_that_is_not_ours_is_named_and_left_alone(tmp_path: Path) -> None:
    data = tmp_path / "notes.json"
    data.write_text('{"shopping": {"1": {"item": "milk"}}}')
    result = run("actions", data=data)
    assert result.returncode == 1
    assert f"Can't use the data file {data}" in result.stderr
    assert "doesn't look like facilitator's" in result.stderr
    assert data.read_text() == '{"shopping": {"1": {"item": "milk"}}}'


def test_no_partnership_yet_says_how_to_set_one_up(
    tmp_path: Path, here: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "f.json"
    data.touch()
    code, _, err = main_out("--data", str(data), "actions", monkeypatch=monkeypatch)
    assert code == 1 and "has no partnership yet" in err


def test_a_closed_pipe_stops_quietly(built: Built) -> None:
    """`facilitator actions --all | head -1`: no traceback when the reader goes away."""
    command = [sys.executable, "-m", "facilitator", "--data", str(built.path), "actions", "--all"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
        stdin=subprocess.DEVNULL,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) in (0, 141)
    assert "Traceback" not in error and "BrokenPipe" not in error


def assert_loads_nothing_named(code: str) -> None:
    """Run `code` in a fresh Python; it prints "LOADED" and the modules it looked for."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout, result.stdout[-500:]


def test_the_command_line_imports_no_textual_nor_rich(built: Built, tmp_path: Path) -> None:
    """Every command, run in one process: not a module of Textual, Rich, the UI or the other
    heavy libraries the app uses is loaded."""
    code = f"""
import sys
from facilitator.cli import main
data = {str(built.path)!r}
for args in (["actions"], ["actions", "--all", "--json"], ["sessions"], ["show"],
             ["minutes", "--force", "-o", {str(tmp_path / "m.md")!r}],
             ["calendar", "--actions", "--force"], ["export", "-o", {str(tmp_path / "b.json")!r}],
             ["--data", {str(tmp_path / "other.json")!r}, "import", {str(tmp_path / "b.json")!r}],
             ["show", "nothing-like-a-session"]):
    main(["--data", data, *args])
heavy = ("textual", "rich", "textual_serve", "pendulum", "dateparser", "aiohttp")
loaded = sorted(m for m in sys.modules
                if m.split(".")[0] in heavy or m.startswith("facilitator.ui"))
print("LOADED", loaded)
"""
    assert_loads_nothing_named(code)


def test_on_a_real_terminal_the_table_is_drawn(built: Built) -> None:
    """The program on a pseudo-terminal: the table, the heading in bold, nothing else."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "--data", str(built.path), "actions"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=cli_env(COLUMNS="80"),
    )
    os.close(slave)
    drawn = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the program has exited and the terminal closed
            break
        if not chunk:
            break
        drawn += chunk
    os.close(master)
    assert process.wait(timeout=60) == 0
    text = drawn.decode()
    assert text.startswith("\x1b[1mTuesday check-in · open actions · today Mon 5 Jan\x1b[0m")
    assert "Ben's action 2 of week 3" in text
    assert all(len(line) <= 80 + 20 for line in text.splitlines()), "fits the width"


def test_commands_that_only_read_never_load_the_lock(built: Built) -> None:
    """Files at rest are read without the lock (every write replaces a file whole), so the
    quick looks leave filelock unloaded: it is a fifth of their start."""
    code = f"""
import sys
import facilitator.store.repository as repository
repository.SETTLED_SECONDS = 0  # as if the files were written a while ago
from facilitator.cli import main
for args in (["actions"], ["actions", "--json"], ["sessions"], ["show"]):
    main(["--data", {str(built.path)!r}, *args])
print("LOADED", sorted(m for m in sys.modules if m.split(".")[0] == "filelock"))
"""
    assert_loads_nothing_named(code)


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("Call the bank", 13),
        ("", 0),
        ("Ana 🎉", 6),
        ("日本語", 6),
        ("cafe\u0301", 4),
        ("a\u200bb", 2),
        ("Ravi's [3 to 10]", 16),
    ],
)
def test_a_tables_columns_are_counted_as_the_terminal_draws_them(text: str, columns: int) -> None:
    from facilitator.commands.output import cells, fit

    assert cells(text) == columns
    for width in (0, 1, 3, 8):
        cut = fit(text, width)
        assert cells(cut) <= max(width, 1)
        assert cut == text or (cut.endswith("…") and text.startswith(cut[:-1]))


@given(st.text(max_size=40) | st.text(alphabet=" \t\n\u00a0\u200bab\x1b[", max_size=12))
def test_text_is_printed_on_one_line_without_hidden_characters(text: str) -> None:
    """`shown` skips the cleaning for text that needs none; the result is always the cleaned
    text: no control or hidden character, no line break, single spaces, none at the ends."""
    from facilitator.commands.output import shown
    from facilitator.domain.text import strip_hidden

    assert shown(text) == " ".join(strip_hidden(text).split())


def test_a_table_cuts_its_flexible_column_to_the_width_and_lines_up_numbers() -> None:
    from facilitator.commands.output import BOLD, RESET, Column, Table

    table = Table(
        [Column("Name"), Column("Wins", right=True), Column("Note", flexible=True)],
        [["Ana", "12", "a long note that will not fit"], ["Bénédicte 🎉", "3", "short"]],
        bold_cells={(1, 1)},
    )
    assert table.lines(32, emphasis=False) == [
        "Name          Wins  Note",
        "Ana             12  a long note…",
        "Bénédicte 🎉     3  short",
    ]
    assert table.lines(32, emphasis=True)[2] == f"Bénédicte 🎉     {BOLD}3{RESET}  short"
    assert table.lines(32, emphasis=True)[0].startswith(f"{BOLD}Name{RESET}      ")


@given(st.text(max_size=30))
def test_columns_are_counted_as_each_character_draws(text: str) -> None:
    """`cells` looks up only the characters beyond ASCII: the count is the sum of each
    character's own (0 combining or format, 2 wide, else 1)."""
    import unicodedata

    from facilitator.commands.output import cells

    def one(ch: str) -> int:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            return 0
        return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1

    assert cells(text) == sum(1 if ch.isascii() else one(ch) for ch in text)

"""The command line: where data lives, and a clean exit with a clear message for a bad file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from facilitator import cli
from facilitator.domain.clock import CLOCK_OFFSET_ENV
from facilitator.domain.partnership import Cadence, Partner, Partnership
from facilitator.store.repository import Repository

ALL_COMMANDS = ["actions", "sessions", "show", "prep", "minutes", "calendar", "export", "import"]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "facilitator", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("contents", "problem"),
    [
        (b"this is not json", "not valid JSON"),
        (b'{"meta":{"schema":{"version":7}}}', "written by a newer facilitator"),
        (b"[1, 2, 3]", "not in the shape facilitator writes"),
    ],
)
def test_an_unreadable_file_is_named_and_left_alone(
    tmp_path: Path, contents: bytes, problem: str
) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(contents)
    result = run_cli("--data", str(path))
    assert result.returncode == 2
    assert str(path) in result.stderr
    assert problem in result.stderr
    assert "left exactly as it is" in result.stderr or "Upgrade" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == contents


def test_data_path_prefers_the_flag_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cli.DATA_ENV, str(tmp_path / "env.json"))
    assert cli.data_path(cli.parse_args(["--data", "x.json"])) == Path("x.json")
    assert cli.data_path(cli.parse_args([])) == tmp_path / "env.json"
    monkeypatch.delenv(cli.DATA_ENV)
    default = cli.data_path(cli.parse_args([]))
    assert default.name == "facilitator.json"
    assert "facilitator" in default.parent.parts[-1]


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("facilitator ")


def test_help_lists_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("usage: facilitator")
    for option in ("-h, --help", "--data PATH", "--theme NAME", "--version"):
        assert option in shown
    assert f"${cli.DATA_ENV}" in shown, "where the data is, when --data isn't given"


def test_a_bad_clock_offset_stops_the_program_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    result = run_cli("--data", str(path), env={CLOCK_OFFSET_ENV: "tomorrow"})
    assert result.returncode == 2
    assert f"${CLOCK_OFFSET_ENV}: 'tomorrow' is not a clock offset" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == [], "no data file, lock or folder made"


@pytest.mark.parametrize("offset", ["7", "1e999d", "nand", "99999w", "3 days"])
def test_every_bad_clock_offset_is_named(
    tmp_path: Path,
    offset: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(CLOCK_OFFSET_ENV, offset)
    assert cli.main(["--data", str(tmp_path / "data.json")]) == 2
    said = capsys.readouterr().err
    assert said.startswith(f"facilitator: ${CLOCK_OFFSET_ENV}: {offset!r} ")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_file_made_beforehand_becomes_private_on_first_write(tmp_path: Path) -> None:
    """`touch facilitator.json` gives 0644 under the usual umask: opening it writes nothing,
    and the first write makes it 0600."""
    path = tmp_path / "facilitator.json"
    path.touch()
    path.chmod(0o644)

    repository = Repository.open(path)  # as the program does, before anything else
    assert repository.read().partnership is None
    assert path.read_bytes() == b""
    assert path.stat().st_mode & 0o777 == 0o644

    partnership = Partnership(
        name="Tuesday check-in",
        partners=(Partner(name="Ana"), Partner(name="Ben")),
        cadence=Cadence.WEEKLY,
        session_minutes=30,
        created_on=date(2026, 11, 23),
        time_zone="UTC",
    )
    repository.put(partnership)
    assert path.stat().st_mode & 0o777 == 0o600
    assert Repository.open(path).read().partnership == partnership


def test_a_full_screen_command_runs_the_app_as_facilitator_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The place left for `facilitator prep`: a command marked full-screen takes --theme and
    opens the app through the same checks (here: no terminal, so it refuses at once)."""
    from facilitator import commands
    from facilitator.commands import Command
    from facilitator.commands.base import Context

    opened: list[dict[str, object]] = []

    def run(context: Context) -> int:
        opened.append({"theme": context.args.theme})
        return context.full_screen(prep_for="someone")

    screen = Command(
        name="screen",
        help="a full-screen command",
        description="Opens a screen.",
        configure=lambda parser: None,
        run=run,
        full_screen=True,
    )
    real = commands.all_commands
    monkeypatch.setattr(commands, "all_commands", lambda: [*real(), screen])
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    data = tmp_path / "data.json"
    assert cli.main(["screen", "--theme", "facilitator-light", "--data", str(data)]) == 2
    assert opened == [{"theme": "facilitator-light"}]
    assert "needs a terminal" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["screen", "--help"])
    assert "--theme NAME" in capsys.readouterr().out


def test_suggested_export_names_are_plain() -> None:
    from facilitator.export.files import suggested_name

    assert (
        suggested_name("Tuesday check-in: Zoë & Ravi 🎉", date(2026, 3, 2), "minutes", ".md")
        == "tuesday-check-in-zoe-ravi-2026-03-02-minutes.md"
    )
    assert suggested_name("李", date(2026, 3, 2), "invitation", ".ics") == (
        "2026-03-02-invitation.ics"
    )


def test_every_package_of_the_command_line_ships_in_the_wheel() -> None:
    """A non-editable install (`pip install .`, as CI does) holds only the packages listed in
    pyproject.toml: the command line imports its commands and exports at start."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    source = root / "facilitator"
    packages = {
        ".".join(("facilitator", *init.parent.relative_to(source).parts))
        for init in source.rglob("__init__.py")
    }
    assert packages <= listed, sorted(packages - listed)


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        ([], []),
        (["--data", "actions"], []),  # a data file that happens to be called "actions"
        (["--theme", "facilitator-light", "--data=x.json"], []),
        (["--bogus"], []),
        (["serve", "--port", "8001"], []),
        (["actions"], ["actions"]),
        (["--data", "x.json", "show", "--json"], ["show"]),
        (["import", "backup.json"], ["import"]),
        (["nosuch"], ALL_COMMANDS),  # a mistake: the error lists every command
        (["-"], ALL_COMMANDS),
        (["actions", "--help"], ALL_COMMANDS),
        (["--dat", "sessions", "actions"], ["sessions"]),  # refused: no abbreviations
    ],
)
def test_the_parser_is_given_only_the_commands_it_needs(
    words: list[str], offered: list[str]
) -> None:
    assert [c.name for c in cli.commands_to_offer(words, "--help" in words)] == offered


def test_every_command_is_found_by_its_name_alone() -> None:
    from facilitator.commands import MODULE_OF, MODULES, commands_in

    listed = {c.name: module for module in MODULES for c in commands_in(module)}
    assert listed == MODULE_OF


def test_a_mistyped_command_still_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["acions"])
    assert exited.value.code == 2
    assert "invalid choice: 'acions' (choose from 'serve', 'actions'" in capsys.readouterr().err


def test_the_collector_paused_for_the_start_runs_again_however_main_ends(tmp_path: Path) -> None:
    """main() pauses the cyclic collector while it starts (a tenth of the app's start-up):
    it must run again after a command, a usage error and --help alike."""
    import gc

    assert cli.main(["actions", "--data", str(tmp_path / "none.json")]) == 1
    assert gc.isenabled()
    for words in (["--help"], ["--no-such-option"]):
        with pytest.raises(SystemExit):
            cli.main(words)
        assert gc.isenabled()


@pytest.mark.parametrize("words", [["--he"], ["--dat", "x.json", "actions"], ["--the", "x"]])
def test_options_are_not_abbreviated(words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Which commands the parser is given is decided by whole words; a shortened option is an
    error, not help missing its commands or a command taken for a data file."""
    with pytest.raises(SystemExit) as exited:
        cli.main(words)
    assert exited.value.code == 2
    said = capsys.readouterr().err
    assert "unrecognized arguments: " in said or "invalid choice: " in said


def test_without_a_terminal_nothing_is_made_for_a_new_data_file(tmp_path: Path) -> None:
    """An app that can't run makes no folder, data file or lock on its way out."""
    result = run_cli("--data", str(tmp_path / "new" / "facilitator.json"))
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr
    assert list(tmp_path.iterdir()) == []

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

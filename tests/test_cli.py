"""The command line: where data lives, and a clean exit with a clear message for a bad file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator import cli


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

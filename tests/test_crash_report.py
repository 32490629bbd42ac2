"""The report an unexpected fault leaves beside the data: private, and one per fault."""

from __future__ import annotations

from pathlib import Path

from facilitator.crash import crash_message, write_crash_report


def fault(text: str) -> RuntimeError:
    try:
        raise RuntimeError(text)
    except RuntimeError as error:
        return error


def test_two_faults_in_the_same_second_leave_two_private_reports(tmp_path: Path) -> None:
    data = tmp_path / "facilitator.json"
    first = write_crash_report(data, fault("first"))
    second = write_crash_report(data, fault("second"))
    assert first is not None and second is not None and first != second
    assert "RuntimeError: first" in first.read_text(encoding="utf-8")
    assert "RuntimeError: second" in second.read_text(encoding="utf-8")
    for report in (first, second):
        assert report.stat().st_mode & 0o777 == 0o600
        assert report.parent == tmp_path


def test_a_folder_that_cannot_be_written_gives_no_report_and_says_so(tmp_path: Path) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    data = blocked / "facilitator.json"
    assert write_crash_report(data, fault("x")) is None
    message = crash_message(data, None)
    assert str(data) in message and "No report could be written." in message

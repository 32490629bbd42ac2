"""An unexpected fault: a report written privately beside the data, never on the screen."""

from __future__ import annotations

import os
import platform
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

from facilitator import __version__


def write_crash_report(data_path: Path, error: BaseException) -> Path | None:
    """Write what went wrong (with the values in play, which may include what was typed) to a
    file only its owner can read; None if even that fails."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    name = f"{data_path.stem}.crash-{stamp}-{os.getpid()}"
    details = traceback.TracebackException.from_exception(error, capture_locals=True)
    report = (
        f"facilitator {__version__} on Python {sys.version.split()[0]}, {platform.platform()}\n"
        f"{datetime.now(UTC).isoformat()}\n\n" + "".join(details.format())
    )
    try:
        data_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    # A second fault in the same second gets a report of its own, never the first one's.
    for number in range(1, 100):
        path = data_path.with_name(f"{name}.txt" if number == 1 else f"{name}-{number}.txt")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError:
            return None
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as out:
                out.write(report)
        except OSError:
            return None
        return path
    return None


def crash_message(data_path: Path, report: Path | None) -> str:
    """What the command line prints: what happened, that the data is safe, where the report is."""
    where = (
        f"A report for the developers is in {report} (readable by you only)."
        if report is not None
        else "No report could be written."
    )
    return (
        "facilitator stopped because of an unexpected problem in the app. Everything entered "
        f"up to then is saved in {data_path}; start facilitator again to carry on. {where}"
    )

"""Writing an export to a file: in one step, readable by its owner only, or a clear message."""

from __future__ import annotations

import errno
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from facilitator.store.storage import replace_file

EXPORT_MODE = 0o600
"""What is exported is the partners' own words: private until they choose to share it."""


class ExportError(Exception):
    """An export that could not be made or written; the message says why and what to do."""


def write_export(path: Path, data: bytes, *, not_over: Iterable[Path] = ()) -> Path:
    """Write `data` to `path` in one step (a temporary file renamed over it), mode 0600.

    `not_over` are files that must never be replaced (the data files themselves). Returns the
    absolute path written; raises `ExportError` with a message for the person."""
    target = Path(path).expanduser().absolute()
    protected = {_resolved(p) for p in not_over}
    if _resolved(target) in protected:
        raise ExportError(
            f"{target} is one of facilitator's own data files; choose another file to write to."
        )
    folder = target.parent
    if target.is_dir():
        raise ExportError(f"Can't write {target}: it is a folder; give a file name.")
    if not folder.is_dir():
        raise ExportError(
            f"Can't write {target}: the folder {folder} does not exist. Create it first, or "
            "choose another file."
        )
    try:
        replace_file(target, data, EXPORT_MODE)
    except OSError as error:
        raise ExportError(f"Can't write {target}: {_problem(error, folder)}") from None
    return target


def _resolved(path: Path) -> Path:
    try:
        return Path(path).expanduser().resolve()
    except OSError:
        return Path(path).expanduser().absolute()


def _problem(error: OSError, folder: Path) -> str:
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"you may not write in the folder {folder}; choose another file."
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full."
    return f"{error.strerror or error}."


def suggested_name(partnership_name: str, day: date, what: str, suffix: str) -> str:
    """A file name for an export, e.g. 'tuesday-check-in-2026-03-02-minutes.md': the
    partnership's name in plain lowercase letters and digits, the date, what it is."""
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", partnership_name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40].strip("-")
    return "-".join(part for part in (slug, day.isoformat(), what) if part) + suffix

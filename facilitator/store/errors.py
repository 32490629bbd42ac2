"""What goes wrong with a data file, said for the person who has to fix it."""

from __future__ import annotations

from pathlib import Path

LEFT_ALONE = (
    "The file has been left exactly as it is. Restore it from a backup, move it aside to "
    "start afresh, or use another file with --data PATH."
)


class StoreError(Exception):
    """A data file that can't be read or written; the message names the file and what to do."""

    def __init__(self, path: Path, problem: str, advice: str = LEFT_ALONE) -> None:
        super().__init__(f"Can't use the data file {path}: {problem}. {advice}")
        self.path = path
        self.problem = problem
        self.advice = advice

"""What every command gets: its arguments, the data file, the time, and a clear way to fail.

Exit codes: 0 success; 1 a problem with the data or a file (`DATA_ERROR`); 2 a usage error
(`USAGE_ERROR`): a bad option, an unknown partner or session, an export the agreement keeps
private without --force. The message goes to stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from collections.abc import Iterable

    from facilitator.domain.actions import Action, Entry
    from facilitator.domain.partnership import Partner, Partnership
    from facilitator.domain.session import Session
    from facilitator.domain.state import MeetingState
    from facilitator.store.repository import Repository

OK = 0
DATA_ERROR = 1
USAGE_ERROR = 2


class CommandError(Exception):
    """A command that can't do what was asked; the message says why and what to do."""

    def __init__(self, message: str, code: int = DATA_ERROR) -> None:
        super().__init__(message)
        self.code = code


def usage_error(message: str) -> CommandError:
    return CommandError(message, USAGE_ERROR)


@dataclass
class Context:
    """One run of one command."""

    args: argparse.Namespace
    path: Path
    """The data file (from --data, $FACILITATOR_DATA, or the default)."""
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _now: datetime | None = None
    _repository: Repository | None = None
    _state: MeetingState | None = None
    _years: dict[int, tuple[list[Session], list[Entry], list[Action]]] = field(default_factory=dict)

    # Time --------------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The app's clock (moved by $FACILITATOR_CLOCK_OFFSET, as the app's is), read once."""
        if self._now is None:
            from facilitator.domain.clock import CLOCK_OFFSET_ENV, app_clock

            try:
                self._now = app_clock()()
            except ValueError as error:
                raise usage_error(f"${CLOCK_OFFSET_ENV}: {error}") from None
        return self._now

    def today(self) -> date:
        return self.state().today(self.now())

    # The data ----------------------------------------------------------------------------------

    def repository(self, *, create: bool = False) -> Repository:
        """The store, opened as the app opens it. Unless `create`, a data file that doesn't
        exist yet is an error, and nothing is made."""
        if self._repository is None:
            self._open(create=create)
        assert self._repository is not None
        return self._repository

    def _open(self, *, create: bool) -> MeetingState:
        from facilitator.store.errors import StoreError
        from facilitator.store.repository import Repository

        if not create and not self.path.exists():
            raise CommandError(
                f"There is no data in {self.path} yet. Run `facilitator` to set up your "
                "partnership, or give your data file with --data PATH."
            )
        try:
            self._repository, state = Repository.open_to_read(self.path)
        except StoreError as error:
            raise CommandError(str(error)) from None
        return state

    def state(self) -> MeetingState:
        """What the store holds, read once: by the first look, when the store is opened."""
        if self._state is None:
            from facilitator.store.errors import StoreError

            if self._repository is None:
                self._state = self._open(create=False)
                return self._state
            try:
                self._state = self._repository.read()
            except StoreError as error:
                raise CommandError(str(error)) from None
        return self._state

    def history(self, years: Iterable[int]) -> tuple[list[Session], list[Entry], list[Action]]:
        """The finished sessions (oldest first), entries and closed actions of `years`: each
        year's file is read once, however often the command asks (finding a session, then
        telling its story, both read its year)."""
        sessions: list[Session] = []
        entries: list[Entry] = []
        actions: list[Action] = []
        for year in years:
            if year not in self._years:
                self._years[year] = self.repository().read_history([year])
            held, said, closed = self._years[year]
            sessions += held
            entries += said
            actions += closed
        return sorted(sessions, key=lambda s: s.started_at), entries, actions

    def partnership(self) -> Partnership:
        partnership = self.state().partnership
        if partnership is None:
            raise CommandError(
                f"{self.path} has no partnership yet. Run `facilitator` to set one up."
            )
        return partnership

    # Talking to the person -------------------------------------------------------------------

    def say(self, message: str) -> None:
        """A message on stderr (stdout is kept for what the command outputs)."""
        self.err.write(f"facilitator: {message}\n")
        self.err.flush()

    def write_bytes(self, data: bytes) -> None:
        """Output to stdout as it is (a backup, a calendar file, minutes)."""
        buffer = getattr(self.out, "buffer", None)
        if buffer is not None:
            self.out.flush()
            buffer.write(data)
            buffer.flush()
        else:
            self.out.write(data.decode("utf-8", errors="replace"))

    def full_screen(self, **app_options: Any) -> int:
        """Open the full-screen app on the data file, as `facilitator` does, with options for
        `make_app` (e.g. `prep_for=partner.id`); returns its exit code."""
        from facilitator.cli import run_app

        return run_app(self.path, self.args, repository=self._repository, **app_options)


# Finding what the person named ----------------------------------------------------------------


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def find_partner(
    partnership: Partnership, name: str, option: str = "--owner", *, former: bool = True
) -> Partner:
    """The partner called `name` (any case); a usage error listing the partners if none is.
    Partners who have left are found too when `former`."""
    wanted = _folded(name)
    pool = list(partnership.partners) + (list(partnership.former) if former else [])
    for partner in pool:
        if _folded(partner.name) == wanted:
            return partner
    from facilitator.commands.output import shown

    names = [shown(p.name) for p in partnership.partners]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
    raise usage_error(
        f"{option} {shown(name)!r}: there is no partner of that name in "
        f"{shown(partnership.name)!r}. The partners are {listed}."
    )

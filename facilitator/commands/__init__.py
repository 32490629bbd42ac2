"""The command line's commands besides the full-screen app, one module per group of commands.

Each module here lists its commands in `COMMANDS`, and its name is in `MODULES`; the command
line (facilitator/cli.py) builds one subcommand from each `Command`, in this order, and runs
it with a `Context` (facilitator/commands/base.py). A module imports only what parsing needs
at the top; the store, the domain and any export library are imported when a command runs,
and nothing here imports Textual, so `facilitator actions` starts in a fraction of the app's
time. A command that opens a full-screen screen sets `full_screen=True` (it then takes
`--theme`) and calls `context.full_screen(**app_options)`, which runs the app exactly as
`facilitator` with no command does (the terminal check, the store thread, the crash guard).

To add a command group: write `facilitator/commands/NAME.py` with `COMMANDS = [Command(...)]`
and add "NAME" to `MODULES`.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from facilitator.domain.record import record

if TYPE_CHECKING:
    from facilitator.commands.base import Context

MODULES = ("actions", "sessions", "prep", "exports", "backup")
"""The command groups, in the order `facilitator --help` lists their commands."""

MODULE_OF = {
    "actions": "actions",
    "sessions": "sessions",
    "show": "sessions",
    "prep": "prep",
    "minutes": "exports",
    "calendar": "exports",
    "export": "backup",
    "import": "backup",
}
"""Which module holds each command, so `facilitator NAME` imports that module alone (a test
holds this to every module's `COMMANDS`)."""


@record
class Command:
    name: str
    help: str
    """One line, in `facilitator --help`'s list of commands."""
    description: str
    """The top of `facilitator NAME --help`."""
    configure: Callable[[argparse.ArgumentParser], None]
    """Adds the command's own arguments and options."""
    run: Callable[[Context], int]
    """Does the work; returns the exit code (or raises `CommandError`)."""
    full_screen: bool = False
    """Opens the full-screen app: takes --theme, and needs a terminal."""
    epilog: str = ""


def all_commands() -> list[Command]:
    """Every command, from every module in `MODULES`."""
    found: list[Command] = []
    for name in MODULES:
        found.extend(commands_in(name))
    return found


def commands_in(module_name: str) -> list[Command]:
    module = importlib.import_module(f"{__name__}.{module_name}")
    return list(module.COMMANDS)


def command_named(name: str) -> Command | None:
    """The command called `name`, importing only its module; None if there is none."""
    module_name = MODULE_OF.get(name)
    if module_name is None:
        return None
    return next((c for c in commands_in(module_name) if c.name == name), None)

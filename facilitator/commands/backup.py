"""`facilitator export` (a backup of all the data, JSON) and `facilitator import FILE`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from facilitator.commands import Command
from facilitator.commands.base import OK, CommandError, Context, usage_error
from facilitator.commands.exports import add_output_option, write_out


def configure_export(parser: argparse.ArgumentParser) -> None:
    add_output_option(parser, "the backup")


def run_export(context: Context) -> int:
    from facilitator.export.backup import BackupError, backup_bytes, export_backup
    from facilitator.store.errors import StoreError

    repository = context.repository()
    try:
        document = export_backup(repository, context.now())
    except (BackupError, StoreError) as error:
        raise CommandError(f"No backup was made: {error}") from None
    held = sum(len(h.get("sessions", {})) for h in document["history"].values())
    counted = f"{held:,} session{'' if held == 1 else 's'} held"
    write_out(context, backup_bytes(document), f"a backup of all the data ({counted})")
    return OK


def configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="a backup made by `facilitator export` (- reads stdin)",
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="bring the backup's records in beside the data already here, matched by id: "
        "nothing is lost or added twice; where both hold a record, the one here is kept, "
        "unless the backup's is a later stage of it (closed in its history, or changed in its "
        "session under way)",
    )


def run_import(context: Context) -> int:
    from facilitator.export.backup import BackupError, NeedsMerge, import_backup, parse_backup
    from facilitator.store.errors import StoreError

    source: Path = context.args.file
    name = "standard input" if str(source) == "-" else str(source)
    try:
        raw = sys.stdin.buffer.read() if str(source) == "-" else source.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"Can't import {name}: there is no such file.") from None
    except IsADirectoryError:
        raise CommandError(f"Can't import {name}: it is a folder, not a backup file.") from None
    except OSError as error:
        raise CommandError(f"Can't import {name}: {error.strerror or error}.") from None
    try:
        backup = parse_backup(raw, name)
    except BackupError as error:
        raise CommandError(f"{error} Nothing was imported.") from None
    repository = context.repository(create=True)
    try:
        result = import_backup(repository, backup, merge=context.args.merge)
    except NeedsMerge as error:
        raise usage_error(str(error)) from None
    except BackupError as error:
        raise CommandError(str(error)) from None
    except StoreError as error:
        raise CommandError(f"{error} Nothing was imported.") from None
    context.out.write(f"{name} into {repository.path}: {result.describe()}.\n")
    return OK


COMMANDS = [
    Command(
        name="export",
        help="write a backup of all the data (JSON)",
        description="Write a backup of all the data, every session of every year included, "
        "as one JSON file that `facilitator import` brings back.",
        configure=configure_export,
        run=run_export,
    ),
    Command(
        name="import",
        help="bring back a backup made by export",
        description="Bring back a backup made by `facilitator export`. Into a data file that "
        "doesn't exist yet or holds nothing, the backup is restored as it was. Into one that "
        "holds data, only with --merge. The whole backup is checked before anything is "
        "written, and a failed import leaves the data files as they were.",
        configure=configure_import,
        run=run_import,
    ),
]

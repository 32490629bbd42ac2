"""The command line: find the data file, open the store, build and run the app."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from facilitator import __version__
from facilitator.store.errors import StoreError

DATA_ENV = "FACILITATOR_DATA"


def default_data_path() -> Path:
    """`--data`, else $FACILITATOR_DATA, else the user's data directory."""
    from platformdirs import user_data_path

    return user_data_path("facilitator", appauthor=False) / "facilitator.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="facilitator",
        description="Run an accountability-partner meeting: a timed agenda that brings back "
        "last time's actions.",
    )
    parser.add_argument(
        "--data",
        type=Path,
        metavar="PATH",
        help=f"the data file (default: ${DATA_ENV}, else {default_data_path()})",
    )
    parser.add_argument("--theme", metavar="NAME", help="a theme, e.g. facilitator-light")
    parser.add_argument("--version", action="version", version=f"facilitator {__version__}")
    return parser.parse_args(argv)


def data_path(args: argparse.Namespace) -> Path:
    if args.data is not None:
        return Path(args.data)
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else default_data_path()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from facilitator.store.repository import Repository

    try:
        repository = Repository.open(data_path(args))
    except StoreError as error:
        print(f"facilitator: {error}", file=sys.stderr)
        return 2
    from facilitator.domain.clock import system_clock
    from facilitator.ui.app import make_app

    app = make_app(repository, system_clock, theme=args.theme)
    app.run()
    unsaved = app.writer.close()
    if unsaved:
        print(
            f"facilitator: {unsaved} change(s) could not be saved to {repository.path}. "
            "See the message shown in the app; the file itself is intact.",
            file=sys.stderr,
        )
        return 1
    return app.return_code or 0

"""The command line: find the data file, then open the app on it, serve it, or run a command.

With no command, the full-screen app; `serve`, the app in a browser; any other command comes
from facilitator/commands (a registry: see its __init__), runs without Textual, and prints
plain text, a table or JSON. A command exits with 0 when done, 1 for a problem with the data
or a file, 2 for a usage error, its message on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from facilitator import __version__
from facilitator.store.errors import StoreError

if TYPE_CHECKING:
    from facilitator.commands import Command
    from facilitator.store.repository import Repository

DATA_ENV = "FACILITATOR_DATA"


def default_data_path() -> Path:
    """`--data`, else $FACILITATOR_DATA, else the user's data directory."""
    from platformdirs import user_data_path

    return user_data_path("facilitator", appauthor=False) / "facilitator.json"


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _common(
    parser: argparse.ArgumentParser, *, top: bool, theme: bool = True, explain: bool = True
) -> None:
    """--data (and --theme, for what opens the app). The help texts name the default data
    file and the themes, which takes a few milliseconds to find: only when help is asked for
    (`explain`), so a command starts as quickly as it can."""
    default = None if top else argparse.SUPPRESS  # a subcommand's option overrides the top's
    where = f"${DATA_ENV}, else {default_data_path()}" if explain else f"${DATA_ENV}"
    parser.add_argument(
        "--data",
        type=Path,
        metavar="PATH",
        default=default,
        help=f"the data file (default: {where})",
    )
    if not theme:
        return
    themes = "any of Textual's own"
    if explain:
        from facilitator.ui.themes import theme_names

        themes = f"{', '.join(theme_names())}, or {themes}"
    parser.add_argument(
        "--theme",
        metavar="NAME",
        default=default,
        help=f"the theme for this run: {themes} "
        "(one chosen in the app's command palette is remembered for you)",
    )


EPILOG = (
    "Run `facilitator COMMAND --help` for a command's options. Commands exit with 0 when done, "
    "1 for a problem with the data or a file, 2 for a usage error (the message says which)."
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    words = sys.argv[1:] if argv is None else argv
    explain = any(word in ("-h", "--help") for word in words)

    parser = argparse.ArgumentParser(
        prog="facilitator",
        allow_abbrev=False,  # `--dat`, `--he`: the commands to offer are found by whole words
        description="Run an accountability-partner meeting: a timed agenda that brings back "
        "last time's actions. With no command, opens the app in this terminal.",
        epilog=EPILOG,
    )
    _common(parser, top=True, explain=explain)
    parser.add_argument("--version", action="version", version=f"facilitator {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve the app to a web browser",
        description="Serve the app to a web browser (each tab is its own screen on the same "
        "data). There is no login: anyone who can reach the address can use the app and read "
        "your meetings, so it listens on this machine only (127.0.0.1) unless you say "
        "otherwise. To reach it from another machine, use an SSH tunnel: "
        "ssh -L 8000:127.0.0.1:8000 you@this-machine, then open http://127.0.0.1:8000.",
    )
    _common(serve, top=False, explain=explain)
    serve.add_argument("--host", default="127.0.0.1", help="the address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    serve.add_argument(
        "--allow-remote-without-login",
        action="store_true",
        help="allow an address other than this machine's own; anyone who can reach it can "
        "use the app and read your meetings",
    )
    for command in commands_to_offer(words, explain):
        sub = commands.add_parser(
            command.name,
            help=command.help,
            description=_wrapped(command.description) if explain else command.description,
            epilog=command.epilog or None,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _common(sub, top=False, theme=command.full_screen, explain=explain)
        command.configure(sub)
        sub.set_defaults(run_command=command)
    return parser.parse_args(argv)


def command_word(words: list[str]) -> str | None:
    """The first word of the command line that is not an option or an option's value: a
    command's name, or a mistake."""
    taking_value = {"--data", "--theme"}
    remaining = iter(words)
    for word in remaining:
        if word in taking_value:
            next(remaining, None)
        elif not word.startswith("-") or word == "-":
            return word
    return None


def commands_to_offer(words: list[str], explain: bool) -> list[Command]:
    """The commands the parser needs to know: importing a command's module takes a few
    milliseconds, so the app imports none, and a command only its own. Help, and a word that
    names no command (the error lists them), get every one."""
    from facilitator.commands import all_commands, command_named

    word = command_word(words)
    if explain:
        return all_commands()
    if word is None or word == "serve":
        return []
    command = command_named(word)
    return [command] if command is not None else all_commands()


def _wrapped(text: str) -> str:
    import shutil
    import textwrap

    width = min(shutil.get_terminal_size((80, 24)).columns, 100) - 2
    return textwrap.fill(text, width=max(width, 40))


def data_path(args: argparse.Namespace) -> Path:
    if args.data is not None:
        return Path(args.data)
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else default_data_path()


def has_terminal() -> bool:
    """A full-screen app needs a terminal to read keys from and draw on (Textual draws on
    stderr); served to a browser, textual-serve gives it one of its own."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    return sys.stdin.isatty() and sys.stderr.isatty()


def run() -> int:
    """The `facilitator` program (its script, and `python -m facilitator`): `main`, then an
    exit without the interpreter's last collection. Whatever the run made is now garbage
    when the process ends, and that last pass walks every object still alive to free
    nothing the exit doesn't free anyway: a tenth of a quick `facilitator actions`, more on
    quitting the app on a large file. Every file the run wrote is closed by then (each is
    written whole by `replace_file`), so no finalizer it skips has anything left to do."""
    code = main()
    gc.freeze()
    return code


def main(argv: list[str] | None = None) -> int:
    # Starting makes some hundred thousand objects that live as long as the process (modules,
    # classes, styles), and the cyclic collector's passes over them are wasted work: a tenth
    # of the app's start. It is paused until the app has drawn its first frame
    # (FacilitatorApp.on_ready), a command has finished, or the server starts.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _main(argv, paused)
    finally:
        if paused:
            gc.enable()


def _main(argv: list[str] | None, paused: bool) -> int:
    args = parse_args(argv)
    path = data_path(args)
    try:
        if args.command == "serve":
            if paused:
                gc.enable()  # a server runs for hours
            return serve(path, args)
        command = getattr(args, "run_command", None)
        if command is not None:
            return run_command(command, path, args)
        return run_app(path, args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _output_closed()
    except Exception as error:  # the last guard: a short message, the details kept privately
        from facilitator.crash import crash_message, write_crash_report

        print(
            f"facilitator: {crash_message(path, write_crash_report(path, error))}", file=sys.stderr
        )
        return 1


def run_command(command: Command, path: Path, args: argparse.Namespace) -> int:
    """Run a command of facilitator/commands: its error is a message and an exit code."""
    from facilitator.commands.base import CommandError, Context

    try:
        code = int(command.run(Context(args=args, path=path)))
        sys.stdout.flush()
    except CommandError as error:
        sys.stdout.flush()
        print(f"facilitator: {error}", file=sys.stderr)
        return error.code
    return code


def _output_closed() -> int:
    """The reader of our output went away (`facilitator actions | head -1`): stop quietly, as
    command-line tools do, without a second error when Python flushes stdout at exit."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe


def run_app(
    path: Path,
    args: argparse.Namespace,
    *,
    repository: Repository | None = None,
    **app_options: Any,
) -> int:
    """The full-screen app on `path`; `app_options` go to `make_app` (a command that opens a
    screen of its own, such as prep, passes it here, with the store it has open already)."""
    from facilitator.domain.clock import app_clock
    from facilitator.store.repository import Repository

    try:
        clock = app_clock()
    except ValueError as error:
        print(f"facilitator: $FACILITATOR_CLOCK_OFFSET: {error}", file=sys.stderr)
        return 2
    if not path.exists() and not has_terminal():
        return _no_terminal()  # before opening: nothing is made for an app that can't run
    try:
        if repository is None:
            # At rest, the files are read without the lock: filelock loads at the first save.
            repository, state = Repository.open_to_read(path)
        else:
            state = repository.read()
    except StoreError as error:
        print(f"facilitator: {error}", file=sys.stderr)
        return 2
    if not has_terminal():
        return _no_terminal()
    from facilitator.ui.app import make_app

    time_zone = "UTC"
    if state.partnership is None:
        from facilitator.domain.clock import local_zone_name

        time_zone = local_zone_name()
    app = make_app(
        repository,
        clock,
        theme=getattr(args, "theme", None),
        time_zone=time_zone,
        collector_paused=not gc.isenabled(),
        **app_options,
    )
    app.run()
    unsaved = _close_store(app)
    if app.crashed:
        from facilitator.crash import crash_message

        print(f"facilitator: {crash_message(repository.path, app.crash_report)}", file=sys.stderr)
        return 1
    if unsaved:
        print(
            f"facilitator: {unsaved} change(s) could not be saved to {repository.path}. "
            "See the message shown in the app; the file itself is intact.",
            file=sys.stderr,
        )
        return 1
    return app.return_code or 0


def _no_terminal() -> int:
    print(
        "facilitator: this is a full-screen app and needs a terminal; none is attached "
        "(input or output is redirected). Run it in a terminal window.",
        file=sys.stderr,
    )
    return 2


def serve(path: Path, args: argparse.Namespace) -> int:
    """Serve the app through textual-serve: each browser connection runs its own app."""
    import shlex

    from facilitator.store.repository import Repository

    if args.host not in LOOPBACK and not args.allow_remote_without_login:
        print(
            f"facilitator: serving on {args.host} would let anyone who can reach it use the app "
            "and read your meetings (there is no login). Serve on 127.0.0.1 and use an SSH "
            "tunnel, or pass --allow-remote-without-login if that is really what you want.",
            file=sys.stderr,
        )
        return 2
    if not 0 < args.port < 65536:
        print(f"facilitator: {args.port} is not a port number (1 to 65535).", file=sys.stderr)
        return 2
    try:
        repository = Repository.open(path)  # say now if the file can't be used
    except StoreError as error:
        print(f"facilitator: {error}", file=sys.stderr)
        return 2
    from textual_serve.server import Server

    command = [sys.executable, "-m", "facilitator", "--data", str(repository.path)]
    if args.theme:
        command += ["--theme", args.theme]
    url = f"http://{args.host if ':' not in args.host else f'[{args.host}]'}:{args.port}"
    print(f"facilitator: serving {repository.path} at {url} (Ctrl+C stops)", file=sys.stderr)
    server = Server(
        shlex.join(command), host=args.host, port=args.port, title="facilitator", public_url=url
    )
    try:
        server.serve()
    except OSError as error:
        print(
            f"facilitator: can't serve on {url}: {error.strerror or error}. Is another program "
            "using that port? Choose another with --port.",
            file=sys.stderr,
        )
        return 2
    return 0


def _close_store(app: object) -> int:
    """Write what is still on its way to the file, saying so if it takes a moment."""
    worker = getattr(app, "worker", None)
    if worker is None:
        return 0
    if not worker.flush(timeout=0.5):
        print("facilitator: saving…", file=sys.stderr)
    return int(worker.close())

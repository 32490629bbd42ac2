"""`facilitator minutes` (a session's minutes, Markdown) and `facilitator calendar` (the
invitation, iCalendar): written to a file with --output, else to stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from facilitator.commands import Command
from facilitator.commands.base import OK, CommandError, Context, usage_error
from facilitator.commands.output import is_terminal
from facilitator.commands.sessions import SESSION_HELP, report_for


def add_output_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help=f"write {what} to FILE (readable by you only), instead of to the screen",
    )


def write_out(context: Context, data: bytes, said: str) -> None:
    """To --output (saying so on stderr), else to stdout; a path that can't be written is a
    data error with the reason."""
    from facilitator.export.files import ExportError, write_export

    target = context.args.output
    if target is None:
        context.write_bytes(data)
        return
    repository = context.repository()
    store = [repository.path, repository.session_path, *repository.files()]
    try:
        written = write_export(target, data, not_over=store)
    except ExportError as error:
        raise CommandError(str(error)) from None
    context.say(f"wrote {said} to {written}")


# minutes --------------------------------------------------------------------------------------


def configure_minutes(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session", nargs="?", metavar="SESSION", help=SESSION_HELP)
    add_output_option(parser, "the minutes")
    parser.add_argument(
        "--force",
        action="store_true",
        help="export even though your agreement says nothing said may be shared",
    )


def run_minutes(context: Context) -> int:
    from facilitator.domain.dates import long_day
    from facilitator.export.minutes import report_markdown, sharing_warning

    report = report_for(context, context.args.session)
    warning = sharing_warning(report.partnership.agreement)
    _ask_before_sharing(context, warning, "Export the minutes anyway?")
    text = report_markdown(report)
    write_out(context, text.encode("utf-8"), f"the minutes of {long_day(report.day)}")
    return OK


def _ask_before_sharing(context: Context, warning: str | None, question: str) -> None:
    """Nothing said leaves the app against the agreement unless the person says yes (or
    gave --force): a refusal is a usage error, and nothing is written."""
    if (
        warning is not None
        and not context.args.force
        and not _confirmed(context, warning, question)
    ):
        raise usage_error(
            f"{warning} Nothing was exported. If you both agree, run it again with --force."
        )


def _confirmed(context: Context, warning: str, question: str) -> bool:
    """Ask on the terminal, when there is one to ask on (never when input or the messages
    are redirected: a script gets the refusal and the hint about --force)."""
    if not (is_terminal(sys.stdin) and is_terminal(context.err)):
        return False
    context.err.write(f"{warning}\n{question} [y/N] ")
    context.err.flush()
    try:
        answer = sys.stdin.readline()
    except (OSError, UnicodeDecodeError):
        return False
    return answer.strip().lower() in ("y", "yes")


# calendar -------------------------------------------------------------------------------------


def configure_calendar(parser: argparse.ArgumentParser) -> None:
    add_output_option(parser, "the calendar")
    parser.add_argument(
        "--actions",
        action="store_true",
        help="also put each open action's due date in the calendar (all-day, shown as free)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="put the actions in even though your agreement says nothing said may be shared",
    )


def run_calendar(context: Context) -> int:
    from facilitator.domain.dates import long_day
    from facilitator.export.calendar import (
        DEFAULT_TIME,
        calendar_for_state,
        first_session_for,
        meeting_time,
    )

    partnership = context.partnership()
    state = context.state()
    if context.args.actions:
        from facilitator.export.minutes import sharing_warning

        warning = sharing_warning(
            partnership.agreement,
            "--actions puts each open action's words in the calendar, which calendar apps "
            "sync and share. Add them only if you have both agreed.",
        )
        _ask_before_sharing(context, warning, "Add the actions anyway?")
    data = calendar_for_state(state, context.now(), with_actions=context.args.actions)
    _, first = first_session_for(state, context.now())  # the date the file starts on
    at = meeting_time(partnership)
    when = f"at {at:%H:%M}" if at else f"at {DEFAULT_TIME:%H:%M} (no usual time is agreed yet)"
    described = f"the sessions from {long_day(first)}, {partnership.cadence_label}, {when}" + (
        ", and the open actions' due dates" if context.args.actions else ""
    )
    write_out(context, data, described)
    if context.args.output is None and at is None:
        context.say(f"the sessions are set {when}: change the time in your calendar.")
    return OK


COMMANDS = [
    Command(
        name="minutes",
        help="write a session's minutes as Markdown (the latest by default)",
        description="Write the minutes of a session as Markdown: the date, who was there, each "
        "partner's wins, last time's actions as reviewed (with what got in the way), obstacles, "
        "ideas and help asked for, the actions agreed with their owners and due dates, and the "
        "next session's date. If your agreement says nothing said may be shared, it asks first "
        "(on a terminal), or needs --force.",
        configure=configure_minutes,
        run=run_minutes,
    ),
    Command(
        name="calendar",
        help="write the invitation for the next sessions (iCalendar)",
        description="Write an iCalendar file (.ics) to import into a calendar app: the next "
        "session, repeating on your rhythm, at the usual time agreed (18:00 if none is), for "
        "the planned length, with the link or medium as its place; and, with --actions, each "
        "open action's due date (if your agreement says nothing said may be shared, it asks "
        "first, on a terminal, or needs --force). Importing a newer one updates the same "
        "series.",
        configure=configure_calendar,
        run=run_calendar,
    ),
]

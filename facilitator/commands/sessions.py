"""`facilitator sessions` lists the sessions held; `facilitator show [SESSION]` tells one.

A SESSION is named by its date (2026-03-02, in the partnership's time zone), by its id or the
start of it (as `sessions` lists it, at least 4 characters), or `latest` (the default: the
session under way, else the last one held).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from facilitator.commands import Command
from facilitator.commands.actions import action_json, add_json_option
from facilitator.commands.base import OK, CommandError, Context, usage_error
from facilitator.commands.output import (
    BOLD,
    RESET,
    Column,
    Table,
    emphasis_allowed,
    heading,
    is_terminal,
    shown,
    write_json,
)
from facilitator.domain.record import record

if TYPE_CHECKING:
    from facilitator.domain.actions import Action, Entry
    from facilitator.domain.partnership import Partnership
    from facilitator.domain.session import Session
    from facilitator.export.minutes import PartnerReport, SessionReport

LATEST = ("latest", "last")
_HEX = re.compile(r"[0-9a-f]{4,32}")
STATUS_WORDS = {"finished": "finished", "set_aside": "set aside", "in_progress": "in progress"}

SESSIONS_JSON = """\
With --json:
  {"partnership": {"id": ID, "name": NAME},
   "sessions": [{"id": ID, "date": "2026-03-02", "started_at": ISO_TIME,
                 "finished_at": ISO_TIME|null, "status": "finished|set_aside|in_progress",
                 "present": [{"id": ID, "name": NAME}],
                 "counts": {"done": N, "partly": N, "not_done": N, "dropped": N,
                            "agreed": N, "wins": N, "obstacles": N, "ideas": N, "help": N}}]}"""

SHOW_JSON = """\
With --json:
  {"partnership": {"id": ID, "name": NAME},
   "session": {...as in `facilitator sessions --json`...},
   "next_session": "2026-03-09",
   "partners": [{"id": ID, "name": NAME, "present": true,
                 "reviewed": [ACTION + "carried_to": ACTION_ID|null],
                 "wins": [ENTRY], "obstacles": [ENTRY], "ideas": [ENTRY], "help": [ENTRY],
                 "vision": [ENTRY], "notes": [ENTRY], "new_actions": [ACTION]}]}
  ACTION as in `facilitator actions --json`; ENTRY: {"id": ID, "text": TEXT,
  "created_at": ISO_TIME}"""

SESSION_HELP = (
    "the session: its date (2026-03-02), its id or the start of it (as `facilitator sessions` "
    "lists it), or latest (the default: the one under way, else the last one held)"
)


# Finding a session ----------------------------------------------------------------------------


@record
class Found:
    session: Session
    year: int | None
    """The history year it is filed in; None for the session under way."""


def find_session(context: Context, ref: str | None) -> Found:
    """The session the person named (see the module's docstring); a usage error if none."""
    from facilitator.domain.dates import long_day

    state = context.state()
    partnership = context.partnership()
    repository = context.repository()
    live = state.session
    text = (ref or "latest").strip()
    if text.lower() in LATEST:
        if live is not None:
            return Found(live, None)
        for year in reversed(repository.history_years()):
            that_year = context.history([year])[0]
            if that_year:
                return Found(that_year[-1], year)
        raise CommandError("No session has been held yet.")
    day = _iso_day(text)
    if day is not None:
        found = []
        if live is not None and partnership.local_date(live.started_at) == day:
            found.append(Found(live, None))
        if day.year in repository.history_years():
            found += [
                Found(s, day.year)
                for s in context.history([day.year])[0]
                if partnership.local_date(s.started_at) == day
            ]
        held = [f for f in found if not f.session.abandoned]
        if len(found) == 1:
            return found[0]
        if len(held) == 1:
            return held[0]
        if not found:
            raise usage_error(
                f"No session was held on {long_day(day)}; `facilitator sessions` lists them."
            )
        raise usage_error(
            f"{len(found)} sessions were held on {long_day(day)} ({_ids(found)}); give the id "
            "of the one you mean."
        )
    prefix = text.lower()
    if _HEX.fullmatch(prefix):
        matches = [Found(live, None)] if live is not None and live.id.startswith(prefix) else []
        for year in reversed(repository.history_years()):
            matches += [
                Found(s, year) for s in context.history([year])[0] if s.id.startswith(prefix)
            ]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise usage_error(
                f"{len(matches)} sessions have ids starting {prefix!r} ({_ids(matches)}); give "
                "more of the id."
            )
        raise usage_error(f"No session has an id starting {prefix!r}.")
    raise usage_error(
        f"{shown(text)!r} is not a session: give its date (like 2026-03-02), its id as "
        "`facilitator sessions` lists it, or latest."
    )


def _iso_day(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise usage_error(f"{text!r} is not a date.") from None


def _ids(found: list[Found]) -> str:
    return ", ".join(f.session.id[:8] for f in found)


def session_records(context: Context, found: Found) -> tuple[list[Action], list[Entry]]:
    """Every action and entry the session's story needs: for the session under way, the live
    data; for one in history, its year and the years after (where the actions agreed in it
    were closed), with the actions still open."""
    state = context.state()
    actions = list(state.actions.values())
    if found.year is None:
        return actions, list(state.entries.values())
    repository = context.repository()
    years = [year for year in repository.history_years() if year >= found.year]
    _, entries, closed = context.history(years)
    return closed + actions, entries


def report_for(context: Context, ref: str | None) -> SessionReport:
    from facilitator.export.minutes import session_report

    found = find_session(context, ref)
    actions, entries = session_records(context, found)
    next_session = context.state().next_session_date(context.now()) if found.year is None else None
    return session_report(
        context.partnership(), found.session, actions, entries, next_session=next_session
    )


# sessions -------------------------------------------------------------------------------------


def configure_sessions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=int, metavar="YEAR", help="only the sessions held in this year"
    )
    parser.add_argument(
        "--last", type=int, metavar="N", help="only the last N sessions (the latest last)"
    )
    add_json_option(parser)


def run_sessions(context: Context) -> int:
    args = context.args
    if args.last is not None and args.last < 1:
        raise usage_error("--last: give a number of sessions, 1 or more.")
    partnership = context.partnership()
    state = context.state()
    repository = context.repository()
    years = repository.history_years()
    if args.year is not None:
        years = [year for year in years if year >= args.year]
    sessions, entries, closed = context.history(years)
    if state.session is not None:
        sessions.append(state.session)
        entries += list(state.entries.values())
    if args.year is not None:
        sessions = [s for s in sessions if partnership.local_date(s.started_at).year == args.year]
    if args.last is not None:
        sessions = sessions[-args.last :]
    counts = _counts(closed + list(state.actions.values()), entries)
    if args.json:
        write_json(
            context.out,
            {
                "partnership": {"id": partnership.id, "name": shown(partnership.name)},
                "sessions": [session_json(s, partnership, counts[s.id]) for s in sessions],
            },
        )
        return OK
    terminal = is_terminal(context.out)
    today = context.today()
    if terminal:
        heading(context.out, f"{shown(partnership.name)} · sessions")
        if not sessions:
            context.out.write("None yet.\n")
            return OK
    from facilitator.domain.dates import format_day

    rows = []
    for session in sessions:
        day = partnership.local_date(session.started_at)
        count = counts[session.id]
        reviewed = sum(count[k] for k in ("done", "partly", "not_done", "dropped"))
        rows.append(
            [
                format_day(day, today) if terminal else day.isoformat(),
                session.id[:8] if terminal else session.id,
                STATUS_WORDS[_status(session)],
                ", ".join(shown(partnership.partner_name(p)) for p in session.present),
                f"{count['done']} of {reviewed}",
                str(count["agreed"]),
                str(count["wins"]),
            ]
        )
    columns = [
        Column("Date"),
        Column("Id"),
        Column("Status"),
        Column("Present", flexible=True),
        Column("Done", right=True),
        Column("Agreed", right=True),
        Column("Wins", right=True),
    ]
    Table(columns, rows).write(context.out)
    return OK


def _status(session: Session) -> str:
    if session.abandoned:
        return "set_aside"
    return "finished" if session.finished else "in_progress"


def _counts(actions: list[Action], entries: list[Entry]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for action in {a.id: a for a in actions}.values():
        if action.reviewed_in and not action.is_open:
            counts.setdefault(action.reviewed_in, Counter())[action.status.value] += 1
        if action.created_in:
            counts.setdefault(action.created_in, Counter())["agreed"] += 1
    names = {"win": "wins", "obstacle": "obstacles", "idea": "ideas", "help": "help"}
    for entry in {e.id: e for e in entries}.values():
        if entry.kind.value in names:
            counts.setdefault(entry.session_id, Counter())[names[entry.kind.value]] += 1
    return _Defaulted(counts)


class _Defaulted(dict[str, Counter[str]]):
    def __missing__(self, key: str) -> Counter[str]:
        return Counter()


def session_json(
    session: Session, partnership: Partnership, count: Counter[str] | None = None
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": session.id,
        "date": partnership.local_date(session.started_at).isoformat(),
        "started_at": session.started_at.isoformat(),
        "finished_at": session.finished_at.isoformat() if session.finished_at else None,
        "status": _status(session),
        "present": [{"id": p, "name": shown(partnership.partner_name(p))} for p in session.present],
    }
    if count is not None:
        keys = ("done", "partly", "not_done", "dropped", "agreed", "wins", "obstacles")
        found["counts"] = {k: count[k] for k in (*keys, "ideas", "help")}
    return found


# show -----------------------------------------------------------------------------------------


def configure_show(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session", nargs="?", metavar="SESSION", help=SESSION_HELP)
    add_json_option(parser)


def run_show(context: Context) -> int:
    report = report_for(context, context.args.session)
    if context.args.json:
        write_json(context.out, report_json(report, context.today()))
    else:
        context.out.write("\n".join(report_lines(report, context.today(), context)) + "\n")
    return OK


def entry_json(entry: Entry) -> dict[str, Any]:
    return {"id": entry.id, "text": shown(entry.text), "created_at": entry.created_at.isoformat()}


def report_json(report: SessionReport, today: date) -> dict[str, Any]:
    partnership = report.partnership
    actions = [a for p in report.partners for a in (*p.reviewed, *p.new_actions)]
    entries = [e for p in report.partners for e in (*p.wins, *p.obstacles, *p.ideas, *p.help)]
    count = _counts(actions, entries)[report.session.id]
    partners = []
    for p in report.partners:
        reviewed = []
        for action in p.reviewed:
            carried = p.carried_to.get(action.id)
            reviewed.append(
                action_json(action, partnership, today) | {"carried_to": carried and carried.id}
            )
        partners.append(
            {
                "id": p.partner_id,
                "name": shown(p.name),
                "present": p.present,
                "reviewed": reviewed,
                "wins": [entry_json(e) for e in p.wins],
                "obstacles": [entry_json(e) for e in p.obstacles],
                "ideas": [entry_json(e) for e in p.ideas],
                "help": [entry_json(e) for e in p.help],
                "vision": [entry_json(e) for e in p.vision],
                "notes": [entry_json(e) for e in p.notes],
                "new_actions": [action_json(a, partnership, today) for a in p.new_actions],
            }
        )
    return {
        "partnership": {"id": partnership.id, "name": shown(partnership.name)},
        "session": session_json(report.session, partnership, count),
        "next_session": report.next_session.isoformat(),
        "partners": partners,
    }


def report_lines(report: SessionReport, today: date, context: Context) -> list[str]:
    """The session told in plain lines (bold headings on a terminal)."""
    from facilitator.domain.dates import format_day

    emphasis = emphasis_allowed(context.out)

    def bold(text: str) -> str:
        return f"{BOLD}{text}{RESET}" if emphasis else text

    times = report.started.strftime("%H:%M")
    if report.finished is not None:
        times += f" to {report.finished.strftime('%H:%M')}"
    lines = [
        bold(
            f"{shown(report.partnership.name)} · session of {format_day(report.day, today)} · "
            f"{times} · {STATUS_WORDS[report.status]}"
        ),
        f"Id: {report.session.id}",
        f"Present: {', '.join(shown(n) for n in report.present_names) or 'nobody'}",
        f"Next session: {format_day(report.next_session, today)}",
    ]
    for partner in report.partners:
        lines += ["", bold(shown(partner.name) + ("" if partner.present else " (away)"))]
        lines += _partner_lines(partner, today, format_day)
    return lines


def _partner_lines(partner: PartnerReport, today: date, format_day: Any) -> list[str]:
    out: list[str] = []

    def section(title: str, items: list[str]) -> None:
        if items:
            out.append(f"  {title}")
            out.extend(f"    • {item}" for item in items)

    section("Wins", [shown(e.text) for e in partner.wins])
    reviewed = []
    for action in partner.reviewed:
        line = f"{action.status.label}: {shown(action.text)}"
        if action.in_the_way:
            line += f" · in the way: {shown(action.in_the_way)}"
        carried = partner.carried_to.get(action.id)
        if carried is not None:
            line += f" · carried forward, due {format_day(carried.due_on, today)}"
        reviewed.append(line)
    section("Last time's actions", reviewed)
    section("Obstacles", [shown(e.text) for e in partner.obstacles])
    section("Ideas", [shown(e.text) for e in partner.ideas])
    section("Help asked for", [shown(e.text) for e in partner.help])
    section(
        "Where they are and what they'd like to achieve", [shown(e.text) for e in partner.vision]
    )
    section("Notes", [shown(e.text) for e in partner.notes])
    section(
        "Actions until next time",
        [
            f"{shown(a.text)} · due {format_day(a.due_on, today)}"
            + (" · carried forward" if a.carried_from else "")
            for a in partner.new_actions
        ],
    )
    if not out:
        out.append("  Nothing recorded.")
    return out


COMMANDS = [
    Command(
        name="sessions",
        help="list the sessions held",
        description="List the sessions held, oldest first, with the one under way last: when, "
        "who was there, how many of last time's actions were done, how many actions were "
        "agreed, and the wins. Reads the whole history (or, with --year, that year's on).",
        configure=configure_sessions,
        run=run_sessions,
        epilog=SESSIONS_JSON,
    ),
    Command(
        name="show",
        help="tell what happened in a session (the latest by default)",
        description="Tell what happened in a session, partner by partner: wins, last time's "
        "actions as reviewed (with what got in the way), obstacles, ideas, help asked for, and "
        "the actions agreed.",
        configure=configure_show,
        run=run_show,
        epilog=SHOW_JSON,
    ),
]

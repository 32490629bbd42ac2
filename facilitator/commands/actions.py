"""`facilitator actions`: the actions agreed, for a quick look or a script.

By default the actions of now: every open action, and those already marked in a session under
way. `--all` adds every action closed in earlier sessions (it reads the whole history, so it
is the one slower form). The JSON shape is `JSON_SHAPE`, shown by `--help`.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from facilitator.commands import Command
from facilitator.commands.base import OK, Context, find_partner
from facilitator.commands.output import Column, Table, heading, is_terminal, shown, write_json

if TYPE_CHECKING:
    from facilitator.domain.actions import Action
    from facilitator.domain.partnership import Partnership


JSON_SHAPE = """\
With --json:
  {"partnership": {"id": ID, "name": NAME}, "today": "2026-11-23",
   "actions": [{"id": ID, "text": TEXT, "owner": {"id": ID, "name": NAME},
                "due_on": "2026-11-30", "status": "open|done|partly|not_done|dropped",
                "overdue": false, "created_in": SESSION_ID|null, "created_at": ISO_TIME,
                "reviewed_in": SESSION_ID|null, "in_the_way": TEXT,
                "carried_from": ACTION_ID|null, "goal_id": GOAL_ID|null}]}"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--owner", metavar="NAME", help="only this partner's actions (the name, in any case)"
    )
    parser.add_argument(
        "--open",
        action="store_true",
        help="only actions still open (not those already marked in a session under way)",
    )
    parser.add_argument(
        "--overdue", action="store_true", help="only open actions whose due date has passed"
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="also every action closed in earlier sessions (reads the whole history)",
    )
    add_json_option(parser)


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="output JSON (its shape is shown below)"
    )


def run(context: Context) -> int:
    args = context.args
    partnership = context.partnership()
    state = context.state()
    today = context.today()
    found: dict[str, Action] = {}
    if args.all:
        repository = context.repository()
        closed = context.history(repository.history_years())[2]
        found.update((a.id, a) for a in closed)
    found.update(state.actions)
    chosen = list(found.values())
    if args.owner is not None:
        owner = find_partner(partnership, args.owner)
        chosen = [a for a in chosen if a.owner_id == owner.id]
    if args.open or args.overdue:
        chosen = [a for a in chosen if a.is_open]
    if args.overdue:
        chosen = [a for a in chosen if a.is_overdue(today)]
    order = {p.id: i for i, p in enumerate((*partnership.partners, *partnership.former))}
    chosen.sort(key=lambda a: (a.due_on, order.get(a.owner_id, len(order)), a.created_at))
    if args.json:
        write_json(
            context.out,
            {
                "partnership": {"id": partnership.id, "name": shown(partnership.name)},
                "today": today.isoformat(),
                "actions": [action_json(a, partnership, today) for a in chosen],
            },
        )
        return OK
    write_table(context, chosen, partnership, today, describe(args, partnership, state.live))
    return OK


def describe(args: argparse.Namespace, partnership: Partnership, live: object) -> str:
    what = "overdue actions" if args.overdue else "open actions"
    if live is not None and not (args.open or args.overdue):
        what = "open actions, and those marked in the session under way"
    if args.all and not (args.open or args.overdue):
        what = "all actions, closed ones too"
    if args.owner is not None:
        what = f"{shown(find_partner(partnership, args.owner).name)}'s {what}"
    return what


def status_word(action: Action, today: date) -> str:
    if action.is_overdue(today):
        days = (today - action.due_on).days
        return f"overdue {days} day{'s' if days != 1 else ''}"
    return action.status.label


def write_table(
    context: Context, actions: list[Action], partnership: Partnership, today: date, what: str
) -> None:
    """On a terminal: a heading and an aligned table, dates as people say them. Piped: one
    action a line, tab-separated, its id first and ISO dates."""
    names = owner_names(partnership, actions)
    if not is_terminal(context.out):
        rows = [
            [
                action.id,
                action.due_on.isoformat(),
                names[action.owner_id],
                status_word(action, today),
                shown(action.text),
            ]
            for action in actions
        ]
        columns = [Column("Id"), Column("Due"), Column("Owner"), Column("Status"), Column("Action")]
        Table(columns, rows).write(context.out)
        return
    from facilitator.domain.dates import format_day

    heading(context.out, f"{shown(partnership.name)} · {what} · today {format_day(today, today)}")
    if not actions:
        context.out.write("None.\n")
        return
    rows, bold = [], set()
    for number, action in enumerate(actions):
        rows.append(
            [
                format_day(action.due_on, today),
                names[action.owner_id],
                status_word(action, today),
                shown(action.text),
            ]
        )
        if action.is_overdue(today):
            bold.add((number, 2))  # the status: "overdue 3 days", in bold
    columns = [Column("Due"), Column("Owner"), Column("Status"), Column("Action", flexible=True)]
    Table(columns, rows, bold).write(context.out)


def owner_names(partnership: Partnership, actions: list[Action]) -> dict[str, str]:
    """Each owner's name as shown, found once: a partner may own a thousand actions."""
    owners = {action.owner_id for action in actions}
    return {owner: shown(partnership.partner_name(owner)) for owner in owners}


def action_json(action: Action, partnership: Partnership, today: date) -> dict[str, Any]:
    return {
        "id": action.id,
        "text": shown(action.text),
        "owner": {"id": action.owner_id, "name": shown(partnership.partner_name(action.owner_id))},
        "due_on": action.due_on.isoformat(),
        "status": action.status.value,
        "overdue": action.is_overdue(today),
        "created_in": action.created_in,
        "created_at": action.created_at.isoformat(),
        "reviewed_in": action.reviewed_in,
        "in_the_way": shown(action.in_the_way),
        "carried_from": action.carried_from,
        "goal_id": action.goal_id,
    }


COMMANDS = [
    Command(
        name="actions",
        help="list the actions agreed (open ones by default)",
        description="List the actions agreed: every open action, and those already marked in "
        "a session under way, soonest due first. On a terminal, a table; piped, one action a "
        "line, tab-separated (id, due date, owner, status, action).",
        configure=configure,
        run=run,
        epilog=JSON_SHAPE,
    )
]

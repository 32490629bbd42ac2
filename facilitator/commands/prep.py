"""`facilitator prep`: your own preparation for the next session, in the full-screen app.

Mark your open actions ahead of the meeting (with what got in the way), see your goals, and
write your update to the three questions. It is kept as your draft; the session's review
shows it to the pair, who confirm or change each status together. `--as NAME` says who you
are; without it the app asks.
"""

from __future__ import annotations

import argparse

from facilitator.commands import Command
from facilitator.commands.base import Context, find_partner


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as", dest="as_name", metavar="NAME", help="the partner you are (any case)"
    )


def run(context: Context) -> int:
    partnership = context.state().partnership
    partner_id = ""
    if partnership is not None and context.args.as_name:
        partner_id = find_partner(partnership, context.args.as_name, "--as", former=False).id
    return context.full_screen(prep_for=partner_id)


COMMANDS = [
    Command(
        name="prep",
        help="prepare for the next session on your own",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else "",
        configure=configure,
        run=run,
        full_screen=True,
    )
]

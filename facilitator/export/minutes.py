"""Minutes of a session: what happened, made from the records alone, as Markdown to share.

`session_report` gathers a session's story per partner (wins, last time's actions as
reviewed, with what got in the way, obstacles, ideas, help asked for, the actions agreed);
`minutes_markdown` writes it as Markdown. The wrap-up screen and `facilitator minutes` call
the same functions. People's words are data: every character Markdown would read as
formatting is escaped, and hidden control characters are removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from facilitator.domain.actions import Action, ActionStatus, Entry, EntryKind, agreed_in
from facilitator.domain.agreement import Agreement
from facilitator.domain.dates import long_day
from facilitator.domain.partnership import Partnership
from facilitator.domain.record import record
from facilitator.domain.session import Session
from facilitator.domain.text import strip_hidden

FINISHED, SET_ASIDE, IN_PROGRESS = "finished", "set_aside", "in_progress"

REVIEW_ORDER = (
    ActionStatus.DONE,
    ActionStatus.PARTLY,
    ActionStatus.NOT_DONE,
    ActionStatus.DROPPED,
)


@record
class PartnerReport:
    """One partner's part of a session."""

    partner_id: str
    name: str
    present: bool
    reviewed: tuple[Action, ...]
    """Last time's actions as marked in this session: done first, then partly, not, dropped."""
    carried_to: dict[str, Action]
    """For a reviewed action carried forward: its copy among this session's new actions."""
    wins: tuple[Entry, ...]
    obstacles: tuple[Entry, ...]
    ideas: tuple[Entry, ...]
    help: tuple[Entry, ...]
    vision: tuple[Entry, ...]
    notes: tuple[Entry, ...]
    new_actions: tuple[Action, ...]

    @property
    def is_empty(self) -> bool:
        return not (
            self.reviewed
            or self.wins
            or self.obstacles
            or self.ideas
            or self.help
            or self.vision
            or self.notes
            or self.new_actions
        )


@record
class SessionReport:
    """A session's story, per partner, in the partnership's time zone."""

    partnership: Partnership
    session: Session
    day: date
    started: datetime
    finished: datetime | None
    partners: tuple[PartnerReport, ...]
    next_session: date

    @property
    def status(self) -> str:
        if self.session.abandoned:
            return SET_ASIDE
        return FINISHED if self.session.finished else IN_PROGRESS

    @property
    def present_names(self) -> list[str]:
        return [p.name for p in self.partners if p.present]

    @property
    def new_actions(self) -> list[tuple[PartnerReport, Action]]:
        """Every action agreed in the session, partner by partner."""
        return [(p, a) for p in self.partners for a in p.new_actions]


def session_report(
    partnership: Partnership,
    session: Session,
    actions: Iterable[Action],
    entries: Iterable[Entry],
    *,
    next_session: date | None = None,
) -> SessionReport:
    """Gather `session`'s story from records: `actions` may hold any actions (those reviewed
    or agreed in the session are picked out; a later one with the same id replaces an earlier
    one), `entries` any entries. `next_session` defaults to one cadence after the session."""
    by_id = {a.id: a for a in actions}
    mine = [a for a in by_id.values() if session.id in (a.reviewed_in, a.created_in)]
    said = sorted(
        (e for e in {e.id: e for e in entries}.values() if e.session_id == session.id),
        key=lambda e: e.created_at,
    )
    day = partnership.local_date(session.started_at)
    carried = {a.carried_from: a for a in mine if a.created_in == session.id and a.carried_from}
    order = [p.id for p in partnership.partners] + [p.id for p in partnership.former]
    order += [pid for pid in session.present if pid not in order]
    order += [a.owner_id for a in mine if a.owner_id not in order]
    order += [e.partner_id for e in said if e.partner_id not in order]
    partners = []
    for partner_id in dict.fromkeys(order):
        reviewed = sorted(
            (
                a
                for a in mine
                if a.owner_id == partner_id
                and a.reviewed_in == session.id
                and not a.is_open
                and a.created_in != session.id
            ),
            key=lambda a: (REVIEW_ORDER.index(a.status), a.due_on, a.created_at),
        )
        agreed = agreed_in(mine, partner_id, session.id)
        theirs = [e for e in said if e.partner_id == partner_id]

        def of(kind: EntryKind, theirs: list[Entry] = theirs) -> tuple[Entry, ...]:
            return tuple(e for e in theirs if e.kind is kind)

        report = PartnerReport(
            partner_id=partner_id,
            name=partnership.partner_name(partner_id),
            present=partner_id in session.present,
            reviewed=tuple(reviewed),
            carried_to={a.id: carried[a.id] for a in reviewed if a.id in carried},
            wins=of(EntryKind.WIN),
            obstacles=of(EntryKind.OBSTACLE),
            ideas=of(EntryKind.IDEA),
            help=of(EntryKind.HELP),
            vision=of(EntryKind.VISION),
            notes=of(EntryKind.NOTE),
            new_actions=tuple(agreed),
        )
        if report.present or not report.is_empty:
            partners.append(report)
    zone = partnership.zone
    return SessionReport(
        partnership=partnership,
        session=session,
        day=day,
        started=session.started_at.astimezone(zone),
        finished=session.finished_at.astimezone(zone) if session.finished_at else None,
        partners=tuple(partners),
        next_session=next_session or partnership.next_after(day),
    )


MINUTES_HOLD = (
    "the minutes hold what was said. Export them only if you have both agreed to share them."
)


def sharing_warning(agreement: Agreement, what: str = MINUTES_HOLD) -> str | None:
    """What to say before something said leaves the app (`what`: the minutes, by default),
    when the agreement keeps everything between the partners (None when sharing was agreed)."""
    if agreement.may_share:
        return None
    return f"Your agreement says that what is said in your sessions stays between you, and {what}"


# Markdown ------------------------------------------------------------------------------------


def minutes_markdown(
    partnership: Partnership,
    session: Session,
    actions: Iterable[Action],
    entries: Iterable[Entry],
    *,
    next_session: date | None = None,
) -> str:
    """The minutes of `session` as Markdown (see `session_report` for the arguments).

    From the wrap-up screen: ``minutes_markdown(state.partnership, state.session,
    state.actions.values(), state.entries.values(), next_session=state.next_session_date(now))``.
    """
    report = session_report(partnership, session, actions, entries, next_session=next_session)
    return report_markdown(report)


def report_markdown(report: SessionReport) -> str:
    partnership = report.partnership
    out: list[str] = [f"# {md(partnership.name)}: minutes of {long_day(report.day)}", ""]
    out.append(
        f"- **Date:** {long_day(report.day)}, {_times(report)} ({md(partnership.time_zone)})"
    )
    present = report.present_names
    out.append(f"- **Present:** {', '.join(md(n) for n in present) if present else 'nobody'}")
    out.append(f"- **Confidentiality:** {md(partnership.agreement.confidentiality_line())}")
    if report.status == SET_ASIDE:
        out += ["", "_This session was set aside before it was finished._"]
    elif report.status == IN_PROGRESS:
        out += ["", "_The session is still in progress: this is what was recorded so far._"]
    for partner in report.partners:
        out += ["", f"## {md(partner.name)}{'' if partner.present else ' (away)'}"]
        out += _partner_markdown(partner)
    out += ["", "## Actions agreed", ""]
    agreed = report.new_actions
    if agreed:
        out += ["| Owner | Action | Due |", "| --- | --- | --- |"]
        for partner, action in agreed:
            carried = " (carried forward)" if action.carried_from else ""
            out.append(
                f"| {md(partner.name)} | {md(action.text)}{carried} | {long_day(action.due_on)} |"
            )
    else:
        out.append("No new actions were agreed.")
    out += [
        "",
        "## Next session",
        "",
        f"{long_day(report.next_session)} ({md(partnership.cadence_label)}).",
        "",
    ]
    return "\n".join(out)


def _partner_markdown(partner: PartnerReport) -> list[str]:
    out: list[str] = []

    def section(title: str, items: list[str]) -> None:
        if items:
            out.extend(["", f"### {title}", ""])
            out.extend(f"- {item}" for item in items)

    section("Wins", [md(e.text) for e in partner.wins])
    section("Last time's actions", [_reviewed(partner, a) for a in partner.reviewed])
    section("Obstacles", [md(e.text) for e in partner.obstacles])
    section("Ideas", [md(e.text) for e in partner.ideas])
    section("Help asked for", [md(e.text) for e in partner.help])
    section("Where they are and what they'd like to achieve", [md(e.text) for e in partner.vision])
    section("Notes", [md(e.text) for e in partner.notes])
    if not out:  # a heading with nothing under it reads like something went missing
        agreed = len(partner.new_actions)
        if agreed:
            actions = "an action" if agreed == 1 else f"{agreed} actions"
            out += ["", f"_Nothing else recorded: {actions} agreed, below._"]
        else:
            out += ["", "_Nothing recorded._"]
    return out


def _reviewed(partner: PartnerReport, action: Action) -> str:
    text = f"**{action.status.label.capitalize()}:** {md(action.text)}"
    if action.in_the_way:
        text += f". What got in the way: {md(action.in_the_way)}"
    copy = partner.carried_to.get(action.id)
    if copy is not None:
        text += f". Carried forward, due {long_day(copy.due_on)}"
    elif action.status.may_carry:
        text += ". Let go"
    return text + "."


def _times(report: SessionReport) -> str:
    start = report.started.strftime("%H:%M")
    if report.finished is None:
        return f"started at {start}"
    return f"{start} to {report.finished.strftime('%H:%M')}"


_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
_BLOCK_START = re.compile(r"^([-+=])")
_ORDERED_START = re.compile(r"^(\d+)([.)])")


def md(text: str) -> str:
    """Someone's words as Markdown text: on one line, every character that Markdown would read
    as formatting escaped, so the words show exactly as they were typed."""
    flat = " ".join(strip_hidden(text).split())
    escaped = _SPECIAL.sub(r"\\\1", flat)
    # At the start of a list item or a heading, "-", "+" or "1." would begin a nested list.
    escaped = _BLOCK_START.sub(r"\\\1", escaped, count=1)
    return _ORDERED_START.sub(r"\1\\\2", escaped, count=1)


__all__ = [
    "PartnerReport",
    "SessionReport",
    "md",
    "minutes_markdown",
    "report_markdown",
    "session_report",
    "sharing_warning",
]

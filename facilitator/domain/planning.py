"""Which agenda a session gets: the kick-off for a first session, the agreed agenda after, with
a short check-in first and a term review when the review rhythm comes due."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from facilitator.domain.agenda import (
    Phase,
    PhaseKind,
    checkin_phase,
    default_agenda,
    kickoff_agenda,
    phase,
    term_review_phase,
)
from facilitator.domain.agreement import ReviewUnit
from facilitator.domain.partnership import Partnership


def review_due(partnership: Partnership, today: date) -> bool:
    """Whether the periodic review is due: every N weeks since the last (or since the
    partnership began), or every N sessions."""
    agreement = partnership.agreement
    if partnership.last_session_on is None:
        return False  # the first session sets the goals a review would look back on
    if agreement.review_unit is ReviewUnit.SESSIONS:
        return partnership.sessions_since_review >= agreement.review_every
    since = partnership.last_review_on or partnership.created_on
    return today >= since + timedelta(weeks=agreement.review_every)


def next_review_on(partnership: Partnership) -> date | None:
    """When a weekly review rhythm next comes due (None for a rhythm counted in sessions)."""
    agreement = partnership.agreement
    if agreement.review_unit is ReviewUnit.SESSIONS:
        return None
    since = partnership.last_review_on or partnership.created_on
    return since + timedelta(weeks=agreement.review_every)


def agreed_agenda(partnership: Partnership) -> list[Phase]:
    plans = partnership.agreement.agenda
    if not plans:
        return default_agenda(partnership.session_minutes)
    return [
        phase(plan.kind, plan.minutes, key=plan.key, title=plan.title, per_partner=plan.per_partner)
        for plan in plans
    ]


def plan_agenda(
    partnership: Partnership, today: date, *, with_review: bool | None = None
) -> list[Phase]:
    """The agenda for a session starting today. `with_review` forces the term review in or
    out (None: in when it is due)."""
    if partnership.last_session_on is None:
        return _with_checkin(kickoff_agenda(partnership.session_minutes))
    phases = agreed_agenda(partnership)
    wanted = review_due(partnership, today) if with_review is None else with_review
    has_review = any(p.kind is PhaseKind.TERM_REVIEW for p in phases)
    if wanted and not has_review:
        at = next((i for i, p in enumerate(phases) if p.kind is PhaseKind.WRAPUP), len(phases))
        phases.insert(at, term_review_phase())
    elif with_review is False and has_review:
        phases = [p for p in phases if p.kind is not PhaseKind.TERM_REVIEW]
    return _with_checkin(phases)


def _with_checkin(phases: list[Phase]) -> list[Phase]:
    """A one-minute check-in first, if the agenda has none; the minute comes out of the
    longest phase, so the session keeps its agreed length."""
    if any(p.kind is PhaseKind.CHECKIN for p in phases):
        return phases
    checkin = checkin_phase()
    longest = max(range(len(phases)), key=lambda i: phases[i].seconds)
    if phases[longest].seconds > 2 * checkin.seconds:
        phases[longest] = replace(
            phases[longest], seconds=phases[longest].seconds - checkin.seconds
        )
    return [checkin, *phases]

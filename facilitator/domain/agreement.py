"""The partners' agreement: how they work together, written down and changed by agreement.

Confidentiality, the medium and who sends the invitations, whose goals the partnership serves
(two-way, or one-way with supporters), how each partner wants to update and to hear feedback,
how often to step back for a longer review, and the agenda of a session (its phases, their
order and timeboxes). Every change keeps the earlier version with its date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field, replace
from datetime import date, datetime
from enum import StrEnum

from facilitator.domain.agenda import GROUP_KINDS, Phase, PhaseKind
from facilitator.domain.dates import WEEKDAY_NAMES
from facilitator.domain.ids import new_id
from facilitator.domain.record import record
from facilitator.domain.text import InvalidText, clean_text

TERMS_LENGTH = 200
LINK_LENGTH = 300
MIN_PHASE_MINUTES = 1
MAX_PHASE_MINUTES = 120
MAX_PHASES = 12
MAX_REVIEW_EVERY = 52


class Medium(StrEnum):
    VIDEO = "video"
    PHONE = "phone"
    IN_PERSON = "in_person"

    @property
    def label(self) -> str:
        return {"video": "Video call", "phone": "Phone", "in_person": "In person"}[self.value]


class Direction(StrEnum):
    """Whose goals the partnership serves."""

    TWO_WAY = "two_way"
    """Every partner brings goals and gets turns."""
    ONE_WAY = "one_way"
    """One partner's agenda and goals; the others support, ask and challenge."""

    @property
    def label(self) -> str:
        return {
            "two_way": "Two-way: everyone brings goals",
            "one_way": "One-way: one partner's goals",
        }[self.value]


class UpdateStyle(StrEnum):
    VERBAL = "verbal"
    WRITTEN = "written"

    @property
    def label(self) -> str:
        return {"verbal": "Verbally in the session", "written": "A written update beforehand"}[
            self.value
        ]


class ReviewUnit(StrEnum):
    WEEKS = "weeks"
    SESSIONS = "sessions"


@record
class PartnerTerms:
    partner_id: str
    update_style: UpdateStyle = UpdateStyle.VERBAL
    feedback: str = ""
    """How they best receive feedback, challenge and advice, in their words."""
    supporter: bool = False
    """Supports only: no turn of their own in review and actions."""


@record
class PhasePlan:
    """One phase of the agreed agenda: what kind, its title, and its timebox."""

    kind: PhaseKind
    title: str
    minutes: int
    per_partner: bool = True
    key: str = field(default_factory=new_id)


@record
class Agreement:
    may_share: bool = False
    """Whether either partner may share what is said (default: no)."""
    share_with: str = ""
    """With whom, when sharing is allowed."""
    meeting_day: int | None = None
    """The usual weekday (0 is Monday), if there is one."""
    meeting_time: str = ""
    """The usual time, "18:30"."""
    medium: Medium = Medium.VIDEO
    link: str = ""
    """The meeting link (or the place, or the number)."""
    initiator_id: str = ""
    """Who starts the meetings and sends the invitations ("" when agreed each time)."""
    direction: Direction = Direction.TWO_WAY
    terms: tuple[PartnerTerms, ...] = ()
    review_every: int = 6
    review_unit: ReviewUnit = ReviewUnit.WEEKS
    agenda: tuple[PhasePlan, ...] = ()
    """The agreed phases; empty means the standard agenda scaled to the session's length."""

    def terms_for(self, partner_id: str) -> PartnerTerms:
        for terms in self.terms:
            if terms.partner_id == partner_id:
                return terms
        return PartnerTerms(partner_id=partner_id)

    def with_terms(self, terms: PartnerTerms) -> Agreement:
        kept = [t for t in self.terms if t.partner_id != terms.partner_id]
        return replace(self, terms=(*kept, terms))

    def supporters(self) -> set[str]:
        """Who supports only, without goals or turns of their own: in a one-way partnership.
        In a two-way one everyone brings goals; a tick kept from when it was one-way counts
        for nothing (the session, the term review and the screens all ask here)."""
        if self.direction is not Direction.ONE_WAY:
            return set()
        return {t.partner_id for t in self.terms if t.supporter}

    def confidentiality_line(self) -> str:
        if not self.may_share:
            return "What is said here stays between us."
        if self.share_with.strip():
            return f"We may share what is said, with: {self.share_with.strip()}."
        return "We may share what is said."

    def usual_time(self) -> str:
        day = WEEKDAY_NAMES[self.meeting_day] + "s" if self.meeting_day is not None else ""
        return " at ".join(part for part in (day, self.meeting_time) if part)


@record
class AgreementVersion:
    """An earlier (or the current) version of the agreement, with when it was agreed."""

    agreed_on: date
    recorded_at: datetime
    by: str
    """The screen that recorded it."""
    changes: str
    """What changed, in words."""
    agreement: Agreement
    cadence: str
    every_days: int | None
    session_minutes: int
    id: str = field(default_factory=new_id)


# Checking what people type --------------------------------------------------------------------


def validate_time(raw: str) -> str:
    """A usual meeting time, "18:30" or "6:30pm"; "" for none."""
    text = raw.strip().lower().replace(".", ":")
    if not text:
        return ""
    suffix = ""
    for ending in ("am", "pm"):
        if text.endswith(ending):
            suffix, text = ending, text[: -len(ending)].strip()
    hours_text, _, minutes_text = text.partition(":")
    try:
        hours, minutes = int(hours_text), int(minutes_text or "0")
    except ValueError:
        raise InvalidText("Give the time as 18:30 or 6:30pm.") from None
    if suffix and not 1 <= hours <= 12:
        raise InvalidText("With am or pm, the hour is 1 to 12.")
    if suffix == "pm" and hours != 12:
        hours += 12
    if suffix == "am" and hours == 12:
        hours = 0
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise InvalidText("That isn't a time of day; give it as 18:30 or 6:30pm.")
    return f"{hours:02d}:{minutes:02d}"


def validate_terms_text(raw: str, what: str) -> str:
    return clean_text(raw, what=what, max_length=TERMS_LENGTH, required=False)


def validate_link(raw: str) -> str:
    return clean_text(raw, what="The link", max_length=LINK_LENGTH, required=False)


def validate_phase(title: str, minutes: str) -> tuple[str, int]:
    name = clean_text(title, what="The phase's name", max_length=60)
    return name, validate_phase_minutes(minutes)


def _whole(raw: str, *endings: str) -> int | None:
    text = raw.strip().lower()
    for ending in endings:
        text = text.removesuffix(ending).strip()
    try:
        return int(text)
    except ValueError:
        return None


def validate_phase_minutes(raw: str) -> int:
    """A phase's timebox: whole minutes, 1 to MAX_PHASE_MINUTES ("5", "5 min")."""
    minutes = _whole(raw, "minutes", "mins", "min")
    if minutes is None:
        raise InvalidText("Give the timebox in whole minutes, for example 5.")
    if minutes < MIN_PHASE_MINUTES:
        raise InvalidText(
            f"A timebox of {minutes} minutes leaves no time: give {MIN_PHASE_MINUTES} to "
            f"{MAX_PHASE_MINUTES} minutes."
        )
    if minutes > MAX_PHASE_MINUTES:
        raise InvalidText(
            f"{minutes} minutes is longer than a session should be: a phase's timebox is "
            f"{MIN_PHASE_MINUTES} to {MAX_PHASE_MINUTES} minutes."
        )
    return minutes


def validate_review_every(raw: str, unit: ReviewUnit) -> int:
    """How often to step back for the longer review: every 1 to MAX_REVIEW_EVERY weeks or
    sessions."""
    every = _whole(raw, unit.value)
    if every is None:
        raise InvalidText(f"Give a whole number of {unit.value}, for example 6.")
    if not 1 <= every <= MAX_REVIEW_EVERY:
        raise InvalidText(f"Step back every 1 to {MAX_REVIEW_EVERY} {unit.value}.")
    return every


def validate_agenda(plans: Sequence[PhasePlan]) -> None:
    if not plans:
        raise InvalidText("An agenda needs at least one phase.")
    if len(plans) > MAX_PHASES:
        raise InvalidText(f"An agenda has at most {MAX_PHASES} phases.")
    if plans[-1].kind is not PhaseKind.WRAPUP and not any(
        p.kind is PhaseKind.WRAPUP for p in plans
    ):
        raise InvalidText("Keep a wrap-up: it is where the session is finished.")


CORE_KINDS = (PhaseKind.REVIEW, PhaseKind.OBSTACLES, PhaseKind.ACTIONS)


def removes_core(before: Sequence[PhasePlan], after: Sequence[PhasePlan]) -> list[PhaseKind]:
    """The core phases (review, obstacles, actions) an agenda change would remove."""
    had = {p.kind for p in before}
    has = {p.kind for p in after}
    return [kind for kind in CORE_KINDS if kind in had and kind not in has]


def plans_from_phases(phases: Sequence[Phase]) -> tuple[PhasePlan, ...]:
    return tuple(
        PhasePlan(
            kind=p.kind,
            title=p.title,
            minutes=max(1, p.seconds // 60),
            per_partner=p.per_partner,
            key=p.key,
        )
        for p in phases
    )


def validate_supporters(direction: Direction, supporters: Sequence[bool]) -> None:
    """One-way: at least one partner supports only, and at least one brings goals. Two-way:
    nobody is ticked (everyone brings goals)."""
    if direction is not Direction.ONE_WAY:
        return
    if not any(supporters):
        raise InvalidText(
            "One-way: tick who supports only; the partner whose goals these are stays unticked."
        )
    if all(supporters):
        raise InvalidText("Leave at least one partner unticked: whose goals does it serve?")


# Shaping the agenda ---------------------------------------------------------------------------

NEW_PHASE_MINUTES = {
    PhaseKind.CHECKIN: 2,
    PhaseKind.DISCUSSION: 5,
    PhaseKind.GOALS: 5,
    PhaseKind.REVIEW: 10,
    PhaseKind.OBSTACLES: 8,
    PhaseKind.ACTIONS: 8,
    PhaseKind.WRAPUP: 2,
    PhaseKind.TERM_REVIEW: 10,
    PhaseKind.VISION: 10,
}


def new_plan(kind: PhaseKind, *, title: str = "") -> PhasePlan:
    """A phase to add: its kind's usual title and timebox, per partner unless the group
    takes it together."""
    return PhasePlan(
        kind=kind,
        title=title or kind.label,
        minutes=NEW_PHASE_MINUTES.get(kind, 5),
        per_partner=kind not in GROUP_KINDS,
    )


def add_plan(
    plans: Sequence[PhasePlan], plan: PhasePlan, after: int | None
) -> tuple[tuple[PhasePlan, ...], int]:
    """`plans` with `plan` added after position `after` (at the end when None): a check-in
    goes first, and nothing goes after a closing wrap-up. Returns the plans and where it went."""
    items = list(plans)
    if plan.kind is PhaseKind.CHECKIN:
        at = 0
    else:
        at = len(items) if after is None else min(after + 1, len(items))
        if at == len(items) and items and items[-1].kind is PhaseKind.WRAPUP:
            at -= 1
    items.insert(at, plan)
    return tuple(items), at


def move_plan(
    plans: Sequence[PhasePlan], index: int, step: int
) -> tuple[tuple[PhasePlan, ...], int]:
    """`plans` with the phase at `index` moved by `step` places (kept within the agenda)."""
    items = list(plans)
    if not 0 <= index < len(items):
        return tuple(items), index
    target = min(max(index + step, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    return tuple(items), target

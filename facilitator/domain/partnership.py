"""The partnership: who meets, how often, and for how long."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from facilitator.domain.clock import local_date, zone_named
from facilitator.domain.ids import new_id
from facilitator.domain.text import InvalidText, clean_text

MIN_PARTNERS = 2
MAX_PARTNERS = 6
MIN_SESSION_MINUTES = 10
MAX_SESSION_MINUTES = 240
DEFAULT_SESSION_MINUTES = 30
NAME_LENGTH = 40


class Cadence(StrEnum):
    """How often the partners meet."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"

    @property
    def label(self) -> str:
        return {"weekly": "Weekly", "fortnightly": "Every two weeks", "monthly": "Monthly"}[
            self.value
        ]

    def after(self, day: date) -> date:
        """The date one meeting interval after `day`."""
        if self is not Cadence.MONTHLY:
            return day + timedelta(weeks=1 if self is Cadence.WEEKLY else 2)
        import pendulum  # only for calendar months; kept off the start-up path otherwise

        moved = pendulum.Date(day.year, day.month, day.day).add(months=1)
        return date(moved.year, moved.month, moved.day)


@dataclass(frozen=True)
class Partner:
    name: str
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class Partnership:
    name: str
    partners: tuple[Partner, ...]
    cadence: Cadence
    session_minutes: int
    created_on: date
    time_zone: str = "UTC"
    """The IANA zone whose calendar the partnership's dates follow, wherever the app runs."""
    last_session_on: date | None = None
    id: str = field(default_factory=new_id)

    @property
    def zone(self) -> tzinfo:
        return zone_named(self.time_zone)

    def local_date(self, moment: datetime) -> date:
        """The partnership's calendar date at `moment`."""
        return local_date(moment, self.zone)

    def with_last_session(self, day: date) -> Partnership:
        return replace(self, last_session_on=day)

    def partner(self, partner_id: str) -> Partner:
        for partner in self.partners:
            if partner.id == partner_id:
                return partner
        raise KeyError(partner_id)

    def partner_name(self, partner_id: str) -> str:
        try:
            return self.partner(partner_id).name
        except KeyError:
            return "someone no longer in the partnership"

    def next_session_due(self) -> date:
        """When the next session is due: one interval after the last, or now for the first."""
        if self.last_session_on is None:
            return self.created_on
        return self.cadence.after(self.last_session_on)


def validate_partnership_name(raw: str) -> str:
    return clean_text(raw, what="The partnership's name", max_length=NAME_LENGTH * 2)


def validate_partner_names(raw_names: list[str]) -> list[str]:
    """Non-empty, distinct names, two to six of them."""
    names = [
        clean_text(raw, what=f"Partner {index}'s name", max_length=NAME_LENGTH)
        for index, raw in enumerate(raw_names, start=1)
        if raw.strip()
    ]
    if len(names) < MIN_PARTNERS:
        raise InvalidText(f"A partnership needs at least {MIN_PARTNERS} partners.")
    if len(names) > MAX_PARTNERS:
        raise InvalidText(f"A peer group has at most {MAX_PARTNERS} partners.")
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise InvalidText(f"Two partners are both called {name!r}; tell them apart.")
        seen.add(name.casefold())
    return names


def validate_session_minutes(raw: str) -> int:
    text = raw.strip().removesuffix("min").removesuffix("minutes").strip()
    if not text:
        return DEFAULT_SESSION_MINUTES
    try:
        minutes = int(text)
    except ValueError:
        raise InvalidText("Give the session length in whole minutes, for example 30.") from None
    if not MIN_SESSION_MINUTES <= minutes <= MAX_SESSION_MINUTES:
        raise InvalidText(
            f"A session lasts between {MIN_SESSION_MINUTES} and {MAX_SESSION_MINUTES} minutes."
        )
    return minutes

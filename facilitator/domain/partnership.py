"""The partnership: who meets, how often, and for how long."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import field, replace
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from facilitator.domain.agreement import Agreement
from facilitator.domain.clock import local_date, zone_named
from facilitator.domain.ids import new_id
from facilitator.domain.record import record
from facilitator.domain.text import InvalidText, clean_text

MIN_PARTNERS = 2
MAX_PARTNERS = 6
MIN_SESSION_MINUTES = 10
MAX_SESSION_MINUTES = 240
DEFAULT_SESSION_MINUTES = 30
NAME_LENGTH = 40


MAX_EVERY_DAYS = 90


class Cadence(StrEnum):
    """How often the partners meet."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    EVERY_N_DAYS = "every_n_days"

    @property
    def label(self) -> str:
        return {
            "weekly": "Weekly",
            "fortnightly": "Every two weeks",
            "monthly": "Monthly",
            "every_n_days": "Every few days",
        }[self.value]

    def after(
        self, day: date, *, every_days: int | None = None, month_day: int | None = None
    ) -> date:
        """The next meeting after one on `day`.

        Monthly meetings keep to one day of the month (`month_day`, else `day`'s), moved to the
        month's last day in a shorter month: 31 Jan, 28 Feb, 31 Mar, 30 Apr. That never drifts,
        and a calendar's recurrence rule says the same (see `month_day_rule`)."""
        if self is Cadence.WEEKLY:
            return day + timedelta(weeks=1)
        if self is Cadence.FORTNIGHTLY:
            return day + timedelta(weeks=2)
        if self is Cadence.EVERY_N_DAYS:
            return day + timedelta(days=every_days or 7)
        year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
        return date(year, month, min(month_day or day.day, monthrange(year, month)[1]))


def month_day_rule(month_day: int) -> str:
    """The iCalendar recurrence for "this day of every month, or the last day if shorter"."""
    if month_day <= 28:
        return f"FREQ=MONTHLY;BYMONTHDAY={month_day}"
    days = ",".join(str(d) for d in range(28, month_day + 1))
    return f"FREQ=MONTHLY;BYMONTHDAY={days};BYSETPOS=-1"


@record
class Partner:
    name: str
    id: str = field(default_factory=new_id)


@record
class Partnership:
    name: str
    partners: tuple[Partner, ...]
    cadence: Cadence
    session_minutes: int
    created_on: date
    time_zone: str = "UTC"
    """The IANA zone whose calendar the partnership's dates follow, wherever the app runs."""
    last_session_on: date | None = None
    every_days: int | None = None
    """For an every-N-days cadence."""
    month_day: int | None = None
    """For a monthly cadence: the day of the month meetings keep to (else the first's)."""
    agreement: Agreement = field(default_factory=Agreement)
    former: tuple[Partner, ...] = ()
    """Partners who have left: their names stay for the history."""
    last_review_on: date | None = None
    """When the partners last stepped back for a term review."""
    sessions_since_review: int = 0
    id: str = field(default_factory=new_id)

    def next_after(self, day: date) -> date:
        """The meeting one interval after `day`, on this partnership's cadence."""
        return self.cadence.after(
            day, every_days=self.every_days, month_day=self.month_day or day.day
        )

    @property
    def cadence_label(self) -> str:
        return cadence_words(self.cadence, self.every_days)

    @property
    def zone(self) -> tzinfo:
        return zone_named(self.time_zone)

    def local_date(self, moment: datetime) -> date:
        """The partnership's calendar date at `moment`."""
        return local_date(moment, self.zone)

    def with_last_session(self, day: date, *, reviewed: bool = False) -> Partnership:
        # A monthly rhythm keeps to the day of the month of the first session held on it.
        month_day = self.month_day or (day.day if self.cadence is Cadence.MONTHLY else None)
        if reviewed:
            return replace(
                self,
                last_session_on=day,
                last_review_on=day,
                sessions_since_review=0,
                month_day=month_day,
            )
        return replace(
            self,
            last_session_on=day,
            sessions_since_review=self.sessions_since_review + 1,
            month_day=month_day,
        )

    def partner(self, partner_id: str) -> Partner:
        for partner in self.partners:
            if partner.id == partner_id:
                return partner
        raise KeyError(partner_id)

    def partner_name(self, partner_id: str) -> str:
        try:
            return self.partner(partner_id).name
        except KeyError:
            for former in self.former:
                if former.id == partner_id:
                    return former.name
            return "someone no longer in the partnership"

    def next_session_due(self) -> date:
        """When the next session is due: one interval after the last, or now for the first."""
        if self.last_session_on is None:
            return self.created_on
        return self.next_after(self.last_session_on)


def cadence_words(cadence: Cadence, every_days: int | None) -> str:
    """How often partners meet, in words: "weekly", "every 10 days"."""
    if cadence is Cadence.EVERY_N_DAYS:
        return f"every {every_days or 7} days"
    return cadence.label.lower()


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


def validate_every_days(raw: str) -> int:
    text = raw.strip().removesuffix("days").strip()
    try:
        days = int(text)
    except ValueError:
        raise InvalidText("Give the number of days between meetings, for example 10.") from None
    if not 1 <= days <= MAX_EVERY_DAYS:
        raise InvalidText(f"Meet every 1 to {MAX_EVERY_DAYS} days.")
    return days


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

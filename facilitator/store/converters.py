"""Conversions between domain records and the plain JSON documents stored for them.

Every field is checked on the way in: a file edited by hand or written by another tool may
hold anything, and a record that can't be used is reported (naming the file and the record),
never allowed to crash a screen later.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from facilitator.domain.actions import Action, ActionStatus, Entry, EntryKind
from facilitator.domain.agenda import Phase, PhaseKind
from facilitator.domain.agreement import (
    Agreement,
    AgreementVersion,
    Direction,
    Medium,
    PartnerTerms,
    PhasePlan,
    ReviewUnit,
    UpdateStyle,
)
from facilitator.domain.goals import Goal, GoalStatus, GoalVersion, MeasureKind, Progress
from facilitator.domain.partnership import MAX_PARTNERS, Cadence, Partner, Partnership
from facilitator.domain.prep import Prep, PreparedStatus
from facilitator.domain.session import Session
from facilitator.domain.state import Draft, Note, SetupDraft
from facilitator.domain.timer import TurnTimer

Doc = dict[str, Any]
E = TypeVar("E", bound=StrEnum)

MAX_TEXT = 100_000
"""Longer than anything the app writes; a longer string is not ours."""


class BadRecord(ValueError):
    """A stored document that isn't in the shape this version writes."""


# Checked reads of one field ----------------------------------------------------------------------


def _get(doc: Doc, key: str) -> Any:
    if key not in doc:
        raise BadRecord(f"it has no {key!r}")
    return doc[key]


def _str(doc: Doc, key: str, *, default: str | None = None, empty: bool = True) -> str:
    value = doc.get(key, default) if default is not None else _get(doc, key)
    if not isinstance(value, str):
        raise BadRecord(f"its {key!r} is {_kind(value)}, not text")
    if not empty and not value.strip():
        raise BadRecord(f"its {key!r} is empty")
    if len(value) > MAX_TEXT:
        raise BadRecord(f"its {key!r} is {len(value)} characters long")
    return value


def _optional_str(doc: Doc, key: str) -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    return _str(doc, key)


def _int(doc: Doc, key: str, *, low: int, high: int) -> int:
    value = _get(doc, key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRecord(f"its {key!r} is {_kind(value)}, not a whole number")
    if not low <= value <= high:
        raise BadRecord(f"its {key!r} ({value}) is outside {low} to {high}")
    return value


def _bool(doc: Doc, key: str, default: bool) -> bool:
    value = doc.get(key, default)
    if not isinstance(value, bool):
        raise BadRecord(f"its {key!r} is {_kind(value)}, not true or false")
    return value


def _day(doc: Doc, key: str) -> date:
    text = _str(doc, key)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRecord(f"its {key!r} ({text[:40]!r}) is not a date") from None


def _optional_day(doc: Doc, key: str) -> date | None:
    return None if doc.get(key) is None else _day(doc, key)


def _moment_value(value: Any, key: str) -> datetime:
    if not isinstance(value, str):
        raise BadRecord(f"its {key!r} is {_kind(value)}, not a time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadRecord(f"its {key!r} ({value[:40]!r}) is not a time") from None
    if moment.tzinfo is None:
        raise BadRecord(f"its {key!r} ({value[:40]!r}) has no time zone")
    return moment


def _moment(doc: Doc, key: str) -> datetime:
    return _moment_value(_get(doc, key), key)


def _optional_moment(doc: Doc, key: str) -> datetime | None:
    value = doc.get(key)
    return None if value is None else _moment_value(value, key)


def _enum(doc: Doc, key: str, kind: type[E], default: E | None = None) -> E:
    value = doc.get(key, default.value if default is not None else None)
    if value is None and default is None:
        raise BadRecord(f"it has no {key!r}")
    try:
        return kind(str(value))
    except ValueError:
        raise BadRecord(
            f"its {key!r} ({str(value)[:40]!r}) is not one this version knows"
        ) from None


def _list(doc: Doc, key: str, *, low: int = 0, high: int = 10_000) -> list[Any]:
    value = _get(doc, key)
    if not isinstance(value, list):
        raise BadRecord(f"its {key!r} is {_kind(value)}, not a list")
    if not low <= len(value) <= high:
        raise BadRecord(f"its {key!r} has {len(value)} items")
    return value


def _number_list(doc: Doc, key: str, count: int, cast: Callable[[Any], Any]) -> list[Any]:
    values = _list(doc, key, high=count)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise BadRecord(f"its {key!r} holds {_kind(value)}")
        if value > 10**8:
            raise BadRecord(f"its {key!r} holds {value}, too large to be a number of seconds")
    return [cast(v) for v in values]


def _kind(value: Any) -> str:
    names = {type(None): "empty", bool: "true/false", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# The common case, quickly: a record in exactly the shape this version writes is read in one
# tight check of every field (the quick functions below and `_quick_*`); anything else, None
# from them, is read the checked way above, field by field, which accepts it or names what
# is wrong. So what is accepted, and every message, is the same either way.

_DAYS: dict[str, date] = {}
"""Dates already read, by their text: many actions share a due date."""
_DAYS_KEPT = 4096


def _quick_day(value: Any) -> date | None:
    if type(value) is not str:
        return None
    day = _DAYS.get(value)
    if day is None:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None
        if len(_DAYS) >= _DAYS_KEPT:
            _DAYS.clear()
        _DAYS[value] = day
    return day


def _quick_moment(value: Any) -> datetime | None:
    if type(value) is not str:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


# The partnership ---------------------------------------------------------------------------------


def partnership_to_doc(p: Partnership) -> Doc:
    return {
        "id": p.id,
        "name": p.name,
        "partners": [{"id": partner.id, "name": partner.name} for partner in p.partners],
        "cadence": p.cadence.value,
        "session_minutes": p.session_minutes,
        "created_on": _iso(p.created_on),
        "time_zone": p.time_zone,
        "last_session_on": _iso(p.last_session_on),
        "every_days": p.every_days,
        "month_day": p.month_day,
        "last_review_on": _iso(p.last_review_on),
        "sessions_since_review": p.sessions_since_review,
        "agreement": agreement_to_doc(p.agreement),
        "former": [{"id": partner.id, "name": partner.name} for partner in p.former],
    }


def partnership_from_doc(doc: Doc) -> Partnership:
    partners = []
    for item in _list(doc, "partners", low=1, high=MAX_PARTNERS):
        if not isinstance(item, dict):
            raise BadRecord("a partner in it is not a record")
        partners.append(Partner(id=_str(item, "id", empty=False), name=_str(item, "name")))
    former = []
    for item in _list(doc, "former", high=1000) if "former" in doc else []:
        if not isinstance(item, dict):
            raise BadRecord("a former partner in it is not a record")
        former.append(Partner(id=_str(item, "id", empty=False), name=_str(item, "name")))
    every = doc.get("every_days")
    month_day = doc.get("month_day")
    for key, value, high in (("every_days", every, 366), ("month_day", month_day, 31)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high
        ):
            raise BadRecord(f"its {key!r} ({value!r}) is not a whole number from 1 to {high}")
    return Partnership(
        id=_str(doc, "id", empty=False),
        name=_str(doc, "name"),
        partners=tuple(partners),
        cadence=_enum(doc, "cadence", Cadence),
        session_minutes=_int(doc, "session_minutes", low=1, high=24 * 60),
        created_on=_day(doc, "created_on"),
        time_zone=_str(doc, "time_zone", default="UTC"),
        last_session_on=_optional_day(doc, "last_session_on"),
        every_days=every,
        month_day=month_day,
        last_review_on=_optional_day(doc, "last_review_on"),
        sessions_since_review=(
            _int(doc, "sessions_since_review", low=0, high=100_000)
            if "sessions_since_review" in doc
            else 0
        ),
        agreement=agreement_from_doc(doc.get("agreement")),
        former=tuple(former),
    )


# Actions and entries -----------------------------------------------------------------------------


def action_to_doc(a: Action) -> Doc:
    return {
        "id": a.id,
        "text": a.text,
        "owner_id": a.owner_id,
        "due_on": _iso(a.due_on),
        "created_in": a.created_in,
        "created_at": _iso(a.created_at),
        "status": a.status.value,
        "reviewed_in": a.reviewed_in,
        "in_the_way": a.in_the_way,
        "carried_from": a.carried_from,
        "confirmed": a.confirmed,
        "goal_id": a.goal_id,
    }


def action_from_doc(doc: Doc) -> Action:
    quick = _quick_action(doc)
    return quick if quick is not None else _checked_action(doc)


def _checked_action(doc: Doc) -> Action:
    return Action(
        id=_str(doc, "id", empty=False),
        text=_str(doc, "text"),
        owner_id=_str(doc, "owner_id"),
        due_on=_day(doc, "due_on"),
        created_in=_optional_str(doc, "created_in"),
        created_at=_moment(doc, "created_at"),
        status=_enum(doc, "status", ActionStatus, ActionStatus.OPEN),
        reviewed_in=_optional_str(doc, "reviewed_in"),
        in_the_way=_str(doc, "in_the_way", default=""),
        carried_from=_optional_str(doc, "carried_from"),
        confirmed=_bool(doc, "confirmed", True),
        goal_id=_optional_str(doc, "goal_id"),
    )


def _quick_action(doc: Doc) -> Action | None:
    """`_checked_action`'s record, for a document in exactly the shape this version writes
    (plain types, every field in range); None for anything else."""
    try:
        record_id, text, owner_id = doc["id"], doc["text"], doc["owner_id"]
        due_on, created_at = doc["due_on"], doc["created_at"]
    except KeyError:
        return None
    get = doc.get
    created_in, reviewed_in = get("created_in"), get("reviewed_in")
    carried_from, goal_id = get("carried_from"), get("goal_id")
    in_the_way, status, confirmed = (
        get("in_the_way", ""),
        get("status", "open"),
        get("confirmed", True),
    )
    if not (
        type(record_id) is str
        and type(text) is str
        and type(owner_id) is str
        and type(in_the_way) is str
        and type(status) is str
        and (created_in is None or type(created_in) is str)
        and (reviewed_in is None or type(reviewed_in) is str)
        and (carried_from is None or type(carried_from) is str)
        and (goal_id is None or type(goal_id) is str)
        and (confirmed is True or confirmed is False)
        and len(text) <= MAX_TEXT
        and len(record_id) <= MAX_TEXT
        and len(owner_id) <= MAX_TEXT
        and len(in_the_way) <= MAX_TEXT
        and len(created_in or "") <= MAX_TEXT
        and len(reviewed_in or "") <= MAX_TEXT
        and len(carried_from or "") <= MAX_TEXT
        and len(goal_id or "") <= MAX_TEXT
        and record_id.strip()
    ):
        return None
    day = _quick_day(due_on)
    moment = _quick_moment(created_at)
    known = _ACTION_STATUSES.get(status)
    if day is None or moment is None or known is None:
        return None
    return Action(
        text=text,
        owner_id=owner_id,
        due_on=day,
        created_in=created_in,
        created_at=moment,
        status=known,
        reviewed_in=reviewed_in,
        in_the_way=in_the_way,
        carried_from=carried_from,
        confirmed=confirmed,
        goal_id=goal_id,
        id=record_id,
    )


_ACTION_STATUSES = {status.value: status for status in ActionStatus}


def entry_to_doc(e: Entry) -> Doc:
    return {
        "id": e.id,
        "session_id": e.session_id,
        "partner_id": e.partner_id,
        "kind": e.kind.value,
        "text": e.text,
        "created_at": _iso(e.created_at),
    }


def entry_from_doc(doc: Doc) -> Entry:
    quick = _quick_entry(doc)
    return quick if quick is not None else _checked_entry(doc)


def _checked_entry(doc: Doc) -> Entry:
    return Entry(
        id=_str(doc, "id", empty=False),
        session_id=_str(doc, "session_id"),
        partner_id=_str(doc, "partner_id"),
        kind=_enum(doc, "kind", EntryKind),
        text=_str(doc, "text"),
        created_at=_moment(doc, "created_at"),
    )


def _quick_entry(doc: Doc) -> Entry | None:
    """`_checked_entry`'s record for a document in exactly the shape this version writes;
    None for anything else."""
    get = doc.get
    record_id, session_id, partner_id = get("id"), get("session_id"), get("partner_id")
    kind, text = get("kind"), get("text")
    if not (
        type(record_id) is str
        and type(session_id) is str
        and type(partner_id) is str
        and type(kind) is str
        and type(text) is str
        and len(record_id) <= MAX_TEXT
        and len(session_id) <= MAX_TEXT
        and len(partner_id) <= MAX_TEXT
        and len(text) <= MAX_TEXT
        and record_id.strip()
    ):
        return None
    known = _ENTRY_KINDS.get(kind)
    moment = _quick_moment(get("created_at"))
    if known is None or moment is None:
        return None
    return Entry(
        session_id=session_id,
        partner_id=partner_id,
        kind=known,
        text=text,
        created_at=moment,
        id=record_id,
    )


_ENTRY_KINDS = {kind.value: kind for kind in EntryKind}


# Sessions ----------------------------------------------------------------------------------------


def phase_to_doc(phase: Phase) -> Doc:
    return {
        "key": phase.key,
        "kind": phase.kind.value,
        "title": phase.title,
        "prompt": phase.prompt,
        "seconds": phase.seconds,
        "per_partner": phase.per_partner,
    }


def phase_from_doc(doc: Any) -> Phase:
    if not isinstance(doc, dict):
        raise BadRecord("a phase of its agenda is not a record")
    key = _str(doc, "key", empty=False)
    return Phase(
        key=key,
        kind=_enum(doc, "kind", PhaseKind, PhaseKind(key) if key in set(PhaseKind) else None),
        title=_str(doc, "title"),
        prompt=_str(doc, "prompt"),
        seconds=_int(doc, "seconds", low=0, high=24 * 3600),
        per_partner=_bool(doc, "per_partner", True),
    )


def session_to_doc(s: Session) -> Doc:
    return {
        "id": s.id,
        "partnership_id": s.partnership_id,
        "started_at": _iso(s.started_at),
        "finished_at": _iso(s.finished_at),
        "seen_at": _iso(s.seen_at),
        "present": list(s.present),
        "first": s.first,
        "abandoned": s.abandoned,
        "supporters": list(s.supporters),
        "agenda": [phase_to_doc(phase) for phase in s.agenda],
        "timer": {
            "allotted": list(s.timer.allotted),
            "current": s.timer.current,
            "elapsed": list(s.timer.elapsed),
            "extra": list(s.timer.extra),
            "running_since": _iso(s.timer.running_since),
        },
    }


def session_from_doc(doc: Doc) -> Session:
    present = _list(doc, "present", low=1, high=MAX_PARTNERS)
    if not all(isinstance(p, str) for p in present):
        raise BadRecord("its 'present' holds something other than partner ids")
    agenda = [phase_from_doc(p) for p in _list(doc, "agenda", low=1, high=100)]
    timer = _get(doc, "timer")
    if not isinstance(timer, dict):
        raise BadRecord("its 'timer' is not a record")
    turns = len(_list(timer, "allotted", low=1, high=1000))
    try:
        return Session(
            id=_str(doc, "id", empty=False),
            partnership_id=_str(doc, "partnership_id"),
            started_at=_moment(doc, "started_at"),
            finished_at=_optional_moment(doc, "finished_at"),
            seen_at=_optional_moment(doc, "seen_at"),
            present=tuple(present),
            agenda=tuple(agenda),
            first=_bool(doc, "first", False),
            abandoned=_bool(doc, "abandoned", False),
            supporters=tuple(str(x) for x in _list(doc, "supporters", high=MAX_PARTNERS))
            if "supporters" in doc
            else (),
            timer=TurnTimer(
                allotted=tuple(_number_list(timer, "allotted", turns, int)),
                current=_int(timer, "current", low=0, high=turns - 1),
                elapsed=tuple(_number_list(timer, "elapsed", turns, float)),
                extra=tuple(_number_list(timer, "extra", turns, int)),
                running_since=_optional_moment(timer, "running_since"),
            ),
        )
    except ValueError as error:
        if isinstance(error, BadRecord):
            raise
        raise BadRecord(str(error)) from None


# Drafts, the set-up form, and the shared log -----------------------------------------------------


def draft_to_doc(d: Draft) -> Doc:
    return {
        "id": d.key,
        "box": d.box,
        "partner_id": d.partner_id,
        "text": d.text,
        "updated_at": _iso(d.updated_at),
    }


def draft_from_doc(doc: Doc) -> Draft:
    return Draft(
        box=_str(doc, "box"),
        partner_id=_str(doc, "partner_id"),
        text=_str(doc, "text"),
        updated_at=_moment(doc, "updated_at"),
    )


SETUP_ID = "setup"


def setup_to_doc(s: SetupDraft) -> Doc:
    return {
        "id": SETUP_ID,
        "name": s.name,
        "partners": list(s.partners),
        "cadence": s.cadence,
        "minutes": s.minutes,
    }


def setup_from_doc(doc: Doc) -> SetupDraft:
    partners = _list(doc, "partners", high=MAX_PARTNERS * 2)
    if not all(isinstance(p, str) for p in partners):
        raise BadRecord("its 'partners' holds something other than names")
    return SetupDraft(
        name=_str(doc, "name", default=""),
        partners=tuple(partners),
        cadence=_str(doc, "cadence", default="weekly"),
        minutes=str(doc.get("minutes", "")),
    )


def note_to_doc(n: Note) -> Doc:
    return {
        "id": n.id,
        "at": _iso(n.at),
        "client": n.client,
        "label": n.label,
        "text": n.text,
        "record": n.record,
        "to": n.to,
    }


def note_from_doc(doc: Doc) -> Note:
    return Note(
        id=_str(doc, "id", empty=False),
        at=_moment(doc, "at"),
        client=_str(doc, "client"),
        label=_str(doc, "label"),
        text=_str(doc, "text"),
        record=_str(doc, "record", default=""),
        to=_str(doc, "to", default=""),
    )


# The agreement ------------------------------------------------------------------------------


def agreement_to_doc(a: Agreement) -> Doc:
    return {
        "may_share": a.may_share,
        "share_with": a.share_with,
        "meeting_day": a.meeting_day,
        "meeting_time": a.meeting_time,
        "medium": a.medium.value,
        "link": a.link,
        "initiator_id": a.initiator_id,
        "direction": a.direction.value,
        "terms": [
            {
                "partner_id": t.partner_id,
                "update_style": t.update_style.value,
                "feedback": t.feedback,
                "supporter": t.supporter,
            }
            for t in a.terms
        ],
        "review_every": a.review_every,
        "review_unit": a.review_unit.value,
        "agenda": [
            {
                "key": p.key,
                "kind": p.kind.value,
                "title": p.title,
                "minutes": p.minutes,
                "per_partner": p.per_partner,
            }
            for p in a.agenda
        ],
    }


def agreement_from_doc(doc: Any) -> Agreement:
    if doc is None:
        return Agreement()
    if not isinstance(doc, dict):
        raise BadRecord("its 'agreement' is not a record")
    day = doc.get("meeting_day")
    if day is not None and (isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6):
        raise BadRecord("its agreement's 'meeting_day' is not a weekday")
    terms = []
    for item in _list(doc, "terms", high=MAX_PARTNERS * 2) if "terms" in doc else []:
        if not isinstance(item, dict):
            raise BadRecord("a partner's terms in its agreement are not a record")
        terms.append(
            PartnerTerms(
                partner_id=_str(item, "partner_id", empty=False),
                update_style=_enum(item, "update_style", UpdateStyle, UpdateStyle.VERBAL),
                feedback=_str(item, "feedback", default=""),
                supporter=_bool(item, "supporter", False),
            )
        )
    agenda = []
    for item in _list(doc, "agenda", high=50) if "agenda" in doc else []:
        if not isinstance(item, dict):
            raise BadRecord("a phase of its agreed agenda is not a record")
        agenda.append(
            PhasePlan(
                key=_str(item, "key", empty=False),
                kind=_enum(item, "kind", PhaseKind),
                title=_str(item, "title"),
                minutes=_int(item, "minutes", low=1, high=24 * 60),
                per_partner=_bool(item, "per_partner", True),
            )
        )
    return Agreement(
        may_share=_bool(doc, "may_share", False),
        share_with=_str(doc, "share_with", default=""),
        meeting_day=day,
        meeting_time=_str(doc, "meeting_time", default=""),
        medium=_enum(doc, "medium", Medium, Medium.VIDEO),
        link=_str(doc, "link", default=""),
        initiator_id=_str(doc, "initiator_id", default=""),
        direction=_enum(doc, "direction", Direction, Direction.TWO_WAY),
        terms=tuple(terms),
        review_every=_int(doc, "review_every", low=1, high=520) if "review_every" in doc else 6,
        review_unit=_enum(doc, "review_unit", ReviewUnit, ReviewUnit.WEEKS),
        agenda=tuple(agenda),
    )


def agreement_version_to_doc(v: AgreementVersion) -> Doc:
    return {
        "id": v.id,
        "agreed_on": _iso(v.agreed_on),
        "recorded_at": _iso(v.recorded_at),
        "by": v.by,
        "changes": v.changes,
        "agreement": agreement_to_doc(v.agreement),
        "cadence": v.cadence,
        "every_days": v.every_days,
        "session_minutes": v.session_minutes,
    }


def agreement_version_from_doc(doc: Doc) -> AgreementVersion:
    every = doc.get("every_days")
    if every is not None and (isinstance(every, bool) or not isinstance(every, int)):
        raise BadRecord("its 'every_days' is not a whole number")
    return AgreementVersion(
        id=_str(doc, "id", empty=False),
        agreed_on=_day(doc, "agreed_on"),
        recorded_at=_moment(doc, "recorded_at"),
        by=_str(doc, "by", default=""),
        changes=_str(doc, "changes", default=""),
        agreement=agreement_from_doc(doc.get("agreement")),
        cadence=_enum(doc, "cadence", Cadence).value,
        every_days=every,
        session_minutes=_int(doc, "session_minutes", low=1, high=24 * 60),
    )


# Goals --------------------------------------------------------------------------------------


def _float_or_none(doc: Doc, key: str) -> float | None:
    value = doc.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRecord(f"its {key!r} is {_kind(value)}, not a number")
    return float(value)


def goal_to_doc(g: Goal) -> Doc:
    return {
        "id": g.id,
        "owner_id": g.owner_id,
        "what": g.what,
        "created_on": _iso(g.created_on),
        "kind": g.kind.value if g.kind else None,
        "target": g.target,
        "unit": g.unit,
        "start": g.start,
        "deadline": _iso(g.deadline),
        "why": g.why,
        "status": g.status.value,
        "closed_on": _iso(g.closed_on),
        "progress": [
            {"id": p.id, "on": _iso(p.on), "value": p.value, "note": p.note} for p in g.progress
        ],
        "history": [
            {
                "changed_on": _iso(v.changed_on),
                "what": v.what,
                "kind": v.kind.value if v.kind else None,
                "target": v.target,
                "unit": v.unit,
                "deadline": _iso(v.deadline),
                "reason": v.reason,
            }
            for v in g.history
        ],
    }


def goal_from_doc(doc: Doc) -> Goal:
    progress = []
    for item in _list(doc, "progress", high=100_000) if "progress" in doc else []:
        if not isinstance(item, dict):
            raise BadRecord("a progress entry in it is not a record")
        progress.append(
            Progress(
                id=_str(item, "id", empty=False),
                on=_day(item, "on"),
                value=_float_or_none(item, "value"),
                note=_str(item, "note", default=""),
            )
        )
    history = []
    for item in _list(doc, "history", high=1000) if "history" in doc else []:
        if not isinstance(item, dict):
            raise BadRecord("an earlier version in it is not a record")
        history.append(
            GoalVersion(
                changed_on=_day(item, "changed_on"),
                what=_str(item, "what"),
                kind=MeasureKind(item["kind"]) if item.get("kind") in set(MeasureKind) else None,
                target=_float_or_none(item, "target"),
                unit=_str(item, "unit", default=""),
                deadline=_optional_day(item, "deadline"),
                reason=_str(item, "reason", default=""),
            )
        )
    kind = doc.get("kind")
    return Goal(
        id=_str(doc, "id", empty=False),
        owner_id=_str(doc, "owner_id"),
        what=_str(doc, "what"),
        created_on=_day(doc, "created_on"),
        kind=_enum(doc, "kind", MeasureKind) if kind is not None else None,
        target=_float_or_none(doc, "target"),
        unit=_str(doc, "unit", default=""),
        start=_float_or_none(doc, "start"),
        deadline=_optional_day(doc, "deadline"),
        why=_str(doc, "why", default=""),
        status=_enum(doc, "status", GoalStatus, GoalStatus.ACTIVE),
        closed_on=_optional_day(doc, "closed_on"),
        progress=tuple(sorted(progress, key=lambda p: p.on)),
        history=tuple(history),
    )


# Preparation ----------------------------------------------------------------------------------


def prep_to_doc(p: Prep) -> Doc:
    return {
        "id": p.partner_id,
        "partner_id": p.partner_id,
        "updated_at": _iso(p.updated_at),
        "statuses": [
            {"action_id": s.action_id, "status": s.status.value, "in_the_way": s.in_the_way}
            for s in p.statuses
        ],
        "progressed": p.progressed,
        "focus": p.focus,
        "help": p.help,
    }


def prep_from_doc(doc: Doc) -> Prep:
    statuses = []
    for item in _list(doc, "statuses", high=100_000) if "statuses" in doc else []:
        if not isinstance(item, dict):
            raise BadRecord("a prepared status in it is not a record")
        statuses.append(
            PreparedStatus(
                action_id=_str(item, "action_id", empty=False),
                status=_enum(item, "status", ActionStatus),
                in_the_way=_str(item, "in_the_way", default=""),
            )
        )
    return Prep(
        partner_id=_str(doc, "partner_id", empty=False),
        updated_at=_moment(doc, "updated_at"),
        statuses=tuple(statuses),
        progressed=_str(doc, "progressed", default=""),
        focus=_str(doc, "focus", default=""),
        help=_str(doc, "help", default=""),
    )

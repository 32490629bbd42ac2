"""Conversions between domain objects and the plain JSON documents stored for them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from facilitator.domain.actions import Action, ActionStatus, Entry, EntryKind
from facilitator.domain.agenda import Phase
from facilitator.domain.partnership import Cadence, Partner, Partnership
from facilitator.domain.session import Session
from facilitator.domain.timer import TurnTimer

Doc = dict[str, Any]


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def partnership_to_doc(p: Partnership) -> Doc:
    return {
        "id": p.id,
        "name": p.name,
        "partners": [{"id": partner.id, "name": partner.name} for partner in p.partners],
        "cadence": p.cadence.value,
        "session_minutes": p.session_minutes,
        "created_on": _iso(p.created_on),
        "last_session_on": _iso(p.last_session_on),
    }


def partnership_from_doc(doc: Doc) -> Partnership:
    return Partnership(
        id=doc["id"],
        name=doc["name"],
        partners=[Partner(id=p["id"], name=p["name"]) for p in doc["partners"]],
        cadence=Cadence(doc["cadence"]),
        session_minutes=int(doc["session_minutes"]),
        created_on=date.fromisoformat(doc["created_on"]),
        last_session_on=_day(doc.get("last_session_on")),
    )


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
    }


def action_from_doc(doc: Doc) -> Action:
    return Action(
        id=doc["id"],
        text=doc["text"],
        owner_id=doc["owner_id"],
        due_on=date.fromisoformat(doc["due_on"]),
        created_in=doc.get("created_in"),
        created_at=datetime.fromisoformat(doc["created_at"]),
        status=ActionStatus(doc.get("status", "open")),
        reviewed_in=doc.get("reviewed_in"),
        in_the_way=doc.get("in_the_way", ""),
        carried_from=doc.get("carried_from"),
        confirmed=bool(doc.get("confirmed", True)),
    )


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
    return Entry(
        id=doc["id"],
        session_id=doc["session_id"],
        partner_id=doc["partner_id"],
        kind=EntryKind(doc["kind"]),
        text=doc["text"],
        created_at=datetime.fromisoformat(doc["created_at"]),
    )


def session_to_doc(s: Session) -> Doc:
    return {
        "id": s.id,
        "partnership_id": s.partnership_id,
        "started_at": _iso(s.started_at),
        "finished_at": _iso(s.finished_at),
        "seen_at": _iso(s.seen_at),
        "present": list(s.present),
        "agenda": [
            {
                "key": phase.key,
                "title": phase.title,
                "prompt": phase.prompt,
                "seconds": phase.seconds,
                "per_partner": phase.per_partner,
            }
            for phase in s.agenda
        ],
        "timer": {
            "allotted": list(s.timer.allotted),
            "current": s.timer.current,
            "elapsed": list(s.timer.elapsed),
            "extra": list(s.timer.extra),
            "running_since": _iso(s.timer.running_since),
        },
    }


def session_from_doc(doc: Doc) -> Session:
    timer = doc["timer"]
    return Session(
        id=doc["id"],
        partnership_id=doc["partnership_id"],
        started_at=datetime.fromisoformat(doc["started_at"]),
        finished_at=_moment(doc.get("finished_at")),
        seen_at=_moment(doc.get("seen_at")),
        present=list(doc["present"]),
        agenda=[Phase(**phase) for phase in doc["agenda"]],
        timer=TurnTimer(
            allotted=[int(x) for x in timer["allotted"]],
            current=int(timer["current"]),
            elapsed=[float(x) for x in timer["elapsed"]],
            extra=[int(x) for x in timer["extra"]],
            running_since=_moment(timer.get("running_since")),
        ),
    )

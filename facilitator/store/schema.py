"""The files' schema version, and the migrations that bring older files up to date.

A migration works on a copy in memory; the user's file is rewritten only once the whole
migration has succeeded, and a copy of the original is kept beside it first.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from facilitator.store.errors import StoreError

SCHEMA_VERSION = 2
Data = dict[str, dict[str, Any]]


def schema_of(data: Data) -> int | None:
    meta = data.get("meta", {}).get("schema", {})
    version = meta.get("version") if isinstance(meta, dict) else None
    return version if isinstance(version, int) and not isinstance(version, bool) else None


def check_schema(path: Path, data: Data) -> None:
    """Refuse a file from a newer version, or one that isn't a facilitator file at all."""
    raw = data.get("meta", {}).get("schema", {})
    version = raw.get("version") if isinstance(raw, dict) else None
    if version is None:
        if data:
            raise StoreError(
                path, "it has no schema version, so it doesn't look like facilitator's"
            )
        return
    if not isinstance(version, int) or isinstance(version, bool):
        raise StoreError(path, f"its schema version {version!r} is not a number")
    if version > SCHEMA_VERSION:
        raise StoreError(
            path,
            f"it was written by a newer facilitator (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION})",
            "Upgrade facilitator to open it; the file has been left exactly as it is.",
        )
    if version < 1:
        raise StoreError(path, f"its schema version {version} is not one facilitator wrote")


def stamp(data: Data) -> None:
    data.setdefault("meta", {})["schema"] = {"version": SCHEMA_VERSION}


def needs_migration(data: Data | None) -> bool:
    return bool(data) and (schema_of(data or {}) or SCHEMA_VERSION) < SCHEMA_VERSION


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.schema-{version}.bak")


# Schema 1 to 2 -----------------------------------------------------------------------------------
# 2 adds: the partnership's time zone; a kind for each phase; the first-run draft as "setup";
# drafts and a shared log; and the live session, its entries and the actions it touched in a
# session file of their own, so an edit during a meeting rewrites only that small file.


def _phases_with_kinds(session: dict[str, Any]) -> None:
    agenda = session.get("agenda")
    if isinstance(agenda, list):
        for phase in agenda:
            if isinstance(phase, dict) and "kind" not in phase:
                phase["kind"] = phase.get("key")
    session.setdefault("first", False)


def migrate_1_to_2(data: Data, time_zone: Callable[[], str]) -> tuple[Data, Data | None]:
    """The live file of schema 1 as a main file and a session file (None: no live session)."""
    main = copy.deepcopy(data)
    for partnership in main.get("partnership", {}).values():
        partnership.setdefault("time_zone", time_zone())
    old_draft = main.pop("draft", {}).get("first-run")
    if isinstance(old_draft, dict):
        main["setup"] = {"setup": {**old_draft, "id": "setup"}}
    sessions = main.pop("sessions", {})
    session_data: Data | None = None
    if sessions:
        for session in sessions.values():
            _phases_with_kinds(session)
        # Schema 1 kept only the unfinished session live; the latest is the one in use.
        latest_id = max(sessions, key=lambda k: str(sessions[k].get("started_at", "")))
        touched = {
            doc_id: doc
            for doc_id, doc in main.get("actions", {}).items()
            if latest_id in (doc.get("reviewed_in"), doc.get("created_in"))
        }
        for doc_id in touched:
            del main["actions"][doc_id]
        entries = main.pop("entries", {})
        session_data = {
            "sessions": {latest_id: sessions[latest_id]},
            "entries": {k: v for k, v in entries.items() if v.get("session_id") == latest_id},
            "actions": touched,
        }
        stamp(session_data)
    else:
        main.pop("entries", None)
    stamp(main)
    return main, session_data


def migrate_history_1_to_2(data: Data) -> Data:
    history = copy.deepcopy(data)
    for session in history.get("sessions", {}).values():
        _phases_with_kinds(session)
    stamp(history)
    return history

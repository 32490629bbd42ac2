"""The repository: typed load and save functions over the live file and the history files.

The live file holds what a meeting edits: the partnership, open actions, and the unfinished
session with its entries. When a session finishes, it moves, with the entries and the actions
closed in it, into a history file for its year beside the live file. Every edit rewrites only
the live file, so it costs the same in year ten as in week one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document, Table

from facilitator.domain.actions import Action, Entry
from facilitator.domain.partnership import Partnership
from facilitator.domain.session import Session
from facilitator.store import converters
from facilitator.store.errors import StoreError
from facilitator.store.storage import AtomicJSONStorage, Data, lock_for

SCHEMA_VERSION = 1
DRAFT_ID = "first-run"

Record = Partnership | Action | Entry | Session
Doc = dict[str, Any]

_TABLES: dict[type, tuple[str, Callable[[Any], Doc]]] = {
    Partnership: ("partnership", converters.partnership_to_doc),
    Action: ("actions", converters.action_to_doc),
    Entry: ("entries", converters.entry_to_doc),
    Session: ("sessions", converters.session_to_doc),
}


class _OwnIdTable(Table):
    """Documents keyed by the app's own ids (uuid hex), never TinyDB's per-process counters."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> Any:
        raise RuntimeError("every document is stored under its own id")


class _TinyDB(TinyDB):
    table_class = _OwnIdTable


def check_schema(path: Path, data: Data) -> None:
    """Refuse a file from a newer version, or one that isn't a facilitator file at all."""
    version = data.get("meta", {}).get("schema", {}).get("version")
    if version is None:
        if data:
            raise StoreError(
                path, "it has no schema version, so it doesn't look like facilitator's"
            )
        return
    if not isinstance(version, int):
        raise StoreError(path, f"its schema version {version!r} is not a number")
    if version > SCHEMA_VERSION:
        raise StoreError(
            path,
            f"it was written by a newer facilitator (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION})",
            "Upgrade facilitator to open it; the file has been left exactly as it is.",
        )


@dataclass
class Change:
    """Documents to write and to remove, converted from domain objects on the caller's thread."""

    saves: list[tuple[str, Doc]] = field(default_factory=list)
    deletes: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class LiveData:
    """Everything the app needs to draw its screens, read in one go."""

    partnership: Partnership | None
    actions: list[Action]
    session: Session | None
    entries: list[Entry]


def _key(doc_id: str) -> Any:
    """Our string ids where TinyDB's type hints expect its own integer ones."""
    return doc_id


class _File:
    """One JSON file, its TinyDB, and its tables."""

    def __init__(self, path: Path, lock: Any) -> None:
        self.storage = AtomicJSONStorage(path, lock, check=check_schema)
        self.db = _TinyDB(storage=lambda: self.storage)

    def table(self, name: str) -> Table:
        # No query cache: another process may have changed the file since the last read.
        return self.db.table(name, cache_size=0)

    def put(self, table: str, doc: Doc) -> None:
        self.table(table).upsert(Document(doc, doc_id=_key(doc["id"])))

    def get(self, table: str, doc_id: str) -> Doc | None:
        found = self.table(table).get(doc_id=_key(doc_id))
        return dict(found) if isinstance(found, dict) else None

    def remove(self, table: str, ids: Iterable[str]) -> None:
        present = [_key(i) for i in ids if self.table(table).contains(doc_id=_key(i))]
        if present:
            self.table(table).remove(doc_ids=present)

    def stamp_schema(self) -> None:
        self.table("meta").upsert(Document({"version": SCHEMA_VERSION}, doc_id=_key("schema")))


class Repository:
    def __init__(self, path: Path) -> None:
        self.path = path.expanduser().absolute()
        self._lock = lock_for(self.path)
        self._live = _File(self.path, self._lock)

    @classmethod
    def open(cls, path: Path) -> Repository:
        """Open the store at `path`, checking now that its file can be read."""
        repository = cls(path)
        repository.load_live()
        return repository

    @property
    def history_dir(self) -> Path:
        return self.path.with_name(self.path.stem + ".history")

    def history_path(self, year: int) -> Path:
        return self.history_dir / f"{year}.json"

    # Reading ---------------------------------------------------------------------------------

    def load_live(self) -> LiveData:
        with self._live.storage.snapshot():
            return self._converted(self.path, self._read_live)

    def _read_live(self) -> LiveData:
        partnership_docs = self._live.table("partnership").all()
        sessions = sorted(
            (converters.session_from_doc(doc) for doc in self._live.table("sessions").all()),
            key=lambda s: s.started_at,
        )
        session = sessions[-1] if sessions else None
        return LiveData(
            partnership=(
                converters.partnership_from_doc(partnership_docs[0]) if partnership_docs else None
            ),
            actions=[converters.action_from_doc(d) for d in self._live.table("actions").all()],
            session=session,
            entries=sorted(
                (
                    converters.entry_from_doc(d)
                    for d in self._live.table("entries").all()
                    if session is not None and d.get("session_id") == session.id
                ),
                key=lambda e: e.created_at,
            ),
        )

    def load_draft(self) -> Doc | None:
        return self._live.get("draft", DRAFT_ID)

    def finished_sessions(self) -> list[Session]:
        """Every finished session, oldest first (reads all history: not for every frame)."""
        found: list[Session] = []
        if not self.history_dir.is_dir():
            return found
        for path in sorted(self.history_dir.glob("*.json")):
            history = _File(path, self._lock)
            with history.storage.snapshot():
                docs = history.table("sessions").all()

            def convert(docs: list[Document] = docs) -> list[Session]:
                return [converters.session_from_doc(doc) for doc in docs]

            found.extend(self._converted(path, convert))
        return sorted(found, key=lambda s: s.started_at)

    @staticmethod
    def _converted(path: Path, convert: Callable[[], Any]) -> Any:
        try:
            return convert()
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            raise StoreError(
                path, f"a record in it is not in the shape facilitator expects ({error!r})"
            ) from None

    # Writing ---------------------------------------------------------------------------------

    @staticmethod
    def changes(saves: Iterable[Record] = (), deletes: Iterable[Record] = ()) -> Change:
        """Convert records to documents now, so a background writer never sees them mid-edit."""
        change = Change()
        for record in saves:
            table, to_doc = _TABLES[type(record)]
            change.saves.append((table, to_doc(record)))
        for record in deletes:
            table, _ = _TABLES[type(record)]
            change.deletes.append((table, record.id))
        return change

    def apply(self, change: Change) -> None:
        """Write one change in one locked read-change-write of the live file."""
        with self._live.storage.transaction():
            self._check_records()
            self._live.stamp_schema()
            for table, doc in change.saves:
                if table == "partnership":
                    # One partnership per file: a save replaces it whole.
                    self._live.remove(
                        table,
                        [d["id"] for d in self._live.table(table).all() if d["id"] != doc["id"]],
                    )
                self._live.put(table, doc)
            for table, doc_id in change.deletes:
                self._live.remove(table, [doc_id])

    def save(self, *records: Record) -> None:
        self.apply(self.changes(saves=records))

    def delete(self, *records: Record) -> None:
        self.apply(self.changes(deletes=records))

    def save_draft(self, draft: Doc) -> None:
        with self._live.storage.transaction():
            self._check_records()
            self._live.stamp_schema()
            self._live.remove("draft", [DRAFT_ID])  # replace whole: upsert would merge
            self._live.put("draft", {**draft, "id": DRAFT_ID})

    def _check_records(self) -> None:
        """Refuse to rewrite a file holding a record this version can't read: never overwrite
        what it doesn't understand. The live file is small, so this costs little."""
        self._converted(self.path, self._read_live)

    def create_partnership(self, partnership: Partnership) -> None:
        with self._live.storage.transaction():
            self.apply(self.changes(saves=[partnership]))
            self._live.remove("draft", [DRAFT_ID])

    def finish_session(self, session: Session, partnership: Partnership) -> None:
        """Move a finished session, its entries and the actions closed in it to history.

        The history file is written first and the live file second, both under the one lock:
        a crash between them leaves the session in both, and finishing it again is harmless.
        """
        with self._live.storage.transaction():
            live = self._converted(self.path, self._read_live)
            closed = [a for a in live.actions if a.reviewed_in == session.id and not a.is_open]
            entries = [
                converters.entry_from_doc(d)
                for d in self._live.table("entries").all()
                if d.get("session_id") == session.id
            ]
            history = _File(self.history_path(session.started_at.year), self._lock)
            with history.storage.transaction():
                history.stamp_schema()
                history.put("sessions", converters.session_to_doc(session))
                for entry in entries:
                    history.put("entries", converters.entry_to_doc(entry))
                for action in closed:
                    history.put("actions", converters.action_to_doc(action))
            self._live.remove("sessions", [session.id])
            self._live.remove("entries", [e.id for e in entries])
            self._live.remove("actions", [a.id for a in closed])
            self._live.put("partnership", converters.partnership_to_doc(partnership))

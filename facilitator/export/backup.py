"""A backup of all the data in one JSON document, and bringing one back.

The backup holds every document of every file of the store, as stored: the main file, the
session file when a session is under way, and each year's history file, with a format marker
and the schema version:

    {"format": "facilitator-backup", "version": 1, "schema": 2,
     "exported_at": "2026-11-23T09:00:00+00:00", "app": "facilitator 0.1.0",
     "main": {TABLE: {ID: DOC}}, "session": {TABLE: {ID: DOC}} | null,
     "history": {"2026": {TABLE: {ID: DOC}}}}

Importing checks the whole backup with the store's own converters before anything is written,
then writes under the store's lock: history files first, the session file, the main file last.
If a write fails, every file written is put back as it was, so an import is whole or not at
all. Into an empty store the documents are written as they are (export, import, export gives
the same documents). Into a store that holds data, only when asked to merge: records are
matched by id; a record only in the backup is added where the backup had it; a record in both
is kept as it is here, unless the backup's is a later stage of it: history is final (an action
closed in the backup's history replaces the open copy here), a record the backup's session
under way changed from the version here is taken with the change, and the partnership that
has held the later sessions is kept. Nothing is duplicated and nothing is dropped. Two
partnerships, or two different sessions under way, can't be merged: refused.
"""

from __future__ import annotations

import copy
import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from facilitator import __version__
from facilitator.store.converters import SETUP_ID, BadRecord
from facilitator.store.errors import StoreError
from facilitator.store.repository import CONVERTERS, RECORD_NAMES, REMOVED, Repository
from facilitator.store.schema import (
    SCHEMA_VERSION,
    check_schema,
    migrate_history_1_to_2,
    needs_migration,
    stamp,
)
from facilitator.store.storage import AtomicJSONStorage, ensure_private_dir, hold, replace_file

FORMAT = "facilitator-backup"
FORMAT_VERSION = 1
META = "meta"
HISTORY_TABLES = ("sessions", "entries", "actions")
"""What a history file holds: finished sessions, their entries, the actions closed in them."""

Doc = dict[str, Any]
Data = dict[str, dict[str, Doc]]
Key = tuple[str, str]
"""A record's table and id: what identifies it wherever it is stored."""


class BackupError(Exception):
    """A backup that can't be made, read or brought in; the message says why and what to do.
    Whenever it is raised, the data files are as they were."""


class NeedsMerge(BackupError):
    """The data file holds data: an import goes in beside it only when asked to merge."""


@dataclass
class StoreDocs:
    """Every document of a store, by file (no "meta" table: the schema is said once)."""

    main: Data = field(default_factory=dict)
    session: Data | None = None
    history: dict[int, Data] = field(default_factory=dict)

    def files(self) -> Iterator[tuple[str, Data]]:
        """Each file's documents, with where it is: "main", "session", "history 2026"."""
        yield "main", self.main
        if self.session is not None:
            yield "session", self.session
        for year in sorted(self.history):
            yield f"history {year}", self.history[year]

    def count(self, table: str) -> int:
        """How many distinct records of `table` the store holds."""
        return len({doc_id for _, data in self.files() for doc_id in data.get(table, {})})

    @property
    def is_empty(self) -> bool:
        """No partnership, no session under way, no history: nothing an import could lose
        (a half-typed set-up form is superseded by the imported partnership)."""
        return (
            not self.main.get("partnership")
            and not self.main.get("actions")
            and self.session is None
            and not any(any(data.values()) for data in self.history.values())
        )


# Export ------------------------------------------------------------------------------------


def read_store(repository: Repository) -> StoreDocs:
    """The store's documents as they are on disk; call it holding the store's lock."""
    docs = StoreDocs(main=_read(repository, repository.path) or {})
    docs.session = _read(repository, repository.session_path)
    for year in repository.history_years():
        data = _read(repository, repository.history_path(year))
        if data is not None:
            docs.history[year] = data
    return docs


def _read(repository: Repository, path: Path) -> Data | None:
    raw = AtomicJSONStorage(path, repository.lock, check=check_schema).read_file()
    if raw is None:
        return None
    if needs_migration(raw):  # an old year file is upgraded when a session is next filed in it
        raw = migrate_history_1_to_2(raw)
    return {table: docs for table, docs in raw.items() if table != META}


def export_backup(repository: Repository, now: datetime) -> dict[str, Any]:
    """The backup document of everything in `repository`, read in one go under its lock and
    checked as an import would check it (raises BackupError for a record that isn't right)."""
    with hold(repository.lock, repository.path):
        docs = read_store(repository)
    check_store(docs, repository.path.name)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "schema": SCHEMA_VERSION,
        "exported_at": now.isoformat(),
        "app": f"facilitator {__version__}",
        "main": docs.main,
        "session": docs.session,
        "history": {str(year): docs.history[year] for year in sorted(docs.history)},
    }


def backup_bytes(document: dict[str, Any]) -> bytes:
    """The backup as a file: UTF-8 JSON, indented (a diff of two backups reads line by line)."""
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8", errors="replace")


# Reading a backup --------------------------------------------------------------------------


def parse_backup(raw: bytes, source: str) -> StoreDocs:
    """Read and check a whole backup; raises BackupError naming `source` and the problem."""
    not_ours = f"{source} is not a facilitator backup"
    try:
        document = json.loads(raw)
    except UnicodeDecodeError:
        raise BackupError(f"{not_ours}: it is not a text file.") from None
    except json.JSONDecodeError as error:
        raise BackupError(
            f"{not_ours}: it is not valid JSON (line {error.lineno}, column {error.colno})."
        ) from None
    except RecursionError:
        raise BackupError(f"{not_ours}: it is JSON nested too deeply.") from None
    if not isinstance(document, dict):
        raise BackupError(f"{not_ours}: it is JSON, but not in the shape of a backup.")
    if document.get("format") != FORMAT:
        if isinstance(document.get(META), dict) and "schema" in document[META]:
            raise BackupError(
                f"{source} is a facilitator data file, not a backup: open it with "
                f"--data {source}, or make a backup of it with "
                f"`facilitator --data {source} export`."
            )
        raise BackupError(f'{not_ours}: it has no "format": "{FORMAT}" marker.')
    version, schema = document.get("version"), document.get("schema")
    for name, value, ours in (
        ("format version", version, FORMAT_VERSION),
        ("schema", schema, SCHEMA_VERSION),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise BackupError(f"{not_ours}: its {name} {str(value)[:40]!r} is not a number.")
        if value > ours:
            raise BackupError(
                f"{source} was made by a newer facilitator ({name} {value}; this one reads up "
                f"to {ours}). Upgrade facilitator to import it."
            )
        if value < ours:
            raise BackupError(
                f"{source} was made by an older facilitator ({name} {value}), which this one "
                "can't import."
            )
    docs = StoreDocs(
        main=_file_data(document.get("main"), f"{source}: its main file"),
        session=(
            None
            if document.get("session") is None
            else _file_data(document["session"], f"{source}: its session file")
        ),
    )
    history = document.get("history")
    if not isinstance(history, dict):
        raise BackupError(f"{not_ours}: its history is not a record of years.")
    for year_text, data in history.items():
        if not (isinstance(year_text, str) and year_text.isdigit() and len(year_text) == 4):
            raise BackupError(f"{not_ours}: its history has a year {str(year_text)[:20]!r}.")
        docs.history[int(year_text)] = _file_data(data, f"{source}: its history of {year_text}")
    check_store(docs, source)
    return docs


def _file_data(value: Any, where: str) -> Data:
    if not isinstance(value, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in value.values()
    ):
        raise BackupError(f"{where} is not in the shape facilitator writes.")
    return {table: docs for table, docs in value.items() if table != META}


def _identity(table: str, record: Any) -> str | None:
    """The id a record is stored under, in its table."""
    if table == "drafts":
        return str(record.key)
    if table == "setup":
        return SETUP_ID
    if table == "prep":
        return str(record.partner_id)
    found = getattr(record, "id", None)
    return None if found is None else str(found)


def check_store(docs: StoreDocs, source: str) -> None:
    """Every document converts to its record with the store's own converters and sits under
    that record's id; one partnership, at most one session under way, finished sessions only
    in history. Raises BackupError naming the first problem found."""
    for where, data in docs.files():
        allowed = HISTORY_TABLES if where.startswith("history") else (*CONVERTERS, REMOVED)
        for table, table_docs in data.items():
            if table not in allowed:
                raise BackupError(
                    f"{source}: its {where} file has a table {table[:40]!r} that this version "
                    "of facilitator doesn't know."
                )
            for doc_id, doc in table_docs.items():
                _check_doc(table, doc_id, doc, f"{source}: in its {where} file,")
    for where, data, most in (("main", docs.main, 1), ("session", docs.session or {}, 1)):
        if len(data.get("partnership", {})) > most:
            raise BackupError(f"{source}: its {where} file holds more than one partnership.")
    if len((docs.session or {}).get("sessions", {})) > 1:
        raise BackupError(f"{source}: its session file holds more than one session.")
    for year, data in docs.history.items():
        for doc_id, doc in data.get("sessions", {}).items():
            if doc.get("finished_at") is None:
                raise BackupError(
                    f"{source}: the session {doc_id[:40]!r} in its history of {year} was never "
                    "finished."
                )


def _check_doc(table: str, doc_id: str, doc: Doc, where: str) -> None:
    if table == REMOVED:
        if not all(isinstance(doc.get(k), str) for k in ("id", "table", "record")):
            raise BackupError(f"{where} a removal mark {doc_id[:40]!r} is not in shape.")
        return
    name = RECORD_NAMES.get(table, table)
    try:
        record = CONVERTERS[table](doc)
    except BadRecord as error:
        raise BackupError(
            f"{where} the {name} {doc_id[:40]!r} is not in the shape facilitator expects: {error}."
        ) from None
    identity = _identity(table, record)
    if identity is not None and identity != doc_id:
        raise BackupError(f"{where} the {name} {doc_id[:40]!r} is stored under another id.")


# Import ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did, to tell the person."""

    merged: bool
    added: Counter[str] = field(default_factory=Counter)
    """New records, by table."""
    kept: int = 0
    """Records already here and the same in the backup."""
    differed: int = 0
    """Records already here and different in the backup: the version here was kept."""
    filed: int = 0
    """Records open here and closed in the backup's history: the history's version is kept."""
    updated: int = 0
    """Records the backup changed during its session under way, unchanged here: taken."""
    partnership_updated: bool = False
    """The backup's partnership had held later sessions: its version is kept."""

    def describe(self) -> str:
        parts = [_counted(n, _NOUNS.get(table, table)) for table, n in _ordered(self.added)]
        said = ", ".join(parts) if parts else "nothing new"
        if not self.merged:
            return f"imported {said}"
        text = f"merged: added {said}"
        if self.kept or self.differed:
            text += f"; {self.kept + self.differed:,} already here"
            if self.differed:
                text += f" ({self.differed:,} different in the backup: the version here was kept)"
        if self.filed:
            text += f"; {_counted(self.filed, 'record')} closed in the backup's history filed there"
        if self.updated:
            text += f"; {_counted(self.updated, 'record')} changed in the backup's session taken"
        if self.partnership_updated:
            text += "; the partnership's details taken from the backup, which had later sessions"
        return text


_NOUNS = {
    "partnership": "partnership",
    "sessions": "session",
    "actions": "action",
    "entries": "entry",
    "goals": "goal",
    "agreements": "version of the agreement",
    "prep": "preparation",
    "drafts": "draft",
    "log": "log line",
    "setup": "set-up draft",
    REMOVED: "removal mark",
}
_PLURALS = {"entry": "entries", "version of the agreement": "versions of the agreement"}


def _counted(n: int, noun: str) -> str:
    return f"{n:,} {noun if n == 1 else _PLURALS.get(noun, noun + 's')}"


def _ordered(counts: Counter[str]) -> list[tuple[str, int]]:
    order = list(_NOUNS)
    return sorted(
        counts.items(),
        key=lambda item: (order.index(item[0]) if item[0] in order else len(order), item[0]),
    )


def import_backup(repository: Repository, backup: StoreDocs, *, merge: bool) -> ImportResult:
    """Bring a checked backup into `repository`, under its lock, all or nothing.

    Into an empty store, the backup's documents as they are. Into one that holds data, only
    with `merge` (else BackupError, nothing changed): see the module's docstring."""
    with hold(repository.lock, repository.path):
        here = read_store(repository)
        if here.is_empty:
            result = copy.deepcopy(backup)
            report = ImportResult(merged=False)
            for table in {t for _, data in backup.files() for t in data}:
                if table != REMOVED and backup.count(table):
                    report.added[table] = backup.count(table)
        elif not merge:
            raise NeedsMerge(
                f"{repository.path} already holds data. To bring the backup's records in "
                "beside it, add --merge (records are matched by id: nothing is lost or added "
                "twice); to restore the backup on its own, import it into a new file with "
                "--data NEWFILE. Nothing was changed."
            )
        else:
            result, report = merge_docs(here, backup)
        check_store(result, "The merged data")
        _write_store(repository, here, result)
    return report


def _effective_partnership(docs: StoreDocs) -> Doc | None:
    """The partnership as the app sees it: the session file's copy overlays the main file's."""
    for data in (docs.session or {}, docs.main):
        found = list(data.get("partnership", {}).values())
        if found:
            return found[0]
    return None


def _live_session(docs: StoreDocs) -> Doc | None:
    found = list((docs.session or {}).get("sessions", {}).values())
    return found[0] if found else None


def _index(docs: StoreDocs) -> dict[Key, list[str]]:
    """Where each record is stored: "main", "session", or "history YEAR"."""
    where: dict[Key, list[str]] = {}
    for place, data in docs.files():
        for table, table_docs in data.items():
            if table == REMOVED:
                continue
            for doc_id in table_docs:
                where.setdefault((table, doc_id), []).append(place)
    return where


def _in_history(places: list[str]) -> bool:
    return any(place.startswith("history") for place in places)


def merge_docs(here: StoreDocs, backup: StoreDocs) -> tuple[StoreDocs, ImportResult]:
    """The store `here` with the backup's records brought in (see the module's docstring);
    raises BackupError when the two can't be one store."""
    merge = _Merge(here, backup)
    merge.run()
    return merge.result, merge.report


class _Merge:
    """One merge: the store here, the backup, and the store they make together."""

    def __init__(self, here: StoreDocs, backup: StoreDocs) -> None:
        self.here, self.backup = here, backup
        self.result = copy.deepcopy(here)
        self.report = ImportResult(merged=True)
        self.where = _index(here)
        self.placed: set[Key] = set()

    def run(self) -> None:
        ours, theirs = _effective_partnership(self.here), _effective_partnership(self.backup)
        if ours is not None and theirs is not None and ours.get("id") != theirs.get("id"):
            raise BackupError(
                f"The backup is of another partnership ({theirs.get('name')!r}) than the data "
                f"file ({ours.get('name')!r}), and one file holds one partnership. Import it "
                "into a new file with --data NEWFILE instead. Nothing was changed."
            )
        our_live, their_live = _live_session(self.here), _live_session(self.backup)
        if our_live is not None and their_live is not None and our_live["id"] != their_live["id"]:
            raise BackupError(
                "Both the data file and the backup have a session under way, and not the same "
                "one. Finish or set aside the one here first, then merge. Nothing was changed."
            )
        self.partnership(ours, theirs)
        self.history(our_live)
        overlaid = self.backup.session or {}
        for table, table_docs in self.backup.main.items():
            if table in ("partnership", REMOVED):
                continue
            for doc_id, doc in table_docs.items():
                if doc_id in overlaid.get(table, {}):
                    continue  # the session file's newer copy decides: see session()
                if not self.already_here((table, doc_id), doc):
                    self.put(self.result.main, (table, doc_id), doc)
        if self.backup.session is not None:
            self.session(their_live, our_live)

    # Each record ---------------------------------------------------------------------------

    def already_here(self, key: Key, doc: Doc) -> bool:
        """Whether the record is here (or placed already); counted as kept if so."""
        if key in self.placed:
            return True
        places = self.where.get(key)
        if not places:
            return False
        same = any(_doc_at(self.here, place, key) == doc for place in places)
        self.report.kept += same
        self.report.differed += not same
        self.placed.add(key)
        return True

    def put(self, data: Data, key: Key, doc: Doc) -> None:
        data.setdefault(key[0], {})[key[1]] = copy.deepcopy(doc)
        self.report.added[key[0]] += 1
        self.placed.add(key)

    def shown_here(self, key: Key) -> Doc | None:
        """The record as the app here shows it: the session file's copy over the main file's."""
        for place in ("session", "main"):
            if place in self.where.get(key, []):
                return _doc_at(self.here, place, key)
        return None

    # The parts -----------------------------------------------------------------------------

    def partnership(self, ours: Doc | None, theirs: Doc | None) -> None:
        """The partnership: the backup's when there is none here, or when it has held later
        sessions, or when it is the one here changed further in the backup's session."""
        if theirs is None:
            return
        key = ("partnership", str(theirs["id"]))
        self.placed.add(key)
        if ours is None:
            self.put(self.result.main, key, theirs)
            return
        base = next(iter(self.backup.main.get("partnership", {}).values()), None)
        later = str(theirs.get("last_session_on") or "") > str(ours.get("last_session_on") or "")
        if theirs == ours:
            self.report.kept += 1
        elif later or (ours == base and base is not None):
            for data in (self.result.main, self.result.session or {}):
                if data.get("partnership"):
                    data["partnership"] = {key[1]: copy.deepcopy(theirs)}
            self.report.partnership_updated = True
        else:
            self.report.differed += 1

    def history(self, our_live: Doc | None) -> None:
        """History is final: a record the backup has filed is filed here too."""
        for year in sorted(self.backup.history):
            for table, table_docs in self.backup.history[year].items():
                for doc_id, doc in table_docs.items():
                    key = (table, doc_id)
                    if key in self.placed:
                        continue
                    places = self.where.get(key, [])
                    if _in_history(places):
                        self.already_here(key, doc)
                        continue
                    if our_live is not None and key == ("sessions", our_live["id"]):
                        raise BackupError(
                            "The session under way in the data file was finished in the "
                            "backup. Finish or set it aside here first, then merge. Nothing "
                            "was changed."
                        )
                    year_data = self.result.history.setdefault(year, {})
                    if not places:
                        self.put(year_data, key, doc)
                        continue
                    # Open here, closed in the backup: filed, no longer open.
                    for data in (self.result.main, self.result.session or {}):
                        data.get(table, {}).pop(doc_id, None)
                    year_data.setdefault(table, {})[doc_id] = copy.deepcopy(doc)
                    self.report.filed += 1
                    self.placed.add(key)

    def session(self, their_live: Doc | None, our_live: Doc | None) -> None:
        theirs = self.backup.session or {}
        session_id = None if their_live is None else str(their_live["id"])
        filed_year = next(
            (
                year
                for year, data in self.here.history.items()
                if session_id is not None and session_id in data.get("sessions", {})
            ),
            None,
        )
        if our_live is None and filed_year is not None:
            self.finished_here(theirs, session_id, filed_year)
            return
        # The same session is under way here, or it is new here: the session file takes its
        # records. One the backup changed during its session, and that is here as it was
        # before that session, is taken with the change; one changed here too is kept as here.
        if self.result.session is None:
            self.result.session = {}
        target = self.result.session
        for table, table_docs in theirs.items():
            if table in ("partnership", REMOVED):
                continue
            for doc_id, doc in table_docs.items():
                key = (table, doc_id)
                places = self.where.get(key, [])
                before = self.backup.main.get(table, {}).get(doc_id)
                if (
                    key not in self.placed
                    and places
                    and not _in_history(places)
                    and before is not None
                    and self.shown_here(key) == before
                    and doc != before
                ):
                    target.setdefault(table, {})[doc_id] = copy.deepcopy(doc)
                    self.report.updated += 1
                    self.placed.add(key)
                elif not self.already_here(key, doc):
                    self.put(target, key, doc)
        # The backup's marks of records removed during its session are kept only where they
        # hide records that came from the backup: nothing that was here is hidden.
        for mark_id, mark in theirs.get(REMOVED, {}).items():
            if (str(mark.get("table")), str(mark.get("record"))) not in self.where:
                target.setdefault(REMOVED, {})[mark_id] = copy.deepcopy(mark)

    def finished_here(self, theirs: Data, session_id: str | None, year: int) -> None:
        """The backup's session under way was finished here: what it recorded that isn't here
        joins its history; the rest, the main file."""
        for table, table_docs in theirs.items():
            if table in ("partnership", REMOVED):
                continue
            for doc_id, doc in table_docs.items():
                key = (table, doc_id)
                if self.already_here(key, doc):
                    continue
                filed = table == "entries" or (
                    table == "actions"
                    and doc.get("reviewed_in") == session_id
                    and doc.get("status", "open") != "open"
                )
                self.put(self.result.history[year] if filed else self.result.main, key, doc)


def _doc_at(docs: StoreDocs, place: str, key: Key) -> Doc | None:
    if place == "main":
        data: Data | None = docs.main
    elif place == "session":
        data = docs.session
    else:
        data = docs.history.get(int(place.split()[-1]))
    return (data or {}).get(key[0], {}).get(key[1])


# Writing, all or nothing -------------------------------------------------------------------


def _write_store(repository: Repository, before: StoreDocs, after: StoreDocs) -> None:
    """Write the files whose documents change: history, then the session file, then the main
    file. If any write fails, put back every file already written and say so."""
    plan: list[tuple[Path, Data]] = []
    for year in sorted(after.history):
        if after.history[year] != before.history.get(year):
            plan.append((repository.history_path(year), after.history[year]))
    if after.session is not None and after.session != before.session:
        plan.append((repository.session_path, after.session))
    if after.main != before.main:
        plan.append((repository.path, after.main))
    originals = {path: _bytes_or_none(path) for path, _ in plan}
    written: list[Path] = []
    try:
        if any(path.parent == repository.history_dir for path, _ in plan):
            ensure_private_dir(repository.history_dir)
        for path, data in plan:
            document: dict[str, Any] = dict(data)
            stamp(document)
            AtomicJSONStorage(path, repository.lock, check=check_schema).write_file(document)
            written.append(path)
    except (StoreError, OSError) as error:
        failed = _put_back(written, originals)
        problem = error.problem if isinstance(error, StoreError) else str(error)
        if failed:
            raise BackupError(
                f"The import could not be written ({problem}), and putting back what was "
                f"there failed for {', '.join(str(p) for p in failed)}. The backup file is "
                "unchanged: fix the problem and import it again."
            ) from None
        raise BackupError(
            f"The import could not be written: {problem}. Nothing was changed: the data files "
            "are as they were."
        ) from None


def _bytes_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _put_back(written: list[Path], originals: dict[Path, bytes | None]) -> list[Path]:
    """Restore each written file's original bytes (or remove it, if it is new); the paths
    that could not be restored."""
    failed = []
    for path in reversed(written):
        original = originals[path]
        try:
            if original is None:
                path.unlink(missing_ok=True)
            else:
                _replace_bytes(path, original)
        except OSError:
            failed.append(path)
    return failed


def _replace_bytes(path: Path, data: bytes) -> None:
    replace_file(path, data, os.stat(path).st_mode & 0o777)


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "BackupError",
    "ImportResult",
    "NeedsMerge",
    "StoreDocs",
    "backup_bytes",
    "export_backup",
    "import_backup",
    "merge_docs",
    "parse_backup",
    "read_store",
]

"""The repository: the meeting's data on disk, and changes applied to it under the lock.

Three kinds of file sit side by side:
- the main file (`facilitator.json`): the partnership, open actions, drafts;
- the session file (`facilitator.session.json`), while a session is live: the session, its
  entries, and every record changed since it began (an overlay on the main file), so an edit
  during a meeting rewrites only this small file, however many open actions there are. A large
  main file gets the same overlay between sessions, folded in once it has grown;
- one history file per year (`facilitator.history/2026.json`), in the partnership's time zone:
  finished sessions, their entries, and the actions closed in them.

Every change is applied to what is stored now, under one cross-process lock: read the files
(re-parsed only when their bytes changed), apply the change, write the files it touched.
Finishing a session is several writes; a session file holding a finished session means the
move to history is under way, and whoever opens the store next completes it.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from facilitator.domain.actions import Action, Entry
from facilitator.domain.partnership import Partnership
from facilitator.domain.session import Session
from facilitator.domain.state import LOG_LENGTH, MeetingState, frozen_map
from facilitator.store import converters
from facilitator.store.converters import SETUP_ID, BadRecord
from facilitator.store.errors import StoreError
from facilitator.store.schema import (
    SCHEMA_VERSION,
    Data,
    backup_path,
    check_schema,
    migrate_1_to_2,
    migrate_history_1_to_2,
    needs_migration,
    schema_of,
    stamp,
)
from facilitator.store.storage import (
    TEMP_SUFFIX,
    AtomicJSONStorage,
    StoreLock,
    copy_file,
    hold,
    lock_for,
    new_file_mode,
    temp_name_prefix,
)

if TYPE_CHECKING:  # the command line opens the store without the changes' machinery
    from facilitator.domain.changes import Outcome

Doc = dict[str, Any]
Signature = tuple[int, int, int, int] | None
Apply = Callable[[MeetingState], "Outcome"]

REMOVED = "removed"
"""The session file's table of main-file records removed during the session."""

# table name, records of a snapshot by id, and how each becomes a document
_TABLES: tuple[tuple[str, Callable[[MeetingState], Any], Callable[[Any], Doc]], ...] = (
    (
        "partnership",
        lambda s: {s.partnership.id: s.partnership} if s.partnership else {},
        converters.partnership_to_doc,
    ),
    ("actions", lambda s: s.actions, converters.action_to_doc),
    (
        "sessions",
        lambda s: {s.session.id: s.session} if s.session else {},
        converters.session_to_doc,
    ),
    ("entries", lambda s: s.entries, converters.entry_to_doc),
    ("drafts", lambda s: s.drafts, converters.draft_to_doc),
    ("setup", lambda s: {SETUP_ID: s.setup} if s.setup else {}, converters.setup_to_doc),
    ("log", lambda s: {n.id: n for n in s.log}, converters.note_to_doc),
    ("goals", lambda s: s.goals, converters.goal_to_doc),
    ("agreements", lambda s: {v.id: v for v in s.agreements}, converters.agreement_version_to_doc),
    ("prep", lambda s: s.preps, converters.prep_to_doc),
)

CONVERTERS: dict[str, Callable[[Doc], Any]] = {
    "partnership": converters.partnership_from_doc,
    "actions": converters.action_from_doc,
    "sessions": converters.session_from_doc,
    "entries": converters.entry_from_doc,
    "drafts": converters.draft_from_doc,
    "setup": converters.setup_from_doc,
    "log": converters.note_from_doc,
    "goals": converters.goal_from_doc,
    "agreements": converters.agreement_version_from_doc,
    "prep": converters.prep_from_doc,
}

RECORD_NAMES = {
    "partnership": "partnership",
    "actions": "action",
    "sessions": "session",
    "entries": "entry",
    "drafts": "draft",
    "setup": "set-up draft",
    "log": "log line",
    "goals": "goal",
    "agreements": "version of the agreement",
    "prep": "preparation",
}


def _signature(path: Path) -> Signature:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size, info.st_ctime_ns)


OVERLAY_FOLD_BYTES = 64 * 1024
"""Outside a session, the overlay is folded into the main file once it is this large."""
OVERLAY_FROM_BYTES = 256 * 1024
"""A main file this large is not rewritten for each change outside a session."""

SETTLED_SECONDS = 2
"""How long a file must have been left alone before a read for its signature to stand for its
bytes afterwards (longer than any file system's timestamp granularity but FAT's)."""


def _settled(signature: Signature, read_at_ns: int) -> Signature:
    """`signature`, if the file was last changed well before it was read at `read_at_ns`."""
    if signature is None:
        return None
    _, modified, _, changed = signature
    if max(modified, changed) > read_at_ns - SETTLED_SECONDS * 1_000_000_000:
        return None
    return signature


class _File:
    """One JSON file: its last-read bytes and data, and the records converted from it."""

    def __init__(self, path: Path, lock: StoreLock) -> None:
        self.path = path
        self.storage = AtomicJSONStorage(path, lock, check=check_schema)
        self._raw: bytes | None = None
        self._read_once = False
        self._settled: Signature = None
        """The file's signature when it was last read, if it had been left alone for a while
        before: while the file still has it, it holds the same bytes (see `read`)."""
        self.data: Data = {}
        self._records: dict[str, dict[str, tuple[Doc, Any]]] = {}

    @property
    def exists(self) -> bool:
        return bool(self.data)

    def signature(self) -> Signature:
        return _signature(self.path)

    def read(self) -> bool:
        """Read the file afresh; True if it changed since the last read (or write).

        A file that still has the signature it had when last read, when it had been left
        alone for `SETTLED_SECONDS` before that read, is not read again (the main file holds
        every open action, and a save during a session doesn't change it). Any change since
        then, however it was made (a replacing rename, a write in place, even one that sets
        the old modification time back), gives the file a change time (ctime) of when it was
        made: later than that read, so different. The wait covers clocks that tick coarsely."""
        if self._read_once and self._settled is not None and self.signature() == self._settled:
            return False
        began = time.time_ns()
        signature = self.signature()
        raw = self.storage.read_bytes()
        if self._read_once and raw == self._raw:
            self._settled = _settled(signature, began)
            return False
        self._settled = None
        self.data = self.storage.parse(raw) or {}
        self._raw, self._read_once = raw, True
        self._settled = _settled(signature, began)
        return True

    def records(self, table: str) -> dict[str, Any]:
        """The table's records, converted; a document unchanged since last time is not
        converted again, and keeps its record (so unchanged records keep their identity)."""
        docs = self.data.get(table, {})
        cached = self._records.get(table, {})
        fresh: dict[str, tuple[Doc, Any]] = {}
        convert = CONVERTERS[table]
        for doc_id, doc in docs.items():
            hit = cached.get(doc_id)
            if hit is not None and (hit[0] is doc or hit[0] == doc):
                fresh[doc_id] = hit
                continue
            try:
                fresh[doc_id] = (doc, convert(doc))
            except BadRecord as error:
                raise StoreError(
                    self.path,
                    f"the {RECORD_NAMES.get(table, table)} {doc_id[:40]!r} in it is not in the "
                    f"shape facilitator expects: {error}",
                ) from None
        self._records[table] = fresh
        return {doc_id: record for doc_id, (_, record) in fresh.items()}

    def write(self, data: Data, primed: dict[str, dict[str, tuple[Doc, Any]]]) -> None:
        """Replace the file with `data`; `primed` gives the records of documents just made."""
        stamp(data)
        self._raw = self.storage.write_file(data)
        self._read_once = True
        self.data = data
        for table, items in primed.items():
            self._records.setdefault(table, {}).update(items)

    def delete(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        self.data, self._raw, self._read_once = {}, None, True

    def forget(self) -> None:
        """Drop what was read, so the next read parses the file again (after a failed write)."""
        self._raw, self._read_once, self.data = None, False, {}


def _build(main: _File, live: _File) -> MeetingState:
    """The snapshot: the main file, with the session file's records laid over it."""
    removed = {(doc.get("table"), doc.get("record")) for doc in live.data.get(REMOVED, {}).values()}

    def merged(table: str) -> dict[str, Any]:
        records = main.records(table)  # a dict of its own
        for kind, record_id in removed:
            if kind == table:
                records.pop(record_id, None)
        if live.data:
            records.update(live.records(table))
        return records

    partnerships = list(merged("partnership").values())
    sessions = list(live.records("sessions").values()) if live.data else []
    session = max(sessions, key=lambda s: s.started_at) if sessions else None
    entries = live.records("entries") if live.data else {}
    setups = list(main.records("setup").values())
    log = sorted(merged("log").values(), key=lambda n: n.at)[-LOG_LENGTH:]
    return MeetingState(
        partnership=partnerships[0] if partnerships else None,
        actions=frozen_map(merged("actions")),
        session=session,
        entries=frozen_map(
            {k: e for k, e in entries.items() if session is not None and e.session_id == session.id}
        ),
        drafts=frozen_map(merged("drafts")),
        setup=setups[0] if setups else None,
        log=tuple(log),
        goals=frozen_map(merged("goals")),
        agreements=tuple(sorted(merged("agreements").values(), key=lambda v: v.recorded_at)),
        preps=frozen_map({p.partner_id: p for p in merged("prep").values()}),
    )


class Repository:
    def __init__(self, path: Path) -> None:
        self.path = path.expanduser().absolute()
        self.session_path = self.path.with_name(
            f"{self.path.stem}.session{self.path.suffix or '.json'}"
        )
        self.lock = lock_for(self.path)
        self._main = _File(self.path, self.lock)
        self._live = _File(self.session_path, self.lock)
        self._guard = threading.RLock()  # the UI thread and the store thread share one object
        self._state: MeetingState | None = None
        self._time_zone: Callable[[], str] | None = None
        self._seen_signature: tuple[Signature, Signature] | None = None

    @classmethod
    def open(cls, path: Path, *, time_zone: Callable[[], str] | None = None) -> Repository:
        """Open the store at `path`: check its files can be read, bring older files up to date,
        complete a finish that was interrupted, and clear temp files a killed writer left."""
        repository = cls(path)
        repository.prepare(time_zone)
        return repository

    @classmethod
    def open_to_read(cls, path: Path) -> tuple[Repository, MeetingState]:
        """Open the store at `path` for a look (the command line's listings), and what it holds.
        When its files are at rest they are read without the lock, so nothing of the lock's
        machinery is loaded; otherwise it is opened as `open` does. Either way the repository
        can then be used as any other, writes included."""
        repository = cls(path)
        state = repository._read_at_rest()
        if state is None:
            state = repository.prepare()
        return repository, state

    @property
    def history_dir(self) -> Path:
        return self.path.with_name(self.path.stem + ".history")

    def history_path(self, year: int) -> Path:
        return self.history_dir / f"{year}.json"

    def files(self) -> list[Path]:
        """Every file of the store that exists now (for exports, checks and tests)."""
        found = [p for p in (self.path, self.session_path) if p.exists()]
        if self.history_dir.is_dir():
            found += sorted(self.history_dir.glob("*.json"))
        return found

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._guard, hold(self.lock, self.path):
            try:
                yield
            finally:
                self._seen_signature = self.signature()

    # Opening -----------------------------------------------------------------------------------

    def prepare(self, time_zone: Callable[[], str] | None = None) -> MeetingState:
        if time_zone is not None:
            self._time_zone = time_zone
        with self._locked():
            self._remove_stale_temp_files()
            self._read_files()
            return self._current()

    def _migrate(self) -> None:
        """Schema 1 to 2: keep the original beside the file, then write the new files."""
        time_zone = self._time_zone
        if time_zone is None:
            from facilitator.domain.clock import local_zone_name

            time_zone = local_zone_name
        version = schema_of(self._main.data) or 1
        main, session = migrate_1_to_2(self._main.data, time_zone)
        self._check_convertible(main, session)  # the whole migration works before any write
        backup = backup_path(self.path, version)
        if not backup.exists():
            try:
                copy_file(self.path, backup)
                os.chmod(backup, os.stat(self.path).st_mode & 0o777)
            except OSError as error:
                raise StoreError(
                    self.path,
                    f"it needs upgrading, and a copy could not be kept first ({error.strerror})",
                    "Nothing was changed. Free some space or make its folder writable.",
                ) from None
        if session is not None:
            self._live.write(session, {})
        self._main.write(main, {})

    def _check_convertible(self, main: Data, session: Data | None) -> None:
        # Both named after the file being upgraded: that is the one a problem is in.
        trial_main, trial_live = _File(self.path, self.lock), _File(self.path, self.lock)
        trial_main.data, trial_live.data = main, session or {}
        _build(trial_main, trial_live)

    def _temp_files(self) -> list[Path]:
        prefixes = (temp_name_prefix(self.path), temp_name_prefix(self.session_path))
        found = [
            p for p in self.path.parent.glob(f".*{TEMP_SUFFIX}") if p.name.startswith(prefixes)
        ]
        if self.history_dir.is_dir():
            found += self.history_dir.glob(f".*.json.*{TEMP_SUFFIX}")
        return found

    def _remove_stale_temp_files(self) -> None:
        """Under the lock no writer is mid-write, so any temp file of ours was left by a kill."""
        for leftover in self._temp_files():
            with contextlib.suppress(OSError):
                leftover.unlink()

    def _read_at_rest(self) -> MeetingState | None:
        """The files read without the lock, when that gives what a locked read would; else
        None. Every write replaces a file whole, so a file is never seen half-written; what
        the lock adds is that the two files are read as one pair. Both left alone for
        `SETTLED_SECONDS` before, neither changed while being read, and no temp file beside
        them (a writer part-way, even one whose fsync stalls for seconds, has one), they are
        no writer's half-way point. Anything that needs the lock's own work (an upgrade, a
        finish a kill interrupted, a killed writer's temp files) is left to the locked read."""
        with self._guard:  # the UI thread and the store thread share the files' caches
            began = time.time_ns()
            before = self.signature()
            main, live = before
            if main is None or _settled(main, began) is None:
                return None
            if live is not None and _settled(live, began) is None:
                return None
            if self._temp_files():
                return None
            self._read_both()
            upgrade = needs_migration(self._main.data) or needs_migration(self._live.data)
            if upgrade or self.signature() != before:
                return None
            state = self._state or self._build()
            self._state = state
            if state.session is not None and state.session.finished:
                return None
            self._seen_signature = before
            return state

    # Reading -----------------------------------------------------------------------------------

    def signature(self) -> tuple[Signature, Signature]:
        """Cheap to ask (two stats): changes whenever either live file is replaced."""
        return (self._main.signature(), self._live.signature())

    @property
    def seen_signature(self) -> tuple[Signature, Signature] | None:
        """The files' signature when this repository last read or wrote them, taken under the
        lock, or before a read at rest that found them unchanged after: a change made by
        another process just after is never mistaken for ours."""
        return self._seen_signature

    def read(self) -> MeetingState:
        """What is stored now (re-parsed only if the files changed): without the lock while
        the files are at rest, as they are between changes."""
        state = self._read_at_rest()
        if state is not None:
            return state
        with self._locked():
            self._read_files()
            return self._current()

    def read_with_signature(self) -> tuple[MeetingState, tuple[Signature, Signature] | None]:
        """`read()`, and the files' signature it stands for, taken together: another thread's
        read between the two can't pair this state with a later signature."""
        with self._guard:
            state = self.read()
            return state, self._seen_signature

    def load(self) -> MeetingState:
        return self.read()

    def _read_both(self) -> None:
        """Read the main and session files afresh; the snapshot is rebuilt if either changed.
        If the second read fails, the first may have taken in a change already: the snapshot
        is dropped then too, or a later read finding no change would keep the old one."""
        try:
            changed = self._main.read()
            changed = self._live.read() or changed
        except BaseException:
            self._state = None
            raise
        if changed:
            self._state = None

    def _read_files(self) -> None:
        self._read_both()
        if needs_migration(self._main.data):
            self._migrate()
            self._state = None
        if needs_migration(self._live.data):
            raise StoreError(self.session_path, "it is from an older facilitator")

    def _current(self) -> MeetingState:
        """The snapshot of the files as last read, completing an interrupted finish first."""
        if self._state is None:
            self._state = self._build()
        if self._state.session is not None and self._state.session.finished:
            self._complete_finish(self._state)
        return self._state

    def _build(self) -> MeetingState:
        return _build(self._main, self._live)

    # Writing -----------------------------------------------------------------------------------

    def update(self, apply: Apply) -> Outcome:
        """Apply a change to what is stored now, under the lock, and write what it changed."""
        with self._locked():
            self._read_files()
            state = self._current()
            outcome = apply(state)
            if outcome.state is state:
                return outcome
            try:
                self._write(state, outcome.state)
            except BaseException:
                self._main.forget()
                self._live.forget()
                self._state = None
                raise
            self._state = outcome.state
            final = self._current()
            return outcome if final is outcome.state else replace(outcome, state=final)

    def _write(self, old: MeetingState, new: MeetingState) -> None:
        """Write the documents that changed: into the session file while a session is live
        (or finishing), else into the main file."""
        changes = []
        for table, records_of, to_doc in _TABLES:
            before, after = records_of(old), records_of(new)
            if before is after:
                continue  # the same mapping: nothing in this table changed
            puts = {k: (to_doc(r), r) for k, r in after.items() if before.get(k) is not r}
            deletes = [k for k in before if k not in after]
            if puts or deletes:
                changes.append((table, puts, deletes))
        if not changes:
            return
        if new.session is not None:
            self._write_overlay(changes)
        elif len(self._main._raw or b"") > OVERLAY_FROM_BYTES:
            # A large main file (many open actions) is not rewritten for every change outside
            # a session either: the change joins the overlay, folded in once that has grown.
            self._write_overlay(changes)
            if len(self._live._raw or b"") > OVERLAY_FOLD_BYTES:
                self._fold_session_file(set(), new)
        elif self._live.data:  # the session was set aside: its changes join the main file
            self._write_overlay(changes)
            self._fold_session_file(set(), new)
        else:
            self._write_main(changes)

    def _write_main(self, changes: list[tuple[str, dict[str, tuple[Doc, Any]], list[str]]]) -> None:
        data = {table: dict(docs) for table, docs in self._main.data.items()}
        for table, puts, deletes in changes:
            docs = data.setdefault(table, {})
            for doc_id in deletes:
                docs.pop(doc_id, None)
            if table == "partnership" and puts:
                docs.clear()  # one partnership per file
            docs.update({k: doc for k, (doc, _) in puts.items()})
        self._main.write(data, {table: puts for table, puts, _ in changes})

    def _write_overlay(
        self, changes: list[tuple[str, dict[str, tuple[Doc, Any]], list[str]]]
    ) -> None:
        data = {table: dict(docs) for table, docs in self._live.data.items()}
        removed = data.setdefault(REMOVED, {})
        main = self._main.data
        for table, puts, deletes in changes:
            docs = data.setdefault(table, {})
            for doc_id in deletes:
                docs.pop(doc_id, None)
                if doc_id in main.get(table, {}):
                    removed[f"{table}/{doc_id}"] = {
                        "id": f"{table}/{doc_id}",
                        "table": table,
                        "record": doc_id,
                    }
            if table in ("partnership", "sessions") and puts:
                docs.clear()  # one of each
            for doc_id, (doc, _) in puts.items():
                docs[doc_id] = doc
                removed.pop(f"{table}/{doc_id}", None)
        self._live.write(data, {table: puts for table, puts, _ in changes})

    # Finishing: the session moves to history ---------------------------------------------------

    def _complete_finish(self, state: MeetingState) -> None:
        """Move a finished session to history, then fold its changes into the main file, then
        remove the session file. Each step can be repeated: a kill between any two of them is
        completed by the next process to open the store.

        Reads without the lock (`_read_at_rest`) count on this: every pair of files a writer
        can leave between two of its steps either reads as a whole state (an overlay folded
        into the main file and still beside it gives the same records twice) or is refused
        (a finished session still in the session file). A new write of several files must
        keep that, or write a temp file first (a reader also waits while one exists)."""
        session = state.session
        assert session is not None
        partnership = state.partnership
        year = (
            partnership.local_date(session.started_at) if partnership else session.started_at
        ).year
        closed = [
            a for a in state.actions.values() if not a.is_open and a.reviewed_in == session.id
        ]
        self._write_history(year, session, list(state.entries.values()), closed)
        self._fold_session_file({a.id for a in closed}, state)

    def _fold_session_file(self, closed_ids: set[str], state: MeetingState) -> None:
        """Write the session file's changes into the main file (less the actions closed in the
        session, which are in history now), then remove the session file. `state` is what the
        two files hold together."""
        main = {table: dict(docs) for table, docs in self._main.data.items()}
        overlay = self._live.data
        for entry in overlay.get(REMOVED, {}).values():
            main.get(str(entry.get("table")), {}).pop(str(entry.get("record")), None)
        for table in ("partnership", "actions", "drafts", "goals", "agreements", "prep", "log"):
            docs = main.setdefault(table, {})
            if table == "partnership" and overlay.get(table):
                docs.clear()
            docs.update(overlay.get(table, {}))
        # The session's log lines stay (a screen editing a record just after is told who
        # changed it last), as many as the snapshot's log keeps.
        kept = {note.id for note in state.log}
        main["log"] = {key: doc for key, doc in main["log"].items() if key in kept}
        for action_id in closed_ids:
            main["actions"].pop(action_id, None)
        main.pop("sessions", None)
        main.pop("entries", None)
        self._main.write(main, {})
        self._live.delete()
        self._state = self._build()

    def _write_history(
        self, year: int, session: Session, entries: list[Entry], closed: list[Action]
    ) -> None:
        history = _File(self.history_path(year), self.lock)
        history.read()
        data = history.data
        if needs_migration(data):
            backup = backup_path(history.path, schema_of(data) or 1)
            if not backup.exists():
                copy_file(history.path, backup)
            data = migrate_history_1_to_2(data)
        data = {table: dict(docs) for table, docs in data.items()}
        # Replace whatever an interrupted finish wrote for this session, whole.
        for table, belongs in (
            ("entries", lambda d: d.get("session_id") == session.id),
            ("actions", lambda d: d.get("reviewed_in") == session.id),
        ):
            docs = data.setdefault(table, {})
            for doc_id in [k for k, d in docs.items() if belongs(d)]:
                del docs[doc_id]
        data.setdefault("sessions", {})[session.id] = converters.session_to_doc(session)
        data["entries"].update({e.id: converters.entry_to_doc(e) for e in entries})
        data["actions"].update({a.id: converters.action_to_doc(a) for a in closed})
        from facilitator.store.storage import ensure_private_dir

        ensure_private_dir(self.history_dir)
        history.write(data, {})

    # History -----------------------------------------------------------------------------------

    def history_years(self) -> list[int]:
        if not self.history_dir.is_dir():
            return []
        return sorted(int(p.stem) for p in self.history_dir.glob("*.json") if p.stem.isdigit())

    def read_history(self, years: Iterable[int]) -> tuple[list[Session], list[Entry], list[Action]]:
        """The finished sessions, their entries and closed actions, of the given years only."""
        sessions: list[Session] = []
        entries: list[Entry] = []
        actions: list[Action] = []
        for year in years:
            path = self.history_path(year)
            if not path.exists():
                continue
            history = _File(path, self.lock)
            history.read()
            if needs_migration(history.data):
                history.data = migrate_history_1_to_2(history.data)
            sessions.extend(history.records("sessions").values())
            entries.extend(history.records("entries").values())
            actions.extend(history.records("actions").values())
        return sorted(sessions, key=lambda s: s.started_at), entries, actions

    def finished_sessions(self) -> list[Session]:
        """Every finished session, oldest first (reads all history: not for every frame)."""
        return self.read_history(self.history_years())[0]

    def read_history_between(
        self, start: date, end: date, zone: tzinfo
    ) -> tuple[list[Session], list[Entry], list[Action]]:
        """The sessions held from `start` to `end` (dates in `zone`, the partnership's time
        zone, both ends included), their entries and the actions closed in them, oldest
        session first. Only the year files those dates fall in are read: a term across New
        Year reads two, however many years the history holds."""
        from facilitator.domain.clock import local_date

        if end < start:
            return [], [], []
        sessions, entries, actions = self.read_history(range(start.year, end.year + 1))
        kept = [s for s in sessions if start <= local_date(s.started_at, zone) <= end]
        ids = {s.id for s in kept}
        return (
            kept,
            [e for e in entries if e.session_id in ids],
            [a for a in actions if a.reviewed_in in ids],
        )

    # Plain writes, for set-up, imports, tests and benchmarks -----------------------------------

    def put(self, *records: Partnership | Action | Entry | Session) -> MeetingState:
        """Store records as they are (no change logic): the partnership, actions, a session."""

        from facilitator.domain.changes import Outcome

        def apply(state: MeetingState) -> Outcome:
            new = state
            for record in records:
                if isinstance(record, Partnership):
                    new = replace(new, partnership=record)
                elif isinstance(record, Action):
                    new = new.with_actions([record])
                elif isinstance(record, Entry):
                    new = new.with_entries([record])
                elif isinstance(record, Session):
                    new = replace(new, session=record)
            return Outcome(new)

        return self.update(apply).state

    @property
    def new_file_mode(self) -> int:
        return new_file_mode(self.path.parent)


__all__ = ["SCHEMA_VERSION", "Repository", "StoreError"]

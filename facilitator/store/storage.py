"""A TinyDB storage that never leaves a half-written file and always reads what is on disk.

Writes go to a temporary file in the same directory, are fsynced, then replace the data file
in one rename. Reads open the path afresh, so a change made by another process is seen. Inside
`transaction()`, a cross-process lock on a separate lock file is held, the file is read once,
and it is written once at the end: one whole read-change-write that no other writer interleaves.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb.storages import Storage

from facilitator.store.errors import StoreError

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
LOCK_TIMEOUT_SECONDS = 15

Data = dict[str, dict[str, Any]]


def ensure_private_dir(directory: Path) -> None:
    """Create `directory` and any missing parents as 0700; leave existing ones as they are."""
    missing = []
    for candidate in (directory, *directory.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        try:
            candidate.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue
        os.chmod(candidate, PRIVATE_DIR)  # mkdir's mode is filtered by the umask


def lock_for(path: Path) -> FileLock:
    """The lock guarding `path`: a separate file, as each write gives the data file a new inode."""
    return FileLock(
        path.with_name(path.name + ".lock"), timeout=LOCK_TIMEOUT_SECONDS, mode=PRIVATE_FILE
    )


class AtomicJSONStorage(Storage):
    def __init__(
        self,
        path: Path,
        lock: FileLock | None = None,
        check: Callable[[Path, Data], None] | None = None,
    ) -> None:
        self.path = path
        self.lock = lock or lock_for(path)
        self._check = check
        # Per thread: the UI thread may read while the writer thread is inside a transaction.
        self._local = threading.local()

    @property
    def _active(self) -> _Transaction | None:
        return getattr(self._local, "transaction", None)

    # TinyDB's Storage interface -------------------------------------------------------------

    def read(self) -> Data | None:
        active = self._active
        if active is not None:
            return active.data
        return self.read_file()

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        active = self._active
        if active is None:
            with self._locked():
                self.write_file(data)
        elif not active.writable:
            raise RuntimeError("write inside a read-only snapshot")
        else:
            active.data = data
            active.dirty = True

    def close(self) -> None:
        pass

    # Whole read-change-write under the lock ------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock, read the file once, and write it once at the end if it changed."""
        if self._active is not None:
            if not self._active.writable:
                raise RuntimeError("a transaction can't start inside a read-only snapshot")
            yield  # nested: the outer transaction reads and writes
            return
        with self._locked():
            active = _Transaction(self.read_file(), writable=True)
            self._local.transaction = active
            try:
                yield
                if active.dirty and active.data is not None:
                    self.write_file(active.data)
            finally:
                self._local.transaction = None

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read the file once and answer every read from that copy; no lock, since writes are
        atomic renames and a reader always sees one whole version."""
        if self._active is not None:
            yield
            return
        self._local.transaction = _Transaction(self.read_file(), writable=False)
        try:
            yield
        finally:
            self._local.transaction = None

    @contextmanager
    def _locked(self) -> Iterator[None]:
        ensure_private_dir(self.path.parent)
        try:
            with self.lock:
                yield
        except Timeout:
            raise StoreError(
                self.path,
                f"another program has held its lock ({self.lock.lock_file}) for over "
                f"{LOCK_TIMEOUT_SECONDS} seconds",
                "If no other facilitator is running, remove that lock file and try again.",
            ) from None

    # The file itself ---------------------------------------------------------------------------

    def read_file(self) -> Data | None:
        """The file's data, read afresh; None when there is no file (or an empty one) yet."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except PermissionError:
            raise StoreError(self.path, "permission to read it was denied") from None
        except IsADirectoryError:
            raise StoreError(
                self.path, "it is a directory, not a file", "Give a file path with --data."
            ) from None
        except OSError as error:
            raise StoreError(self.path, f"it could not be read ({error.strerror})") from None
        if not raw.strip():
            return None
        try:
            data = json.loads(raw)
        except UnicodeDecodeError:
            raise StoreError(self.path, "it is not a text file") from None
        except json.JSONDecodeError as error:
            raise StoreError(
                self.path, f"it is not valid JSON (line {error.lineno}, column {error.colno})"
            ) from None
        if not isinstance(data, dict) or not all(
            isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
            for table in data.values()
        ):
            raise StoreError(self.path, "it is JSON, but not in the shape facilitator writes")
        if self._check is not None:
            self._check(self.path, data)
        return data

    def write_file(self, data: Data) -> None:
        """Replace the file with `data` in one step: serialise, write a temp file, fsync, rename."""
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        directory = self.path.parent
        try:
            mode = os.stat(self.path).st_mode & 0o777  # keep any sharing the user set up
        except FileNotFoundError:
            mode = PRIVATE_FILE
        temp_path: str | None = None
        try:
            fd, temp_path = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".tmp", dir=directory
            )
            with os.fdopen(fd, "wb") as temp:
                os.fchmod(temp.fileno(), mode)
                temp.write(payload)
                temp.flush()
                os.fsync(temp.fileno())
            os.replace(temp_path, self.path)
            temp_path = None
            _fsync_directory(directory)
        except OSError as error:
            raise StoreError(
                self.path, _write_problem(error), "Nothing already saved was changed."
            ) from None
        finally:
            if temp_path is not None:
                with suppress(OSError):
                    os.unlink(temp_path)


class _Transaction:
    def __init__(self, data: Data | None, *, writable: bool) -> None:
        self.data = data
        self.writable = writable
        self.dirty = False


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_problem(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full, so the latest change could not be saved"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission to write it was denied, so the latest change could not be saved"
    return f"the latest change could not be saved ({error.strerror})"

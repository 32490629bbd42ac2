"""A storage that never leaves a half-written file and always reads what is on disk.

Writes go to a temporary file in the same directory, are fsynced, then replace the data file
in one rename. Reads open the path afresh, so a change made by another process is seen. Inside
`transaction()`, a cross-process lock on a separate lock file is held, the file is read once,
and it is written once at the end: one whole read-change-write that no other writer interleaves.

The repository reads and writes whole documents through `read_file` and `write_file`.
`AtomicJSONStorage` also has TinyDB's storage interface (`read`, `write`, `close`), so TinyDB's
tables and queries can run on the same files (`TinyDB(path, storage=AtomicJSONStorage)`; a
test does). It does not subclass TinyDB's `Storage`: that would import TinyDB at every start,
and nothing in the app queries through it.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from facilitator.store.errors import StoreError

if TYPE_CHECKING:
    from filelock import BaseFileLock

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
SHARED_FILE = 0o660
LOCK_TIMEOUT_SECONDS = 15
TEMP_SUFFIX = ".tmp"

Data = dict[str, dict[str, Any]]


SHARED_DIR = 0o2770


def ensure_private_dir(directory: Path) -> None:
    """Create `directory` and any missing parents as 0700 (2770 inside a directory shared
    with a group, so the other account can use them too); leave existing ones as they are."""
    missing = []
    for candidate in (directory, *directory.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        mode = SHARED_DIR if shared_directory(candidate.parent) else PRIVATE_DIR
        try:
            candidate.mkdir(mode=mode)
        except FileExistsError:
            continue
        os.chmod(candidate, mode)  # mkdir's mode is filtered by the umask


def exposure(path: Path) -> str | None:
    """Why the data at `path` may be readable by other people, if it is, outside a shared set-up
    (a setgid directory for a pair of accounts). A file in a folder others can't enter is safe."""
    try:
        info = os.stat(path)
        folder = os.stat(path.parent).st_mode
    except OSError:
        return None
    if info.st_mode & 0o004 and folder & 0o001:
        return f"{path} can be read by every account on this machine"
    if info.st_mode & 0o040 and folder & 0o010 and not shared_directory(path.parent):
        return f"{path} can be read by everyone in its group"
    return None


def shared_directory(directory: Path) -> bool:
    """A directory set up for a pair of accounts: setgid, and group members may write in it."""
    try:
        mode = os.stat(directory).st_mode
    except OSError:
        return False
    return bool(mode & stat.S_ISGID) and mode & 0o070 == 0o070


def new_file_mode(directory: Path) -> int:
    """The mode for a file the app creates: private, or group-shared in a shared directory."""
    return SHARED_FILE if shared_directory(directory) else PRIVATE_FILE


class StoreLock:
    """The cross-process lock guarding a store: a separate file, as each write gives the data
    file a new inode. filelock is imported when the lock is first taken, not when a store is
    opened: files at rest are read without the lock (every write replaces a file whole), so a
    command that only looks (`facilitator actions`) usually never loads it."""

    def __init__(self, lock_file: Path, mode: int) -> None:
        self.lock_file = str(lock_file)
        self._mode = mode
        self._made = threading.Lock()
        self._lock: BaseFileLock | None = None

    def _file_lock(self) -> BaseFileLock:
        with self._made:
            if self._lock is None:
                from filelock import FileLock

                self._lock = FileLock(self.lock_file, timeout=LOCK_TIMEOUT_SECONDS, mode=self._mode)
            return self._lock

    def __enter__(self) -> StoreLock:
        self._file_lock().acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self._file_lock().release()


def lock_for(path: Path) -> StoreLock:
    return StoreLock(path.with_name(path.name + ".lock"), new_file_mode(path.parent))


def temp_name_prefix(path: Path) -> str:
    return f".{path.name}."


def copy_file(source: Path, target: Path) -> None:
    """A copy of `source` with its times (a backup before an upgrade): shutil is imported
    only here, as no start-up makes one."""
    import shutil

    shutil.copy2(source, target)


def replace_file(path: Path, payload: bytes, mode: int, *, durable: bool = True) -> None:
    """Put `payload` at `path` in one step: a temporary file beside it (mode `mode`, flushed
    to the disk when `durable`) renamed over it, so a reader finds the old file or the new
    one, never part of either. Raises OSError, and leaves no temporary file behind. Every
    file the app writes (its data, exports, an import's put-back) is written here."""
    import tempfile  # here, not at the top: it brings shutil and random, and reading needs none

    temp_path: str | None = None
    try:
        fd, temp_path = tempfile.mkstemp(
            prefix=temp_name_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent
        )
        with os.fdopen(fd, "wb") as temp:
            os.fchmod(temp.fileno(), mode)
            temp.write(payload)
            temp.flush()
            if durable:
                os.fsync(temp.fileno())
        os.replace(temp_path, path)
        temp_path = None
    finally:
        if temp_path is not None:
            with suppress(OSError):
                os.unlink(temp_path)


class AtomicJSONStorage:
    def __init__(
        self,
        path: Path,
        lock: StoreLock | None = None,
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
        with hold(self.lock, self.path):
            yield

    # The file itself ---------------------------------------------------------------------------

    def read_file(self) -> Data | None:
        """The file's data, read afresh; None when there is no file (or an empty one) yet."""
        return self.parse(self.read_bytes())

    def read_bytes(self) -> bytes | None:
        """The file's bytes as they are now; None when there is no file."""
        try:
            return self.path.read_bytes()
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

    def parse(self, raw: bytes | None) -> Data | None:
        """Check and parse what `read_bytes` returned."""
        if raw is None or not raw.strip():
            return None
        try:
            data = json.loads(raw)
        except UnicodeDecodeError:
            raise StoreError(self.path, "it is not a text file") from None
        except json.JSONDecodeError as error:
            raise StoreError(
                self.path, f"it is not valid JSON (line {error.lineno}, column {error.colno})"
            ) from None
        except RecursionError:
            raise StoreError(
                self.path, "it is JSON nested too deeply to be facilitator's"
            ) from None
        if not isinstance(data, dict) or not all(
            isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
            for table in data.values()
        ):
            raise StoreError(self.path, "it is JSON, but not in the shape facilitator writes")
        if self._check is not None:
            self._check(self.path, data)
        return data

    def write_file(self, data: Data, *, durable: bool = True) -> bytes:
        """Replace the file with `data` in one step: serialise, write a temp file, fsync, rename.

        Returns the bytes written, so a reader can tell its own write from another's."""
        try:
            # Lone surrogates (from a terminal that sent bad bytes) can't be stored as UTF-8:
            # write them as replacement characters rather than refuse the whole save.
            payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(
                "utf-8", errors="replace"
            )
        except (TypeError, ValueError) as error:
            raise StoreError(
                self.path,
                f"a change could not be written as JSON ({error})",
                "Nothing was changed.",
            ) from None
        directory = self.path.parent
        try:
            replace_file(self.path, payload, self._mode_for_write(), durable=durable)
        except OSError as error:
            raise StoreError(
                self.path, _write_problem(error, self.path), "Nothing already saved was changed."
            ) from None
        # The new file is in place: a folder that can't be fsynced doesn't undo the save.
        if durable:
            with suppress(OSError):
                _fsync_directory(directory)
        return payload

    def _mode_for_write(self) -> int:
        """Keep the mode of a file the app wrote before (the user may have set up sharing);
        a file made empty beforehand (say with `touch`, 0644) becomes private on first write."""
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return new_file_mode(self.path.parent)
        if info.st_size == 0:
            return new_file_mode(self.path.parent)
        return info.st_mode & 0o777


def _prepare_lock_file(lock_path: Path) -> None:
    """Create the lock file with the folder's mode for new files (private, or group-shared),
    and give an existing one of ours that mode too: otherwise the partner's account in a
    shared folder couldn't take the lock at all."""
    mode = new_file_mode(lock_path.parent)
    try:
        info = os.stat(lock_path)
    except FileNotFoundError:
        with suppress(OSError):
            fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            os.close(fd)
            os.chmod(lock_path, mode)  # os.open's mode is filtered by the umask
        return
    except OSError:
        return
    if info.st_mode & 0o777 != mode and info.st_uid == os.getuid():
        with suppress(OSError):
            os.chmod(lock_path, mode)


@contextmanager
def hold(lock: StoreLock, path: Path) -> Iterator[None]:
    """Hold the store's lock, saying plainly what to do when it can't be had."""
    try:
        ensure_private_dir(path.parent)
    except OSError as error:
        raise StoreError(
            path,
            f"its folder could not be created ({error.strerror})",
            "Check the path, or choose another file with --data PATH.",
        ) from None
    _prepare_lock_file(Path(lock.lock_file))
    from filelock import Timeout

    try:
        with lock:
            yield
    except Timeout:
        raise StoreError(
            path,
            f"another program has held its lock ({lock.lock_file}) for over "
            f"{LOCK_TIMEOUT_SECONDS} seconds",
            "If no other facilitator is running, remove that lock file and try again.",
        ) from None
    except PermissionError:
        raise StoreError(
            path,
            f"you may not write in its folder {path.parent}, so nothing can be saved",
            "Make the folder writable for you (or use another file with --data PATH); "
            "what is on screen stays there meanwhile.",
        ) from None


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


def _write_problem(error: OSError, path: Path) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full, so the latest change could not be saved"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"you may not write in its folder {path.parent}, so the latest change could not "
            "be saved; make the folder writable for you"
        )
    return f"the latest change could not be saved ({error.strerror})"

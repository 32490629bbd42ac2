"""Who else has the data open: one small file per running screen, refreshed now and then.

Each running app writes `<stem>.presence/<client>.json` and rewrites it every few seconds;
the others list the folder. A file not refreshed for a while, or whose process is gone,
means that screen has closed (or lost its connection).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

from facilitator.domain.record import record
from facilitator.store.storage import AtomicJSONStorage, ensure_private_dir

HEARTBEAT_SECONDS = 5.0
GONE_AFTER_SECONDS = 20.0

_OPEN_HERE: set[str] = set()
"""Screens open in this process: a file with this process's pid is alive only if listed here
(two apps share a process only in tests, and a crashed one must not look alive)."""


@record
class Screen:
    """Another running app on the same data."""

    client: str
    label: str
    pid: int
    host: str


def default_label(environ: dict[str, str] | None = None) -> str:
    """How other screens name this one: the account and where it runs."""
    env = os.environ if environ is None else environ
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "someone"
    if env.get("TEXTUAL_DRIVER", "").endswith("WebDriver") or "TEXTUAL_WEB" in env:
        return f"{user}'s browser"
    tty = ""
    with contextlib.suppress(OSError, AttributeError):
        tty = os.ttyname(sys.stdin.fileno()).removeprefix("/dev/")
    return f"{user}'s terminal" + (f" ({tty})" if tty else "")


def presence_dir(data_path: Path) -> Path:
    return data_path.with_name(data_path.stem + ".presence")


class Presence:
    def __init__(self, data_path: Path, client: str, label: str) -> None:
        self.directory = presence_dir(data_path)
        self.client = client
        self.label = label
        self.host = socket.gethostname()
        self._path = self.directory / f"{client}.json"
        self._storage = AtomicJSONStorage(self._path)

    def beat(self, now: datetime | None = None) -> None:
        """Say this screen is still open."""
        _OPEN_HERE.add(self.client)
        ensure_private_dir(self.directory)
        moment = now or datetime.now(UTC)
        # Not flushed to disk: a beat is only "still open", and a crash needs no record of it.
        self._storage.write_file(
            {
                "screen": {
                    "client": {
                        "client": self.client,
                        "label": self.label,
                        "pid": os.getpid(),
                        "host": self.host,
                        "seen": moment.isoformat(),
                    }
                }
            },
            durable=False,
        )

    def leave(self) -> None:
        self.forget()
        with contextlib.suppress(OSError):
            self._path.unlink()

    def forget(self) -> None:
        """Stop counting as open in this process (its file stays, as after a crash)."""
        _OPEN_HERE.discard(self.client)

    def others(self, now: datetime | None = None) -> list[Screen]:
        """The other screens open now, oldest first; stale files are tidied away."""
        moment = now or datetime.now(UTC)
        found: list[tuple[datetime, Screen]] = []
        try:
            files = list(self.directory.glob("*.json"))
        except OSError:
            return []
        for path in files:
            if path == self._path:
                continue
            screen, seen = _read(path)
            if screen is None or seen is None:
                continue
            alive = (moment - seen).total_seconds() < GONE_AFTER_SECONDS and (
                screen.host != self.host
                or (
                    screen.client in _OPEN_HERE
                    if screen.pid == os.getpid()
                    else _running(screen.pid)
                )
            )
            if alive:
                found.append((seen, screen))
            elif (moment - seen).total_seconds() > GONE_AFTER_SECONDS * 3:
                with contextlib.suppress(OSError):
                    path.unlink()
        return [screen for _, screen in sorted(found, key=lambda item: item[1].client)]


def _read(path: Path) -> tuple[Screen | None, datetime | None]:
    try:
        doc = json.loads(path.read_bytes())["screen"]["client"]
        seen = datetime.fromisoformat(doc["seen"])
        if seen.tzinfo is None:
            return None, None
        return Screen(
            client=str(doc["client"]),
            label=str(doc["label"])[:80],
            pid=int(doc["pid"]),
            host=str(doc["host"]),
        ), seen
    except (OSError, ValueError, KeyError, TypeError):
        return None, None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another account's process: it exists
        return True
    except OSError:
        return False
    return True

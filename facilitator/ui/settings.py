"""What each person prefers, kept in their own config folder (never in the shared data file):
the theme, and whether the session opens in focus mode."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

from facilitator.domain.record import record
from facilitator.store.errors import StoreError
from facilitator.store.storage import AtomicJSONStorage, ensure_private_dir


@record
class Settings:
    theme: str | None = None
    focus_mode: bool = False

    def but(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def default_settings_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("facilitator", appauthor=False) / "settings.json"


def load_settings(path: Path) -> tuple[Settings, str]:
    """The saved settings, and a message if they couldn't be used (then the defaults)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), ""
    except OSError as error:
        return Settings(), f"Your settings in {path} could not be read ({error.strerror})."
    try:
        doc = json.loads(raw)
        theme = doc.get("theme")
        focus = doc.get("focus_mode", False)
        if theme is not None and not isinstance(theme, str):
            raise ValueError("theme")
        if not isinstance(focus, bool):
            raise ValueError("focus_mode")
    except (ValueError, AttributeError):
        return Settings(), (
            f"Your settings in {path} are not in a shape facilitator reads; the defaults are used."
        )
    return Settings(theme=theme, focus_mode=focus), ""


def save_settings(path: Path, settings: Settings) -> str:
    """Save; a message if that failed (the app goes on with them for this run)."""
    try:
        ensure_private_dir(path.parent)
        AtomicJSONStorage(path).write_file(asdict(settings))
    except (StoreError, OSError) as error:
        return f"Your settings could not be saved: {error}"
    return ""


class Preferences:
    """One person's settings as the app uses them: read once, saved on every change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.settings, self.problem = load_settings(path)

    def change(self, **changes: object) -> str:
        updated = self.settings.but(**changes)
        if updated == self.settings:
            return ""
        self.settings = updated
        return save_settings(self.path, updated)

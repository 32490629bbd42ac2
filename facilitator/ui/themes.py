"""The app's themes: read from the TOML files in themes/ and registered at start-up."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.theme import Theme

DEFAULT_THEME = "facilitator-dark"
_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "warning",
    "error",
    "success",
    "foreground",
    "background",
    "surface",
    "panel",
)


def _theme_files() -> Iterator[Traversable]:
    try:
        folder: Traversable = resources.files("facilitator.themes")
    except ModuleNotFoundError:
        # Running from a source checkout that was never installed: themes/ is at the top.
        folder = Path(__file__).resolve().parents[2] / "themes"
    if folder.is_dir():
        yield from sorted(
            (f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name
        )


def theme_specs() -> list[dict[str, Any]]:
    """Our themes as written in themes/*.toml (no Textual needed: the command line's help
    lists them)."""
    return [tomllib.loads(file.read_text(encoding="utf-8")) for file in _theme_files()]


def theme_names() -> list[str]:
    return [str(spec["name"]) for spec in theme_specs()]


def theme_checks(spec: dict[str, Any]) -> dict[str, Any]:
    """What a theme's `[checks]` table promises beyond every theme's contrast (the tests hold
    it to that): `min_contrast`, `all_bold`, `no_dim`, `colour_vision_safe`."""
    return dict(spec.get("checks", {}))


def load_themes() -> list[Theme]:
    """Textual themes from the TOML files: the base colours, and a `[variables]` table for
    Textual's theme variables (text-muted, footer colours, the highlighted row...)."""
    from textual.theme import Theme

    themes = []
    for spec in theme_specs():
        variables = {str(key): str(value) for key, value in spec.get("variables", {}).items()}
        themes.append(
            Theme(
                name=spec["name"],
                dark=bool(spec.get("dark", True)),
                variables=variables,
                **{key: spec[key] for key in _FIELDS if key in spec},
            )
        )
    return themes

"""The themes ship with the package, register at start-up, and a choice made in the app is
remembered. (That every screen draws, readably, in each of our themes is measured by the tour
in test_snapshots.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AppMaker
from textual.theme import BUILTIN_THEMES

from facilitator.domain.clock import FakeClock
from facilitator.store.repository import Repository
from facilitator.ui.app import make_app
from facilitator.ui.screens.first_run import FirstRunScreen
from facilitator.ui.themes import DEFAULT_THEME, load_themes, theme_names, theme_specs

THEMES = sorted(theme.name for theme in load_themes())


def test_the_themes_are_found() -> None:
    assert {
        "facilitator-dark",
        "facilitator-light",
        "facilitator-screen-share",
        "facilitator-colourblind",
    } <= set(THEMES)
    assert DEFAULT_THEME in THEMES
    assert theme_names() == [theme.name for theme in load_themes()]  # what --help lists


def test_a_theme_file_sets_textual_variables() -> None:
    for spec, theme in zip(theme_specs(), load_themes(), strict=True):
        assert theme.variables == spec.get("variables", {}), theme.name
        assert "checks" not in theme.variables


async def test_the_default_theme_is_used(new_app: AppMaker) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)):
        assert app.theme == DEFAULT_THEME
        assert isinstance(app.screen, FirstRunScreen)


async def test_an_unknown_theme_falls_back(data_path: Path, clock: FakeClock) -> None:
    app = make_app(Repository.open(data_path), clock, theme="no-such-theme")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME


async def test_a_textual_theme_still_works(new_app: AppMaker) -> None:
    """Textual's own themes stay on offer (the command palette lists them), and our styles
    hold in them."""
    assert "textual-light" in BUILTIN_THEMES
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "textual-light"
        await pilot.press(*"Pair", "enter", *"Ana", "enter", *"Ben", "ctrl+s")
        await pilot.press("s", "ctrl+s")
        await pilot.pause()
        assert app.theme == "textual-light"
        assert type(app.screen).__name__ == "SessionScreen"


async def test_the_theme_chosen_is_kept_for_next_time(new_app: AppMaker) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "facilitator-light"  # as the command palette does
        await pilot.pause()
    assert new_app().theme == "facilitator-light"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"theme": "gone-theme"}, "The theme 'gone-theme' you chose last time isn't available"),
        ("not json {", "are not in a shape facilitator reads"),
    ],
)
async def test_a_remembered_theme_that_cant_be_used_falls_back(
    data_path: Path, clock: FakeClock, tmp_path: Path, settings: object, message: str
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(settings if isinstance(settings, str) else json.dumps(settings))
    app = make_app(Repository.open(data_path), clock, settings_path=path, store_thread=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        said = [notification.message for notification in app._notifications]
        assert any(message in text for text in said), said

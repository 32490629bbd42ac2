"""The themes ship with the package, register at start-up, and every screen draws in each."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AppMaker
from textual.widgets import Digits

from facilitator.domain.clock import FakeClock
from facilitator.store.repository import Repository
from facilitator.ui.app import make_app
from facilitator.ui.screens.first_run import FirstRunScreen
from facilitator.ui.themes import DEFAULT_THEME, load_themes

THEMES = sorted(theme.name for theme in load_themes())


def test_the_themes_are_found() -> None:
    assert {"facilitator-dark", "facilitator-light"} <= set(THEMES)
    assert DEFAULT_THEME in THEMES


async def test_the_default_theme_is_used(new_app: AppMaker) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)):
        assert app.theme == DEFAULT_THEME
        assert isinstance(app.screen, FirstRunScreen)


@pytest.mark.parametrize("theme", THEMES)
async def test_a_session_draws_in_each_theme(new_app: AppMaker, theme: str) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await pilot.press(*"Pair", "enter", *"Ana", "enter", *"Ben", "ctrl+s")
        await pilot.press("s", "ctrl+s")
        await pilot.pause()
        assert app.screen.query_one(Digits).value == "01:00"  # the check-in, first
        assert app.theme == theme


async def test_an_unknown_theme_falls_back(data_path: Path, clock: FakeClock) -> None:
    app = make_app(Repository.open(data_path), clock, theme="no-such-theme")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME

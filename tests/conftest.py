"""Shared fixtures. GL tests share one real window for the whole session (arcade's own
tests do the same: GL objects die with their window), on the Xvfb display that
pytest-xvfb starts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyglet
import pytest

pyglet.options.audio = ("silent",)  # no sound device on CI: never open one

REPO = Path(__file__).resolve().parents[1]
LEVELS = REPO / "levels"
SCREENSHOTS = REPO / "docs" / "screenshots"
ARTIFACTS = REPO / "tests" / "artifacts"  # frames captured by tests, to look at by eye


@pytest.fixture(autouse=True)
def user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty profile, never the real one."""
    home = tmp_path / "profile"
    monkeypatch.setenv("COMMAND_GAME_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def default_settings_after() -> Iterator[None]:
    """Settings live in memory for the whole process: a test that changes them (language,
    palette, scale, bindings) must not change what later tests see."""
    yield
    import sys

    settings = sys.modules.get("command_game.settings")
    if settings is None or settings._current is None:
        return
    defaults = settings.Settings()
    if settings._current.model_dump() != defaults.model_dump():
        settings.apply(defaults)


@pytest.fixture(scope="session")
def window() -> Iterator[object]:
    import arcade

    win = arcade.Window(1280, 800, "Kamtibmas tests", visible=True)
    arcade.resources.load_liberation_fonts()
    yield win
    win.close()


@pytest.fixture
def clean_window(window):
    """The session window, reset between tests."""
    window.hide_view()
    window.ctx.reset()
    window.default_camera.use()
    window.clear()
    yield window
    window.hide_view()


@pytest.fixture
def stack(clean_window):
    """A fresh scene stack on the clean window, attached as the game attaches it
    (``window.stack``); emptied afterwards (every scene leaves, none is resumed)."""
    from command_game.scenes.stack import SceneStack

    scenes = clean_window.stack = SceneStack(clean_window)
    yield scenes
    scenes.clear()


def save_frame(window, name: str, folder: Path = ARTIFACTS) -> Path:
    """Captures the current frame to a PNG and returns its path."""
    import arcade

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    # opaque: the framebuffer's alpha is not what the player sees, and viewers blend it
    arcade.get_image(0, 0, *window.get_framebuffer_size()).convert("RGB").save(path)
    return path


def pump(window, frames: int = 1) -> None:
    """Delivers queued window events and draws, as the real loop would."""
    for _ in range(frames):
        window.dispatch_pending_events()
        window.dispatch_events()
        window.dispatch_event("on_draw")
        window.dispatch_pending_events()
        window.flip()



def click(window, widget) -> None:
    """A real left click on a widget's centre, then a frame drawn."""
    import arcade

    x, y = widget.rect.center
    window.dispatch_event("on_mouse_press", x, y, arcade.MOUSE_BUTTON_LEFT, 0)
    window.dispatch_event("on_mouse_release", x, y, arcade.MOUSE_BUTTON_LEFT, 0)
    window.dispatch_pending_events()
    pump(window)

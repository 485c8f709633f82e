"""The player's settings: one JSON file in the user data directory, applied at once.

`load_settings()` reads `userdata.settings_path()`. A file that cannot be used (not
JSON, a field out of range, an older or unknown `version`) never stops the game: it is
copied aside with `storage.backup_file`, defaults take its place on disk, and
`Settings.notice` says what happened so the title screen can tell the player.

`apply(s)` pushes settings into the parts of the game that read them: the language
(`i18n`), the palette and reduced flashing (`render.palette`), key bindings and edge
scrolling (`controls`), the volumes (`sound`, `music`), and the window (fullscreen, size).
The interface scale is read where it is used, through `current()`. Scenes that lay out
text can `subscribe` to be told after every apply (a language change renames buttons).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from command_game.json_input import JsonInputError, parse_json
from command_game.storage import atomic_write_text, backup_file
from command_game.userdata import settings_path

SETTINGS_VERSION = 1
#: Window sizes offered in the settings scene; a hand-edited file may use any size in range.
WINDOW_SIZES: tuple[tuple[int, int], ...] = (
    (1024, 640), (1280, 720), (1280, 800), (1440, 900), (1600, 900), (1920, 1080),
)
UI_SCALES: tuple[int, ...] = (75, 90, 100, 110, 125, 150, 175, 200)
Palette = Literal["default", "colorblind"]


@dataclass(frozen=True)
class Notice:
    """Why the settings were reset: the file, where the old copy went, and the reason."""

    path: Path
    backup: Path | None
    reason: str


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)

    version: Literal[1] = SETTINGS_VERSION
    language: Literal["en", "id"] = "en"
    master_volume: float = Field(default=0.8, ge=0.0, le=1.0)
    effects_volume: float = Field(default=1.0, ge=0.0, le=1.0)
    music_volume: float = Field(default=0.6, ge=0.0, le=1.0)
    fullscreen: bool = False
    window_size: tuple[int, int] = (1280, 800)
    ui_scale: int = Field(default=100, ge=75, le=200, description="percent")
    palette: Palette = "default"
    reduced_flashing: bool = False
    edge_scrolling: bool = True
    key_bindings: dict[str, str] = Field(
        default_factory=dict, description="action -> key, only where it differs from default")
    show_tutorial: bool = Field(default=True, description="offer the first-mission tutorial")
    board_url: str = Field(default="", max_length=300, description="online board; empty: offline")
    player_name: str = Field(default="", max_length=64, description="your name on the board")
    _notice: Notice | None = PrivateAttr(default=None)

    @field_validator("window_size")
    @classmethod
    def _sane_window(cls, size: tuple[int, int]) -> tuple[int, int]:
        width, height = size
        if not (1024 <= width <= 7680 and 640 <= height <= 4320):
            raise ValueError(f"{width}x{height} is outside 1024x640 .. 7680x4320")
        return size

    @property
    def notice(self) -> Notice | None:
        return self._notice

    def notice_text(self) -> str:
        """The notice as one line for the player ("" when there is none)."""
        from command_game.i18n import t

        notice = self._notice
        if notice is None:
            return ""
        if notice.backup is None:
            return t("settings.reset_notice_kept", reason=notice.reason)
        return t("settings.reset_notice", reason=notice.reason, backup=notice.backup.name)

    def effects_gain(self) -> float:
        """The volume to play a sound effect at: master x effects."""
        return self.master_volume * self.effects_volume

    def music_gain(self) -> float:
        return self.master_volume * self.music_volume


_current: Settings | None = None
_listeners: list[Callable[[Settings], None]] = []


def load_settings(path: Path | None = None) -> Settings:
    """Reads the settings file (defaults when there is none) and makes it current."""
    global _current
    target = path or settings_path()
    if not target.exists():
        _current = Settings()
        return _current
    if not target.is_file():
        _current = Settings()
        _current._notice = Notice(target, None, "it is a folder, not a settings file; left "
                                  "as it is (`command-game settings reset` moves it aside)")
        return _current
    try:
        _current = parse_settings(target.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        _current = _replace_unusable(target, _reason(exc))
    return _current


def parse_settings(text: str) -> Settings:
    """Settings from the file's text; ValueError (with the field and the fix) when unusable."""
    data: Any = parse_json(text)
    if not isinstance(data, dict):
        raise ValueError("the file does not hold a JSON object")
    version = data.get("version")
    if version != SETTINGS_VERSION:
        raise ValueError(f"version {version!r} is not the current settings version "
                         f"{SETTINGS_VERSION}")
    return Settings.model_validate(data)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(file)"
        return f"field '{where}': {first['msg']} ({exc.error_count()} problem(s))"
    if isinstance(exc, JsonInputError) and not exc.positioned:
        return f"{exc.reason}: {exc.fix}"
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
    return str(exc)


def _replace_unusable(target: Path, reason: str) -> Settings:
    """Keeps the unusable file as a backup, writes defaults in its place, and says so.
    When no backup can be made the file is left alone: defaults apply for this session."""
    fresh = Settings()
    try:
        backup: Path | None = backup_file(target)
    except OSError as exc:
        fresh._notice = Notice(target, None, f"{reason}; left as it is (no backup: {exc})")
        return fresh
    try:
        save_settings(fresh, target)
    except OSError as exc:
        reason = f"{reason}; defaults could not be written either: {exc}"
    fresh._notice = Notice(target, backup, reason)
    return fresh


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Writes the settings atomically and makes them current."""
    global _current
    target = path or settings_path()
    atomic_write_text(target, settings.model_dump_json(indent=2) + "\n")
    _current = settings
    return target


def current() -> Settings:
    """The settings in force (loaded from the file on first use)."""
    return _current if _current is not None else load_settings()


def subscribe(listener: Callable[[Settings], None]) -> Callable[[], None]:
    """Calls `listener(settings)` after every apply; returns a function that unsubscribes."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def apply(settings: Settings, window: Any = None) -> list[str]:
    """Puts settings into effect everywhere at once. Returns problems that were skipped
    (a key binding that cannot apply), never raises for them."""
    global _current
    from command_game import controls, i18n, music, sound
    from command_game.render import palette

    _current = settings
    i18n.set_language(settings.language)
    palette.set_palette(settings.palette)
    palette.set_reduced_flashing(settings.reduced_flashing)
    controls.set_edge_scrolling(settings.edge_scrolling)
    sound.set_volume(settings.effects_gain())
    music.set_volume(settings.music_gain())
    problems = controls.set_overrides(settings.key_bindings)
    if window is not None:
        apply_window(settings, window)
    for listener in list(_listeners):
        listener(settings)
    return problems


def apply_window(settings: Settings, window: Any) -> None:
    """Fullscreen or windowed at the chosen size; only touches what differs."""
    if bool(window.fullscreen) != settings.fullscreen:
        window.set_fullscreen(settings.fullscreen)
    if not settings.fullscreen and tuple(window.get_size()) != settings.window_size:
        window.set_size(*settings.window_size)


def update(window: Any = None, **changes: Any) -> Settings:
    """Changes some settings, applies and saves them: what the settings scene does on
    every control. Raises pydantic's ValidationError for a value out of range."""
    changed = current().model_copy(update=changes)
    Settings.model_validate(changed.model_dump())  # model_copy does not validate
    apply(changed, window)
    save_settings(changed)  # after apply: an OSError here leaves the change in effect
    return changed

"""Background music: a quiet night-time pad under the whole game, made by the game itself.

Only WAV decodes everywhere and arcade ships no fitting music, so the loop is
synthesised once with numpy (four slow chords of soft sine voices) and cached as a WAV in
the user data directory, like the sound effects. The music volume in Settings (master x
music) sets the player's volume at once. With no audio device, nothing plays and the
game goes on.
"""

from __future__ import annotations

import io
import logging
import wave
from pathlib import Path
from typing import Any

import numpy as np

from command_game import userdata
from command_game.storage import atomic_write_bytes

log = logging.getLogger(__name__)

RATE = 22050
CHORD_S = 6.0
#: A minor, G major, F major, E minor: calm, unresolved, night-like.
CHORDS: tuple[tuple[float, ...], ...] = (
    (110.00, 164.81, 220.00, 261.63),
    (98.00, 146.83, 196.00, 246.94),
    (87.31, 130.81, 174.61, 220.00),
    (82.41, 123.47, 164.81, 196.00),
)
LOOP_S = CHORD_S * len(CHORDS)

_volume = 0.48
_player: Any = None
_broken: str | None = None


def synthesise() -> bytes:
    """The loop as 16-bit mono WAV bytes."""
    t = np.arange(int(RATE * CHORD_S)) / RATE
    fade = np.minimum(1.0, np.minimum(t / 1.5, (CHORD_S - t) / 1.5))  # soft chord changes
    parts = []
    for chord in CHORDS:
        voices = [np.sin(2 * np.pi * f * t) + 0.3 * np.sin(2 * np.pi * f * 1.003 * t)
                  for f in chord]
        swell = 0.75 + 0.25 * np.sin(2 * np.pi * t / CHORD_S)
        parts.append(np.sum(voices, axis=0) * fade * swell)
    samples = np.concatenate(parts)
    samples *= 0.22 / np.max(np.abs(samples))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes((samples * 32767).astype("<i2").tobytes())
    return out.getvalue()


def loop_path() -> Path:
    """Writes the loop into the cache once and returns its path."""
    folder = userdata.data_dir() / "cache" / "sounds"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "night_loop.wav"
    if not path.exists():
        atomic_write_bytes(path, synthesise())
    return path


def set_volume(volume: float) -> None:
    """0 mutes; applies to the playing loop at once (Settings calls this)."""
    global _volume
    _volume = max(0.0, min(1.0, float(volume)))
    if _player is not None:
        _player.volume = _volume


def volume() -> float:
    return _volume


def start() -> bool:
    """Starts the loop (once); False when audio is unavailable."""
    global _player, _broken
    if _player is not None:
        return True
    if _broken is not None:
        return False
    try:
        import arcade

        _player = arcade.play_sound(arcade.load_sound(loop_path()), volume=_volume, loop=True)
    except Exception as exc:  # no device, no driver, read-only disk: play on in silence
        _broken = f"{type(exc).__name__}: {exc}"
        log.info("music off: %s", _broken)
        return False
    return _player is not None


def stop() -> None:
    global _player
    if _player is not None:
        _player.pause()
        _player.delete()
        _player = None


def playing() -> bool:
    return _player is not None

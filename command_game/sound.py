"""Sound effects for the map's events, made by the game itself.

Only WAV decodes everywhere (no ffmpeg), and arcade's bundled sounds do not say "radio
alert" or "incident resolved", so each effect is synthesised once with numpy and written
as a small WAV into the user data cache. Audio is a courtesy: when there is no device,
no driver or no disk, every call here does nothing and logs why once.
"""

from __future__ import annotations

import io
import logging
import wave
from pathlib import Path

import numpy as np

from command_game import userdata
from command_game.storage import atomic_write_bytes

log = logging.getLogger(__name__)

RATE = 22050

#: Effect name -> list of (frequency Hz, seconds, waveform). 0 Hz is a rest.
EFFECTS: dict[str, list[tuple[float, float, str]]] = {
    "incident": [(880, 0.09, "square"), (0, 0.04, "sine"), (660, 0.12, "square")],
    "escalated": [(330, 0.14, "saw"), (247, 0.22, "saw")],
    "resolved": [(523, 0.08, "sine"), (659, 0.08, "sine"), (784, 0.16, "sine")],
    "arrived": [(1046, 0.05, "sine")],
    "order": [(740, 0.04, "square")],
    "objective": [(523, 0.1, "sine"), (784, 0.1, "sine"), (1046, 0.22, "sine")],
    "failed": [(392, 0.14, "square"), (311, 0.26, "square")],
    "won": [(523, 0.12, "sine"), (659, 0.12, "sine"), (784, 0.12, "sine"), (1046, 0.4, "sine")],
    "lost": [(392, 0.2, "saw"), (349, 0.2, "saw"), (262, 0.5, "saw")],
}
#: World event kind -> effect.
EVENT_EFFECTS: dict[str, str] = {
    "incident_opened": "incident",
    "incident_revealed": "incident",
    "incident_escalated": "escalated",
    "incident_resolved": "resolved",
    "unit_arrived": "arrived",
    "objective_met": "objective",
    "objective_failed": "failed",
    "riot": "escalated",
    "command_rejected": "failed",
    "mission_won": "won",
    "mission_lost": "lost",
}

_volume = 0.6
_loaded: dict[str, object] = {}
_broken: str | None = None


def set_volume(volume: float) -> None:
    """0 mutes; the settings screen calls this."""
    global _volume
    _volume = max(0.0, min(1.0, float(volume)))


def synthesise(effect: str) -> bytes:
    """The effect as 16-bit mono WAV bytes."""
    parts = []
    for freq, seconds, wave_kind in EFFECTS[effect]:
        t = np.arange(int(RATE * seconds)) / RATE
        phase = freq * t
        if freq <= 0:
            tone = np.zeros_like(t)
        elif wave_kind == "square":
            tone = np.sign(np.sin(2 * np.pi * phase)) * 0.5
        elif wave_kind == "saw":
            tone = 2.0 * (phase - np.floor(phase + 0.5)) * 0.6
        else:
            tone = np.sin(2 * np.pi * phase)
        envelope = np.minimum(1.0, np.minimum(t / 0.005, (seconds - t) / 0.03).clip(0))
        parts.append(tone * envelope)
    samples = (np.concatenate(parts) * 0.45 * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(samples.tobytes())
    return out.getvalue()


def effect_path(effect: str) -> Path:
    """Writes the effect's WAV into the cache once and returns its path."""
    folder = userdata.data_dir() / "cache" / "sounds"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{effect}.wav"
    if not path.exists():
        atomic_write_bytes(path, synthesise(effect))
    return path


def play(effect: str) -> bool:
    """Plays an effect; False (and silence) when audio is unavailable or muted."""
    global _broken
    if _broken is not None or _volume <= 0 or effect not in EFFECTS:
        return False
    try:
        import arcade

        sound = _loaded.get(effect)
        if sound is None:
            sound = arcade.load_sound(effect_path(effect))
            _loaded[effect] = sound
        arcade.play_sound(sound, volume=_volume)
        return True
    except Exception as exc:  # no device, no driver, read-only disk: stay silent
        _broken = f"{type(exc).__name__}: {exc}"
        log.info("sound effects off: %s", _broken)
        return False


def play_for_events(events) -> str | None:
    """Plays the most important effect among a tick's events (one at a time, no din)."""
    ranked = [EVENT_EFFECTS[e.kind] for e in events if e.kind in EVENT_EFFECTS]
    if not ranked:
        return None
    order = list(EFFECTS)
    best = max(ranked, key=lambda name: _PRIORITY.get(name, order.index(name)))
    play(best)
    return best


_PRIORITY = {"won": 100, "lost": 100, "escalated": 50, "failed": 45, "incident": 40,
             "objective": 35, "resolved": 30, "arrived": 5, "order": 1}

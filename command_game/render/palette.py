"""Colours for agitation and tension, under the player's chosen palette.

Two palettes, both with luminance that rises steadily from calm to agitated, so the map
still reads when the colour is lost (greyscale print, a screenshot in a chat, or a
player who cannot tell red from green):

  default     heat: plum -> red -> orange -> pale yellow (an inferno-like ramp)
  colorblind  cividis-like: navy -> grey -> yellow, designed to look the same to
              people with deuteranopia, protanopia and tritanopia

A palette is a 256-entry lookup table built once; colouring ten thousand agents is one
numpy index. Settings choose the palette and reduced flashing through `set_palette` and
`set_reduced_flashing` (the settings module calls them in `apply`), so this module
depends on nothing but numpy.
"""

from __future__ import annotations

import math

import numpy as np

#: Control points (position 0..1, r, g, b), interpolated linearly into a table.
_RAMPS: dict[str, tuple[tuple[float, int, int, int], ...]] = {
    "default": (
        (0.00, 96, 20, 110),
        (0.15, 130, 32, 107),
        (0.30, 169, 46, 94),
        (0.45, 204, 66, 72),
        (0.60, 232, 98, 45),
        (0.75, 248, 142, 18),
        (0.90, 250, 196, 48),
        (1.00, 252, 240, 150),
    ),
    "colorblind": (
        (0.00, 0, 52, 110),
        (0.15, 42, 72, 108),
        (0.30, 85, 91, 109),
        (0.45, 114, 113, 116),
        (0.60, 149, 143, 120),
        (0.75, 188, 175, 111),
        (0.90, 230, 212, 86),
        (1.00, 253, 234, 69),
    ),
}
PALETTES: tuple[str, ...] = tuple(_RAMPS)
_TABLE_SIZE = 256

_current = "default"
_reduced_flashing = False


def _build_table(name: str) -> np.ndarray:
    points = np.array(_RAMPS[name], dtype=np.float64)
    xs = np.linspace(0.0, 1.0, _TABLE_SIZE)
    table = np.empty((_TABLE_SIZE, 4), dtype=np.uint8)
    for channel in range(3):
        table[:, channel] = np.rint(np.interp(xs, points[:, 0], points[:, channel + 1]))
    table[:, 3] = 255
    table.setflags(write=False)
    return table


_TABLES: dict[str, np.ndarray] = {name: _build_table(name) for name in PALETTES}


def set_palette(name: str) -> None:
    global _current
    if name not in _RAMPS:
        raise ValueError(f"unknown palette '{name}': use one of {', '.join(PALETTES)}")
    _current = name


def palette() -> str:
    return _current


def table(name: str | None = None) -> np.ndarray:
    """The (256, 4) uint8 lookup table of a palette (the current one by default)."""
    return _TABLES[name or _current]


def agitation_colors(values: np.ndarray, alpha: int = 255) -> np.ndarray:
    """RGBA uint8 colours, shape (N, 4), for agitation values in 0..1 (clipped)."""
    v = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0)
    index = np.rint(np.clip(v, 0.0, 1.0) * (_TABLE_SIZE - 1)).astype(np.intp)
    colors = _TABLES[_current][index]
    if alpha != 255:
        colors[:, 3] = alpha
    return colors


def tension_color(tension: float, alpha: int = 255) -> tuple[int, int, int, int]:
    """The colour of a site's tension, 0..100, on the same ramp as agitation."""
    value = 0.0 if math.isnan(tension) else min(max(tension / 100.0, 0.0), 1.0)
    r, g, b, _ = _TABLES[_current][round(value * (_TABLE_SIZE - 1))]
    return int(r), int(g), int(b), alpha


def lightness(colors: np.ndarray) -> np.ndarray:
    """Perceived lightness (CIE L*, 0..100) of RGB(A) uint8 rows: what is left in grey."""
    c = np.asarray(colors, dtype=np.float64)[..., :3] / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    y = linear @ np.array([0.2126, 0.7152, 0.0722])
    return np.where(y > 216 / 24389, 116.0 * np.cbrt(y) - 16.0, y * 24389 / 27)


def set_reduced_flashing(on: bool) -> None:
    global _reduced_flashing
    _reduced_flashing = bool(on)


def reduced_flashing() -> bool:
    """True when the player asked for markers that do not pulse or blink."""
    return _reduced_flashing


def pulse(time_s: float, rate_hz: float = 1.0, low: float = 0.35) -> float:
    """A pulsing marker's strength, low..1, at a moment; steady 1.0 with reduced flashing.

    Multiply a marker's alpha or radius by it. The pulse is a smooth sine at most
    `rate_hz`, well under the 3 flashes a second that photosensitivity guidance warns of.
    """
    if _reduced_flashing:
        return 1.0
    rate = min(rate_hz, 2.0)
    return low + (1.0 - low) * 0.5 * (1.0 + math.sin(2.0 * math.pi * rate * time_s))

"""Labels that are made once and touched only when what they show changes.

``arcade.Text`` re-lays-out its glyphs whenever its string, size or colour is set, which
costs as much as ``draw_text``. The HUD asks for the same slots every frame (``put``),
and the pool only writes the properties that differ; slots not asked for this frame are
hidden, not destroyed, so a roster row that comes back costs nothing. All labels share
one pyglet ``Batch``: one ``draw()`` for the whole HUD.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import arcade
import pyglet

from command_game.render import layout, ui_scale

FONT = ("Liberation Sans", "Arial")
FONT_MONO = ("Liberation Mono", "Courier New")


class TextPool:
    def __init__(self) -> None:
        self.batch = pyglet.graphics.Batch()
        self.slots: dict[str, Label] = {}
        self._asked: dict[str, tuple[str, float | None]] = {}  # text and clip width asked
        self._used: set[str] = set()
        self.scale = 1.0  # the pixel grid the labels were last put on (see Label)

    def begin(self) -> None:
        self._used = set()

    def put(self, key: str, text: str, x: float, y: float,
            color: Sequence[int] = (230, 236, 245, 255), size: float = 11,
            anchor_x: str = "left", anchor_y: str = "baseline", bold: bool = False,
            mono: bool = False, width: int | None = None,
            clip: float | None = None) -> Label:
        """Shows ``text`` in slot ``key`` this frame, changing only what differs; with
        ``clip``, cut with an ellipsis to that many pixels (worked out once per text)."""
        self._used.add(key)
        x, y = ui_scale.snap(x), ui_scale.snap(y)  # whole pixels: no glyph loses a row
        self.scale = ui_scale.grid()
        label = self.slots.get(key)
        color = tuple(color)
        if label is None:
            label = Label(text, x, y, color, font_size=size, anchor_x=anchor_x,
                          anchor_y=anchor_y, bold=bold, batch=self.batch,
                          font_name=FONT_MONO if mono else FONT, width=width,
                          multiline=width is not None)
            label.rescale(self.scale)
            self.slots[key] = label
            self._asked[key] = (text, clip)
            fit_ellipsis(label, text, clip)
            return label
        label.rescale(self.scale)
        if self._asked.get(key) != (text, clip) or label.font_size != size:
            self._asked[key] = (text, clip)
            label.font_size = size
            fit_ellipsis(label, text, clip)
        if label.x != x or label.y != y:
            label.position = (x, y)
        if tuple(label.color) != color:
            label.color = color
        if not label.visible:
            label.visible = True
        return label

    def end(self) -> None:
        """Hides the slots nobody asked for this frame."""
        for key, label in self.slots.items():
            if key not in self._used and label.visible:
                label.visible = False

    def draw(self) -> None:
        with ui_scale.pixels(self.scale):
            self.batch.draw()
        if layout.active() is not None:
            layout.record_texts(label for label in self.slots.values() if label.visible)


def fit_ellipsis(label: arcade.Text, text: str, width: float | None) -> None:
    """Sets ``text``, cut with an ellipsis to ``width`` pixels when it is wider (the
    longest prefix that fits, found by halving)."""
    if label.text != text:
        label.text = text
    if width is None or label.content_width <= width:
        return
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        label.text = text[:mid].rstrip() + "\u2026"
        if label.content_width <= width:
            low = mid
        else:
            high = mid - 1
    label.text = text[:low].rstrip() + "\u2026"


class Label(arcade.Text):
    """An arcade.Text laid out in the units of the ``ui_scale.pixel_grid`` it is drawn
    in, its glyphs made at the window's pixels.

    The HUD, debrief, board and editor lay out in interface units through a camera that
    scales them up; a text drawn through it would be its base-size bitmap magnified
    (soft at 125 % and 150 %). This one keeps its position, size and measurements in
    those units for its callers, while its pyglet label holds them times the scale, and
    draws at the window's pixels (``ui_scale.pixels``). It tells the layout recorder
    where it went."""

    def __init__(self, text: str, x: float, y: float, *args: Any, **kwargs: Any) -> None:
        super().__init__(text, x, y, *args, **kwargs)
        self._s = 1.0  # pixels per unit the pyglet label is laid out at
        self._unit = {"x": float(x), "y": float(y), "size": float(self.label.font_size),
                      "width": self.label.width}

    def _current(self) -> Label:
        """Measured inside a ``pixel_grid``: laid out at that scale first, so a text cut
        or placed by its width is cut at the size it is drawn at."""
        scale = ui_scale.grid()
        if scale != 1.0:
            self.rescale(scale)
        return self

    def rescale(self, scale: float) -> None:
        """Lays the glyphs out again at ``scale`` pixels per unit (once per change)."""
        if scale == self._s:
            return
        self._s = scale
        unit, label = self._unit, self.label
        label.begin_update()
        label.font_size = unit["size"] * scale
        if unit["width"]:
            label.width = unit["width"] * scale
        label.position = (unit["x"] * scale, unit["y"] * scale, label.z)
        label.end_update()

    @property
    def x(self) -> float:
        return self._unit["x"]

    @x.setter
    def x(self, x: float) -> None:
        self.position = (x, self._unit["y"])

    @property
    def y(self) -> float:
        return self._unit["y"]

    @y.setter
    def y(self, y: float) -> None:
        self.position = (self._unit["x"], y)

    @property
    def position(self) -> tuple[float, float]:
        return self._unit["x"], self._unit["y"]

    @position.setter
    def position(self, point: Sequence[float]) -> None:
        x, y = point[0], point[1]
        if (x, y) != (self._unit["x"], self._unit["y"]):
            self._unit["x"], self._unit["y"] = x, y
            self.label.position = (x * self._s, y * self._s, self.label.z)

    @property
    def font_size(self) -> float:
        return self._unit["size"]

    @font_size.setter
    def font_size(self, size: float) -> None:
        if size != self._unit["size"]:
            self._unit["size"] = size
            self.label.font_size = size * self._s

    @property
    def width(self) -> float | None:
        return self._unit["width"]

    @width.setter
    def width(self, width: float | None) -> None:
        if width != self._unit["width"]:
            self._unit["width"] = width
            self.label.width = width * self._s if width else width

    @property
    def content_width(self) -> float:
        return self._current().label.content_width / self._s

    @property
    def content_height(self) -> float:
        return self._current().label.content_height / self._s

    @property
    def content_size(self) -> tuple[float, float]:
        return self.content_width, self.content_height

    @property
    def left(self) -> float:
        return self._current().label.left / self._s

    @property
    def right(self) -> float:
        return self._current().label.right / self._s

    @property
    def bottom(self) -> float:
        return self._current().label.bottom / self._s

    @property
    def top(self) -> float:
        return self._current().label.top / self._s

    @property
    def rect(self) -> arcade.Rect:
        return arcade.LRBT(self.left, self.right, self.bottom, self.top)

    def draw(self) -> None:
        scale = ui_scale.grid()
        self.rescale(scale)
        with ui_scale.pixels(scale):
            super().draw()
        layout.record_text(self)

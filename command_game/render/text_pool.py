"""Labels that are made once and touched only when what they show changes.

``arcade.Text`` re-lays-out its glyphs whenever its string, size or colour is set, which
costs as much as ``draw_text``. The HUD asks for the same slots every frame (``put``),
and the pool only writes the properties that differ; slots not asked for this frame are
hidden, not destroyed, so a roster row that comes back costs nothing. All labels share
one pyglet ``Batch``: one ``draw()`` for the whole HUD.
"""

from __future__ import annotations

from collections.abc import Sequence

import arcade
import pyglet

from command_game.render import layout, ui_scale

FONT = ("Liberation Sans", "Arial")
FONT_MONO = ("Liberation Mono", "Courier New")


class TextPool:
    def __init__(self) -> None:
        self.batch = pyglet.graphics.Batch()
        self.slots: dict[str, arcade.Text] = {}
        self._asked: dict[str, tuple[str, float | None]] = {}  # text and clip width asked
        self._used: set[str] = set()

    def begin(self) -> None:
        self._used = set()

    def put(self, key: str, text: str, x: float, y: float,
            color: Sequence[int] = (230, 236, 245, 255), size: float = 11,
            anchor_x: str = "left", anchor_y: str = "baseline", bold: bool = False,
            mono: bool = False, width: int | None = None,
            clip: float | None = None) -> arcade.Text:
        """Shows ``text`` in slot ``key`` this frame, changing only what differs; with
        ``clip``, cut with an ellipsis to that many pixels (worked out once per text)."""
        self._used.add(key)
        x, y = ui_scale.snap(x), ui_scale.snap(y)  # whole pixels: no glyph loses a row
        label = self.slots.get(key)
        color = tuple(color)
        if label is None:
            label = arcade.Text(text, x, y, color, font_size=size, anchor_x=anchor_x,
                                anchor_y=anchor_y, bold=bold, batch=self.batch,
                                font_name=FONT_MONO if mono else FONT, width=width,
                                multiline=width is not None)
            self.slots[key] = label
            self._asked[key] = (text, clip)
            fit_ellipsis(label, text, clip)
            return label
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
    """An arcade.Text drawn on its own that tells the layout recorder where it went."""

    def draw(self) -> None:
        super().draw()
        layout.record_text(self)

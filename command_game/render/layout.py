"""The layout recorder: where the game's own drawing put every text, panel and button.

Off (``None``) in play. A test switches it on (``start()``), draws a frame and reads back
the boxes that the text pool, the menu helpers and the HUD reported while drawing, in
window pixels. The layout test asserts on these boxes (a text leaving its panel, two
texts overlapping, a button off the window) instead of guessing from pixels.

Drawing code that works in other units (the HUD draws in interface units through a
scaling camera) wraps its drawing in ``scaled(s)`` so the boxes come out in pixels.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

Box = tuple[float, float, float, float]  # left, bottom, right, top in window pixels


@dataclass
class TextBox:
    box: Box
    text: str
    anchor: tuple[float, float]  # the point the text hangs from (decides its panel)
    owner: str = ""


@dataclass
class ButtonBox:
    box: Box
    text: str
    text_width: float = 0.0  # the label's width, to check it fits the button
    owner: str = ""


@dataclass
class Recording:
    texts: list[TextBox] = field(default_factory=list)
    panels: list[tuple[Box, str, str]] = field(default_factory=list)  # box, kind, owner
    buttons: list[ButtonBox] = field(default_factory=list)
    scale: float = 1.0
    owner: str = ""

    def cover(self) -> None:
        """An overlay dimmed everything drawn so far: only what comes next is read."""
        self.texts.clear()
        self.panels.clear()
        self.buttons.clear()


_current: Recording | None = None


def start() -> Recording:
    global _current
    _current = Recording()
    return _current


def stop() -> None:
    global _current
    _current = None


def active() -> Recording | None:
    return _current


@contextmanager
def paused() -> Iterator[None]:
    """Drawing inside is not recorded (a pass made only to lay something out)."""
    global _current
    held, _current = _current, None
    try:
        yield
    finally:
        _current = held


@contextmanager
def scaled(scale: float, owner: str = "") -> Iterator[None]:
    """Boxes recorded inside are in units of 1/scale pixels (the HUD's interface units)."""
    rec = _current
    if rec is None:
        yield
        return
    before = (rec.scale, rec.owner)
    rec.scale, rec.owner = scale, owner or rec.owner
    try:
        yield
    finally:
        rec.scale, rec.owner = before


def _px(box: Box) -> Box:
    s = _current.scale
    return (box[0] * s, box[1] * s, box[2] * s, box[3] * s)


def text_box(label: Any) -> Box:
    """The box a drawn arcade.Text covers, from its layout (not from its pixels)."""
    width = label.content_width
    left = label.left
    if label.multiline and label.width:
        slack = label.width - width
        left += {"left": 0, "center": slack / 2, "right": slack}.get(label.align, 0)
    return (left, label.bottom, left + width, label.bottom + label.content_height)


def record_text(label: Any) -> None:
    if _current is None or not label.text or not getattr(label, "visible", True):
        return
    box = _px(text_box(label))
    s = _current.scale
    _current.texts.append(TextBox(box, label.text, (label.x * s, label.y * s),
                                  _current.owner))


def record_texts(labels: Iterable[Any]) -> None:
    if _current is not None:
        for label in labels:
            record_text(label)


def record_panel(left: float, bottom: float, width: float, height: float,
                 kind: str = "panel") -> None:
    if _current is not None:
        _current.panels.append((_px((left, bottom, left + width, bottom + height)), kind,
                                _current.owner))


def record_button(left: float, bottom: float, width: float, height: float, text: str = "",
                  text_width: float = 0.0) -> None:
    if _current is not None:
        box = _px((left, bottom, left + width, bottom + height))
        _current.buttons.append(ButtonBox(box, text, text_width * _current.scale,
                                          _current.owner))


def current_text(text: str, left: float, bottom: float, width: float, height: float) -> None:
    """A text whose box the caller knows (a widget's label, drawn in its own surface)."""
    if _current is not None and text:
        box = _px((left, bottom, left + width, bottom + height))
        _current.texts.append(TextBox(box, text, (box[0] + 1, box[1] + 1), _current.owner))


def occlude(left: float, bottom: float, width: float, height: float) -> None:
    """An opaque popup (a context menu) is drawn here: what was recorded under it is
    hidden, so it neither overlaps nor counts."""
    if _current is None:
        return
    box = _px((left, bottom, left + width, bottom + height))

    def under(other: Box) -> bool:
        return other[0] < box[2] and box[0] < other[2] and other[1] < box[3] and box[1] < other[3]

    _current.texts[:] = [t for t in _current.texts if not under(t.box)]
    _current.buttons[:] = [b for b in _current.buttons if not under(b.box)]

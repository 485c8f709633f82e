"""The map camera: a ``Camera2D`` that pans and zooms over a map in metres.

Kept apart from the scene so the editor and the map scene pan and zoom the same way,
and so the maths (fit, zoom about the cursor, clamp to the map) is testable.
"""

from __future__ import annotations

import arcade

MIN_ZOOM_FACTOR = 0.5  # relative to the zoom that fits the whole map
MAX_ZOOM_FACTOR = 12.0
MAX_ZOOM_PX_PER_M = 40.0  # on any map, zoom in until one person (0.4 m) is 16 px across


class MapCamera:
    """World metres under a ``Camera2D``; ``zoom`` is screen pixels per metre."""

    def __init__(self, map_width_m: float, map_height_m: float,
                 viewport: tuple[int, int, int, int] | None = None) -> None:
        self.camera = arcade.Camera2D()
        self.map_size = (map_width_m, map_height_m)
        if viewport is not None:
            self.set_viewport(viewport)
        self.fit()

    @property
    def position(self) -> tuple[float, float]:
        return (float(self.camera.position[0]), float(self.camera.position[1]))

    @property
    def zoom(self) -> float:
        return float(self.camera.zoom)

    def set_viewport(self, viewport: tuple[int, int, int, int]) -> None:
        """(left, bottom, width, height) in window pixels the map is drawn into."""
        self.camera.viewport = arcade.LBWH(*viewport)
        # set the unzoomed projection: Camera2D.projection's setter multiplies by the zoom
        self.camera.projection_data.rect = arcade.LRBT(-viewport[2] / 2, viewport[2] / 2,
                                                       -viewport[3] / 2, viewport[3] / 2)

    def fit_zoom(self, inset: tuple[float, float, float, float] = (0, 0, 0, 0)) -> float:
        vp = self.camera.viewport
        width = max(1.0, vp.width - inset[0] - inset[2])
        height = max(1.0, vp.height - inset[1] - inset[3])
        return min(width / self.map_size[0], height / self.map_size[1]) * 0.95

    def fit(self, inset: tuple[float, float, float, float] = (0, 0, 0, 0)) -> None:
        """Shows the whole map, centred in the viewport less ``inset`` pixels
        (left, bottom, right, top) that panels cover."""
        zoom = self.fit_zoom(inset)
        self.camera.zoom = zoom
        shift_x = (inset[0] - inset[2]) / 2 / zoom
        shift_y = (inset[1] - inset[3]) / 2 / zoom
        self.camera.position = (self.map_size[0] / 2 - shift_x, self.map_size[1] / 2 - shift_y)

    def use(self) -> None:
        self.camera.use()

    def activate(self):
        return self.camera.activate()

    def to_world(self, sx: float, sy: float) -> tuple[float, float]:
        """Window pixel -> world metres."""
        p = self.camera.unproject((sx, sy))
        return (float(p[0]), float(p[1]))

    def to_screen(self, wx: float, wy: float) -> tuple[float, float]:
        """World metres -> window pixel."""
        p = self.camera.project((wx, wy))
        return (float(p[0]), float(p[1]))

    def pan_pixels(self, dx: float, dy: float) -> None:
        """Moves the view by a drag of (dx, dy) screen pixels (the map follows the mouse)."""
        z = self.zoom
        x, y = self.position
        self.centre_on(x - dx / z, y - dy / z)

    def centre_on(self, wx: float, wy: float) -> None:
        w, h = self.map_size
        self.camera.position = (min(max(wx, 0.0), w), min(max(wy, 0.0), h))

    def zoom_at(self, sx: float, sy: float, factor: float) -> None:
        """Zooms by ``factor`` keeping the world point under the cursor fixed."""
        before = self.to_world(sx, sy)
        fit = self.fit_zoom()
        self.camera.zoom = min(max(self.zoom * factor, fit * MIN_ZOOM_FACTOR),
                               max(fit * MAX_ZOOM_FACTOR, MAX_ZOOM_PX_PER_M))
        after = self.to_world(sx, sy)
        x, y = self.position
        self.centre_on(x + before[0] - after[0], y + before[1] - after[1])

    def visible_rect(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) of the world the camera shows, for the minimap."""
        vp = self.camera.viewport
        left, bottom = self.to_world(vp.left, vp.bottom)
        right, top = self.to_world(vp.left + vp.width, vp.bottom + vp.height)
        return (left, bottom, right, top)

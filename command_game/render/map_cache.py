"""The static map kept as a picture of the current view.

On software OpenGL a frame is bound by fill rate: ground, districts, buildings and
roads each cover much of the screen, and clearing the window is one more full-screen
pass. The map does not change while the camera stands still, so it is drawn once per
camera view into an offscreen framebuffer and copied to the window each frame (a blit
that also stands in for the clear). Panning or zooming redraws it.
"""

from __future__ import annotations

from typing import Any

import arcade


class CachedMapView:
    def __init__(self, layer: Any, background: tuple[int, int, int, int]) -> None:
        self.layer = layer
        self.background = background
        self.window = arcade.get_window()
        self.ctx = self.window.ctx
        self.fbo = None
        self._key: tuple | None = None
        self.redraws = 0

    def invalidate(self) -> None:
        """Forget the picture (the level was rebuilt, the palette changed)."""
        self._key = None

    def draw(self, camera: Any) -> None:
        """Puts the static map for ``camera``'s view on the window, replacing the clear."""
        size = self.window.get_framebuffer_size()
        if self.fbo is None or self.fbo.size != size:
            texture = self.ctx.texture(size, components=4)
            self.fbo = self.ctx.framebuffer(color_attachments=[texture])
            self._key = None
        key = (camera.position, camera.zoom, size, id(self.layer.shape),
               getattr(self.layer, "covered", ()))
        if key != self._key:
            with self.fbo.activate():
                self.fbo.clear(color=self.background)
                with camera.activate():
                    self.layer.draw(labels=False)  # the scene puts the names over its units
            self._key = key
            self.redraws += 1
        self.ctx.copy_framebuffer(self.fbo, self.ctx.screen, depth=False)
        self.ctx.screen.use(force=True)

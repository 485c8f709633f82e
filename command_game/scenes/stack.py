"""The scene stack: screens as a stack over arcade's single current View.

arcade shows one View at a time; the stack decides which. Only the top scene is the
window's current view, so window input and updates reach the top scene only. An overlay
(pause over the map) draws the scenes beneath it first but never updates them: the map
under a pause overlay is frozen because it gets no updates, not because it checks a flag.

Hooks come in pairs (after Tuxemon's state stack):
  on_enter / on_exit    the scene joins or leaves the stack (push, replace, pop)
  on_pause / on_resume  another scene covers it / the scene above it is popped
"""

from __future__ import annotations

import arcade


class Scene(arcade.View):
    """One screen. Subclasses draw in on_draw and turn input into actions or Commands."""

    #: An overlay lets the scenes beneath it show through (they are drawn first).
    overlay: bool = False

    def __init__(self) -> None:
        super().__init__()
        self.stack: SceneStack | None = None

    def on_enter(self) -> None:
        """Joined the stack."""

    def on_exit(self) -> None:
        """Left the stack."""

    def on_pause(self) -> None:
        """Another scene was pushed over this one."""

    def on_resume(self) -> None:
        """The scene above this one was popped."""

    def draw_beneath(self) -> None:
        """For overlays: draws the scenes under this one, bottom first."""
        if self.stack is not None:
            self.stack.draw_below(self)


class SceneStack:
    def __init__(self, window: arcade.Window) -> None:
        self.window = window
        self._scenes: list[Scene] = []

    @property
    def scenes(self) -> tuple[Scene, ...]:
        return tuple(self._scenes)

    @property
    def top(self) -> Scene | None:
        return self._scenes[-1] if self._scenes else None

    def __len__(self) -> int:
        return len(self._scenes)

    def push(self, scene: Scene) -> Scene:
        if self.top is not None:
            self.top.on_pause()
        self._add(scene)
        return scene

    def pop(self) -> Scene:
        if not self._scenes:
            raise IndexError("pop from an empty scene stack")
        scene = self._remove_top()
        if self.top is not None:
            self.window.show_view(self.top)
            self.top.on_resume()
        else:
            self.window.hide_view()
        return scene

    def replace(self, scene: Scene) -> Scene:
        """Swaps the top scene for another (briefing -> map -> debrief)."""
        if self._scenes:
            self._remove_top()
        self._add(scene)
        return scene

    def reset(self, scene: Scene) -> Scene:
        """Empties the stack and starts again from one scene (back to the title)."""
        while self._scenes:
            self._remove_top()
        self._add(scene)
        return scene

    def clear(self) -> None:
        """Empties the stack: every scene leaves (top first), none is resumed."""
        while self._scenes:
            self._remove_top()
        self.window.hide_view()

    def draw_below(self, scene: Scene) -> None:
        """Draws the scene right under `scene`. If that one is an overlay too, its own
        on_draw draws what is under it, so each scene is drawn once, bottom first."""
        index = self._scenes.index(scene)
        if index > 0:
            self._scenes[index - 1].on_draw()

    def _remove_top(self) -> Scene:
        scene = self._scenes.pop()
        scene.on_exit()
        scene.stack = None
        return scene

    def _add(self, scene: Scene) -> None:
        scene.stack = self
        self._scenes.append(scene)
        self.window.show_view(scene)
        scene.on_enter()

"""Keyboard-only play: the incident or site the keyboard points at.

I / Shift+I walk the live incidents and O / Shift+O the sites (offices); an order key
then sends the selected units to that focus instead of to whatever lies under the mouse.
The focus counts only while the mouse has not moved since it was chosen, so a player who
mixes mouse and keys always orders to what they last pointed at. Reads the world, never
changes it; arcade-free so it is tested without a window.
"""

from __future__ import annotations

from typing import Any

from command_game import controls
from command_game.scenes.orders import LIVE_INCIDENT, Target


class KeyboardFocus:
    def __init__(self) -> None:
        self.kind: str | None = None  # "incident" or "office"
        self.id: str | None = None
        self._mouse_when_chosen: tuple[float, float] | None = None

    def cycle_incident(self, world: Any, step: int,
                       mouse: tuple[float, float] | None = None) -> tuple[float, float] | None:
        """Moves to the next live incident; returns where it is (to centre the camera)."""
        live = [i.id for i in world.incidents if i.status in LIVE_INCIDENT]
        return self._cycle("incident", live, world, step, mouse)

    def cycle_site(self, world: Any, step: int,
                   mouse: tuple[float, float] | None = None) -> tuple[float, float] | None:
        return self._cycle("office", list(world.sites), world, step, mouse)

    def _cycle(self, kind: str, ids: list[str], world: Any, step: int,
               mouse: tuple[float, float] | None) -> tuple[float, float] | None:
        current = self.id if self.kind == kind else None
        chosen = controls.cycle(ids, current, step)
        if chosen is None:
            return None
        self.kind, self.id, self._mouse_when_chosen = kind, chosen, mouse
        target = self.target(world)
        return target.point if target is not None else None

    def target(self, world: Any, mouse: tuple[float, float] | None = None) -> Target | None:
        """The focused thing as an order target; None when there is none, it is gone
        (an incident resolved), or the mouse moved since it was chosen."""
        if self.id is None or (mouse is not None and mouse != self._mouse_when_chosen):
            return None
        if self.kind == "incident":
            incident = next((i for i in world.incidents if i.id == self.id), None)
            if incident is None or incident.status not in LIVE_INCIDENT:
                return None
            return Target("incident", incident.id, (incident.x, incident.y), incident.site)
        site = world.sites.get(self.id)
        if site is None:
            return None
        return Target("office", site.id, (site.x, site.y), site.id)

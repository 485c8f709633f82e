"""Tooltips for the HUD: what each element is, and the key that does the same.

The HUD already knows what every pixel means (`Hud.hit(x, y)` returns a `Hit`); a
tooltip turns that into a sentence in the player's language, naming the current key
binding through `controls.key_name`, so a rebound key shows up here at once. It appears
after the mouse has rested on one element for a moment and sits beside the cursor,
kept inside the window.
"""

from __future__ import annotations

from typing import Any

import arcade

from command_game import controls
from command_game.i18n import pick, t
from command_game.render import ui_scale
from command_game.speedrun.timing import format_time

HOVER_DELAY_S = 0.4
WIDTH = 320
BACK = (10, 16, 30, 245)
EDGE = (150, 116, 48, 255)
TEXT = (228, 234, 244, 255)
ORDER_ACTIONS = {"cyber_response": "order_cyber_response", "call_tni": "order_call_tni"}


def tooltip_for(hit: Any, world: Any) -> str | None:
    """The tooltip text for a HUD hit, or None for plain panel background."""
    if hit is None:
        return None
    kind, value = hit.kind, hit.value
    if kind == "speed":
        if value == 0:
            return t("tooltip.speed.pause", hotkey=controls.key_name("pause"))
        return t("tooltip.speed.run", n=value, slower=controls.key_name("speed_down"),
                 faster=controls.key_name("speed_up"))
    if kind in ("order", "menu"):
        action = ORDER_ACTIONS.get(value, f"order_{value}")
        return t(f"tooltip.order.{value}", hotkey=controls.key_name(action))
    if kind == "unit" and value in world.units:
        unit = world.units[value]
        return t("tooltip.unit", name=unit.name, role=t(f"tooltip.role.{unit.type}"),
                 personnel=unit.personnel, fatigue=round(unit.fatigue * 100),
                 hotkey=controls.key_name("next_unit"))
    if kind == "incident":
        incident = next((i for i in world.incidents if i.id == value), None)
        if incident is None:
            return None
        site = world.sites.get(incident.site)
        return t("tooltip.incident", type=t(f"map.incident.{incident.type}"),
                 site=site.name if site else incident.site,
                 hotkey=controls.key_name("next_incident"))
    if kind == "objective":
        return _objective(world, value)
    if kind == "minimap":
        return t("tooltip.minimap")
    if kind == "roster":
        return t("tooltip.roster", hotkey=controls.key_name("next_unit"))
    if kind == "stat":
        return t(f"tooltip.stat.{value}")
    if kind == "collapse":
        return t("tooltip.collapse")
    return None


def _objective(world: Any, objective_id: str) -> str | None:
    """The objective's whole title (the HUD shortens long ones), and how it stands."""
    objective = next((o for o in world.objectives if o.id == objective_id), None)
    if objective is None:
        return None
    status = t(f"tooltip.objective.{objective.status}")
    if objective.met_tick is not None:
        status = t("tooltip.objective.met_at", time=format_time(objective.met_tick / 60))
    optional = f" {t('tooltip.objective.optional')}" if objective.optional else ""
    return f"{pick(objective.title)}{optional} {status}"


class Tooltip:
    """Shows the tooltip of whatever HUD element the mouse rests on."""

    def __init__(self) -> None:
        self._key: tuple[str, Any] | None = None
        self._since_s = 0.0
        self._label: arcade.Text | None = None
        self._scale = 1.0
        self.text: str | None = None  # what is on screen now, None when nothing

    def draw(self, hit: Any, world: Any, mouse: tuple[float, float], now_s: float,
             window_size: tuple[int, int], avoid: Any = None) -> None:
        """``avoid`` is a rectangle the tip must not cover (the tutorial's prompt)."""
        key = (hit.kind, hit.value) if hit is not None else None
        if key != self._key:
            self._key, self._since_s = key, now_s
        text = tooltip_for(hit, world) if now_s - self._since_s >= HOVER_DELAY_S else None
        self.text = text
        if text is None:
            return
        scale = ui_scale.effective()
        if self._label is None or (self._label.text, self._scale) != (text, scale):
            self._scale = scale
            self._label = arcade.Text(text, 0, 0, TEXT, round(11 * scale),
                                      width=round((WIDTH - 20) * scale), multiline=True,
                                      font_name=("Liberation Sans", "Arial"), anchor_y="top")
        label = self._label
        w, h = window_size
        box_w, box_h = WIDTH * scale, label.content_height + 16
        x = min(mouse[0] + 16, w - box_w - 4)
        y = mouse[1] - 18
        if y - box_h < 4:
            y = mouse[1] + box_h + 18
        if avoid is not None and x < avoid.right and avoid.left < x + box_w and \
                y - box_h < avoid.top and avoid.bottom < y:
            y = avoid.bottom - 6  # under the prompt, so both read
            if y - box_h < 4:
                x = avoid.right + 6
        arcade.draw_lbwh_rectangle_filled(x, y - box_h, box_w, box_h, BACK)
        arcade.draw_lbwh_rectangle_outline(x, y - box_h, box_w, box_h, EDGE, 1)
        if label.position != (round(x + 10), round(y - 8)):
            label.position = (round(x + 10), round(y - 8))
        label.draw()

"""Draws a running World over the static map: crowd, tension rings, incidents, convoys,
units with their routes and states, the selection and the hovered target.

It only reads the world. The crowd goes to the GPU in one call straight from the
simulation's arrays, each citizen a disc of its own size in metres; everything else (a
few dozen units, sites and incidents) is collected into one triangle batch per frame, and
the unit letters are world-space labels in one batch that move only when their unit moves.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import arcade
import numpy as np

from command_game.render import palette
from command_game.render.gpu import CrowdDiscs, GridImage, Triangles
from command_game.render.static_map import icon_polygon, icon_size_m
from command_game.render.text_pool import TextPool
from command_game.sim import rules

#: Unit type -> (icon shape, colour, letter). Police blues, Brimob dark, TNI olive.
UNIT_ICONS: dict[str, tuple[str, tuple[int, int, int, int], str]] = {
    "samapta": ("circle", (66, 135, 245, 255), "S"),
    "intelkam": ("diamond", (40, 170, 170, 255), "I"),
    "lantas": ("square", (230, 200, 40, 255), "L"),
    "reskrim": ("hexagon", (150, 150, 165, 255), "R"),
    "siber": ("hexagon", (80, 220, 240, 255), "C"),
    "brimob": ("square", (36, 52, 96, 255), "B"),
    "dialogis": ("circle", (70, 190, 110, 255), "D"),
    "binluh": ("circle", (150, 210, 120, 255), "N"),
    "tni": ("shield", (110, 130, 60, 255), "T"),
}
STATE_COLORS: dict[str, tuple[int, int, int, int]] = {
    "idle": (150, 160, 175, 255),
    "moving": (90, 170, 255, 255),
    "on_site": (96, 210, 120, 255),
    "dialogue": (120, 230, 150, 255),
    "returning": (150, 160, 175, 255),
    "patrolling": (60, 200, 200, 255),
    "escorting": (240, 200, 60, 255),
}
SEVERITY_COLORS = {1: (250, 210, 60, 255), 2: (250, 140, 40, 255), 3: (240, 60, 50, 255)}
SELECTED = (255, 255, 255, 255)
HOVER = (255, 230, 120, 200)
ROUTE = (120, 190, 255, 170)
ROUTE_SELECTED = (170, 220, 255, 240)
CONVOY = (235, 225, 200, 255)
CORDON = (90, 160, 255, 255)  # a police line: the units' blue, solid
CORDON_CASING = (8, 14, 26, 230)
EXIT = (110, 226, 150, 255)  # a way out: green, the calm end of the tension ramp
CROWD_MIN_PX = 3.0  # a citizen is never drawn smaller than this, however far out
MARKER_MAX_PX = 32.0  # unit, incident and convoy markers stop growing on screen here
UNIT_BODY_M = 2 * rules.UNIT_RADIUS_M  # the body a unit pushes through the crowd with


def fade(color: tuple[int, int, int, int], alpha: float) -> tuple[int, int, int, int]:
    return (color[0], color[1], color[2], int(max(0.0, min(1.0, alpha)) * 255))


class WorldView:
    """The dynamic layer of the map; draw under the map camera after the static map."""

    def __init__(self, level: Any) -> None:
        self.map_size = icon_size_m(level)
        self.size = self.map_size  # this frame's marker size in metres (see draw)
        self.crowd = CrowdDiscs()
        self.shapes = Triangles()
        self.markers = Triangles()  # drawn over the crowd
        self.labels = TextPool()
        self.tag = TextPool()  # the hovered unit's name tag, over the site names
        self._heat: GridImage | None = None
        self._heat_tick: int | None = None

    def draw(self, world: Any, camera: Any, selected: Iterable[str], time_s: float,
             hover: Any = None) -> None:
        """Draws under ``camera`` (a MapCamera, active); letters go on top in pixels.
        ``hover`` rings the target an order would go to."""
        selected = set(selected)
        self.camera = camera
        zoom = camera.zoom
        # markers scale with the map, but zoomed in close (to see people) they stop
        # growing on screen, or one unit's icon would hide the crowd it stands in
        self.size = min(self.map_size, MARKER_MAX_PX / zoom)
        self.shapes.clear()
        self.markers.clear()
        self.labels.begin()
        self._sites(world)
        self._incident_halos(world, time_s)
        self.shapes.draw()
        self._crowd(world, zoom)
        self._incidents(world, time_s)
        self._convoys(world)
        self._cordons_and_exits(world)
        self._units(world, selected)
        if hover is not None:
            self.markers.ring(hover.point[0], hover.point[1], self.size * 1.6, self.size * 0.18,
                              HOVER)
        self.markers.draw()
        self.labels.end()
        with arcade.get_window().default_camera.activate():
            self.labels.draw()

    def draw_heat(self, world: Any) -> None:
        """The live crowd-density grid as a heat layer (toggled with G); the texture is
        rebuilt at most once a second of game time."""
        if self._heat is None:
            grid, cell = world.density_grid()
            self._heat = GridImage(0.0, 0.0, grid.shape[1] * cell, grid.shape[0] * cell)
        if self._heat_tick is None or world.tick - self._heat_tick >= 60:
            grid, _ = world.density_grid()
            self._heat.write(density_rgba(grid, blur_cells=1.0)[::-1])
            self._heat_tick = world.tick
        self._heat.draw(0.8)

    def _crowd(self, world: Any, zoom: float) -> None:
        """Each citizen a disc of its body's size; zoomed out, never under CROWD_MIN_PX,
        so a crowd far away still shows (and a packed one merges into a mass)."""
        positions = world.crowd_positions()
        if len(positions):
            colors = lift(palette.agitation_colors(world.crowd_agitation()))
            self.crowd.update(positions, colors, world.crowd_radii(), world.crowd_headings())
        else:
            self.crowd.update(positions, np.zeros((0, 4), np.uint8), np.zeros(0), np.zeros(0))
        self.crowd.draw(zoom, CROWD_MIN_PX)

    def _sites(self, world: Any) -> None:
        """A tension ring per office: the arc's length and colour both say how tense."""
        for site in world.sites.values():
            radius = site.radius_m + self.size * 0.5
            width = self.size * 0.35
            self.shapes.ring(site.x, site.y, radius, width, (10, 14, 20, 170))
            if site.tension > 0.5:
                self.shapes.ring(site.x, site.y, radius, width,
                                 palette.tension_color(max(site.tension, 25.0)),
                                 fraction=site.tension / 100.0)

    def _incident_halos(self, world: Any, time_s: float) -> None:
        """Each incident's pulsing halo, drawn under the crowd: incidents happen at the
        offices, where the crowd masses, and a halo over it would hide that mass."""
        for inc in world.incidents:
            if inc.visible:
                color, base, strength = self._incident_look(inc, time_s)
                self.shapes.circle(inc.x, inc.y, base * (1.2 + 0.8 * strength),
                                   fade(color, 0.35 * strength))
                self.shapes.ring(inc.x, inc.y, base * (1.2 + 0.8 * strength), self.size * 0.15,
                                 fade(color, 0.9))

    def _incident_look(self, inc: Any, time_s: float) -> tuple[tuple[int, int, int, int],
                                                               float, float]:
        """(colour, icon size in metres, pulse strength 0-1) of an incident this frame."""
        color = SEVERITY_COLORS.get(inc.severity, SEVERITY_COLORS[3])
        rate = 0.6 + 0.4 * inc.severity + (0.6 if inc.status == "escalated" else 0.0)
        return color, self.size * (0.9 + 0.3 * inc.severity), palette.pulse(time_s, rate_hz=rate)

    def _incidents(self, world: Any, time_s: float) -> None:
        """The incident icons, over the crowd (their halos are under it)."""
        for inc in world.incidents:
            if not inc.visible:
                continue
            color, base, _ = self._incident_look(inc, time_s)
            tri = icon_polygon("triangle", inc.x, inc.y, base)
            self.markers.polygon([(x, 2 * inc.y - y) for x, y in tri], (20, 20, 24, 255))
            self.markers.polygon([(x, 2 * inc.y - y) for x, y in
                                  icon_polygon("triangle", inc.x, inc.y, base * 0.8)], color)
            if inc.progress > 0:
                self.markers.ring(inc.x, inc.y, base * 0.9 + self.size * 0.5, self.size * 0.2,
                                  (120, 230, 150, 255), fraction=inc.progress)
            self._letter(f"inc:{inc.id}", "!", inc.x, inc.y - base * 0.05, base * 0.55,
                         (20, 20, 24, 255))

    def _convoys(self, world: Any) -> None:
        for convoy in world.convoys.values():
            if convoy.status not in ("waiting", "moving"):
                continue
            if convoy.route:
                self.markers.polyline([(convoy.x, convoy.y), *convoy.route], self.size * 0.12,
                                      (235, 225, 200, 90))
            s = self.size
            self.markers.rect(convoy.x - s * 0.8, convoy.y - s * 0.45, s * 1.6, s * 0.9,
                              (30, 30, 30, 255))
            self.markers.rect(convoy.x - s * 0.7, convoy.y - s * 0.35, s * 1.4, s * 0.7, CONVOY)

    def _cordons_and_exits(self, world: Any) -> None:
        """Police lines (a solid blue bar on a dark casing, with posts at its ends) and
        open exit routes (a dashed green way from the site to its exit point, an arrow
        pointing out): both change where the crowd can go, so both read at a glance."""
        s = self.size
        for a, b in world.cordons.lines():
            a, b = _at_least((a, b), s * 3.2)  # a line shorter than its unit's icon
            self.markers.line(*a, *b, max(1.2, s * 0.55), CORDON_CASING)
            self.markers.line(*a, *b, max(0.8, s * 0.32), CORDON)
            for x, y in (a, b):
                self.markers.circle(x, y, max(0.8, s * 0.3), CORDON)
        exits = getattr(world, "exits", None)
        points = exits.points() if exits is not None else []
        for unit in world.units.values():
            if unit.state != "exit_route" or unit.target not in world.sites:
                continue
            site, point = world.sites[unit.target], unit.point or (unit.x, unit.y)
            if tuple(point) in {tuple(p) for p in points}:
                self._dashes((site.x, site.y), point, s * 0.22, s * 0.9, fade(EXIT, 0.75))
                self._arrow((site.x, site.y), point, s)
        for x, y in points:
            self.markers.ring(x, y, s * 0.9, s * 0.2, EXIT)

    def _dashes(self, a: tuple[float, float], b: tuple[float, float], width: float,
                dash: float, color: tuple[int, int, int, int]) -> None:
        length = math.hypot(b[0] - a[0], b[1] - a[1])
        steps = max(1, int(length / dash))
        for i in range(0, steps, 2):
            f0, f1 = i / steps, min(1.0, (i + 1) / steps)
            self.markers.line(a[0] + (b[0] - a[0]) * f0, a[1] + (b[1] - a[1]) * f0,
                              a[0] + (b[0] - a[0]) * f1, a[1] + (b[1] - a[1]) * f1, width,
                              color)

    def _arrow(self, start: tuple[float, float], tip: tuple[float, float], s: float) -> None:
        """A head at ``tip`` pointing away from ``start``: the way the crowd leaves."""
        dx, dy = tip[0] - start[0], tip[1] - start[1]
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        x, y = tip[0] + ux * s * 1.6, tip[1] + uy * s * 1.6
        back = (x - ux * s * 1.3, y - uy * s * 1.3)
        self.markers.polygon([(x, y), (back[0] - uy * s * 0.8, back[1] + ux * s * 0.8),
                              (back[0] + uy * s * 0.8, back[1] - ux * s * 0.8)], EXIT)

    def _units(self, world: Any, selected: set[str]) -> None:
        """Unit icons; zoomed in, never smaller than the unit's body, so the gap a unit
        opens in a crowd is the icon's own outline."""
        s = max(self.size * 0.95, UNIT_BODY_M / 1.15)
        for unit in world.units.values():
            if unit.route:
                self.markers.polyline([(unit.x, unit.y), *unit.route], s * 0.14,
                                      ROUTE_SELECTED if unit.id in selected else ROUTE)
        for unit in world.units.values():
            shape, color, letter = UNIT_ICONS.get(unit.type, UNIT_ICONS["samapta"])
            if not unit.available:
                color = fade(color, 0.4)
            if unit.id in selected:
                self.markers.ring(unit.x, unit.y, s * 1.05, s * 0.2, SELECTED)
            self.markers.ring(unit.x, unit.y, s * 0.78, s * 0.2,
                              STATE_COLORS.get(unit.state, STATE_COLORS["idle"]))
            self.markers.polygon(icon_polygon(shape, unit.x, unit.y, s * 1.15),
                                 (15, 18, 24, 255))
            self.markers.polygon(icon_polygon(shape, unit.x, unit.y, s * 0.95), color)
            self._letter(f"unit:{unit.id}", letter, unit.x, unit.y, s * 0.5,
                         (255, 255, 255, 255))

    def draw_name_tag(self, world: Any, unit_id: str | None) -> None:
        """The hovered unit's name and what it is doing, above it: drawn after the site
        names (in window pixels), so the thing under the mouse reads over them."""
        from command_game.i18n import t

        self.tag.begin()
        unit = world.units.get(unit_id) if unit_id is not None else None
        if unit is not None:
            sx, sy = self.camera.to_screen(unit.x, unit.y + self.size * 1.2)
            name = self.tag.put("name", unit.name, round(sx), round(sy) + 16,
                                (255, 255, 255, 255), size=10, anchor_x="center",
                                anchor_y="bottom", bold=True)
            state = self.tag.put("state", t(f"map.state.{unit.state}"), round(sx),
                                 round(sy) + 2,
                                 STATE_COLORS.get(unit.state, STATE_COLORS["idle"]), size=9,
                                 anchor_x="center", anchor_y="bottom")
            half = max(name.content_width, state.content_width) / 2 + 6
        self.tag.end()
        if unit is None:
            return
        with arcade.get_window().default_camera.activate():
            arcade.draw_lbwh_rectangle_filled(sx - half, sy - 2, 2 * half, 36, (10, 16, 28, 215))
            self.tag.draw()

    def _letter(self, key: str, text: str, x: float, y: float, size_m: float,
                color: tuple[int, int, int, int]) -> None:
        """A one-letter label on an icon, in screen pixels at the icon's scale."""
        sx, sy = self.camera.to_screen(x, y)
        size_px = round(size_m * self.camera.zoom * 2) / 2
        if size_px < 5:
            return
        self.labels.put(key, text, round(sx), round(sy), color, size=size_px,
                        anchor_x="center", anchor_y="center", bold=True)


def _at_least(line, length: float):
    """The line, drawn at least ``length`` long about its middle: the map symbol of a
    cordon reaches past the icon of the unit that holds it, as the unit's own icon is
    larger than its people are."""
    (ax, ay), (bx, by) = line
    now = math.hypot(bx - ax, by - ay)
    if now >= length or now == 0:
        return line
    k = length / now / 2
    mx, my = (ax + bx) / 2, (ay + by) / 2
    return (mx - (bx - ax) * k, my - (by - ay) * k), (mx + (bx - ax) * k, my + (by - ay) * k)


def lift(colors: np.ndarray, amount: float = 0.3) -> np.ndarray:
    """Palette colours moved toward white: the calm end of the ramp is too dark to see on
    the night map, and lifting keeps the ramp's order of brightness."""
    out = colors.copy()
    rgb = out[:, :3].astype(np.float32)
    out[:, :3] = (rgb + (255.0 - rgb) * amount).astype(np.uint8)
    return out


def density_rgba(grid: np.ndarray, blur_cells: float = 1.5) -> np.ndarray:
    """A density grid (rows, cols; row 0 at the bottom) as an RGBA heat image, top row
    first, on the current palette; empty cells transparent. Log-scaled and slightly
    blurred so a long, thin march still shows beside the crowd packed at an office."""
    from scipy.ndimage import gaussian_filter

    g = np.asarray(grid, dtype=np.float64)
    if blur_cells > 0 and g.size:
        g = gaussian_filter(g, blur_cells)
    peak = float(g.max()) if g.size else 0.0
    scaled = np.log1p(g) / np.log1p(peak) if peak > 0 else g
    colors = lift(palette.agitation_colors(scaled.ravel()), 0.15).reshape(*g.shape, 4).copy()
    visible = scaled > 0.02
    colors[..., 3] = np.where(visible, (120 + 135 * scaled).clip(0, 255), 0).astype(np.uint8)
    return colors[::-1]

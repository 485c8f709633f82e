"""The level's static map: districts, buildings, roads and office nodes with labels.

Everything here is in world metres (y up) and is drawn under a ``Camera2D``. The geometry
never changes during a mission, so it is built once into one triangle buffer, and the
labels into one pyglet ``Batch``: a frame costs two draw calls however large the map.
Labels are anchored in the world but drawn in screen space, growing with the interface scale
(glyphs scaled by the camera would blur when zoomed in); they are moved only when the
camera moves. The map scene and the level editor share this layer; the editor calls
``rebuild(level)`` after each edit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import arcade
import pyglet
from arcade.earclip import earclip
from arcade.shape_list import Shape, create_triangles_filled_with_colors
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import Polygon as ShapelyPolygon
from shapely.ops import unary_union
from shapely.prepared import prep

from command_game.level.models import Level
from command_game.render import layout, ui_scale

Point = tuple[float, float]
RGBA = tuple[int, int, int, int]

# The night palette of the menus (scenes/ui.py): navy ground, quiet blocks, warm main
# roads, and the offices' own colours as the brightest things on the map.
BACKGROUND: RGBA = (10, 18, 33, 255)  # the menus' backdrop, around the map
MAP_GROUND: RGBA = (16, 27, 46, 255)
DISTRICT_FILLS: tuple[RGBA, ...] = (
    (21, 34, 57, 255),
    (24, 37, 60, 255),
    (20, 36, 54, 255),
    (25, 34, 58, 255),
    (22, 35, 55, 255),
)
DISTRICT_EDGE: RGBA = (48, 72, 110, 255)  # the menus' panel border
DISTRICT_LABEL: RGBA = (120, 146, 186, 150)
BUILDING_FILL: RGBA = (33, 48, 74, 255)  # a step above the district: there, not loud
BUILDING_EDGE: RGBA = (38, 55, 84, 255)
ROAD_CASING: RGBA = (8, 14, 26, 255)
ROAD_FILL: RGBA = (96, 116, 146, 255)  # local streets
MAIN_ROAD_FILL: RGBA = (214, 190, 132, 255)  # arterials: the warm lines the eye follows
ROAD_EXAGGERATION = 1.6  # roads drawn wider than they are, as maps do, to read zoomed out
SITE_RING: RGBA = (200, 210, 225, 60)
PARK_FILL: RGBA = (24, 52, 50, 255)  # a dark night green, quieter than the sites
PARK_EDGE: RGBA = (44, 84, 70, 255)
WATER_FILL: RGBA = (14, 42, 82, 255)  # deeper and bluer than the ground
WATER_EDGE: RGBA = (40, 86, 140, 255)
WATER_LABEL: RGBA = (120, 168, 224, 220)
STREET_LABEL: RGBA = (222, 206, 160, 210)  # the main roads' warm tone, dimmed
AREA_LABEL: RGBA = (130, 186, 160, 200)
LABEL: RGBA = (240, 244, 250, 255)
LABEL_PLATE: RGBA = (8, 14, 26, 190)

#: Icon per office type: (shape, fill colour). Shapes are drawn by ``_icon_points``.
OFFICE_ICONS: dict[str, tuple[str, RGBA]] = {
    "kpu": ("square", (214, 58, 58, 255)),
    "bawaslu": ("diamond", (232, 146, 44, 255)),
    "tps": ("circle", (86, 178, 96, 255)),
    "ppk": ("hexagon", (150, 102, 214, 255)),
    "warehouse": ("wide", (168, 128, 80, 255)),
    "polres": ("shield", (58, 118, 226, 255)),
    "polsek": ("triangle", (92, 160, 236, 255)),
}
ICON_OUTLINE: RGBA = (245, 245, 245, 255)
#: Office icons, their glow and their site ring stop growing on screen here: zoomed in to
#: see people (16 px a metre), a finale office's 60 m icon would fill the view and hide
#: the crowd standing on it.
ICON_MAX_PX = 40.0
FONT = ("Liberation Sans", "Arial")


def icon_size_m(level: Level) -> float:
    """Office icons scale with the map so a whole small or large map stays readable."""
    return max(8.0, min(60.0, max(level.map.width_m, level.map.height_m) / 70.0))


def icon_polygon(shape: str, x: float, y: float, size: float) -> list[Point]:
    """The outline of an office icon centred on (x, y), ``size`` metres across."""
    r = size / 2
    if shape == "square":
        return [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
    if shape == "diamond":
        r *= 1.25
        return [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    if shape == "wide":
        return [(x - r * 1.4, y - r * 0.7), (x + r * 1.4, y - r * 0.7),
                (x + r * 1.4, y + r * 0.7), (x - r * 1.4, y + r * 0.7)]
    if shape == "shield":
        return [(x - r, y + r), (x + r, y + r), (x + r, y - r * 0.1), (x, y - r * 1.2),
                (x - r, y - r * 0.1)]
    if shape == "triangle":
        r *= 1.2
        return [(x, y - r), (x + r, y + r * 0.7), (x - r, y + r * 0.7)]
    sides = 6 if shape == "hexagon" else 20
    return [(x + r * math.cos(2 * math.pi * i / sides + math.pi / 6),
             y + r * math.sin(2 * math.pi * i / sides + math.pi / 6)) for i in range(sides)]


class TriangleBuilder:
    """Collects flat shapes as one triangle list, drawn in the order they were added.

    arcade's ``ShapeElementList`` groups shapes by primitive mode, which reorders lines
    and polygons; keeping everything as plain triangles keeps painter's order and makes
    the whole static map one draw call.
    """

    def __init__(self) -> None:
        self.points: list[Point] = []
        self.colors: list[RGBA] = []

    def triangles(self, points: Sequence[Point], color: RGBA) -> None:
        self.points.extend(points)
        self.colors.extend([color] * len(points))

    def polygon(self, points: Sequence[Point], color: RGBA) -> None:
        """Any simple polygon, concave too (ear clipping)."""
        pts = [(float(x), float(y)) for x, y in points]
        if len(pts) > 3 and pts[0] == pts[-1]:
            pts = pts[:-1]
        self.triangles([p for tri in earclip(pts) for p in tri], color)

    def line(self, a: Point, b: Point, width: float, color: RGBA) -> None:
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = math.hypot(dx, dy)
        if length == 0:
            return
        nx, ny = -dy / length * width / 2, dx / length * width / 2
        p0, p1 = (a[0] + nx, a[1] + ny), (a[0] - nx, a[1] - ny)
        p2, p3 = (b[0] - nx, b[1] - ny), (b[0] + nx, b[1] + ny)
        self.triangles([p0, p1, p2, p0, p2, p3], color)

    def loop(self, points: Sequence[Point], width: float, color: RGBA) -> None:
        for i, a in enumerate(points):
            self.line(a, points[(i + 1) % len(points)], width, color)

    def circle(self, x: float, y: float, radius: float, color: RGBA, segments: int = 24) -> None:
        self.polygon(circle_points(x, y, radius, segments), color)

    def ring(self, x: float, y: float, radius: float, width: float, color: RGBA,
             segments: int = 48) -> None:
        outer = circle_points(x, y, radius + width / 2, segments)
        inner = circle_points(x, y, radius - width / 2, segments)
        for i in range(segments):
            j = (i + 1) % segments
            self.triangles([outer[i], inner[i], inner[j], outer[i], inner[j], outer[j]], color)

    def build(self) -> Shape | None:
        if not self.points:
            return None
        return create_triangles_filled_with_colors(self.points, self.colors)


def circle_points(x: float, y: float, radius: float, segments: int = 24) -> list[Point]:
    return [(x + radius * math.cos(2 * math.pi * i / segments),
             y + radius * math.sin(2 * math.pi * i / segments)) for i in range(segments)]


def _collide(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _label_rank(name: str) -> int:
    """Which labels give way: offices' names never, then streets, then areas' and
    districts' names."""
    kind = name.split(":", 1)[0]
    return {"office": 0, "street": 1}.get(kind, 2)


def main_road_width(level: Level) -> float:
    """Roads at least this wide are the level's main roads: its widest class when the
    widths differ (the arterials), none when every road is alike."""
    widths = sorted({e.width_m for e in level.roads.edges})
    if len(widths) < 2:
        return float("inf")
    return widths[-1] if len(widths) <= 3 else widths[len(widths) * 2 // 3]


def blocks_in_water(level: Level) -> set[str]:
    """Ids of the buildings lying in the level's water (a river drawn as an obstacle):
    maps draw them as water, not as blocks."""
    areas = level.features.water if level.features else ()
    if not areas:
        return set()
    water = prep(unary_union([ShapelyPolygon(a.polygon).buffer(2.0) for a in areas]))
    return {b.id for b in level.buildings if water.contains(ShapelyPolygon(b.polygon))}


def label_anchor(points: Sequence[Point], size: float) -> Point:
    """Where a district's name goes: near its top edge if that is inside, else centroid."""
    poly = ShapelyPolygon(points)
    top = max(p[1] for p in points)
    cx, cy = polygon_centroid(points)
    candidate = (cx, top - size * 1.6)
    if poly.is_valid and poly.contains(ShapelyPoint(candidate)):
        return candidate
    return (cx, cy)


def polygon_centroid(points: Sequence[Point]) -> Point:
    """Area centroid (falls back to the vertex mean for degenerate polygons)."""
    area = cx = cy = 0.0
    n = len(points)
    for i in range(n):
        x0, y0 = points[i]
        x1, y1 = points[(i + 1) % n]
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        return (sum(p[0] for p in points) / n, sum(p[1] for p in points) / n)
    return (cx / (3 * area), cy / (3 * area))


class StaticMapLayer:
    """Draws one level's unchanging map in world metres; call under a ``Camera2D``."""

    def __init__(self, level: Level, show_labels: bool = True) -> None:
        self.show_labels = show_labels
        #: (left, bottom, right, top) window pixels panels cover: no label is put there
        self.covered: tuple[tuple[float, float, float, float], ...] = ()
        self.shape: Shape | None = None
        self.label_batch = pyglet.graphics.Batch()
        self.labels: dict[str, arcade.Text] = {}
        self.anchors: dict[str, Point] = {}  # world point each label hangs from
        self._placed_for: tuple | None = None
        self.rebuild(level)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) of the map in metres."""
        return (0.0, 0.0, self.level.map.width_m, self.level.map.height_m)

    def rebuild(self, level: Level) -> None:
        """Rebuilds every shape and label from ``level`` (the editor calls it after edits)."""
        self.level = level
        self.icon_size = icon_size_m(level)
        self.label_batch = pyglet.graphics.Batch()
        self.labels = {}
        self.anchors = {}
        self._office_xy: dict[str, Point] = {}
        self._placed_for = None
        self._plates: Shape | None = None
        self._plates_stale = True
        self._icons: Shape | None = None
        self._icons_size = 0.0  # the icon size in metres self._icons was built for
        shapes = TriangleBuilder()
        self._add_ground(shapes)
        self._add_districts(shapes)
        self._add_areas(shapes)
        self._add_buildings(shapes)
        self._add_roads(shapes)
        self._add_street_names()
        self._add_offices(shapes)
        self.shape = shapes.build()
        self._base_sizes = {name: label.font_size for name, label in self.labels.items()}
        self._sized_at = 1.0  # the interface scale the labels' sizes were set for

    def draw(self, labels: bool = True) -> None:
        """Draws under the active camera; labels go on top in screen pixels (the map
        scene draws them itself, over the units: ``labels=False``)."""
        window = arcade.get_window()
        if self.shape is not None:
            window.ctx.enable(window.ctx.BLEND)  # site rings are translucent
            self.shape.draw()
            self._draw_icons(float(getattr(window.current_camera, "zoom", 1.0)))
        if labels:
            self.draw_labels(window.current_camera)

    def draw_labels(self, camera) -> None:
        """The names, each on a dark plate so it reads over roads, units and crowds."""
        if not self.show_labels or not self.labels:
            return
        window = arcade.get_window()
        if self._place_labels(camera) or self._plates_stale:
            self._plates, self._plates_stale = self._build_plates(), False
        with window.default_camera.activate():
            if self._plates is not None:
                self._plates.draw()
            self.label_batch.draw()
        with layout.scaled(1.0, "map"):
            layout.record_texts(self.labels.values())

    def icon_size_at(self, zoom: float) -> float:
        """The office icons' size in metres at ``zoom`` pixels a metre: the map's icon
        size, but never more than ``ICON_MAX_PX`` on screen."""
        return min(self.icon_size, ICON_MAX_PX / zoom) if zoom > 0 else self.icon_size

    def _draw_icons(self, zoom: float) -> None:
        """The office icons at this zoom's size, rebuilt when the size changes (a few
        dozen polygons; the map scene redraws the static map only when the camera moves)."""
        size = self.icon_size_at(zoom)
        if self._icons is None or size != self._icons_size:
            icons = TriangleBuilder()
            self._add_icons(icons, size)
            self._icons, self._icons_size = icons.build(), size
        if self._icons is not None:
            self._icons.draw()

    def _build_plates(self) -> Shape | None:
        plates = TriangleBuilder()
        for name, label in self.labels.items():
            if label.visible and name.startswith(("office:", "street:")):  # over the roads
                x0, y0 = label.left - 3, label.bottom - 1
                x1, y1 = label.left + label.content_width + 3, y0 + label.content_height + 2
                plates.polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], LABEL_PLATE)
        return plates.build()

    def _place_labels(self, camera) -> bool:
        """Moves the labels to where the camera shows their anchors (only if it moved).

        Offices first, each below its icon, else above, right or left of it, wherever it
        collides with no label already placed and no office icon; then district names,
        which give way (hide) rather than cover an office's name."""
        if not hasattr(camera, "project"):
            return False
        scale = 1 + (ui_scale.effective() - 1) / 2  # half the interface's growth: names
        key = (tuple(camera.position), camera.zoom, tuple(camera.viewport.lbwh), self.covered,
               scale)
        if key == self._placed_for:
            return False
        self._placed_for = key
        if scale != self._sized_at:  # grow, yet leave the map room to show (150 %: 125 %)
            self._sized_at = scale
            for name, label in self.labels.items():
                label.font_size = self._base_sizes[name] * scale
        zoom = float(camera.zoom)
        icon = self.icon_size_at(zoom) * zoom * 1.15  # half an icon with its glow, in pixels
        icons = []
        for office in self.level.offices:
            x, y = camera.project((office.x, office.y))
            icons.append((x - icon, y - icon, x + icon, y + icon))
        placed: list[tuple[float, float, float, float]] = list(icons) + list(self.covered)
        names = sorted(self.anchors, key=_label_rank)  # offices, streets, then areas
        for name in names:
            label = self.labels[name]
            x, y = camera.project(self.anchors[name])
            w, h = label.content_width, label.content_height
            if name.startswith("office:"):
                cx, cy = camera.project(self._office_xy[name])
                gap = icon + 2
                options = [(cx, cy - gap), (cx, cy + gap + h), (cx + gap + w / 2, cy + h / 2),
                           (cx - gap - w / 2, cy + h / 2)]
            else:
                options = [(x, y + h / 2)]  # centred on its anchor: as top-anchored
            for ox, oy in options:
                box = (ox - w / 2, oy - h, ox + w / 2, oy)
                if not any(_collide(box, other) for other in placed):
                    placed.append(box)
                    label.visible = True
                    label.position = (round(ox), round(oy - (0 if name.startswith("office:")
                                                             else h / 2)))
                    break
            else:
                label.visible = False
        return True

    # -- building the geometry -------------------------------------------------------

    def _add_ground(self, shapes: TriangleBuilder) -> None:
        w, h = self.level.map.width_m, self.level.map.height_m
        shapes.polygon([(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)], MAP_GROUND)

    def _add_districts(self, shapes: TriangleBuilder) -> None:
        for i, district in enumerate(self.level.districts):
            shapes.polygon(district.polygon, DISTRICT_FILLS[i % len(DISTRICT_FILLS)])
        for district in self.level.districts:
            shapes.loop(district.polygon, self.icon_size * 0.12, DISTRICT_EDGE)
            name = f"district:{district.id}"
            self.anchors[name] = label_anchor(district.polygon, self.icon_size * 1.1)
            self.labels[name] = arcade.Text(
                district.name.upper(), 0, 0, DISTRICT_LABEL, font_size=13,
                anchor_x="center", anchor_y="center", bold=True, batch=self.label_batch,
                font_name=FONT,
            )

    def _add_areas(self, shapes: TriangleBuilder) -> None:
        """Parks and water (level.features), over the districts and under the blocks."""
        features = self.level.features
        if features is None:
            return
        for kind, areas, fill, edge in (("park", features.parks, PARK_FILL, PARK_EDGE),
                                        ("water", features.water, WATER_FILL, WATER_EDGE)):
            for area in areas:
                shapes.polygon(area.polygon, fill)
                shapes.loop(area.polygon, self.icon_size * 0.08, edge)
                if area.name:
                    name = f"{kind}:{area.id}"
                    self.anchors[name] = polygon_centroid(area.polygon)
                    self.labels[name] = arcade.Text(
                        area.name, 0, 0, AREA_LABEL if kind == "park" else WATER_LABEL,
                        font_size=9, anchor_x="center", anchor_y="center", italic=True,
                        batch=self.label_batch, font_name=FONT)

    def _add_street_names(self) -> None:
        """Each street's name at the middle of its longest edge."""
        features = self.level.features
        if features is None:
            return
        nodes = {n.id: n for n in self.level.roads.nodes}
        edges = {e.id: e for e in self.level.roads.edges if e.a in nodes and e.b in nodes}
        for i, street in enumerate(features.streets):
            lines = [(nodes[edges[e].a], nodes[edges[e].b]) for e in street.edges if e in edges]
            if not lines:
                continue
            a, b = max(lines, key=lambda ab: math.hypot(ab[1].x - ab[0].x, ab[1].y - ab[0].y))
            name = f"street:{i}"
            self.anchors[name] = ((a.x + b.x) / 2, (a.y + b.y) / 2)
            self.labels[name] = arcade.Text(
                street.name, 0, 0, STREET_LABEL, font_size=9, anchor_x="center",
                anchor_y="center", italic=True, batch=self.label_batch, font_name=FONT)

    def _add_buildings(self, shapes: TriangleBuilder) -> None:
        """The blocks; one lying in water (a river drawn as an obstacle, as Banyuasin's)
        is drawn as the water it is, not as a block."""
        wet = blocks_in_water(self.level)
        for building in self.level.buildings:
            if building.id in wet:
                shapes.polygon(building.polygon, WATER_FILL)
                continue
            shapes.polygon(building.polygon, BUILDING_FILL)
            shapes.loop(building.polygon, self.icon_size * 0.05, BUILDING_EDGE)

    def _add_roads(self, shapes: TriangleBuilder) -> None:
        """Casing under every road first, then local streets, then the main roads over
        them, so junctions join cleanly and the arterials read as one warm network."""
        nodes = {n.id: n for n in self.level.roads.nodes}
        edges = [e for e in self.level.roads.edges if e.a in nodes and e.b in nodes]
        main = main_road_width(self.level)
        casing = self.icon_size * 0.18
        for layer in ("casing", "local", "main"):
            widest: dict[str, float] = {}
            for e in edges:
                is_main = e.width_m >= main
                if layer != "casing" and is_main != (layer == "main"):
                    continue
                width = e.width_m * ROAD_EXAGGERATION + (casing * 2 if layer == "casing" else 0)
                color = ROAD_CASING if layer == "casing" else MAIN_ROAD_FILL if is_main \
                    else ROAD_FILL
                a, b = nodes[e.a], nodes[e.b]
                shapes.line((a.x, a.y), (b.x, b.y), width, color)
                for node_id in (e.a, e.b):
                    widest[node_id] = max(widest.get(node_id, 0.0), width)
            color = ROAD_CASING if layer == "casing" else MAIN_ROAD_FILL if layer == "main" \
                else ROAD_FILL
            for node_id, width in widest.items():  # round joints
                shapes.circle(nodes[node_id].x, nodes[node_id].y, width / 2, color, 12)

    def _add_icons(self, shapes: TriangleBuilder, size: float) -> None:
        """Each office's site ring, glow and icon, ``size`` metres across (see
        ``icon_size_at``), and the driveway from its road node as wide as a quarter of
        it; its ground, a real area, stays in the map's own geometry."""
        nodes = {n.id: n for n in self.level.roads.nodes}
        for office in self.level.offices:
            node = nodes.get(office.node)
            if node is not None:
                shapes.line((node.x, node.y), (office.x, office.y), size * 0.25, ROAD_FILL)
        for office in self.level.offices:
            shape, fill = OFFICE_ICONS[office.type]
            shapes.ring(office.x, office.y, office.radius_m, size * 0.1, (*fill[:3], 150))
            shapes.circle(office.x, office.y, size * 1.15, (*fill[:3], 90), 20)  # a glow
            shapes.polygon(icon_polygon(shape, office.x, office.y, size * 1.3), ICON_OUTLINE)
            shapes.polygon(icon_polygon(shape, office.x, office.y, size), fill)

    def _add_offices(self, shapes: TriangleBuilder) -> None:
        size = self.icon_size
        for office in self.level.offices:
            fill = OFFICE_ICONS[office.type][1]
            shapes.circle(office.x, office.y, office.radius_m, (*fill[:3], 34), 32)  # its ground
            name = f"office:{office.id}"
            self.anchors[name] = (office.x, office.y - max(office.radius_m, size) - size * 0.2)
            self._office_xy[name] = (office.x, office.y)
            self.labels[name] = arcade.Text(
                office.name, 0, 0, LABEL, font_size=9, anchor_x="center", anchor_y="top",
                batch=self.label_batch, font_name=FONT, bold=True,
            )

"""Bulk GPU drawing fed straight from numpy: the crowd as discs, overlays as triangles.

Thousands of agents cannot be sprites (one Python object and one buffer write each).
Instead each frame writes the simulation's position, colour and body arrays into GL
buffers and draws them with ONE call through a tiny point-sprite shader. The same idea draws the
frame's dynamic flat shapes (units, rings, markers, HUD panels): Python collects
triangles into numpy arrays and one draw call puts them on screen.

The shaders read arcade's ``WindowBlock`` uniform block, so whatever camera is active
(the map's ``Camera2D`` or the default screen camera) places the geometry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import arcade
import numpy as np
from arcade.gl import BufferDescription
from pyglet import gl

_WINDOW_BLOCK = """
#version 330
uniform WindowBlock {
    mat4 projection;
    mat4 view;
} window;
"""


def _vertex_shader(position: str, declarations: str, body: str) -> str:
    """A vertex shader that places the 2D world point ``position`` with arcade's
    WindowBlock (projection and view of the active camera), then runs ``body``."""
    return (f"{_WINDOW_BLOCK}{declarations}\nvoid main() {{\n    gl_Position = "
            f"window.projection * window.view * vec4({position}, 0.0, 1.0);\n{body}}}\n")


_VERTEX = _vertex_shader("in_pos", """
uniform float point_size;
in vec2 in_pos;
in vec4 in_color;
out vec4 v_color;""", """    gl_PointSize = point_size;
    v_color = in_color;
""")
_FRAGMENT_FLAT = """
#version 330
in vec4 v_color;
out vec4 out_color;
void main() { out_color = v_color; }
"""


class _StreamBuffers:
    """A position buffer and a colour buffer (and, with ``bodies``, a buffer of two floats
    per vertex for ``in_body``) that grow (orphan) as the data grows."""

    def __init__(self, ctx: arcade.ArcadeContext, capacity: int, bodies: bool = False) -> None:
        self.ctx = ctx
        self.capacity = 0
        self.with_bodies = bodies
        self._allocate(max(capacity, 64))

    def _allocate(self, capacity: int) -> None:
        self.capacity = capacity
        self.positions = self.ctx.buffer(reserve=capacity * 8, usage="stream")
        self.colors = self.ctx.buffer(reserve=capacity * 4, usage="stream")
        layout = [BufferDescription(self.positions, "2f", ["in_pos"]),
                  BufferDescription(self.colors, "4f1", ["in_color"], normalized=["in_color"])]
        self.bodies = None
        if self.with_bodies:
            self.bodies = self.ctx.buffer(reserve=capacity * 8, usage="stream")
            layout.append(BufferDescription(self.bodies, "2f", ["in_body"]))
        self.geometry = self.ctx.geometry(layout)

    def write(self, positions: np.ndarray, colors: np.ndarray,
              bodies: np.ndarray | None = None) -> int:
        """Uploads (N, 2) positions, (N, 4) uint8 colours (and (N, 2) float32 body data
        when made with ``bodies``); returns N."""
        n = len(positions)
        if n > self.capacity:
            self._allocate(int(n * 1.5))
        if n:
            self.positions.orphan()
            self.colors.orphan()
            self.positions.write(np.ascontiguousarray(positions, dtype=np.float32))
            self.colors.write(np.ascontiguousarray(colors, dtype=np.uint8))
            if self.bodies is not None and bodies is not None:
                self.bodies.orphan()
                self.bodies.write(np.ascontiguousarray(bodies, dtype=np.float32))
        return n


_CROWD_VERTEX = _vertex_shader("in_pos", """
uniform float px_per_m;
uniform float min_px;
uniform float grow_px;  // the casing pass draws each body this much larger
in vec2 in_pos;
in vec4 in_color;
in vec2 in_body;  // radius (m), heading (radians, counter-clockwise from +x)
out vec4 v_color;
out vec2 v_facing;
out float v_size;""", """    gl_PointSize = max(min_px, 2.0 * in_body.x * px_per_m) + grow_px;
    v_color = in_color;
    v_facing = vec2(cos(in_body.y), -sin(in_body.y));  // gl_PointCoord's y points down
    v_size = gl_PointSize;
""")
_CROWD_FRAGMENT_DISC = """
#version 330
in vec4 v_color;
in vec2 v_facing;
in float v_size;
out vec4 out_color;
void main() {
    vec2 d = gl_PointCoord - vec2(0.5);
    float r2 = dot(d, d);
    if (r2 > 0.25) discard;
    vec3 c = v_color.rgb;
    if (v_size >= 7.0) {
        // a dark rim keeps neighbours apart in a packed crowd; a lighter front shows
        // which way each person faces
        float rim = smoothstep(0.13, 0.25, r2);
        float front = smoothstep(0.12, 0.32, dot(d, v_facing));
        c = mix(c, c * 0.45, rim * 0.8);
        c = mix(c, min(c * 1.35 + 0.12, vec3(1.0)), front * (1.0 - rim));
    }
    out_color = vec4(c, v_color.a);
}
"""
_CROWD_FRAGMENT_CASING = """
#version 330
uniform vec4 casing;
out vec4 out_color;
void main() { out_color = casing; }
"""
ROUND_FROM_PX = 4.5  # smaller dots are drawn square: see CrowdDiscs.draw
CASING_PX = 2.0  # zoomed out, a dark edge this wide (both sides together) round the crowd
CASING = (0.03, 0.04, 0.08, 0.85)  # near-black navy: the night map's darkest ink


class CrowdDiscs:
    """Every citizen as a disc of its own body size in metres (never smaller than
    ``min_px`` on screen), coloured per citizen and facing its heading, in one draw call
    (zoomed out, two: a dark casing under the dots first, see ``draw``).

    Positions, colours and (radius, heading) go from the simulation's arrays into three
    stream buffers each frame; the vertex shader sizes each point sprite from the
    camera's pixels per metre, so zoomed in a packed crowd is bodies shoulder to
    shoulder, and zoomed out it is a solid mass.
    """

    def __init__(self, ctx: arcade.ArcadeContext | None = None, capacity: int = 4096) -> None:
        self.ctx = ctx or arcade.get_window().ctx
        self.disc = self.ctx.program(vertex_shader=_CROWD_VERTEX,
                                     fragment_shader=_CROWD_FRAGMENT_DISC)
        self.square = self.ctx.program(vertex_shader=_CROWD_VERTEX,
                                       fragment_shader=_FRAGMENT_FLAT)
        self.casing = self.ctx.program(vertex_shader=_CROWD_VERTEX,
                                       fragment_shader=_CROWD_FRAGMENT_CASING)
        self.casing["casing"] = CASING
        self.count = 0
        self.largest_radius_m = 0.0
        self.buffers = _StreamBuffers(self.ctx, capacity, bodies=True)

    def update(self, positions: np.ndarray, colors: np.ndarray, radii: np.ndarray,
               headings: np.ndarray) -> None:
        """(N, 2) positions in metres, (N, 4) uint8 colours, (N,) radii in metres and
        (N,) headings in radians."""
        n = len(positions)
        bodies = np.empty((n, 2), np.float32)
        bodies[:, 0] = radii
        bodies[:, 1] = headings
        if n:
            self.largest_radius_m = float(bodies[:, 0].max())
        self.count = self.buffers.write(positions, colors, bodies)

    def draw(self, px_per_m: float, min_px: float) -> None:
        if not self.count:
            return
        # Small dots are drawn square: the disc shader's discard costs about half as much
        # again on software OpenGL and a 3-pixel dot looks the same either way.
        biggest_px = max(min_px, 2.0 * self.largest_radius_m * px_per_m)
        zoomed_out = biggest_px < ROUND_FROM_PX
        # the shader sets the size (arcade 3.3's ctx.point_size setter applies the old value)
        self.ctx.enable(self.ctx.BLEND, gl.GL_PROGRAM_POINT_SIZE)
        passes = [(self.casing, CASING_PX)] if zoomed_out else []
        passes.append((self.square if zoomed_out else self.disc, 0.0))
        for program, grow in passes:
            # zoomed out, a dark casing pass first: where people stand packed their
            # casings merge into one dark edge round the mass, so a crowd standing on an
            # office's bright marker (or a road) reads as one body of people, not a smear
            program["px_per_m"] = float(px_per_m)
            program["min_px"] = float(min_px)
            program["grow_px"] = grow
            self.buffers.geometry.render(program, mode=self.ctx.POINTS, vertices=self.count)
        self.ctx.disable(gl.GL_PROGRAM_POINT_SIZE)


class Triangles:
    """Flat shapes collected per frame into numpy and drawn with one call.

    Build with the shape methods (world or screen units, whichever camera is active at
    ``draw``), then ``draw()``; ``clear()`` starts the next frame.
    """

    def __init__(self, ctx: arcade.ArcadeContext | None = None, capacity: int = 4096) -> None:
        self.ctx = ctx or arcade.get_window().ctx
        self.program = self.ctx.program(vertex_shader=_VERTEX, fragment_shader=_FRAGMENT_FLAT)
        self.program["point_size"] = 1.0
        self.buffers = _StreamBuffers(self.ctx, capacity)
        self._points: list[np.ndarray] = []
        self._colors: list[np.ndarray] = []

    def clear(self) -> None:
        self._points.clear()
        self._colors.clear()

    def add(self, points: np.ndarray, color: Sequence[int]) -> None:
        """Raw triangles: (3k, 2) vertices in one colour."""
        if len(points):
            self._points.append(np.asarray(points, dtype=np.float32).reshape(-1, 2))
            rgba = np.array(tuple(color)[:4] + (255,) * (4 - len(color)), dtype=np.uint8)
            self._colors.append(np.broadcast_to(rgba, (len(self._points[-1]), 4)))

    def rect(self, left: float, bottom: float, width: float, height: float,
             color: Sequence[int]) -> None:
        r, t = left + width, bottom + height
        self.add(np.array([(left, bottom), (r, bottom), (r, t), (left, bottom), (r, t),
                           (left, t)]), color)

    def rect_outline(self, left: float, bottom: float, width: float, height: float,
                     border: float, color: Sequence[int]) -> None:
        self.rect(left, bottom, width, border, color)
        self.rect(left, bottom + height - border, width, border, color)
        self.rect(left, bottom, border, height, color)
        self.rect(left + width - border, bottom, border, height, color)

    def polygon(self, points: Sequence[tuple[float, float]], color: Sequence[int]) -> None:
        """A convex polygon as a fan."""
        pts = np.asarray(points, dtype=np.float32)
        n = len(pts)
        if n < 3:
            return
        idx = np.column_stack([np.zeros(n - 2, int), np.arange(1, n - 1), np.arange(2, n)])
        self.add(pts[idx.ravel()], color)

    def circle(self, x: float, y: float, radius: float, color: Sequence[int],
               segments: int = 20) -> None:
        self.polygon(_circle(x, y, radius, segments), color)

    def ring(self, x: float, y: float, radius: float, width: float, color: Sequence[int],
             segments: int = 32, fraction: float = 1.0) -> None:
        """A ring (or an arc from 12 o'clock clockwise when ``fraction`` < 1)."""
        steps = max(2, int(segments * max(0.0, min(fraction, 1.0))) + 1)
        angles = math.pi / 2 - np.linspace(0, 2 * math.pi * fraction, steps)
        cos, sin = np.cos(angles), np.sin(angles)
        ro, ri = radius + width / 2, radius - width / 2
        outer = np.column_stack([x + ro * cos, y + ro * sin])
        inner = np.column_stack([x + ri * cos, y + ri * sin])
        quads = np.stack([outer[:-1], inner[:-1], inner[1:], outer[:-1], inner[1:], outer[1:]],
                         axis=1)
        self.add(quads.reshape(-1, 2), color)

    def line(self, ax: float, ay: float, bx: float, by: float, width: float,
             color: Sequence[int]) -> None:
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        if length == 0:
            return
        nx, ny = -dy / length * width / 2, dx / length * width / 2
        self.add(np.array([(ax + nx, ay + ny), (ax - nx, ay - ny), (bx - nx, by - ny),
                           (ax + nx, ay + ny), (bx - nx, by - ny), (bx + nx, by + ny)]), color)

    def polyline(self, points: Sequence[tuple[float, float]], width: float,
                 color: Sequence[int]) -> None:
        pts = np.asarray(points, dtype=np.float32)
        if len(pts) < 2:
            return
        a, b = pts[:-1], pts[1:]
        d = b - a
        length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-6)[:, None]
        n = np.column_stack([-d[:, 1], d[:, 0]]) / length * (width / 2)
        quads = np.stack([a + n, a - n, b - n, a + n, b - n, b + n], axis=1)
        self.add(quads.reshape(-1, 2), color)

    def draw(self, blend: bool = True) -> None:
        """``blend=False`` for opaque shapes: on software OpenGL blending costs a read of
        every covered pixel, which adds up for large panels."""
        if not self._points:
            return
        n = self.buffers.write(np.concatenate(self._points), np.concatenate(self._colors))
        if blend:
            self.ctx.enable(self.ctx.BLEND)
        else:
            self.ctx.disable(self.ctx.BLEND)
        self.buffers.geometry.render(self.program, mode=self.ctx.TRIANGLES, vertices=n)
        self.ctx.enable(self.ctx.BLEND)


def _circle(x: float, y: float, radius: float, segments: int) -> np.ndarray:
    angles = np.linspace(0, 2 * math.pi, segments, endpoint=False)
    return np.column_stack([x + radius * np.cos(angles), y + radius * np.sin(angles)])


_HEAT_VERTEX = _vertex_shader("in_vert", """
in vec2 in_vert;
in vec2 in_uv;
out vec2 v_uv;""", """    v_uv = in_uv;
""")
_HEAT_FRAGMENT = """
#version 330
uniform sampler2D heat;
uniform float alpha;
in vec2 v_uv;
out vec4 out_color;
void main() {
    vec4 c = texture(heat, v_uv);
    out_color = vec4(c.rgb, c.a * alpha);
}
"""


class GridImage:
    """An RGBA image stretched over a world rectangle, rewritten in place (one GL texture,
    no atlas growth) whenever the data changes: the live density heat layer."""

    def __init__(self, left: float, bottom: float, width: float, height: float,
                 ctx: arcade.ArcadeContext | None = None) -> None:
        from arcade.gl.geometry import quad_2d

        self.ctx = ctx or arcade.get_window().ctx
        self.program = self.ctx.program(vertex_shader=_HEAT_VERTEX,
                                        fragment_shader=_HEAT_FRAGMENT)
        self.quad = quad_2d((width, height), (left + width / 2, bottom + height / 2))
        self.texture = None

    def write(self, rgba_bottom_up: np.ndarray) -> None:
        """(rows, cols, 4) uint8 with row 0 at the bottom of the rectangle."""
        rows, cols = rgba_bottom_up.shape[:2]
        if self.texture is None or self.texture.size != (cols, rows):
            self.texture = self.ctx.texture((cols, rows), components=4)
        self.texture.write(np.ascontiguousarray(rgba_bottom_up, dtype=np.uint8).tobytes())

    def draw(self, alpha: float = 1.0) -> None:
        if self.texture is None:
            return
        self.ctx.enable(self.ctx.BLEND)
        self.texture.use(0)
        self.program["alpha"] = float(alpha)
        self.quad.render(self.program, mode=self.ctx.TRIANGLE_STRIP)

"""Frame time of the map scene (world update + draw) with 1,000 / 5,000 / 10,000 agents.

Beside it, a bare arcade frame that draws the same number of points (one
``ShapeElementList``-free ``arcade.draw_points`` call on a cleared window), so the ratio
says what the scene costs over the plain cost of putting that many points on screen.
Target (issue 4): the scene's frame at most 1.5x the bare frame and, at 5,000 agents,
under 16.7 ms on this machine's software OpenGL.

Runs in a real window (pytest-xvfb or ``xvfb-run`` give one on a headless machine).
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
TINY_LEVEL = REPO / "tests" / "data" / "map_tiny.json"
SIZES = (1000, 5000, 10000)
TARGET_MS = 1000 / 60


def crowd_level(agents: int, base: Path = TINY_LEVEL):
    """The tiny test level with ten crowd sources that together release ``agents``
    citizens within about five seconds of game time."""
    from command_game.level.io import parse_level

    data = json.loads(base.read_text("utf-8"))
    data = copy.deepcopy(data)
    data["meta"]["id"] = f"crowd_{agents}"
    data["meta"]["duration_s"] = 3600.0
    per = int(np.ceil(agents / 10))
    data["crowd_sources"] = [
        {"id": f"massa_{i}", "x": 40.0 + 36.0 * i, "y": 40.0 + 22.0 * (i % 3) * 4,
         "attractor": "kpu_kecil", "rate_per_min": min(6000.0, per * 15.0), "start_s": 0.0,
         "max_agents": per, "agitation": 0.15 + 0.08 * i}
        for i in range(10)
    ]
    return parse_level(data, f"<crowd level {agents}>")


def fill_crowd(world, agents: int, max_ticks: int = 1200) -> None:
    """Steps the world until ``agents`` citizens are on the map."""
    while len(world.crowd_positions()) < agents and world.tick < max_ticks:
        world.step(())


def time_scene(window, agents: int, frames: int = 30, step: bool = True) -> float:
    """Median ms of one map-scene frame: a fixed update at 1x plus a full draw, or the
    draw alone (the world paused) with step=False."""
    from command_game.scenes.map import MapScene
    from command_game.scenes.stack import SceneStack

    stack = SceneStack(window)
    scene = MapScene(crowd_level(agents))
    stack.push(scene)
    fill_crowd(scene.world, agents)
    times = []
    for _ in range(frames):
        started = time.perf_counter()
        if step:
            scene.on_fixed_update(1 / 60)
        scene.on_draw()
        window.ctx.finish()
        times.append((time.perf_counter() - started) * 1000)
    stack.pop()
    return float(np.median(times))


def time_bare(window, agents: int, frames: int = 30) -> float:
    """Median ms of a bare arcade frame: clear and draw ``agents`` points."""
    import arcade

    rng = np.random.default_rng(0)
    points = rng.uniform((0, 0), window.get_size(), (agents, 2)).tolist()
    times = []
    for _ in range(frames):
        started = time.perf_counter()
        window.clear()
        arcade.draw_points(points, arcade.color.ORANGE, 3)
        window.ctx.finish()
        times.append((time.perf_counter() - started) * 1000)
    return float(np.median(times))


def time_world_step(agents: int, frames: int = 30) -> float:
    """Median ms of one world tick alone, to show what of the frame is the simulation."""
    from command_game.sim.world import World

    world = World.from_level(crowd_level(agents))
    fill_crowd(world, agents)
    times = []
    for _ in range(frames):
        started = time.perf_counter()
        world.step(())
        times.append((time.perf_counter() - started) * 1000)
    return float(np.median(times))


def _virtual_display():
    """A virtual X display when there is no screen (CI, ssh): the benchmark needs a real
    window. pyvirtualdisplay comes with the test extras (pytest-xvfb)."""
    import os
    import sys

    if os.environ.get("DISPLAY") or sys.platform != "linux":
        return None
    from pyvirtualdisplay import Display

    return Display(visible=False, size=(1280, 800)).start()


def main() -> None:
    display = _virtual_display()
    import pyglet

    pyglet.options.audio = ("silent",)
    import arcade

    window = arcade.Window(1280, 800, "bench_frame", visible=True)
    arcade.resources.load_liberation_fonts()
    try:
        for agents in SIZES:
            bare = time_bare(window, agents)
            draw = time_scene(window, agents, step=False)
            frame = time_scene(window, agents)
            step = time_world_step(agents)
            print(f"map_frame_{agents} / bare_points_{agents} = {frame / bare:.2f}x "
                  f"({frame:.1f} ms vs {bare:.1f} ms)")
            print(f"map_draw_{agents} / bare_points_{agents} = {draw / bare:.2f}x "
                  f"({draw:.1f} ms draw only; world step {step:.1f} ms)")
            if agents == 5000:
                verdict = "under" if frame < TARGET_MS else "OVER"
                print(f"map_frame_5000 / target_16.7ms = {frame / TARGET_MS:.2f}x "
                      f"({verdict} the 16.7 ms target)")
    finally:
        window.close()
        if display is not None:
            display.stop()


if __name__ == "__main__":
    main()

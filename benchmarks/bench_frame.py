"""Frame time of the map scene (world update at 1x + draw), in two cases:

- *packed* (issue 11): 6,000 citizens massed at four offices at 2-4 persons per m2
  (``benchmarks/packed.py``), against a bare step of the same packed bodies
  (``space.step`` alone) plus a bare frame drawing as many points (one
  ``arcade.draw_points`` call on a cleared window). Target: at most 1.5x.
- *spread*: 5,000 citizens walking in the tiny test level, against the bare point frame
  alone (issue 4: at most 1.5x, and under 16.7 ms on this machine's software OpenGL).

Runs in a real window; on a machine without a screen (no ``DISPLAY``) it starts its own
virtual X display (PyVirtualDisplay over Xvfb, as pytest-xvfb does for ``make test``).
Wall-clock medians: noisy when other programs share the CPU.
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
TINY_LEVEL = REPO / "tests" / "data" / "map_tiny.json"
SIZES = (5000,)
PACKED = 6000
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


def time_scene(window, agents: int, frames: int = 30, step: bool = True,
               packed: bool = False) -> float:
    """Median ms of one map-scene frame: a fixed update at 1x plus a full draw, or the
    draw alone (the world paused) with step=False. ``packed``: bench_crowd's city with
    ``agents`` citizens massed at its offices, else the tiny level filled by walking."""
    from benchmarks.bench_crowd import city_level
    from benchmarks.packed import pack
    from command_game.scenes.map import MapScene
    from command_game.scenes.stack import SceneStack

    stack = SceneStack(window)
    scene = MapScene(city_level() if packed else crowd_level(agents))
    stack.push(scene)
    if packed:
        pack(scene.world, agents)
    else:
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


def time_bare_step(agents: int, frames: int = 30) -> float:
    """Median ms of a bare ``space.step`` of ``agents`` packed citizens' bodies."""
    from benchmarks.packed import packed_world
    from command_game.sim import rules

    space = packed_world(agents).crowd.space
    times = []
    for _ in range(frames):
        started = time.perf_counter()
        space.step(rules.DT)
        times.append((time.perf_counter() - started) * 1000)
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
    """A virtual X display when there is no screen to open a window on (CI, ssh, a
    container): the benchmark needs a real window. PyVirtualDisplay runs Xvfb (Debian
    package ``xvfb``, which ``.ci/run`` installs)."""
    import os
    import shutil
    import sys

    if sys.platform != "linux" or _display_opens(os.environ.get("DISPLAY")):
        return None
    if shutil.which("Xvfb") is None:
        raise SystemExit("bench_frame: no screen and no Xvfb to make one: install it "
                         "(apt-get install xvfb xauth) or run with a DISPLAY")
    from pyvirtualdisplay import Display

    return Display(visible=False, size=(1280, 800), color_depth=24).start()


def _display_opens(name: str | None) -> bool:
    """Whether an X display of that name accepts a connection (a stale DISPLAY from an
    ssh session or a closed Xvfb does not)."""
    if not name:
        return False
    import subprocess
    import sys

    probe = "import pyglet, sys; pyglet.display.get_display(); sys.exit(0)"
    try:
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=20)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def main() -> None:
    display = _virtual_display()
    import pyglet

    pyglet.options.audio = ("silent",)
    import arcade

    window = arcade.Window(1280, 800, "bench_frame", visible=True)
    arcade.resources.load_liberation_fonts()
    try:
        frame = time_scene(window, PACKED, packed=True)
        draw = time_scene(window, PACKED, step=False, packed=True)
        step = time_bare_step(PACKED)
        bare = time_bare(window, PACKED)
        print(f"packed_map_frame_{PACKED} / (bare_step_{PACKED} + bare_points_{PACKED}) = "
              f"{frame / (step + bare):.2f}x  (target <= 1.5x; {frame:.1f} ms vs "
              f"{step:.1f} ms + {bare:.1f} ms)")
        print(f"packed_map_draw_{PACKED} / bare_points_{PACKED} = {draw / bare:.2f}x "
              f"({draw:.1f} ms draw only)", flush=True)
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
                      f"({verdict} the 16.7 ms target)", flush=True)
    finally:
        window.close()
        if display is not None:
            display.stop()


if __name__ == "__main__":
    main()

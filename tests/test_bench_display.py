"""`make bench` on a machine without a screen: bench_frame starts its own virtual display
(PyVirtualDisplay over Xvfb) when no X display opens, as pytest-xvfb does for the tests,
and opens its real window there."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

OPEN_A_WINDOW = """
from benchmarks.bench_frame import _virtual_display
display = _virtual_display()
import pyglet
pyglet.options.audio = ("silent",)
import arcade
window = arcade.Window(320, 200, "bench display check", visible=True)
print("renderer:", window.ctx.info.RENDERER)
print("virtual:", display is not None)
window.close()
if display is not None:
    display.stop()
"""


@pytest.mark.parametrize("display", [None, ":4711"], ids=["no DISPLAY", "dead DISPLAY"])
def test_bench_frame_opens_its_window_without_a_screen(display):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "XAUTHORITY")}
    if display is not None:
        env["DISPLAY"] = display  # a stale display, as after an ssh session ends
    done = subprocess.run([sys.executable, "-c", OPEN_A_WINDOW], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "renderer:" in done.stdout and "virtual: True" in done.stdout

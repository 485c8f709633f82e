"""Trajectory export: `command-game sim LEVEL --trajectories FILE [--every N]` writes PedPy's
text format, read back with PedPy itself; a citizen keeps its id across frames while
others arrive and go home."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pedpy
import pytest

from command_game.level.io import load_level, parse_level
from command_game.sim.world import World
from command_game.trajectories import TrajectoryWriter
from tests.conftest import REPO

TINY = REPO / "tests" / "data" / "map_tiny.json"


def coming_and_going(tmp_path: Path) -> Path:
    """The tiny level with a calm crowd that keeps arriving at the KPU and drifting home
    (calm citizens at a calm site go home), so citizens are added and removed."""
    data = json.loads(TINY.read_text("utf-8"))
    data["crowd_sources"] = [
        {"id": "warga", "x": 320.0, "y": 190.0, "attractor": "kpu_kecil",
         "rate_per_min": 240.0, "max_agents": 160, "agitation": 0.02},
    ]
    data["incidents"] = []
    path = tmp_path / "coming_and_going.json"
    path.write_text(json.dumps(data), "utf-8")
    parse_level(data)
    return path


def cli_sim(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "command_game", "sim", *args],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_cli_writes_a_file_pedpy_loads_with_stable_ids(tmp_path):
    level_path = coming_and_going(tmp_path)
    out = tmp_path / "run.txt"
    result = cli_sim(str(level_path), "--ticks", "7200", "--trajectories", str(out))
    assert result["trajectories"] == str(out)
    assert result["trajectory_frame_rate"] == 10.0  # --every defaults to 6 ticks

    traj = pedpy.load_trajectory(trajectory_file=out)
    assert traj.frame_rate == 10.0
    data = traj.data
    assert len(data) == result["trajectory_rows"] > 0
    assert not data.duplicated(["id", "frame"]).any()

    # the same run in this process: every recorded frame holds exactly the citizens on
    # the map at that tick, with the same positions, under their citizen ids
    world = World.from_level(load_level(level_path), seed=0)
    on_map: dict[int, dict[int, tuple[float, float]]] = {}
    ever_removed = False
    while world.tick < 7200:
        before = set(world.crowd.citizen_id.tolist())
        world.step(())
        ever_removed |= bool(before - set(world.crowd.citizen_id.tolist()))
        if world.tick % 6 == 0 and world.crowd.count:
            on_map[world.tick // 6] = dict(zip(world.crowd.citizen_id.tolist(),
                                               map(tuple, world.crowd.pos.tolist()),
                                               strict=True))
    assert ever_removed, "the scenario must send some citizens home"
    assert world.state_hash() == result["state_hash"]  # recording does not change the run
    assert set(data.frame.unique().tolist()) == set(on_map)
    for frame, rows in data.groupby("frame"):
        expected = on_map[frame]
        assert sorted(rows.id.tolist()) == sorted(expected)
        got = np.array([expected[i] for i in rows.id.tolist()])
        assert np.allclose(rows[["x", "y"]].to_numpy(), got, atol=1e-3)

    # ids are never reused: each id's frames form one unbroken run (present from its
    # spawn until it goes home), and between frames nobody jumps
    for _, rows in data.groupby("id"):
        frames = rows.frame.to_numpy()
        assert np.all(np.diff(frames) == 1)
        step = np.hypot(np.diff(rows.x.to_numpy()), np.diff(rows.y.to_numpy()))
        assert step.max(initial=0.0) < 1.0  # < 10 m/s at 10 frames per second

    # PedPy's own analysis runs on it
    speed = pedpy.compute_individual_speed(traj_data=traj, frame_step=5)
    assert speed.speed.between(0.0, 3.0).all()


def test_every_sets_the_frame_rate_and_an_old_file_is_kept(tmp_path):
    out = tmp_path / "tiny.txt"
    out.write_text("someone's earlier analysis\n", "utf-8")
    result = cli_sim(str(TINY), "--ticks", "1200", "--trajectories", str(out),
                     "--every", "20")
    assert result["trajectory_frame_rate"] == 3.0
    assert Path(result["trajectories_backup"]).read_text("utf-8") == \
        "someone's earlier analysis\n"
    traj = pedpy.load_trajectory(trajectory_file=out)
    assert traj.frame_rate == 3.0
    assert traj.data.frame.max() == 1200 // 20
    assert not list(tmp_path.glob(".tiny.txt.*.tmp"))


def test_bad_every_is_refused_with_a_clear_message(tmp_path):
    done = subprocess.run([sys.executable, "-m", "command_game", "sim", str(TINY),
                           "--trajectories", str(tmp_path / "x.txt"), "--every", "0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--every" in done.stderr and "at least 1 tick" in done.stderr
    assert not (tmp_path / "x.txt").exists()


def test_a_failed_run_leaves_no_half_file(tmp_path):
    out = tmp_path / "crash.txt"
    world = World.from_level(load_level(TINY), seed=0)
    with pytest.raises(RuntimeError), TrajectoryWriter(out) as writer:
        for _ in range(600):
            world.step(())
            writer.record(world)
        raise RuntimeError("the run died")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []

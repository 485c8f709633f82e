"""A non-editable install carries the campaign: the wheel, unpacked as pip would lay it
out, finds and loads every bundled level without the source checkout."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

from tests.conftest import LEVELS, REPO


def test_wheel_ships_and_finds_the_campaign(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    wheel = next(tmp_path.glob("*.whl"))
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    shipped = sorted(p.name for p in LEVELS.glob("*.json"))
    assert sorted(p.name for p in (site / "command_game" / "levels").glob("*.json")) == shipped

    code = ("import json, command_game; from command_game.level.catalog import campaign, "
            "bundled_levels_dir; print(json.dumps([str(bundled_levels_dir()), "
            "command_game.__file__, [e.level_id for e in campaign()]]))")
    out = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, "
                          f"{str(site)!r}); exec({code!r})"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    levels_dir, package_file, ids = json.loads(out.stdout)
    assert package_file.startswith(str(site)) and levels_dir.startswith(str(site))
    expected = [json.loads(p.read_text("utf-8"))["meta"]["id"]
                for p in sorted(LEVELS.glob("0*.json"))]
    assert ids == expected

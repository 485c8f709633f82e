"""The headless core never pulls in a window toolkit, and the wheel ships every package."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from tests.conftest import REPO

HEADLESS_PACKAGES = ["command_game.sim", "command_game.level", "command_game.editor",
                     "command_game.speedrun"]


def test_headless_packages_never_import_arcade_or_pyglet():
    modules = []
    for pkg in HEADLESS_PACKAGES:
        folder = REPO / pkg.replace(".", "/")
        modules += [f"{pkg}.{p.stem}" if p.stem != "__init__" else pkg
                    for p in sorted(folder.glob("*.py"))]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('arcade', 'pyglet'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"window toolkit imported: {out.stdout}"


def test_every_subpackage_is_listed_for_the_wheel():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {"command_game"} | {
        "command_game." + p.parent.name
        for p in (REPO / "command_game").glob("*/__init__.py")
    }
    found.add("command_game.levels")
    assert found <= listed, f"add to pyproject.toml [tool.setuptools] packages: {found - listed}"


def test_command_line_entry_points_sit_at_the_top():
    """Imports run downhill: only the `cli` package (and `__main__`) may import it."""
    pkg = REPO / "command_game"
    offenders = [
        str(path.relative_to(REPO))
        for path in sorted(pkg.rglob("*.py"))
        if "cli" not in path.relative_to(pkg).parts[:1] and path.name != "__main__.py"
        and "command_game.cli" in path.read_text(encoding="utf-8")
    ]
    assert offenders == [], f"these modules reach up into command_game.cli: {offenders}"
    assert not list(pkg.glob("*/cli.py")), "command-line modules belong in command_game/cli/"

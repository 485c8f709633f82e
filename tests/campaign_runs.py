"""The campaign played once per test session, shared by the tests that read it.

``autopilot_results()``: every campaign level played by the autopilot on seed 0 through
the real CLI (``command-game sim LEVEL --autopilot``), all levels at once in parallel
subprocesses, so the slowest level sets the wall time. ``tests/test_campaign.py`` checks
the wins and the crowds; ``tests/test_balance.py`` takes the autopilot's rows of the
balance table from the same runs instead of playing the levels again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import LEVELS

FILES = {
    "singkawang": "01_singkawang.json",
    "bontang": "02_bontang.json",
    "banyuasin": "03_banyuasin.json",
    "sekotong": "04_sekotong.json",
    "nusantara": "05_nusantara.json",
}
CAMPAIGN = list(FILES)
SIM_TIMEOUT_S = 900


def sim(level_id: str, autopilot: bool) -> dict:
    args = [sys.executable, "-m", "command_game", "sim", str(LEVELS / FILES[level_id])]
    if autopilot:
        args.append("--autopilot")
    done = subprocess.run(args, capture_output=True, text=True, timeout=SIM_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


_RESULTS: dict[str, dict] = {}


def autopilot_results(levels: tuple[str, ...] = tuple(CAMPAIGN)) -> dict[str, dict]:
    """The autopilot's run of each level asked for, each played once per session: those
    not played yet run now, in parallel subprocesses."""
    missing = [i for i in levels if i not in _RESULTS]
    if missing:
        with ThreadPoolExecutor(max_workers=len(missing)) as pool:
            _RESULTS.update(zip(missing, pool.map(lambda i: sim(i, autopilot=True), missing),
                                strict=True))
    return {i: _RESULTS[i] for i in levels}


def autopilot_row(level_id: str) -> dict:
    """The autopilot's run as a row of the balance table (``sim/policies.run_one``)."""
    r = autopilot_results((level_id,))[level_id]
    return {"level": r["level"], "policy": "autopilot", "seed": r["seed"],
            "outcome": r["outcome"] or "unfinished", "reason": r["reason"],
            "time_s": r["time_s"], "trust": r["breakdown"]["trust"], "score": r["score"],
            "failed": [o for o, status in r["objectives"].items() if status == "failed"]}

"""The campaign played once per test session, shared by the tests that read it.

``autopilot_results()``: every campaign level played by the autopilot on seed 0 through
the real CLI (``command-game sim LEVEL --autopilot``), all levels at once in parallel
subprocesses, so the slowest level sets the wall time. ``tests/test_campaign.py`` checks
the wins and the crowds; ``tests/test_balance.py`` takes the autopilot's rows of the
balance table from the same runs instead of playing the levels again.

Under ``make test`` (pytest-xdist, one worker per file) the two files may run on
different workers: the runs are then shared through files in a directory of that test
run (pytest-xdist's ``PYTEST_XDIST_TESTRUNUID``), one lock per level, so a level is
played once per run whichever worker asks first, and a worker asking for a level another
is playing waits for its result.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from tests.conftest import LEVELS

FILES = {
    "singkawang": "01_singkawang.json",
    "bontang": "02_bontang.json",
    "sekotong": "03_sekotong.json",
    "banyuasin": "04_banyuasin.json",
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
    """The autopilot's run of each level asked for, each played once per session (and
    once per xdist test run): those not played yet run now, in parallel subprocesses."""
    missing = [i for i in levels if i not in _RESULTS]
    if missing:
        shared = _shared_dir()
        _RESULTS.update(_play(missing) if shared is None else _play_shared(missing, shared))
    return {i: _RESULTS[i] for i in levels}


def _play(level_ids: list[str]) -> dict[str, dict]:
    if not level_ids:
        return {}
    with ThreadPoolExecutor(max_workers=len(level_ids)) as pool:
        return dict(zip(level_ids, pool.map(lambda i: sim(i, autopilot=True), level_ids),
                        strict=True))


def _shared_dir() -> Path | None:
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return None
    path = Path(tempfile.gettempdir()) / f"kamtibmas-campaign-{run}"
    path.mkdir(exist_ok=True)
    return path


def _play_shared(level_ids: list[str], shared: Path) -> dict[str, dict]:
    """Play the levels no other worker has played or is playing (their locks taken
    without waiting), then wait for the others' results."""
    out: dict[str, dict] = {}
    with ExitStack() as held:
        mine = []
        for level_id in level_ids:
            lock = held.enter_context((shared / f"{level_id}.lock").open("w"))
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # another worker is playing it
            done = shared / f"{level_id}.json"
            if done.exists():
                out[level_id] = json.loads(done.read_text())
            else:
                mine.append(level_id)
        out.update(_keep(_play(mine), shared))
    for level_id in level_ids:
        if level_id not in out:
            with (shared / f"{level_id}.lock").open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # until the worker playing it is done
                done = shared / f"{level_id}.json"
                out[level_id] = json.loads(done.read_text()) if done.exists() \
                    else _keep(_play([level_id]), shared)[level_id]  # that worker failed
    return out


def _keep(results: dict[str, dict], shared: Path) -> dict[str, dict]:
    for level_id, result in results.items():
        tmp = shared / f"{level_id}.json.tmp"
        tmp.write_text(json.dumps(result))
        tmp.replace(shared / f"{level_id}.json")
    return results


def autopilot_row(level_id: str) -> dict:
    """The autopilot's run as a row of the balance table (``sim/policies.run_one``)."""
    r = autopilot_results((level_id,))[level_id]
    return {"level": r["level"], "policy": "autopilot", "seed": r["seed"],
            "outcome": r["outcome"] or "unfinished", "reason": r["reason"],
            "time_s": r["time_s"], "trust": r["breakdown"]["trust"], "score": r["score"],
            "failed": [o for o, status in r["objectives"].items() if status == "failed"]}

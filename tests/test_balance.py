"""Proof that choices matter, light: reference policies (``sim/policies.py``) play the
shipped campaign on seed 0 through the same tournament as ``command-game balance``, and
the issue's balance conditions are checked on the rows (``make balance`` plays every
policy on every level over ten seeds). To stay light on a shared CPU the finale, the
heaviest level, is played only by the policies that lose it early (none, checklist,
type-blind); ``tests/test_campaign.py`` plays the autopilot there. Each condition is its
own test, so a failure names the one that no longer holds."""

from __future__ import annotations

from functools import cache

import pytest

from command_game.cli.balance import play_tasks
from command_game.sim.policies import POLICIES, check
from tests.conftest import LEVELS

FILES = sorted(LEVELS.glob("0*.json"))
FINALE_POLICIES = ("none", "checklist", "typeblind")
JOBS = 2  # the CPU is shared: two processes


@cache
def verdicts() -> dict[str, tuple[bool, str]]:
    tasks = [(path, policy, 0) for path in FILES for policy in POLICIES
             if path != FILES[-1] or policy in FINALE_POLICIES]
    rows = list(play_tasks(tasks, JOBS))
    return {claim.split(" (")[0]: (holds, evidence) for claim, holds, evidence in check(rows)}


CLAIMS = [
    "none loses every level",
    "random loses every level",
    "checklist loses at least 3 of 5",
    "typeblind loses at least 3 of 5",
    "brute force never outscores the autopilot",
    "brute force loses wherever it costs trust",
    "autopilot wins every level on >= 90 % of seeds",
]


@pytest.mark.parametrize("claim", CLAIMS)
def test_balance_condition(claim):
    holds, evidence = verdicts()[claim]
    assert holds, f"{claim}: {evidence}"

"""Proof that choices matter, light: the reference policies of ``sim/policies.py`` play
the shipped campaign on one seed (``make balance`` plays ten), through the same
tournament as ``command-game balance``, and the issue's balance conditions are checked
on the rows. Each condition is its own test, so a failure names which one no longer
holds."""

from __future__ import annotations

from functools import cache

import pytest

from command_game.cli.balance import tournament
from command_game.sim.policies import POLICIES, check
from tests.conftest import LEVELS

FILES = sorted(LEVELS.glob("0*.json"))
JOBS = 2  # the CPU is shared: two processes


@cache
def verdicts() -> dict[str, tuple[bool, str]]:
    rows = list(tournament(FILES, list(POLICIES), seeds=1, jobs=JOBS))
    return {claim: (holds, evidence) for claim, holds, evidence in check(rows)}


CLAIMS = [
    "none loses every level",
    "random loses every level",
    "checklist loses at least 3 of 5",
    "typeblind loses at least 3 of 5",
    "brute force never outscores the autopilot",
    "brute force loses wherever it costs trust",
    "autopilot wins every level on >= 9 of 10 seeds",
]


@pytest.mark.parametrize("claim", CLAIMS)
def test_balance_condition(claim):
    holds, evidence = verdicts()[claim]
    assert holds, f"{claim}: {evidence}"

"""Proof that choices matter, light: reference policies (``sim/policies.py``) play the
campaign's first four levels on seed 0 through the same tournament as ``command-game
balance``, and the issue's balance conditions are checked on the rows (``make balance``
plays every policy on all five levels over ten seeds: the heavy version, with the
finale). The autopilot's rows come from the runs ``tests/test_campaign.py`` makes anyway
(``tests/campaign_runs.py``), so no level is played twice by the same commander in one
session (nor in one ``make test``: ``campaign_runs`` shares them between xdist workers);
a lost night ends at the moment it is lost. Each condition is its own test, so
a failure names the one that no longer holds."""

from __future__ import annotations

from functools import cache

import pytest

from command_game.cli.balance import play_tasks
from command_game.sim.policies import POLICIES, check
from tests.campaign_runs import CAMPAIGN, autopilot_results, autopilot_row
from tests.conftest import LEVELS

FILES = sorted(LEVELS.glob("0*.json"))[:4]  # the finale is in make balance
JOBS = 2  # the CPU is shared: two processes


@cache
def verdicts() -> dict[str, tuple[bool, str]]:
    tasks = [(path, policy, 0) for path in FILES for policy in POLICIES
             if policy != "autopilot"]
    played = CAMPAIGN[:len(FILES)]
    rows = list(play_tasks(tasks, JOBS))  # meanwhile another worker may play the autopilot's
    autopilot_results(tuple(played))  # in parallel, before the rows read them one by one
    rows += [autopilot_row(i) for i in played]
    return {claim.split(" (")[0]: (holds, evidence) for claim, holds, evidence in check(rows)}


CLAIMS = [
    "none loses every level",
    "random loses every level",
    "checklist loses at least 3 of 4",
    "typeblind loses at least 3 of 4",
    "brute force never outscores the autopilot",
    "brute force loses wherever it costs trust",
    "hesitant wins every level on some seed",
    "autopilot wins every level on >= 90 % of seeds",
]


@pytest.mark.parametrize("claim", CLAIMS)
def test_balance_condition(claim):
    holds, evidence = verdicts()[claim]
    assert holds, f"{claim}: {evidence}"
